/* The crawl's requests and their answers: robots.txt, pages (sniffed,
 * extracted off the loop, deduplicated), redirects, sitemaps and feeds,
 * errors and back-off, and what each leaves in the state. */
#include "crawler/crawler_int.h"
#include "extract/extract.h"
#include "output/output.h"
#include "rules/rules.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static void iso_time(double t, char out[32])
{
  time_t s = (time_t)t;
  struct tm tm;

  gmtime_r(&s, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- responses ---------------------------------------------------------------- */

void crawl_job_finish(struct crawl *cr, struct job *j, int state, double due_at,
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
  l->rc = crawl_url_add(l->cr, url, l->j->u.depth + 1, l->j->u.url, NULL, 0,
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
  crawl_job_finish(cr, j, URL_DONE, 0, NULL);
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
    if (crawl_url_add_norm(cr, it->canonical, j->u.depth, j->u.url, NULL, 0,
                           KIND_PAGE, 1) != WN_OK)
      cr->fatal = WN_E_IO;
    snprintf(key, sizeof(key), "c:%s", it->canonical);
    if (state_seen_key(cr->st, key, url, &seen) != WN_OK)
      cr->fatal = WN_E_IO;
    if (seen == 1)
      return 1;
  }
  /* the same bytes as another URL's page: a mirror or a second origin.
   * Checked before the text, which can differ between two copies when
   * a learned template crossed its threshold in between. */
  if (j->body_hash[0]) {
    snprintf(key, sizeof(key), "b:%s", j->body_hash);
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
int crawl_job_html(struct crawl *cr, struct job *j)
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
    if (crawl_host_of_url(j->u.url, host, sizeof(host)) &&
        !extract_templates_known(cr->tpl, host) &&
        state_templates_get(cr->st, host, &blob, &blen) == WN_OK && blob)
      (void)extract_templates_load(cr->tpl, host, blob, blen);
    free(blob);
  }
  it = work_item_new();
  if (!it) {
    crawl_job_finish(cr, j, URL_FAILED, 0, wn_strerror(WN_E_NOMEM));
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
  it->http_charset =
      charset_of(q->content_type, j->charset, sizeof(j->charset));
  it->fetch = &j->of;
  j->item = it;
  j->host->extracting++;
  work_submit(cr->work, it);
  return 1;
}

/* A page back from extraction: its record, its links, its row. */
void crawl_job_extracted(struct crawl *cr, struct work_item *it)
{
  struct job *j = it->ud;
  struct fetch_req *q = &j->req;
  const char *record_url = it->record_url;
  int noindex = 0, nofollow = 0;
  const char *p, *end;

  cr->batch_pages++;
  j->host->extracting--;
  if (it->rc != WN_OK) {
    crawl_job_finish(cr, j, URL_FAILED, 0, wn_strerror(it->rc));
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
    if (crawl_url_add_norm(cr, url, j->u.depth + 1, j->u.url, NULL, 0, kind,
                           1) != WN_OK)
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
    crawl_job_finish(cr, j, URL_FAILED, 0, "too many redirects");
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
      crawl_job_finish(cr, j, URL_FAILED, 0, "redirect loop");
      return;
    }
    wn_buf_free(&norm);
    /* A redirect from a seed (or along a seed's redirect chain) widens
     * the scope to where it leads; sitemaps and feeds do not. */
    if (j->u.depth == 0 && j->u.kind == KIND_PAGE && !j->u.referrer &&
        crawl_host_allow(cr, target.data) != WN_OK)
      cr->fatal = WN_E_NOMEM;
    if (crawl_url_add(cr, target.data, j->u.depth, j->u.referrer, first,
                      j->u.redirects + 1, j->u.kind, 1) != WN_OK)
      cr->fatal = WN_E_IO;
    crawl_job_finish(cr, j, URL_DONE, 0, NULL);
  } else {
    crawl_job_finish(cr, j, URL_SKIPPED, 0,
                     "redirect to a URL that is not http(s)");
  }
  wn_buf_free(&target);
}

/* Returns 1 when the job was handed to the extraction threads. */
int crawl_job_page(struct crawl *cr, struct job *j, double now)
{
  struct fetch_req *q = &j->req;
  struct host *h = j->host;
  double ra;

  if (q->curl_code || q->status == 0) {
    if (q->refused || q->too_large) {
      crawl_job_finish(cr, j, URL_SKIPPED, 0, q->error);
      cr->s.skipped_other++;
      return 0;
    }
    cr->s.errors++;
    /* a kept-alive connection that the server had closed is not the
     * host's fault: asked again after the usual gap, on a new connection */
    if (!q->resend_refused) {
      h->net_errors++;
      crawl_host_error(cr, h, now);
    }
    if (j->u.tries + 1 < MAX_TRIES) {
      cr->s.retries++;
      crawl_job_finish(cr, j, URL_QUEUED,
                       q->resend_refused ? now + crawl_host_gap(cr, h)
                                         : now + fmin(cr->c->max_delay,
                                                      2.0 * (j->u.tries + 1)),
                       q->error);
    } else {
      crawl_job_finish(cr, j, URL_FAILED, 0, q->error);
    }
    return 0;
  }
  h->net_errors = 0;
  /* latency: smoothed, only from answers */
  h->latency = h->latency > 0 ? 0.7 * h->latency + 0.3 * q->t_total
                              : q->t_total;
  if (q->status == 429 || q->status == 503) {
    cr->s.errors++;
    crawl_host_error(cr, h, now);
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
      crawl_job_finish(cr, j, URL_QUEUED,
                       fmax(h->next_at, now + (ra > 0 ? ra : 1)),
                       "server busy");
    } else {
      crawl_job_finish(cr, j, URL_FAILED, 0, "server busy");
    }
    return 0;
  }
  if (q->status >= 500) {
    cr->s.errors++;
    crawl_host_error(cr, h, now);
    if (j->u.tries + 1 < MAX_TRIES) {
      cr->s.retries++;
      crawl_job_finish(cr, j, URL_QUEUED, h->next_at, "server error");
    } else {
      crawl_job_finish(cr, j, URL_FAILED, 0, "server error");
    }
    return 0;
  }
  h->errors = 0;
  if (q->status == 304) {
    cr->s.not_modified++;
    crawl_job_finish(cr, j, URL_DONE, 0, NULL);
    return 0;
  }
  if (q->status >= 300 && q->status < 400 && q->location) {
    handle_redirect(cr, j);
    return 0;
  }
  if (q->status >= 400) {
    crawl_job_finish(cr, j, URL_DONE, 0, NULL); /* a final answer: no record */
    return 0;
  }
  /* the same bytes as last time: as good as a 304 (servers without
   * validators, or that ignore them) */
  snprintf(j->body_hash, sizeof(j->body_hash), "%016llx",
           (unsigned long long)wn_hash64(q->body.data, q->body.len));
  if (j->u.body_hash && strcmp(j->u.body_hash, j->body_hash) == 0) {
    cr->s.unchanged++;
    crawl_job_finish(cr, j, URL_DONE, 0, NULL);
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
    crawl_job_finish(cr, j, URL_SKIPPED, 0, "not HTML");
    return 0;
  }
  return crawl_job_html(cr, j);
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
  h->next_at = fmax(h->next_at, h->last_start + crawl_host_gap(cr, h));
  h->dirty = 1;
  if (cr->c->sitemaps)
    for (k = 0; k < crawl_robots_sitemap_count(h->robots); k++)
      if (crawl_url_add(cr, crawl_robots_sitemap_at(h->robots, k), 0, NULL,
                        NULL, 0, KIND_SITEMAP, 1) != WN_OK)
        cr->fatal = WN_E_IO;
}

void crawl_job_robots(struct crawl *cr, struct job *j, double now)
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
    crawl_host_error(cr, h, now);
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

struct job *crawl_job_new(struct host *h, const char *url)
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

void crawl_job_free(struct job *j)
{
  if (!j)
    return;
  work_item_free(j->item);
  fetch_req_clear(&j->req);
  free(j->req.url);
  state_url_clear(&j->u);
  free(j);
}

wn_result crawl_job_start_robots(struct crawl *cr, struct host *h,
                                 const char *url, int hops)
{
  struct job *j;
  char buf[WN_MAX_URL_BYTES + 32];
  wn_result rc;

  if (!url) {
    snprintf(buf, sizeof(buf), "%s/robots.txt", h->origin);
    url = buf;
  }
  j = crawl_job_new(h, url);
  if (!j)
    return WN_E_NOMEM;
  j->robots = 1;
  j->hops = hops;
  /* RFC 9309: at least 500 KiB parsed; a longer file is cut, not refused */
  j->req.max_size = CRAWL_ROBOTS_MAX_BYTES;
  j->req.truncate = 1;
  rc = fetch_start(cr->fetch, &j->req);
  if (rc != WN_OK) {
    crawl_job_free(j);
    return rc;
  }
  h->robots_state = ROBOTS_FETCHING;
  h->inflight++;
  cr->s.requests++;
  return WN_OK;
}
