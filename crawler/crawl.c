/* The crawl: scheduling hosts politely, fetching, following links,
 * extracting records, and keeping the state so that a crawl can be
 * killed and resumed, and re-run from cron. */
#include "crawler/crawler_int.h"
#include "extract/extract.h"
#include "output/output.h"
#include "rules/rules.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

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
#define LINE_MAX_BYTES (64u << 20) /* one record at most (as work.c) */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
  (void)sig;
  stop_requested = 1;
}

/* ---- hosts ---------------------------------------------------------------- */

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

static uint64_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ULL;

  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

static void host_free(struct host *h)
{
  size_t k;

  if (!h)
    return;
  for (k = h->q_pos; k < h->q_len; k++)
    state_url_clear(&h->queue[k]);
  free(h->queue);
  crawl_robots_free(h->robots);
  free(h->robots_body);
  free(h->robots_hop);
  free(h->origin);
  free(h);
}

/* A host dropped from memory keeps, for the rest of the run, what the
 * state does not hold: its page requests and whether it was parked, full
 * or deferred. 16 bytes a host, keyed by a 64-bit hash of the origin. */
struct mark {
  uint64_t key; /* 0: empty */
  uint32_t page_requests;
  uint8_t parked, full, deferred;
};

static uint64_t mark_key(const char *origin)
{
  uint64_t k = hash_str(origin);
  return k ? k : 1;
}

static struct mark *mark_find(struct crawl *cr, const char *origin, int create)
{
  uint64_t key = mark_key(origin);
  size_t i, mask;

  if (create && (cr->n_marks + 1) * 2 > cr->cap_marks) {
    size_t cap = cr->cap_marks ? cr->cap_marks * 2 : 1024, k;
    struct mark *nm = calloc(cap, sizeof(*nm));

    if (!nm)
      return NULL;
    for (k = 0; k < cr->cap_marks; k++) {
      if (!cr->marks[k].key)
        continue;
      i = cr->marks[k].key & (cap - 1);
      while (nm[i].key)
        i = (i + 1) & (cap - 1);
      nm[i] = cr->marks[k];
    }
    free(cr->marks);
    cr->marks = nm;
    cr->cap_marks = cap;
  }
  if (!cr->cap_marks)
    return NULL;
  mask = cr->cap_marks - 1;
  for (i = key & mask; cr->marks[i].key; i = (i + 1) & mask)
    if (cr->marks[i].key == key)
      return &cr->marks[i];
  if (!create)
    return NULL;
  cr->marks[i].key = key;
  cr->n_marks++;
  return &cr->marks[i];
}

/* The host of origin when it is in the table, or NULL. */
static struct host *host_lookup(struct crawl *cr, const char *origin)
{
  size_t mask, i;

  if (!cr->cap_hosts)
    return NULL;
  mask = cr->cap_hosts - 1;
  for (i = hash_str(origin) & mask; cr->hosts[i]; i = (i + 1) & mask)
    if (strcmp(cr->hosts[i]->origin, origin) == 0)
      return cr->hosts[i];
  return NULL;
}

/* The host of origin, loaded from the state on first use. */
static struct host *host_get(struct crawl *cr, const char *origin)
{
  size_t mask, i;
  struct host *h;
  struct state_host sh;
  int found = 0;

  if ((cr->n_hosts + 1) * 2 > cr->cap_hosts) {
    size_t cap = cr->cap_hosts ? cr->cap_hosts * 2 : 256, k;
    struct host **nh = calloc(cap, sizeof(*nh));

    if (!nh)
      return NULL;
    for (k = 0; k < cr->cap_hosts; k++) {
      if (!cr->hosts[k])
        continue;
      i = hash_str(cr->hosts[k]->origin) & (cap - 1);
      while (nh[i])
        i = (i + 1) & (cap - 1);
      nh[i] = cr->hosts[k];
    }
    free(cr->hosts);
    cr->hosts = nh;
    cr->cap_hosts = cap;
  }
  mask = cr->cap_hosts - 1;
  for (i = hash_str(origin) & mask; cr->hosts[i]; i = (i + 1) & mask)
    if (strcmp(cr->hosts[i]->origin, origin) == 0)
      return cr->hosts[i];
  h = calloc(1, sizeof(*h));
  if (!h || !(h->origin = strdup(origin))) {
    free(h);
    return NULL;
  }
  h->crawl_delay = -1;
  {
    const struct mark *m = mark_find(cr, origin, 0);
    if (m) {
      h->page_requests = m->page_requests;
      h->parked = m->parked;
      h->full = m->full;
      h->deferred = m->deferred;
    }
  }
  if (state_host_get(cr->st, origin, &sh, &found) == WN_OK && found) {
    h->next_at = sh.next_at;
    h->latency = sh.delay; /* the smoothed response time of the last run */
    h->errors = 0;
    h->robots_status = sh.robots_status;
    h->robots_fetched_at = sh.robots_fetched_at;
    /* a cached robots.txt younger than a day is used as it is (the text
     * stays in the state; only the parsed rules are kept here) */
    if (h->robots_status > 0 &&
        crawl_now() - h->robots_fetched_at < ROBOTS_TTL) {
      wn_result rc =
          h->robots_status >= 200 && h->robots_status < 300
              ? crawl_robots_parse(sh.robots ? sh.robots : "", sh.robots_len,
                                   cr->c->robots_agent, &h->robots)
              : crawl_robots_new_allow_all(&h->robots);
      if (rc == WN_OK) {
        h->robots_state = ROBOTS_READY;
        h->crawl_delay = crawl_robots_crawl_delay(h->robots);
      }
    }
  }
  state_host_clear(&sh);
  cr->hosts[i] = h;
  cr->n_hosts++;
  return h;
}

static wn_result host_save(struct crawl *cr, struct host *h)
{
  struct state_host sh;
  wn_result rc;

  memset(&sh, 0, sizeof(sh));
  sh.origin = h->origin;
  sh.next_at = h->next_at;
  sh.delay = h->latency;
  sh.errors = h->errors;
  sh.robots = h->robots_body;
  sh.robots_len = h->robots_len;
  sh.robots_status = h->robots_status;
  sh.robots_fetched_at = h->robots_fetched_at;
  h->dirty = 0;
  rc = state_host_put(cr->st, &sh);
  /* the parsed rules stay; the text is in the state now */
  free(h->robots_body);
  h->robots_body = NULL;
  h->robots_len = 0;
  return rc;
}

/* Start-to-start gap: the larger of --delay and Crawl-delay (capped), and
 * for slow hosts twice their response time (AutoThrottle's idea). */
static double host_gap(const struct crawl *cr, const struct host *h)
{
  double gap = cr->c->delay, cd = h->crawl_delay;

  if (cd > 0)
    gap = fmax(gap, fmin(cd, cr->c->max_delay));
  if (h->latency > 0.1)
    gap = fmax(gap, fmin(2 * h->latency, cr->c->max_delay));
  /* a little more, so that the server never measures less than the
   * delay however its clock and scheduling round it */
  return gap + fmin(0.02, 0.02 * gap);
}

/* After an error: back off exponentially, and park the host for the run
 * when errors keep coming. */
static void host_error(struct crawl *cr, struct host *h, double now)
{
  double backoff;

  h->errors++;
  backoff = fmin(cr->c->max_delay, fmax(1.0, cr->c->delay) *
                                       pow(2.0, (double)(h->errors - 1)));
  h->next_at = fmax(h->next_at, now + backoff);
  h->dirty = 1;
  if ((h->errors >= PARK_ERRORS || h->net_errors >= PARK_NET_ERRORS) &&
      !h->parked) {
    h->parked = 1;
    cr->s.parked++;
    cr->left_behind++;
    wn_log(WN_LOG_WARN, "%s: %d errors in a row; no more requests this run",
           h->origin, h->errors);
  }
}

/* ---- scope ---------------------------------------------------------------- */

/* The registrable domain, approximately: the last two labels, or three
 * when the last two look like a country's second level (co.uk, com.au). */
static const char *domain_of(const char *host)
{
  const char *last = strrchr(host, '.'), *p;
  size_t tld;

  if (!last || last == host)
    return host;
  tld = strlen(last + 1);
  for (p = last - 1; p > host && *p != '.'; p--)
    ;
  if (*p == '.' && tld == 2 && (size_t)(last - p - 1) <= 3) {
    const char *q = p - 1;
    while (q > host && *q != '.')
      q--;
    return *q == '.' ? q + 1 : host;
  }
  return *p == '.' ? p + 1 : host;
}

static int host_of_url(const char *url, char *buf, size_t size)
{
  struct wn_url u;
  int ok = 0;

  if (wn_url_parse(url, &u) != WN_OK)
    return 0;
  if (u.host && strlen(u.host) < size) {
    memcpy(buf, u.host, strlen(u.host) + 1);
    ok = 1;
  }
  wn_url_free(&u);
  return ok;
}

static int in_scope(const struct crawl *cr, const char *url)
{
  char host[512];
  size_t k;

  if (!host_of_url(url, host, sizeof(host)))
    return 0;
  if (cr->c->scope == CRAWL_SCOPE_ANY)
    return 1;
  for (k = 0; k < cr->n_allowed; k++) {
    if (cr->c->scope == CRAWL_SCOPE_HOST &&
        wn_ascii_casecmp(host, cr->allowed[k]) == 0)
      return 1;
    if (cr->c->scope == CRAWL_SCOPE_DOMAIN &&
        wn_ascii_casecmp(domain_of(host), cr->allowed[k]) == 0)
      return 1;
  }
  return 0;
}

static int wanted(struct crawl *cr, const char *url)
{
  struct rules_scratch *sc = cr->re;
  int ok = 1;

  if (!cr->c->include && !cr->c->exclude)
    return 1;
  if (cr->c->include &&
      rules_pattern_find(cr->c->include, sc, url, strlen(url), NULL, NULL) != 1)
    ok = 0;
  if (ok && cr->c->exclude &&
      rules_pattern_find(cr->c->exclude, sc, url, strlen(url), NULL, NULL) == 1)
    ok = 0;
  return ok;
}

static wn_result allow_host(struct crawl *cr, const char *url)
{
  char host[512];
  const char *key;
  char **v;
  size_t k;

  if (!host_of_url(url, host, sizeof(host)))
    return WN_OK;
  key = cr->c->scope == CRAWL_SCOPE_DOMAIN ? domain_of(host) : host;
  for (k = 0; k < cr->n_allowed; k++)
    if (wn_ascii_casecmp(cr->allowed[k], key) == 0)
      return WN_OK;
  v = realloc(cr->allowed, (cr->n_allowed + 1) * sizeof(*v));
  if (!v)
    return WN_E_NOMEM;
  cr->allowed = v;
  v[cr->n_allowed] = strdup(key);
  if (!v[cr->n_allowed])
    return WN_E_NOMEM;
  cr->n_allowed++;
  return WN_OK;
}

/* ---- adding URLs ------------------------------------------------------------ */

/* Add a normalised URL to the frontier (WN_OK also when it is out of
 * scope or was seen). */
static wn_result add_norm_url(struct crawl *cr, const char *norm, int depth,
                              const char *referrer, const char *first_url,
                              int redirects, int kind, int check_scope)
{
  struct wn_buf org;
  wn_result rc = WN_OK;
  int added = 0;

  /* --include and --exclude choose pages; sitemaps and feeds are read
   * for discovery whatever their URL (their entries are then chosen) */
  if (check_scope &&
      (!in_scope(cr, norm) || (kind == KIND_PAGE && !wanted(cr, norm))))
    return WN_OK;
  wn_buf_init(&org, WN_MAX_URL_BYTES + 16);
  if (wn_url_origin(norm, &org) == WN_OK)
    rc = state_url_add(cr->st, norm, org.data, depth, referrer, first_url,
                       redirects, kind, 0, &added);
  if (added) {
    /* an active host that had run out of URLs has one again */
    struct host *h = host_lookup(cr, org.data);
    if (h && h->active)
      h->exhausted = 0;
    cr->fill_needed = 1;
  }
  wn_buf_free(&org);
  return rc;
}

/* Normalise and add a URL to the frontier. */
static wn_result add_url(struct crawl *cr, const char *raw, int depth,
                         const char *referrer, const char *first_url,
                         int redirects, int kind, int check_scope)
{
  struct wn_buf norm;
  wn_result rc = WN_OK;

  if (!wn_url_is_http(raw))
    return WN_OK;
  wn_buf_init(&norm, WN_MAX_URL_BYTES + 16);
  if (wn_url_normalize(raw, WN_URL_NORM_FRAGMENT | WN_URL_NORM_TRACKING,
                       &norm) == WN_OK)
    rc = add_norm_url(cr, norm.data, depth, referrer, first_url, redirects,
                      kind, check_scope);
  wn_buf_free(&norm);
  return rc;
}

/* ---- output ----------------------------------------------------------------- */

static void iso_time(double t, char out[32])
{
  time_t s = (time_t)t;
  struct tm tm;

  gmtime_r(&s, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Hosts kept in memory besides the active ones: beyond HOST_CACHE, the
 * idle ones (saved, nothing in flight, not parked or full for this run)
 * are dropped with what their templates learned; both come back from
 * the state when the host does. */
#define HOST_CACHE 512

static void host_table_remove(struct crawl *cr, size_t i)
{
  size_t mask = cr->cap_hosts - 1, j = i;

  for (;;) {
    size_t home;

    j = (j + 1) & mask;
    if (!cr->hosts[j])
      break;
    home = hash_str(cr->hosts[j]->origin) & mask;
    if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
      cr->hosts[i] = cr->hosts[j];
      i = j;
    }
  }
  cr->hosts[i] = NULL;
  cr->n_hosts--;
}

/* Another host of the table with the same host name as h? */
static int name_shared(const struct crawl *cr, const struct host *h,
                       const char *name)
{
  size_t k;
  char other[512];

  for (k = 0; k < cr->cap_hosts; k++)
    if (cr->hosts[k] && cr->hosts[k] != h &&
        host_of_url(cr->hosts[k]->origin, other, sizeof(other)) &&
        strcmp(other, name) == 0)
      return 1;
  return 0;
}

static void evict_hosts(struct crawl *cr)
{
  size_t k = 0, seen = 0;

  if (cr->n_hosts <= HOST_CACHE + (size_t)cr->c->concurrency)
    return;
  while (k < cr->cap_hosts && seen < cr->cap_hosts &&
         cr->n_hosts > HOST_CACHE / 2) {
    struct host *h = cr->hosts[k];
    char host[512];

    seen++;
    if (!h || h->active || h->dirty || h->tpl_dirty || h->inflight ||
        h->extracting || h->q_pos != h->q_len ||
        h->robots_state == ROBOTS_FETCHING || h->robots_state == ROBOTS_HOP) {
      k++;
      continue;
    }
    if (h->page_requests || h->parked || h->full || h->deferred) {
      struct mark *m = mark_find(cr, h->origin, 1);
      if (!m) { /* no memory for the mark: keep the host */
        k++;
        continue;
      }
      m->page_requests = (uint32_t)h->page_requests;
      m->parked = (uint8_t)h->parked;
      m->full = (uint8_t)h->full;
      m->deferred = (uint8_t)h->deferred;
    }
    /* the counts are per host name: kept while another origin of the
     * name (http and https, two ports) is still here */
    if (cr->tpl && h->tpl_loaded && host_of_url(h->origin, host, sizeof(host)) &&
        !name_shared(cr, h, host))
      extract_templates_forget(cr->tpl, host);
    host_table_remove(cr, k); /* another host may now be at k */
    host_free(h);
  }
}

static wn_result write_all(int fd, const char *p, size_t len)
{
  while (len) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return WN_E_IO;
    }
    p += w;
    len -= (size_t)w;
  }
  return WN_OK;
}

static wn_result commit_batch(struct crawl *cr)
{
  size_t k;
  wn_result rc;

  for (k = 0; k < cr->cap_hosts; k++) {
    struct host *h = cr->hosts[k];
    if (!h)
      continue;
    if (h->dirty && (rc = host_save(cr, h)) != WN_OK)
      return rc;
    if (h->tpl_dirty && cr->tpl) {
      struct wn_buf b;
      char host[512];

      wn_buf_init(&b, 1u << 26);
      /* learned counts are per host name (see handle_html) */
      if (host_of_url(h->origin, host, sizeof(host)) &&
          extract_templates_save(cr->tpl, host, &b) == WN_OK && b.len)
        rc = state_templates_put(cr->st, host, b.data, b.len);
      else
        rc = WN_OK;
      wn_buf_free(&b);
      if (rc != WN_OK)
        return rc;
      h->tpl_dirty = 0;
    }
  }
  /* The batch's records go to the output first, then the file's new
   * size is committed with the batch. A kill in between leaves records
   * the state does not acknowledge: the next run cuts them off and does
   * the batch again. (Standard output cannot be cut: there a kill can
   * repeat the records of the last batch.) */
  rc = write_all(cr->out_fd >= 0 ? cr->out_fd : 1, cr->out.data, cr->out.len);
  if (rc != WN_OK) {
    cr->out_errno = errno;
    return rc; /* the batch stays uncommitted */
  }
  if (cr->out_fd >= 0 && cr->out.len) {
    struct stat sb;
    /* on disk before the state says so, so that a power loss cannot
     * leave the state ahead of the file */
    if (fdatasync(cr->out_fd) != 0 && errno != EINVAL) {
      cr->out_errno = errno;
      return WN_E_IO;
    }
    rc = fstat(cr->out_fd, &sb) == 0
             ? state_out_ack(cr->st, cr->out_key, (int64_t)sb.st_size)
             : WN_E_IO;
  }
  wn_buf_reset(&cr->out);
  if (rc == WN_OK)
    rc = state_commit(cr->st);
  if (rc == WN_OK)
    evict_hosts(cr);
  if (rc == WN_OK)
    rc = state_begin(cr->st);
  cr->batch_pages = 0;
  cr->batch_started = crawl_now();
  return rc;
}

/* ---- responses ---------------------------------------------------------------- */

static void finish(struct crawl *cr, struct job *j, int state, double due_at,
                   const char *error)
{
  struct state_result r;
  struct fetch_req *q = &j->req;

  memset(&r, 0, sizeof(r));
  r.state = state;
  r.due_at = due_at;
  r.status = q->status;
  /* validators only from a whole answer: a cut body, an error page or a
   * redirect must not make the next request conditional */
  if (state == URL_DONE &&
      ((q->status >= 200 && q->status < 300) || q->status == 304)) {
    r.etag = q->etag;
    r.last_modified = q->last_modified;
    r.body_hash = j->body_hash[0] ? j->body_hash : NULL;
  }
  r.content_type = q->content_type;
  r.error = error;
  if (state == URL_DONE)
    r.fetched_at = crawl_now();
  if (state_url_finish(cr->st, j->u.id, &r) != WN_OK)
    cr->fatal = WN_E_IO;
  if (state == URL_FAILED)
    cr->s.failed++;
}

/* Retry-After: seconds or an HTTP date; -1 when absent or unreadable. */
static double retry_after(const char *v, double now)
{
  double secs;
  time_t t;

  if (!v)
    return -1;
  if (wn_parse_double(v, &secs) == WN_OK)
    return secs;
  t = curl_getdate(v, NULL);
  return t > 0 ? fmax(0, (double)t - now) : -1;
}

/* What the WHATWG sniffing rules take for HTML: after white space, one of
 * these tags (any case) followed by a space or '>', or a comment. */
static int sniff_html(const char *b, size_t n)
{
  static const char *const tags[] = {
      "!doctype html", "html", "head", "script", "iframe", "h1", "div",
      "font", "table", "a", "style", "title", "b", "body", "br", "p"};
  size_t i = 0, k;

  if (n >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB &&
      (unsigned char)b[2] == 0xBF)
    i = 3;
  while (i < n && wn_ascii_isspace((unsigned char)b[i]))
    i++;
  if (i >= n || b[i] != '<')
    return 0;
  i++;
  if (n - i >= 3 && memcmp(b + i, "!--", 3) == 0)
    return 1;
  for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
    size_t len = strlen(tags[k]);
    if (n - i > len && wn_ascii_ncasecmp(b + i, tags[k], len) == 0 &&
        (b[i + len] == ' ' || b[i + len] == '>' || b[i + len] == '\t' ||
         b[i + len] == '\n' || b[i + len] == '\r'))
      return 1;
  }
  return 0;
}

static int is_html(const struct fetch_req *q)
{
  const char *ct = q->content_type;

  if (ct && (wn_ascii_casestr(ct, strlen(ct), "text/html") ||
             wn_ascii_casestr(ct, strlen(ct), "application/xhtml")))
    return 1;
  if (ct && *ct && !wn_ascii_casestr(ct, strlen(ct), "text/plain") &&
      !wn_ascii_casestr(ct, strlen(ct), "octet-stream") &&
      !wn_ascii_casestr(ct, strlen(ct), "unknown/unknown") &&
      !wn_ascii_casestr(ct, strlen(ct), "application/unknown"))
    return 0;
  /* no or vague Content-Type: sniff */
  return q->body.data && sniff_html(q->body.data, q->body.len);
}

static const char *charset_of(const char *ct, char *buf, size_t size)
{
  const char *p = ct ? wn_ascii_casestr(ct, strlen(ct), "charset=") : NULL;
  size_t n;

  if (!p)
    return NULL;
  p += 8;
  while (*p == '"' || *p == '\'' || *p == ' ')
    p++;
  n = strcspn(p, "\"'; ");
  if (n == 0 || n >= size)
    return NULL;
  memcpy(buf, p, n);
  buf[n] = '\0';
  return buf;
}

/* Directives of X-Robots-Tag (plain, or "agent: directives" for us). */
static void x_robots(const struct crawl *cr, const char *v, int *noindex,
                     int *nofollow)
{
  const char *colon;

  if (!v)
    return;
  colon = strchr(v, ':');
  if (colon) {
    size_t n = (size_t)(colon - v);
    while (n && v[n - 1] == ' ')
      n--;
    /* another agent's directives are not ours */
    if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") ==
            n &&
        !(strlen(cr->c->robots_agent) == n &&
          wn_ascii_ncasecmp(v, cr->c->robots_agent, n) == 0))
      return;
  }
  if (wn_ascii_casestr(v, strlen(v), "noindex") ||
      wn_ascii_casestr(v, strlen(v), "none"))
    *noindex = 1;
  if (wn_ascii_casestr(v, strlen(v), "nofollow") ||
      wn_ascii_casestr(v, strlen(v), "none"))
    *nofollow = 1;
}

struct link_ctx {
  struct crawl *cr;
  const struct job *j;
  wn_result rc;
};

static void on_xml_url(void *ud, const char *url, int is_sitemap,
                       const char *lastmod)
{
  struct link_ctx *l = ud;

  (void)lastmod;
  if (l->rc != WN_OK)
    return;
  /* entries are one level deeper than their sitemap or feed: --max-depth
   * bounds them, and nested sitemap indexes stop at SITEMAP_LEVELS */
  if (l->cr->c->max_depth >= 0 && l->j->u.depth + 1 > l->cr->c->max_depth)
    return;
  if (is_sitemap && l->j->u.depth + 1 > SITEMAP_LEVELS)
    return;
  l->rc = add_url(l->cr, url, l->j->u.depth + 1, l->j->u.url, NULL, 0,
                  is_sitemap ? KIND_SITEMAP : KIND_PAGE, 1);
}

/* Sitemaps (possibly gzipped) and feeds: URLs for the frontier. */
static void handle_xml(struct crawl *cr, struct job *j)
{
  struct fetch_req *q = &j->req;
  struct link_ctx l = {cr, j, WN_OK};
  crawl_xml_kind kind;
  const char *xml = q->body.data ? q->body.data : "";
  size_t len = q->body.len;
  unsigned char *inflated = NULL;

  if (len >= 2 && (unsigned char)xml[0] == 0x1f &&
      (unsigned char)xml[1] == 0x8b) {
    z_stream z;
    size_t cap = cr->c->max_size;

    memset(&z, 0, sizeof(z));
    inflated = malloc(cap);
    if (inflated && inflateInit2(&z, 15 + 16) == Z_OK) {
      z.next_in = (unsigned char *)q->body.data;
      z.avail_in = (uInt)len;
      z.next_out = inflated;
      z.avail_out = (uInt)cap;
      inflate(&z, Z_FINISH); /* a bomb stops at cap */
      xml = (const char *)inflated;
      len = cap - z.avail_out;
      inflateEnd(&z);
    }
  }
  cr->s.sitemaps++;
  (void)crawl_xml_parse(xml, len, j->u.url, on_xml_url, &l, &kind);
  free(inflated);
  if (l.rc != WN_OK)
    cr->fatal = l.rc;
  finish(cr, j, URL_DONE, 0, NULL);
}

/* Canonical and fingerprint duplicates get no record. A page whose <link
 * rel=canonical> names another URL writes its record under that name
 * (first come, first kept: the content is never lost to a canonical URL
 * that redirects back, fails or is out of bounds), and the canonical URL
 * is queued for discovery; when it is fetched later, its name is taken and
 * it writes none. The same text on another URL is a duplicate; the same
 * text as this URL's last record is no change. */
static int duplicate(struct crawl *cr, struct job *j, const char *url,
                     const struct work_item *it)
{
  char key[WN_MAX_URL_BYTES + 8];
  int seen = 0;

  if (it->canonical && strcmp(it->canonical, url) != 0 &&
      strcmp(it->canonical, j->u.url) != 0) {
    if (add_norm_url(cr, it->canonical, j->u.depth, j->u.url, NULL, 0,
                     KIND_PAGE, 1) != WN_OK)
      cr->fatal = WN_E_IO;
    snprintf(key, sizeof(key), "c:%s", it->canonical);
    if (state_seen_key(cr->st, key, url, &seen) != WN_OK)
      cr->fatal = WN_E_IO;
    if (seen == 1)
      return 1;
  }
  if (it->text_len) {
    char fp[20];

    snprintf(key, sizeof(key), "f:%016llx",
             (unsigned long long)it->fingerprint);
    if (state_seen_key(cr->st, key, url, &seen) != WN_OK)
      cr->fatal = WN_E_IO;
    if (seen == 1) /* another URL's text */
      return 1;
    snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)it->fingerprint);
    if (seen == 2 && j->u.fingerprint && strcmp(j->u.fingerprint, fp) == 0)
      return 1; /* this URL's text, unchanged since its last record */
  }
  snprintf(key, sizeof(key), "c:%s", url);
  if (state_seen_key(cr->st, key, url, &seen) != WN_OK)
    cr->fatal = WN_E_IO;
  return seen == 1;
}

/* Hand an HTML page to the extraction threads: 1 when the job went with
 * it. */
static int handle_html(struct crawl *cr, struct job *j)
{
  struct fetch_req *q = &j->req;
  struct work_item *it;
  char host[512];

  if (cr->tpl && !j->host->tpl_loaded) {
    char *blob = NULL;
    size_t blen = 0;

    /* Templates are learned per host name, as `winnow extract` does, and
     * kept in the state under it: loaded once, whichever origin of the
     * name comes first. */
    j->host->tpl_loaded = 1;
    if (host_of_url(j->u.url, host, sizeof(host)) &&
        !extract_templates_known(cr->tpl, host) &&
        state_templates_get(cr->st, host, &blob, &blen) == WN_OK && blob)
      (void)extract_templates_load(cr->tpl, host, blob, blen);
    free(blob);
  }
  it = work_item_new();
  if (!it) {
    finish(cr, j, URL_FAILED, 0, wn_strerror(WN_E_NOMEM));
    return 0;
  }
  iso_time(crawl_now(), j->fetched_at);
  j->of.fetched_at = j->fetched_at;
  j->of.status = q->status;
  j->of.content_type = q->content_type;
  j->of.depth = j->u.depth;
  j->of.referrer = j->u.referrer;
  j->of.final_url = j->u.url;
  it->ud = j;
  it->html = q->body.data;
  it->len = q->body.len;
  it->url = j->u.url;
  it->record_url = j->u.first_url ? j->u.first_url : j->u.url;
  it->http_charset = charset_of(q->content_type, j->charset, sizeof(j->charset));
  it->fetch = &j->of;
  j->item = it;
  j->host->extracting++;
  work_submit(cr->work, it);
  return 1;
}

/* A page back from extraction: its record, its links, its row. */
static void handle_extracted(struct crawl *cr, struct work_item *it)
{
  struct job *j = it->ud;
  struct fetch_req *q = &j->req;
  const char *record_url = it->record_url;
  int noindex = 0, nofollow = 0;
  const char *p, *end;

  cr->batch_pages++;
  j->host->extracting--;
  if (it->rc != WN_OK) {
    finish(cr, j, URL_FAILED, 0, wn_strerror(it->rc));
    return;
  }
  j->host->tpl_dirty = cr->tpl != NULL;
  j->host->pages++;
  x_robots(cr, q->x_robots_tag, &noindex, &nofollow);
  noindex |= it->noindex;
  nofollow |= it->nofollow;
  cr->s.pages++;
  if (noindex) {
    cr->s.noindex++;
  } else if (duplicate(cr, j, record_url, it)) {
    cr->s.duplicates++;
  } else if (wn_buf_add(&cr->out, it->line.data, it->line.len) != WN_OK) {
    cr->fatal = WN_E_NOMEM;
  } else {
    cr->s.records++;
  }
  /* links, unless the page or the header said nofollow */
  p = it->links.data;
  end = p ? p + it->links.len : NULL;
  while (!nofollow && p && p < end && cr->fatal == WN_OK) {
    unsigned flags = (unsigned char)*p++;
    const char *url = p;
    int kind = KIND_PAGE;

    p += strlen(p) + 1;
    if (flags & EXTRACT_LINK_NOFOLLOW)
      continue;
    if (flags & EXTRACT_LINK_FEED) {
      if (!cr->c->feeds)
        continue;
      kind = KIND_FEED;
    }
    if (cr->c->max_depth >= 0 && j->u.depth + 1 > cr->c->max_depth)
      break;
    if (add_norm_url(cr, url, j->u.depth + 1, j->u.url, NULL, 0, kind, 1) !=
        WN_OK)
      cr->fatal = WN_E_IO;
  }
  {
    char fp[20];
    struct state_result r;

    snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)it->fingerprint);
    memset(&r, 0, sizeof(r));
    r.state = URL_DONE;
    r.status = q->status;
    r.etag = q->etag;
    r.last_modified = q->last_modified;
    r.content_type = q->content_type;
    r.final_url = j->u.url;
    r.fingerprint = fp;
    r.body_hash = j->body_hash[0] ? j->body_hash : NULL;
    r.fetched_at = crawl_now();
    if (state_url_finish(cr->st, j->u.id, &r) != WN_OK)
      cr->fatal = WN_E_IO;
  }
}

static void handle_redirect(struct crawl *cr, struct job *j)
{
  struct fetch_req *q = &j->req;
  struct wn_buf target;

  cr->s.redirects++;
  if (j->u.redirects >= MAX_REDIRECTS) {
    finish(cr, j, URL_FAILED, 0, "too many redirects");
    return;
  }
  wn_buf_init(&target, WN_MAX_URL_BYTES + 16);
  if (wn_url_resolve(j->u.url, q->location, &target) == WN_OK &&
      wn_url_is_http(target.data)) {
    const char *first = j->u.first_url ? j->u.first_url : j->u.url;
    struct wn_buf norm;

    /* back to itself or to where the chain began: a loop */
    wn_buf_init(&norm, WN_MAX_URL_BYTES + 16);
    if (wn_url_normalize(target.data,
                         WN_URL_NORM_FRAGMENT | WN_URL_NORM_TRACKING,
                         &norm) == WN_OK &&
        (strcmp(norm.data, j->u.url) == 0 || strcmp(norm.data, first) == 0)) {
      wn_buf_free(&norm);
      wn_buf_free(&target);
      finish(cr, j, URL_FAILED, 0, "redirect loop");
      return;
    }
    wn_buf_free(&norm);
    /* A redirect from a seed (or along a seed's redirect chain) widens
     * the scope to where it leads; sitemaps and feeds do not. */
    if (j->u.depth == 0 && j->u.kind == KIND_PAGE && !j->u.referrer &&
        allow_host(cr, target.data) != WN_OK)
      cr->fatal = WN_E_NOMEM;
    if (add_url(cr, target.data, j->u.depth, j->u.referrer, first,
                j->u.redirects + 1, j->u.kind, 1) != WN_OK)
      cr->fatal = WN_E_IO;
    finish(cr, j, URL_DONE, 0, NULL);
  } else {
    finish(cr, j, URL_SKIPPED, 0, "redirect to a URL that is not http(s)");
  }
  wn_buf_free(&target);
}

/* Returns 1 when the job was handed to the extraction threads. */
static int handle_page(struct crawl *cr, struct job *j, double now)
{
  struct fetch_req *q = &j->req;
  struct host *h = j->host;
  double ra;

  if (q->curl_code || q->status == 0) {
    if (q->refused || q->too_large) {
      finish(cr, j, URL_SKIPPED, 0, q->error);
      cr->s.skipped_other++;
      return 0;
    }
    cr->s.errors++;
    /* a kept-alive connection that the server had closed is not the
     * host's fault: asked again after the usual gap, on a new connection */
    if (!q->resend_refused) {
      h->net_errors++;
      host_error(cr, h, now);
    }
    if (j->u.tries + 1 < MAX_TRIES) {
      cr->s.retries++;
      finish(cr, j, URL_QUEUED,
             q->resend_refused
                 ? now + host_gap(cr, h)
                 : now + fmin(cr->c->max_delay, 2.0 * (j->u.tries + 1)),
             q->error);
    } else {
      finish(cr, j, URL_FAILED, 0, q->error);
    }
    return 0;
  }
  h->net_errors = 0;
  /* latency: smoothed, only from answers */
  h->latency = h->latency > 0 ? 0.7 * h->latency + 0.3 * q->t_total
                              : q->t_total;
  if (q->status == 429 || q->status == 503) {
    cr->s.errors++;
    host_error(cr, h, now);
    ra = retry_after(q->retry_after, now);
    if (ra >= 0) {
      ra = fmin(ra, MAX_RETRY_AFTER);
      h->next_at = fmax(h->next_at, now + ra);
      h->dirty = 1; /* a later run waits too */
      if (ra > cr->c->max_delay * 10 && !h->parked) {
        /* a long wait: come back in a later run */
        h->parked = 1;
        cr->s.parked++;
        cr->left_behind++;
      }
    }
    if (j->u.tries + 1 < MAX_TRIES) {
      cr->s.retries++;
      finish(cr, j, URL_QUEUED, fmax(h->next_at, now + (ra > 0 ? ra : 1)),
             "server busy");
    } else {
      finish(cr, j, URL_FAILED, 0, "server busy");
    }
    return 0;
  }
  if (q->status >= 500) {
    cr->s.errors++;
    host_error(cr, h, now);
    if (j->u.tries + 1 < MAX_TRIES) {
      cr->s.retries++;
      finish(cr, j, URL_QUEUED, h->next_at, "server error");
    } else {
      finish(cr, j, URL_FAILED, 0, "server error");
    }
    return 0;
  }
  h->errors = 0;
  if (q->status == 304) {
    cr->s.not_modified++;
    finish(cr, j, URL_DONE, 0, NULL);
    return 0;
  }
  if (q->status >= 300 && q->status < 400 && q->location) {
    handle_redirect(cr, j);
    return 0;
  }
  if (q->status >= 400) {
    finish(cr, j, URL_DONE, 0, NULL); /* a final answer: no record */
    return 0;
  }
  /* the same bytes as last time: as good as a 304 (servers without
   * validators, or that ignore them) */
  snprintf(j->body_hash, sizeof(j->body_hash), "%016llx",
           (unsigned long long)wn_hash64(q->body.data, q->body.len));
  if (j->u.body_hash && strcmp(j->u.body_hash, j->body_hash) == 0) {
    cr->s.unchanged++;
    finish(cr, j, URL_DONE, 0, NULL);
    return 0;
  }
  if (j->u.kind != KIND_PAGE) {
    handle_xml(cr, j);
    return 0;
  }
  if (!is_html(q)) {
    const char *ct = q->content_type ? q->content_type : "";
    cr->s.skipped_other++;
    if (wn_ascii_casestr(ct, strlen(ct), "xml") && cr->c->feeds) {
      handle_xml(cr, j); /* a feed or sitemap found by a link */
      return 0;
    }
    finish(cr, j, URL_SKIPPED, 0, "not HTML");
    return 0;
  }
  return handle_html(cr, j);
}

static void robots_ready(struct crawl *cr, struct host *h, int status,
                         const char *body, size_t len, double now)
{
  wn_result rc;
  size_t k;

  crawl_robots_free(h->robots);
  h->robots = NULL;
  free(h->robots_body);
  h->robots_body = NULL;
  h->robots_len = 0;
  if (status >= 200 && status < 300) {
    if (len > CRAWL_ROBOTS_MAX_BYTES)
      len = CRAWL_ROBOTS_MAX_BYTES;
    h->robots_body = malloc(len + 1);
    if (h->robots_body) {
      memcpy(h->robots_body, body, len);
      h->robots_body[len] = '\0';
      h->robots_len = len;
    }
    rc = crawl_robots_parse(body, len, cr->c->robots_agent, &h->robots);
  } else {
    rc = crawl_robots_new_allow_all(&h->robots); /* 4xx: no rules */
  }
  if (rc != WN_OK) {
    cr->fatal = rc;
    return;
  }
  h->robots_state = ROBOTS_READY;
  h->errors = 0;
  h->net_errors = 0;
  h->robots_status = status;
  h->robots_fetched_at = now;
  h->crawl_delay = crawl_robots_crawl_delay(h->robots);
  /* the gap after robots.txt itself follows its Crawl-delay */
  h->next_at = fmax(h->next_at, h->last_start + host_gap(cr, h));
  h->dirty = 1;
  if (cr->c->sitemaps)
    for (k = 0; k < crawl_robots_sitemap_count(h->robots); k++)
      if (add_url(cr, crawl_robots_sitemap_at(h->robots, k), 0, NULL, NULL, 0,
                  KIND_SITEMAP, 1) != WN_OK)
        cr->fatal = WN_E_IO;
}

static wn_result start_robots(struct crawl *cr, struct host *h, const char *url,
                              int hops);

static void handle_robots(struct crawl *cr, struct job *j, double now)
{
  struct fetch_req *q = &j->req;
  struct host *h = j->host;

  cr->s.robots_fetched++;
  if (q->refused) {
    /* the host resolves to an address we may not contact: its URLs fail
     * (a later run tries again: addresses change) */
    int64_t n = 0;
    size_t k;

    wn_log(WN_LOG_WARN, "%s: %s; its URLs fail (--allow-private permits it)",
           h->origin, q->error);
    for (k = h->q_pos; k < h->q_len; k++)
      state_url_clear(&h->queue[k]);
    h->q_pos = h->q_len = 0;
    h->exhausted = 1;
    if (state_fail_origin(cr->st, h->origin, q->error, &n) != WN_OK)
      cr->fatal = WN_E_IO;
    cr->s.failed += n;
    if (!h->parked) {
      h->parked = 1;
      cr->s.parked++;
    }
    return;
  }
  if (q->curl_code || q->status == 0 || q->status >= 500 ||
      q->status == 429) {
    /* unreachable (or too busy to say): everything disallowed, ask again
     * later, not before Retry-After */
    double ra = retry_after(q->retry_after, now);

    cr->s.errors++;
    if (q->curl_code || q->status == 0)
      h->net_errors++;
    h->robots_state = ROBOTS_WAIT;
    host_error(cr, h, now);
    if (ra >= 0 && (q->status == 429 || q->status == 503))
      h->next_at = fmax(h->next_at, now + fmin(ra, MAX_RETRY_AFTER));
    h->robots_retry_at = h->next_at;
    return;
  }
  if (q->status >= 300 && q->status < 400 && q->location &&
      j->hops < MAX_REDIRECTS) {
    struct wn_buf target;
    wn_buf_init(&target, WN_MAX_URL_BYTES + 16);
    if (wn_url_resolve(q->url, q->location, &target) == WN_OK &&
        wn_url_is_http(target.data)) {
      /* the next hop waits for the host's gap like any request */
      free(h->robots_hop);
      h->robots_hop = strdup(target.data);
      if (h->robots_hop) {
        h->robots_hops = j->hops + 1;
        h->robots_state = ROBOTS_HOP;
        wn_buf_free(&target);
        return;
      }
    }
    wn_buf_free(&target);
  }
  /* a redirect that leads nowhere: as if there were no robots.txt */
  robots_ready(cr, h, q->status >= 300 && q->status < 400 ? 404 : q->status,
               q->body.data ? q->body.data : "", q->body.len, now);
}

/* ---- starting requests -------------------------------------------------------- */

static struct job *job_new(struct host *h, const char *url)
{
  struct job *j = calloc(1, sizeof(*j));

  if (!j)
    return NULL;
  j->host = h;
  j->req.url = strdup(url);
  j->req.ud = j;
  if (!j->req.url) {
    free(j);
    return NULL;
  }
  return j;
}

static void job_free(struct job *j)
{
  if (!j)
    return;
  work_item_free(j->item);
  fetch_req_clear(&j->req);
  free(j->req.url);
  state_url_clear(&j->u);
  free(j);
}

static wn_result start_robots(struct crawl *cr, struct host *h, const char *url,
                              int hops)
{
  struct job *j;
  char buf[WN_MAX_URL_BYTES + 32];
  wn_result rc;

  if (!url) {
    snprintf(buf, sizeof(buf), "%s/robots.txt", h->origin);
    url = buf;
  }
  j = job_new(h, url);
  if (!j)
    return WN_E_NOMEM;
  j->robots = 1;
  j->hops = hops;
  /* RFC 9309: at least 500 KiB parsed; a longer file is cut, not refused */
  j->req.max_size = CRAWL_ROBOTS_MAX_BYTES;
  j->req.truncate = 1;
  rc = fetch_start(cr->fetch, &j->req);
  if (rc != WN_OK) {
    job_free(j);
    return rc;
  }
  h->robots_state = ROBOTS_FETCHING;
  h->inflight++;
  cr->s.requests++;
  return WN_OK;
}

static int next_url(struct crawl *cr, struct host *h, double now,
                    struct state_url *out)
{
  size_t n = 0;

  if (h->q_pos == h->q_len) {
    h->q_pos = h->q_len = 0;
    if (!h->queue && !(h->queue = calloc(QUEUE_BATCH, sizeof(*h->queue)))) {
      cr->fatal = WN_E_NOMEM;
      return 0;
    }
    if (h->exhausted)
      return 0;
    if (state_next_urls(cr->st, h->origin, now, h->queue, QUEUE_BATCH, &n) !=
        WN_OK) {
      cr->fatal = WN_E_IO;
      return 0;
    }
    h->q_len = n;
    if (n == 0) {
      h->exhausted = 1;
      return 0;
    }
  }
  *out = h->queue[h->q_pos];
  memset(&h->queue[h->q_pos], 0, sizeof(h->queue[h->q_pos]));
  h->q_pos++;
  return 1;
}

/* Give back what a host loaded but did not fetch (the run stops). */
static void host_unload(struct crawl *cr, struct host *h)
{
  while (h->q_pos < h->q_len) {
    struct state_url *u = &h->queue[h->q_pos++];
    if (state_url_unload(cr->st, u->id) != WN_OK)
      cr->fatal = WN_E_IO;
    state_url_clear(u);
  }
  h->q_pos = h->q_len = 0;
}

/* Start what host h may start now. */
static void serve_host(struct crawl *cr, struct host *h, double now)
{
  const struct crawl_config *c = cr->c;

  while (!h->parked && h->inflight < c->per_host && now >= h->next_at &&
         !stop_requested && cr->fatal == WN_OK) {
    struct state_url u;
    struct job *j;

    if (h->robots_state == ROBOTS_NONE ||
        (h->robots_state == ROBOTS_WAIT && now >= h->robots_retry_at)) {
      if (start_robots(cr, h, NULL, 0) == WN_OK) {
        h->last_start = now;
        h->next_at = now + host_gap(cr, h);
      }
      return;
    }
    if (h->robots_state == ROBOTS_HOP) {
      char *hop = h->robots_hop;
      struct host *t = NULL;
      struct wn_buf org;

      /* a hop to another origin keeps that origin's gap too */
      wn_buf_init(&org, WN_MAX_URL_BYTES + 16);
      if (wn_url_origin(hop, &org) == WN_OK && strcmp(org.data, h->origin))
        t = host_get(cr, org.data);
      wn_buf_free(&org);
      if (t && (now < t->next_at || t->inflight > 0)) {
        h->next_at = fmax(t->next_at, now + 0.05);
        return;
      }
      h->robots_hop = NULL;
      if (start_robots(cr, h, hop, h->robots_hops) == WN_OK) {
        h->last_start = now;
        h->next_at = now + host_gap(cr, h);
        if (t) {
          t->last_start = now;
          t->next_at = now + host_gap(cr, t);
          t->dirty = 1;
        }
      } else {
        cr->fatal = WN_E_NOMEM;
      }
      free(hop);
      return;
    }
    if (h->robots_state != ROBOTS_READY)
      return;
    if (c->max_pages >= 0 && cr->page_requests >= c->max_pages)
      return;
    if (work_pending(cr->work) >= cr->max_pending)
      return; /* extraction is behind: let it catch up */
    if (!next_url(cr, h, now, &u))
      return;
    j = job_new(h, u.url);
    if (!j) {
      state_url_clear(&u);
      cr->fatal = WN_E_NOMEM;
      return;
    }
    j->u = u;
    if (!crawl_robots_allowed(h->robots, u.url)) {
      cr->s.skipped_robots++;
      finish(cr, j, URL_SKIPPED, 0, "disallowed by robots.txt");
      job_free(j);
      continue;
    }
    if (c->max_pages_per_host >= 0 &&
        h->page_requests >= c->max_pages_per_host) {
      /* the host has had its pages for this run: the rest stays queued
       * for a later one */
      if (state_url_unload(cr->st, u.id) != WN_OK)
        cr->fatal = WN_E_IO;
      job_free(j);
      if (!h->full)
        cr->n_full++;
      h->full = 1;
      h->exhausted = 1;
      host_unload(cr, h);
      return;
    }
    j->req.if_none_match = j->u.etag;
    j->req.if_modified_since = j->u.last_modified;
    /* After a network error, and for a retry, a new connection: libcurl
     * resends at once a request that a reused connection dropped
     * unanswered (the keep-alive race of RFC 9110, 9.2.2), which a failing
     * host would see as two requests with no gap. */
    j->req.fresh_connect = h->net_errors > 0 || j->u.tries > 0;
    if (fetch_start(cr->fetch, &j->req) != WN_OK) {
      finish(cr, j, URL_FAILED, 0, "cannot start the transfer");
      job_free(j);
      continue;
    }
    h->inflight++;
    cr->s.requests++;
    if (j->u.kind == KIND_PAGE) {
      cr->page_requests++;
      h->page_requests++;
    }
    h->last_start = now;
    h->next_at = now + host_gap(cr, h);
    h->dirty = 1; /* saved with the batch: the next run keeps the gap */
  }
}

/* ---- the loop ------------------------------------------------------------------ */

/* Could host h start a request once its gap has passed? (What the loop
 * may sleep for: a host that cannot start must not make it spin.) */
static int host_may_start(const struct crawl *cr, const struct host *h)
{
  const struct crawl_config *c = cr->c;

  if (h->parked || h->full || h->inflight >= c->per_host || stop_requested ||
      cr->fatal != WN_OK)
    return 0;
  switch (h->robots_state) {
  case ROBOTS_NONE:
  case ROBOTS_WAIT:
  case ROBOTS_HOP:
    return 1;
  case ROBOTS_READY:
    break;
  default:
    return 0; /* robots.txt in flight */
  }
  if (h->exhausted && h->q_pos == h->q_len)
    return 0;
  if (work_pending(cr->work) >= cr->max_pending)
    return 0;
  if (c->max_pages >= 0 && cr->page_requests >= c->max_pages)
    return 0;
  return 1;
}

struct due_ctx {
  struct crawl *cr;
  double now;
  double earliest; /* earliest due time among hosts not active */
};

static void on_due_origin(void *ud, const char *origin, double due)
{
  struct due_ctx *d = ud;
  struct crawl *cr = d->cr;
  struct host *h;

  if (cr->n_active >= (size_t)cr->c->concurrency)
    return;
  if (!host_lookup(cr, origin)) {
    const struct mark *m = mark_find(cr, origin, 0);
    if (m && (m->parked || m->full || m->deferred))
      return; /* done with for this run, and not worth loading */
  }
  h = host_get(cr, origin);
  if (!h) {
    cr->fatal = WN_E_NOMEM;
    return;
  }
  if (h->active || h->parked || h->full)
    return;
  if (h->next_at - d->now > WAIT_HORIZON) {
    /* asked to wait (Retry-After, back-off) beyond this run */
    if (!h->deferred) {
      h->deferred = 1;
      cr->left_behind++;
    }
    return;
  }
  if (due > d->now) {
    d->earliest = fmin(d->earliest, due);
    return;
  }
  h->active = 1;
  h->exhausted = 0;
  cr->active[cr->n_active++] = h;
}

/* Take hosts with due URLs into the active list while there is room.
 * The query scans the frontier, so it runs when a host left the list,
 * URLs were added, or FILL_INTERVAL passed. Parked and active hosts come
 * back from it too: the limit makes room for them so that they cannot
 * hide the others. */
#define FILL_INTERVAL 0.25

static void fill_active(struct crawl *cr, double now, double *earliest)
{
  struct due_ctx d = {cr, now, INFINITY};

  if (cr->n_active >= (size_t)cr->c->concurrency)
    return;
  /* at once when hosts left or URLs came, but the scan may take long on a
   * big frontier: then at most about a tenth of the time goes to it */
  if (!(cr->fill_needed &&
        (cr->n_active == 0 || now - cr->filled_at >= cr->fill_min_gap)) &&
      now - cr->filled_at < fmax(FILL_INTERVAL, cr->fill_min_gap))
    return;
  cr->fill_needed = 0;
  cr->filled_at = now;
  if (state_due_origins(cr->st, now,
                        (size_t)cr->c->concurrency * 4 + cr->n_active +
                            (size_t)cr->s.parked + cr->n_full,
                        on_due_origin, &d) != WN_OK)
    cr->fatal = WN_E_IO;
  cr->fill_min_gap = fmax(0.01, 10 * (crawl_now() - now));
  *earliest = d.earliest;
}

/* Drop hosts with nothing left to do from the active list. */
static void prune_active(struct crawl *cr)
{
  size_t k = 0;

  while (k < cr->n_active) {
    struct host *h = cr->active[k];
    if (h->inflight == 0 &&
        (h->parked || h->full ||
         (h->exhausted && h->q_pos == h->q_len &&
          h->robots_state == ROBOTS_READY))) {
      h->active = 0;
      cr->fill_needed = 1;
      /* a parked or full host gives back what it loaded */
      host_unload(cr, h);
      free(h->queue);
      h->queue = NULL;
      cr->active[k] = cr->active[--cr->n_active];
      continue;
    }
    k++;
  }
}

static void progress(struct crawl *cr, double now, int final)
{
  int64_t queued = 0;

  if (!cr->c->progress || (!final && now - cr->last_progress < 1.0))
    return;
  cr->last_progress = now;
  (void)state_count_queued(cr->st, &queued);
  fprintf(stderr,
          "\rwinnow crawl: %ld pages, %ld records, %lld queued, %ld errors, "
          "%.0f pages/s   %s",
          cr->s.pages, cr->s.records, (long long)queued, cr->s.errors,
          cr->s.pages / fmax(0.001, now - cr->s.started), final ? "\n" : "");
  fflush(stderr);
}

static void write_stats(struct crawl *cr, double now)
{
  FILE *f;
  int64_t queued = 0;

  if (!cr->c->stats_path)
    return;
  f = fopen(cr->c->stats_path, "w");
  if (!f) {
    wn_log(WN_LOG_WARN, "cannot write %s: %s", cr->c->stats_path,
           strerror(errno));
    return;
  }
  (void)state_count_queued(cr->st, &queued);
  fprintf(f,
          "{\"requests\": %ld, \"pages\": %ld, \"records\": %ld, "
          "\"not_modified\": %ld, \"redirects\": %ld, \"duplicates\": %ld, "
          "\"unchanged\": %ld, \"noindex\": %ld, \"robots_fetched\": %ld, "
          "\"sitemaps\": %ld, "
          "\"skipped_robots\": %ld, \"skipped_other\": %ld, \"errors\": %ld, "
          "\"retries\": %ld, \"failed\": %ld, \"hosts_parked\": %ld, "
          "\"queued\": %lld, \"seconds\": %.3f, \"pages_per_s\": %.1f}\n",
          cr->s.requests, cr->s.pages, cr->s.records, cr->s.not_modified,
          cr->s.redirects, cr->s.duplicates, cr->s.unchanged, cr->s.noindex,
          cr->s.robots_fetched, cr->s.sitemaps, cr->s.skipped_robots,
          cr->s.skipped_other, cr->s.errors, cr->s.retries, cr->s.failed,
          cr->s.parked, (long long)queued, now - cr->s.started,
          cr->s.pages / fmax(0.001, now - cr->s.started));
  fclose(f);
}

/* Bring the output file back to what the state acknowledged: records
 * appended by a crawl that died before acknowledging them are cut off
 * (their pages are due again and will be done again). */
static wn_result open_output(struct crawl *cr, struct wn_error *err)
{
  int64_t acked = -1;
  struct stat sb;

  if (strcmp(cr->c->out_path, "-") == 0) {
    cr->out_fd = -1;
    cr->out_key = "-";
    return WN_OK;
  }
  cr->out_fd = open(cr->c->out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                    0644);
  if (cr->out_fd < 0 || fstat(cr->out_fd, &sb) != 0) {
    wn_error_set(err, "cannot open %s: %s", cr->c->out_path, strerror(errno));
    return WN_E_IO;
  }
  /* the file is known by its real path, however it is spelled */
  cr->out_key = realpath(cr->c->out_path, cr->out_real) ? cr->out_real
                                                         : cr->c->out_path;
  if (state_out_size(cr->st, cr->out_key, &acked) != WN_OK)
    return WN_E_IO;
  if (acked < 0) {
    /* a new output for this state: what it holds already is not ours,
     * and is acknowledged before anything is appended */
    if (state_out_ack(cr->st, cr->out_key, (int64_t)sb.st_size) != WN_OK) {
      wn_error_set(err, "state: %s", state_errmsg(cr->st));
      return WN_E_IO;
    }
    return WN_OK;
  }
  if (sb.st_size < acked)
    wn_log(WN_LOG_WARN,
           "%s is shorter than the crawl state says (%lld bytes, not %lld): "
           "records were lost outside winnow (cut, rotated, a power loss?)",
           cr->c->out_path, (long long)sb.st_size, (long long)acked);
  if (sb.st_size > acked) {
    if (ftruncate(cr->out_fd, (off_t)acked) != 0) {
      wn_error_set(err, "cannot truncate %s: %s", cr->c->out_path,
                   strerror(errno));
      return WN_E_IO;
    }
  }
  return WN_OK;
}

static void wake_loop(void *ud)
{
  fetch_wakeup(ud);
}

/* A request went out: the host's next start is a gap after it (opening
 * a connection may have taken a while). */
static void on_sent(void *ud, struct fetch_req *r)
{
  struct crawl *cr = ud;
  struct job *j = r->ud;

  (void)cr;
  j->host->next_at = fmax(j->host->next_at, r->t_sent + host_gap(cr, j->host));
}

static crawl_outcome setup(struct crawl *cr, struct wn_error *err)
{
  const struct crawl_config *c = cr->c;
  struct fetch_opts fo;
  struct work_opts wo;
  int64_t n = 0;
  size_t k;
  wn_result rc;

  rc = state_open(c->state_path, &cr->st, err);
  if (rc == WN_E_DENIED)
    return CRAWL_LOCKED;
  if (rc != WN_OK)
    return CRAWL_BAD_STATE;
  if (open_output(cr, err) != WN_OK)
    return CRAWL_ERROR;
  if (state_begin(cr->st) != WN_OK ||
      state_requeue_older(cr->st, crawl_now() - c->recrawl_after, &n) !=
          WN_OK ||
      state_requeue_failed(cr->st, &n) != WN_OK) {
    wn_error_set(err, "state: %s", state_errmsg(cr->st));
    return CRAWL_BAD_STATE;
  }
  for (k = 0; k < c->n_seeds; k++) {
    if (allow_host(cr, c->seeds[k]) != WN_OK ||
        add_url(cr, c->seeds[k], 0, NULL, NULL, 0, KIND_PAGE, 0) != WN_OK) {
      wn_error_set(err, "state: %s", state_errmsg(cr->st));
      return CRAWL_ERROR;
    }
  }
  if (state_commit(cr->st) != WN_OK || state_begin(cr->st) != WN_OK) {
    wn_error_set(err, "state: %s", state_errmsg(cr->st));
    return CRAWL_BAD_STATE;
  }
  memset(&fo, 0, sizeof(fo));
  fo.user_agent = c->user_agent;
  fo.timeout = c->timeout;
  fo.connect_timeout = fmin(c->timeout, 10.0);
  fo.max_size = c->max_size;
  fo.per_host = c->per_host;
  fo.total = (long)c->concurrency * c->per_host;
  fo.allow_private = c->allow_private;
  fo.resolve = c->resolve;
  fo.n_resolve = c->n_resolve;
  fo.on_sent = on_sent;
  fo.sent_ud = cr;
  cr->active = calloc((size_t)c->concurrency, sizeof(*cr->active));
  cr->re = rules_scratch_new();
  cr->tpl = extract_templates_new(3, 0.3);
  extract_templates_keep_text(cr->tpl, 0);
  if (!cr->active || !cr->re || !cr->tpl ||
      fetch_new(&fo, &cr->fetch) != WN_OK) {
    wn_error_set(err, "out of memory");
    return CRAWL_ERROR;
  }
  memset(&wo, 0, sizeof(wo));
  wo.threads = c->threads > 0 ? (unsigned)c->threads : 0;
  wo.rules = c->rules;
  wo.templates = cr->tpl;
  wo.robots_agent = c->robots_agent;
  wo.wake = wake_loop;
  wo.wake_ud = cr->fetch;
  if (work_new(&wo, &cr->work) != WN_OK) {
    wn_error_set(err, "cannot start the extraction threads");
    return CRAWL_ERROR;
  }
  /* enough pages waiting to keep every thread busy, few enough that
   * memory stays bounded (each holds a body of up to --max-size) */
  cr->max_pending = 2 * (size_t)(c->threads > 0 ? c->threads : 1) + 2;
  wn_buf_init(&cr->out, OUT_MAX_BYTES + LINE_MAX_BYTES);
  return CRAWL_DONE;
}

static void abort_job(struct fetch_req *r)
{
  job_free(r->ud);
}

static void teardown(struct crawl *cr)
{
  struct work_item *it;
  size_t k;

  /* transfers and pages still in extraction (the run stopped on an
   * error): their rows stay loaded, and the next run fetches them again */
  fetch_abort_all(cr->fetch, abort_job);
  while (cr->work && (it = work_wait(cr->work)))
    job_free(it->ud);

  for (k = 0; k < cr->cap_hosts; k++)
    host_free(cr->hosts ? cr->hosts[k] : NULL);
  free(cr->hosts);
  free(cr->marks);
  free(cr->active);
  for (k = 0; k < cr->n_allowed; k++)
    free(cr->allowed[k]);
  free(cr->allowed);
  work_free(cr->work); /* before the templates it uses */
  fetch_free(cr->fetch);
  rules_scratch_free(cr->re);
  extract_templates_free(cr->tpl);
  wn_buf_free(&cr->out);
  if (cr->out_fd >= 0)
    close(cr->out_fd);
  state_close(cr->st);
}

static void batch_error(struct crawl *cr, struct wn_error *err)
{
  if (cr->out_errno)
    wn_error_set(err, "cannot write %s: %s",
                 cr->out_fd >= 0 ? cr->c->out_path : "the standard output",
                 strerror(cr->out_errno));
  else
    wn_error_set(err, "state: %s", state_errmsg(cr->st));
}

crawl_outcome crawl_run(const struct crawl_config *c, struct wn_error *err)
{
  struct crawl cr;
  struct sigaction sa, old_int, old_term, old_pipe;
  crawl_outcome out;
  double now, earliest = INFINITY;

  memset(&cr, 0, sizeof(cr));
  cr.c = c;
  cr.out_fd = -1;
  cr.s.started = crawl_now();
  stop_requested = 0;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  /* a closed output pipe is a write error (exit 5), not a silent death */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &old_pipe);
  out = setup(&cr, err);
  if (out != CRAWL_DONE)
    goto done;
  cr.batch_started = crawl_now();
  cr.fill_needed = 1;
  for (;;) {
    struct fetch_req *r;
    struct work_item *it;
    double wait;
    size_t busy;
    size_t k;

    now = crawl_now();
    if (!stop_requested)
      fill_active(&cr, now, &earliest);
    for (k = 0; k < cr.n_active; k++)
      serve_host(&cr, cr.active[(cr.rr + k) % cr.n_active], now);
    if (cr.n_active)
      cr.rr = (cr.rr + 1) % cr.n_active;
    /* sleep until the next host may start, or a transfer moves */
    wait = 0.2;
    for (k = 0; k < cr.n_active; k++)
      if (host_may_start(&cr, cr.active[k]))
        wait = fmin(wait, fmax(0.0, cr.active[k]->next_at - now));
    busy = fetch_running(cr.fetch) + work_pending(cr.work);
    if (busy == 0 && c->max_pages >= 0 && cr.page_requests >= c->max_pages)
      break; /* --max-pages reached: the rest stays queued */
    if (work_pending(cr.work) >= cr.max_pending)
      wait = 0.2; /* no host can start before extraction catches up */
    if (busy == 0 && cr.n_active == 0) {
      /* nothing running, nothing to serve: done unless work is due soon */
      if (stop_requested || cr.fatal != WN_OK || earliest == INFINITY ||
          earliest - now > WAIT_HORIZON ||
          (c->max_pages >= 0 && cr.page_requests >= c->max_pages))
        break;
      wait = fmin(1.0, fmax(0.01, earliest - now));
    }
    if (fetch_poll(cr.fetch, (int)(wait * 1000)) != WN_OK) {
      wn_error_set(err, "transfer engine failed");
      out = CRAWL_ERROR;
      break;
    }
    now = crawl_now();
    while ((r = fetch_next_done(cr.fetch))) {
      struct job *j = r->ud;
      struct host *h = j->host;
      double sent = r->t_sent;

      h->inflight--;
      if (j->robots)
        handle_robots(&cr, j, now), job_free(j);
      else if (!handle_page(&cr, j, now))
        cr.batch_pages++, job_free(j);
      /* the next start keeps the gap from when this request went out
       * (a new connection took time to open) */
      h->next_at = fmax(h->next_at, sent + host_gap(&cr, h));
      h->dirty = 1;
    }
    while ((it = work_take(cr.work))) {
      struct job *j = it->ud;
      handle_extracted(&cr, it);
      job_free(j);
    }
    prune_active(&cr);
    if (cr.fatal != WN_OK) {
      wn_error_set(err, "%s", wn_strerror(cr.fatal));
      out = CRAWL_ERROR;
      break;
    }
    if (cr.batch_pages >= BATCH_PAGES || cr.out.len >= OUT_MAX_BYTES ||
        now - cr.batch_started >= BATCH_SECONDS)
      if (commit_batch(&cr) != WN_OK) {
        batch_error(&cr, err);
        out = CRAWL_ERROR;
        break;
      }
    progress(&cr, now, 0);
    if (stop_requested && fetch_running(cr.fetch) == 0 &&
        work_pending(cr.work) == 0)
      break;
  }
  {
    /* what hosts loaded and did not fetch goes back to the queue (active
     * hosts, and parked ones that still hold a loaded batch) */
    size_t k;
    for (k = 0; k < cr.cap_hosts; k++)
      if (cr.hosts[k] && cr.hosts[k]->q_pos < cr.hosts[k]->q_len)
        host_unload(&cr, cr.hosts[k]);
  }
  if (out == CRAWL_DONE && commit_batch(&cr) != WN_OK) {
    batch_error(&cr, err);
    out = CRAWL_ERROR;
  }
  /* after an error the open batch is dropped: its pages are done again by
   * the next run, and its records were not acknowledged */
  if (out == CRAWL_DONE)
    state_commit(cr.st);
  else
    state_rollback(cr.st);
  now = crawl_now();
  progress(&cr, now, 1);
  write_stats(&cr, now);
  /* not everything was done: URLs failed, hosts were parked or told us to
   * come back later with URLs left, or a signal stopped the crawl */
  if (out == CRAWL_DONE && (cr.s.failed || cr.left_behind || stop_requested)) {
    if (cr.left_behind)
      wn_log(WN_LOG_WARN,
             "%ld host(s) parked or asked to wait, their URLs are left for a "
             "later run",
             cr.left_behind);
    out = CRAWL_SOME_FAILED;
  }
done:
  teardown(&cr);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  sigaction(SIGPIPE, &old_pipe, NULL);
  return out;
}
