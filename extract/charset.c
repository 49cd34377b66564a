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
#include "extract/extract_int.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

/* ---- encodings and labels ----------------------------------------------- */

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

enum {
  E_UTF8,
  E_UTF16LE,
  E_UTF16BE,
  E_IBM866,
  E_8859_2,
  E_8859_3,
  E_8859_4,
  E_8859_5,
  E_8859_6,
  E_8859_7,
  E_8859_8,
  E_8859_8I,
  E_8859_10,
  E_8859_13,
  E_8859_14,
  E_8859_15,
  E_8859_16,
  E_KOI8R,
  E_KOI8U,
  E_MAC,
  E_W874,
  E_W1250,
  E_W1251,
  E_W1252,
  E_W1253,
  E_W1254,
  E_W1255,
  E_W1256,
  E_W1257,
  E_W1258,
  E_MACCYR,
  E_GBK,
  E_GB18030,
  E_BIG5,
  E_EUCJP,
  E_ISO2022JP,
  E_SJIS,
  E_EUCKR
};

#define SB (ENC_ASCII | ENC_LEGACY)

/* WHATWG's decoders for big5, euc-kr, gbk and Shift_JIS are the Microsoft
 * supersets, hence BIG5-HKSCS, CP949, GB18030 and CP932 (whose 0x5C is a
 * backslash, unlike glibc's SHIFT_JIS). */
static const struct encoding encodings[] = {
    [E_UTF8] = {"utf-8", NULL, ENC_ASCII},
    [E_UTF16LE] = {"utf-16le", "UTF-16LE", ENC_UTF16},
    [E_UTF16BE] = {"utf-16be", "UTF-16BE", ENC_UTF16},
    [E_IBM866] = {"ibm866", "IBM866", SB},
    [E_8859_2] = {"iso-8859-2", "ISO-8859-2", SB},
    [E_8859_3] = {"iso-8859-3", "ISO-8859-3", SB},
    [E_8859_4] = {"iso-8859-4", "ISO-8859-4", SB},
    [E_8859_5] = {"iso-8859-5", "ISO-8859-5", SB},
    [E_8859_6] = {"iso-8859-6", "ISO-8859-6", SB},
    [E_8859_7] = {"iso-8859-7", "ISO-8859-7", SB},
    [E_8859_8] = {"iso-8859-8", "ISO-8859-8", SB},
    [E_8859_8I] = {"iso-8859-8-i", "ISO-8859-8", SB},
    [E_8859_10] = {"iso-8859-10", "ISO-8859-10", SB},
    [E_8859_13] = {"iso-8859-13", "ISO-8859-13", SB},
    [E_8859_14] = {"iso-8859-14", "ISO-8859-14", SB},
    [E_8859_15] = {"iso-8859-15", "ISO-8859-15", SB},
    [E_8859_16] = {"iso-8859-16", "ISO-8859-16", SB},
    [E_KOI8R] = {"koi8-r", "KOI8-R", SB},
    [E_KOI8U] = {"koi8-u", "KOI8-U", SB},
    [E_MAC] = {"macintosh", "MACINTOSH", SB},
    [E_W874] = {"windows-874", "WINDOWS-874", SB},
    [E_W1250] = {"windows-1250", "WINDOWS-1250", SB},
    [E_W1251] = {"windows-1251", "WINDOWS-1251", SB},
    [E_W1252] = {"windows-1252", NULL, SB},
    [E_W1253] = {"windows-1253", "WINDOWS-1253", SB},
    [E_W1254] = {"windows-1254", "WINDOWS-1254", SB},
    [E_W1255] = {"windows-1255", "WINDOWS-1255", SB},
    [E_W1256] = {"windows-1256", "WINDOWS-1256", SB},
    [E_W1257] = {"windows-1257", "WINDOWS-1257", SB},
    [E_W1258] = {"windows-1258", "WINDOWS-1258", SB},
    [E_MACCYR] = {"x-mac-cyrillic", "MAC-CYRILLIC", SB},
    [E_GBK] = {"gbk", "GB18030", SB},
    [E_GB18030] = {"gb18030", "GB18030", SB},
    [E_BIG5] = {"big5", "BIG5-HKSCS", SB},
    [E_EUCJP] = {"euc-jp", "EUC-JP", SB},
    /* 7-bit but stateful: ASCII bytes after ESC ( J are not ASCII. */
    [E_ISO2022JP] = {"iso-2022-jp", "ISO-2022-JP", ENC_LEGACY},
    [E_SJIS] = {"shift_jis", "CP932", SB},
    [E_EUCKR] = {"euc-kr", "CP949", SB},
};

struct label {
  const char *label; /* lower case */
  unsigned char enc;
};

/* The WHATWG Encoding Standard's labels for the encodings above, plus a few
 * common non-standard spellings (marked). The "replacement" labels
 * (iso-2022-kr, hz-gb-2312, ...) and x-user-defined are left unknown, so
 * such pages fall through to the <meta> prescan and detection. */
static const struct label labels[] = {
    {"unicode-1-1-utf-8", E_UTF8},
    {"unicode11utf8", E_UTF8},
    {"unicode20utf8", E_UTF8},
    {"utf-8", E_UTF8},
    {"utf8", E_UTF8},
    {"x-unicode20utf8", E_UTF8},
    {"csunicode", E_UTF16LE},
    {"iso-10646-ucs-2", E_UTF16LE},
    {"ucs-2", E_UTF16LE},
    {"unicode", E_UTF16LE},
    {"unicodefeff", E_UTF16LE},
    {"utf-16", E_UTF16LE},
    {"utf-16le", E_UTF16LE},
    {"unicodefffe", E_UTF16BE},
    {"utf-16be", E_UTF16BE},
    {"866", E_IBM866},
    {"cp866", E_IBM866},
    {"csibm866", E_IBM866},
    {"ibm866", E_IBM866},
    {"csisolatin2", E_8859_2},
    {"iso-8859-2", E_8859_2},
    {"iso-ir-101", E_8859_2},
    {"iso8859-2", E_8859_2},
    {"iso88592", E_8859_2},
    {"iso_8859-2", E_8859_2},
    {"iso_8859-2:1987", E_8859_2},
    {"l2", E_8859_2},
    {"latin2", E_8859_2},
    {"csisolatin3", E_8859_3},
    {"iso-8859-3", E_8859_3},
    {"iso-ir-109", E_8859_3},
    {"iso8859-3", E_8859_3},
    {"iso88593", E_8859_3},
    {"iso_8859-3", E_8859_3},
    {"iso_8859-3:1988", E_8859_3},
    {"l3", E_8859_3},
    {"latin3", E_8859_3},
    {"csisolatin4", E_8859_4},
    {"iso-8859-4", E_8859_4},
    {"iso-ir-110", E_8859_4},
    {"iso8859-4", E_8859_4},
    {"iso88594", E_8859_4},
    {"iso_8859-4", E_8859_4},
    {"iso_8859-4:1988", E_8859_4},
    {"l4", E_8859_4},
    {"latin4", E_8859_4},
    {"csisolatincyrillic", E_8859_5},
    {"cyrillic", E_8859_5},
    {"iso-8859-5", E_8859_5},
    {"iso-ir-144", E_8859_5},
    {"iso8859-5", E_8859_5},
    {"iso88595", E_8859_5},
    {"iso_8859-5", E_8859_5},
    {"iso_8859-5:1988", E_8859_5},
    {"arabic", E_8859_6},
    {"asmo-708", E_8859_6},
    {"csiso88596e", E_8859_6},
    {"csiso88596i", E_8859_6},
    {"csisolatinarabic", E_8859_6},
    {"ecma-114", E_8859_6},
    {"iso-8859-6", E_8859_6},
    {"iso-8859-6-e", E_8859_6},
    {"iso-8859-6-i", E_8859_6},
    {"iso-ir-127", E_8859_6},
    {"iso8859-6", E_8859_6},
    {"iso88596", E_8859_6},
    {"iso_8859-6", E_8859_6},
    {"iso_8859-6:1987", E_8859_6},
    {"csisolatingreek", E_8859_7},
    {"ecma-118", E_8859_7},
    {"elot_928", E_8859_7},
    {"greek", E_8859_7},
    {"greek8", E_8859_7},
    {"iso-8859-7", E_8859_7},
    {"iso-ir-126", E_8859_7},
    {"iso8859-7", E_8859_7},
    {"iso88597", E_8859_7},
    {"iso_8859-7", E_8859_7},
    {"iso_8859-7:1987", E_8859_7},
    {"sun_eu_greek", E_8859_7},
    {"csiso88598e", E_8859_8},
    {"csisolatinhebrew", E_8859_8},
    {"hebrew", E_8859_8},
    {"iso-8859-8", E_8859_8},
    {"iso-8859-8-e", E_8859_8},
    {"iso-ir-138", E_8859_8},
    {"iso8859-8", E_8859_8},
    {"iso88598", E_8859_8},
    {"iso_8859-8", E_8859_8},
    {"iso_8859-8:1988", E_8859_8},
    {"visual", E_8859_8},
    {"csiso88598i", E_8859_8I},
    {"iso-8859-8-i", E_8859_8I},
    {"logical", E_8859_8I},
    {"csisolatin6", E_8859_10},
    {"iso-8859-10", E_8859_10},
    {"iso-ir-157", E_8859_10},
    {"iso8859-10", E_8859_10},
    {"iso885910", E_8859_10},
    {"l6", E_8859_10},
    {"latin6", E_8859_10},
    {"iso-8859-13", E_8859_13},
    {"iso8859-13", E_8859_13},
    {"iso885913", E_8859_13},
    {"iso-8859-14", E_8859_14},
    {"iso8859-14", E_8859_14},
    {"iso885914", E_8859_14},
    {"csisolatin9", E_8859_15},
    {"iso-8859-15", E_8859_15},
    {"iso8859-15", E_8859_15},
    {"iso885915", E_8859_15},
    {"iso_8859-15", E_8859_15},
    {"l9", E_8859_15},
    {"latin9", E_8859_15}, /* not WHATWG; common in the wild */
    {"iso-8859-16", E_8859_16},
    {"cskoi8r", E_KOI8R},
    {"koi", E_KOI8R},
    {"koi8", E_KOI8R},
    {"koi8-r", E_KOI8R},
    {"koi8_r", E_KOI8R},
    {"koi8-ru", E_KOI8U},
    {"koi8-u", E_KOI8U},
    {"csmacintosh", E_MAC},
    {"mac", E_MAC},
    {"macintosh", E_MAC},
    {"x-mac-roman", E_MAC},
    {"dos-874", E_W874},
    {"iso-8859-11", E_W874},
    {"iso8859-11", E_W874},
    {"iso885911", E_W874},
    {"tis-620", E_W874},
    {"windows-874", E_W874},
    {"cp1250", E_W1250},
    {"windows-1250", E_W1250},
    {"x-cp1250", E_W1250},
    {"cp1251", E_W1251},
    {"windows-1251", E_W1251},
    {"x-cp1251", E_W1251},
    {"ansi_x3.4-1968", E_W1252},
    {"ascii", E_W1252},
    {"cp1252", E_W1252},
    {"cp819", E_W1252},
    {"csisolatin1", E_W1252},
    {"ibm819", E_W1252},
    {"iso-8859-1", E_W1252},
    {"iso-ir-100", E_W1252},
    {"iso8859-1", E_W1252},
    {"iso88591", E_W1252},
    {"iso_8859-1", E_W1252},
    {"iso_8859-1:1987", E_W1252},
    {"l1", E_W1252},
    {"latin1", E_W1252},
    {"us-ascii", E_W1252},
    {"windows-1252", E_W1252},
    {"x-cp1252", E_W1252},
    {"cp1253", E_W1253},
    {"windows-1253", E_W1253},
    {"x-cp1253", E_W1253},
    {"cp1254", E_W1254},
    {"csisolatin5", E_W1254},
    {"iso-8859-9", E_W1254},
    {"iso-ir-148", E_W1254},
    {"iso8859-9", E_W1254},
    {"iso88599", E_W1254},
    {"iso_8859-9", E_W1254},
    {"iso_8859-9:1989", E_W1254},
    {"l5", E_W1254},
    {"latin5", E_W1254},
    {"windows-1254", E_W1254},
    {"x-cp1254", E_W1254},
    {"cp1255", E_W1255},
    {"windows-1255", E_W1255},
    {"x-cp1255", E_W1255},
    {"cp1256", E_W1256},
    {"windows-1256", E_W1256},
    {"x-cp1256", E_W1256},
    {"cp1257", E_W1257},
    {"windows-1257", E_W1257},
    {"x-cp1257", E_W1257},
    {"cp1258", E_W1258},
    {"windows-1258", E_W1258},
    {"x-cp1258", E_W1258},
    {"x-mac-cyrillic", E_MACCYR},
    {"x-mac-ukrainian", E_MACCYR},
    {"chinese", E_GBK},
    {"csgb2312", E_GBK},
    {"csiso58gb231280", E_GBK},
    {"gb2312", E_GBK},
    {"gb_2312", E_GBK},
    {"gb_2312-80", E_GBK},
    {"gbk", E_GBK},
    {"iso-ir-58", E_GBK},
    {"x-gbk", E_GBK},
    {"gb18030", E_GB18030},
    {"big5", E_BIG5},
    {"big5-hkscs", E_BIG5},
    {"cn-big5", E_BIG5},
    {"csbig5", E_BIG5},
    {"x-x-big5", E_BIG5},
    {"cseucpkdfmtjapanese", E_EUCJP},
    {"euc-jp", E_EUCJP},
    {"x-euc-jp", E_EUCJP},
    {"csiso2022jp", E_ISO2022JP},
    {"iso-2022-jp", E_ISO2022JP},
    {"csshiftjis", E_SJIS},
    {"ms932", E_SJIS},
    {"ms_kanji", E_SJIS},
    {"shift-jis", E_SJIS},
    {"shift_jis", E_SJIS},
    {"sjis", E_SJIS},
    {"windows-31j", E_SJIS},
    {"x-sjis", E_SJIS},
    {"cseuckr", E_EUCKR},
    {"csksc56011987", E_EUCKR},
    {"euc-kr", E_EUCKR},
    {"iso-ir-149", E_EUCKR},
    {"korean", E_EUCKR},
    {"ks_c_5601-1987", E_EUCKR},
    {"ks_c_5601-1989", E_EUCKR},
    {"ksc5601", E_EUCKR},
    {"ksc_5601", E_EUCKR},
    {"windows-949", E_EUCKR},
};

#define N_LABELS (sizeof(labels) / sizeof(labels[0]))
#define MAX_LABEL 32 /* longer than every label above */

static const struct encoding *const utf8 = &encodings[E_UTF8];
static const struct encoding *const w1252 = &encodings[E_W1252];

static int is_html_space(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static const struct encoding *label_find(const char *label, size_t len)
{
  char low[MAX_LABEL];
  size_t i;
  int c;

  if (!label)
    return NULL;
  /* WHATWG strips ASCII whitespace; quotes are stripped too because
   * headers and attributes in the wild carry stray ones (charset="utf-8"
   * after a sloppy split). */
  while (len && (is_html_space((unsigned char)label[0]) || label[0] == '"' ||
                 label[0] == '\'')) {
    label++;
    len--;
  }
  while (len && (is_html_space((unsigned char)label[len - 1]) ||
                 label[len - 1] == '"' || label[len - 1] == '\'')) {
    len--;
  }
  if (len == 0 || len >= sizeof(low))
    return NULL;
  for (i = 0; i < len; i++) {
    c = (unsigned char)label[i];
    if (c == 0 || c >= 0x80)
      return NULL;
    low[i] = (char)wn_ascii_tolower(c);
  }
  low[len] = '\0';
  for (i = 0; i < N_LABELS; i++) {
    if (labels[i].label[0] == low[0] && strcmp(labels[i].label, low) == 0)
      return &encodings[labels[i].enc];
  }
  return NULL;
}

const char *extract_charset_canonical(const char *label, size_t len)
{
  const struct encoding *enc = label_find(label, len);

  return enc ? enc->name : NULL;
}

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

/* ---- <meta> prescan ------------------------------------------------------ */

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
static const struct encoding *charset_from_content(const char *s, size_t len)
{
  const char *hit;
  size_t i = 0, j, start;
  char q;

  for (;;) {
    hit = wn_ascii_casestr(s + i, len - i, "charset");
    if (!hit)
      return NULL;
    j = (size_t)(hit - s) + 7;
    while (j < len && is_html_space((unsigned char)s[j]))
      j++;
    if (j < len && s[j] == '=')
      break;
    i = j;
  }
  j++;
  while (j < len && is_html_space((unsigned char)s[j]))
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
    return label_find(s + start, j - start);
  }
  start = j;
  while (j < len && !is_html_space((unsigned char)s[j]) && s[j] != ';')
    j++;
  return label_find(s + start, j - start);
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
    if (!is_html_space(c) && c != '/')
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
    if (is_html_space(c))
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
    if (!is_html_space((unsigned char)s[i]))
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
    if (!is_html_space((unsigned char)s[i]))
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
    if (is_html_space(c) || c == '>')
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
      found = label_find(value.p, value.len);
      have = found ? 1 : -1;
      need_pragma = 0;
    }
  }
  if (r == ATTR_EOF)
    return ATTR_EOF;
  if (need_pragma < 0 || (need_pragma && !got_pragma) || have != 1)
    return ATTR_END;
  /* A page whose bytes were readable as ASCII cannot be UTF-16. */
  *enc = (found->flags & ENC_UTF16) ? utf8 : found;
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
static const struct encoding *prescan(const char *s, size_t end)
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
        (is_html_space((unsigned char)s[i + 5]) || s[i + 5] == '/')) {
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
      while (i < end && !is_html_space((unsigned char)s[i]) && s[i] != '>')
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

/* ---- decision ------------------------------------------------------------ */

static const struct encoding *bom_sniff(const char *s, size_t len, size_t *skip)
{
  const unsigned char *u = (const unsigned char *)s;

  if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    *skip = 3;
    return utf8;
  }
  if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
    *skip = 2;
    return &encodings[E_UTF16LE];
  }
  if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
    *skip = 2;
    return &encodings[E_UTF16BE];
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
  if (enc == utf8) {
    rc = decode_utf8(&e, body, len);
  } else if (enc == w1252) {
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
    enc = label_find(http_charset, strlen(http_charset));
    if (!enc)
      enc = charset_from_content(http_charset, strlen(http_charset));
    declared = enc != NULL;
  }

  /* 3. <meta> in the first bytes. */
  if (!enc) {
    enc = prescan(in, len < WN_CHARSET_PRESCAN_BYTES
                          ? len
                          : (size_t)WN_CHARSET_PRESCAN_BYTES);
    declared = enc != NULL;
  }

  if (!enc) {
    /* 4. No declaration: UTF-8 if it reads as UTF-8, else windows-1252. */
    utf8_scan(body, blen, &sc);
    scanned = 1;
    enc = scan_is_utf8(&sc) ? utf8 : w1252;
  } else if (declared && (enc->flags & ENC_LEGACY)) {
    /* Mislabelled pages: legacy text is practically never well-formed
     * UTF-8 with multi-byte sequences in it, while UTF-8 pages declared
     * as latin1 are everywhere. */
    utf8_scan(body, blen, &sc);
    scanned = 1;
    if (scan_is_utf8(&sc) && sc.multibyte)
      enc = utf8;
  } else if (declared && (enc->flags & ENC_UTF16)) {
    /* A header claiming UTF-16 without a BOM: HTML in UTF-16 is full of
     * NUL bytes (its ASCII markup), so NUL-free UTF-8 is UTF-8. */
    utf8_scan(body, blen, &sc);
    scanned = 1;
    if (scan_is_utf8(&sc) && !sc.nul)
      enc = utf8;
  }

  conv = enc;
  if (enc->flags & ENC_ASCII) {
    if (!scanned)
      utf8_scan(body, blen, &sc);
    /* Valid UTF-8, or pure ASCII, which reads the same in every
     * ASCII-compatible encoding (such pages keep their declared name). */
    if (sc.complete && (enc == utf8 || !sc.multibyte)) {
      if (!sc.nul) {
        *out = body;
        *out_len = blen;
        *charset = enc->name;
        return WN_OK;
      }
      conv = utf8; /* only the NUL bytes need fixing */
    }
  }
  rc = convert(conv, body, blen, scratch, &fell_back);
  if (rc != WN_OK)
    return rc;
  *out = wn_buf_str(scratch);
  *out_len = scratch->len;
  *charset = fell_back ? w1252->name : enc->name;
  return WN_OK;
}
