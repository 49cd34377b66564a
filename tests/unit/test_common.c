/* Unit tests for common/: wn_buf, wn_arena, ASCII helpers, number parsing,
 * UTF-8, simhash, result codes and wn_error. */
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
  check_utf8_valid();
  check_utf8_decode();
  check_utf8_roundtrip();
  check_utf8_sanitize();
  check_utf8_prefix();
  check_simhash();
  check_hamming();
  check_strerror();
  check_error();
  return check_exit();
}
