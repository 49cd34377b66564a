/* crawler: a polite crawler. robots.txt (RFC 9309), sitemaps and feeds,
 * per-host politeness, libcurl multi fetching, and the SQLite state that
 * lets a crawl survive kill -9 and re-run from cron.
 *
 * The only module that uses libcurl and SQLite. */
#ifndef WN_CRAWLER_H
#define WN_CRAWLER_H

#include "common/common.h"

/* ---- robots.txt (robots.c) -------------------------------------------------
 * RFC 9309: groups by user-agent (the product token is matched without
 * regard to case; several groups for one agent are merged; the "*" group
 * applies when none names the agent), allow and disallow rules with '*'
 * and '$', the longest matching rule wins and allow wins a tie, percent-
 * encoding normalised on both sides, "/robots.txt" always allowed, at
 * most CRAWL_ROBOTS_MAX_BYTES parsed. Also Crawl-delay (for the agent's
 * group) and Sitemap lines (anywhere). Parsing never fails on content:
 * bad lines are skipped. Thread-safe once built. */

#define CRAWL_ROBOTS_MAX_BYTES (500u * 1024u)

struct crawl_robots;

/* Parse robots.txt for the product token agent ("winnow"). Errors:
 * WN_E_NOMEM. */
wn_result crawl_robots_parse(const char *txt, size_t len, const char *agent,
                             struct crawl_robots **out);
/* Robots that allow everything (a 4xx robots.txt) or nothing (5xx, a
 * network error). */
wn_result crawl_robots_new_allow_all(struct crawl_robots **out);
wn_result crawl_robots_new_disallow_all(struct crawl_robots **out);
void crawl_robots_free(struct crawl_robots *r);

/* 1 when the agent may fetch url (an absolute URL, or a path with an
 * optional query, "/a/b?c"), 0 when not. */
int crawl_robots_allowed(const struct crawl_robots *r, const char *url);

/* The agent group's Crawl-delay in seconds, or -1 when none. */
double crawl_robots_crawl_delay(const struct crawl_robots *r);

/* Sitemap: lines, in file order (absolute URLs as written). */
size_t crawl_robots_sitemap_count(const struct crawl_robots *r);
const char *crawl_robots_sitemap_at(const struct crawl_robots *r, size_t i);

/* ---- sitemaps and feeds (sitemap.c) -------------------------------------
 * XML sitemaps (<urlset>, <sitemapindex>), RSS 2.0 and Atom feeds, parsed
 * with expat for URL discovery: no DTD, no entity expansion, at most
 * CRAWL_SITEMAP_MAX_URLS URLs reported per document. Relative URLs are
 * resolved against base_url. Thread-safe. */

#define CRAWL_SITEMAP_MAX_URLS 50000u

typedef enum {
  CRAWL_XML_UNKNOWN = 0, /* well-formed, but none of the formats */
  CRAWL_XML_URLSET,      /* sitemap listing pages */
  CRAWL_XML_INDEX,       /* sitemap index listing sitemaps */
  CRAWL_XML_RSS,
  CRAWL_XML_ATOM
} crawl_xml_kind;

/* Called for every URL found: is_sitemap is set for the entries of a
 * sitemap index; lastmod is the <lastmod>/<pubDate>/<updated> value as
 * written, or NULL. Strings are valid during the call only. */
typedef void (*crawl_xml_url_cb)(void *ud, const char *url, int is_sitemap,
                                 const char *lastmod);

/* Parse one document (already gunzipped). cb may be NULL (only the kind
 * is detected); base_url may be NULL (relative URLs are then dropped).
 * Errors: WN_E_PARSE (not XML, not well-formed, entity or ATTLIST
 * declarations, nesting over 1024; URLs found before the error were still
 * reported), WN_E_TOO_LARGE (over 50 MiB: the first 50 MiB were parsed),
 * WN_E_INVALID (xml NULL with len > 0), WN_E_NOMEM. Parsing stops at
 * 50,000 URLs with WN_OK. *kind is set on WN_OK. */
wn_result crawl_xml_parse(const char *xml, size_t len, const char *base_url,
                          crawl_xml_url_cb cb, void *ud, crawl_xml_kind *kind);

/* ---- the crawl (crawl.c) ------------------------------------------------- */

struct rules_set;
struct rules_pattern;

typedef enum { CRAWL_SCOPE_HOST = 0, CRAWL_SCOPE_DOMAIN, CRAWL_SCOPE_ANY } crawl_scope;

struct crawl_config {
  char **seeds; /* absolute http(s) URLs */
  size_t n_seeds;
  const char *state_path;
  const char *out_path; /* "-" for stdout */
  const struct rules_set *rules;
  const char *user_agent;
  const char *robots_agent; /* product token matched in robots.txt */
  double delay;             /* seconds between request starts per host */
  double max_delay;         /* cap for Crawl-delay and back-off */
  int concurrency;          /* hosts fetched in parallel */
  int per_host;             /* connections per host */
  crawl_scope scope;
  const struct rules_pattern *include, *exclude; /* or NULL */
  int max_depth;             /* -1: no limit */
  long max_pages;            /* pages fetched in this run, -1: no limit */
  long max_pages_per_host;   /* -1: no limit */
  double recrawl_after;      /* seconds */
  double timeout;            /* seconds per transfer */
  size_t max_size;           /* body bytes */
  char **resolve;            /* "HOST:PORT:ADDR" */
  size_t n_resolve;
  int allow_private;
  int sitemaps, feeds;       /* discovery through them */
  const char *stats_path;    /* or NULL */
  int progress;              /* a progress line on stderr */
  int threads;               /* extraction threads, 0: in the loop's thread */
};

/* Outcome of crawl_run, as the CLI's exit status. */
typedef enum {
  CRAWL_DONE = 0,        /* everything due was done */
  CRAWL_SOME_FAILED = 1, /* done, with URLs that failed */
  CRAWL_LOCKED = 3,      /* another crawl holds the state */
  CRAWL_BAD_STATE = 4,   /* the state file is not usable */
  CRAWL_ERROR = 5        /* out of memory, output not writable ... */
} crawl_outcome;

/* Run a crawl (or resume one, or re-run it) until nothing is due. Writes
 * a message to err when the outcome is not DONE or SOME_FAILED. Stops
 * cleanly (state committed, output flushed) on SIGINT or SIGTERM. */
crawl_outcome crawl_run(const struct crawl_config *c, struct wn_error *err);

#endif
