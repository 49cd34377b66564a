/* The HTML <meta> prescan: the encoding a page declares in its first
 * bytes. Split from charset.c. */
#include "extract/charset_int.h"

#include <string.h>

struct span {
  const char *p;
  size_t len;
};

static int span_eq(struct span s, const char *lower)
{
  size_t n = strlen(lower);

  return s.len == n && wn_ascii_ncasecmp(s.p, lower, n) == 0;
}

/* The charset named in a Content-Type style value ("text/html;
 * charset=koi8-r"), following HTML's "extracting a character encoding from
 * a meta element". NULL when there is none or it is unknown. */
const struct encoding *charset_from_content(const char *s, size_t len)
{
  const char *hit;
  size_t i = 0, j, start;
  char q;

  for (;;) {
    hit = wn_ascii_casestr(s + i, len - i, "charset");
    if (!hit)
      return NULL;
    j = (size_t)(hit - s) + 7;
    while (j < len && charset_is_space((unsigned char)s[j]))
      j++;
    if (j < len && s[j] == '=')
      break;
    i = j;
  }
  j++;
  while (j < len && charset_is_space((unsigned char)s[j]))
    j++;
  if (j >= len)
    return NULL;
  if (s[j] == '"' || s[j] == '\'') {
    q = s[j];
    start = ++j;
    while (j < len && s[j] != q)
      j++;
    if (j >= len)
      return NULL; /* unmatched quote */
    return charset_label_find(s + start, j - start);
  }
  start = j;
  while (j < len && !charset_is_space((unsigned char)s[j]) && s[j] != ';')
    j++;
  return charset_label_find(s + start, j - start);
}

enum { ATTR_END = 0, ATTR_FOUND = 1, ATTR_EOF = -1 };

/* HTML's "get an attribute" on s[*pos..end). Names and values are spans of
 * the input (case is ignored when comparing them). ATTR_END at '>', with
 * *pos on it; ATTR_EOF when the window ends first (the prescan stops). */
static int get_attr(const char *s, size_t end, size_t *pos, struct span *name,
                    struct span *value)
{
  size_t i = *pos, start;
  int c, q;

  for (;; i++) {
    if (i >= end)
      return ATTR_EOF;
    c = (unsigned char)s[i];
    if (!charset_is_space(c) && c != '/')
      break;
  }
  if (c == '>') {
    *pos = i;
    return ATTR_END;
  }
  name->p = s + i;
  name->len = 0;
  value->p = s + i;
  value->len = 0;
  for (;; i++) {
    if (i >= end)
      return ATTR_EOF;
    c = (unsigned char)s[i];
    if (c == '=' && name->len > 0) {
      i++;
      goto value;
    }
    if (charset_is_space(c))
      break;
    if (c == '/' || c == '>') {
      *pos = i;
      return ATTR_FOUND;
    }
    name->len++;
  }
  for (;; i++) {
    if (i >= end)
      return ATTR_EOF;
    if (!charset_is_space((unsigned char)s[i]))
      break;
  }
  if (s[i] != '=') {
    *pos = i;
    return ATTR_FOUND;
  }
  i++;
value:
  for (;; i++) {
    if (i >= end)
      return ATTR_EOF;
    if (!charset_is_space((unsigned char)s[i]))
      break;
  }
  c = (unsigned char)s[i];
  if (c == '"' || c == '\'') {
    q = c;
    start = ++i;
    for (;; i++) {
      if (i >= end)
        return ATTR_EOF;
      if ((unsigned char)s[i] == q)
        break;
    }
    value->p = s + start;
    value->len = i - start;
    *pos = i + 1;
    return ATTR_FOUND;
  }
  if (c == '>') {
    *pos = i;
    return ATTR_FOUND;
  }
  start = i;
  for (;; i++) {
    if (i >= end)
      return ATTR_EOF;
    c = (unsigned char)s[i];
    if (charset_is_space(c) || c == '>')
      break;
  }
  value->p = s + start;
  value->len = i - start;
  *pos = i;
  return ATTR_FOUND;
}

/* The attributes of one <meta>, from *pos (just past "<meta") to its '>'.
 * Returns ATTR_FOUND with *enc set when it declares a known encoding,
 * ATTR_END when it declares none, ATTR_EOF when the window ends. */
static int meta_charset(const char *s, size_t end, size_t *pos,
                        const struct encoding **enc)
{
  struct span name, value;
  const struct encoding *found = NULL;
  int seen_equiv = 0, seen_content = 0, seen_charset = 0;
  int got_pragma = 0, need_pragma = -1, have = 0, r;

  /* have: 0 no charset yet, 1 known, -1 an unknown charset= (which also
   * stops a later content= from counting, as in HTML). */
  while ((r = get_attr(s, end, pos, &name, &value)) == ATTR_FOUND) {
    if (span_eq(name, "http-equiv")) {
      if (seen_equiv++)
        continue;
      if (span_eq(value, "content-type"))
        got_pragma = 1;
    } else if (span_eq(name, "content")) {
      if (seen_content++ || have)
        continue;
      found = charset_from_content(value.p, value.len);
      if (found) {
        have = 1;
        need_pragma = 1;
      }
    } else if (span_eq(name, "charset")) {
      if (seen_charset++)
        continue;
      found = charset_label_find(value.p, value.len);
      have = found ? 1 : -1;
      need_pragma = 0;
    }
  }
  if (r == ATTR_EOF)
    return ATTR_EOF;
  if (need_pragma < 0 || (need_pragma && !got_pragma) || have != 1)
    return ATTR_END;
  /* A page whose bytes were readable as ASCII cannot be UTF-16. */
  *enc = (found->flags & ENC_UTF16) ? charset_utf8 : found;
  return ATTR_FOUND;
}

static int is_alpha(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* HTML's prescan of s[0..end) for a declared encoding: comments are
 * skipped, attributes of other tags are stepped over (so a "<meta" inside
 * an attribute value does not count), and anything cut off by the end of
 * the window is ignored. */
const struct encoding *charset_prescan(const char *s, size_t end)
{
  const struct encoding *enc = NULL;
  struct span name, value;
  const char *p;
  size_t i = 0;
  int r;

  while (i < end) {
    if (s[i] != '<') {
      p = memchr(s + i, '<', end - i);
      if (!p)
        return NULL;
      i = (size_t)(p - s);
    }
    if (end - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
      /* The dashes of "<!--" may end it too: "<!-->" is a comment. */
      for (i += 2; i + 2 < end; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
          break;
      if (i + 2 >= end)
        return NULL;
      i += 3;
      continue;
    }
    if (end - i >= 6 && wn_ascii_ncasecmp(s + i, "<meta", 5) == 0 &&
        (charset_is_space((unsigned char)s[i + 5]) || s[i + 5] == '/')) {
      i += 5;
      r = meta_charset(s, end, &i, &enc);
      if (r == ATTR_EOF)
        return NULL;
      if (r == ATTR_FOUND)
        return enc;
      i++; /* past the '>' */
      continue;
    }
    if (end - i >= 2 && (is_alpha((unsigned char)s[i + 1]) ||
                         (s[i + 1] == '/' && end - i >= 3 &&
                          is_alpha((unsigned char)s[i + 2])))) {
      /* Another tag: skip its name, then its attributes. */
      while (i < end && !charset_is_space((unsigned char)s[i]) && s[i] != '>')
        i++;
      do {
        r = get_attr(s, end, &i, &name, &value);
      } while (r == ATTR_FOUND);
      if (r == ATTR_EOF)
        return NULL;
      i++;
      continue;
    }
    if (end - i >= 2 &&
        (s[i + 1] == '!' || s[i + 1] == '/' || s[i + 1] == '?')) {
      p = memchr(s + i + 2, '>', end - i - 2);
      if (!p)
        return NULL;
      i = (size_t)(p - s) + 1;
      continue;
    }
    i++;
  }
  return NULL;
}
