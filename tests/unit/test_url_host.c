/* Unit tests for common/url_host.c: host names (IDN to punycode, IPv4
 * spellings, IPv6 literals) as wn_url_parse and wn_url_host_normalize
 * see them. */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

#define BUF_MAX (1024u * 1024u)

/* ---- hosts ------------------------------------------------------------- */

struct host_case {
  const char *in;   /* a full URL */
  const char *host; /* NULL: WN_E_PARSE */
};

static const struct host_case host_cases[] = {
    /* IDN to punycode */
    {"http://b\xC3\xBC"
     "cher.example/",
     "xn--bcher-kva.example"},
    {"http://B\xC3\x9C"
     "CHER.example/",
     "xn--bcher-kva.example"},
    {"http://\xC3\x89XAMPLE.com", "xn--xample-9ua.com"},
    {"http://M\xC3\x9CNCHEN.DE", "xn--mnchen-3ya.de"},
    {"http://b%C3%BC"
     "cher.example/",
     "xn--bcher-kva.example"},
    {"http://\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80."
     "\xD1\x80\xD1\x84/",
     "xn--e1afmkfd.xn--p1ai"},
    {"http://\xD0\x9F\xD0\xA0\xD0\x98\xD0\x9C\xD0\x95\xD0\xA0."
     "\xD0\xA0\xD0\xA4/",
     "xn--e1afmkfd.xn--p1ai"},
    {"http://\xE4\xBE\x8B\xE3\x81\x88.\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88/",
     "xn--r8jz45g.xn--zckzah"},
    {"http://stra\xC3\x9F"
     "e.de/",
     "xn--strae-oqa.de"},
    {"http://\xCE\x95\xCE\x9B\xCE\x9B\xCE\x97\xCE\x9D\xCE\x99\xCE\x9A"
     "\xCE\x86.gr/",
     "xn--hxargifdar.gr"},
    {"http://vi\xE1\xBB\x86t.vn/", "xn--vit-5kz.vn"},
    {"http://\xC4\xB1stanbul.tr/", "xn--stanbul-qfb.tr"},
    {"http://xn--BCHER-kva.example/", "xn--bcher-kva.example"},
    /* RFC 3492 section 7.1 samples (A), (B), (E), (G), (I), (S); (S) has
     * upper-case basic code points, lower-cased by the mapping */
    {"http://\xD9\x84\xD9\x8A\xD9\x87\xD9\x85\xD8\xA7\xD8\xA8\xD8\xAA"
     "\xD9\x83\xD9\x84\xD9\x85\xD9\x88\xD8\xB4\xD8\xB9\xD8\xB1\xD8\xA8"
     "\xD9\x8A\xD8\x9F.eg/",
     "xn--egbpdaj6bu4bxfgehfvwxn.eg"},
    {"http://\xE4\xBB\x96\xE4\xBB\xAC\xE4\xB8\xBA\xE4\xBB\x80\xE4\xB9\x88"
     "\xE4\xB8\x8D\xE8\xAF\xB4\xE4\xB8\xAD\xE6\x96\x87/",
     "xn--ihqwcrb4cv8a8dqg056pqjye"},
    {"http://\xD7\x9C\xD7\x9E\xD7\x94\xD7\x94\xD7\x9D\xD7\xA4\xD7\xA9\xD7\x95"
     "\xD7\x98\xD7\x9C\xD7\x90\xD7\x9E\xD7\x93\xD7\x91\xD7\xA8\xD7\x99"
     "\xD7\x9D\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA/",
     "xn--4dbcagdahymbxekheh6e0a7fei0b"},
    {"http://\xE3\x81\xAA\xE3\x81\x9C\xE3\x81\xBF\xE3\x82\x93\xE3\x81\xAA"
     "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x82\x92\xE8\xA9\xB1\xE3\x81"
     "\x97\xE3\x81\xA6\xE3\x81\x8F\xE3\x82\x8C\xE3\x81\xAA\xE3\x81\x84"
     "\xE3\x81\xAE\xE3\x81\x8B/",
     "xn--n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"},
    {"http://\xD0\xBF\xD0\xBE\xD1\x87\xD0\xB5\xD0\xBC\xD1\x83\xD0\xB6\xD0\xB5"
     "\xD0\xBE\xD0\xBD\xD0\xB8\xD0\xBD\xD0\xB5\xD0\xB3\xD0\xBE\xD0\xB2\xD0"
     "\xBE\xD1\x80\xD1\x8F\xD1\x82\xD0\xBF\xD0\xBE\xD1\x80\xD1\x83\xD1\x81"
     "\xD1\x81\xD0\xBA\xD0\xB8/",
     "xn--b1abfaaepdrnnbgefbadotcwatmq2g4l"},
    {"http://T\xE1\xBA\xA1isaoh\xE1\xBB\x8Dkh\xC3\xB4ngth\xE1\xBB\x83"
     "ch"
     "\xE1\xBB\x89n\xC3\xB3iti\xE1\xBA\xBFngVi\xE1\xBB\x87t/",
     "xn--tisaohkhngthchnitingvit-kjcr8268qyxafd2f1b9g"},
    /* "xn--" labels must decode to mapped, non-ASCII text */
    {"http://\xCE\xA6\xCE\xA9\xCE\xA4\xCE\x9F.gr/", "xn--0xajfm.gr"},
    {"http://xn--nda/", "xn--nda"},       /* decodes to U+00F6 */
    {"http://xn--qca/", NULL},            /* U+00D6: not lower-cased */
    {"http://xn--ab-qfa/", "xn--ab-qfa"}, /* "ab" U+00BF */
    {"http://xn--/", NULL},
    {"http://xn--a-/", NULL},
    {"http://xn--b256a/", NULL},
    {"http://xn--bcher-KVA.example/", "xn--bcher-kva.example"},
    {"http://xn--bcher-kv!.example/", NULL},
    {"http://xn--b\xC3\xBC"
     "cher.example/",
     NULL},
    {"http://xn--99999999999999999999/", NULL}, /* decoder overflow */
    {"http://xn--ab-z/", NULL},                 /* ends inside a number */
    {"http://xn--ab-z.com/", NULL},
    {"http://xn--zzzzzzzzzzzzzzzzzzz/", "xn--zzzzzzzzzzzzzzzzzzz"},
    {"http://\xEF\xBD\x85\xEF\xBD\x98\xEF\xBC\x8E\xEF\xBD\x83\xEF\xBD\x8F"
     "\xEF\xBD\x8D/",
     "ex.com"},
    {"http://example\xE3\x80\x82"
     "com/",
     "example.com"},
    {"http://ex\xC2\xAD"
     "ample.com/",
     "example.com"},
    {"http://ExAmPlE.CoM./", "example.com."},
    {"http://a_b!$&'()*+,;=.c/", "a_b!$&'()*+,;=.c"},
    {"http://%41%42.c/", "ab.c"},
    /* IPv4 spellings */
    {"http://127.0.0.1/", "127.0.0.1"},
    {"http://0x7f.1/", "127.0.0.1"},
    {"http://0x7F.0.0.1/", "127.0.0.1"},
    {"http://2130706433/", "127.0.0.1"},
    {"http://017700000001/", "127.0.0.1"},
    {"http://127.1/", "127.0.0.1"},
    {"http://192.168.257/", "192.168.1.1"},
    {"http://1.2.3.4./", "1.2.3.4"},
    {"http://0x/", "0.0.0.0"},
    {"http://255.255.255.255/", "255.255.255.255"},
    {"http://%31%32%37.0.0.1/", "127.0.0.1"},
    {"http://\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x97.0.0.1/", "127.0.0.1"},
    {"http://1.2.3.4.5/", NULL},
    {"http://256.0.0.1/", NULL},
    {"http://1.2.3.256/", NULL},
    {"http://1.2.256/", "1.2.1.0"},
    {"http://1.2.65536/", NULL},
    {"http://4294967296/", NULL},
    {"http://99999999999999999999999999/", NULL},
    {"http://08/", NULL},
    {"http://example.123/", NULL},
    {"http://1.2.3.09/", NULL},
    {"http://1..2/", NULL},
    {"http://a.0xg/", "a.0xg"},
    {"http://1.2.3.4a/", "1.2.3.4a"},
    /* IPv6 */
    {"http://[::]/", "[::]"},
    {"http://[::1]/", "[::1]"},
    {"http://[0:0:0:0:0:0:0:1]/", "[::1]"},
    {"http://[1:0:0:2:0:0:0:3]/", "[1:0:0:2::3]"},
    {"http://[1:0:0:2:0:0:3:4]/", "[1::2:0:0:3:4]"},
    {"http://[1:2:3:4:5:6:7:8]/", "[1:2:3:4:5:6:7:8]"},
    {"http://[1:2:3:4:5:6:7::]/", "[1:2:3:4:5:6:7:0]"},
    {"http://[1:0:3:4:5:6:7:8]/", "[1:0:3:4:5:6:7:8]"},
    {"http://[0001:00AB::]/", "[1:ab::]"},
    {"http://[::127.0.0.1]/", "[::7f00:1]"},
    {"http://[1:2:3:4:5:6:1.2.3.4]/", "[1:2:3:4:5:6:102:304]"},
    {"http://[1:2:3:4:5:6:7:8:9]/", NULL},
    {"http://[1:2:3:4:5:6:7]/", NULL},
    {"http://[1:2:3:4:5:6:7:8::]/", NULL},
    {"http://[:1]/", NULL},
    {"http://[1:]/", NULL},
    {"http://[12345::]/", NULL},
    {"http://[::1.2.3]/", NULL},
    {"http://[::1.2.3.4.5]/", NULL},
    {"http://[::01.2.3.4]/", NULL},
    {"http://[::256.2.3.4]/", NULL},
    {"http://[1:2:3:4:5:6:7:1.2.3.4]/", NULL},
    {"http://[]/", NULL},
    {"http://[g::]/", NULL},
};

static void test_hosts(void)
{
  struct wn_url u;
  size_t i;
  wn_result rc;

  for (i = 0; i < sizeof(host_cases) / sizeof(host_cases[0]); i++) {
    const struct host_case *c = &host_cases[i];

    rc = wn_url_parse(c->in, &u);
    if ((rc == WN_OK) != (c->host != NULL))
      fprintf(stderr, "host case %zu: <%s>\n", i, c->in);
    CHECK_INT(rc, c->host ? WN_OK : WN_E_PARSE);
    if (rc == WN_OK) {
      if (c->host)
        CHECK_STR(u.host, c->host);
      wn_url_free(&u);
    }
  }
}

/* wn_url_host_normalize on its own. */
static void test_host_normalize(void)
{
  static const struct {
    const char *in;
    wn_result rc;
    const char *want;
  } cases[] = {
      {"Example.COM", WN_OK, "example.com"},
      {"B\xC3\xBC"
       "cher.de",
       WN_OK, "xn--bcher-kva.de"},
      {"[::FFFF:1.2.3.4]", WN_OK, "[::ffff:102:304]"},
      {"0300.0250.0.1", WN_OK, "192.168.0.1"},
      {"", WN_E_PARSE, NULL},
      {"a b", WN_E_PARSE, NULL},
      {"[::1", WN_E_PARSE, NULL},
      {"a:80", WN_E_PARSE, NULL},
  };
  struct wn_buf b;
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    wn_buf_init(&b, BUF_MAX);
    CHECK_INT(wn_url_host_normalize(cases[i].in, strlen(cases[i].in), &b),
              cases[i].rc);
    if (cases[i].want)
      CHECK_STR(wn_buf_str(&b), cases[i].want);
    else
      CHECK_INT(b.len, 0);
    wn_buf_free(&b);
  }
  wn_buf_init(&b, BUF_MAX);
  CHECK_INT(wn_url_host_normalize(NULL, 0, &b), WN_E_INVALID);
  /* length is honoured: no read past len */
  CHECK_INT(wn_url_host_normalize("ab.c:80", 4, &b), WN_OK);
  CHECK_STR(wn_buf_str(&b), "ab.c");
  wn_buf_free(&b);
}

int main(void)
{
  test_hosts();
  test_host_normalize();
  return check_exit();
}
