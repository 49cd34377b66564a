/* Page bytes -> UTF-8: encoding labels, BOM sniffing, the HTML <meta>
 * prescan, UTF-8 detection and conversion (built-in windows-1252, glibc
 * iconv for the rest).
 *
 * Choices worth knowing:
 * - windows-1252 is decoded by a built-in table, not iconv: it is the most
 *   common legacy encoding and the fallback for everything, so the fallback
 *   itself can never fail. Its five undefined bytes (0x81 0x8D 0x8F 0x90
 *   0x9D) become U+FFFD, as glibc's CP1252 treats them as invalid; WHATWG
 *   would map them to C1 controls, which carry no text either.
 * - Invalid UTF-8 is replaced one U+FFFD per maximal subpart (WHATWG's
 *   rule: "\xE2\x82A" -> U+FFFD "A", not two U+FFFD).
 * - U+0000 never reaches the output (it becomes U+FFFD): later stages use
 *   C strings.
 * - A page cut inside its last UTF-8 sequence (WN_MAX_PAGE_BYTES) is still
 *   detected as UTF-8 when it holds at least one complete multi-byte
 *   sequence; the cut tail becomes U+FFFD. */
#include "extract/charset_int.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

/* ---- UTF-8 scanning ----------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (1-4), or 0 when it is
 * ill-formed; then *bad is the length of its maximal subpart (>= 1), which
 * reaches the end of the input exactly when the sequence was cut short. */
static size_t utf8_seq(const unsigned char *s, size_t avail, size_t *bad)
{
  unsigned c = s[0], lo = 0x80, hi = 0xBF, b;
  size_t n, i;

  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    else if (c == 0xED)
      hi = 0x9F; /* surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90; /* overlong */
    else if (c == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  } else {
    *bad = 1;
    return 0;
  }
  for (i = 1; i < n; i++) {
    if (i >= avail) {
      *bad = i;
      return 0;
    }
    b = s[i];
    if (b < lo || b > hi) {
      *bad = i;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return n;
}

struct scan {
  size_t valid;  /* bytes before the first ill-formed sequence */
  int complete;  /* valid == len */
  int cut_tail;  /* the only fault is a sequence cut by the end */
  int multibyte; /* a multi-byte sequence occurs in the valid part */
  int nul;       /* a NUL byte occurs in the valid part */
};

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* One pass over s: 8 bytes at a time while they are ASCII (checking for
 * NUL bytes in the same word), the full decoder only past 0x7F. Stops at
 * the first ill-formed sequence. */
static void utf8_scan(const char *str, size_t len, struct scan *sc)
{
  const unsigned char *s = (const unsigned char *)str;
  uint64_t w, zero = 0;
  size_t i = 0, n, bad = 0;
  int multibyte = 0, nul = 0;

  while (i < len) {
    if (len - i >= 8) {
      memcpy(&w, s + i, 8);
      if ((w & HIGHS) == 0) {
        /* Non-zero iff some byte of w is zero (w has no high bits). */
        zero |= (w - ONES) & ~w & HIGHS;
        i += 8;
        continue;
      }
    }
    if (s[i] < 0x80) {
      nul |= s[i] == 0;
      i++;
      continue;
    }
    n = utf8_seq(s + i, len - i, &bad);
    if (n == 0)
      break;
    multibyte = 1;
    i += n;
  }
  sc->valid = i;
  sc->complete = i == len;
  sc->cut_tail = i < len && i + bad == len;
  sc->multibyte = multibyte;
  sc->nul = nul || zero != 0;
}

/* Bytes that look like UTF-8: well-formed, or cut only at the very end
 * after some real multi-byte text (a lone trailing 0xE9 is Latin-1). */
static int scan_is_utf8(const struct scan *sc)
{
  return sc->complete || (sc->cut_tail && sc->multibyte);
}

/* ---- output ------------------------------------------------------------- */

/* Small pieces (one converted character, one U+FFFD) are gathered before
 * they reach the buffer; long runs go straight in. */
struct emit {
  struct wn_buf *b;
  size_t n;
  char stage[2048];
};

#define DIRECT_RUN 256

static const char replacement[] = "\xEF\xBF\xBD";

static wn_result emit_flush(struct emit *e)
{
  wn_result rc = WN_OK;

  if (e->n)
    rc = wn_buf_add(e->b, e->stage, e->n);
  e->n = 0;
  return rc;
}

static wn_result emit_bytes(struct emit *e, const char *p, size_t len)
{
  wn_result rc;

  if (len > sizeof(e->stage) - e->n || len >= DIRECT_RUN) {
    rc = emit_flush(e);
    if (rc != WN_OK)
      return rc;
    if (len >= DIRECT_RUN)
      return wn_buf_add(e->b, p, len);
  }
  memcpy(e->stage + e->n, p, len);
  e->n += len;
  return WN_OK;
}

static wn_result emit_fffd(struct emit *e)
{
  return emit_bytes(e, replacement, 3);
}

/* Append s[0..len) with NUL bytes replaced (UTF-8 content assumed). */
static wn_result emit_no_nul(struct emit *e, const char *s, size_t len)
{
  const char *z;
  wn_result rc;

  while (len) {
    z = memchr(s, '\0', len);
    if (!z)
      return emit_bytes(e, s, len);
    rc = emit_bytes(e, s, (size_t)(z - s));
    if (rc == WN_OK)
      rc = emit_fffd(e);
    if (rc != WN_OK)
      return rc;
    len -= (size_t)(z - s) + 1;
    s = z + 1;
  }
  return WN_OK;
}

/* UTF-8 in, UTF-8 out: one U+FFFD per maximal ill-formed subpart and per
 * NUL byte. */
static wn_result decode_utf8(struct emit *e, const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, run = 0, n, bad = 0;
  wn_result rc;

  while (i < len) {
    if (s[i] != 0 && s[i] < 0x80) {
      i++;
      continue;
    }
    n = s[i] ? utf8_seq(s + i, len - i, &bad) : 0;
    if (n) {
      i += n;
      continue;
    }
    if (s[i] == 0)
      bad = 1;
    rc = emit_bytes(e, str + run, i - run);
    if (rc == WN_OK)
      rc = emit_fffd(e);
    if (rc != WN_OK)
      return rc;
    i += bad;
    run = i;
  }
  return emit_bytes(e, str + run, i - run);
}

/* windows-1252 bytes 0x80-0x9F; 0 marks the five undefined ones. The rest
 * of the encoding is ISO-8859-1, i.e. byte value == code point. */
static const uint16_t w1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static wn_result decode_w1252(struct emit *e, const char *str, size_t len)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, run = 0, n;
  uint32_t cp;
  char enc[4];
  wn_result rc;

  while (i < len) {
    if (s[i] != 0 && s[i] < 0x80) {
      i++;
      continue;
    }
    rc = emit_bytes(e, str + run, i - run);
    if (rc != WN_OK)
      return rc;
    if (s[i] == 0)
      cp = 0xFFFD;
    else if (s[i] < 0xA0)
      cp = w1252_c1[s[i] - 0x80] ? w1252_c1[s[i] - 0x80] : 0xFFFD;
    else
      cp = s[i];
    n = wn_utf8_encode(cp, enc);
    rc = emit_bytes(e, enc, n);
    if (rc != WN_OK)
      return rc;
    run = ++i;
  }
  return emit_bytes(e, str + run, i - run);
}

/* Convert with iconv. Returns WN_E_CHARSET when iconv cannot open the
 * encoding (nothing emitted then). */
static wn_result decode_iconv(struct emit *e, const struct encoding *enc,
                              const char *in, size_t len)
{
  char obuf[4096];
  char *ip = (char *)in, *op;
  size_t ileft = len, oleft, r, unit = (enc->flags & ENC_UTF16) ? 2 : 1;
  iconv_t cd;
  int err, done = 0;
  wn_result rc = WN_OK;

  cd = iconv_open("UTF-8", enc->iconv);
  if (cd == (iconv_t)-1)
    return WN_E_CHARSET;
  while (!done) {
    op = obuf;
    oleft = sizeof(obuf);
    if (ileft) {
      r = iconv(cd, &ip, &ileft, &op, &oleft);
    } else {
      /* End of input: flush what a stateful decoder still holds (glibc's
       * BIG5-HKSCS keeps one character back; ISO-2022-JP its shift). */
      r = iconv(cd, NULL, NULL, &op, &oleft);
      done = 1;
    }
    err = r == (size_t)-1 ? errno : 0;
    rc = emit_no_nul(e, obuf, (size_t)(op - obuf));
    if (rc != WN_OK)
      goto out;
    if (!err)
      continue;
    if (err == E2BIG && op != obuf) {
      done = 0; /* obuf was full and has been emitted: go on */
      continue;
    }
    /* EILSEQ: one bad unit. EINVAL: a sequence cut by the end of input.
     * Anything else (or E2BIG with no progress, which cannot happen with
     * a 4 KiB buffer): give up on one unit so the loop always advances. */
    rc = emit_fffd(e);
    if (rc != WN_OK)
      goto out;
    if (done)
      break;
    if (err == EINVAL) {
      ileft = 0;
      continue;
    }
    r = ileft < unit ? ileft : unit;
    ip += r;
    ileft -= r;
  }
out:
  iconv_close(cd);
  return rc;
}

/* ---- decision ------------------------------------------------------------ */

static const struct encoding *bom_sniff(const char *s, size_t len, size_t *skip)
{
  const unsigned char *u = (const unsigned char *)s;

  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    *skip = 3;
    return charset_utf8;
  }
  if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
    *skip = 2;
    return charset_utf16le;
  }
  if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
    *skip = 2;
    return charset_utf16be;
  }
  return NULL;
}

/* Everything that is not the zero-copy case: decode body into scratch.
 * *fell_back is set when iconv could not open enc and windows-1252 was
 * used instead. */
static wn_result convert(const struct encoding *enc, const char *body,
                         size_t len, struct wn_buf *scratch, int *fell_back)
{
  struct emit e;
  struct scan sc;
  struct wn_buf tmp;
  wn_result rc;

  *fell_back = 0;
  e.b = scratch;
  e.n = 0;
  /* A size hint only: never ask for more than the cap (a failed reserve
   * frees the buffer); the exact cap is enforced while appending. */
  rc = wn_buf_reserve(scratch, len < scratch->max ? len : scratch->max);
  if (rc != WN_OK)
    return rc;
  if (enc == charset_utf8) {
    rc = decode_utf8(&e, body, len);
  } else if (enc == charset_w1252) {
    rc = decode_w1252(&e, body, len);
  } else {
    rc = decode_iconv(&e, enc, body, len);
    if (rc == WN_E_CHARSET) {
      /* glibc without this gconv module: windows-1252 keeps ASCII
       * markup readable and cannot fail. */
      *fell_back = 1;
      rc = decode_w1252(&e, body, len);
    }
  }
  if (rc == WN_OK)
    rc = emit_flush(&e);
  if (rc != WN_OK)
    goto out;

  /* By construction the output is UTF-8 without NUL; iconv is outside
   * code, so check rather than trust, and repair if it ever is not. */
  utf8_scan(wn_buf_str(scratch), scratch->len, &sc);
  if (sc.complete && !sc.nul)
    goto out;
  wn_buf_init(&tmp, scratch->max);
  e.b = &tmp;
  e.n = 0;
  rc = decode_utf8(&e, wn_buf_str(scratch), scratch->len);
  if (rc == WN_OK)
    rc = emit_flush(&e);
  wn_buf_free(scratch);
  if (rc != WN_OK) {
    wn_buf_free(&tmp);
    goto out;
  }
  *scratch = tmp;
out:
  if (rc != WN_OK)
    wn_buf_free(scratch);
  return rc;
}

wn_result extract_charset_to_utf8(const char *in, size_t len,
                                  const char *http_charset,
                                  struct wn_buf *scratch, const char **out,
                                  size_t *out_len, const char **charset)
{
  const struct encoding *enc, *conv;
  const char *body;
  size_t skip = 0, blen;
  struct scan sc;
  int declared = 0, scanned = 0, fell_back = 0;
  wn_result rc;

  if (!in)
    in = ""; /* only meaningful with len == 0 */
  wn_buf_reset(scratch);

  /* 1. A BOM beats every declaration (WHATWG "decode"). */
  enc = bom_sniff(in, len, &skip);
  body = in + skip;
  blen = len - skip;

  /* 2. The HTTP charset; a whole Content-Type value is accepted too. */
  if (!enc && http_charset) {
    enc = charset_label_find(http_charset, strlen(http_charset));
    if (!enc)
      enc = charset_from_content(http_charset, strlen(http_charset));
    declared = enc != NULL;
  }

  /* 3. <meta> in the first bytes. */
  if (!enc) {
    enc = charset_prescan(in, len < WN_CHARSET_PRESCAN_BYTES
                                  ? len
                                  : (size_t)WN_CHARSET_PRESCAN_BYTES);
    declared = enc != NULL;
  }

  if (!enc) {
    /* 4. No declaration: UTF-8 if it reads as UTF-8, else windows-1252. */
    utf8_scan(body, blen, &sc);
    scanned = 1;
    enc = scan_is_utf8(&sc) ? charset_utf8 : charset_w1252;
  } else if (declared && (enc->flags & ENC_LEGACY)) {
    /* Mislabelled pages: legacy text is practically never well-formed
     * UTF-8 with multi-byte sequences in it, while UTF-8 pages declared
     * as latin1 are everywhere. */
    utf8_scan(body, blen, &sc);
    scanned = 1;
    if (scan_is_utf8(&sc) && sc.multibyte)
      enc = charset_utf8;
  } else if (declared && (enc->flags & ENC_UTF16)) {
    /* A header claiming UTF-16 without a BOM: HTML in UTF-16 is full of
     * NUL bytes (its ASCII markup), so NUL-free UTF-8 is UTF-8. */
    utf8_scan(body, blen, &sc);
    scanned = 1;
    if (scan_is_utf8(&sc) && !sc.nul)
      enc = charset_utf8;
  }

  conv = enc;
  if (enc->flags & ENC_ASCII) {
    if (!scanned)
      utf8_scan(body, blen, &sc);
    /* Valid UTF-8, or pure ASCII, which reads the same in every
     * ASCII-compatible encoding (such pages keep their declared name). */
    if (sc.complete && (enc == charset_utf8 || !sc.multibyte)) {
      if (!sc.nul) {
        *out = body;
        *out_len = blen;
        *charset = enc->name;
        return WN_OK;
      }
      conv = charset_utf8; /* only the NUL bytes need fixing */
    }
  }
  rc = convert(conv, body, blen, scratch, &fell_back);
  if (rc != WN_OK)
    return rc;
  *out = wn_buf_str(scratch);
  *out_len = scratch->len;
  *charset = fell_back ? charset_w1252->name : enc->name;
  return WN_OK;
}
