#include "common/common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int wn_ascii_casecmp(const char *a, const char *b)
{
  int ca, cb;

  do {
    ca = wn_ascii_tolower((unsigned char)*a++);
    cb = wn_ascii_tolower((unsigned char)*b++);
  } while (ca && ca == cb);
  return ca - cb;
}

int wn_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
  int ca = 0, cb = 0;

  while (n--) {
    ca = wn_ascii_tolower((unsigned char)*a++);
    cb = wn_ascii_tolower((unsigned char)*b++);
    if (!ca || ca != cb)
      break;
  }
  return ca - cb;
}

const char *wn_ascii_casestr(const char *hay, size_t len, const char *needle)
{
  size_t n = strlen(needle), i, j;

  if (n == 0)
    return hay;
  if (n > len)
    return NULL;
  for (i = 0; i + n <= len; i++) {
    if (wn_ascii_tolower((unsigned char)hay[i]) != needle[0])
      continue;
    for (j = 1; j < n; j++)
      if (wn_ascii_tolower((unsigned char)hay[i + j]) != needle[j])
        break;
    if (j == n)
      return hay + i;
  }
  return NULL;
}

wn_result wn_parse_long(const char *s, long *out)
{
  char *end;
  long v;

  if (!s || !*s || wn_ascii_isspace((unsigned char)*s))
    return WN_E_PARSE;
  errno = 0;
  v = strtol(s, &end, 10);
  if (errno || *end)
    return WN_E_PARSE;
  *out = v;
  return WN_OK;
}

wn_result wn_parse_double(const char *s, double *out)
{
  double v = 0, scale = 1;
  int digits = 0;

  if (!s)
    return WN_E_PARSE;
  for (; *s >= '0' && *s <= '9'; s++, digits++) {
    v = v * 10 + (*s - '0');
    if (v > 1e15)
      return WN_E_PARSE;
  }
  if (*s == '.') {
    for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
      scale /= 10;
      v += (*s - '0') * scale;
    }
  }
  if (!digits || *s)
    return WN_E_PARSE;
  *out = v;
  return WN_OK;
}
