/* Internals shared by charset.c, charset_label.c and charset_prescan.c. */
#ifndef WN_CHARSET_INT_H
#define WN_CHARSET_INT_H

#include "extract/extract_int.h"

enum {
  ENC_ASCII = 1, /* bytes 0x00-0x7F decode to themselves, no state */
  ENC_UTF16 = 2, /* two-byte code units */
  ENC_LEGACY = 4 /* neither UTF-8 nor UTF-16: mislabel override applies */
};

struct encoding {
  const char *name;  /* canonical (WHATWG name, lower case) */
  const char *iconv; /* glibc iconv name; NULL: decoded here */
  unsigned flags;
};

extern const struct encoding *const charset_utf8;
extern const struct encoding *const charset_w1252;
extern const struct encoding *const charset_utf16le;
extern const struct encoding *const charset_utf16be;

/* HTML's ASCII whitespace. */
int charset_is_space(int c);
/* The encoding a label names (WHATWG labels, case-insensitive, spaces and
 * quotes trimmed), or NULL. */
const struct encoding *charset_label_find(const char *label, size_t len);
/* The charset= of a Content-Type value ("text/html; charset=utf-8"), or
 * NULL. */
const struct encoding *charset_from_content(const char *s, size_t len);
/* The encoding declared by <meta> in s[0..end), or NULL. */
const struct encoding *charset_prescan(const char *s, size_t end);

#endif
