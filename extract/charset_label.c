/* Encoding labels (WHATWG Encoding Standard) and their glibc iconv
 * names. Split from charset.c: the tables are long. */
#include "extract/charset_int.h"

#include <string.h>

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

const struct encoding *const charset_utf8 = &encodings[E_UTF8];
const struct encoding *const charset_w1252 = &encodings[E_W1252];
const struct encoding *const charset_utf16le = &encodings[E_UTF16LE];
const struct encoding *const charset_utf16be = &encodings[E_UTF16BE];

int charset_is_space(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

const struct encoding *charset_label_find(const char *label, size_t len)
{
  char low[MAX_LABEL];
  size_t i;
  int c;

  if (!label)
    return NULL;
  /* WHATWG strips ASCII whitespace; quotes are stripped too because
   * headers and attributes in the wild carry stray ones (charset="utf-8"
   * after a sloppy split). */
  while (len && (charset_is_space((unsigned char)label[0]) || label[0] == '"' ||
                 label[0] == '\'')) {
    label++;
    len--;
  }
  while (len && (charset_is_space((unsigned char)label[len - 1]) ||
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
  const struct encoding *enc = charset_label_find(label, len);

  return enc ? enc->name : NULL;
}
