/* Internals shared between the files of crawler/. Not a public API. */
#ifndef WN_CRAWLER_INT_H
#define WN_CRAWLER_INT_H

#include "crawler/crawler.h"

#include <stdint.h>

/* ---- state.c: the SQLite state file --------------------------------------
 * One file (WAL mode) holds the frontier, the seen URLs and their results,
 * the hosts (politeness, robots.txt cache), the output file's
 * acknowledged size, and the learned template counts. Work is committed
 * in batches, each with the size of the output file after its records:
 * what a kill -9 loses is a batch whose records were not acknowledged;
 * the next run cuts them from the file and does the batch again. */

struct crawl_state;

enum {
  URL_LOADED = 4, /* taken by the running crawl (back to QUEUED on open) */
  URL_QUEUED = 0, /* waiting (due_at says from when) */
  URL_DONE = 1,   /* fetched; a record was written or none was due */
  URL_FAILED = 2, /* gave up this run (errors, limits) */
  URL_SKIPPED = 3 /* never fetched: robots.txt, scope, not HTML ... */
};

enum { KIND_PAGE = 0, KIND_SITEMAP = 1, KIND_FEED = 2 };

/* A URL taken from the frontier. Strings are owned by the struct. */
struct state_url {
  int64_t id;
  char *url;
  char *origin;
  char *referrer;  /* or NULL */
  char *first_url; /* the URL first requested, for redirect targets */
  int depth;
  int tries;
  int redirects;
  int kind; /* KIND_PAGE, KIND_SITEMAP, KIND_FEED */
  char *etag;          /* for conditional requests, or NULL */
  char *last_modified; /* or NULL */
  char *body_hash;     /* hash of the body last fetched, or NULL */
  char *fingerprint;   /* of the text last extracted, or NULL */
};

void state_url_clear(struct state_url *u);

/* What a fetch left for the URL's row. */
struct state_result {
  int state;  /* URL_DONE, URL_FAILED, URL_SKIPPED, or URL_QUEUED to retry */
  double due_at; /* for URL_QUEUED: when to try again */
  int status;
  const char *etag, *last_modified, *content_type, *final_url;
  const char *fingerprint;
  const char *body_hash; /* NULL keeps the stored one */
  const char *error;
  double fetched_at;
};

/* The host row: politeness and robots.txt cache. */
struct state_host {
  char *origin;
  double next_at;
  double delay;    /* adaptive delay, seconds */
  int errors;      /* consecutive errors */
  char *robots;    /* robots.txt body, or NULL */
  size_t robots_len;
  int robots_status;   /* HTTP status of robots.txt, 0 when never fetched,
                          -1 for a network error */
  double robots_fetched_at;
};

void state_host_clear(struct state_host *h);

/* Open or create. WN_E_DENIED when another process holds the state
 * (message in err), WN_E_IO / WN_E_PARSE when the file is not a usable
 * state (not SQLite, newer schema, corrupt). */
wn_result state_open(const char *path, struct crawl_state **out,
                     struct wn_error *err);
void state_close(struct crawl_state *s);

/* Transactions (nesting is not supported). */
wn_result state_begin(struct crawl_state *s);
wn_result state_commit(struct crawl_state *s);
/* Forget the open transaction (a batch whose records could not be
 * written: it will be done again). */
wn_result state_rollback(struct crawl_state *s);

/* Add a URL unless seen. *added is set to 1 when it was new. */
wn_result state_url_add(struct crawl_state *s, const char *url,
                        const char *origin, int depth, const char *referrer,
                        const char *first_url, int redirects, int kind,
                        double due_at, int *added);
/* Pages fetched before `before` become due again (recrawl). Returns how
 * many via *n. */
wn_result state_requeue_older(struct crawl_state *s, double before,
                              int64_t *n);
/* Queued URLs whose tries ran out in an earlier run stay queued; failed
 * URLs get another chance in a new run. */
wn_result state_requeue_failed(struct crawl_state *s, int64_t *n);
/* Up to max due URLs of one origin (due_at <= now), lowest depth first.
 * Fills v[0..*n). */
wn_result state_next_urls(struct crawl_state *s, const char *origin, double now,
                          struct state_url *v, size_t max, size_t *n);
/* Origins that have due URLs, up to max, with the time of their earliest
 * due URL. Callbacks per origin. */
typedef void (*state_origin_cb)(void *ud, const char *origin, double due);
wn_result state_due_origins(struct crawl_state *s, double now, size_t max,
                            state_origin_cb cb, void *ud);
/* Count of URLs queued (due or not). */
wn_result state_count_queued(struct crawl_state *s, int64_t *n);
/* A URL taken by state_next_urls but not fetched goes back to the queue
 * as it was (its tries unchanged). */
wn_result state_url_unload(struct crawl_state *s, int64_t id);
/* Every URL of origin still to do fails with error (a host the crawl
 * may not contact); *n gets how many. */
wn_result state_fail_origin(struct crawl_state *s, const char *origin,
                            const char *error, int64_t *n);
wn_result state_url_finish(struct crawl_state *s, int64_t id,
                           const struct state_result *r);

wn_result state_host_get(struct crawl_state *s, const char *origin,
                         struct state_host *out, int *found);
/* Insert or update; a NULL robots keeps the stored body. */
wn_result state_host_put(struct crawl_state *s, const struct state_host *h);

/* Fingerprint and canonical dedup: *seen is 1 when another URL recorded
 * the key, 2 when this URL did (a recrawl); 0: it is now stored with
 * url. */
wn_result state_seen_key(struct crawl_state *s, const char *key,
                         const char *url, int *seen);

/* The output file: its size after the records of the current
 * transaction were appended, committed with them. */
wn_result state_out_ack(struct crawl_state *s, const char *out_key,
                        int64_t size);
/* The output file size the state last acknowledged for out_key, or -1. */
wn_result state_out_size(struct crawl_state *s, const char *out_key,
                         int64_t *size);

/* Learned template counts of a host name, kept across runs (opaque
 * blob; the key column is named origin). */
wn_result state_templates_get(struct crawl_state *s, const char *origin,
                              char **blob, size_t *len);
wn_result state_templates_put(struct crawl_state *s, const char *origin,
                              const char *blob, size_t len);

/* A short description of the last SQLite error. */
const char *state_errmsg(struct crawl_state *s);

/* ---- fetch.c: libcurl multi ----------------------------------------------
 * One event loop for every transfer. Redirects are not followed here (the
 * crawler checks each hop); bodies are capped; only http and https; a
 * connection to a loopback, private, link-local or metadata address is
 * refused unless allowed, checked on the address actually connected to. */

struct fetch_req;

struct fetch_opts {
  const char *user_agent;
  double timeout;         /* whole transfer, seconds */
  double connect_timeout; /* seconds */
  size_t max_size;        /* body bytes kept; larger bodies fail */
  long per_host;          /* connections per host */
  long total;             /* connections in all */
  int allow_private;
  char **resolve; /* "HOST:PORT:ADDR" entries; HOST may be "*.suffix" or "*" */
  size_t n_resolve;
  /* called (in fetch_poll) when a request is about to be sent */
  void (*on_sent)(void *ud, struct fetch_req *r);
  void *sent_ud;
};

struct fetch_req {
  /* set by the caller */
  char *url;
  void *ud;
  const char *if_none_match;
  const char *if_modified_since;
  int head_only;
  int fresh_connect; /* a new connection, not one from the cache */
  size_t max_size;   /* body cap of this request, 0: the fetch's */
  int truncate;      /* a longer body is cut there, not an error */
  /* the response */
  int status;
  struct wn_buf body;
  char *content_type, *location, *etag, *last_modified, *retry_after;
  char *x_robots_tag;
  double t_start;   /* wall clock when the transfer started */
  double t_total;   /* seconds the transfer took */
  double t_sent;    /* wall clock when the request went out (after
                       connecting), or t_start when it never did */
  int curl_code;    /* 0 on success */
  char error[256];
  int refused;      /* the address was not allowed */
  int too_large;    /* the body was over max_size */
  int resend_refused; /* libcurl's immediate resend was stopped */
  int truncated;     /* cut at max_size (with truncate) */
  /* internal */
  void *owner; /* the struct fetch */
  struct fetch_req *next_active, *prev_active;
  void *easy;
  struct curl_slist *headers;
  struct curl_slist *resolve;
};

struct fetch;

wn_result fetch_new(const struct fetch_opts *o, struct fetch **out);
void fetch_free(struct fetch *f);
/* Stop every request in flight; cb (may be NULL) gets each one, done
 * with, to release. */
void fetch_abort_all(struct fetch *f, void (*cb)(struct fetch_req *r));
/* Start r (r and its strings stay the caller's until it is done). */
wn_result fetch_start(struct fetch *f, struct fetch_req *r);
/* Wait up to timeout_ms for activity and move transfers along. */
wn_result fetch_poll(struct fetch *f, int timeout_ms);
/* Make a fetch_poll that waits return now; callable from any thread. */
void fetch_wakeup(struct fetch *f);
/* A finished request, or NULL. */
struct fetch_req *fetch_next_done(struct fetch *f);
/* Release what a finished request holds (not the struct). */
void fetch_req_clear(struct fetch_req *r);
int fetch_running(const struct fetch *f);
/* 1 when addr (IPv4 or IPv6, struct sockaddr) is loopback, private,
 * link-local, unspecified, multicast or a cloud metadata address. */
int fetch_address_is_private(const void *sockaddr);

double crawl_now(void);

/* ---- work.c: extraction threads ------------------------------------------
 * Pages are extracted off the event loop by a pool of threads, each with
 * its own extract context; the rules are shared read-only and the learned
 * templates through their lock. The loop submits items and takes them
 * back when done: everything touching the state stays in the loop's
 * thread. With no threads, work_submit extracts at once. */
struct rules_set;
struct extract_templates;
struct output_fetch;

struct work_item {
  struct work_item *next;
  void *ud; /* the caller's */
  /* set by the caller; valid until the item is taken back */
  const char *html;
  size_t len;
  const char *url;          /* the URL fetched */
  const char *record_url;   /* the URL of the record (the first asked for) */
  const char *http_charset; /* from Content-Type, or NULL */
  const struct output_fetch *fetch; /* crawl fields of the record */
  /* the results */
  wn_result rc;
  int noindex, nofollow; /* from <meta name="robots"> */
  uint64_t fingerprint;
  size_t text_len;
  char *canonical;    /* normalised <link rel=canonical>, or NULL */
  struct wn_buf line; /* the record as one JSON line */
  struct wn_buf links; /* per link: a flags byte, the normalised URL, NUL */
};

struct work_opts {
  unsigned threads; /* 0: extract in the caller's thread */
  const struct rules_set *rules;
  struct extract_templates *templates; /* learned and applied, or NULL */
  const char *robots_agent;
  void (*wake)(void *ud); /* called by a thread when an item is done */
  void *wake_ud;
};

struct work;
wn_result work_new(const struct work_opts *o, struct work **out);
/* Stop the threads (items in progress are finished, queued ones are
 * dropped: their pages will be fetched again) and free the pool. Items
 * not taken back are freed with work_item_free. */
void work_free(struct work *w);
/* Hand an item over (ownership passes to the pool until work_take). */
void work_submit(struct work *w, struct work_item *it);
/* A done item, or NULL. */
struct work_item *work_take(struct work *w);
/* A done item, waiting for one; NULL when nothing is pending. */
struct work_item *work_wait(struct work *w);
/* Items submitted and not yet taken back. */
size_t work_pending(const struct work *w);
struct work_item *work_item_new(void);
void work_item_free(struct work_item *it);

#endif
