/* The crawl's hosts: the table of hosts in memory and the marks of
 * those dropped from it, their politeness (gaps, back-off), the scope of
 * the crawl, and adding URLs to the frontier. */
#include "crawler/crawler_int.h"
#include "extract/extract.h"
#include "output/output.h"
#include "rules/rules.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ULL;

  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

void crawl_host_free(struct host *h)
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

static uint64_t mark_key(const char *origin)
{
  uint64_t k = hash_str(origin);
  return k ? k : 1;
}

struct mark *crawl_mark_find(struct crawl *cr, const char *origin, int create)
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
struct host *crawl_host_lookup(struct crawl *cr, const char *origin)
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
struct host *crawl_host_get(struct crawl *cr, const char *origin)
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
    const struct mark *m = crawl_mark_find(cr, origin, 0);
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

wn_result crawl_host_save(struct crawl *cr, struct host *h)
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
double crawl_host_gap(const struct crawl *cr, const struct host *h)
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
void crawl_host_error(struct crawl *cr, struct host *h, double now)
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

int crawl_host_of_url(const char *url, char *buf, size_t size)
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

  if (!crawl_host_of_url(url, host, sizeof(host)))
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

/* --include chooses pages; sitemaps and feeds are read for discovery
 * whatever their URL (their entries are then chosen). --exclude holds
 * for every URL: what it matches is never fetched. */
static int wanted(struct crawl *cr, const char *url, int kind)
{
  struct rules_scratch *sc = cr->re;

  if (kind == KIND_PAGE && cr->c->include &&
      rules_pattern_find(cr->c->include, sc, url, strlen(url), NULL, NULL) != 1)
    return 0;
  if (cr->c->exclude &&
      rules_pattern_find(cr->c->exclude, sc, url, strlen(url), NULL, NULL) == 1)
    return 0;
  return 1;
}

wn_result crawl_host_allow(struct crawl *cr, const char *url)
{
  char host[512];
  const char *key;
  char **v;
  size_t k;

  if (!crawl_host_of_url(url, host, sizeof(host)))
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
wn_result crawl_url_add_norm(struct crawl *cr, const char *norm, int depth,
                             const char *referrer, const char *first_url,
                             int redirects, int kind, int check_scope)
{
  struct wn_buf org;
  wn_result rc = WN_OK;
  int added = 0;

  if (check_scope && (!in_scope(cr, norm) || !wanted(cr, norm, kind)))
    return WN_OK;
  wn_buf_init(&org, WN_MAX_URL_BYTES + 16);
  if (wn_url_origin(norm, &org) == WN_OK)
    rc = state_url_add(cr->st, norm, org.data, depth, referrer, first_url,
                       redirects, kind, 0, &added);
  if (added) {
    /* an active host that had run out of URLs has one again */
    struct host *h = crawl_host_lookup(cr, org.data);
    if (h && h->active)
      h->exhausted = 0;
    cr->fill_needed = 1;
  }
  wn_buf_free(&org);
  return rc;
}

/* Normalise and add a URL to the frontier. */
wn_result crawl_url_add(struct crawl *cr, const char *raw, int depth,
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
    rc = crawl_url_add_norm(cr, norm.data, depth, referrer, first_url,
                            redirects, kind, check_scope);
  wn_buf_free(&norm);
  return rc;
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
        crawl_host_of_url(cr->hosts[k]->origin, other, sizeof(other)) &&
        strcmp(other, name) == 0)
      return 1;
  return 0;
}

void crawl_hosts_evict(struct crawl *cr)
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
      struct mark *m = crawl_mark_find(cr, h->origin, 1);
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
    if (cr->tpl && h->tpl_loaded &&
        crawl_host_of_url(h->origin, host, sizeof(host)) &&
        !name_shared(cr, h, host))
      extract_templates_forget(cr->tpl, host);
    host_table_remove(cr, k); /* another host may now be at k */
    crawl_host_free(h);
  }
}
