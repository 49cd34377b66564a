/* Internals shared between the files of extract/. Not a public API. */
#ifndef WN_EXTRACT_INT_H
#define WN_EXTRACT_INT_H

#include "extract/extract.h"

/* ---- charset.c ---------------------------------------------------------
 * Decide the page's encoding (BOM > HTTP charset > <meta charset> or
 * http-equiv in the first WN_CHARSET_PRESCAN_BYTES > detection) and return
 * the page as UTF-8 without a BOM.
 *
 * When the input is already valid UTF-8, *out points into `in` (no copy);
 * otherwise the converted text is written to `scratch` (reset first) and
 * *out points to its data. Bytes that are invalid in the chosen encoding
 * become U+FFFD; nothing invalid is passed through. *charset is a static
 * canonical name such as "utf-8" or "windows-1252". WHATWG label rules
 * apply: "iso-8859-1", "latin1" and "us-ascii" mean windows-1252.
 *
 * Errors: WN_E_NOMEM, WN_E_TOO_LARGE (scratch's cap). Outputs are set only
 * on WN_OK. Thread-safe (iconv descriptors are opened per call). */
wn_result extract_charset_to_utf8(const char *in, size_t len,
                                  const char *http_charset,
                                  struct wn_buf *scratch, const char **out,
                                  size_t *out_len, const char **charset);

/* Canonical name for an encoding label ("ISO-8859-1" -> "windows-1252",
 * "utf8" -> "utf-8", "latin9" -> "iso-8859-15"), or NULL when the label
 * is unknown. Label matching ignores ASCII case and surrounding spaces. */
const char *extract_charset_canonical(const char *label, size_t len);

/* ---- dom.c -------------------------------------------------------------
 * The Gumbo tree flattened into a pre-order array: node i's subtree is
 * nodes [i, nodes[i].end). Walking it needs no recursion and no pointer
 * chasing, and per-subtree sums are one backwards pass. */

#define DOM_NONE UINT32_MAX

enum {
  XN_ELEMENT = 0,
  XN_TEXT /* text, whitespace or CDATA */
};

/* Node flags. */
enum {
  XF_DROP = 1 << 0,    /* never content: script, style, hidden, form ... */
  XF_IN_LINK = 1 << 1, /* inside <a href> */
  XF_BLOCK = 1 << 2,   /* block-level element: starts a new run */
  XF_PRE = 1 << 3,     /* inside <pre>: whitespace kept */
  XF_HIDDEN = 1 << 4,  /* hidden by attribute or inline style */
  XF_RULE = 1 << 5     /* hint set by a rule: never cancelled */
};

struct xnode {
  const void *g;   /* the GumboNode (opaque outside dom.c) */
  uint32_t parent; /* DOM_NONE for the root */
  uint32_t end;    /* one past the last node of the subtree */
  uint16_t tag;    /* GumboTag for elements */
  uint8_t type;    /* XN_ELEMENT or XN_TEXT */
  uint8_t flags;
  uint16_t depth; /* clipped at 65535 */
  int8_t hint;    /* class/id hint: a negative hint kind or a positive */
  uint8_t pad;
  const char *text; /* text nodes: decoded text (NUL-terminated) */
  const char *cls;  /* elements: the class attribute, or NULL */
  uint64_t class_bits; /* rules_class_bit of each class word, or-ed */
  const char *id;   /* elements: the id attribute, or NULL */
  uint32_t text_len;
  uint32_t n_runs; /* runs of text that start in this subtree (blocks.c) */
};

struct dom {
  struct xnode *nodes; /* owned by the caller's vector */
  uint32_t n;
  uint32_t html, head, body; /* DOM_NONE when absent */
  uint32_t n_links;          /* <a href> elements */
  const void *output;        /* GumboOutput */
};

struct dom_vec {
  struct xnode *v; /* malloc'd, reused across pages */
  uint32_t cap;
};

/* Parse html (UTF-8) with Gumbo, allocating from arena, and flatten the
 * tree into vec. Errors: WN_E_TOO_LARGE when the tree outgrows the arena's
 * cap (the parse is abandoned safely), WN_E_NOMEM. */
wn_result extract_dom_build(struct wn_arena *arena, struct dom_vec *vec,
                            const char *html, size_t len, struct dom *out);

/* h1 to h6 (tag is a GumboTag; Gumbo numbers them in a row). */
int dom_is_heading(uint16_t tag);

/* Length of the prefix of html[0..len) that a tag-level scan estimates
 * to nest no deeper than max_depth elements (len when it never does). */
size_t extract_dom_depth_cut(const char *html, size_t len, size_t max_depth);

/* Attribute value of element node i, or NULL. */
const char *dom_attr(const struct dom *d, uint32_t i, const char *name);
/* Tag name of element node i in lower case ("div", or the unknown tag's
 * own name up to 31 bytes), written into buf. */
const char *dom_tag_name(const struct dom *d, uint32_t i, char buf[32]);

/* ---- hints.c -----------------------------------------------------------
 * What an element's tag, role, itemprop, class and id say about it.
 * hint > 0: article content (HINT_STRONG for articleBody-like names,
 * HINT_WEAK for "content", "post" ...); hint < 0: boilerplate of kind
 * HINT_KIND(hint); 0: nothing. */
#define HINT_STRONG 2
#define HINT_WEAK 1
#define HINT_NEG(kind) ((int8_t)(-1 - (int)(kind)))
#define HINT_KIND(h) ((extract_boiler_kind)(-1 - (int)(h)))

/* Compute nodes[i].hint for every element of d. */
void extract_hints_compute(struct dom *d);

/* ---- runs.c ------------------------------------------------------------
 * A run is the text between two block boundaries: the unit that is scored
 * and kept or dropped. Run text is whitespace-collapsed UTF-8 in one
 * buffer per page. */

enum {
  RF_KEEP = 1 << 0,     /* part of the article body */
  RF_RELATED = 1 << 1,  /* part of a related-links block */
  RF_MARKER = 1 << 2,   /* a related-section marker ("Read more") */
  RF_NEG = 1 << 3,      /* inside a boilerplate-hinted element */
  RF_HEADING = 1 << 4,  /* inside h1-h6 */
  RF_BR_SPLIT = 1 << 5, /* ended by <br><br> rather than an element */
  RF_META = 1 << 7,     /* a byline or dateline */
  RF_TEASER = 1 << 8,   /* summary of another article in a listing */
  RF_RULEKIND = 1 << 9, /* a rule decided the run's boilerplate kind */
  RF_TEMPLATE = 1 << 10 /* a block learned as the host's template */
};

struct run {
  uint32_t off, len;   /* bytes in the page text buffer */
  uint32_t owner;      /* innermost block-level element around the text */
  uint32_t first;      /* first node of the run */
  uint32_t last;       /* last node of the run */
  uint32_t chars;      /* code points */
  uint32_t link_chars; /* code points inside <a href> */
  uint16_t n_links;    /* <a href> elements with text in the run */
  uint16_t n_words;
  uint16_t n_stop;  /* stopwords among n_words */
  uint16_t n_punct; /* sentence punctuation marks */
  uint16_t flags;
  uint8_t kind;  /* extract_boiler_kind when dropped */
  uint8_t depth; /* unused padding */
};

struct run_vec {
  struct run *v; /* malloc'd, reused across pages */
  uint32_t n, cap;
};

/* Build the runs of nodes [from, to) of d into runs, their text into
 * text (both reset first). Errors: WN_E_NOMEM, WN_E_TOO_LARGE. */
wn_result extract_runs_build(const struct dom *d, uint32_t from, uint32_t to,
                             struct run_vec *runs, struct wn_buf *text);

/* 1 when the lower-case word w[0..len) is a common function word in one of
 * the supported languages. */
int extract_is_stopword(const char *w, size_t len);

/* Append the whitespace-collapsed text of nodes [from, to) to out (no
 * leading or trailing space). Used for anchor texts and titles. */
wn_result extract_text_of(const struct dom *d, uint32_t from, uint32_t to,
                          struct wn_buf *out);

/* ---- content.c ---------------------------------------------------------
 * Choose the article container and decide, run by run, what is body,
 * related links and boilerplate. */

struct page; /* extract.c's per-page state, see below */

enum { Q_BAD = 0, Q_SHORT, Q_NEAR, Q_GOOD };

/* Score runs (p->quality) and choose p->container (DOM_NONE when the
 * page has no article). Marks runs inside boilerplate regions RF_NEG. */
wn_result extract_content_select(struct page *p);

/* After related blocks are marked: set RF_KEEP on body runs and the
 * boilerplate kind of every other run. */
void extract_content_classify(struct page *p);

/* ---- related.c --------------------------------------------------------- */

/* Length of the related-section marker among phrases (folded: lower
 * case, no accents) that s starts with ("Sur le même sujet", "Read
 * more", ...), 0 when none. Matching ignores case and Latin-1 accents and
 * skips leading bullets. */
size_t extract_related_marker(const char *s, size_t len, char *const *phrases,
                              size_t n_phrases);

/* Mark related-link runs (RF_RELATED, RF_MARKER) inside and around the
 * container and collect their links into p's record. */
wn_result extract_related_find(struct page *p);

/* ---- extract.c: per-page state shared by the passes ------------------- */

struct page {
  struct wn_arena *arena;
  struct dom dom;
  struct run_vec *runs;
  struct wn_buf *text;    /* run texts, NUL-separated */
  struct wn_buf *scratch; /* temporary, reset by each user */
  const char *url;        /* page URL (arena) or NULL */
  const char *title;      /* metadata title, for dropping its repeat */
  const char *site_name;  /* metadata site name, or NULL */
  const char *host;       /* the page URL's host (arena), or NULL */
  uint32_t root;          /* <body>, or the document when absent */
  uint32_t container;     /* the article element, DOM_NONE when none */
  uint8_t *negkind;       /* per node: 0, or 1 + the boilerplate kind of
                             the innermost hinted ancestor-or-self */
  float *good, *bad;      /* per node: scored text in the subtree */
  uint8_t *quality;       /* per run: Q_BAD, Q_SHORT, Q_NEAR, Q_GOOD */
  struct extract_link *related;
  size_t n_related, cap_related;
  const char *byline_author; /* from a "By ..." line, or NULL */
  const char *dateline;      /* ISO date from a date line, or NULL */

  /* rules (apply.c) */
  const struct rules_set *rules;             /* or NULL */
  const struct rules_site *site;             /* the host's rules, or NULL */
  struct rules_scratch *re;                  /* pcre2 state of the ctx */
  const struct extract_templates *templates; /* or NULL */
  uint32_t tpl_serial; /* set when the templates counted this page */
  uint32_t *bodies; /* elements the site's body selector matched */
  size_t n_bodies;
  uint32_t *site_related; /* elements the site's related selectors matched */
  size_t n_site_related;
  const char **misses; /* "site:field" */
  size_t n_misses;
};

/* ---- apply.c -----------------------------------------------------------
 * Generic and site rules applied to a page. */

struct meta;
struct rules_scratch;

/* Find the site rules for p->host. */
void extract_rules_begin(struct page *p);
/* After hints: elements of remove, related and boilerplate selectors get
 * rule hints (XF_RULE); the body selector's elements become p->bodies.
 * Errors: WN_E_NOMEM. */
wn_result extract_rules_mark(struct page *p);
/* Site field selectors (title, author, published ...) override m. */
wn_result extract_rules_fields(struct page *p, struct meta *m);
/* After classification: runs that text rules call boilerplate leave the
 * body with the rule's kind. */
void extract_rules_text(struct page *p);
/* The kind label-only rules give a dropped run, or EXTRACT_BP__COUNT. */
extract_boiler_kind extract_rules_label(struct page *p, const struct run *r);
/* Is s[0..len) a related-section marker by the rules' phrases or
 * patterns? Returns the marker's length in bytes, 0 when not; *from_site
 * says whether the site's own rules found it. */
size_t extract_rules_marker(struct page *p, const char *s, size_t len,
                            int *from_site);
/* Does the text name the page's site (host without "www.", its first
 * label when distinctive, or the site name)? */
int extract_names_site(const struct page *p, const char *t, size_t len);
/* Fill rec->rules and rec->rule_misses. */
wn_result extract_rules_record(struct page *p, struct extract_record *rec);
/* extract_boiler_kind of a kind name, EXTRACT_BP_OTHER when unknown. */
extract_boiler_kind extract_kind_of(const char *name);

/* ---- templates.c ---------------------------------------------------------
 * Mark runs that are learned template blocks of the page's host. */
void extract_templates_mark(struct page *p);
/* Count the blocks of a prepared page (runs built) for its host. */
wn_result extract_templates_count(struct extract_templates *t, struct page *p);

/* extract.c: parse a page and build its runs (no classification), for
 * template learning. p lives in ctx until the next page. */
wn_result extract_page_prepare(struct extract_ctx *ctx,
                               const struct extract_input *in, struct page *p);

/* ---- meta.c ------------------------------------------------------------
 * Page metadata from JSON-LD (NewsArticle/Article, also inside @graph),
 * OpenGraph and other meta tags, <link rel=canonical>, <time>, <title>
 * and <html lang>. Strings are copied into p->arena. */
struct meta {
  const char *title, *author, *published, *site_name, *language;
  const char *description, *canonical_url;
  const char *article_body;    /* JSON-LD articleBody, for the fallback */
  const char *html_title;      /* <title> as written */
  const char *title_from_html; /* the title made from <title>, if any */
};

wn_result extract_meta_read(struct page *p, struct meta *m);

/* "By Jane Doe", "Por Rafael Nogueira, Folha": the length of the byline
 * prefix before the name ("By "), 0 when t is not a byline. */
size_t extract_byline_prefix(const char *t, size_t len);

/* Once runs exist: a <title> with separators ("Site - Headline") gives
 * way to the part of it that the page shows as text. */
void extract_meta_refine_title(struct page *p, struct meta *m);

/* ---- date.c ------------------------------------------------------------
 * Normalise a date as pages write it (ISO 8601 variants, RFC 2822,
 * "19 novembre 2019", "November 19, 2019", Unix seconds ...) to ISO 8601:
 * "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[Z|+hh:mm]". Writes into out (at
 * least 32 bytes); returns 0 when s is not a date we understand. */
int extract_date_normalize(const char *s, size_t len, char out[32]);

/* ---- blocks.c ---------------------------------------------------------- */

/* What a kept run is part of, looked up between its owner and the
 * container. */
struct shape {
  extract_block_type type;
  uint32_t group; /* the list/table/quote/pre element, or DOM_NONE */
  uint32_t item;  /* li or tr */
  uint32_t cell;  /* td or th */
  int level;
  int ordered;
};

struct blocks {
  struct extract_block *v; /* in the page arena */
  size_t n, cap;
};

void extract_shape_of(const struct page *p, const struct run *r,
                      struct shape *s);
/* Kept runs -> blocks (runs of one list, table, quote or code element join
 * into one block). */
wn_result extract_blocks_build(struct page *p, struct blocks *bl);
/* Paragraph blocks from plain text, one per non-empty line. */
wn_result extract_blocks_from_text(struct page *p, struct blocks *bl,
                                   const char *t);
/* Dropped runs -> rec->boilerplate, merged per page region and kind. */
wn_result extract_boilerplate_build(struct page *p, struct extract_record *rec);

/* ---- select.c ----------------------------------------------------------
 * Compiled rules selectors (rules/rules.h) matched against the flat DOM. */
struct rules_selector;

/* 1 when element node i matches sel (any of its comma alternatives). Cost
 * O(depth x parts) per alternative, whatever the nesting. */
int extract_select_match(const struct dom *d, uint32_t i,
                         const struct rules_selector *sel);

/* The elements of nodes [from, to) that match sel, in document order,
 * written to out (at most max; *n_out may be less than the number of
 * matches when max is reached). Skips nodes flagged XF_DROP only when
 * skip_dropped is set. */
void extract_select_all(const struct dom *d, uint32_t from, uint32_t to,
                        const struct rules_selector *sel, int skip_dropped,
                        uint32_t *out, size_t max, size_t *n_out);

/* The value a selector takes from element i: the attribute named by its
 * @attr suffix, or the element's whitespace-collapsed text. Appended to
 * out. */
wn_result extract_select_value(const struct dom *d, uint32_t i,
                               const struct rules_selector *sel,
                               struct wn_buf *out);

#endif
