/* common: result codes, growable buffer, arena, logging, string and UTF-8
 * helpers, simhash. No third-party dependencies.
 *
 * URL parsing and normalisation live in common/url.h, included here. */
#ifndef WN_COMMON_H
#define WN_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "common/limits.h"

#define WN_VERSION "0.1.0"
#define WN_PROJECT_URL "https://github.com/winnow-crawler/winnow"

#if defined(__GNUC__)
#define WN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define WN_PRINTF(f, a)
#endif

/* ---- result codes ---------------------------------------------------- */

typedef enum {
  WN_OK = 0,
  WN_E_NOMEM,       /* allocation failed or an arena hit its cap */
  WN_E_TOO_LARGE,   /* input or buffer over a limit of common/limits.h */
  WN_E_PARSE,       /* malformed input */
  WN_E_IO,          /* read/write/open failed (errno is kept) */
  WN_E_NET,         /* network error */
  WN_E_HTTP,        /* HTTP-level error */
  WN_E_DENIED,      /* refused by policy (robots.txt, scope, SSRF) */
  WN_E_RULE,        /* invalid rule file */
  WN_E_INVALID,     /* invalid argument */
  WN_E_CHARSET,     /* unknown or unsupported character set */
  WN_E_NOT_FOUND,   /* no such thing */
  WN_E_UNSUPPORTED, /* a feature this build lacks */
  WN_E__COUNT
} wn_result;

/* Static English text for a result code; never NULL. Thread-safe. */
const char *wn_strerror(wn_result r);

/* Detail of an error, filled by functions that take an optional
 * `struct wn_error *` (NULL is accepted everywhere and means "don't care").
 * line/column are 1-based, 0 when unknown; offset is -1 when unknown. */
struct wn_error {
  char message[256];
  int line;
  int column;
  long offset;
};

/* Reset err (NULL-safe). */
void wn_error_clear(struct wn_error *err);

/* Format a message into err (NULL-safe); keeps line/column/offset. */
void wn_error_set(struct wn_error *err, const char *fmt, ...) WN_PRINTF(2, 3);

/* ---- growable buffer ------------------------------------------------- */

/* A NUL-terminated growable byte buffer with a size cap (curl's dynbuf).
 * On any failure (allocation, cap) the buffer frees its memory and is left
 * empty, so the caller only reports the error. */
struct wn_buf {
  char *data; /* NULL until the first add; always NUL-terminated after it */
  size_t len;
  size_t cap;
  size_t max; /* most bytes the buffer may hold, excluding the NUL */
};

void wn_buf_init(struct wn_buf *b, size_t max);
void wn_buf_free(struct wn_buf *b);
/* Empty the buffer, keeping its allocation. */
void wn_buf_reset(struct wn_buf *b);
/* Returns WN_OK, WN_E_NOMEM or WN_E_TOO_LARGE. */
wn_result wn_buf_add(struct wn_buf *b, const void *p, size_t len);
wn_result wn_buf_addc(struct wn_buf *b, char c);
wn_result wn_buf_adds(struct wn_buf *b, const char *s);
wn_result wn_buf_printf(struct wn_buf *b, const char *fmt, ...) WN_PRINTF(2, 3);
/* Make sure `extra` more bytes fit without reallocating. */
wn_result wn_buf_reserve(struct wn_buf *b, size_t extra);
/* The contents ("" when empty); borrowed, valid until the next change. */
const char *wn_buf_str(const struct wn_buf *b);
/* Hand the allocation to the caller (free() it); the buffer is reset to
 * empty. Returns "" duplicated when empty, NULL on allocation failure. */
char *wn_buf_steal(struct wn_buf *b);

/* ---- arena ------------------------------------------------------------ */

/* A bump allocator for everything derived from one page. Allocations are
 * 16-byte aligned and freed together by wn_arena_reset/free. Not
 * thread-safe. */
struct wn_arena;

/* New arena that refuses to hold more than `max` bytes in all. NULL on
 * allocation failure. */
struct wn_arena *wn_arena_new(size_t max);
/* Free the arena and everything in it (NULL is a no-op). */
void wn_arena_free(struct wn_arena *a);
/* Drop every allocation; keeps one chunk for reuse. */
void wn_arena_reset(struct wn_arena *a);
/* NULL when the cap is reached or memory runs out. */
void *wn_arena_alloc(struct wn_arena *a, size_t size);
void *wn_arena_calloc(struct wn_arena *a, size_t n, size_t size);
/* Copy of s[0..len) plus a NUL; NULL on failure. */
char *wn_arena_strndup(struct wn_arena *a, const char *s, size_t len);
char *wn_arena_strdup(struct wn_arena *a, const char *s);
/* Bytes handed out since the last reset. */
size_t wn_arena_used(const struct wn_arena *a);
/* Set when an allocation was refused since the last reset. */
int wn_arena_failed(const struct wn_arena *a);

/* ---- logging ---------------------------------------------------------- */

typedef enum {
  WN_LOG_ERROR = 0,
  WN_LOG_WARN,
  WN_LOG_INFO,
  WN_LOG_DEBUG
} wn_log_level;

/* Messages above this level are dropped (default WN_LOG_WARN). */
void wn_log_set_level(wn_log_level level);
wn_log_level wn_log_get_level(void);
/* One line on stderr: "winnow: <message>". */
void wn_log(wn_log_level level, const char *fmt, ...) WN_PRINTF(2, 3);

/* ---- strings ---------------------------------------------------------- */

/* ASCII case-insensitive comparisons (locale-independent). */
int wn_ascii_casecmp(const char *a, const char *b);
int wn_ascii_ncasecmp(const char *a, const char *b, size_t n);
/* Find needle (lower-case ASCII) in hay[0..len), ignoring ASCII case. */
const char *wn_ascii_casestr(const char *hay, size_t len, const char *needle);
static inline int wn_ascii_isspace(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}
static inline int wn_ascii_tolower(int c)
{
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}
/* Parse a whole decimal long; WN_E_PARSE on junk or overflow. */
wn_result wn_parse_long(const char *s, long *out);
/* Parse a whole non-negative decimal double ("1", "0.5"). */
wn_result wn_parse_double(const char *s, double *out);

/* ---- UTF-8 ----------------------------------------------------------- */

/* 1 when s[0..len) is well-formed UTF-8 (no surrogates, no overlongs). */
int wn_utf8_valid(const char *s, size_t len);
/* Decode one code point at s (len > 0). Returns the bytes consumed (1..4)
 * and stores the code point, or U+FFFD and 1 for an invalid sequence. */
size_t wn_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the byte count. */
size_t wn_utf8_encode(uint32_t cp, char *out);
/* Append s[0..len) to b with every invalid sequence replaced by U+FFFD. */
wn_result wn_utf8_sanitize(struct wn_buf *b, const char *s, size_t len);
/* Longest prefix of s[0..len) of at most max bytes that does not cut a
 * UTF-8 sequence. */
size_t wn_utf8_prefix(const char *s, size_t len, size_t max);

/* ---- fingerprints ----------------------------------------------------- */

/* 64-bit simhash of the words of a UTF-8 text (case-folded for ASCII,
 * 3-word shingles, FNV-1a features). 0 for a text without words. */
uint64_t wn_simhash64(const char *text, size_t len);
/* Number of differing bits. */
int wn_hamming64(uint64_t a, uint64_t b);
/* A fast 64-bit hash of bytes (change detection, not cryptographic). */
uint64_t wn_hash64(const void *p, size_t len);

/* Simhash votes, for hashes of one's own features: add 64-bit feature
 * hashes, then the result has a bit set where more than half of them had
 * it. */
struct wn_votes {
  uint64_t lanes[16];
  uint32_t total[64];
  uint32_t pending, n;
};
void wn_votes_init(struct wn_votes *v);
void wn_votes_add(struct wn_votes *v, uint64_t feature);
uint64_t wn_votes_result(struct wn_votes *v);
/* The index of the value of v[0..n) nearest to x in Hamming distance (the
 * first of equals), with *dist set; n when none is within limit bits. */
size_t wn_hamming_nearest(const uint64_t *v, size_t n, uint64_t x, int limit,
                          int *dist);

#include "common/url.h"

#endif
