/* Unit tests for common/url.c and common/url_host.c: parsing, resolution
 * (RFC 3986 section 5.4 in full), normalisation, origins, rejects, and a
 * pseudo-random junk loop (hosts: test_url_host.c). */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

#define BUF_MAX (1024u * 1024u)

/* ---- resolve ----------------------------------------------------------- */

struct resolve_case {
  const char *base;
  const char *ref;
  wn_result rc;
  const char *want; /* when rc == WN_OK */
};

#define RFC_BASE "http://a/b/c/d;p?q"

static const struct resolve_case resolve_cases[] = {
    /* RFC 3986 section 5.4.1, normal examples */
    {RFC_BASE, "g:h", WN_OK, "g:h"},
    {RFC_BASE, "g", WN_OK, "http://a/b/c/g"},
    {RFC_BASE, "./g", WN_OK, "http://a/b/c/g"},
    {RFC_BASE, "g/", WN_OK, "http://a/b/c/g/"},
    {RFC_BASE, "/g", WN_OK, "http://a/g"},
    {RFC_BASE, "//g", WN_OK, "http://g"},
    {RFC_BASE, "?y", WN_OK, "http://a/b/c/d;p?y"},
    {RFC_BASE, "g?y", WN_OK, "http://a/b/c/g?y"},
    {RFC_BASE, "#s", WN_OK, "http://a/b/c/d;p?q#s"},
    {RFC_BASE, "g#s", WN_OK, "http://a/b/c/g#s"},
    {RFC_BASE, "g?y#s", WN_OK, "http://a/b/c/g?y#s"},
    {RFC_BASE, ";x", WN_OK, "http://a/b/c/;x"},
    {RFC_BASE, "g;x", WN_OK, "http://a/b/c/g;x"},
    {RFC_BASE, "g;x?y#s", WN_OK, "http://a/b/c/g;x?y#s"},
    {RFC_BASE, "", WN_OK, "http://a/b/c/d;p?q"},
    {RFC_BASE, ".", WN_OK, "http://a/b/c/"},
    {RFC_BASE, "./", WN_OK, "http://a/b/c/"},
    {RFC_BASE, "..", WN_OK, "http://a/b/"},
    {RFC_BASE, "../", WN_OK, "http://a/b/"},
    {RFC_BASE, "../g", WN_OK, "http://a/b/g"},
    {RFC_BASE, "../..", WN_OK, "http://a/"},
    {RFC_BASE, "../../", WN_OK, "http://a/"},
    {RFC_BASE, "../../g", WN_OK, "http://a/g"},
    /* RFC 3986 section 5.4.2, abnormal examples */
    {RFC_BASE, "../../../g", WN_OK, "http://a/g"},
    {RFC_BASE, "../../../../g", WN_OK, "http://a/g"},
    {RFC_BASE, "/./g", WN_OK, "http://a/g"},
    {RFC_BASE, "/../g", WN_OK, "http://a/g"},
    {RFC_BASE, "g.", WN_OK, "http://a/b/c/g."},
    {RFC_BASE, ".g", WN_OK, "http://a/b/c/.g"},
    {RFC_BASE, "g..", WN_OK, "http://a/b/c/g.."},
    {RFC_BASE, "..g", WN_OK, "http://a/b/c/..g"},
    {RFC_BASE, "./../g", WN_OK, "http://a/b/g"},
    {RFC_BASE, "./g/.", WN_OK, "http://a/b/c/g/"},
    {RFC_BASE, "g/./h", WN_OK, "http://a/b/c/g/h"},
    {RFC_BASE, "g/../h", WN_OK, "http://a/b/c/h"},
    {RFC_BASE, "g;x=1/./y", WN_OK, "http://a/b/c/g;x=1/y"},
    {RFC_BASE, "g;x=1/../y", WN_OK, "http://a/b/c/y"},
    {RFC_BASE, "g?y/./x", WN_OK, "http://a/b/c/g?y/./x"},
    {RFC_BASE, "g?y/../x", WN_OK, "http://a/b/c/g?y/../x"},
    {RFC_BASE, "g#s/./x", WN_OK, "http://a/b/c/g#s/./x"},
    {RFC_BASE, "g#s/../x", WN_OK, "http://a/b/c/g#s/../x"},
    /* the "backward compatible" reading, as browsers do */
    {RFC_BASE, "http:g", WN_OK, "http://a/b/c/g"},
    {RFC_BASE, "http:/g", WN_OK, "http://a/g"},
    {RFC_BASE, "http:", WN_OK, "http://a/b/c/d;p?q"},
    {RFC_BASE, "HTTP://G/x", WN_OK, "http://g/x"},
    {RFC_BASE, "https:g", WN_OK, "https://g"},
    /* whitespace and backslash leniency */
    {RFC_BASE, "  g  ", WN_OK, "http://a/b/c/g"},
    {RFC_BASE, "\t\n g\th\r\ni \x01", WN_OK, "http://a/b/c/ghi"},
    {RFC_BASE, "a b", WN_OK, "http://a/b/c/a%20b"},
    {RFC_BASE, "g?a b#c d", WN_OK, "http://a/b/c/g?a%20b#c%20d"},
    {RFC_BASE, "\\g\\h", WN_OK, "http://a/g/h"},
    {RFC_BASE, "\\\\host\\x", WN_OK, "http://host/x"},
    {RFC_BASE, "g?x\\y", WN_OK, "http://a/b/c/g?x\\y"},
    {RFC_BASE, "h\xC3\xA9", WN_OK, "http://a/b/c/h%C3%A9"},
    {RFC_BASE, "%2e%2E/g", WN_OK, "http://a/b/g"},
    {RFC_BASE, "//EXAMPLE.com:80", WN_OK, "http://example.com:80"},
    {RFC_BASE,
     "//b\xC3\xBC"
     "cher.example/x",
     WN_OK, "http://xn--bcher-kva.example/x"},
    {RFC_BASE, "///x/y", WN_OK, "http://x/y"},
    {"https://h/a/b", "//cdn.example/x.js", WN_OK, "https://cdn.example/x.js"},
    /* other schemes pass through for the caller to filter */
    {RFC_BASE, "javascript:void(0)", WN_OK, "javascript:void(0)"},
    {RFC_BASE, "mailto:Someone@Example.com", WN_OK,
     "mailto:Someone@Example.com"},
    {RFC_BASE, "tel:+1 555", WN_OK, "tel:+1%20555"},
    {RFC_BASE, "data:text/html,<b>", WN_OK, "data:text/html,<b>"},
    /* bases */
    {"http://a", "b", WN_OK, "http://a/b"},
    {"http://a", "?x", WN_OK, "http://a?x"},
    {"http://a/b?q#f", "", WN_OK, "http://a/b?q"},
    {"http://a/b?q#f", "#g", WN_OK, "http://a/b?q#g"},
    {"http://u:p@a:8080/b/c", "d", WN_OK, "http://u:p@a:8080/b/d"},
    {"http://[::1]/a/b", "../c", WN_OK, "http://[::1]/c"},
    {"foo://h/a/b", "../c", WN_OK, "foo://h/c"},
    {"foo:/a/b", "c", WN_OK, "foo:/a/c"},
    {"foo:/a/b", "..//c", WN_OK, "foo:/.//c"},
    {"foo:/.//a/b", "c", WN_OK, "foo:/.//a/c"},
    {"foo:/.//a/b", "?q", WN_OK, "foo:/.//a/b?q"},
    {"mailto:a@b", "#x", WN_OK, "mailto:a@b#x"},
    {"mailto:a@b", "", WN_OK, "mailto:a@b"},
    {"mailto:a@b", "c", WN_E_PARSE, NULL},
    {"mailto:a@b", "?c", WN_E_PARSE, NULL},
    {"file:///etc/a", "b", WN_OK, "file:///etc/b"},
    /* failures */
    {"/relative/base", "g", WN_E_PARSE, NULL},
    {"", "g", WN_E_PARSE, NULL},
    {RFC_BASE, "http://exa mple/", WN_E_PARSE, NULL},
    {RFC_BASE, "//a:99999/", WN_E_PARSE, NULL},
    {RFC_BASE, "http://", WN_E_PARSE, NULL},
    {RFC_BASE, "//", WN_E_PARSE, NULL},
};

static void test_resolve(void)
{
  struct wn_buf b;
  size_t i;
  wn_result rc;

  for (i = 0; i < sizeof(resolve_cases) / sizeof(resolve_cases[0]); i++) {
    const struct resolve_case *c = &resolve_cases[i];

    wn_buf_init(&b, BUF_MAX);
    rc = wn_url_resolve(c->base, c->ref, &b);
    if (rc != c->rc || (rc == WN_OK && strcmp(wn_buf_str(&b), c->want)))
      fprintf(stderr, "resolve case %zu: <%s> + <%s>\n", i, c->base, c->ref);
    CHECK_INT(rc, c->rc);
    if (rc == WN_OK && c->rc == WN_OK)
      CHECK_STR(wn_buf_str(&b), c->want);
    if (c->rc != WN_OK)
      CHECK_INT(b.len, 0);
    wn_buf_free(&b);
  }
}

/* ---- parse ------------------------------------------------------------- */

struct parse_case {
  const char *in;
  wn_result rc;
  const char *scheme, *userinfo, *host;
  int port;
  const char *path, *query, *fragment;
};

static const struct parse_case parse_cases[] = {
    {"HTTP://User:Pw@WWW.Example.COM:8080/A/b?Q=1#F", WN_OK, "http", "User:Pw",
     "www.example.com", 8080, "/A/b", "Q=1", "F"},
    {"http://a", WN_OK, "http", NULL, "a", -1, "", NULL, NULL},
    {"http://a:/", WN_OK, "http", NULL, "a", -1, "/", NULL, NULL},
    {"http://a:80/", WN_OK, "http", NULL, "a", 80, "/", NULL, NULL},
    {"http://a:0/", WN_OK, "http", NULL, "a", 0, "/", NULL, NULL},
    {"http://a:65535/", WN_OK, "http", NULL, "a", 65535, "/", NULL, NULL},
    {"http://a:0080/", WN_OK, "http", NULL, "a", 80, "/", NULL, NULL},
    {"http://a?", WN_OK, "http", NULL, "a", -1, "", "", NULL},
    {"http://a#", WN_OK, "http", NULL, "a", -1, "", NULL, ""},
    {"http://a/?#?", WN_OK, "http", NULL, "a", -1, "/", "", "?"},
    {"http://@a/", WN_OK, "http", NULL, "a", -1, "/", NULL, NULL},
    {"http://:@a/", WN_OK, "http", NULL, "a", -1, "/", NULL, NULL},
    {"http://a@b@c/", WN_OK, "http", "a%40b", "c", -1, "/", NULL, NULL},
    {"http://u:@h/", WN_OK, "http", "u", "h", -1, "/", NULL, NULL},
    {"http://:p@h/", WN_OK, "http", ":p", "h", -1, "/", NULL, NULL},
    {"http://u:p:q@h/", WN_OK, "http", "u:p:q", "h", -1, "/", NULL, NULL},
    {"http://u p:x<@h/", WN_OK, "http", "u%20p:x%3C", "h", -1, "/", NULL, NULL},
    {"http://h/a b/\"c\"/<d>/`e`/{f}", WN_OK, "http", NULL, "h", -1,
     "/a%20b/%22c%22/%3Cd%3E/%60e%60/%7Bf%7D", NULL, NULL},
    {"http://h/?a b\"<>`'", WN_OK, "http", NULL, "h", -1, "/",
     "a%20b%22%3C%3E`'", NULL},
    {"http://h/#a b\"<>`#", WN_OK, "http", NULL, "h", -1, "/", NULL,
     "a%20b%22%3C%3E%60#"},
    {"http://h/%zz%2f%41", WN_OK, "http", NULL, "h", -1, "/%zz%2f%41", NULL,
     NULL},
    {"http://h/\x7F\x01\xFF", WN_OK, "http", NULL, "h", -1, "/%7F%01%FF", NULL,
     NULL},
    {"http://h/a/./b/../c/%2e/d/%2E%2e/e", WN_OK, "http", NULL, "h", -1,
     "/a/c/e", NULL, NULL},
    {"  \x01http://h/ \x1F", WN_OK, "http", NULL, "h", -1, "/", NULL, NULL},
    {"ht\ntp://h\t/p\r\nq", WN_OK, "http", NULL, "h", -1, "/pq", NULL, NULL},
    {"http:\\\\h\\a\\b?c\\d#e\\f", WN_OK, "http", NULL, "h", -1, "/a/b", "c\\d",
     "e\\f"},
    {"http:example.com/x", WN_OK, "http", NULL, "example.com", -1, "/x", NULL,
     NULL},
    {"https:/example.com", WN_OK, "https", NULL, "example.com", -1, "", NULL,
     NULL},
    {"http:////example.com/", WN_OK, "http", NULL, "example.com", -1, "/", NULL,
     NULL},
    {"http://[::1]:8080/x", WN_OK, "http", NULL, "[::1]", 8080, "/x", NULL,
     NULL},
    {"http://[2001:DB8:0:0:1:0:0:1]/", WN_OK, "http", NULL,
     "[2001:db8::1:0:0:1]", -1, "/", NULL, NULL},
    {"http://u@[::ffff:192.168.0.1]:1/", WN_OK, "http", "u", "[::ffff:c0a8:1]",
     1, "/", NULL, NULL},
    {"mailto:Joe@Example.COM?subject=hi there", WN_OK, "mailto", NULL, "", -1,
     "Joe@Example.COM", "subject=hi%20there", NULL},
    {"javascript:alert(1)/../x", WN_OK, "javascript", NULL, "", -1,
     "alert(1)/../x", NULL, NULL},
    {"urn:isbn:0451450523", WN_OK, "urn", NULL, "", -1, "isbn:0451450523", NULL,
     NULL},
    {"foo://Host.EX%41/a/../b", WN_OK, "foo", NULL, "host.ex%41", -1, "/b",
     NULL, NULL},
    {"foo://h\x01\xC3\xA9/", WN_OK, "foo", NULL, "h%01%C3%A9", -1, "/", NULL,
     NULL},
    {"foo:///x", WN_OK, "foo", NULL, "", -1, "/x", NULL, NULL},
    {"foo://", WN_OK, "foo", NULL, "", -1, "", NULL, NULL},
    {"foo:", WN_OK, "foo", NULL, "", -1, "", NULL, NULL},
    {"Git+SSH://h/r", WN_OK, "git+ssh", NULL, "h", -1, "/r", NULL, NULL},
    {"file:///etc/passwd", WN_OK, "file", NULL, "", -1, "/etc/passwd", NULL,
     NULL},
    {"file://localhost/etc", WN_OK, "file", NULL, "", -1, "/etc", NULL, NULL},
    {"file:c:/x", WN_OK, "file", NULL, "", -1, "/c:/x", NULL, NULL},
    {"file://Server/share", WN_OK, "file", NULL, "server", -1, "/share", NULL,
     NULL},
    /* rejects */
    {"", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"   ", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"example.com/x", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"//example.com/x", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"/x", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {":x", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"1http://a/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"ht tp://a/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a:65536/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a:-1/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a:8o/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a:99999999999999999999999/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL,
     NULL, NULL},
    {"http://a:1:2/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http:///", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://?x", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://u@/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://:80/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://exa mple.com/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://exa\x01mple.com/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL,
     NULL},
    {"http://exa\x7Fmple.com/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL,
     NULL},
    {"http://a%00b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a%2Fb/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a%zz/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a<b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a^b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a|b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a]b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://[::1/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://[::1]x/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://[::1]:x/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://[1::2::3]/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://[fe80::1%25eth0]/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL,
     NULL},
    {"http://\xFF\xFE/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a%C3/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://\xEF\xBF\xBD/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://a\xC2\xA0"
     "b/",
     WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"http://\xC2\xAD/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"foo://a b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"foo://a^b/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"foo://u@:1/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"foo://@/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"foo://:/", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
    {"mailto://@", WN_E_PARSE, NULL, NULL, NULL, 0, NULL, NULL, NULL},
};

static void test_parse(void)
{
  struct wn_url u;
  size_t i;
  wn_result rc;

  for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
    const struct parse_case *c = &parse_cases[i];

    memset(&u, 0xA5, sizeof(u));
    rc = wn_url_parse(c->in, &u);
    if (rc != c->rc)
      fprintf(stderr, "parse case %zu: <%s>\n", i, c->in);
    CHECK_INT(rc, c->rc);
    if (rc != WN_OK || c->rc != WN_OK) {
      /* out untouched on failure */
      CHECK(u.port == (int)0xA5A5A5A5 || rc == WN_OK);
      if (rc == WN_OK)
        wn_url_free(&u);
      continue;
    }
    CHECK_STR(u.scheme, c->scheme);
    CHECK_STR(u.userinfo, c->userinfo);
    CHECK_STR(u.host, c->host);
    CHECK_INT(u.port, c->port);
    CHECK_STR(u.path, c->path);
    CHECK_STR(u.query, c->query);
    CHECK_STR(u.fragment, c->fragment);
    wn_url_free(&u);
    CHECK(u.scheme == NULL && u.path == NULL && u.port == -1);
  }
}

/* ---- normalize --------------------------------------------------------- */

#define F_FRAG WN_URL_NORM_FRAGMENT
#define F_TRK WN_URL_NORM_TRACKING
#define F_SORT WN_URL_NORM_SORT_QUERY

struct norm_case {
  const char *in;
  unsigned flags;
  const char *want; /* NULL: WN_E_PARSE */
};

static const struct norm_case norm_cases[] = {
    /* case, default ports, empty path, dots */
    {"HTTP://Example.COM", 0, "http://example.com/"},
    {"http://example.com:80/", 0, "http://example.com/"},
    {"https://example.com:443", 0, "https://example.com/"},
    {"https://example.com:80/", 0, "https://example.com:80/"},
    {"http://example.com:8080", 0, "http://example.com:8080/"},
    {"http://example.com:/", 0, "http://example.com/"},
    {"ws://h:80/", 0, "ws://h/"},
    {"ftp://h:21/f", 0, "ftp://h/f"},
    {"HTTP://Ex%41mple.COM:80/a/./b/../c?#", 0, "http://example.com/a/c"},
    {"http://h/a/b/../../../c", 0, "http://h/c"},
    {"http://h/a/%2e%2E/b", 0, "http://h/b"},
    {"http://h/a/.%2e", 0, "http://h/"},
    {"http://h//a//b/", 0, "http://h//a//b/"},
    {"http://h/A/B", 0, "http://h/A/B"},
    /* percent-encoding */
    {"http://h/%7euser/%41%2f%3F%26%3d%25", 0,
     "http://h/~user/A%2F%3F%26%3D%25"},
    {"http://h/%2D%2E%5F%7E%30%5a%7a", 0, "http://h/-._~0Zz"},
    {"http://h/a%2fb", 0, "http://h/a%2Fb"},
    {"http://h/a b", 0, "http://h/a%20b"},
    {"http://h/\xC3\xBC", 0, "http://h/%C3%BC"},
    {"http://h/%c3%bc", 0, "http://h/%C3%BC"},
    {"http://h/%", 0, "http://h/%25"},
    {"http://h/%zz%4", 0, "http://h/%25zz%254"},
    {"http://h/a|b^c{d}e", 0, "http://h/a%7Cb%5Ec%7Bd%7De"},
    {"http://h/!$&'()*+,;=:@", 0, "http://h/!$&'()*+,;=:@"},
    {"http://h/?q=a%26b%3dc&x=%41", 0, "http://h/?q=a%26b%3Dc&x=A"},
    {"http://h/?q=a b+c", 0, "http://h/?q=a%20b+c"},
    {"http://h/?a[]=1&b=/?:@", 0, "http://h/?a[]=1&b=/?:@"},
    {"http://h/?q=\\", 0, "http://h/?q=%5C"},
    {"http://h/#%7e a", 0, "http://h/#~%20a"},
    {"http://U%73er:P%40ss@h/", 0, "http://User:P%40ss@h/"},
    {"http://h/?", 0, "http://h/"},
    {"http://h/#", 0, "http://h/"},
    {"http://h/?#", 0, "http://h/"},
    {"http://h/?&", 0, "http://h/?&"},
    /* fragment */
    {"http://h/p?q#frag", 0, "http://h/p?q#frag"},
    {"http://h/p?q#frag", F_FRAG, "http://h/p?q"},
    {"http://h/p#a#b", 0, "http://h/p#a#b"},
    /* tracking parameters */
    {"http://h/?utm_source=x&id=1&fbclid=y&utm_whatever=z&b=2", F_TRK,
     "http://h/?id=1&b=2"},
    {"http://h/?utm_source=x&gclid=1", F_TRK, "http://h/"},
    {"http://h/?UTM_Source=x&a=1", F_TRK, "http://h/?a=1"},
    {"http://h/?utm_=1&utm&a", F_TRK, "http://h/?utm&a"},
    {"http://h/?dclid=1&gbraid=2&wbraid=3&msclkid=4&mc_cid=5&mc_eid=6&k", F_TRK,
     "http://h/?k"},
    {"http://h/?yclid=1&_ga=2&_gl=3&igshid=4&ref_src=5&k=v", F_TRK,
     "http://h/?k=v"},
    {"http://h/?fbclid", F_TRK, "http://h/"},
    {"http://h/?utm%5Fsource=x&a=1", F_TRK, "http://h/?a=1"},
    {"http://h/?xutm_source=1&gclidx=2&ref=3", F_TRK,
     "http://h/?xutm_source=1&gclidx=2&ref=3"},
    {"http://h/?a=1&&b=2&", F_TRK, "http://h/?a=1&b=2"},
    {"http://h/?a=1&utm_x=2#f", F_TRK | F_FRAG, "http://h/?a=1"},
    {"http://h/?utm_source=x&gclid=1", 0, "http://h/?utm_source=x&gclid=1"},
    /* sorting */
    {"http://h/?b=2&a=1&c=3", F_SORT, "http://h/?a=1&b=2&c=3"},
    {"http://h/?b=2&a=1&b=1&a=0", F_SORT, "http://h/?a=1&a=0&b=2&b=1"},
    {"http://h/?ab=1&a=2&a&a_=3", F_SORT, "http://h/?a=2&a&a_=3&ab=1"},
    {"http://h/?B=1&a=2", F_SORT, "http://h/?B=1&a=2"},
    {"http://h/?z=1&utm_medium=2&y=3", F_SORT | F_TRK, "http://h/?y=3&z=1"},
    {"http://h/?z=1&y=2", 0, "http://h/?z=1&y=2"},
    /* other schemes */
    {"mailto:Joe%40x@Example.COM", 0, "mailto:Joe%40x@Example.COM"},
    {"javascript:alert(%22x%22)", 0, "javascript:alert(%22x%22)"},
    {"foo://Host/", 0, "foo://host/"},
    {"foo://h%c3%a9/a", 0, "foo://h%C3%A9/a"},
    {"foo://h%4A/a", 0, "foo://hj/a"},
    {"foo://h", 0, "foo://h"},
    {"foo:/a/..//b", 0, "foo:/.//b"},
    {"file:///a/../b", 0, "file:///b"},
    {"http://[::1]:80/", 0, "http://[::1]/"},
    {"http://0x7f.1:8080", 0, "http://127.0.0.1:8080/"},
    {"http://b\xC3\xBC"
     "cher.example",
     0, "http://xn--bcher-kva.example/"},
    /* WHATWG slash leniency (documented choice) */
    {"http:example.com", 0, "http://example.com/"},
    {"  http://h/a\tb\n  ", 0, "http://h/ab"},
    {"http:\\\\h\\a", 0, "http://h/a"},
    /* rejects */
    {"example.com", 0, NULL},
    {"/just/a/path", 0, NULL},
    {"http://h:70000/", 0, NULL},
    {"http://a b/", 0, NULL},
};

static void test_normalize(void)
{
  struct wn_buf b;
  size_t i;
  wn_result rc;

  for (i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
    const struct norm_case *c = &norm_cases[i];

    wn_buf_init(&b, BUF_MAX);
    rc = wn_url_normalize(c->in, c->flags, &b);
    if ((rc == WN_OK) != (c->want != NULL) ||
        (c->want && strcmp(wn_buf_str(&b), c->want)))
      fprintf(stderr, "normalize case %zu: <%s>\n", i, c->in);
    CHECK_INT(rc, c->want ? WN_OK : WN_E_PARSE);
    if (c->want)
      CHECK_STR(wn_buf_str(&b), c->want);
    else
      CHECK_INT(b.len, 0);
    wn_buf_free(&b);
  }
}

/* ---- origin, is_http, default port ------------------------------------- */

static void test_origin(void)
{
  static const struct {
    const char *in;
    const char *want; /* NULL: WN_E_PARSE */
  } cases[] = {
      {"HTTP://User:pw@Example.COM:80/a?b#c", "http://example.com"},
      {"https://example.com:443/", "https://example.com"},
      {"https://example.com:8443/x", "https://example.com:8443"},
      {"http://example.com:443/", "http://example.com:443"},
      {"http://[::1]:8080/", "http://[::1]:8080"},
      {"http://b\xC3\xBC"
       "cher.example/",
       "http://xn--bcher-kva.example"},
      {"foo://h:1/", "foo://h:1"},
      {"mailto:a@b", NULL},
      {"file:///etc", NULL},
      {"not a url", NULL},
  };
  struct wn_buf b;
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    wn_buf_init(&b, BUF_MAX);
    CHECK_INT(wn_url_origin(cases[i].in, &b),
              cases[i].want ? WN_OK : WN_E_PARSE);
    CHECK_STR(wn_buf_str(&b), cases[i].want ? cases[i].want : "");
    wn_buf_free(&b);
  }
}

static void test_is_http(void)
{
  static const struct {
    const char *in;
    int want;
  } cases[] = {
      {"http://a/", 1}, {"HTTPS://a", 1},   {" https:a ", 1},
      {"ftp://a/", 0},  {"mailto:a@b", 0},  {"javascript:x", 0},
      {"http://", 0},   {"http://a b/", 0}, {"/path", 0},
      {"", 0},          {"httpx://a/", 0},  {"http://a:99999/", 0},
  };
  size_t i;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK_INT(wn_url_is_http(cases[i].in), cases[i].want);
  CHECK_INT(wn_url_is_http(NULL), 0);
  CHECK_INT(wn_url_default_port("http"), 80);
  CHECK_INT(wn_url_default_port("HTTPS"), 443);
  CHECK_INT(wn_url_default_port("ws"), 80);
  CHECK_INT(wn_url_default_port("wss"), 443);
  CHECK_INT(wn_url_default_port("ftp"), 21);
  CHECK_INT(wn_url_default_port("gopher"), -1);
  CHECK_INT(wn_url_default_port(NULL), -1);
}

/* ---- API edges --------------------------------------------------------- */

static void test_edges(void)
{
  struct wn_url u = {NULL, NULL, NULL, -1, NULL, NULL, NULL, 0};
  struct wn_buf b, tiny;
  char *big;
  size_t n = WN_MAX_URL_BYTES + 1;

  wn_url_free(NULL);
  wn_url_free(&u); /* all-NULL fields */
  wn_buf_init(&b, BUF_MAX);
  CHECK_INT(wn_url_parse(NULL, &u), WN_E_INVALID);
  CHECK_INT(wn_url_parse("http://a/", NULL), WN_E_INVALID);
  CHECK_INT(wn_url_resolve(NULL, "a", &b), WN_E_INVALID);
  CHECK_INT(wn_url_resolve("http://a/", NULL, &b), WN_E_INVALID);
  CHECK_INT(wn_url_normalize(NULL, 0, &b), WN_E_INVALID);
  CHECK_INT(wn_url_origin(NULL, &b), WN_E_INVALID);
  CHECK_INT(wn_url_serialize(NULL, &b), WN_E_INVALID);
  CHECK_INT(wn_url_serialize(&u, &b), WN_E_INVALID);

  /* over-long input: WN_E_TOO_LARGE, exactly at the limit is fine */
  big = malloc(n + 1);
  CHECK(big != NULL);
  if (big) {
    memcpy(big, "http://h/", 9);
    memset(big + 9, 'a', n - 9);
    big[n] = '\0';
    CHECK_INT(wn_url_parse(big, &u), WN_E_TOO_LARGE);
    CHECK_INT(wn_url_normalize(big, 0, &b), WN_E_TOO_LARGE);
    CHECK_INT(wn_url_resolve(big, "x", &b), WN_E_TOO_LARGE);
    CHECK_INT(wn_url_resolve("http://h/", big, &b), WN_E_TOO_LARGE);
    CHECK_INT(wn_url_origin(big, &b), WN_E_TOO_LARGE);
    CHECK_INT(wn_url_is_http(big), 0);
    big[n - 1] = '\0';
    CHECK_INT(wn_url_parse(big, &u), WN_OK);
    wn_url_free(&u);
    /* within the input limit, but encoding grows it past WN_MAX_URL_BYTES */
    memset(big + 9, ' ', n - 11);
    CHECK_INT(wn_url_normalize(big, 0, &b), WN_E_TOO_LARGE);
    /* a resolved result longer than the limit */
    memset(big + 9, 'a', n - 11);
    CHECK_INT(
        wn_url_resolve(big, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", &b),
        WN_OK);
    wn_buf_reset(&b);
    big[n - 2] = '/'; /* now the whole base path is kept when merging */
    CHECK_INT(wn_url_resolve(big, big + 9, &b), WN_E_TOO_LARGE);
    free(big);
  }
  CHECK_INT(b.len, 0);

  /* the caller's buffer cap is respected */
  wn_buf_init(&tiny, 10);
  CHECK_INT(wn_url_normalize("http://example.com/", 0, &tiny), WN_E_TOO_LARGE);
  CHECK(tiny.data == NULL);
  CHECK_INT(wn_url_normalize("http://a/", 0, &tiny), WN_OK);
  CHECK_STR(wn_buf_str(&tiny), "http://a/");
  wn_buf_free(&tiny);

  /* results are appended */
  wn_buf_reset(&b);
  CHECK_INT(wn_buf_adds(&b, "x "), WN_OK);
  CHECK_INT(wn_url_resolve("http://a/b", "c", &b), WN_OK);
  CHECK_STR(wn_buf_str(&b), "x http://a/c");
  wn_buf_free(&b);

  /* serialize of a hand-built struct */
  u.scheme = "http";
  u.host = "h";
  u.has_authority = 1;
  u.path = NULL;
  u.query = "q";
  wn_buf_init(&b, BUF_MAX);
  CHECK_INT(wn_url_serialize(&u, &b), WN_OK);
  CHECK_STR(wn_buf_str(&b), "http://h?q");
  wn_buf_free(&b);
}

/* ---- junk -------------------------------------------------------------- */

static uint32_t lcg_state = 12345u;

static uint32_t lcg(void)
{
  lcg_state = lcg_state * 1103515245u + 12345u;
  return lcg_state >> 8;
}

/* 1 when s holds no byte that a serialised URL may not contain. */
static int all_visible(const char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
      return 0;
  return 1;
}

/* Build a random string from URL-ish pieces. */
static void junk_string(char *s, size_t cap)
{
  static const char *const pieces[] = {"http:",
                                       "https:",
                                       "HTTP://",
                                       "//",
                                       "/",
                                       "\\",
                                       ":",
                                       "@",
                                       "?",
                                       "#",
                                       "[",
                                       "]",
                                       "::",
                                       "%",
                                       "%2e",
                                       "%41",
                                       "%C3%BC",
                                       "%zz",
                                       ".",
                                       "..",
                                       "./",
                                       "../",
                                       "a",
                                       "Z",
                                       "0",
                                       "8080",
                                       "0x7f",
                                       "1.2",
                                       " ",
                                       "\t",
                                       "\n",
                                       "\x01",
                                       "\x7F",
                                       "\xC3\xBC",
                                       "\xC3",
                                       "\xEF\xBC\xA1",
                                       "xn--",
                                       "-",
                                       "&",
                                       "=",
                                       "utm_source=",
                                       "fbclid",
                                       "mailto:",
                                       "foo:",
                                       "file:",
                                       "~",
                                       "'",
                                       "\"",
                                       "<",
                                       "^",
                                       "|",
                                       "{",
                                       "\xE3\x80\x82",
                                       "\xFF",
                                       "ex.com",
                                       "%00",
                                       ";"};
  size_t len = 0, k, n = 1 + lcg() % 24, plen;
  const char *p;

  for (k = 0; k < n; k++) {
    if (lcg() % 5 == 0) {
      char c = (char)(1 + lcg() % 255);

      if (len + 1 < cap)
        s[len++] = c;
      continue;
    }
    p = pieces[lcg() % (sizeof(pieces) / sizeof(pieces[0]))];
    plen = strlen(p);
    if (len + plen < cap) {
      memcpy(s + len, p, plen);
      len += plen;
    }
  }
  s[len] = '\0';
}

/* Every function on random junk: no crash (ASan/UBSan watch), sane
 * codes, and the forms that must be fixed points are. */
static void test_junk(void)
{
  static const unsigned flag_sets[] = {0, F_FRAG, F_TRK | F_SORT,
                                       F_FRAG | F_TRK | F_SORT};
  char s[512];
  struct wn_buf a, b;
  struct wn_url u, v;
  int i, n_ok = 0;
  wn_result rc;

  wn_buf_init(&a, BUF_MAX);
  wn_buf_init(&b, BUF_MAX);
  for (i = 0; i < 5000; i++) {
    junk_string(s, sizeof(s));
    if (i % 4 == 0)
      memcpy(s, "http://", 7);

    rc = wn_url_parse(s, &u);
    CHECK(rc == WN_OK || rc == WN_E_PARSE);
    if (rc == WN_OK) {
      n_ok++;
      CHECK(u.scheme && u.host && u.path);
      wn_buf_reset(&a);
      CHECK_INT(wn_url_serialize(&u, &a), WN_OK);
      CHECK(all_visible(wn_buf_str(&a)));
      /* the serialised form parses back to itself */
      CHECK_INT(wn_url_parse(wn_buf_str(&a), &v), WN_OK);
      wn_buf_reset(&b);
      CHECK_INT(wn_url_serialize(&v, &b), WN_OK);
      CHECK_STR(wn_buf_str(&b), wn_buf_str(&a));
      wn_url_free(&v);
      wn_url_free(&u);
    }

    wn_buf_reset(&a);
    rc = wn_url_normalize(s, flag_sets[i % 4], &a);
    CHECK(rc == WN_OK || rc == WN_E_PARSE);
    if (rc == WN_OK) {
      CHECK(all_visible(wn_buf_str(&a)));
      wn_buf_reset(&b);
      CHECK_INT(wn_url_normalize(wn_buf_str(&a), flag_sets[i % 4], &b), WN_OK);
      CHECK_STR(wn_buf_str(&b), wn_buf_str(&a));
    } else {
      CHECK_INT(a.len, 0);
    }

    wn_buf_reset(&a);
    rc = wn_url_resolve("http://a/b/c/d;p?q", s, &a);
    CHECK(rc == WN_OK || rc == WN_E_PARSE);
    if (rc == WN_OK) {
      CHECK(all_visible(wn_buf_str(&a)));
      wn_buf_reset(&b);
      CHECK_INT(wn_url_resolve(wn_buf_str(&a), "", &b), WN_OK);
      if (!strchr(wn_buf_str(&a), '#'))
        CHECK_STR(wn_buf_str(&b), wn_buf_str(&a));
    }
    wn_buf_reset(&a);
    rc = wn_url_resolve(s, "../x/./y?z#w", &a);
    CHECK(rc == WN_OK || rc == WN_E_PARSE);

    wn_buf_reset(&a);
    rc = wn_url_origin(s, &a);
    CHECK(rc == WN_OK || rc == WN_E_PARSE);
    if (rc == WN_OK)
      CHECK(all_visible(wn_buf_str(&a)) && strstr(wn_buf_str(&a), "://"));
    (void)wn_url_is_http(s);
    wn_buf_reset(&a);
    (void)wn_url_host_normalize(s, strlen(s), &a);
  }
  /* the generator must reach the interesting paths, not only rejects */
  CHECK(n_ok > 500);
  wn_buf_free(&a);
  wn_buf_free(&b);
}

int main(void)
{
  test_resolve();
  test_parse();
  test_normalize();
  test_origin();
  test_is_http();
  test_edges();
  test_junk();
  return check_exit();
}
