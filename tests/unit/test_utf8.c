/* Unit tests for common/: UTF-8 helpers and simhash. */
#include "common/common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

/* A literal with its length (it may hold NUL bytes). */
#define L(s) s, sizeof(s) - 1

/* ---- UTF-8 -------------------------------------------------------------- */

struct utf8_case {
  const char *s;
  size_t len;
  int valid;
};

static const struct utf8_case utf8_cases[] = {
    {L(""), 1},
    {L("plain ascii"), 1},
    {L("a\0b"), 1}, /* NUL is a character */
    {L("\x7f"), 1},
    {L("\xc2\x80"), 1},          /* U+0080 */
    {L("\xc3\xa9t\xc3\xa9"), 1}, /* été */
    {L("\xdf\xbf"), 1},          /* U+07FF */
    {L("\xe0\xa0\x80"), 1},      /* U+0800 */
    {L("\xe2\x82\xac"), 1},      /* U+20AC */
    {L("\xed\x9f\xbf"), 1},      /* U+D7FF */
    {L("\xee\x80\x80"), 1},      /* U+E000 */
    {L("\xef\xbf\xbd"), 1},      /* U+FFFD itself */
    {L("\xef\xbf\xbf"), 1},      /* U+FFFF */
    {L("\xf0\x90\x80\x80"), 1},  /* U+10000 */
    {L("\xf0\x9f\x98\x80"), 1},  /* U+1F600 */
    {L("\xf4\x8f\xbf\xbf"), 1},  /* U+10FFFF, the last one */
    /* overlongs */
    {L("\xc0\x80"), 0},
    {L("\xc0\xaf"), 0},
    {L("\xc1\xbf"), 0},
    {L("\xe0\x80\x80"), 0},
    {L("\xe0\x9f\xbf"), 0},
    {L("\xf0\x80\x80\x80"), 0},
    {L("\xf0\x8f\xbf\xbf"), 0},
    /* surrogates */
    {L("\xed\xa0\x80"), 0},
    {L("\xed\xad\xbf"), 0},
    {L("\xed\xb0\x80"), 0},
    {L("\xed\xbf\xbf"), 0},
    {L("\xed\xa0\xbd\xed\xb8\x80"), 0}, /* CESU-8 pair */
    /* past U+10FFFF, and bytes that never appear */
    {L("\xf4\x90\x80\x80"), 0},
    {L("\xf5\x80\x80\x80"), 0},
    {L("\xf7\xbf\xbf\xbf"), 0},
    {L("\xf8\x88\x80\x80\x80"), 0},
    {L("\xfe"), 0},
    {L("\xff"), 0},
    /* truncated */
    {L("\xc3"), 0},
    {L("\xe2\x82"), 0},
    {L("\xf0\x9f\x98"), 0},
    {L("abc\xe2"), 0},
    {L("\xe2\x82x"), 0},
    {L("\xf0\x9f\x98"
       "a"),
     0},
    /* stray continuation bytes */
    {L("\x80"), 0},
    {L("\xbf"), 0},
    {L("a\xbf"
       "b"),
     0},
    {L("\xc3\xa9\xa9"), 0},
};

static void check_utf8_valid(void)
{
  size_t k;

  for (k = 0; k < sizeof(utf8_cases) / sizeof(utf8_cases[0]); k++) {
    const struct utf8_case *c = &utf8_cases[k];
    char *copy = malloc(c->len ? c->len : 1);

    if (!copy)
      return;
    memcpy(copy, c->s, c->len);
    if (wn_utf8_valid(copy, c->len) != c->valid) {
      fprintf(stderr, "utf8 case %zu: want valid=%d\n", k, c->valid);
      check_failures++;
    }
    free(copy);
  }
}

struct decode_case {
  const char *s;
  size_t len;
  uint32_t cp;
  size_t used;
};

static const struct decode_case decode_cases[] = {
    {L("A"), 0x41, 1},
    {L("\x00"), 0, 1},
    {L("\x7f"), 0x7F, 1},
    {L("\xc2\x80"), 0x80, 2},
    {L("\xc3\xa9"), 0xE9, 2},
    {L("\xdf\xbf"), 0x7FF, 2},
    {L("\xe0\xa0\x80"), 0x800, 3},
    {L("\xe2\x82\xac"), 0x20AC, 3},
    {L("\xef\xbf\xbd"), 0xFFFD, 3},
    {L("\xf0\x90\x80\x80"), 0x10000, 4},
    {L("\xf0\x9f\x98\x80"), 0x1F600, 4},
    {L("\xf4\x8f\xbf\xbf"), 0x10FFFF, 4},
    {L("\xc3\xa9"
       "rest"),
     0xE9, 2},
    {L("\xc0\x80"), 0xFFFD, 1},
    {L("\xe0\x80\x80"), 0xFFFD, 1},
    {L("\xed\xa0\x80"), 0xFFFD, 1},
    {L("\xf4\x90\x80\x80"), 0xFFFD, 1},
    {L("\xf5\x80\x80\x80"), 0xFFFD, 1},
    {L("\x80"), 0xFFFD, 1},
    {L("\xff"), 0xFFFD, 1},
    {L("\xc3\x28"), 0xFFFD, 1},
    {L("\xe2\x82"), 0xFFFD, 1},
    {"\xe2\x82\xac", 2, 0xFFFD, 1}, /* len cuts the sequence */
    {"\xf0\x9f\x98\x80", 3, 0xFFFD, 1},
};

static void check_utf8_decode(void)
{
  size_t k;

  for (k = 0; k < sizeof(decode_cases) / sizeof(decode_cases[0]); k++) {
    const struct decode_case *c = &decode_cases[k];
    char *copy = malloc(c->len);
    uint32_t cp = 0x12345678;
    size_t used;

    if (!copy)
      return;
    memcpy(copy, c->s, c->len);
    used = wn_utf8_decode(copy, c->len, &cp);
    if (cp != c->cp || used != c->used) {
      fprintf(stderr, "decode case %zu: got U+%04X/%zu, want U+%04X/%zu\n", k,
              (unsigned)cp, used, (unsigned)c->cp, c->used);
      check_failures++;
    }
    free(copy);
  }
}

/* Every scalar value encodes to the expected length, is valid, and
 * decodes back to itself; surrogates and values past U+10FFFF become
 * U+FFFD. */
static void check_utf8_roundtrip(void)
{
  uint32_t cp;
  size_t bad = 0;
  char out[4];

  for (cp = 0; cp <= 0x10FFFF; cp++) {
    size_t n, want, used;
    uint32_t back;

    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    n = wn_utf8_encode(cp, out);
    used = n ? wn_utf8_decode(out, n, &back) : 0;
    if (n != want || !wn_utf8_valid(out, n) || used != n || back != cp) {
      if (bad++ < 5)
        fprintf(stderr, "round trip U+%04X: %zu bytes\n", (unsigned)cp, n);
    }
  }
  CHECK_INT(bad, 0);
  {
    static const uint32_t invalid[] = {0xD800,   0xDBFF,     0xDC00,    0xDFFF,
                                       0x110000, 0x7FFFFFFF, 0xFFFFFFFF};
    size_t k;

    for (k = 0; k < sizeof(invalid) / sizeof(invalid[0]); k++) {
      CHECK_INT(wn_utf8_encode(invalid[k], out), 3);
      CHECK(memcmp(out, "\xef\xbf\xbd", 3) == 0);
    }
  }
}

struct sanitize_case {
  const char *s;
  size_t len;
  const char *want;
  size_t want_len;
};

#define R "\xef\xbf\xbd"

static const struct sanitize_case sanitize_cases[] = {
    {L(""), L("")},
    {L("abc"), L("abc")},
    {L("a\0b"), L("a\0b")},
    {L("\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80"),
     L("\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80")},
    {L(R), L(R)},
    {L("a\xff"
       "b"),
     L("a" R "b")},
    {L("\xff\xfe"), L(R R)},
    {L("\xc0\x80"), L(R R)},
    {L("\xed\xa0\x80"), L(R R R)},
    {L("\xe2\x82"), L(R R)},
    {L("abc\xe2\x82"), L("abc" R R)},
    {L("\xf4\x90\x80\x80"), L(R R R R)},
    {L("\x80\x80x"), L(R R "x")},
    {L("\xc3\xa9\xa9"), L("\xc3\xa9" R)},
    {L("\xc3"
       "A\xc3\xa9"),
     L(R "A\xc3\xa9")},
    {L("ok\xf0\x9f\x98"
       "end"),
     L("ok" R R R "end")},
};

static void check_utf8_sanitize(void)
{
  size_t k, i;
  unsigned x = 12345;

  for (k = 0; k < sizeof(sanitize_cases) / sizeof(sanitize_cases[0]); k++) {
    const struct sanitize_case *c = &sanitize_cases[k];
    struct wn_buf b;

    wn_buf_init(&b, 1024);
    CHECK_INT(wn_buf_adds(&b, "<"), WN_OK);
    CHECK_INT(wn_utf8_sanitize(&b, c->s, c->len), WN_OK);
    if (b.len != c->want_len + 1 ||
        memcmp(b.data + 1, c->want, c->want_len) != 0) {
      fprintf(stderr, "sanitize case %zu: got %zu bytes, want %zu\n", k,
              b.len - 1, c->want_len);
      check_failures++;
    }
    CHECK(wn_utf8_valid(b.data, b.len));
    wn_buf_free(&b);
  }
  /* random bytes: the output is always valid, valid input is unchanged,
   * and each invalid byte costs exactly one U+FFFD */
  for (i = 0; i < 2000; i++) {
    unsigned char in[64];
    struct wn_buf b;
    size_t n = i % 64, j, repl = 0, out_len = 0, p = 0;

    for (j = 0; j < n; j++) {
      x = x * 1103515245u + 12345u;
      in[j] = (unsigned char)(x >> 16);
      if (i % 3 == 0)
        in[j] &= 0x7F; /* some pure ASCII */
    }
    wn_buf_init(&b, 1024);
    CHECK_INT(wn_utf8_sanitize(&b, (const char *)in, n), WN_OK);
    CHECK(wn_utf8_valid(wn_buf_str(&b), b.len));
    if (wn_utf8_valid((const char *)in, n))
      CHECK(b.len == n && (n == 0 || memcmp(b.data, in, n) == 0));
    /* expected length: walk the input as the decoder does */
    while (p < n) {
      uint32_t cp;
      size_t used = wn_utf8_decode((const char *)in + p, n - p, &cp);

      if (cp == 0xFFFD && !(used == 3 && memcmp(in + p, R, 3) == 0)) {
        repl++;
        out_len += 3;
      } else {
        out_len += used;
      }
      p += used;
    }
    CHECK_INT(b.len, out_len);
    wn_buf_free(&b);
    (void)repl;
  }
  /* over the buffer's cap: refused, buffer emptied */
  {
    struct wn_buf b;

    wn_buf_init(&b, 4);
    CHECK_INT(wn_utf8_sanitize(&b, L("\xff\xff")), WN_E_TOO_LARGE);
    CHECK(b.data == NULL);
    wn_buf_free(&b);
  }
}

struct prefix_case {
  const char *s;
  size_t len, max, want;
};

static const struct prefix_case prefix_cases[] = {
    {L("abc"), 5, 3},
    {L("abc"), 3, 3},
    {L("abc"), 2, 2},
    {L("abc"), 0, 0},
    {L(""), 0, 0},
    {L("\xc3\xa9"), 1, 0},
    {L("\xc3\xa9"), 2, 2},
    {L("a\xc3\xa9"), 2, 1},
    {L("a\xc3\xa9"
       "b"),
     3, 3},
    {L("a\xe2\x82\xac"), 1, 1},
    {L("a\xe2\x82\xac"), 2, 1},
    {L("a\xe2\x82\xac"), 3, 1},
    {L("a\xe2\x82\xac"), 4, 4},
    {L("\xf0\x9f\x98\x80"), 3, 0},
    {L("\xf0\x9f\x98\x80x"), 4, 4},
    {L("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 7, 4},
};

static void check_utf8_prefix(void)
{
  size_t k, max;
  static const char mixed[] =
      "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z\xe4\xb8\xad\xe6\x96\x87"
      "\xc3\xbc\xf4\x8f\xbf\xbf.";

  for (k = 0; k < sizeof(prefix_cases) / sizeof(prefix_cases[0]); k++) {
    const struct prefix_case *c = &prefix_cases[k];
    size_t got = wn_utf8_prefix(c->s, c->len, c->max);

    if (got != c->want) {
      fprintf(stderr, "prefix case %zu: got %zu, want %zu\n", k, got, c->want);
      check_failures++;
    }
  }
  /* every cut of a mixed string: within max, valid, and as long as can be
   * (a sequence is at most 4 bytes) */
  for (max = 0; max <= sizeof(mixed); max++) {
    size_t n = sizeof(mixed) - 1, got = wn_utf8_prefix(mixed, n, max);

    CHECK(got <= max);
    CHECK(got <= n);
    CHECK(wn_utf8_valid(mixed, got));
    CHECK(got + 3 >= (max < n ? max : n));
    if (got < n)
      CHECK(((unsigned char)mixed[got] & 0xC0) != 0x80);
  }
}

/* ---- simhash ------------------------------------------------------------ */

static const char text_a[] =
    "The city council approved a new budget on Tuesday after a long debate "
    "about public transport, housing and the renovation of the old market "
    "hall. The mayor said the plan would reduce traffic in the centre and "
    "create hundreds of jobs over the next five years, while the opposition "
    "argued that taxes would rise for families and small businesses.";
/* text_a with three words changed */
static const char text_a_near[] =
    "The city council approved a new budget on Wednesday after a long debate "
    "about public transport, housing and the renovation of the old market "
    "hall. The mayor said the plan would cut traffic in the centre and "
    "create hundreds of jobs over the next four years, while the opposition "
    "argued that taxes would rise for families and small businesses.";
static const char text_b[] =
    "Scientists have discovered a new species of frog in the rainforest of "
    "northern Peru. The small amphibian, which glows faintly under "
    "ultraviolet light, was found near a waterfall by a team of biologists "
    "who spent three months surveying the region and recording the calls "
    "of animals at night with sensitive microphones.";
static const char text_b_near[] =
    "Scientists have discovered a new species of frog in the rainforest of "
    "northern Peru. The tiny amphibian, which glows faintly under "
    "ultraviolet light, was found near a waterfall by a team of biologists "
    "who spent three months surveying the region and recording the calls "
    "of animals at night with sensitive microphones.";
static const char text_c[] =
    "Le conseil municipal a adopt\xc3\xa9 mardi un nouveau budget apr\xc3\xa8s "
    "un long d\xc3\xa9"
    "bat sur les transports publics, le logement et la "
    "r\xc3\xa9novation de l'ancienne halle du march\xc3\xa9. Le maire a "
    "d\xc3\xa9"
    "clar\xc3\xa9 que le plan r\xc3\xa9"
    "duirait la circulation.";
static const char text_c_near[] =
    "Le conseil municipal a adopt\xc3\xa9 mercredi un nouveau budget "
    "apr\xc3\xa8s "
    "un long d\xc3\xa9"
    "bat sur les transports publics, le logement et la "
    "r\xc3\xa9novation de l'ancienne halle du march\xc3\xa9. Le maire a "
    "d\xc3\xa9"
    "clar\xc3\xa9 que le plan r\xc3\xa9"
    "duirait la circulation.";

struct simhash_pair {
  const char *a, *near, *far;
};

static const struct simhash_pair simhash_pairs[] = {
    {text_a, text_a_near, text_b},
    {text_b, text_b_near, text_a},
    {text_c, text_c_near, text_a},
    {text_a_near, text_a, text_c},
};

struct simhash_same {
  const char *a, *b;
};

/* Texts that are the same words: equal fingerprints. */
static const struct simhash_same simhash_same_cases[] = {
    {"The Quick Brown Fox Jumps", "the quick brown fox jumps"},
    {"THE QUICK BROWN FOX", "the quick brown fox"},
    {"Hello, world! How are you?", "hello world how are you"},
    {"  spaced\t\tout \n words  ", "spaced out words"},
    {"one-two-three", "one two three"},
    {"caf\xc3\xa9 au lait", "CAF\xc3\xa9 AU LAIT"},
};

/* Texts with no words: 0. */
static const char *const simhash_zero_cases[] = {
    "", " ", "\t\n\r ", "!!! ... --- ???", "(),;:'\"[]{}", "- * _ ~",
};

static void check_simhash(void)
{
  size_t k;

  for (k = 0; k < sizeof(simhash_zero_cases) / sizeof(simhash_zero_cases[0]);
       k++)
    CHECK(wn_simhash64(simhash_zero_cases[k], strlen(simhash_zero_cases[k])) ==
          0);
  CHECK(wn_simhash64(NULL, 0) == 0);

  /* any word: not 0 (0 means "no words") */
  CHECK(wn_simhash64("word", 4) != 0);
  CHECK(wn_simhash64("two words", 9) != 0);
  CHECK(wn_simhash64("x", 1) != 0);
  CHECK(wn_simhash64("\xc3\xa9t\xc3\xa9", 5) != 0);

  for (k = 0; k < sizeof(simhash_same_cases) / sizeof(simhash_same_cases[0]);
       k++) {
    const struct simhash_same *c = &simhash_same_cases[k];
    uint64_t ha = wn_simhash64(c->a, strlen(c->a));
    uint64_t hb = wn_simhash64(c->b, strlen(c->b));

    if (ha != hb) {
      fprintf(stderr, "simhash same case %zu: %016llx != %016llx\n", k,
              (unsigned long long)ha, (unsigned long long)hb);
      check_failures++;
    }
  }

  /* deterministic */
  CHECK(wn_simhash64(text_a, strlen(text_a)) ==
        wn_simhash64(text_a, strlen(text_a)));
  /* len is honoured */
  CHECK(wn_simhash64(text_a, 9) == wn_simhash64("The city", 8));
  /* non-ASCII letters are not folded, so they still tell words apart */
  CHECK(wn_simhash64("\xc3\xa9t\xc3\xa9 chaud ici", 15) !=
        wn_simhash64("\xc3\xa0t\xc3\xa9 chaud ici", 15));
  /* word order matters (shingles) */
  CHECK(wn_simhash64("alpha beta gamma delta epsilon", 30) !=
        wn_simhash64("epsilon delta gamma beta alpha", 30));

  /* near-duplicates are closer than unrelated texts */
  for (k = 0; k < sizeof(simhash_pairs) / sizeof(simhash_pairs[0]); k++) {
    const struct simhash_pair *c = &simhash_pairs[k];
    uint64_t h = wn_simhash64(c->a, strlen(c->a));
    int near = wn_hamming64(h, wn_simhash64(c->near, strlen(c->near)));
    int far = wn_hamming64(h, wn_simhash64(c->far, strlen(c->far)));

    if (!(near < far) || near > 16 || far < 16) {
      fprintf(stderr, "simhash pair %zu: near %d bits, unrelated %d bits\n", k,
              near, far);
      check_failures++;
    }
  }
}

struct hamming_case {
  uint64_t a, b;
  int want;
};

static const struct hamming_case hamming_cases[] = {
    {0, 0, 0},
    {0, ~0ULL, 64},
    {~0ULL, ~0ULL, 0},
    {1, 2, 2},
    {0xF0, 0x0F, 8},
    {0x8000000000000000ULL, 0, 1},
    {0xAAAAAAAAAAAAAAAAULL, 0x5555555555555555ULL, 64},
    {0x0123456789ABCDEFULL, 0x0123456789ABCDEEULL, 1},
};

static void check_hamming(void)
{
  size_t k;

  for (k = 0; k < sizeof(hamming_cases) / sizeof(hamming_cases[0]); k++) {
    CHECK_INT(wn_hamming64(hamming_cases[k].a, hamming_cases[k].b),
              hamming_cases[k].want);
    CHECK_INT(wn_hamming64(hamming_cases[k].b, hamming_cases[k].a),
              hamming_cases[k].want);
  }
}

int main(void)
{
  check_utf8_valid();
  check_utf8_decode();
  check_utf8_roundtrip();
  check_utf8_sanitize();
  check_utf8_prefix();
  check_simhash();
  check_hamming();
  return check_exit();
}
