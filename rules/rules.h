/* rules: per-site rule files and the generic rules, loaded, validated and
 * compiled: CSS-subset selectors and pcre2 patterns.
 *
 * The only module that includes pcre2.h. Selectors are compiled here into
 * the plain structs below; extract/ matches them against its DOM. A loaded
 * struct rules_set is read-only and may be shared between threads; pattern
 * matching needs a struct rules_scratch per thread. */
#ifndef WN_RULES_H
#define WN_RULES_H

#include "common/common.h"

/* ---- selectors -----------------------------------------------------------
 * The subset: type, '*', #id, .class, [attr], [attr=v], [attr*=v],
 * [attr^=v], [attr$=v], [attr~=v], descendant (space) and child ('>')
 * combinators, :not(compound, ...), comma groups, and an "@attr" suffix
 * that takes an attribute's value instead of the element's text. */

typedef enum {
  RULES_ATTR_EXISTS = 0, /* [a] */
  RULES_ATTR_EQ,         /* [a=v] */
  RULES_ATTR_CONTAINS,   /* [a*=v] */
  RULES_ATTR_PREFIX,     /* [a^=v] */
  RULES_ATTR_SUFFIX,     /* [a$=v] */
  RULES_ATTR_WORD        /* [a~=v]: v is one of the space-separated words */
} rules_attr_op;

struct rules_attr_test {
  char *name;  /* lower case */
  char *value; /* NULL for RULES_ATTR_EXISTS; compared case-sensitively */
  rules_attr_op op;
};

/* One bit per class name (FNV-1a, low 6 bits): an element lacks one of
 * a selector's classes when its bits do not cover the selector's. */
static inline uint64_t rules_class_bit(const char *s, size_t n)
{
  uint32_t h = 2166136261u;
  size_t i;

  for (i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return (uint64_t)1 << (h & 63);
}

/* A compound selector: every test must hold for one element. */
struct rules_compound {
  char *tag; /* lower case; NULL for any element ('*' or omitted) */
  char *id;  /* NULL when absent */
  char **classes;
  size_t n_classes;
  uint64_t class_bits; /* rules_class_bit of every class, or-ed */
  struct rules_attr_test *attrs;
  size_t n_attrs;
  struct rules_compound *nots; /* :not(a, b): matches none of them */
  size_t n_nots;
};

typedef enum {
  RULES_COMB_DESCENDANT = 0, /* "a b" */
  RULES_COMB_CHILD           /* "a > b" */
} rules_combinator;

/* A complex selector, parts left to right: combs[i] joins parts[i] and
 * parts[i + 1]. The element matched is the one matching the last part. */
struct rules_complex {
  struct rules_compound *parts;
  rules_combinator *combs; /* n_parts - 1 entries */
  size_t n_parts;
};

struct rules_selector {
  struct rules_complex *alts; /* comma group: matches if any matches */
  size_t n_alts;
  char *attr;   /* the "@attr" suffix (lower case), or NULL */
  char *source; /* the selector as written */
};

/* Limits that keep hostile selectors cheap to hold and to match. */
#define RULES_MAX_SELECTOR_BYTES 1024u
#define RULES_MAX_ALTS 32u
#define RULES_MAX_PARTS 32u
#define RULES_MAX_SIMPLE 32u /* classes + attributes + :not per compound */

/* Parse a selector. On error returns WN_E_RULE with err->message saying
 * what is wrong and err->offset the byte position in s. *out is set only
 * on WN_OK; free with rules_selector_free. Thread-safe. */
wn_result rules_selector_parse(const char *s, struct rules_selector **out,
                               struct wn_error *err);
void rules_selector_free(struct rules_selector *sel);

/* ---- patterns ------------------------------------------------------------ */

/* A pcre2 pattern compiled in UTF mode (with UCP), JIT-compiled where
 * available, matched under match and depth limits so that no pattern can
 * hang a crawl. */
struct rules_pattern;

/* Per-thread matching state (match data, JIT stack). */
struct rules_scratch;

struct rules_scratch *rules_scratch_new(void);
void rules_scratch_free(struct rules_scratch *s);

/* Compile. WN_E_RULE with err->message (pcre2's text) and err->offset
 * (the offset in the pattern) on error. */
wn_result rules_pattern_compile(const char *src, struct rules_pattern **out,
                                struct wn_error *err);
void rules_pattern_free(struct rules_pattern *p);
const char *rules_pattern_source(const struct rules_pattern *p);

/* Search s[0..len) (UTF-8). 1 on a match (with *start and *end set when
 * not NULL), 0 on none, -1 when a limit stopped the search (callers treat
 * it as no match). */
int rules_pattern_find(const struct rules_pattern *p,
                       struct rules_scratch *scratch, const char *s, size_t len,
                       size_t *start, size_t *end);

/* ---- rule sets ---------------------------------------------------------- */

/* A field rule: a selector (with an optional @attr). */
struct rules_field {
  const char *name; /* "body", "title" ... */
  struct rules_selector *sel;
};

/* A boilerplate rule: runs matching the pattern, or inside elements
 * matching the selector, are boilerplate of this kind. */
struct rules_boiler {
  char *kind; /* a record boilerplate kind ("seo", "cookie" ...) */
  struct rules_pattern *pattern;   /* or NULL */
  struct rules_selector *selector; /* or NULL */
  int names_site;   /* only text naming the page's host or site name */
  int at_end;       /* only among the last paragraphs of the body */
  int label_only;   /* only names the kind of text already cut */
  size_t min_words; /* 0: any */
  size_t max_words; /* 0: any */
};

/* One embedded test of a rule file ("tests": [...]). */
struct rules_test {
  char *page;        /* path as written (relative to the rule file's folder) */
  char *url;         /* or NULL */
  char *expect_json; /* the "expect" object, re-serialised */
};

struct rules_site {
  char *site;   /* "charente-expo.com"; "generic" for the generic rules */
  char *file;   /* where it was loaded from ("builtin:..." for embedded) */
  char *dir;    /* the file's folder, for test pages */
  int generic;  /* applies to every host */
  char **hosts; /* "example.com", "*.example.com" */
  size_t n_hosts;
  /* field selectors, NULL when absent */
  struct rules_selector *body, *title, *author, *published, *description,
      *site_name, *language;
  struct rules_selector **remove;
  size_t n_remove;
  struct rules_selector **related_selectors;
  size_t n_related_selectors;
  struct rules_pattern **related_markers; /* regexes on a marker's text */
  size_t n_related_markers;
  char **related_phrases; /* folded phrases (generic rules) */
  size_t n_related_phrases;
  struct rules_boiler *boilerplate;
  size_t n_boilerplate;
  struct rules_test *tests;
  size_t n_tests;
};

struct rules_set;

struct rules_set *rules_set_new(void);
void rules_set_free(struct rules_set *rs);

/* Load one rule file's text (name is used in messages). Every problem is
 * reported through err_cb (file, line, column, message) and the file is
 * not added; returns WN_OK when the file was added, WN_E_RULE otherwise,
 * WN_E_NOMEM. */
typedef void (*rules_error_cb)(void *ud, const char *file, int line, int column,
                               const char *message);
wn_result rules_set_load_text(struct rules_set *rs, const char *name,
                              const char *dir, const char *text, size_t len,
                              rules_error_cb err_cb, void *ud);
/* Load FILE, or every *.json file of a folder (in name order). Returns
 * WN_E_RULE when any file was rejected, WN_E_IO when the path cannot be
 * read. */
wn_result rules_set_load_path(struct rules_set *rs, const char *path,
                              rules_error_cb err_cb, void *ud);
/* The rules built into the binary (rules/generic.json, rules/sites/). */
wn_result rules_set_load_builtin(struct rules_set *rs, rules_error_cb err_cb,
                                 void *ud);

/* The site rules for a host (lower case), or NULL. A later-loaded file
 * wins over an earlier one for the same host. */
const struct rules_site *rules_set_match_host(const struct rules_set *rs,
                                              const char *host);
/* The generic rule files ("generic": true), in load order; all apply to
 * every page. */
size_t rules_set_generic_count(const struct rules_set *rs);
const struct rules_site *rules_set_generic_at(const struct rules_set *rs,
                                              size_t i);
/* All site rules, in load order. */
size_t rules_set_count(const struct rules_set *rs);
const struct rules_site *rules_set_at(const struct rules_set *rs, size_t i);

/* Boilerplate kind names a rule may use. */
int rules_kind_valid(const char *kind);

#endif
