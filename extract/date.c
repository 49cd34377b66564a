/* Date normalisation to ISO 8601. */
#include "extract/extract_int.h"

#include <stdio.h>
#include <string.h>

struct month_name {
  const char *name; /* folded: lower-case ASCII, accents removed */
  int month;
};

/* English, French, German, Spanish, Italian, Portuguese, Dutch names and
 * common abbreviations. Matched as a prefix of at least 3 letters. */
static const struct month_name months[] = {
    {"january", 1},   {"janvier", 1},    {"januar", 1},    {"enero", 1},
    {"gennaio", 1},   {"janeiro", 1},    {"januari", 1},   {"jan", 1},
    {"february", 2},  {"fevrier", 2},    {"februar", 2},   {"febrero", 2},
    {"febbraio", 2},  {"fevereiro", 2},  {"februari", 2},  {"feb", 2},
    {"fev", 2},       {"march", 3},      {"mars", 3},      {"marz", 3},
    {"maerz", 3},     {"marzo", 3},      {"marco", 3},     {"maart", 3},
    {"mar", 3},       {"april", 4},      {"avril", 4},     {"abril", 4},
    {"aprile", 4},    {"apr", 4},        {"avr", 4},       {"abr", 4},
    {"may", 5},       {"mai", 5},        {"mayo", 5},      {"maggio", 5},
    {"maio", 5},      {"mei", 5},        {"june", 6},      {"juin", 6},
    {"juni", 6},      {"junio", 6},      {"giugno", 6},    {"junho", 6},
    {"jun", 6},       {"july", 7},       {"juillet", 7},   {"juli", 7},
    {"julio", 7},     {"luglio", 7},     {"julho", 7},     {"jul", 7},
    {"juil", 7},      {"august", 8},     {"aout", 8},      {"agosto", 8},
    {"augustus", 8},  {"aug", 8},        {"ago", 8},       {"september", 9},
    {"septembre", 9}, {"septiembre", 9}, {"settembre", 9}, {"setembro", 9},
    {"sep", 9},       {"sept", 9},       {"set", 9},       {"october", 10},
    {"octobre", 10},  {"oktober", 10},   {"octubre", 10},  {"ottobre", 10},
    {"outubro", 10},  {"oct", 10},       {"okt", 10},      {"ott", 10},
    {"out", 10},      {"november", 11},  {"novembre", 11}, {"noviembre", 11},
    {"novembro", 11}, {"nov", 11},       {"december", 12}, {"decembre", 12},
    {"dezember", 12}, {"diciembre", 12}, {"dicembre", 12}, {"dezembro", 12},
    {"dec", 12},      {"dez", 12},       {"dic", 12},
};

/* A token of the date string: a number or a word. */
struct tok {
  int is_num;
  long num;
  int digits;
  char word[16];
  size_t pos; /* offset in the source */
};

static int days_in_month(int y, int m)
{
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return d[m - 1];
}

static int valid_ymd(long y, long m, long d)
{
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
         d <= days_in_month((int)y, (int)m);
}

/* Write a date or date-time; every field is already range-checked, the
 * modulo only tells the compiler so. */
static void put_date(char out[32], long y, long mo, long d)
{
  snprintf(out, 32, "%04u-%02u-%02u", (unsigned)(y % 10000),
           (unsigned)(mo % 100), (unsigned)(d % 100));
}

static void put_datetime(char out[32], long y, long mo, long d, long h, long mi,
                         long se, const char *zone)
{
  snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u%.6s", (unsigned)(y % 10000),
           (unsigned)(mo % 100), (unsigned)(d % 100), (unsigned)(h % 100),
           (unsigned)(mi % 100), (unsigned)(se % 100), zone);
}

static int month_of(const char *w)
{
  size_t n = strlen(w), k;

  if (n < 3)
    return 0;
  for (k = 0; k < sizeof(months) / sizeof(months[0]); k++) {
    size_t m = strlen(months[k].name);
    /* the word is the name, or an abbreviation of it */
    if ((n == m || (n < m && n >= 3)) && strncmp(months[k].name, w, n) == 0)
      return months[k].month;
  }
  return 0;
}

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static int num(const char *s, size_t n, long *out)
{
  long v = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    if (!is_digit(s[i]))
      return 0;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 1;
}

/* ISO 8601: YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][Z|(+|-)hh[:]mm] */
static int iso(const char *s, size_t len, char out[32])
{
  long y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0;
  size_t i = 10;
  int has_time = 0, has_sec = 0;
  char zone[8] = "";

  if (len < 10 || !num(s, 4, &y) || s[4] != '-' || !num(s + 5, 2, &mo) ||
      s[7] != '-' || !num(s + 8, 2, &d) || !valid_ymd(y, mo, d))
    return 0;
  if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') &&
      i + 5 < len + 0 && len - i >= 6 && num(s + i + 1, 2, &h) &&
      s[i + 3] == ':' && num(s + i + 4, 2, &mi)) {
    has_time = 1;
    i += 6;
    if (i + 2 < len + 0 && len - i >= 3 && s[i] == ':' &&
        num(s + i + 1, 2, &se)) {
      has_sec = 1;
      i += 3;
      if (i < len && (s[i] == '.' || s[i] == ','))
        for (i++; i < len && is_digit(s[i]); i++)
          ;
    }
    while (i < len && s[i] == ' ')
      i++;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
      memcpy(zone, "Z", 2);
    } else if (i < len && (s[i] == '+' || s[i] == '-') && len - i >= 3 &&
               num(s + i + 1, 2, &oh)) {
      size_t j = i + 3;
      if (j < len && s[j] == ':')
        j++;
      if (len - j >= 2 && num(s + j, 2, &om)) {
        /* hh:mm or hhmm */
      } else {
        om = 0;
      }
      if (oh > 14 || om > 59)
        return 0;
      snprintf(zone, sizeof(zone), "%c%02u:%02u", s[i], (unsigned)(oh % 100),
               (unsigned)(om % 100));
    }
    if (h > 23 || mi > 59 || se > 60)
      return 0;
  }
  (void)has_sec;
  if (has_time)
    put_datetime(out, y, mo, d, h, mi, se, zone);
  else
    put_date(out, y, mo, d);
  return 1;
}

/* Split into number and word tokens, folding accents of month names. */
static size_t tokenize(const char *s, size_t len, struct tok *t, size_t max)
{
  size_t i = 0, n = 0;

  while (i < len && n < max) {
    unsigned char c = (unsigned char)s[i];

    if (is_digit((char)c)) {
      long v = 0;
      int dg = 0;
      t[n].pos = i;
      while (i < len && is_digit(s[i])) {
        if (dg < 9)
          v = v * 10 + (s[i] - '0');
        dg++;
        i++;
      }
      t[n].is_num = 1;
      t[n].num = v;
      t[n].digits = dg;
      t[n].word[0] = '\0';
      n++;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0xC3 ||
        c == 0xC5) {
      size_t w = 0;
      t[n].pos = i;
      while (i < len) {
        c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          if (w < sizeof(t[n].word) - 1)
            t[n].word[w++] = (char)wn_ascii_tolower(c);
          i++;
        } else if (c == 0xC3 && i + 1 < len) {
          /* é è ê ë -> e, û ü -> u, ä -> a, ç -> c, ô -> o */
          unsigned char d = (unsigned char)s[i + 1];
          char f = (d >= 0xA0 && d <= 0xA5)   ? 'a'
                   : (d >= 0xA8 && d <= 0xAB) ? 'e'
                   : (d >= 0xB9 && d <= 0xBC) ? 'u'
                   : (d == 0xA7)              ? 'c'
                   : (d >= 0xB2 && d <= 0xB6) ? 'o'
                   : (d >= 0x80 && d <= 0x85) ? 'a'
                   : (d >= 0x88 && d <= 0x8B) ? 'e'
                   : (d >= 0xAC && d <= 0xAF) ? 'i'
                                              : 'x';
          if (w < sizeof(t[n].word) - 1)
            t[n].word[w++] = f;
          i += 2;
        } else {
          break;
        }
      }
      if (w == 0) {
        i++;
        continue;
      }
      t[n].word[w] = '\0';
      t[n].is_num = 0;
      n++;
      continue;
    }
    i++;
  }
  return n;
}

/* Free-form dates: day month year, month day year, with an optional
 * hh:mm time and zone word. */
static int freeform(const char *s, size_t len, char out[32])
{
  struct tok t[24];
  size_t n = tokenize(s, len, t, 24), k;
  long y = 0, mo = 0, d = 0, h = -1, mi = 0, se = 0;
  int utc = 0;

  for (k = 0; k < n && !mo; k++) {
    int m;

    if (t[k].is_num)
      continue;
    m = month_of(t[k].word);
    if (!m)
      continue;
    /* day before the month ("19 novembre 2019", "19. November") */
    if (k >= 1 && t[k - 1].is_num && t[k - 1].digits <= 2 && k + 1 < n &&
        t[k + 1].is_num && t[k + 1].digits == 4) {
      d = t[k - 1].num;
      y = t[k + 1].num;
      mo = m;
    } else if (k >= 1 && t[k - 1].is_num && t[k - 1].digits <= 2 && k + 2 < n &&
               !t[k + 1].is_num && t[k + 2].is_num && t[k + 2].digits == 4) {
      /* "19 de noviembre de 2019" */
      d = t[k - 1].num;
      y = t[k + 2].num;
      mo = m;
    } else if (k + 2 < n && t[k + 1].is_num && t[k + 1].digits <= 2 &&
               t[k + 2].is_num && t[k + 2].digits == 4) {
      /* "November 19, 2019" */
      d = t[k + 1].num;
      y = t[k + 2].num;
      mo = m;
    } else if (k + 1 < n && t[k + 1].is_num && t[k + 1].digits == 4 && k >= 1 &&
               t[k - 1].is_num && t[k - 1].digits == 4) {
      continue;
    } else {
      continue;
    }
    /* a time after the year: hh:mm[:ss] */
    {
      size_t after = k + 2;
      size_t j;
      for (j = after; j + 1 < n; j++) {
        if (t[j].is_num && t[j].digits <= 2 && t[j + 1].is_num &&
            t[j + 1].digits == 2 && t[j + 1].pos > 0 &&
            (s[t[j + 1].pos - 1] == ':' || s[t[j + 1].pos - 1] == 'h')) {
          h = t[j].num;
          mi = t[j + 1].num;
          if (j + 2 < n && t[j + 2].is_num && t[j + 2].digits == 2 &&
              s[t[j + 2].pos - 1] == ':')
            se = t[j + 2].num;
          if (j + 3 < n && !t[j + 3].is_num &&
              (strcmp(t[j + 3].word, "pm") == 0) && h < 12)
            h += 12;
          else if (j + 2 < n && !t[j + 2].is_num &&
                   strcmp(t[j + 2].word, "pm") == 0 && h < 12)
            h += 12;
          break;
        }
      }
      for (j = after; j < n; j++)
        if (!t[j].is_num &&
            (strcmp(t[j].word, "gmt") == 0 || strcmp(t[j].word, "utc") == 0 ||
             strcmp(t[j].word, "z") == 0))
          utc = 1;
    }
  }
  if (!mo || !valid_ymd(y, mo, d))
    return 0;
  if (h >= 0 && h <= 23 && mi <= 59 && se <= 60)
    put_datetime(out, y, mo, d, h, mi, se, utc ? "Z" : "");
  else
    put_date(out, y, mo, d);
  return 1;
}

/* "2019/11/19", "19.11.2019", "19/11/2019" (day first when unambiguous
 * or when the day is > 12), "20191119". */
static int numeric(const char *s, size_t len, char out[32])
{
  struct tok t[8];
  size_t n = tokenize(s, len, t, 8);
  long y, mo, d;

  if (n == 1 && t[0].is_num && t[0].digits == 8) {
    y = t[0].num / 10000;
    mo = (t[0].num / 100) % 100;
    d = t[0].num % 100;
  } else if (n >= 3 && t[0].is_num && t[1].is_num && t[2].is_num) {
    if (t[0].digits == 4) {
      y = t[0].num;
      mo = t[1].num;
      d = t[2].num;
    } else if (t[2].digits == 4) {
      y = t[2].num;
      d = t[0].num;
      mo = t[1].num;
      if (mo > 12 && d <= 12) { /* US order */
        long x = d;
        d = mo;
        mo = x;
      }
    } else {
      return 0;
    }
  } else {
    return 0;
  }
  if (!valid_ymd(y, mo, d))
    return 0;
  put_date(out, y, mo, d);
  return 1;
}

int extract_date_normalize(const char *s, size_t len, char out[32])
{
  long secs;

  while (len && wn_ascii_isspace((unsigned char)*s)) {
    s++;
    len--;
  }
  while (len && wn_ascii_isspace((unsigned char)s[len - 1]))
    len--;
  if (len == 0 || len > 200)
    return 0;
  if (iso(s, len, out))
    return 1;
  /* Unix seconds between 1990 and 2100 */
  if (len == 10 && num(s, len, &secs) && secs > 631152000L &&
      secs < 4102444800L) {
    long days = secs / 86400, rem = secs % 86400, y = 1970, m = 1;
    while (days >= ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365)) {
      days -= ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 366 : 365;
      y++;
    }
    while (days >= days_in_month((int)y, (int)m)) {
      days -= days_in_month((int)y, (int)m);
      m++;
    }
    put_datetime(out, y, m, days + 1, rem / 3600, (rem / 60) % 60, rem % 60,
                 "Z");
    return 1;
  }
  if (freeform(s, len, out))
    return 1;
  return numeric(s, len, out);
}
