/* Internals shared between the files of crawler/. Not a public API. */
#ifndef WN_CRAWLER_INT_H
#define WN_CRAWLER_INT_H

#include "crawler/crawler.h"
#include "output/output.h"

#include <limits.h>
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

/* ---- crawl.c, hosts.c, handle.c: the running crawl -----------------------
 * crawl.c schedules hosts and runs the event loop; hosts.c keeps the host
 * table and the frontier's door (scope, normalisation); handle.c starts
 * requests and deals with their answers. All of it runs in the loop's
 * thread. */

/* Limits of the crawl's own making. */
#define MAX_TRIES 3             /* attempts per URL in one run */
#define MAX_REDIRECTS 5         /* hops followed from one URL */
#define PARK_ERRORS 8           /* consecutive errors that park a host */
#define PARK_NET_ERRORS 3       /* ... of which unreachable (DNS, connect) */
#define ROBOTS_TTL (24 * 3600.0) /* robots.txt cache */
#define BATCH_PAGES 64          /* pages per committed batch ... */
#define BATCH_SECONDS 0.5       /* ... or this much time */
#define WAIT_HORIZON 60.0       /* URLs due later than this end the run */
#define MAX_RETRY_AFTER 86400.0 /* Retry-After honoured up to a day */
#define SITEMAP_LEVELS 4        /* robots.txt sitemap, index, index, index */
#define QUEUE_BATCH 32          /* URLs loaded per host at a time */
#define OUT_MAX_BYTES (16u << 20) /* records held before a batch is cut */
#define LINE_MAX_BYTES (64u << 20) /* one record at most (work.c) */

/* robots.txt of a host: not asked yet, being fetched, known, unreachable
 * (asked again at robots_retry_at), or redirected (the next hop starts
 * when the host's gap allows). */
enum { ROBOTS_NONE, ROBOTS_FETCHING, ROBOTS_READY, ROBOTS_WAIT, ROBOTS_HOP };

struct host {
  char *origin;
  double next_at;
  double latency; /* smoothed response time, seconds */
  int errors;
  int net_errors; /* consecutive transfers that failed below HTTP */
  int inflight;
  int parked;
  int full; /* --max-pages-per-host reached */
  int deferred; /* waits beyond this run: its URLs are left for a later one */
  int extracting; /* pages of the host with the extraction threads */
  int active;
  int robots_state;
  double robots_retry_at;
  char *robots_hop; /* ROBOTS_HOP: the URL of the next hop */
  int robots_hops;  /* hops followed so far */
  double last_start; /* when the host's last request started */
  struct crawl_robots *robots;
  double crawl_delay;
  struct state_url *queue; /* QUEUE_BATCH URLs, while the host is active */
  size_t q_len, q_pos;
  int exhausted;
  long pages;         /* pages extracted in this run */
  long page_requests; /* requests for pages in this run */
  int tpl_loaded, tpl_dirty;
  int dirty; /* host row to save */
  int robots_status;
  double robots_fetched_at;
  char *robots_body;
  size_t robots_len;
};

struct job {
  struct fetch_req req;
  struct host *host;
  int robots; /* a robots.txt request */
  int hops;   /* robots.txt redirects followed */
  struct state_url u;
  /* an HTML page being extracted */
  struct work_item *item;
  struct output_fetch of;
  char fetched_at[32];
  char charset[64];
  char body_hash[20]; /* hex wn_hash64 of the body, when it was whole */
};

struct stats {
  long requests, pages, records, not_modified, redirects, errors, failed;
  long skipped_robots, skipped_other, robots_fetched, sitemaps, duplicates;
  long noindex, retries, parked, unchanged;
  double started;
};

struct crawl {
  const struct crawl_config *c;
  struct crawl_state *st;
  struct fetch *fetch;
  struct work *work;
  size_t max_pending; /* pages waiting for extraction before fetching pauses */
  struct rules_scratch *re;
  struct extract_templates *tpl;
  struct host **hosts; /* open addressing by origin */
  size_t cap_hosts, n_hosts;
  struct host **active;
  size_t n_active;
  size_t rr;
  char **allowed; /* seed hosts or domains, for the scope */
  size_t n_allowed;
  int out_fd;     /* -1: stdout */
  const char *out_key;
  char out_real[PATH_MAX];
  struct stats s;
  long batch_pages;
  double batch_started;
  size_t n_full;    /* hosts at --max-pages-per-host */
  struct mark *marks; /* what this run knows of hosts dropped from memory */
  size_t cap_marks, n_marks;
  long left_behind; /* hosts parked or deferred with URLs left */
  long page_requests; /* requests for pages (not robots.txt, sitemaps, feeds) */
  int fill_needed;  /* fill_active should look for hosts at once */
  double filled_at; /* when it last did */
  double fill_min_gap; /* ten times what the last look took */
  double last_progress;
  struct wn_buf out; /* records of the batch, for the output */
  int out_errno;     /* set when writing the output failed */
  wn_result fatal;
};

/* A host dropped from memory keeps, for the rest of the run, what the
 * state does not hold: its page requests and whether it was parked, full
 * or deferred. 16 bytes a host, keyed by a 64-bit hash of the origin. */
struct mark {
  uint64_t key; /* 0: empty */
  uint32_t page_requests;
  uint8_t parked, full, deferred;
};

/* ---- hosts.c: the host table, marks, scope, adding URLs ------------------ */

void crawl_host_free(struct host *h);
/* The mark of a host dropped from memory (created when create is set;
 * NULL when there is none or no memory for one). */
struct mark *crawl_mark_find(struct crawl *cr, const char *origin, int create);
/* The host of origin when it is in the table, or NULL. */
struct host *crawl_host_lookup(struct crawl *cr, const char *origin);
/* The host of origin, loaded from the state on first use; NULL on no
 * memory or a state error (then cr->fatal is set). */
struct host *crawl_host_get(struct crawl *cr, const char *origin);
wn_result crawl_host_save(struct crawl *cr, struct host *h);
/* Start-to-start gap: the larger of --delay and Crawl-delay (capped), and
 * for slow hosts twice their response time (AutoThrottle's idea). */
double crawl_host_gap(const struct crawl *cr, const struct host *h);
/* After an error: back off exponentially, and park the host for the run
 * when errors keep coming. */
void crawl_host_error(struct crawl *cr, struct host *h, double now);
/* The host name of url into buf; 0 when it has none or it does not fit. */
int crawl_host_of_url(const char *url, char *buf, size_t size);
/* Widen the scope with the host (or domain) of url: seeds and their
 * redirects. */
wn_result crawl_host_allow(struct crawl *cr, const char *url);
/* Add a normalised URL to the frontier (WN_OK also when it is out of
 * scope or was seen). */
wn_result crawl_url_add_norm(struct crawl *cr, const char *norm, int depth,
                             const char *referrer, const char *first_url,
                             int redirects, int kind, int check_scope);
/* Normalise and add a URL to the frontier. */
wn_result crawl_url_add(struct crawl *cr, const char *raw, int depth,
                        const char *referrer, const char *first_url,
                        int redirects, int kind, int check_scope);
/* Drop idle hosts from memory beyond HOST_CACHE (after a commit). */
void crawl_hosts_evict(struct crawl *cr);

/* ---- handle.c: requests and their answers ------------------------------- */

struct job *crawl_job_new(struct host *h, const char *url);
void crawl_job_free(struct job *j);
/* Ask for the robots.txt of h (url NULL), or its next redirect hop. */
wn_result crawl_job_start_robots(struct crawl *cr, struct host *h,
                                 const char *url, int hops);
/* Leave the URL's row in state (due_at for URL_QUEUED) and count it. */
void crawl_job_finish(struct crawl *cr, struct job *j, int state,
                      double due_at, const char *error);
/* Hand an HTML page to the extraction threads: 1 when the job went with
 * it. */
int crawl_job_html(struct crawl *cr, struct job *j);
/* A page back from extraction: its record, its links, its row. */
void crawl_job_extracted(struct crawl *cr, struct work_item *it);
/* A finished page request; 1 when the job was handed to the extraction
 * threads (it is then not the caller's to free). */
int crawl_job_page(struct crawl *cr, struct job *j, double now);
/* A finished robots.txt request. */
void crawl_job_robots(struct crawl *cr, struct job *j, double now);

#endif
