/* Unit tests for common/: wn_buf, wn_arena, ASCII helpers, number parsing,
 * result codes and wn_error (UTF-8 and simhash: test_utf8.c). */
#include "common/common.h"

#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/check.h"

/* A literal with its length (it may hold NUL bytes). */
#define L(s) s, sizeof(s) - 1

static int sign(int v)
{
  return v < 0 ? -1 : v > 0;
}

/* Run fn in a child process: a crash there (a sanitizer report, a
 * signal) fails one check instead of ending the whole test. */
static int run_isolated(void (*fn)(void))
{
  pid_t pid;
  int status;

  fflush(stderr);
  pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    fn();
    _exit(check_failures ? 1 : 0);
  }
  if (waitpid(pid, &status, 0) != pid)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- wn_buf ------------------------------------------------------------ */

/* One add against a cap: the result, and what is left in the buffer. */
struct buf_add_case {
  size_t max;
  size_t before; /* bytes added first (always fit) */
  size_t add;
  wn_result rc;
};

static const struct buf_add_case buf_add_cases[] = {
    {10, 0, 10, WN_OK},
    {10, 0, 11, WN_E_TOO_LARGE},
    {10, 6, 4, WN_OK},
    {10, 6, 5, WN_E_TOO_LARGE},
    {0, 0, 0, WN_OK},
    {0, 0, 1, WN_E_TOO_LARGE},
    {1, 0, 1, WN_OK},
    {63, 0, 63, WN_OK},
    {64, 0, 64, WN_OK},
    {65, 0, 65, WN_OK},
    {100000, 99999, 1, WN_OK},
    {100000, 99999, 2, WN_E_TOO_LARGE},
    {100, 50, SIZE_MAX, WN_E_TOO_LARGE},
    {100, 50, SIZE_MAX - 40, WN_E_TOO_LARGE},
};

static void check_buf_caps(void)
{
  size_t k;
  static char src[100001];

  memset(src, 'x', sizeof(src) - 1);
  for (k = 0; k < sizeof(buf_add_cases) / sizeof(buf_add_cases[0]); k++) {
    const struct buf_add_case *c = &buf_add_cases[k];
    struct wn_buf b;
    wn_result rc;

    wn_buf_init(&b, c->max);
    if (c->before)
      CHECK_INT(wn_buf_add(&b, src, c->before), WN_OK);
    /* a huge `add` must be refused before src is read */
    rc = wn_buf_add(&b, src, c->add);
    CHECK_INT(rc, c->rc);
    if (rc == WN_OK) {
      CHECK_INT(b.len, c->before + c->add);
      CHECK_INT(strlen(wn_buf_str(&b)), c->before + c->add);
      CHECK(b.len <= b.max);
      CHECK(b.len == 0 || b.cap >= b.len + 1);
    } else {
      /* a failed buffer is freed and empty */
      CHECK(b.data == NULL);
      CHECK_INT(b.len, 0);
      CHECK_INT(b.cap, 0);
      CHECK_STR(wn_buf_str(&b), "");
      /* and usable again */
      CHECK_INT(wn_buf_adds(&b, ""), WN_OK);
      CHECK_STR(wn_buf_str(&b), "");
    }
    wn_buf_free(&b);
  }
}

static void check_buf_growth(void)
{
  struct wn_buf b;
  size_t i;
  int ok = 1;

  wn_buf_init(&b, 1u << 20);
  CHECK_STR(wn_buf_str(&b), "");
  CHECK(b.data == NULL);
  for (i = 0; i < 100000; i++) {
    if (wn_buf_addc(&b, (char)('a' + i % 26)) != WN_OK) {
      ok = 0;
      break;
    }
    if (b.data[b.len] != '\0' || b.cap < b.len + 1)
      ok = 0;
  }
  CHECK(ok);
  CHECK_INT(b.len, 100000);
  CHECK_INT(strlen(b.data), 100000);
  for (i = 0; i < 100000; i++)
    if (b.data[i] != (char)('a' + i % 26))
      break;
  CHECK_INT(i, 100000);

  /* embedded NUL bytes are kept; len counts them */
  wn_buf_reset(&b);
  CHECK_INT(wn_buf_add(&b, L("a\0b")), WN_OK);
  CHECK_INT(b.len, 3);
  CHECK(memcmp(b.data, "a\0b", 4) == 0);

  /* adding nothing from NULL is fine */
  CHECK_INT(wn_buf_add(&b, NULL, 0), WN_OK);
  CHECK_INT(b.len, 3);
  wn_buf_free(&b);
  CHECK(b.data == NULL);
  wn_buf_free(&b); /* twice is harmless */
}

static void check_buf_reset_reserve(void)
{
  struct wn_buf b;
  char *data;
  size_t cap, i;

  wn_buf_init(&b, 4096);
  CHECK_INT(wn_buf_adds(&b, "hello world"), WN_OK);
  data = b.data;
  cap = b.cap;
  wn_buf_reset(&b);
  CHECK_INT(b.len, 0);
  CHECK_STR(wn_buf_str(&b), "");
  CHECK(b.data == data); /* allocation kept */
  CHECK_INT(b.cap, cap);
  CHECK_INT(wn_buf_adds(&b, "again"), WN_OK);
  CHECK_STR(wn_buf_str(&b), "again");
  CHECK(b.data == data);

  /* reserve: the next `extra` bytes do not move the data */
  CHECK_INT(wn_buf_reserve(&b, 1000), WN_OK);
  CHECK(b.cap >= b.len + 1000 + 1);
  data = b.data;
  for (i = 0; i < 1000; i++)
    CHECK_INT(wn_buf_addc(&b, 'z'), WN_OK);
  CHECK(b.data == data);
  CHECK_INT(b.len, 1005);
  /* reserving past the cap fails and empties the buffer */
  CHECK_INT(wn_buf_reserve(&b, 4096), WN_E_TOO_LARGE);
  CHECK(b.data == NULL);
  CHECK_INT(b.len, 0);
  wn_buf_free(&b);

  /* reset of a never-used buffer */
  wn_buf_init(&b, 10);
  wn_buf_reset(&b);
  CHECK_STR(wn_buf_str(&b), "");
  wn_buf_free(&b);
}

static void check_buf_printf(void)
{
  struct wn_buf b;
  char big[5000];
  size_t k;
  static const size_t lens[] = {0, 1, 255, 256, 257, 1000, 4999};

  memset(big, 'q', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  /* lengths around the 256-byte fast path, appended after "<" */
  for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
    wn_buf_init(&b, 1u << 16);
    CHECK_INT(wn_buf_adds(&b, "<"), WN_OK);
    CHECK_INT(wn_buf_printf(&b, "%.*s>%d", (int)lens[k], big, 42), WN_OK);
    CHECK_INT(b.len, 1 + lens[k] + 3);
    CHECK_INT(strlen(b.data), b.len);
    CHECK_INT(b.data[0], '<');
    CHECK_INT(b.data[lens[k]], lens[k] ? 'q' : '<');
    CHECK_STR(b.data + 1 + lens[k], ">42");
    wn_buf_free(&b);
  }
  wn_buf_init(&b, 64);
  CHECK_INT(wn_buf_printf(&b, "%s-%u-%c", "ab", 7u, 'z'), WN_OK);
  CHECK_STR(wn_buf_str(&b), "ab-7-z");
  CHECK_INT(wn_buf_printf(&b, "%s", ""), WN_OK);
  CHECK_STR(wn_buf_str(&b), "ab-7-z");
  /* over the cap, short and long: refused, buffer freed */
  CHECK_INT(wn_buf_printf(&b, "%070d", 1), WN_E_TOO_LARGE);
  CHECK(b.data == NULL);
  CHECK_INT(b.len, 0);
  CHECK_INT(wn_buf_adds(&b, "x"), WN_OK);
  CHECK_INT(wn_buf_printf(&b, "%s", big), WN_E_TOO_LARGE);
  CHECK(b.data == NULL);
  CHECK_INT(b.len, 0);
  /* exactly the cap */
  CHECK_INT(wn_buf_printf(&b, "%064d", 5), WN_OK);
  CHECK_INT(b.len, 64);
  wn_buf_free(&b);
}

static void check_buf_steal(void)
{
  struct wn_buf b;
  char *s;

  wn_buf_init(&b, 100);
  CHECK_INT(wn_buf_adds(&b, "stolen"), WN_OK);
  s = wn_buf_steal(&b);
  CHECK_STR(s, "stolen");
  CHECK(b.data == NULL);
  CHECK_INT(b.len, 0);
  CHECK_INT(b.cap, 0);
  CHECK_STR(wn_buf_str(&b), "");
  /* the buffer still works, and does not share memory with s */
  CHECK_INT(wn_buf_adds(&b, "new"), WN_OK);
  CHECK_STR(s, "stolen");
  CHECK_STR(wn_buf_str(&b), "new");
  free(s);
  wn_buf_free(&b);

  /* stealing an empty buffer gives a fresh "" */
  wn_buf_init(&b, 100);
  s = wn_buf_steal(&b);
  CHECK(s != NULL);
  CHECK_STR(s, "");
  free(s);
  /* stealing after a reset gives "" too */
  CHECK_INT(wn_buf_adds(&b, "abc"), WN_OK);
  wn_buf_reset(&b);
  s = wn_buf_steal(&b);
  CHECK_STR(s, "");
  free(s);
  wn_buf_free(&b);
}

/* "No cap" written as SIZE_MAX must not wrap the capacity arithmetic. */
static void buf_unbounded(void)
{
  struct wn_buf b;

  wn_buf_init(&b, SIZE_MAX);
  CHECK_INT(wn_buf_adds(&b, "hello, unbounded world"), WN_OK);
  CHECK_STR(wn_buf_str(&b), "hello, unbounded world");
  CHECK(b.cap >= b.len + 1);
  wn_buf_free(&b);
}

/* ---- wn_arena ------------------------------------------------------------ */

static void check_arena_alignment(void)
{
  static const size_t sizes[] = {0,  1,     2,     3,  7,      8,    15,
                                 16, 17,    31,    33, 100,    1000, 4097,
                                 1,  65536, 70000, 3,  200000, 5};
  struct wn_arena *a = wn_arena_new(16u << 20);
  size_t k, used = 0;
  char *prev = NULL;

  CHECK(a != NULL);
  if (!a)
    return;
  CHECK_INT(wn_arena_used(a), 0);
  CHECK_INT(wn_arena_failed(a), 0);
  for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    char *p = wn_arena_alloc(a, sizes[k]);
    size_t rounded = sizes[k] ? (sizes[k] + 15) / 16 * 16 : 16;

    CHECK(p != NULL);
    if (!p)
      continue;
    CHECK_INT((uintptr_t)p % 16, 0);
    /* writable over its whole size, and distinct from the previous one */
    memset(p, 0xAB, sizes[k]);
    CHECK(p != prev);
    prev = p;
    used += rounded;
    CHECK_INT(wn_arena_used(a), used);
  }
  CHECK_INT(wn_arena_failed(a), 0);
  wn_arena_free(a);
  wn_arena_free(NULL);
}

/* An arena without a cap (SIZE_MAX): a request near SIZE_MAX must not
 * wrap to a small size when rounded up to 16. Run isolated: calloc's
 * memset of the huge size crashes when alloc wrongly succeeds. */
static void arena_unbounded(void)
{
  struct wn_arena *a = wn_arena_new(SIZE_MAX);

  if (!a)
    return;
  CHECK(wn_arena_alloc(a, SIZE_MAX - 4) == NULL);
  CHECK(wn_arena_alloc(a, SIZE_MAX) == NULL);
  CHECK(wn_arena_strndup(a, "x", SIZE_MAX - 1) == NULL);
  CHECK_INT(wn_arena_failed(a), 1);
  CHECK(wn_arena_calloc(a, 1, SIZE_MAX - 8) == NULL);
  wn_arena_free(a);
}

static void check_arena_cap(void)
{
  struct wn_arena *a = wn_arena_new(4096);
  size_t n = 0;
  void *p;

  if (!a) {
    check_failures++;
    return;
  }
  /* one allocation larger than the cap */
  CHECK(wn_arena_alloc(a, 5000) == NULL);
  CHECK_INT(wn_arena_failed(a), 1);
  wn_arena_reset(a);
  CHECK_INT(wn_arena_failed(a), 0);
  /* many small ones: refused before 4096 bytes are handed out */
  while ((p = wn_arena_alloc(a, 100)) != NULL && n < 1000) {
    memset(p, 1, 100);
    n++;
  }
  CHECK(p == NULL);
  CHECK(n > 0);
  CHECK(wn_arena_used(a) <= 4096);
  CHECK_INT(wn_arena_used(a), n * 112);
  CHECK_INT(wn_arena_failed(a), 1);
  /* failed stays set after a later success */
  wn_arena_reset(a);
  CHECK(wn_arena_alloc(a, 100) != NULL);
  CHECK(wn_arena_alloc(a, 1u << 20) == NULL);
  CHECK(wn_arena_alloc(a, 16) != NULL);
  CHECK_INT(wn_arena_failed(a), 1);
  wn_arena_free(a);

  /* a zero cap holds nothing */
  a = wn_arena_new(0);
  if (a) {
    CHECK(wn_arena_alloc(a, 1) == NULL);
    CHECK_INT(wn_arena_failed(a), 1);
    wn_arena_free(a);
  }
}

static void check_arena_reset_reuse(void)
{
  struct wn_arena *a = wn_arena_new(1u << 20);
  char *p1, *p2, *q;
  int i;

  if (!a) {
    check_failures++;
    return;
  }
  p1 = wn_arena_alloc(a, 64);
  p2 = wn_arena_alloc(a, 64);
  CHECK(p1 && p2 && p2 == p1 + 64);
  if (!p1)
    goto out;
  memset(p1, 0x5A, 64);
  wn_arena_reset(a);
  CHECK_INT(wn_arena_used(a), 0);
  /* the chunk is kept: the first allocation lands where it did before */
  q = wn_arena_alloc(a, 64);
  CHECK(q == p1);
  /* reset, many times, does not grow the arena */
  for (i = 0; i < 1000; i++) {
    wn_arena_reset(a);
    q = wn_arena_alloc(a, 1000);
    CHECK(q == p1);
    if (q != p1)
      break;
  }
  /* calloc zeroes memory that held data before the reset */
  wn_arena_reset(a);
  q = wn_arena_alloc(a, 256);
  if (q)
    memset(q, 0xFF, 256);
  wn_arena_reset(a);
  q = wn_arena_calloc(a, 32, 8);
  CHECK(q != NULL);
  if (q) {
    for (i = 0; i < 256 && q[i] == 0; i++)
      ;
    CHECK_INT(i, 256);
  }
out:
  wn_arena_free(a);
}

struct strndup_case {
  const char *s;
  size_t len;
  const char *want; /* compared over len + 1 bytes */
};

static const struct strndup_case strndup_cases[] = {
    {"", 0, ""},
    {"abc", 3, "abc"},
    {"abcdef", 3, "abc"},
    {"a\0b", 3, "a\0b"},
    {"caf\xc3\xa9", 5, "caf\xc3\xa9"},
};

static void check_arena_strings(void)
{
  struct wn_arena *a = wn_arena_new(1u << 20);
  size_t k;
  char *p;

  if (!a) {
    check_failures++;
    return;
  }
  for (k = 0; k < sizeof(strndup_cases) / sizeof(strndup_cases[0]); k++) {
    const struct strndup_case *c = &strndup_cases[k];

    p = wn_arena_strndup(a, c->s, c->len);
    CHECK(p != NULL);
    if (!p)
      continue;
    CHECK(p != c->s);
    CHECK(memcmp(p, c->want, c->len) == 0);
    CHECK_INT(p[c->len], '\0');
    CHECK_INT((uintptr_t)p % 16, 0);
  }
  p = wn_arena_strdup(a, "duplicate me");
  CHECK_STR(p, "duplicate me");
  /* a string over the cap */
  {
    struct wn_arena *small = wn_arena_new(64);
    static const char long_s[] = "0123456789012345678901234567890123456789"
                                 "0123456789012345678901234567890123456789";
    if (small) {
      CHECK(wn_arena_strdup(small, long_s) == NULL);
      CHECK_INT(wn_arena_failed(small), 1);
      wn_arena_free(small);
    }
  }
  wn_arena_free(a);
}

/* calloc(n, size) whose product overflows must fail, not allocate the
 * wrapped-around size. */
struct calloc_case {
  size_t n, size;
  int ok;
};

static const struct calloc_case calloc_cases[] = {
    {0, 0, 1},
    {0, 100, 1},
    {100, 0, 1},
    {10, 8, 1},
    {1000, 1000, 1},
    {SIZE_MAX, 2, 0},
    {SIZE_MAX / 2 + 1, 2, 0},
    {2, SIZE_MAX / 2 + 1, 0},
    {(SIZE_MAX >> 32) + 2, (size_t)1 << 32, 0},
    {SIZE_MAX, SIZE_MAX, 0},
    {SIZE_MAX / 16 + 1, 16, 0}, /* wraps to exactly 0 */
    {1u << 20, 1u << 20, 0},    /* no overflow, just over the cap */
};

static void check_arena_calloc(void)
{
  size_t k;

  for (k = 0; k < sizeof(calloc_cases) / sizeof(calloc_cases[0]); k++) {
    const struct calloc_case *c = &calloc_cases[k];
    struct wn_arena *a = wn_arena_new(16u << 20);
    unsigned char *p;

    if (!a) {
      check_failures++;
      return;
    }
    p = wn_arena_calloc(a, c->n, c->size);
    if ((p != NULL) != c->ok) {
      fprintf(stderr, "calloc case %zu (%zu x %zu): got %p\n", k, c->n, c->size,
              (void *)p);
      check_failures++;
    }
    CHECK_INT(wn_arena_failed(a), !c->ok);
    if (p && (c->n * c->size) != 0) {
      size_t i, total = c->n * c->size;
      for (i = 0; i < total && p[i] == 0; i++)
        ;
      CHECK_INT(i, total);
    }
    wn_arena_free(a);
  }
}

/* ---- ASCII helpers ---------------------------------------------------- */

struct casecmp_case {
  const char *a, *b;
  size_t n; /* for ncasecmp */
  int sign, nsign;
};

static const struct casecmp_case casecmp_cases[] = {
    {"abc", "ABC", 3, 0, 0},
    {"Hello", "hELLO", 5, 0, 0},
    {"", "", 0, 0, 0},
    {"a", "", 1, 1, 1},
    {"", "a", 1, -1, -1},
    {"abc", "abd", 3, -1, -1},
    {"abc", "abd", 2, -1, 0},
    {"HelloX", "helloY", 5, -1, 0},
    {"HelloX", "helloY", 6, -1, -1},
    {"ab", "abc", 3, -1, -1},
    {"ab", "abc", 2, -1, 0},
    {"Zebra", "apple", 5, 1, 1},
    {"[", "{", 1, -1, -1}, /* '[' is not 'Z' + 32: no folding */
    {"@", "`", 1, -1, -1},
    {"abc", "xyz", 0, -1, 0},
    /* non-ASCII bytes are compared as is: no locale folding */
    {"\xc3\xa9", "\xc3\x89", 2, 1, 1},
    {"same\xff", "SAME\xff", 5, 0, 0},
};

static void check_ascii_cmp(void)
{
  size_t k;

  for (k = 0; k < sizeof(casecmp_cases) / sizeof(casecmp_cases[0]); k++) {
    const struct casecmp_case *c = &casecmp_cases[k];

    CHECK_INT(sign(wn_ascii_casecmp(c->a, c->b)), c->sign);
    CHECK_INT(sign(wn_ascii_casecmp(c->b, c->a)), -c->sign);
    CHECK_INT(sign(wn_ascii_ncasecmp(c->a, c->b, c->n)), c->nsign);
  }
}

struct casestr_case {
  const char *hay;
  size_t len;
  const char *needle;
  long at; /* -1: not found */
};

static const struct casestr_case casestr_cases[] = {
    {"Hello World", 11, "world", 6},
    {"Hello World", 11, "hello", 0},
    {"Hello World", 11, "o w", 4},
    {"Hello World", 11, "worlds", -1},
    {"Hello World", 10, "world", -1}, /* len cuts the match */
    {"abc", 3, "", 0},
    {"", 0, "", 0},
    {"", 0, "a", -1},
    {"abc", 3, "abcd", -1},
    {"aaab", 4, "aab", 1},
    {"xxApplication/LD+JSON", 22, "ld+json", 14},
    {"a\0bc", 4, "bc", 2}, /* a NUL in the haystack is a byte like any */
    {"abcdef", 3, "cd", -1},
};

static void check_ascii_casestr(void)
{
  size_t k;

  for (k = 0; k < sizeof(casestr_cases) / sizeof(casestr_cases[0]); k++) {
    const struct casestr_case *c = &casestr_cases[k];
    char *copy = malloc(c->len ? c->len : 1);
    const char *got;

    if (!copy)
      return;
    memcpy(copy, c->hay, c->len); /* no NUL after len: ASan sees reads */
    got = wn_ascii_casestr(copy, c->len, c->needle);
    if (c->at < 0)
      CHECK(got == NULL);
    else
      CHECK_INT(got ? got - copy : -1, c->at);
    free(copy);
  }
}

static void check_ascii_chars(void)
{
  int c;

  for (c = 0; c < 256; c++) {
    int space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                c == '\v';
    int lower = (c >= 'A' && c <= 'Z') ? c + 32 : c;

    CHECK_INT(wn_ascii_isspace(c), space);
    CHECK_INT(wn_ascii_tolower(c), lower);
  }
}

/* ---- number parsing ----------------------------------------------------- */

struct long_case {
  const char *s;
  wn_result rc;
  long want;
};

static const struct long_case long_cases[] = {
    {"0", WN_OK, 0},
    {"7", WN_OK, 7},
    {"-12", WN_OK, -12},
    {"+7", WN_OK, 7},
    {"000123", WN_OK, 123},
    {"2147483648", WN_OK, 2147483648L},
    {"", WN_E_PARSE, 0},
    {" 1", WN_E_PARSE, 0},
    {"1 ", WN_E_PARSE, 0},
    {"\t1", WN_E_PARSE, 0},
    {"12a", WN_E_PARSE, 0},
    {"a12", WN_E_PARSE, 0},
    {"1.5", WN_E_PARSE, 0},
    {"0x10", WN_E_PARSE, 0},
    {"-", WN_E_PARSE, 0},
    {"+", WN_E_PARSE, 0},
    {"--1", WN_E_PARSE, 0},
    {"1e3", WN_E_PARSE, 0},
    {"99999999999999999999999", WN_E_PARSE, 0},
    {"-99999999999999999999999", WN_E_PARSE, 0},
};

static void check_parse_long(void)
{
  size_t k;
  long v;
  char buf[64];

  for (k = 0; k < sizeof(long_cases) / sizeof(long_cases[0]); k++) {
    const struct long_case *c = &long_cases[k];
    wn_result rc;

    v = 12345;
    rc = wn_parse_long(c->s, &v);
    if (rc != c->rc)
      fprintf(stderr, "parse_long \"%s\"\n", c->s);
    CHECK_INT(rc, c->rc);
    /* the output is written only on success */
    CHECK_INT(v, rc == WN_OK ? c->want : 12345);
  }
  /* the limits of long, and one past them */
  snprintf(buf, sizeof(buf), "%ld", LONG_MAX);
  CHECK_INT(wn_parse_long(buf, &v), WN_OK);
  CHECK(v == LONG_MAX);
  snprintf(buf, sizeof(buf), "%ld", LONG_MIN);
  CHECK_INT(wn_parse_long(buf, &v), WN_OK);
  CHECK(v == LONG_MIN);
  snprintf(buf, sizeof(buf), "%lu", (unsigned long)LONG_MAX + 1);
  CHECK_INT(wn_parse_long(buf, &v), WN_E_PARSE);
  snprintf(buf, sizeof(buf), "-%lu", (unsigned long)LONG_MAX + 2);
  CHECK_INT(wn_parse_long(buf, &v), WN_E_PARSE);
  CHECK_INT(wn_parse_long(NULL, &v), WN_E_PARSE);
}

struct double_case {
  const char *s;
  wn_result rc;
  double want;
};

static const struct double_case double_cases[] = {
    {"1", WN_OK, 1.0},
    {"0", WN_OK, 0.0},
    {"0.5", WN_OK, 0.5},
    {"10.25", WN_OK, 10.25},
    {"007.125", WN_OK, 7.125},
    {"3.14159", WN_OK, 3.14159},
    {"123456789", WN_OK, 123456789.0},
    {"0.000001", WN_OK, 0.000001},
    {"", WN_E_PARSE, 0},
    {".", WN_E_PARSE, 0},
    {"-1", WN_E_PARSE, 0},
    {"+1", WN_E_PARSE, 0},
    {"1e3", WN_E_PARSE, 0},
    {"1.2.3", WN_E_PARSE, 0},
    {"abc", WN_E_PARSE, 0},
    {"1 ", WN_E_PARSE, 0},
    {" 1", WN_E_PARSE, 0},
    {"1,5", WN_E_PARSE, 0},
    {"nan", WN_E_PARSE, 0},
    {"inf", WN_E_PARSE, 0},
    {"0x1p3", WN_E_PARSE, 0},
    {"99999999999999999999999", WN_E_PARSE, 0},
    {"1"
     "000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000"
     "000000000000000000000000000000000000000000000000000000000000",
     WN_E_PARSE, 0},
};

static void check_parse_double(void)
{
  size_t k;

  for (k = 0; k < sizeof(double_cases) / sizeof(double_cases[0]); k++) {
    const struct double_case *c = &double_cases[k];
    double v = -42.0, diff;
    wn_result rc = wn_parse_double(c->s, &v);

    if (rc != c->rc)
      fprintf(stderr, "parse_double \"%.40s\"\n", c->s);
    CHECK_INT(rc, c->rc);
    if (rc == WN_OK) {
      diff = v - c->want;
      if (diff < 0)
        diff = -diff;
      CHECK(diff <= 1e-9 * (c->want > 1 ? c->want : 1));
    } else {
      CHECK(v == -42.0);
    }
  }
  CHECK_INT(wn_parse_double(NULL, NULL), WN_E_PARSE);
}

/* ---- result codes and errors -------------------------------------------- */

static void check_strerror(void)
{
  int r, s;
  const char *unknown = wn_strerror(WN_E__COUNT);

  CHECK(unknown != NULL);
  for (r = 0; r < WN_E__COUNT; r++) {
    const char *msg = wn_strerror((wn_result)r);

    CHECK(msg != NULL);
    if (!msg)
      continue;
    CHECK(msg[0] != '\0');
    /* every real code has its own text */
    CHECK(strcmp(msg, unknown) != 0);
    for (s = 0; s < r; s++)
      CHECK(strcmp(msg, wn_strerror((wn_result)s)) != 0);
  }
  CHECK(wn_strerror((wn_result)-1) != NULL);
  CHECK(wn_strerror((wn_result)1000) != NULL);
}

static void check_error(void)
{
  struct wn_error e;
  char long_arg[600];

  memset(&e, 0x55, sizeof(e));
  wn_error_clear(&e);
  CHECK_STR(e.message, "");
  CHECK_INT(e.line, 0);
  CHECK_INT(e.column, 0);
  CHECK_INT(e.offset, -1);
  e.line = 3;
  e.column = 7;
  e.offset = 42;
  wn_error_set(&e, "bad %s at %d", "thing", 9);
  CHECK_STR(e.message, "bad thing at 9");
  /* position fields are kept */
  CHECK_INT(e.line, 3);
  CHECK_INT(e.column, 7);
  CHECK_INT(e.offset, 42);
  /* a long message is cut, NUL-terminated */
  memset(long_arg, 'm', sizeof(long_arg) - 1);
  long_arg[sizeof(long_arg) - 1] = '\0';
  wn_error_set(&e, "%s", long_arg);
  CHECK_INT(strlen(e.message), sizeof(e.message) - 1);
  /* NULL is accepted */
  wn_error_clear(NULL);
  wn_error_set(NULL, "%d", 1);
}

int main(void)
{
  check_buf_caps();
  check_buf_growth();
  check_buf_reset_reserve();
  check_buf_printf();
  check_buf_steal();
  {
    int st = run_isolated(buf_unbounded);
    if (st != 0) {
      fprintf(stderr, "wn_buf with max SIZE_MAX: child exited %d\n", st);
      check_failures++;
    }
  }
  {
    int st = run_isolated(arena_unbounded);
    if (st != 0) {
      fprintf(stderr, "wn_arena with max SIZE_MAX: child exited %d\n", st);
      check_failures++;
    }
  }
  check_arena_alignment();
  check_arena_cap();
  check_arena_reset_reuse();
  check_arena_strings();
  check_arena_calloc();
  check_ascii_cmp();
  check_ascii_casestr();
  check_ascii_chars();
  check_parse_long();
  check_parse_double();
  check_strerror();
  check_error();
  return check_exit();
}
