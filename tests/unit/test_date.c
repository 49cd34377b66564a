/* Unit tests for extract/date.c: extract_date_normalize on dates as pages
 * write them (ISO 8601, RFC 2822, English, French, German, Spanish,
 * Italian, Portuguese, Dutch, numeric, Unix seconds) and on rejects.
 *
 * Every input is copied into a heap block of exactly its length (no NUL)
 * so that the sanitizers catch a read past `len`. */
#include "extract/extract_int.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

struct date_case {
  const char *in;
  const char *want; /* NULL: not a date */
};

static const struct date_case cases[] = {
    /* ---- ISO 8601 ---- */
    {"2019-11-19", "2019-11-19"},
    {"  2019-11-19\n", "2019-11-19"},
    {"\t2019-11-19T05:00:00Z \r\n", "2019-11-19T05:00:00Z"},
    {"2019-11-19T05:00:00Z", "2019-11-19T05:00:00Z"},
    {"2019-11-19T05:00:00.000Z", "2019-11-19T05:00:00Z"},
    {"2019-11-19T05:00:00,5Z", "2019-11-19T05:00:00Z"},
    {"2019-11-19T05:00:00.123456+05:30", "2019-11-19T05:00:00+05:30"},
    {"2019-11-19T05:00:00+0100", "2019-11-19T05:00:00+01:00"},
    {"2019-11-19T05:00:00+01:00", "2019-11-19T05:00:00+01:00"},
    {"2019-11-19T05:00:00-05:00", "2019-11-19T05:00:00-05:00"},
    {"2019-11-19T05:00:00-0930", "2019-11-19T05:00:00-09:30"},
    {"2019-11-19T05:00:00+01", "2019-11-19T05:00:00+01:00"},
    {"2019-11-19T05:00:00 +01:00", "2019-11-19T05:00:00+01:00"},
    {"2019-11-19 05:00:00", "2019-11-19T05:00:00"},
    {"2019-11-19 05:00:00Z", "2019-11-19T05:00:00Z"},
    {"2019-11-19t05:00:00z", "2019-11-19T05:00:00Z"},
    {"2019-11-19T05:00", "2019-11-19T05:00:00"},
    {"2019-11-19T23:59:59Z", "2019-11-19T23:59:59Z"},
    {"2019-11-19T00:00:00+00:00", "2019-11-19T00:00:00+00:00"},
    {"2020-02-29", "2020-02-29"},
    {"2000-02-29", "2000-02-29"},
    {"1900-01-01", "1900-01-01"},
    {"2200-12-31", "2200-12-31"},
    {"2019-12-31T23:59:59.999999999Z", "2019-12-31T23:59:59Z"},
    /* a zone word after an ISO date-time is a zone, as after RFC 2822 */
    {"2019-11-19T05:00:00 GMT", "2019-11-19T05:00:00Z"},

    /* ---- RFC 2822 / RFC 1123 ---- */
    {"Tue, 19 Nov 2019 05:00:00 GMT", "2019-11-19T05:00:00Z"},
    {"Tue, 19 Nov 2019 05:00:00 UTC", "2019-11-19T05:00:00Z"},
    {"19 Nov 2019 05:00 GMT", "2019-11-19T05:00:00Z"},
    {"Tue, 19 Nov 2019", "2019-11-19"},
    {"Sat, 29 Feb 2020 23:59:59 GMT", "2020-02-29T23:59:59Z"},
    /* numeric zones are part of the instant: they must not be dropped */
    {"Tue, 19 Nov 2019 05:00:00 +0100", "2019-11-19T05:00:00+01:00"},
    {"Tue, 19 Nov 2019 05:00:00 -0500", "2019-11-19T05:00:00-05:00"},
    {"Tue, 19 Nov 2019 05:00:00 +0000", "2019-11-19T05:00:00+00:00"},

    /* ---- English ---- */
    {"November 19, 2019", "2019-11-19"},
    {"Nov 19, 2019", "2019-11-19"},
    {"Nov. 19, 2019", "2019-11-19"},
    {"NOVEMBER 19, 2019", "2019-11-19"},
    {"Tuesday, November 19, 2019", "2019-11-19"},
    {"19 November 2019", "2019-11-19"},
    {"Sept. 5, 2020", "2020-09-05"},
    {"Sep 5, 2020", "2020-09-05"},
    {"May 5, 2020", "2020-05-05"},
    {"Feb 29, 2020", "2020-02-29"},
    {"Posted on March 5, 2020 at 10:30", "2020-03-05T10:30:00"},
    {"Updated: 3 Mar 2021 14:05:09 UTC", "2021-03-03T14:05:09Z"},
    /* ET is EST or EDT depending on the day: a local time, no offset */
    {"Nov. 19, 2019 8:21 am ET", "2019-11-19T08:21:00"},
    {"Updated Nov. 19, 2019 8:21 am ET", "2019-11-19T08:21:00"},
    {"Nov. 19, 2019 8:21 pm ET", "2019-11-19T20:21:00"},
    {"Nov. 19, 2019 8:21 PM", "2019-11-19T20:21:00"},
    {"November 19, 2019 10:30:15 pm", "2019-11-19T22:30:15"},
    {"November 19, 2019 12:30 pm", "2019-11-19T12:30:00"},
    /* 12 am is midnight */
    {"November 19, 2019 12:30 am", "2019-11-19T00:30:00"},
    /* AP style, the most common US news style */
    {"Nov. 19, 2019 8:21 p.m. ET", "2019-11-19T20:21:00"},
    {"Nov. 19, 2019 8:21 a.m. ET", "2019-11-19T08:21:00"},
    /* ordinal suffixes */
    {"November 19th, 2019", "2019-11-19"},
    {"November 1st, 2019", "2019-11-01"},
    {"19th November 2019", "2019-11-19"},
    {"Tuesday 3rd March 2020", "2020-03-03"},

    /* ---- French ---- */
    {"19 novembre 2019", "2019-11-19"},
    {"mardi 22 octobre 2024", "2024-10-22"},
    {"Mardi 22 Octobre 2024", "2024-10-22"},
    {"15 f\xc3\xa9vrier 2020", "2020-02-15"},
    {"15 ao\xc3\xbbt 2020", "2020-08-15"},
    {"3 D\xc3\x89"
     "CEMBRE 2021",
     "2021-12-03"},
    {"19 nov. 2019", "2019-11-19"},
    {"12 juil. 2021", "2021-07-12"},
    {"19 novembre 2019 \xc3\xa0 14:30", "2019-11-19T14:30:00"},
    {"Publi\xc3\xa9 le 19 novembre 2019 \xc3\xa0 14h30", "2019-11-19T14:30:00"},
    {"19 novembre 2019 \xc3\xa0 14h30", "2019-11-19T14:30:00"},
    {"1er janvier 2020", "2020-01-01"},
    {"Mis \xc3\xa0 jour le 1er mars 2021", "2021-03-01"},

    /* ---- German ---- */
    {"19. November 2019", "2019-11-19"},
    {"3. M\xc3\xa4rz 2020", "2020-03-03"},
    {"3. Maerz 2020", "2020-03-03"},
    {"1. Mai 2020", "2020-05-01"},
    {"Dienstag, 19. November 2019, 14:30 Uhr", "2019-11-19T14:30:00"},
    {"24. Dez. 2019", "2019-12-24"},

    /* ---- Spanish ---- */
    {"19 de noviembre de 2019", "2019-11-19"},
    {"martes, 19 de noviembre de 2019", "2019-11-19"},
    {"1 de enero de 2020", "2020-01-01"},
    {"Actualizado el 5 de agosto de 2021 a las 10:15", "2021-08-05T10:15:00"},
    {"s\xc3\xa1"
     "bado 7 de diciembre de 2019",
     "2019-12-07"},

    /* ---- Italian ---- */
    {"5 dicembre 2019", "2019-12-05"},
    {"marted\xc3\xac 19 novembre 2019", "2019-11-19"},
    {"3 gennaio 2020", "2020-01-03"},
    {"1\xc2\xb0 marzo 2020", "2020-03-01"},
    {"12 settembre 2019 ore 10:45", "2019-09-12T10:45:00"},

    /* ---- Portuguese ---- */
    {"19 de novembro de 2019", "2019-11-19"},
    {"3 de mar\xc3\xa7o de 2020", "2020-03-03"},
    {"ter\xc3\xa7"
     "a-feira, 19 de novembro de 2019",
     "2019-11-19"},
    {"10 de outubro de 2018", "2018-10-10"},

    /* ---- Dutch ---- */
    {"19 mei 2020", "2020-05-19"},
    {"3 maart 2020", "2020-03-03"},

    /* ---- numeric ---- */
    {"19/11/2019", "2019-11-19"},
    {"11/19/2019", "2019-11-19"}, /* month first when the day is > 12 */
    {"05/06/2019", "2019-06-05"}, /* ambiguous: day first */
    {"2019/11/19", "2019-11-19"},
    {"19.11.2019", "2019-11-19"},
    {"19-11-2019", "2019-11-19"},
    {"2019.11.19", "2019-11-19"},
    {"20191119", "2019-11-19"},
    {"29/02/2020", "2020-02-29"},
    /* a time after a numeric date is kept as a free-form one is; the
     * "10h20" example is content.c's own dateline comment */
    {"19/11/2019 14:30", "2019-11-19T14:30:00"},
    {"07/11/2024 10h20", "2024-11-07T10:20:00"},

    /* ---- a label before an ISO date (a dateline) ---- */
    {"Updated: 2019-11-19", "2019-11-19"},
    {"Published 2019-11-19T05:00:00Z", "2019-11-19T05:00:00Z"},

    /* ---- Unix seconds ---- */
    {"1574168486", "2019-11-19T13:01:26Z"},
    {"1582934400", "2020-02-29T00:00:00Z"},
    {"1709251199", "2024-02-29T23:59:59Z"},
    {"631152001", NULL},  /* nine digits: not seconds, not a date */
    {"0000000001", NULL}, /* 1970: before the accepted range */
    {"9999999999", NULL}, /* 2286: after it */

    /* ---- rejects ---- */
    {"", NULL},
    {"   \t\n ", NULL},
    {"garbage", NULL},
    {"not a date at all", NULL},
    {"2019-13-45", NULL},
    {"2019-00-10", NULL},
    {"2019-11-00", NULL},
    {"2019-11-31", NULL},
    {"2019-02-29", NULL},
    {"2100-02-29", NULL},
    {"0000-00-00", NULL},
    {"9999-99-99", NULL},
    {"Feb 30, 2020", NULL},
    {"February 29, 2019", NULL},
    {"31 avril 2020", NULL},
    {"November 2019", NULL},
    {"November", NULL},
    {"19 November", NULL},
    {"2019", NULL},
    {"12:30", NULL},
    {"Tue", NULL},
    {"19/11/19", NULL},
    {"32/01/2020", NULL},
    {"00/01/2020", NULL},
    {"13/13/2020", NULL},
    {"3 days ago", NULL},
    {"Posted 2 hours ago", NULL},
    {"1899-12-31", NULL},
    {"2201-01-01", NULL},
    {"19 novembre 1850", NULL},
    {"November 19, 2250", NULL},
    {"01/01/1800", NULL},
    {"18000101", NULL},
    {"\xff\xfe\xfd", NULL},
    {"\xc3", NULL},
    {"-", NULL},
};

/* A string longer than any date: refused whatever it holds. */
static void check_long_inputs(void)
{
  char big[301], out[32];
  size_t i;

  /* 300 bytes of letters */
  memset(big, 'a', 300);
  big[300] = '\0';
  CHECK_INT(extract_date_normalize(big, 300, out), 0);
  /* a date followed by 290 bytes of non-space junk */
  memcpy(big, "2019-11-19", 10);
  memset(big + 10, 'x', 290);
  CHECK_INT(extract_date_normalize(big, 300, out), 0);
  /* a date buried in 300 bytes of words */
  for (i = 0; i < 300; i++)
    big[i] = (i % 6 == 5) ? ' ' : 'w';
  memcpy(big + 150, "19 Nov 2019", 11);
  CHECK_INT(extract_date_normalize(big, 300, out), 0);
  /* padding is trimmed first: a date inside 300 bytes of spaces is fine */
  memset(big, ' ', 300);
  memcpy(big + 140, "2019-11-19", 10);
  CHECK_INT(extract_date_normalize(big, 300, out), 1);
  CHECK_STR(out, "2019-11-19");
}

/* len is honoured: bytes after it are not part of the date. */
static void check_len(void)
{
  static const struct {
    const char *s;
    size_t len;
    const char *want;
  } lc[] = {
      {"2019-11-19T05:00:00Z", 10, "2019-11-19"},
      {"2019-11-19T05:00:00Z", 16, "2019-11-19T05:00:00"},
      {"2019-11-19T05:00:00Z", 7, NULL},
      {"19 novembre 2019", 12, NULL},
      {"1574168486", 9, NULL},
      {"2019-11-19\0garbage", 10, "2019-11-19"},
  };
  size_t k;

  for (k = 0; k < sizeof(lc) / sizeof(lc[0]); k++) {
    char out[32];
    int ok = extract_date_normalize(lc[k].s, lc[k].len, out);

    CHECK_INT(ok, lc[k].want != NULL);
    if (ok && lc[k].want)
      CHECK_STR(out, lc[k].want);
  }
}

int main(void)
{
  size_t k;

  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    const struct date_case *c = &cases[k];
    size_t len = strlen(c->in);
    char *copy = malloc(len ? len : 1);
    char out[32];
    int ok;

    if (!copy)
      return 2;
    memcpy(copy, c->in, len);
    memset(out, 'Z', sizeof(out));
    out[31] = '\0';
    ok = extract_date_normalize(copy, len, out);
    if (ok != (c->want != NULL)) {
      fprintf(stderr, "case %zu \"%s\": got %s, want %s\n", k, c->in,
              ok ? out : "(rejected)", c->want ? c->want : "(rejected)");
      check_failures++;
    } else if (ok) {
      if (!memchr(out, '\0', sizeof(out))) {
        fprintf(stderr, "case %zu \"%s\": output not terminated\n", k, c->in);
        check_failures++;
      } else if (strcmp(out, c->want) != 0) {
        fprintf(stderr, "case %zu \"%s\":\n  got:  %s\n  want: %s\n", k, c->in,
                out, c->want);
        check_failures++;
      }
    }
    free(copy);
  }
  check_long_inputs();
  check_len();
  return check_exit();
}
