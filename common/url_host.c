/* Host canonicalisation for URLs of special schemes (WHATWG host parser):
 * IPv6 literals, percent-decoding, a subset of UTS #46 mapping, RFC 3492
 * punycode and IPv4 in its legacy spellings. See wn_url_host_normalize in
 * common/url.h. */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a canonical host: punycode can be longer than its UTF-8. */
#define HOST_WORK_MAX (4u * WN_MAX_URL_BYTES)

/* RFC 3492 section 5 parameters. */
#define PUNY_BASE 36u
#define PUNY_TMIN 1u
#define PUNY_TMAX 26u
#define PUNY_SKEW 38u
#define PUNY_DAMP 700u
#define PUNY_INITIAL_BIAS 72u
#define PUNY_INITIAL_N 128u

static int hex_digit(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = wn_ascii_tolower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static int is_digit(int c)
{
  return c >= '0' && c <= '9';
}

/* ---- IPv6 ------------------------------------------------------------- */

/* Parse the dotted-quad tail of an IPv6 literal ("::ffff:1.2.3.4") into
 * a[0] and a[1]. 0, or -1 unless it is exactly four decimal numbers 0..255
 * without leading zeros. */
static int ipv6_v4_tail(const char *s, size_t n, uint16_t *a)
{
  size_t i = 0;
  int seen = 0, part;

  while (i < n) {
    if (seen > 0) {
      if (s[i] != '.' || seen == 4)
        return -1;
      i++;
    }
    if (i >= n || !is_digit(s[i]))
      return -1;
    for (part = -1; i < n && is_digit(s[i]); i++) {
      if (part == 0)
        return -1;
      part = (part < 0 ? 0 : part * 10) + (s[i] - '0');
      if (part > 255)
        return -1;
    }
    a[seen / 2] = (uint16_t)(a[seen / 2] * 0x100 + part);
    seen++;
  }
  return seen == 4 ? 0 : -1;
}

/* Parse the inside of "[...]" into eight pieces, following the WHATWG
 * IPv6 parser step by step (no zone identifiers). 0 or -1. */
static int ipv6_parse(const char *s, size_t n, uint16_t a[8])
{
  size_t i = 0;
  int piece = 0, compress = -1, len, swaps;
  unsigned value;
  uint16_t tmp;

  memset(a, 0, 8 * sizeof(a[0]));
  if (n > 0 && s[0] == ':') {
    if (n < 2 || s[1] != ':')
      return -1;
    i = 2;
    compress = piece = 1;
  }
  while (i < n) {
    if (piece == 8)
      return -1;
    if (s[i] == ':') {
      if (compress >= 0)
        return -1;
      i++;
      compress = ++piece;
      continue;
    }
    value = 0;
    for (len = 0; len < 4 && i < n && hex_digit(s[i]) >= 0; len++, i++)
      value = value * 16 + (unsigned)hex_digit(s[i]);
    if (i < n && s[i] == '.') {
      if (len == 0 || piece > 6 ||
          ipv6_v4_tail(s + i - len, n - (i - (size_t)len), a + piece))
        return -1;
      piece += 2;
      break;
    }
    if (i < n && s[i] == ':') {
      if (++i >= n)
        return -1;
    } else if (i < n) {
      return -1;
    }
    a[piece++] = (uint16_t)value;
  }
  if (compress >= 0) {
    swaps = piece - compress;
    for (piece = 7; piece != 0 && swaps > 0; piece--, swaps--) {
      tmp = a[piece];
      a[piece] = a[compress + swaps - 1];
      a[compress + swaps - 1] = tmp;
    }
  } else if (piece != 8) {
    return -1;
  }
  return 0;
}

/* Append "[...]" in RFC 5952 form: lower-case hex, the first longest run
 * of two or more zero pieces as "::", no embedded IPv4. */
static wn_result ipv6_serialize(const uint16_t a[8], struct wn_buf *b)
{
  int best = -1, best_len = 1, i, j;
  wn_result rc;

  for (i = 0; i < 8; i = j + 1) {
    for (j = i; j < 8 && a[j] == 0; j++)
      ;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
  }
  rc = wn_buf_addc(b, '[');
  for (i = 0; i < 8 && rc == WN_OK; i++) {
    if (i == best) {
      rc = wn_buf_adds(b, i == 0 ? "::" : ":");
      i += best_len - 1;
      continue;
    }
    rc = wn_buf_printf(b, i < 7 ? "%x:" : "%x", (unsigned)a[i]);
  }
  if (rc == WN_OK)
    rc = wn_buf_addc(b, ']');
  return rc;
}

/* ---- IPv4 ------------------------------------------------------------- */

/* One part of a WHATWG IPv4 address: decimal, "0x" hex or "0"-prefixed
 * octal. Values above 2^32 - 1 saturate at 2^32, which every caller
 * rejects. 0, or -1 when s is not a number. */
static int ipv4_number(const char *s, size_t n, uint64_t *out)
{
  unsigned radix = 10;
  uint64_t v = 0;
  int d;

  if (n == 0)
    return -1;
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    radix = 16;
    s += 2;
    n -= 2;
  } else if (n >= 2 && s[0] == '0') {
    radix = 8;
    s++;
    n--;
  }
  for (; n > 0; s++, n--) {
    d = hex_digit((unsigned char)*s);
    if (d < 0 || (unsigned)d >= radix)
      return -1;
    v = v * radix + (unsigned)d;
    if (v > 0xFFFFFFFFu)
      v = 0x100000000u;
  }
  *out = v;
  return 0;
}

/* WHATWG "ends in a number": the last label (ignoring one trailing dot)
 * is all digits or a valid IPv4 number, so the host must be an IPv4
 * address. */
static int ends_in_number(const char *s, size_t n)
{
  size_t start, i;
  uint64_t v;

  if (n == 0)
    return 0;
  if (s[n - 1] == '.')
    n--;
  for (start = n; start > 0 && s[start - 1] != '.'; start--)
    ;
  if (start == n)
    return 0;
  for (i = start; i < n; i++)
    if (!is_digit(s[i]))
      return ipv4_number(s + start, n - start, &v) == 0;
  return 1;
}

/* Parse a WHATWG IPv4 address: one to four parts, the last filling the
 * remaining bytes ("127.1", "0x7f000001"). 0 or -1. */
static int ipv4_parse(const char *s, size_t n, uint32_t *out)
{
  uint64_t parts[4], v = 0;
  size_t start = 0, i, n_parts = 0;

  if (n > 0 && s[n - 1] == '.')
    n--;
  for (i = 0; i <= n; i++) {
    if (i < n && s[i] != '.')
      continue;
    if (n_parts == 4 || ipv4_number(s + start, i - start, &parts[n_parts]))
      return -1;
    n_parts++;
    start = i + 1;
  }
  for (i = 0; i + 1 < n_parts; i++) {
    if (parts[i] > 255)
      return -1;
    v |= parts[i] << (8 * (3 - i));
  }
  if (parts[n_parts - 1] >= (uint64_t)1 << (8 * (5 - n_parts)))
    return -1;
  *out = (uint32_t)(v + parts[n_parts - 1]);
  return 0;
}

/* ---- domains ---------------------------------------------------------- */

/* The one-to-two mappings of map_cp: İ, Ĳ, ĳ, Ŀ, ŀ, ŉ, ẞ. */
static int map_pair(uint32_t c, uint32_t m[2])
{
  static const uint32_t pairs[][3] = {{0x130, 'i', 0x307}, {0x132, 'i', 'j'},
                                      {0x133, 'i', 'j'},   {0x13F, 'l', 0xB7},
                                      {0x140, 'l', 0xB7},  {0x149, 0x2BC, 'n'},
                                      {0x1E9E, 's', 's'}};
  size_t i;

  for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
    if (pairs[i][0] == c) {
      m[0] = pairs[i][1];
      m[1] = pairs[i][2];
      return 1;
    }
  }
  return 0;
}

/* Map one code point the way UTS #46 (non-transitional) does, for the
 * scripts a crawler meets most: ASCII, Latin-1, Latin Extended-A and
 * Additional (Vietnamese), Greek, Cyrillic, Armenian, full-width forms,
 * ideographic full stops and default-ignorables. Other code points pass
 * unchanged (no NFC). Returns how many code points were stored in m (0
 * when ignored), or -1 for a disallowed one. */
static int map_cp(uint32_t c, uint32_t m[2])
{
  m[0] = c;
  if (c < 0x80) {
    m[0] = (uint32_t)wn_ascii_tolower((int)c);
    return 1;
  }
  if (c == 0xAD || c == 0x34F || (c >= 0x180B && c <= 0x180D) || c == 0x200B ||
      c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
      (c >= 0xE0100 && c <= 0xE01EF))
    return 0;
  /* C1 controls, no-break space, bidi controls, surrogates, private use,
   * noncharacters, unassigned planes 4-13, tags. */
  if (c < 0xA1 || c == 0xFFFD || (c >= 0xFDD0 && c <= 0xFDEF) ||
      (c & 0xFFFE) == 0xFFFE || (c >= 0x200E && c <= 0x200F) ||
      (c >= 0x2028 && c <= 0x202E) || (c >= 0xD800 && c <= 0xF8FF) ||
      c >= 0x40000)
    return -1;
  if (c == 0x3002 || c == 0xFF0E || c == 0xFF61)
    m[0] = '.';
  else if (c >= 0xFF01 && c <= 0xFF5E)
    return map_cp(c - 0xFEE0, m);
  else if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
           (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
           (c >= 0x410 && c <= 0x42F))
    m[0] = c + 0x20;
  else if (c >= 0x400 && c <= 0x40F)
    m[0] = c + 0x50;
  else if (c >= 0x531 && c <= 0x556)
    m[0] = c + 0x30;
  else if (c == 0x386 || c == 0x38C)
    m[0] = c == 0x386 ? 0x3AC : 0x3CC;
  else if (c >= 0x388 && c <= 0x38A)
    m[0] = c + 0x25;
  else if (c == 0x38E || c == 0x38F)
    m[0] = c + 0x3F;
  else if (c == 0x178)
    m[0] = 0xFF;
  else if (c == 0x17F)
    m[0] = 's';
  else if (map_pair(c, m))
    return 2;
  else if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
            (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
            (c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) &&
           !(c & 1))
    m[0] = c + 1;
  else if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) &&
           (c & 1))
    m[0] = c + 1;
  return 1;
}

/* Decode the UTF-8 s[0..n) and map it into cps (room for n code points,
 * enough since no mapping outgrows its UTF-8). WN_E_PARSE for invalid
 * UTF-8 or a disallowed code point. */
static wn_result map_domain(const char *s, size_t n, uint32_t *cps,
                            size_t *n_cps)
{
  size_t i = 0, k = 0, used;
  uint32_t cp, m[2];
  int got, j;

  while (i < n) {
    used = wn_utf8_decode(s + i, n - i, &cp);
    got = map_cp(cp, m);
    if (got < 0 || k + (size_t)got > n)
      return WN_E_PARSE;
    for (j = 0; j < got; j++)
      cps[k++] = m[j];
    i += used;
  }
  *n_cps = k;
  return WN_OK;
}

static char puny_digit(uint32_t d)
{
  return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

/* RFC 3492 section 6.1. */
static uint32_t puny_adapt(uint32_t delta, uint32_t n_points, int first)
{
  uint32_t k = 0;

  delta = first ? delta / PUNY_DAMP : delta / 2;
  delta += delta / n_points;
  while (delta > ((PUNY_BASE - PUNY_TMIN) * PUNY_TMAX) / 2) {
    delta /= PUNY_BASE - PUNY_TMIN;
    k += PUNY_BASE;
  }
  return k + (PUNY_BASE - PUNY_TMIN + 1) * delta / (delta + PUNY_SKEW);
}

/* Append the variable-length integer q with the current bias. */
static wn_result puny_add_int(struct wn_buf *b, uint32_t q, uint32_t bias)
{
  uint32_t k, t;
  wn_result rc;

  for (k = PUNY_BASE;; k += PUNY_BASE) {
    t = k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias;
    if (q < t)
      break;
    rc = wn_buf_addc(b, puny_digit(t + (q - t) % (PUNY_BASE - t)));
    if (rc != WN_OK)
      return rc;
    q = (q - t) / (PUNY_BASE - t);
  }
  return wn_buf_addc(b, puny_digit(q));
}

/* Append the punycode of cps[0..len) (RFC 3492 section 6.3, without the
 * "xn--" prefix). WN_E_PARSE on arithmetic overflow. */
static wn_result puny_encode(const uint32_t *cps, size_t len, struct wn_buf *b)
{
  uint32_t n = PUNY_INITIAL_N, delta = 0, bias = PUNY_INITIAL_BIAS, m;
  size_t h, basic = 0, i;
  wn_result rc = WN_OK;

  for (i = 0; i < len && rc == WN_OK; i++)
    if (cps[i] < 0x80 && (rc = wn_buf_addc(b, (char)cps[i])) == WN_OK)
      basic++;
  if (rc == WN_OK && basic > 0)
    rc = wn_buf_addc(b, '-');
  for (h = basic; h < len && rc == WN_OK; delta++, n++) {
    for (m = UINT32_MAX, i = 0; i < len; i++)
      if (cps[i] >= n && cps[i] < m)
        m = cps[i];
    if ((m - n) > (UINT32_MAX - delta) / (h + 1))
      return WN_E_PARSE;
    delta += (m - n) * (uint32_t)(h + 1);
    n = m;
    for (i = 0; i < len && rc == WN_OK; i++) {
      if (cps[i] < n && ++delta == 0)
        return WN_E_PARSE;
      if (cps[i] != n)
        continue;
      rc = puny_add_int(b, delta, bias);
      bias = puny_adapt(delta, (uint32_t)(h + 1), h == basic);
      delta = 0;
      h++;
    }
  }
  return rc;
}

/* WHATWG forbidden domain code points, for ASCII c. */
static int forbidden_domain_cp(uint32_t c)
{
  return c <= 0x20 || c == 0x7F || strchr("#%/:<>?@[\\]^|", (int)c);
}

/* Value of a punycode digit, -1 for another character. */
static int puny_value(uint32_t c)
{
  if (c >= '0' && c <= '9')
    return (int)(c - '0' + 26);
  c = (uint32_t)wn_ascii_tolower((int)c);
  return c >= 'a' && c <= 'z' ? (int)(c - 'a') : -1;
}

/* Decode the punycode in[0..len) into out (room for len code points,
 * enough as each one costs an input character) (RFC 3492 section 6.2).
 * -1 on malformed input or overflow. */
static int puny_decode(const uint32_t *in, size_t len, uint32_t *out,
                       size_t *n_out)
{
  uint32_t n = PUNY_INITIAL_N, i = 0, bias = PUNY_INITIAL_BIAS, old, w, k, t;
  size_t basic = 0, pos, j, k_out = 0;
  int d;

  for (j = 0; j < len; j++)
    if (in[j] == '-')
      basic = j;
  for (j = 0; j < basic; j++)
    out[k_out++] = in[j];
  for (pos = basic ? basic + 1 : 0; pos < len; i++) {
    for (old = i, w = 1, k = PUNY_BASE;; k += PUNY_BASE) {
      if (pos >= len || (d = puny_value(in[pos++])) < 0 ||
          (uint32_t)d > (UINT32_MAX - i) / w)
        return -1;
      i += (uint32_t)d * w;
      t = k <= bias ? PUNY_TMIN : k >= bias + PUNY_TMAX ? PUNY_TMAX : k - bias;
      if ((uint32_t)d < t)
        break;
      if (w > UINT32_MAX / (PUNY_BASE - t))
        return -1;
      w *= PUNY_BASE - t;
    }
    bias = puny_adapt(i - old, (uint32_t)(k_out + 1), old == 0);
    if (i / (k_out + 1) > 0x10FFFF - n || k_out == len)
      return -1;
    n += i / (uint32_t)(k_out + 1);
    i %= (uint32_t)(k_out + 1);
    memmove(out + i + 1, out + i, (k_out - i) * sizeof(*out));
    out[i] = n;
    k_out++;
  }
  *n_out = k_out;
  return 0;
}

/* UTS #46 check of an ASCII "xn--" label: it must decode, hold some
 * non-ASCII, and be in mapped form already. 0 or -1. */
static int check_ace_label(const uint32_t *cps, size_t n)
{
  uint32_t *dec, m[2];
  size_t n_dec = 0, i;
  int ok, non_ascii = 0;

  dec = malloc(n * sizeof(*dec));
  if (!dec)
    return -1;
  ok = puny_decode(cps + 4, n - 4, dec, &n_dec) == 0;
  for (i = 0; ok && i < n_dec; i++) {
    non_ascii |= dec[i] >= 0x80;
    ok = dec[i] != '.' && map_cp(dec[i], m) == 1 && m[0] == dec[i] &&
         !(dec[i] < 0x80 && forbidden_domain_cp(dec[i]));
  }
  free(dec);
  return ok && non_ascii ? 0 : -1;
}

/* Append one mapped label: as is when ASCII, else "xn--" + punycode. */
static wn_result add_label(const uint32_t *cps, size_t n, struct wn_buf *b)
{
  size_t i;
  int ascii = 1;
  wn_result rc = WN_OK;

  for (i = 0; i < n; i++) {
    if (cps[i] < 0x80 && forbidden_domain_cp(cps[i]))
      return WN_E_PARSE;
    if (cps[i] >= 0x80)
      ascii = 0;
  }
  if (n >= 4 && cps[0] == 'x' && cps[1] == 'n' && cps[2] == '-' &&
      cps[3] == '-' && (!ascii || check_ace_label(cps, n)))
    return WN_E_PARSE;
  if (!ascii) {
    rc = wn_buf_adds(b, "xn--");
    return rc == WN_OK ? puny_encode(cps, n, b) : rc;
  }
  for (i = 0; i < n && rc == WN_OK; i++)
    rc = wn_buf_addc(b, (char)cps[i]);
  return rc;
}

/* UTS #46 ToASCII (the subset of map_cp) of the UTF-8 s[0..n). */
static wn_result domain_to_ascii(const char *s, size_t n, struct wn_buf *b)
{
  uint32_t *cps;
  size_t n_cps = 0, i, start = 0;
  wn_result rc;

  cps = malloc((n ? n : 1) * sizeof(*cps));
  if (!cps)
    return WN_E_NOMEM;
  rc = map_domain(s, n, cps, &n_cps);
  for (i = 0; i <= n_cps && rc == WN_OK; i++) {
    if (i < n_cps && cps[i] != '.')
      continue;
    rc = add_label(cps + start, i - start, b);
    if (rc == WN_OK && i < n_cps)
      rc = wn_buf_addc(b, '.');
    start = i + 1;
  }
  free(cps);
  return rc;
}

/* Percent-decode s[0..n) into b; a '%' without two hex digits stays. */
static wn_result pct_decode(const char *s, size_t n, struct wn_buf *b)
{
  size_t i;
  wn_result rc = WN_OK;
  int hi, lo;

  for (i = 0; i < n && rc == WN_OK; i++) {
    if (s[i] == '%' && n - i > 2 &&
        (hi = hex_digit((unsigned char)s[i + 1])) >= 0 &&
        (lo = hex_digit((unsigned char)s[i + 2])) >= 0) {
      rc = wn_buf_addc(b, (char)(hi * 16 + lo));
      i += 2;
    } else {
      rc = wn_buf_addc(b, s[i]);
    }
  }
  return rc;
}

/* ---- public ----------------------------------------------------------- */

/* Canonical host of a special-scheme URL into b (see url.h). */
static wn_result host_canon(const char *host, size_t len, struct wn_buf *b)
{
  struct wn_buf dec;
  uint16_t a6[8];
  uint32_t v4;
  wn_result rc;

  if (host[0] == '[') {
    if (len < 2 || host[len - 1] != ']' || ipv6_parse(host + 1, len - 2, a6))
      return WN_E_PARSE;
    return ipv6_serialize(a6, b);
  }
  wn_buf_init(&dec, len);
  rc = pct_decode(host, len, &dec);
  if (rc == WN_OK)
    rc = domain_to_ascii(wn_buf_str(&dec), dec.len, b);
  wn_buf_free(&dec);
  if (rc != WN_OK)
    return rc;
  if (b->len == 0)
    return WN_E_PARSE;
  if (!ends_in_number(b->data, b->len))
    return WN_OK;
  if (ipv4_parse(b->data, b->len, &v4))
    return WN_E_PARSE;
  wn_buf_reset(b);
  return wn_buf_printf(b, "%u.%u.%u.%u", (unsigned)(v4 >> 24),
                       (unsigned)(v4 >> 16) & 255u, (unsigned)(v4 >> 8) & 255u,
                       (unsigned)v4 & 255u);
}

wn_result wn_url_host_normalize(const char *host, size_t len,
                                struct wn_buf *out)
{
  struct wn_buf b;
  wn_result rc;

  if (!host || !out)
    return WN_E_INVALID;
  if (len == 0)
    return WN_E_PARSE;
  if (len > WN_MAX_URL_BYTES)
    return WN_E_TOO_LARGE;
  wn_buf_init(&b, HOST_WORK_MAX);
  rc = host_canon(host, len, &b);
  if (rc == WN_OK)
    rc = wn_buf_add(out, wn_buf_str(&b), b.len);
  wn_buf_free(&b);
  return rc;
}
