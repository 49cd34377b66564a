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
  size_t pos;  /* offset in the source */
  char before; /* the source character before the token */
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

/* ISO 8601: YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][Z|(+|-)hh[:]mm| GMT| UTC].
 * A time or zone that does not parse leaves the date alone. */
static int iso(const char *s, size_t len, char out[32])
{
  long y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0;
  size_t i = 10;
  int has_time = 0;
  char zone[8] = "";

  if (len < 10 || !num(s, 4, &y) || s[4] != '-' || !num(s + 5, 2, &mo) ||
      s[7] != '-' || !num(s + 8, 2, &d) || !valid_ymd(y, mo, d))
    return 0;
  if (len - i >= 6 && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') &&
      num(s + i + 1, 2, &h) && s[i + 3] == ':' && num(s + i + 4, 2, &mi) &&
      h <= 23 && mi <= 59) {
    has_time = 1;
    i += 6;
    if (len - i >= 3 && s[i] == ':' && num(s + i + 1, 2, &se) && se <= 60) {
      i += 3;
      if (i < len && (s[i] == '.' || s[i] == ','))
        for (i++; i < len && is_digit(s[i]); i++)
          ;
    } else {
      se = 0;
    }
    while (i < len && s[i] == ' ')
      i++;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
      memcpy(zone, "Z", 2);
    } else if (len - i >= 3 && (wn_ascii_ncasecmp(s + i, "gmt", 3) == 0 ||
                                wn_ascii_ncasecmp(s + i, "utc", 3) == 0)) {
      memcpy(zone, "Z", 2);
    } else if (len - i >= 3 && (s[i] == '+' || s[i] == '-') &&
               num(s + i + 1, 2, &oh)) {
      size_t j = i + 3;
      if (j < len && s[j] == ':')
        j++;
      if (len - j < 2 || !num(s + j, 2, &om))
        om = 0;
      if (oh <= 14 && om <= 59)
        snprintf(zone, sizeof(zone), "%c%02u:%02u", s[i], (unsigned)(oh % 100),
                 (unsigned)(om % 100));
    }
  }
  if (has_time)
    put_datetime(out, y, mo, d, h, mi, se, zone);
  else
    put_date(out, y, mo, d);
  return 1;
}

/* Split into number and word tokens; accents of month names folded.
 * Each token remembers the character before it (':' '/' '+' ...). */
static size_t tokenize(const char *s, size_t len, struct tok *t, size_t max)
{
  size_t i = 0, n = 0;

  while (i < len && n < max) {
    unsigned char c = (unsigned char)s[i];

    t[n].pos = i;
    t[n].before = i ? s[i - 1] : ' ';
    if (is_digit((char)c)) {
      long v = 0;
      int dg = 0;
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
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0xC3) {
      size_t w = 0;
      while (i < len) {
        c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          if (w < sizeof(t[n].word) - 1)
            t[n].word[w++] = (char)wn_ascii_tolower(c);
          i++;
        } else if (c == 0xC3 && i + 1 < len) {
          /* Latin-1 letters: à-å -> a, è-ë -> e, ì-ï -> i, ò-ö -> o,
           * ù-ü -> u, ç -> c (upper and lower case) */
          unsigned char d = (unsigned char)s[i + 1] & 0xDF;
          char f = (d >= 0x80 && d <= 0x85)   ? 'a'
                   : (d >= 0x88 && d <= 0x8B) ? 'e'
                   : (d >= 0x8C && d <= 0x8F) ? 'i'
                   : (d >= 0x92 && d <= 0x96) ? 'o'
                   : (d >= 0x99 && d <= 0x9C) ? 'u'
                   : (d == 0x87)              ? 'c'
                                              : 'x';
          if (w < sizeof(t[n].word) - 1)
            t[n].word[w++] = f;
          i += 2;
        } else {
          break;
        }
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

static int word_is(const struct tok *t, const char *w)
{
  return !t->is_num && strcmp(t->word, w) == 0;
}

/* Drop words that only glue a date together ("19 de noviembre de 2019",
 * "le 1er mars", "19th of November") and ordinal suffixes stuck to their
 * number. */
static size_t drop_fillers(const char *s, struct tok *t, size_t n)
{
  static const char *const fillers[] = {"de",  "del", "do", "da", "of",
                                        "the", "le",  "el", "den"};
  static const char *const ordinals[] = {"st",  "nd", "rd", "th", "er",
                                         "eme", "e",  "o",  "a",  "re"};
  size_t i, k, out = 0;

  for (i = 0; i < n; i++) {
    int drop = 0;

    if (!t[i].is_num) {
      for (k = 0; k < sizeof(fillers) / sizeof(fillers[0]); k++)
        if (strcmp(t[i].word, fillers[k]) == 0)
          drop = 1;
      if (i > 0 && t[i - 1].is_num && t[i].pos > 0 && is_digit(s[t[i].pos - 1]))
        for (k = 0; k < sizeof(ordinals) / sizeof(ordinals[0]); k++)
          if (strcmp(t[i].word, ordinals[k]) == 0)
            drop = 1;
    }
    if (!drop)
      t[out++] = t[i];
  }
  return out;
}

struct clock {
  long h, mi, se;
  char zone[8];
  int ok;
};

/* A time after token `from`: hh:mm[:ss], hh h mm ("14h30"), with a.m./pm
 * and a zone (GMT, UTC, Z, +0100, -05:00). */
static void find_time(const struct tok *t, size_t n, size_t from,
                      struct clock *c)
{
  size_t j, k;

  memset(c, 0, sizeof(*c));
  for (j = from; j + 1 < n; j++) {
    size_t m;

    if (!t[j].is_num || t[j].digits > 2 || t[j].num > 23)
      continue;
    if (t[j + 1].is_num && t[j + 1].digits == 2 && t[j + 1].before == ':')
      m = j + 1;
    else if (j + 2 < n && word_is(&t[j + 1], "h") && t[j + 2].is_num &&
             t[j + 2].digits == 2)
      m = j + 2;
    else
      continue;
    if (t[m].num > 59)
      continue;
    c->h = t[j].num;
    c->mi = t[m].num;
    k = m + 1;
    if (k < n && t[k].is_num && t[k].digits == 2 && t[k].before == ':' &&
        t[k].num <= 60) {
      c->se = t[k].num;
      k++;
    }
    /* am / pm, also written a.m. and p.m. */
    if (k < n && (word_is(&t[k], "pm") || (word_is(&t[k], "p") && k + 1 < n &&
                                           word_is(&t[k + 1], "m")))) {
      if (c->h < 12)
        c->h += 12;
      k += word_is(&t[k], "p") ? 2 : 1;
    } else if (k < n &&
               (word_is(&t[k], "am") || (word_is(&t[k], "a") && k + 1 < n &&
                                         word_is(&t[k + 1], "m")))) {
      if (c->h == 12)
        c->h = 0;
      k += word_is(&t[k], "a") ? 2 : 1;
    }
    for (; k < n && k < m + 6; k++) {
      if (word_is(&t[k], "gmt") || word_is(&t[k], "utc") ||
          word_is(&t[k], "z")) {
        memcpy(c->zone, "Z", 2);
        break;
      }
      if (t[k].is_num && (t[k].before == '+' || t[k].before == '-')) {
        long oh = -1, om = 0;
        if (t[k].digits == 4) {
          oh = t[k].num / 100;
          om = t[k].num % 100;
        } else if (t[k].digits == 2) {
          oh = t[k].num;
          if (k + 1 < n && t[k + 1].is_num && t[k + 1].digits == 2 &&
              t[k + 1].before == ':')
            om = t[k + 1].num;
        }
        if (oh >= 0 && oh <= 14 && om <= 59)
          snprintf(c->zone, sizeof(c->zone), "%c%02u:%02u", t[k].before,
                   (unsigned)(oh % 100), (unsigned)(om % 100));
        break;
      }
    }
    c->ok = 1;
    return;
  }
}

/* Day, month and year: with a month name ("19 novembre 2019", "November
 * 19, 2019", "19. November 2019") or numeric ("19/11/2019", "2019/11/19",
 * "20191119"; day first unless that is impossible). Sets *next to the
 * token after the date. */
static int find_date(const struct tok *t, size_t n, long *y, long *mo, long *d,
                     size_t *next)
{
  size_t k;

  for (k = 0; k < n; k++) {
    int m;

    if (t[k].is_num)
      continue;
    m = month_of(t[k].word);
    if (!m)
      continue;
    if (k >= 1 && t[k - 1].is_num && t[k - 1].digits <= 2 && k + 1 < n &&
        t[k + 1].is_num && t[k + 1].digits == 4) {
      *d = t[k - 1].num;
      *y = t[k + 1].num;
      *mo = m;
      *next = k + 2;
      return valid_ymd(*y, *mo, *d);
    }
    if (k + 2 < n && t[k + 1].is_num && t[k + 1].digits <= 2 &&
        t[k + 2].is_num && t[k + 2].digits == 4) {
      *d = t[k + 1].num;
      *y = t[k + 2].num;
      *mo = m;
      *next = k + 3;
      return valid_ymd(*y, *mo, *d);
    }
  }
  for (k = 0; k < n; k++) {
    if (!t[k].is_num)
      continue;
    if (t[k].digits == 8) {
      *y = t[k].num / 10000;
      *mo = (t[k].num / 100) % 100;
      *d = t[k].num % 100;
      *next = k + 1;
      return valid_ymd(*y, *mo, *d);
    }
    if (k + 2 >= n || !t[k + 1].is_num || !t[k + 2].is_num)
      continue;
    if (t[k].digits == 4 && t[k + 1].digits <= 2 && t[k + 2].digits <= 2) {
      *y = t[k].num;
      *mo = t[k + 1].num;
      *d = t[k + 2].num;
    } else if (t[k].digits <= 2 && t[k + 1].digits <= 2 &&
               t[k + 2].digits == 4) {
      *d = t[k].num;
      *mo = t[k + 1].num;
      *y = t[k + 2].num;
      if (*mo > 12 && *d <= 12) { /* US order */
        long x = *d;
        *d = *mo;
        *mo = x;
      }
    } else {
      continue;
    }
    *next = k + 3;
    return valid_ymd(*y, *mo, *d);
  }
  return 0;
}

/* Dates as people write them, with an optional time. */
static int freeform(const char *s, size_t len, char out[32])
{
  struct tok t[32];
  size_t n = drop_fillers(s, t, tokenize(s, len, t, 32)), next = 0;
  long y = 0, mo = 0, d = 0;
  struct clock c;

  if (!find_date(t, n, &y, &mo, &d, &next))
    return 0;
  find_time(t, n, next, &c);
  if (c.ok)
    put_datetime(out, y, mo, d, c.h, c.mi, c.se, c.zone);
  else
    put_date(out, y, mo, d);
  return 1;
}

/* An ISO date after a label ("Updated: 2019-11-19"). */
static int iso_inside(const char *s, size_t len, char out[32])
{
  size_t i;

  for (i = 1; i + 10 <= len; i++)
    if (is_digit(s[i]) && !is_digit(s[i - 1]) && s[i + 4] == '-' &&
        s[i + 7] == '-' && iso(s + i, len - i, out))
      return 1;
  return 0;
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
  /* Unix time in seconds or milliseconds, 1990 to 2100 */
  if ((len == 10 || len == 13) && num(s, len, &secs)) {
    if (len == 13)
      secs /= 1000;
    if (secs > 631152000L && secs < 4102444800L) {
      long days = secs / 86400, rem = secs % 86400, y = 1970, m = 1;
      while (days >=
             (((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 366 : 365)) {
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
  }
  return iso_inside(s, len, out) || freeform(s, len, out);
}
