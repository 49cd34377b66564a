/* extract/charset.c: labels, decision order (BOM > HTTP > <meta> >
 * detection), mislabelled UTF-8, conversions, the prescan window, limits
 * and a junk loop. */
#include "extract/extract_int.h"

#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

/* A string literal with its length (it may hold NUL bytes). */
#define S(lit) lit, sizeof(lit) - 1

#define FFFD "\xEF\xBF\xBD"

/* ---- labels -------------------------------------------------------------- */

static const struct {
  const char *label;
  const char *want;
} label_cases[] = {
    {"utf-8", "utf-8"},
    {"UTF-8", "utf-8"},
    {"utf8", "utf-8"},
    {"unicode-1-1-utf-8", "utf-8"},
    {"x-unicode20utf8", "utf-8"},
    {"  utf-8\t\r\n", "utf-8"},
    {"\"utf-8\"", "utf-8"},
    {" 'UTF-8' ", "utf-8"},
    {"iso-8859-1", "windows-1252"},
    {"ISO-8859-1", "windows-1252"},
    {"latin1", "windows-1252"},
    {"l1", "windows-1252"},
    {"us-ascii", "windows-1252"},
    {"ascii", "windows-1252"},
    {"ansi_x3.4-1968", "windows-1252"},
    {"cp1252", "windows-1252"},
    {"x-cp1252", "windows-1252"},
    {"iso_8859-1", "windows-1252"},
    {"iso_8859-1:1987", "windows-1252"},
    {"iso8859-1", "windows-1252"},
    {"iso88591", "windows-1252"},
    {"windows-1252", "windows-1252"},
    {"latin9", "iso-8859-15"},
    {"l9", "iso-8859-15"},
    {"ISO-8859-15", "iso-8859-15"},
    {"csisolatin9", "iso-8859-15"},
    {"iso-8859-2", "iso-8859-2"},
    {"latin2", "iso-8859-2"},
    {"iso-8859-9", "windows-1254"},
    {"latin5", "windows-1254"},
    {"tis-620", "windows-874"},
    {"iso-8859-11", "windows-874"},
    {"cp1250", "windows-1250"},
    {"windows-1251", "windows-1251"},
    {"x-cp1251", "windows-1251"},
    {"windows-1258", "windows-1258"},
    {"koi8-r", "koi8-r"},
    {"KOI8", "koi8-r"},
    {"koi8-u", "koi8-u"},
    {"utf-16", "utf-16le"},
    {"UTF-16LE", "utf-16le"},
    {"ucs-2", "utf-16le"},
    {"utf-16be", "utf-16be"},
    {"shift_jis", "shift_jis"},
    {"Shift-JIS", "shift_jis"},
    {"sjis", "shift_jis"},
    {"windows-31j", "shift_jis"},
    {"euc-jp", "euc-jp"},
    {"iso-2022-jp", "iso-2022-jp"},
    {"gb2312", "gbk"},
    {"GBK", "gbk"},
    {"x-gbk", "gbk"},
    {"chinese", "gbk"},
    {"gb18030", "gb18030"},
    {"big5", "big5"},
    {"big5-hkscs", "big5"},
    {"euc-kr", "euc-kr"},
    {"ks_c_5601-1987", "euc-kr"},
    {"windows-949", "euc-kr"},
    {"ibm866", "ibm866"},
    {"macintosh", "macintosh"},
    {"x-mac-cyrillic", "x-mac-cyrillic"},
    {"iso-8859-8-i", "iso-8859-8-i"},
    {"iso-8859-16", "iso-8859-16"},
    /* unknown */
    {"", NULL},
    {"   ", NULL},
    {"\"\"", NULL},
    {"utf-9", NULL},
    {"utf 8", NULL},
    {"x-user-defined", NULL},
    {"iso-2022-kr", NULL},
    {"replacement", NULL},
    {"utf-8; foo", NULL},
    {"utf-8utf-8utf-8utf-8utf-8utf-8utf-8utf-8", NULL},
    {"\xC3\xBCtf-8", NULL},
};

static void test_labels(void)
{
  size_t i;

  for (i = 0; i < sizeof(label_cases) / sizeof(label_cases[0]); i++)
    CHECK_STR(extract_charset_canonical(label_cases[i].label,
                                        strlen(label_cases[i].label)),
              label_cases[i].want);
  /* The length is honoured: no reading past it, NUL inside is no match. */
  CHECK_STR(extract_charset_canonical("utf-8xyz", 5), "utf-8");
  CHECK_STR(extract_charset_canonical("utf\0-8", 6), NULL);
  CHECK_STR(extract_charset_canonical(NULL, 0), NULL);
  CHECK_STR(extract_charset_canonical("utf-8", 0), NULL);
}

/* ---- whole-function cases --------------------------------------------- */

enum { ANY = -1, COPY = 0, ZERO_COPY = 1 };

static const struct {
  const char *in;
  size_t len;
  const char *http;
  const char *want;
  const char *charset;
  int zero_copy;
} cases[] = {
    /* detection */
    {S(""), NULL, "", "utf-8", ZERO_COPY},
    {S("hello"), NULL, "hello", "utf-8", ZERO_COPY},
    {S("caf\xC3\xA9"), NULL, "caf\xC3\xA9", "utf-8", ZERO_COPY},
    {S("caf\xE9 \x80 \x93 \x96"), NULL,
     "caf\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9C \xE2\x80\x93", "windows-1252",
     COPY},
    {S("caf\xE9"), NULL, "caf\xC3\xA9", "windows-1252", COPY},
    {S("\xFF"), NULL, "\xC3\xBF", "windows-1252", COPY},
    /* a cut last sequence after real UTF-8 is still UTF-8 */
    {S("\xC3\xA9\xE2\x82"), NULL, "\xC3\xA9" FFFD, "utf-8", COPY},
    /* a lone high byte without any UTF-8 around is not */
    {S("abc\xE2\x82"), NULL, "abc\xC3\xA2\xE2\x80\x9A", "windows-1252", COPY},

    /* BOM beats everything */
    {S("\xEF\xBB\xBFhi"), NULL, "hi", "utf-8", ZERO_COPY},
    {S("\xEF\xBB\xBFhi"), "windows-1252", "hi", "utf-8", ZERO_COPY},
    {S("\xEF\xBB\xBF<meta charset=koi8-r>\xC3\xA9"), "iso-8859-2",
     "<meta charset=koi8-r>\xC3\xA9", "utf-8", ZERO_COPY},
    {S("\xEF\xBB\xBF\xE9x"), "windows-1252", FFFD "x", "utf-8", COPY},
    {S("\xEF\xBB\xBF"), NULL, "", "utf-8", ZERO_COPY},
    {S("\xFF\xFEh\0i\0"), "utf-8", "hi", "utf-16le", COPY},
    {S("\xFE\xFF\0h\0i"), "windows-1252", "hi", "utf-16be", COPY},
    {S("\xFF\xFE"), NULL, "", "utf-16le", ANY},
    {S("\xFF\xFE\xAC\x20"), NULL, "\xE2\x82\xAC", "utf-16le", COPY},
    {S("\xFE\xFF\xD8\x3D\xDE\x00"), NULL, "\xF0\x9F\x98\x80", "utf-16be", COPY},
    /* odd trailing byte, NUL code unit, lone surrogates */
    {S("\xFF\xFEh\0i"), NULL, "h" FFFD, "utf-16le", COPY},
    {S("\xFF\xFE"
       "a\0\0\0b\0"),
     NULL, "a" FFFD "b", "utf-16le", COPY},
    {S("\xFF\xFE"
       "a\0\x00\xD8"
       "b\0"),
     NULL, "a" FFFD "b", "utf-16le", COPY},
    {S("\xFF\xFE"
       "a\0\x00\xDC"
       "b\0"),
     NULL, "a" FFFD "b", "utf-16le", COPY},
    /* truncated BOMs are just bytes */
    {S("\xEF\xBB"), NULL, "\xC3\xAF\xC2\xBB", "windows-1252", COPY},
    {S("\xEF"), NULL, "\xC3\xAF", "windows-1252", COPY},
    {S("\xFE"), NULL, "\xC3\xBE", "windows-1252", COPY},

    /* HTTP charset beats <meta> */
    {S("<meta charset=utf-8>\xA4"), "iso-8859-15",
     "<meta charset=utf-8>\xE2\x82\xAC", "iso-8859-15", COPY},
    {S("<meta charset=iso-8859-15>\xA4"), "bogus",
     "<meta charset=iso-8859-15>\xE2\x82\xAC", "iso-8859-15", COPY},
    {S("\xA4"), "text/html; charset=\"ISO-8859-15\"", "\xE2\x82\xAC",
     "iso-8859-15", COPY},
    {S("\xA4"), " latin1 ", "\xC2\xA4", "windows-1252", COPY},
    {S("\xA4"), "", "\xC2\xA4", "windows-1252", COPY},

    /* <meta> beats detection */
    {S("<meta charset=windows-1251>\xCF\xF0\xE8"), NULL,
     "<meta charset=windows-1251>\xD0\x9F\xD1\x80\xD0\xB8", "windows-1251",
     COPY},
    {S("<meta http-equiv=\"Content-Type\" "
       "content=\"text/html; charset=koi8-r\">\xF0\xD2\xC9"),
     NULL,
     "<meta http-equiv=\"Content-Type\" "
     "content=\"text/html; charset=koi8-r\">\xD0\x9F\xD1\x80\xD0\xB8",
     "koi8-r", COPY},
    {S("<META CONTENT='text/html;charset=ISO-8859-2' "
       "HTTP-EQUIV=content-type>\xB1"),
     NULL,
     "<META CONTENT='text/html;charset=ISO-8859-2' "
     "HTTP-EQUIV=content-type>\xC4\x85",
     "iso-8859-2", COPY},
    /* content= without the pragma does not count */
    {S("<meta name=x content=\"text/html; charset=iso-8859-2\">\xB1"), NULL,
     "<meta name=x content=\"text/html; charset=iso-8859-2\">\xC2\xB1",
     "windows-1252", COPY},
    {S("<meta http-equiv=refresh content=\"charset=iso-8859-2\">\xB1"), NULL,
     "<meta http-equiv=refresh content=\"charset=iso-8859-2\">\xC2\xB1",
     "windows-1252", COPY},

    /* mislabelled UTF-8 */
    {S("caf\xC3\xA9"), "iso-8859-1", "caf\xC3\xA9", "utf-8", ZERO_COPY},
    {S("caf\xC3\xA9"), "shift_jis", "caf\xC3\xA9", "utf-8", ZERO_COPY},
    {S("<meta charset=windows-1252>caf\xC3\xA9"), NULL,
     "<meta charset=windows-1252>caf\xC3\xA9", "utf-8", ZERO_COPY},
    {S("\xC3\xA9\xE2\x82"), "iso-8859-1", "\xC3\xA9" FFFD, "utf-8", COPY},
    {S("\xE4\xB8\xAD"), "gbk", "\xE4\xB8\xAD", "utf-8", ZERO_COPY},
    /* ASCII only: declared name kept, still no copy */
    {S("plain"), "iso-8859-1", "plain", "windows-1252", ZERO_COPY},
    {S("plain"), "shift_jis", "plain", "shift_jis", ZERO_COPY},
    {S("plain"), "koi8-r", "plain", "koi8-r", ZERO_COPY},
    /* a header claiming UTF-16 on NUL-free bytes */
    {S("hi \xC3\xA9"), "utf-16", "hi \xC3\xA9", "utf-8", ZERO_COPY},
    {S("\0h\0i"), "utf-16be", "hi", "utf-16be", COPY},
    {S("h\0i\0"), "utf-16le", "hi", "utf-16le", COPY},
    /* declared UTF-8 stays UTF-8 */
    {S("a\xFF"
       "b"),
     "utf-8", "a" FFFD "b", "utf-8", COPY},
    {S("caf\xE9"), "utf-8", "caf" FFFD, "utf-8", COPY},
    /* legacy declared and legacy bytes */
    {S("caf\xE9"), "iso-8859-1", "caf\xC3\xA9", "windows-1252", COPY},

    /* invalid UTF-8: one U+FFFD per maximal subpart */
    {S("\xE2\x82"
       "A"),
     "utf-8", FFFD "A", "utf-8", COPY},
    {S("\xF0\x9F\x98"), "utf-8", FFFD, "utf-8", COPY},
    {S("\xF0\x80\x80"), "utf-8", FFFD FFFD FFFD, "utf-8", COPY},
    {S("\xED\xA0\x80"), "utf-8", FFFD FFFD FFFD, "utf-8", COPY},
    {S("\xC0\xAF"), "utf-8", FFFD FFFD, "utf-8", COPY},
    {S("\xF4\x90\x80\x80"), "utf-8", FFFD FFFD FFFD FFFD, "utf-8", COPY},
    {S("\x80\xBF"), "utf-8", FFFD FFFD, "utf-8", COPY},
    {S("\xEF\xBF\xBD ok"), NULL, FFFD " ok", "utf-8", ZERO_COPY},

    /* NUL bytes never reach the output */
    {S("a\0b"), NULL, "a" FFFD "b", "utf-8", COPY},
    {S("0123456\0"
       "89abcdef"),
     NULL, "0123456" FFFD "89abcdef", "utf-8", COPY},
    {S("a\0b"), "windows-1252", "a" FFFD "b", "windows-1252", COPY},
    {S("a\0\xE9"), NULL, "a" FFFD "\xC3\xA9", "windows-1252", COPY},
    {S("a\0b"), "shift_jis", "a" FFFD "b", "shift_jis", COPY},
    {S("\0\xC3\xA9"), "utf-8", FFFD "\xC3\xA9", "utf-8", COPY},
    {S("\x82\xA0\0"), "shift_jis", "\xE3\x81\x82" FFFD, "shift_jis", COPY},

    /* single-byte legacy */
    {S("\xA4"), "iso-8859-15", "\xE2\x82\xAC", "iso-8859-15", COPY},
    {S("\xA4"), "latin9", "\xE2\x82\xAC", "iso-8859-15", COPY},
    {S("\xA4"), "iso-8859-1", "\xC2\xA4", "windows-1252", COPY},
    {S("\x81\x8D\x8F\x90\x9D"), "windows-1252", FFFD FFFD FFFD FFFD FFFD,
     "windows-1252", COPY},
    {S("\x80\x9F\xA0\xFF"), NULL, "\xE2\x82\xAC\xC5\xB8\xC2\xA0\xC3\xBF",
     "windows-1252", COPY},
    {S("\xB9\xE6"), "windows-1250", "\xC4\x85\xC4\x87", "windows-1250", COPY},
    {S("\xE1"), "iso-8859-7", "\xCE\xB1", "iso-8859-7", COPY},

    /* CJK */
    {S("\xC4\xE3\xBA\xC3"), "gb2312", "\xE4\xBD\xA0\xE5\xA5\xBD", "gbk", COPY},
    {S("\xC4\xE3\xBA\xC3"), "gb18030", "\xE4\xBD\xA0\xE5\xA5\xBD", "gb18030",
     COPY},
    {S("\x82\xA0\\"), "shift_jis", "\xE3\x81\x82\\", "shift_jis", COPY},
    {S("\xA4\xA2"), "euc-jp", "\xE3\x81\x82", "euc-jp", COPY},
    {S("\xC7\xD1"), "euc-kr", "\xED\x95\x9C", "euc-kr", COPY},
    {S("\xA4\xA4"), "big5", "\xE4\xB8\xAD", "big5", COPY},
    {S("\x1B$B$\"\x1B(B!"), "iso-2022-jp", "\xE3\x81\x82!", "iso-2022-jp",
     COPY},
    {S("plain"), "iso-2022-jp", "plain", "iso-2022-jp", COPY},
    /* invalid and cut sequences in CJK */
    {S("a\x82"), "shift_jis", "a" FFFD, "shift_jis", COPY},
    {S("a\xFF"
       "b"),
     "euc-kr", "a" FFFD "b", "euc-kr", COPY},
    {S("\xC4\xE3\xBA"), "gbk", "\xE4\xBD\xA0" FFFD, "gbk", COPY},
    {S("<meta charset=shift_jis>\x82\xA0"), NULL,
     "<meta charset=shift_jis>\xE3\x81\x82", "shift_jis", COPY},

    /* prescan details */
    {S("<!-- <meta charset=iso-8859-2> -->\xB1"), NULL,
     "<!-- <meta charset=iso-8859-2> -->\xC2\xB1", "windows-1252", COPY},
    {S("<!--><meta charset=iso-8859-2>\xB1"), NULL,
     "<!--><meta charset=iso-8859-2>\xC4\x85", "iso-8859-2", COPY},
    {S("<!-- -- > --><meta charset=iso-8859-2>\xB1"), NULL,
     "<!-- -- > --><meta charset=iso-8859-2>\xC4\x85", "iso-8859-2", COPY},
    {S("<!-- unterminated <meta charset=iso-8859-2>\xB1"), NULL,
     "<!-- unterminated <meta charset=iso-8859-2>\xC2\xB1", "windows-1252",
     COPY},
    {S("<div title=\"<meta charset=iso-8859-2>\">\xB1"), NULL,
     "<div title=\"<meta charset=iso-8859-2>\">\xC2\xB1", "windows-1252", COPY},
    {S("<?xml version='1.0' encoding='x'?></p><meta charset=iso-8859-2>\xB1"),
     NULL,
     "<?xml version='1.0' encoding='x'?></p><meta charset=iso-8859-2>\xC4\x85",
     "iso-8859-2", COPY},
    {S("<!DOCTYPE html><html lang=pl><head><meta charset=\"ISO-8859-2\">\xB1"),
     NULL,
     "<!DOCTYPE html><html lang=pl><head><meta charset=\"ISO-8859-2\">\xC4\x85",
     "iso-8859-2", COPY},
    {S("<meta charset = 'iso-8859-2' >\xB1"), NULL,
     "<meta charset = 'iso-8859-2' >\xC4\x85", "iso-8859-2", COPY},
    {S("<meta/charset=iso-8859-2>\xB1"), NULL,
     "<meta/charset=iso-8859-2>\xC4\x85", "iso-8859-2", COPY},
    {S("<meta\ncharset=iso-8859-2/>\xB1"), NULL,
     "<meta\ncharset=iso-8859-2/>\xC2\xB1", "windows-1252", COPY},
    {S("<metacharset=iso-8859-2>\xB1"), NULL,
     "<metacharset=iso-8859-2>\xC2\xB1", "windows-1252", COPY},
    {S("<meta charset=iso-8859-2 charset=koi8-r>\xB1"), NULL,
     "<meta charset=iso-8859-2 charset=koi8-r>\xC4\x85", "iso-8859-2", COPY},
    {S("<meta charset=bogus http-equiv=content-type "
       "content='charset=iso-8859-2'>\xB1"),
     NULL,
     "<meta charset=bogus http-equiv=content-type "
     "content='charset=iso-8859-2'>\xC2\xB1",
     "windows-1252", COPY},
    {S("<meta content='text/html; charset=koi8-r' charset=iso-8859-2>\xB1"),
     NULL,
     "<meta content='text/html; charset=koi8-r' charset=iso-8859-2>\xC4\x85",
     "iso-8859-2", COPY},
    {S("<meta http-equiv=content-type content=\"charsetx; charset = "
       "'iso-8859-2'\">\xB1"),
     NULL,
     "<meta http-equiv=content-type content=\"charsetx; charset = "
     "'iso-8859-2'\">\xC4\x85",
     "iso-8859-2", COPY},
    {S("<meta http-equiv=content-type content=\"charset='iso-8859-2\">\xB1"),
     NULL,
     "<meta http-equiv=content-type content=\"charset='iso-8859-2\">\xC2\xB1",
     "windows-1252", COPY},
    {S("<meta charset=\"iso-8859-2\xB1"), NULL,
     "<meta charset=\"iso-8859-2\xC2\xB1", "windows-1252", COPY},
    {S("<meta charset=iso-8859-2"), NULL, "<meta charset=iso-8859-2", "utf-8",
     ZERO_COPY},
    {S("<meta charset=utf-16>caf\xC3\xA9"), NULL,
     "<meta charset=utf-16>caf\xC3\xA9", "utf-8", ZERO_COPY},
    {S("<meta charset=utf-16be>\xE9"), NULL, "<meta charset=utf-16be>" FFFD,
     "utf-8", COPY},
    {S("<meta charset=utf-8>\xE9"), NULL, "<meta charset=utf-8>" FFFD, "utf-8",
     COPY},
    {S("<"), NULL, "<", "utf-8", ZERO_COPY},
    {S("<m"), NULL, "<m", "utf-8", ZERO_COPY},
    {S("<meta"), NULL, "<meta", "utf-8", ZERO_COPY},
    {S("<meta "), NULL, "<meta ", "utf-8", ZERO_COPY},
    {S("<!"), NULL, "<!", "utf-8", ZERO_COPY},
    {S("<!--"), NULL, "<!--", "utf-8", ZERO_COPY},
};

static struct wn_buf scratch;

static wn_result run(const char *in, size_t len, const char *http,
                     const char **out, size_t *out_len, const char **cs)
{
  return extract_charset_to_utf8(in, len, http, &scratch, out, out_len, cs);
}

/* Output checks shared by every case: well-formed, no NUL, named. */
static void check_output(const char *out, size_t out_len, const char *cs)
{
  CHECK(out != NULL);
  if (!out)
    return;
  CHECK(wn_utf8_valid(out, out_len));
  CHECK(memchr(out, '\0', out_len) == NULL);
  CHECK(cs != NULL);
  if (cs)
    CHECK_STR(extract_charset_canonical(cs, strlen(cs)), cs);
}

static void test_cases(void)
{
  const char *out, *cs;
  size_t i, out_len, skip;
  wn_result rc;

  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    out = NULL;
    cs = NULL;
    out_len = 0;
    rc = run(cases[i].in, cases[i].len, cases[i].http, &out, &out_len, &cs);
    CHECK_INT(rc, WN_OK);
    if (rc != WN_OK)
      continue;
    if (out_len != strlen(cases[i].want) ||
        memcmp(out, cases[i].want, out_len) != 0 ||
        strcmp(cs, cases[i].charset) != 0) {
      fprintf(stderr, "case %zu: got \"%.*s\" (%s), want \"%s\" (%s)\n", i,
              (int)out_len, out, cs, cases[i].want, cases[i].charset);
      check_failures++;
    }
    check_output(out, out_len, cs);
    skip = cases[i].len >= 3 && memcmp(cases[i].in, "\xEF\xBB\xBF", 3) == 0 ? 3
                                                                            : 0;
    if (cases[i].zero_copy == ZERO_COPY && out != cases[i].in + skip) {
      fprintf(stderr, "case %zu: expected zero-copy\n", i);
      check_failures++;
    }
    if (cases[i].zero_copy == COPY && out == cases[i].in + skip) {
      fprintf(stderr, "case %zu: expected a copy\n", i);
      check_failures++;
    }
  }
}

/* ---- the prescan window -------------------------------------------------- */

/* A page whose <meta> sits at `at` bytes (filler before), then one 0xB1:
 * ą in iso-8859-2, ± in windows-1252. Returns the charset found. */
static const char *meta_at(size_t at, const char *meta)
{
  struct wn_buf page;
  const char *out = NULL, *cs = NULL;
  size_t out_len = 0;
  size_t i;

  wn_buf_init(&page, 1 << 20);
  for (i = 0; i < at; i++)
    CHECK_INT(wn_buf_addc(&page, (char)(i % 61 == 60 ? '\n' : 'x')), WN_OK);
  CHECK_INT(wn_buf_adds(&page, meta), WN_OK);
  CHECK_INT(wn_buf_adds(&page, "<p>\xB1</p>"), WN_OK);
  CHECK_INT(run(page.data, page.len, NULL, &out, &out_len, &cs), WN_OK);
  if (out)
    check_output(out, out_len, cs);
  wn_buf_free(&page);
  return cs;
}

static void test_window(void)
{
  const size_t w = WN_CHARSET_PRESCAN_BYTES;
  const char *m = "<meta charset=iso-8859-2>";
  const char *q = "<meta charset=\"iso-8859-2\">";
  size_t ml = strlen(m), ql = strlen(q);

  CHECK_STR(meta_at(0, m), "iso-8859-2");
  CHECK_STR(meta_at(1000, m), "iso-8859-2");
  /* '>' is the last byte of the window */
  CHECK_STR(meta_at(w - ml, m), "iso-8859-2");
  CHECK_STR(meta_at(w - ql, q), "iso-8859-2");
  /* '>' is the first byte after it */
  CHECK_STR(meta_at(w - ml + 1, m), "windows-1252");
  CHECK_STR(meta_at(w - ql + 1, q), "windows-1252");
  /* starts at the last byte, or after the window */
  CHECK_STR(meta_at(w - 1, m), "windows-1252");
  CHECK_STR(meta_at(w, m), "windows-1252");
  CHECK_STR(meta_at(w + 100, m), "windows-1252");
  /* a comment that ends only after the window hides a later meta */
  CHECK_STR(meta_at(0, "<!--"), "windows-1252");
}

/* ---- windows-1252 against glibc ----------------------------------------- */

/* The built-in table must agree with glibc's CP1252 wherever glibc defines
 * a byte, and give U+FFFD where it does not. */
static void test_w1252_vs_iconv(void)
{
  iconv_t cd = iconv_open("UTF-8", "CP1252");
  char in[2], want[8], *ip, *op;
  const char *out, *cs;
  size_t ileft, oleft, out_len, r;
  int b, n_defined = 0;

  CHECK(cd != (iconv_t)-1);
  if (cd == (iconv_t)-1)
    return;
  for (b = 1; b < 256; b++) {
    in[0] = (char)b;
    in[1] = '\0';
    ip = in;
    ileft = 1;
    op = want;
    oleft = sizeof(want) - 1;
    r = iconv(cd, &ip, &ileft, &op, &oleft);
    iconv(cd, NULL, NULL, NULL, NULL);
    if (r == (size_t)-1) {
      memcpy(want, FFFD, 4);
    } else {
      *op = '\0';
      n_defined++;
    }
    CHECK_INT(run(in, 1, "windows-1252", &out, &out_len, &cs), WN_OK);
    if (out_len != strlen(want) || memcmp(out, want, out_len) != 0) {
      fprintf(stderr, "byte 0x%02X: got \"%.*s\", want \"%s\"\n", b,
              (int)out_len, out, want);
      check_failures++;
    }
  }
  CHECK_INT(n_defined, 250);
  iconv_close(cd);
}

/* ---- large inputs: chunking and buffer growth --------------------------- */

static void test_large(void)
{
  static const struct {
    const char *unit;
    size_t len;
    const char *http;
    const char *want;
    const char *charset;
  } big[] = {
      {S("\x82\xA0"), "shift_jis", "\xE3\x81\x82", "shift_jis"},
      {S("a\0"), "utf-16le", "a", "utf-16le"},
      {S("caf\xE9 "), NULL, "caf\xC3\xA9 ", "windows-1252"},
      {S("\xA4x"), "iso-8859-15",
       "\xE2\x82\xAC"
       "x",
       "iso-8859-15"},
      {S("a\xFF"), "utf-8", "a" FFFD, "utf-8"},
      {S("\xA4\xA4"), "big5", "\xE4\xB8\xAD", "big5"},
  };
  const size_t reps = 30000;
  struct wn_buf in, want;
  const char *out, *cs;
  size_t i, k, out_len;

  for (i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
    wn_buf_init(&in, 1 << 22);
    wn_buf_init(&want, 1 << 22);
    for (k = 0; k < reps; k++) {
      CHECK_INT(wn_buf_add(&in, big[i].unit, big[i].len), WN_OK);
      CHECK_INT(wn_buf_adds(&want, big[i].want), WN_OK);
    }
    CHECK_INT(run(in.data, in.len, big[i].http, &out, &out_len, &cs), WN_OK);
    CHECK_STR(cs, big[i].charset);
    CHECK_INT(out_len, want.len);
    CHECK(out_len == want.len && memcmp(out, want.data, out_len) == 0);
    wn_buf_free(&in);
    wn_buf_free(&want);
  }
}

/* ---- limits ------------------------------------------------------------ */

static void test_limits(void)
{
  struct wn_buf small;
  const char *out = "unset", *cs = "unset";
  size_t out_len = 12345;
  wn_result rc;

  /* converted output larger than scratch's cap: error, outputs untouched */
  wn_buf_init(&small, 8);
  rc = extract_charset_to_utf8(S("caf\xE9 caf\xE9"), NULL, &small, &out,
                               &out_len, &cs);
  CHECK_INT(rc, WN_E_TOO_LARGE);
  CHECK_STR(out, "unset");
  CHECK_STR(cs, "unset");
  CHECK_INT(out_len, 12345);
  rc = extract_charset_to_utf8(S("\xFF\xFE"
                                 "a\0b\0c\0d\0e\0f\0g\0h\0i\0"),
                               NULL, &small, &out, &out_len, &cs);
  CHECK_INT(rc, WN_E_TOO_LARGE);
  rc = extract_charset_to_utf8(S("\x82\xA0\x82\xA0\x82\xA0"), "shift_jis",
                               &small, &out, &out_len, &cs);
  CHECK_INT(rc, WN_E_TOO_LARGE);
  CHECK_INT(out_len, 12345);

  /* exactly at the cap is fine */
  rc = extract_charset_to_utf8(S("caf\xE9 ab"), NULL, &small, &out, &out_len,
                               &cs);
  CHECK_INT(rc, WN_OK);
  CHECK_INT(out_len, 8);
  CHECK(rc == WN_OK && memcmp(out, "caf\xC3\xA9 ab", 8) == 0);

  /* zero-copy needs no scratch at all */
  rc = extract_charset_to_utf8(S("valid \xC3\xA9 and longer than eight"), NULL,
                               &small, &out, &out_len, &cs);
  CHECK_INT(rc, WN_OK);
  CHECK_STR(cs, "utf-8");
  wn_buf_free(&small);

  /* scratch is reset, not appended to */
  CHECK_INT(run(S("\xE9"), NULL, &out, &out_len, &cs), WN_OK);
  CHECK_INT(run(S("\xE8"), NULL, &out, &out_len, &cs), WN_OK);
  CHECK_INT(out_len, 2);
  CHECK(memcmp(out, "\xC3\xA8", 2) == 0);

  /* NULL input with zero length */
  CHECK_INT(run(NULL, 0, NULL, &out, &out_len, &cs), WN_OK);
  CHECK_INT(out_len, 0);
  CHECK_STR(cs, "utf-8");
}

/* ---- junk ------------------------------------------------------------- */

static uint32_t lcg_state = 12345u;

static uint32_t lcg(void)
{
  lcg_state = lcg_state * 1103515245u + 12345u;
  return lcg_state >> 8;
}

/* Random pages built from pieces that steer the code into every branch:
 * BOMs, markup, declarations, valid and broken UTF-8, NUL, high bytes. */
static void test_junk(void)
{
  static const char *const pieces[] = {
      "<meta charset=",
      "<meta http-equiv=content-type content=\"text/html; charset=",
      "utf-8",
      "shift_jis",
      "utf-16",
      "iso-2022-jp",
      "big5>",
      "'gbk'",
      "\"koi8-r\"",
      ">",
      "<!--",
      "-->",
      "<p title='",
      "</",
      "<?",
      " ",
      "=",
      "\xC3\xA9",
      "\xE4\xB8\xAD",
      "\xF0\x9F\x98\x80",
      "\xED\xA0\x80",
      "\x1B$B",
      "\x1B(B",
  };
  static const char *const http[] = {
      NULL,         "utf-8",       "windows-1252", "shift_jis", "utf-16le",
      "utf-16be",   "iso-2022-jp", "big5",         "gbk",       "euc-jp",
      "euc-kr",     "koi8-r",      "bogus",        "gb18030",   "",
      "iso-8859-2",
  };
  static const char *const boms[] = {"",         "\xEF\xBB\xBF", "\xFF\xFE",
                                     "\xFE\xFF", "\xEF\xBB",     "\xFF"};
  struct wn_buf page;
  const char *out, *cs;
  size_t out_len, target, n;
  uint32_t r;
  int iter, bad = 0;
  wn_result rc;

  wn_buf_init(&page, 1 << 16);
  for (iter = 0; iter < 5000; iter++) {
    wn_buf_reset(&page);
    r = lcg();
    wn_buf_adds(&page, boms[r % 4 == 0 ? (r >> 4) % 6 : 0]);
    target = lcg() % 400;
    while (page.len < target) {
      r = lcg();
      if (r % 3 == 0) {
        wn_buf_adds(&page,
                    pieces[(r >> 4) % (sizeof(pieces) / sizeof(pieces[0]))]);
      } else {
        n = 1 + (r >> 4) % 8;
        while (n--)
          wn_buf_addc(&page, (char)(lcg() & 0xFF));
      }
    }
    r = lcg();
    out = NULL;
    cs = NULL;
    out_len = 0;
    /* Exact-size heap copy so ASan catches any read past the end. */
    {
      char *exact = malloc(page.len ? page.len : 1);

      CHECK(exact != NULL);
      if (!exact)
        break;
      if (page.len)
        memcpy(exact, page.data, page.len);
      rc = run(exact, page.len, http[r % (sizeof(http) / sizeof(http[0]))],
               &out, &out_len, &cs);
      if (rc != WN_OK || !out || !wn_utf8_valid(out, out_len) ||
          memchr(out, '\0', out_len) || !cs ||
          extract_charset_canonical(cs, strlen(cs)) != cs)
        bad++;
      free(exact);
    }
  }
  CHECK_INT(bad, 0);
  wn_buf_free(&page);
}

int main(void)
{
  wn_buf_init(&scratch, 1 << 24);
  test_labels();
  test_cases();
  test_window();
  test_w1252_vs_iconv();
  test_large();
  test_limits();
  test_junk();
  wn_buf_free(&scratch);
  return check_exit();
}
