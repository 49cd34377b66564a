/* extract: HTML bytes -> UTF-8 -> Gumbo DOM -> article record.
 *
 * The only module that includes gumbo.h; no GumboNode escapes it. One
 * struct extract_ctx is reused across pages (its arena is reset per page)
 * and is not thread-safe; use one per thread. */
#ifndef WN_EXTRACT_H
#define WN_EXTRACT_H

#include "common/common.h"

typedef enum {
  EXTRACT_BLOCK_HEADING = 0,
  EXTRACT_BLOCK_PARAGRAPH,
  EXTRACT_BLOCK_LIST,
  EXTRACT_BLOCK_QUOTE,
  EXTRACT_BLOCK_TABLE,
  EXTRACT_BLOCK_CODE
} extract_block_type;

typedef enum {
  EXTRACT_BP_NAVIGATION = 0,
  EXTRACT_BP_FOOTER,
  EXTRACT_BP_COOKIE,
  EXTRACT_BP_SHARE,
  EXTRACT_BP_RELATED,
  EXTRACT_BP_COMMENTS,
  EXTRACT_BP_ADVERTISING,
  EXTRACT_BP_SEO,
  EXTRACT_BP_TEMPLATE,
  EXTRACT_BP_OTHER,
  EXTRACT_BP__COUNT
} extract_boiler_kind;

/* One block of the article body. Lists hold one item per line; tables one
 * row per line with cells separated by tabs. */
struct extract_block {
  extract_block_type type;
  int level;   /* heading level 1-6; 0 otherwise */
  int ordered; /* lists: 1 for <ol> */
  const char *text;
  size_t len;
};

struct extract_link {
  const char *url;     /* absolute when the page URL is known */
  const char *text;    /* anchor text */
  const char *section; /* heading of its block, or NULL */
};

struct extract_boiler {
  extract_boiler_kind kind;
  const char *text;
  size_t len;
};

/* The result for one page. Every string is UTF-8 and NUL-terminated, owned
 * by the context's arena, and valid until the next extract_page_run or
 * extract_ctx_free. Unknown values are NULL. */
struct extract_record {
  const char *url;
  const char *canonical_url;
  const char *title;
  const char *author;
  const char *published; /* ISO 8601 date or date-time */
  const char *site_name;
  const char *language; /* BCP 47 */
  const char *description;
  const char *charset; /* the encoding the page was decoded from */

  const char *text; /* blocks joined by blank lines; "" when none */
  size_t text_len;
  struct extract_block *blocks;
  size_t n_blocks;
  struct extract_link *related;
  size_t n_related;
  struct extract_boiler *boilerplate;
  size_t n_boilerplate;

  const char *const *rules; /* site rule files that applied ("example.com") */
  size_t n_rules;
  const char *const *rule_misses; /* "example.com:title": site selectors
                                     that matched nothing */
  size_t n_rule_misses;

  uint64_t fingerprint;      /* wn_simhash64 of text */
  size_t n_links;            /* <a href> elements on the page */
  const char *container;     /* CSS selector of the article element, or NULL
                                (not written in JSON records) */
  int truncated;             /* the input was cut at WN_MAX_PAGE_BYTES */
  int boilerplate_truncated; /* WN_MAX_BOILERPLATE_BYTES was reached */
};

/* Per-page input. Only html/len are required. */
struct extract_input {
  const char *html; /* raw bytes as served (any charset), borrowed */
  size_t len;
  const char *url;          /* page URL for resolving links, or NULL */
  const char *http_charset; /* charset= of the Content-Type header, or NULL */
  int truncated;            /* the caller already cut the page short */
};

struct rules_set;         /* rules/rules.h */
struct extract_templates; /* blocks learned across a host's pages */

/* How to extract. Both members are optional (NULL). */
struct extract_options {
  const struct rules_set *rules; /* generic and site rules to apply */
  const struct extract_templates *templates; /* learned site templates */
  struct extract_templates *learn; /* count this page's blocks first (a
                                      crawl learns as it goes); may be the
                                      same object as templates */
  int generic_only; /* apply the generic rules, not the site rules */
};

struct extract_ctx;

/* New context; NULL on allocation failure. */
struct extract_ctx *extract_ctx_new(void);
void extract_ctx_free(struct extract_ctx *ctx);

/* Extract one page. opts may be NULL (no rules, no templates). On WN_OK
 * *out points to a record owned by ctx, valid until the next call. Errors:
 * WN_E_NOMEM, WN_E_INVALID for a NULL input. Malformed HTML is never an
 * error: it yields a record with empty fields. */
wn_result extract_page_run(struct extract_ctx *ctx,
                           const struct extract_input *in,
                           const struct extract_options *opts,
                           const struct extract_record **out);

/* ---- templates learned across a host's pages -----------------------------
 * A prose block (a paragraph of at least eight words) whose text recurs,
 * near-identical, on at least min_pages of a host's pages and on at least
 * min_share of the host's pages observed is boilerplate of kind
 * "template" on that host, also inside the article. Memory: at most
 * EXTRACT_TEMPLATE_MAX_BLOCKS blocks of 24 bytes per host (plus a text
 * sample each when kept); when a host is full, blocks seen on one page
 * only are forgotten, oldest first. Thread-safe: one set may serve
 * several extract contexts in several threads. (The callback of
 * extract_templates_each runs with the set locked: it must not call back
 * into the set.) */
#define EXTRACT_TEMPLATE_MAX_BLOCKS 8192u

struct extract_templates *extract_templates_new(unsigned min_pages,
                                                double min_share);
void extract_templates_free(struct extract_templates *t);
/* 1 when the set has counts for host (learned or loaded). */
int extract_templates_known(const struct extract_templates *t,
                            const char *host);
/* Drop what was learned of a host (a crawler that saved it keeps its
 * memory bounded; it loads it again when the host comes back). */
void extract_templates_forget(struct extract_templates *t, const char *host);
/* Keep a sample text of every block for extract_templates_each (the
 * default) or not (a crawler, which only needs the counts). */
void extract_templates_keep_text(struct extract_templates *t, int keep);
/* Count the blocks of one page for its host (in->url's host; pages
 * without a URL are ignored). Parses the page with ctx. Errors:
 * WN_E_NOMEM. */
wn_result extract_templates_observe(struct extract_ctx *ctx,
                                    struct extract_templates *t,
                                    const struct extract_input *in);
/* Learned template blocks of a host, for `winnow rules learn`: calls cb
 * with a sample text of every block that qualifies, and how many pages
 * it was seen on. */
typedef void (*extract_template_cb)(void *ud, const char *text, unsigned pages);
void extract_templates_each(const struct extract_templates *t, const char *host,
                            extract_template_cb cb, void *ud);

/* ---- links of the last page ----------------------------------------------
 * For a crawler: after extract_page_run, the links of the same page (valid
 * until the next page). */

enum {
  EXTRACT_LINK_NOFOLLOW = 1 << 0, /* rel="nofollow" (or ugc, sponsored) */
  EXTRACT_LINK_FEED = 1 << 1      /* <link rel=alternate> to RSS or Atom */
};

/* Called for every link: href resolved against the page URL (absolute
 * http(s) only), flags as above. */
typedef void (*extract_link_cb)(void *ud, const char *url, unsigned flags);
/* Calls cb for each <a href>, <area href> and feed <link> of the last
 * page, in document order. Errors: WN_E_NOMEM. */
wn_result extract_page_links(struct extract_ctx *ctx, extract_link_cb cb,
                             void *ud);

/* <meta name="robots"> (or name=agent) of the last page: sets *noindex and
 * *nofollow. */
void extract_page_robots(struct extract_ctx *ctx, const char *agent,
                         int *noindex, int *nofollow);

/* Save and load one host's learned counts (a crawl keeps them across
 * runs). save appends an opaque blob to out; load merges a blob saved
 * before. Errors: WN_E_NOMEM, WN_E_PARSE (not a blob of ours). */
wn_result extract_templates_save(const struct extract_templates *t,
                                 const char *host, struct wn_buf *out);
wn_result extract_templates_load(struct extract_templates *t, const char *host,
                                 const char *blob, size_t len);

/* Names used in records ("paragraph", "navigation", ...). */
const char *extract_block_type_name(extract_block_type t);
const char *extract_boiler_kind_name(extract_boiler_kind k);

#endif
