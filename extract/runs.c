/* Text runs: whitespace-collapsed text between block boundaries, with the
 * counts that scoring needs (characters, link characters, words,
 * stopwords, punctuation). */
#include "extract/extract_int.h"

#include <gumbo.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- stopwords ---------------------------------------------------------
 * The commonest function words of the languages we target. A union list:
 * a word that is a stopword in one language and content in another ("die",
 * "son") barely moves a density. */
static const char *const stopwords[] = {
    /* en */
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "i",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "she",
    "said",
    "its",
    "also",
    "than",
    "them",
    "into",
    "about",
    "after",
    "what",
    "our",
    "up",
    "out",
    "could",
    "some",
    "over",
    "did",
    "do",
    "him",
    "just",
    "how",
    "may",
    "these",
    "those",
    "then",
    "only",
    "other",
    "while",
    "because",
    "should",
    "most",
    "such",
    "before",
    "where",
    "any",
    "very",
    "even",
    /* fr */
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "est",
    "en",
    "que",
    "qui",
    "dans",
    "pour",
    "pas",
    "sur",
    "au",
    "aux",
    "par",
    "plus",
    "ne",
    "se",
    "ce",
    "cette",
    "il",
    "elle",
    "ils",
    "elles",
    "sont",
    "ont",
    "avec",
    "mais",
    "ou",
    "nous",
    "vous",
    "leur",
    "leurs",
    "son",
    "sa",
    "ses",
    "été",
    "être",
    "avait",
    "fait",
    "comme",
    "aussi",
    "tout",
    "très",
    "dont",
    "lors",
    "entre",
    "selon",
    "depuis",
    "sans",
    "sous",
    "après",
    "d",
    "l",
    "qu",
    "n",
    "s",
    "c",
    "j",
    "y",
    "à",
    "où",
    "ces",
    "on",
    "lui",
    "même",
    /* de */
    "der",
    "die",
    "das",
    "und",
    "ist",
    "nicht",
    "ein",
    "eine",
    "einen",
    "dem",
    "den",
    "des",
    "mit",
    "sich",
    "auf",
    "für",
    "im",
    "es",
    "von",
    "zu",
    "auch",
    "wie",
    "als",
    "bei",
    "nach",
    "aus",
    "sie",
    "er",
    "wir",
    "hat",
    "war",
    "wird",
    "werden",
    "sind",
    "noch",
    "nur",
    "oder",
    "aber",
    "vor",
    "zum",
    "zur",
    "über",
    "einer",
    "eines",
    "dass",
    "wenn",
    "so",
    "um",
    "am",
    "kann",
    "haben",
    "hatte",
    "sein",
    "seine",
    "ihre",
    "diese",
    /* es */
    "el",
    "los",
    "las",
    "y",
    "que",
    "del",
    "por",
    "con",
    "para",
    "una",
    "su",
    "sus",
    "al",
    "lo",
    "como",
    "más",
    "pero",
    "este",
    "esta",
    "ha",
    "son",
    "fue",
    "ser",
    "está",
    "sobre",
    "entre",
    "también",
    "sin",
    "desde",
    "muy",
    "hasta",
    "cuando",
    "han",
    "porque",
    "todo",
    "esto",
    "ya",
    "le",
    /* it */
    "il",
    "di",
    "che",
    "è",
    "per",
    "non",
    "una",
    "sono",
    "gli",
    "della",
    "delle",
    "dei",
    "del",
    "nel",
    "nella",
    "alla",
    "al",
    "con",
    "si",
    "da",
    "come",
    "anche",
    "ma",
    "più",
    "questo",
    "questa",
    "ha",
    "suo",
    "sua",
    "loro",
    "essere",
    "stato",
    "stata",
    "ed",
    "tra",
    "fra",
    "degli",
    "uno",
    /* pt */
    "o",
    "os",
    "as",
    "e",
    "do",
    "da",
    "dos",
    "das",
    "em",
    "um",
    "uma",
    "no",
    "na",
    "nos",
    "nas",
    "com",
    "não",
    "se",
    "por",
    "mais",
    "ao",
    "foi",
    "pelo",
    "pela",
    "como",
    "mas",
    "seu",
    "sua",
    "também",
    "ou",
    "ser",
    "está",
    "são",
    "já",
    "muito",
    "quando",
    "ele",
    "ela",
    "isso",
    "entre",
    /* nl */
    "het",
    "een",
    "en",
    "van",
    "is",
    "dat",
    "op",
    "te",
    "zijn",
    "voor",
    "met",
    "niet",
    "aan",
    "er",
    "maar",
    "om",
    "ook",
    "als",
    "bij",
    "nog",
    "wordt",
    "door",
    "naar",
    "dan",
    "wel",
    "werd",
    "heeft",
    "deze",
    "tot",
};

#define STOP_SLOTS 2048u

static const char *stop_table[STOP_SLOTS];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static uint32_t hash_word(const char *w, size_t len)
{
  uint32_t h = 2166136261u;
  size_t i;

  for (i = 0; i < len; i++) {
    h ^= (unsigned char)w[i];
    h *= 16777619u;
  }
  return h;
}

static void stop_init(void)
{
  size_t k;

  for (k = 0; k < sizeof(stopwords) / sizeof(stopwords[0]); k++) {
    const char *w = stopwords[k];
    uint32_t h = hash_word(w, strlen(w)) & (STOP_SLOTS - 1);

    while (stop_table[h] && strcmp(stop_table[h], w) != 0)
      h = (h + 1) & (STOP_SLOTS - 1);
    stop_table[h] = w;
  }
}

int extract_is_stopword(const char *w, size_t len)
{
  uint32_t h;

  pthread_once(&stop_once, stop_init);
  if (len == 0 || len > 12)
    return 0;
  h = hash_word(w, len) & (STOP_SLOTS - 1);
  while (stop_table[h]) {
    if (strlen(stop_table[h]) == len && memcmp(stop_table[h], w, len) == 0)
      return 1;
    h = (h + 1) & (STOP_SLOTS - 1);
  }
  return 0;
}

/* ---- whitespace-collapsing text writer ------------------------------- */

enum { PEND_NONE = 0, PEND_SPACE, PEND_NEWLINE };

struct writer {
  struct wn_buf *out;
  size_t start; /* offset of the current run's text */
  int pending;
  uint32_t chars;
  wn_result rc;
};

static void emit_pending(struct writer *w)
{
  if (w->pending && w->out->len > w->start) {
    char c = w->pending == PEND_NEWLINE ? '\n' : ' ';
    if (w->rc == WN_OK)
      w->rc = wn_buf_addc(w->out, c);
    w->chars++;
  }
  w->pending = PEND_NONE;
}

/* Classify the UTF-8 sequence at s: 0 ordinary, 1 space-like, 2 invisible
 * (dropped). Sets *n to its length. */
static int special_seq(const unsigned char *s, size_t len, size_t *n)
{
  *n = 1;
  if (s[0] == 0xC2 && len >= 2) {
    *n = 2;
    if (s[1] == 0xA0)
      return 1; /* no-break space */
    if (s[1] == 0xAD)
      return 2; /* soft hyphen */
    if (s[1] < 0xA0)
      return 2; /* C1 controls */
    return 0;
  }
  if (s[0] == 0xE2 && len >= 3) {
    *n = 3;
    if (s[1] == 0x80) {
      if (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF)
        return 1; /* en/em/thin spaces, line and paragraph separators */
      if (s[2] >= 0x8B && s[2] <= 0x8F)
        return 2; /* zero-width space/joiners, LRM, RLM */
      return 0;
    }
    if (s[1] == 0x81 && (s[2] == 0x9F))
      return 1;
    if (s[1] == 0x81 && (s[2] == 0xA0))
      return 2; /* word joiner */
    return 0;
  }
  if (s[0] == 0xE3 && len >= 3 && s[1] == 0x80 && s[2] == 0x80) {
    *n = 3;
    return 1; /* ideographic space */
  }
  if (s[0] == 0xEF && len >= 3 && s[1] == 0xBB && s[2] == 0xBF) {
    *n = 3;
    return 2; /* BOM / zero-width no-break space */
  }
  return 0;
}

static int is_ordinary(unsigned char c)
{
  return c > 0x20 && c < 0x7F;
}

/* Append text, collapsing whitespace (or keeping it inside <pre>). */
static void write_text(struct writer *w, const char *text, size_t len, int pre)
{
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, j, n;

  while (i < len && w->rc == WN_OK) {
    unsigned char c = s[i];

    if (is_ordinary(c)) {
      j = i + 1;
      while (j < len && is_ordinary(s[j]))
        j++;
      emit_pending(w);
      w->rc = wn_buf_add(w->out, s + i, j - i);
      w->chars += (uint32_t)(j - i);
      i = j;
      continue;
    }
    if (c < 0x80) {
      i++;
      if (pre && (c == '\n' || c == ' ' || c == '\t')) {
        emit_pending(w);
        if (w->rc == WN_OK)
          w->rc = wn_buf_addc(w->out, (char)c);
        w->chars++;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\v') {
        if (w->pending == PEND_NONE)
          w->pending = PEND_SPACE;
      } else if (c == '\r' && !pre) {
        if (w->pending == PEND_NONE)
          w->pending = PEND_SPACE;
      }
      /* other control characters are dropped */
      continue;
    }
    switch (special_seq(s + i, len - i, &n)) {
    case 1:
      if (pre) {
        emit_pending(w);
        if (w->rc == WN_OK)
          w->rc = wn_buf_addc(w->out, ' ');
        w->chars++;
      } else if (w->pending == PEND_NONE) {
        w->pending = PEND_SPACE;
      }
      break;
    case 2:
      break;
    default:
      /* a whole multi-byte character */
      j = i + 1;
      while (j < len && (s[j] & 0xC0) == 0x80)
        j++;
      n = j - i;
      emit_pending(w);
      w->rc = wn_buf_add(w->out, s + i, n);
      /* A CJK character carries about as much text as two Latin
       * letters; counting it so keeps length thresholds fair. */
      w->chars += (c >= 0xE3 && c <= 0xED) ? 2 : 1;
      break;
    }
    i += n;
  }
}

/* ---- runs ----------------------------------------------------------- */

struct builder {
  const struct dom *d;
  struct run_vec *runs;
  struct writer w;
  struct run cur;
  int have_text;
  int brs; /* <br>s seen since the last text */
  uint32_t chars_at_link_start;
};

static int is_word_start(const unsigned char *s, size_t len, size_t i)
{
  unsigned char c = s[i];

  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return 1;
  if (c < 0x80)
    return 0;
  if (c == 0xC2)
    return 0; /* Latin-1 punctuation and symbols */
  if (c == 0xE2 && i + 1 < len && (s[i + 1] == 0x80 || s[i + 1] == 0x81))
    return 0; /* general punctuation */
  if (c == 0xE3 && i + 1 < len && s[i + 1] == 0x80)
    return 0; /* CJK symbols and punctuation */
  if (c == 0xEF && i + 2 < len && s[i + 1] == 0xBC &&
      (s[i + 2] == 0x8C || s[i + 2] == 0x81 || s[i + 2] == 0x9F ||
       s[i + 2] == 0x9B || s[i + 2] == 0x9A))
    return 0; /* fullwidth , ! ? ; : */
  return 1;
}

/* Words, stopwords and punctuation of the finished run. */
static void count_words(struct run *r, const char *text)
{
  const unsigned char *s = (const unsigned char *)text;
  size_t len = r->len, i = 0;
  unsigned words = 0, stops = 0, punct = 0;
  char low[16];

  while (i < len) {
    size_t n = 0, j;

    if (!is_word_start(s, len, i)) {
      unsigned char c = s[i];
      if (c == '.' || c == ',' || c == ';' || c == '!' || c == '?')
        punct++;
      else if (c == 0xE3 && i + 2 < len && s[i + 1] == 0x80 &&
               (s[i + 2] == 0x82 || s[i + 2] == 0x81))
        punct++; /* CJK full stop and comma */
      else if (c == 0xEF && i + 2 < len && s[i + 1] == 0xBC &&
               (s[i + 2] == 0x8C || s[i + 2] == 0x81 || s[i + 2] == 0x9F))
        punct++; /* fullwidth comma, exclamation and question marks */
      i++;
      continue;
    }
    j = i;
    while (j < len && is_word_start(s, len, j)) {
      if (n < sizeof(low))
        low[n] = (char)wn_ascii_tolower(s[j]);
      n++;
      j++;
    }
    words++;
    if (n <= sizeof(low) && extract_is_stopword(low, n))
      stops++;
    i = j;
  }
  r->n_words = (uint16_t)(words > UINT16_MAX ? UINT16_MAX : words);
  r->n_stop = (uint16_t)(stops > UINT16_MAX ? UINT16_MAX : stops);
  r->n_punct = (uint16_t)(punct > UINT16_MAX ? UINT16_MAX : punct);
}

static wn_result push_run(struct builder *b, uint32_t next)
{
  struct run_vec *rv = b->runs;
  struct run *r;

  if (!b->have_text || b->w.out->len == b->w.start) {
    /* nothing but whitespace: forget it */
    b->w.out->len = b->w.start;
    if (b->w.out->data)
      b->w.out->data[b->w.out->len] = '\0';
    goto reset;
  }
  if (rv->n == rv->cap) {
    uint32_t cap = rv->cap ? rv->cap * 2 : 256;
    struct run *v;

    if (rv->cap > UINT32_MAX / 4)
      return WN_E_TOO_LARGE;
    v = realloc(rv->v, (size_t)cap * sizeof(*v));
    if (!v)
      return WN_E_NOMEM;
    rv->v = v;
    rv->cap = cap;
  }
  r = &rv->v[rv->n++];
  *r = b->cur;
  r->off = (uint32_t)b->w.start;
  r->len = (uint32_t)(b->w.out->len - b->w.start);
  r->chars = b->w.chars;
  if (r->link_chars > r->chars)
    r->link_chars = r->chars;
  count_words(r, b->w.out->data + r->off);
  /* Runs are separated by a NUL so each is a C string. */
  b->w.rc = wn_buf_addc(b->w.out, '\0');
reset:
  memset(&b->cur, 0, sizeof(b->cur));
  b->cur.first = next;
  b->cur.owner = DOM_NONE;
  b->w.start = b->w.out->len;
  b->w.chars = 0;
  b->w.pending = PEND_NONE;
  b->have_text = 0;
  b->brs = 0;
  return b->w.rc;
}

wn_result extract_runs_build(const struct dom *d, uint32_t from, uint32_t to,
                             struct run_vec *runs, struct wn_buf *text)
{
  struct builder b;
  uint32_t stack[256]; /* open block elements; deeper ones share a slot */
  uint32_t sp = 0, i, owner_top;
  wn_result rc = WN_OK;

  memset(&b, 0, sizeof(b));
  b.d = d;
  b.runs = runs;
  b.w.out = text;
  runs->n = 0;
  wn_buf_reset(text);
  b.cur.first = from;
  b.cur.owner = DOM_NONE;
  owner_top = from;
  for (i = from; i < to && rc == WN_OK; i++) {
    const struct xnode *x = &d->nodes[i];

    /* Leave the block elements that end before node i. */
    while (sp && d->nodes[stack[sp - 1]].end <= i) {
      sp--;
      rc = push_run(&b, i);
    }
    owner_top = sp ? stack[sp - 1] : from;
    if (rc != WN_OK)
      break;
    if (x->flags & (XF_DROP | XF_HIDDEN)) {
      if (x->flags & XF_BLOCK)
        rc = push_run(&b, x->end);
      i = x->end - 1;
      continue;
    }
    if (x->type == XN_ELEMENT) {
      if (x->flags & XF_BLOCK) {
        rc = push_run(&b, i);
        if (sp < sizeof(stack) / sizeof(stack[0]))
          stack[sp++] = i;
        else
          stack[sp - 1] = i; /* too deep: treat as a sibling block */
        continue;
      }
      if (x->tag == GUMBO_TAG_BR) {
        if (b.have_text && ++b.brs >= 2 && !(x->flags & XF_PRE)) {
          rc = push_run(&b, i + 1);
          if (rc == WN_OK && runs->n)
            runs->v[runs->n - 1].flags |= RF_BR_SPLIT;
        } else if (b.have_text) {
          b.w.pending = PEND_NEWLINE;
        }
        continue;
      }
      if (x->tag == GUMBO_TAG_A && (x->flags & XF_IN_LINK) &&
          b.cur.n_links < UINT16_MAX)
        b.cur.n_links++;
      continue;
    }
    /* text */
    {
      uint32_t before = b.w.chars;
      size_t len_before = text->len;

      write_text(&b.w, x->text, x->text_len, (x->flags & XF_PRE) != 0);
      if (b.w.rc != WN_OK) {
        rc = b.w.rc;
        break;
      }
      if (text->len > len_before) {
        if (!b.have_text) {
          b.have_text = 1;
          b.cur.owner = owner_top;
          if (b.cur.first < from || b.cur.first > i)
            b.cur.first = i;
        }
        b.brs = 0;
        b.cur.last = i;
        if (x->flags & XF_IN_LINK)
          b.cur.link_chars += b.w.chars - before;
      }
    }
  }
  if (rc == WN_OK)
    rc = push_run(&b, to);
  return rc;
}

wn_result extract_text_of(const struct dom *d, uint32_t from, uint32_t to,
                          struct wn_buf *out)
{
  struct writer w;
  uint32_t i;
  /* Flags the range starts with are the caller's business (the text of
   * <title> is asked for although <title> is never body). */
  uint8_t skip =
      from < to ? (uint8_t)((XF_DROP | XF_HIDDEN) & ~d->nodes[from].flags) : 0;

  memset(&w, 0, sizeof(w));
  w.out = out;
  w.start = out->len;
  for (i = from; i < to && w.rc == WN_OK; i++) {
    const struct xnode *x = &d->nodes[i];

    if (x->flags & skip) {
      i = x->end - 1;
      continue;
    }
    if (x->type == XN_ELEMENT) {
      if ((x->flags & XF_BLOCK) || x->tag == GUMBO_TAG_BR)
        if (w.pending == PEND_NONE)
          w.pending = PEND_SPACE;
      continue;
    }
    write_text(&w, x->text, x->text_len, 0);
  }
  return w.rc;
}
