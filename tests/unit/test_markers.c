/* Unit tests for extract_related_marker (extract/related.c): the headings
 * that open a related-links section in French, English, German, Spanish,
 * Italian, Portuguese and Dutch, and texts that merely start like one.
 *
 * The expected value is the byte length, in the original text, of the
 * prefix that ends with the marker (leading bullets included, trailing
 * punctuation excluded); 0 when the text does not start with a marker.
 * Every input is copied into a heap block of exactly `len` bytes so that
 * the sanitizers catch a read past it. The phrases are the shipped ones
 * (rules/generic.json, built into the binary). */
#include "extract/extract_int.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

static char *const *phrases;
static size_t n_phrases;

static size_t marker(const char *s, size_t len)
{
  return extract_related_marker(s, len, phrases, n_phrases);
}

struct marker_case {
  const char *text;
  size_t len;  /* bytes passed */
  size_t want; /* return value */
};

/* The whole literal, and the whole literal with `extra` bytes left off. */
#define T(s, want)                                                             \
  {                                                                            \
    s, sizeof(s) - 1, want                                                     \
  }
#define CUT(s, n, want)                                                        \
  {                                                                            \
    s, n, want                                                                 \
  }

static const struct marker_case cases[] = {
    /* ---- French ---- */
    T("Sur le m\xc3\xaame sujet", 18),
    T("SUR LE M\xc3\x8aME SUJET", 18),
    T("Sur le meme sujet", 17),
    T("Sur le m\xc3\xaame sujet :", 18),
    T("Sur le m\xc3\xaame th\xc3\xa8me", 19),
    T("\xc3\x80 lire aussi :", 13),
    T("\xc3\xa0 lire aussi", 13),
    T("\xc3\x80 LIRE AUSSI", 13),
    T("A lire aussi", 12),
    T("A lire aussi: Le titre d'un autre article", 12),
    T("Lire aussi", 10),
    T("LIRE AUSSI", 10),
    T("Lire aussi :", 10),
    T("Lire aussi.", 10),
    T("Lire aussi   ", 10),
    T("Lire aussi Le titre d'un autre article", 10),
    T("Lire\xc2\xa0"
      "aussi",
      11),                                 /* no-break space inside */
    T("\xc3\x80 lire aussi\xc2\xa0:", 13), /* French spacing before ':' */
    T("Lire \xc3\xa9galement", 15),
    T("Voir aussi", 10),
    T("Vous aimerez aussi", 18),
    T("Pour aller plus loin", 20),
    T("Dans la m\xc3\xaame rubrique", 22),
    /* leading bullets and arrows are skipped and counted */
    T("- Read more", 11),
    T("> Lire aussi", 12),
    T("  Read more", 11),
    T("* Related articles", 18),
    T("\xc2\xbb Lire aussi", 13), /* U+00BB guillemet */
    T("\xc2\xbb"
      "Lire aussi",
      12),                                  /* ... without a space */
    T("\xe2\x86\x92 Read more", 13),        /* U+2192 arrow */
    T("\xe2\x80\xa2 Related articles", 20), /* U+2022 bullet */
    T("\xe2\x96\xba Mehr zum Thema", 18),   /* U+25BA pointer */
    T("\xc2\xb7 Leggi anche", 14),          /* U+00B7 middle dot */
    T("\xc2\xa0Lire aussi", 12),            /* leading no-break space */
    T("| Lire aussi", 12),                  /* ASCII bar as a bullet */
    T("~ Read more", 11),

    /* ---- English ---- */
    T("Read more:", 9),
    T("Read more", 9),
    T("READ MORE", 9),
    T("Read More: Council votes budget", 9),
    T("Read more \xc2\xbb", 9),
    T("Read more\xe2\x80\xa6", 9), /* "Read more..." as one U+2026 */
    T("Related articles", 16),
    T("Related Stories", 15),
    T("Related", 7),
    T("Related:", 7),
    T("See also", 8),
    T("Further reading", 15),
    T("You may also like", 17),
    T("More on this story", 18),

    /* ---- German ---- */
    T("Mehr zum Thema", 14),
    T("MEHR ZUM THEMA:", 14),
    T("Lesen Sie auch:", 14),
    T("Das k\xc3\xb6nnte Sie auch interessieren", 34),
    T("Das koennte Sie auch interessieren", 34),
    T("Verwandte Artikel", 17),

    /* ---- Spanish ---- */
    T("Te puede interesar", 18),
    T("Tambi\xc3\xa9n te puede interesar", 27),
    T("Noticias relacionadas", 21),
    T("Lee tambi\xc3\xa9n:", 12),
    T("M\xc3\xa1s informaci\xc3\xb3n", 17),

    /* ---- Italian ---- */
    T("Leggi anche", 11),
    T("LEGGI ANCHE:", 11),
    T("Ti potrebbe interessare", 23),
    T("Articoli correlati", 18),
    T("Leggi di pi\xc3\xb9", 13),

    /* ---- Portuguese ---- */
    T("Leia tamb\xc3\xa9m", 12),
    T("LEIA TAMB\xc3\x89M:", 12),
    T("Leia tambem", 11),
    T("Veja tamb\xc3\xa9m", 12),
    T("Saiba mais", 10),
    T("Voc\xc3\xaa pode gostar", 17),

    /* ---- Dutch ---- */
    T("Lees ook", 8),
    T("Lees meer", 9),

    /* ---- negatives ---- */
    T("", 0),
    T("   ", 0),
    T("- - -", 0),
    T("Related to this, the council voted on Tuesday.", 0),
    T("Reading more books is good for you.", 0),
    T("Relatedness is a measure of kinship.", 0),
    T("Readmore", 0),
    T("Read", 0),
    T("Lireaussi", 0),
    T("Lire", 0),
    T("Lire aussix", 0),
    T("Sur le m\xc3\xaame sujetX", 0),
    T("Sur le m\xc3\xaame sujets", 0),
    T("Sur le m\xc3\xaame", 0),
    T("Sur le m\xc3\xaame sujet2", 0),
    T("Le conseil municipal a vot\xc3\xa9 le budget mardi.", 0),
    T("The council voted on the budget on Tuesday.", 0),
    T("Der Stadtrat hat am Dienstag abgestimmt.", 0),
    T("El consejo vot\xc3\xb3 el martes.", 0),
    T("Mehr als 300 Menschen", 0),
    T("Leiam o texto", 0),
    T("Lire\0aussi", 0), /* a NUL is not a space */
    /* invalid UTF-8 */
    T("\xff\xfe\xfd", 0),
    T("\xc3", 0),
    T("\x80", 0),
    T("\xc3 lire aussi", 0), /* a lead byte without its continuation */
    T("\xe2\x80 Read more", 0),
    T("L\xffire aussi", 0),
    /* len cuts the text short */
    CUT("Lire aussi", 4, 0),
    CUT("Lire aussi", 9, 0),
    CUT("Sur le m\xc3\xaame sujet", 10, 0),
    CUT("Leia tamb\xc3\xa9m", 10, 0), /* inside the 2-byte sequence */
    CUT("Lire aussi que", 10, 10),
};

/* Markers are found however long the text after them is. */
static void check_long_text(void)
{
  size_t n = 100000, k;
  char *s = malloc(n);

  if (!s) {
    check_failures++;
    return;
  }
  memcpy(s, "Lire aussi : ", 13);
  for (k = 13; k < n; k++)
    s[k] = (char)('a' + k % 26);
  CHECK_INT(marker(s, n), 10);
  /* a long run of bullets and no marker */
  memset(s, '-', n);
  CHECK_INT(marker(s, n), 0);
  free(s);
}

int main(void)
{
  struct rules_set *rs = rules_set_new();
  size_t k;

  if (!rs || rules_set_load_builtin(rs, NULL, NULL) != WN_OK ||
      rules_set_generic_count(rs) != 1)
    return 2;
  phrases = rules_set_generic_at(rs, 0)->related_phrases;
  n_phrases = rules_set_generic_at(rs, 0)->n_related_phrases;
  CHECK(n_phrases > 50);

  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    const struct marker_case *c = &cases[k];
    char *copy = malloc(c->len ? c->len : 1);
    size_t got;

    if (!copy)
      return 2;
    memcpy(copy, c->text, c->len);
    got = marker(copy, c->len);
    if (got != c->want) {
      fprintf(stderr, "case %zu \"%.*s\" (len %zu): got %zu, want %zu\n", k,
              (int)c->len, c->text, c->len, got, c->want);
      check_failures++;
    }
    /* never past the text, never inside a UTF-8 sequence */
    CHECK(got <= c->len);
    if (got > 0 && got < c->len)
      CHECK(((unsigned char)c->text[got] & 0xC0) != 0x80);
    free(copy);
  }
  check_long_text();
  rules_set_free(rs);
  return check_exit();
}
