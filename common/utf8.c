#include "common/common.h"

#include <string.h>

size_t wn_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
  const unsigned char *u = (const unsigned char *)s;
  uint32_t c = u[0], min;
  size_t n, i;

  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    c &= 0x1F;
    min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    c &= 0x0F;
    min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    c &= 0x07;
    min = 0x10000;
  } else {
    goto bad;
  }
  if (len < n)
    goto bad;
  for (i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80)
      goto bad;
    c = (c << 6) | (u[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    goto bad;
  *cp = c;
  return n;
bad:
  *cp = 0xFFFD;
  return 1;
}

size_t wn_utf8_encode(uint32_t cp, char *out)
{
  unsigned char *o = (unsigned char *)out;

  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Length of the valid prefix of s[0..len): a fast ASCII loop with the full
 * decoder only for multi-byte sequences. */
static size_t valid_prefix(const char *s, size_t len)
{
  size_t i = 0, n;
  uint32_t cp;

  while (i < len) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    n = wn_utf8_decode(s + i, len - i, &cp);
    if (cp == 0xFFFD && !(n == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
      return i;
    i += n;
  }
  return len;
}

int wn_utf8_valid(const char *s, size_t len)
{
  return valid_prefix(s, len) == len;
}

wn_result wn_utf8_sanitize(struct wn_buf *b, const char *s, size_t len)
{
  size_t ok;
  wn_result rc;

  while (len) {
    ok = valid_prefix(s, len);
    rc = wn_buf_add(b, s, ok);
    if (rc != WN_OK)
      return rc;
    s += ok;
    len -= ok;
    if (!len)
      break;
    /* One replacement per maximal invalid subpart would be WHATWG's rule;
     * one per byte is simpler and never passes bad bytes through. */
    rc = wn_buf_add(b, "\xEF\xBF\xBD", 3);
    if (rc != WN_OK)
      return rc;
    s++;
    len--;
  }
  return WN_OK;
}

size_t wn_utf8_prefix(const char *s, size_t len, size_t max)
{
  size_t n;

  if (len <= max)
    return len;
  n = max;
  /* Step back over continuation bytes to the start of a sequence: at most
   * three, so stray continuation bytes do not eat valid text. */
  while (n > 0 && max - n < 3 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return ((unsigned char)s[n] & 0xC0) == 0x80 ? max : n;
}
