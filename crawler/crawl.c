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

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
  (void)sig;
  stop_requested = 1;
}

/* ---- output ----------------------------------------------------------------- */

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
    if (h->dirty && (rc = crawl_host_save(cr, h)) != WN_OK)
      return rc;
    if (h->tpl_dirty && cr->tpl) {
      struct wn_buf b;
      char host[512];

      wn_buf_init(&b, 1u << 26);
      /* learned counts are per host name (see crawl_job_html) */
      if (crawl_host_of_url(h->origin, host, sizeof(host)) &&
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
    crawl_hosts_evict(cr);
  if (rc == WN_OK)
    rc = state_begin(cr->st);
  cr->batch_pages = 0;
  cr->batch_started = crawl_now();
  return rc;
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
      if (crawl_job_start_robots(cr, h, NULL, 0) == WN_OK) {
        h->last_start = now;
        h->next_at = now + crawl_host_gap(cr, h);
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
        t = crawl_host_get(cr, org.data);
      wn_buf_free(&org);
      if (t && (now < t->next_at || t->inflight > 0)) {
        h->next_at = fmax(t->next_at, now + 0.05);
        return;
      }
      h->robots_hop = NULL;
      if (crawl_job_start_robots(cr, h, hop, h->robots_hops) == WN_OK) {
        h->last_start = now;
        h->next_at = now + crawl_host_gap(cr, h);
        if (t) {
          t->last_start = now;
          t->next_at = now + crawl_host_gap(cr, t);
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
    j = crawl_job_new(h, u.url);
    if (!j) {
      state_url_clear(&u);
      cr->fatal = WN_E_NOMEM;
      return;
    }
    j->u = u;
    if (!crawl_robots_allowed(h->robots, u.url)) {
      cr->s.skipped_robots++;
      crawl_job_finish(cr, j, URL_SKIPPED, 0, "disallowed by robots.txt");
      crawl_job_free(j);
      continue;
    }
    if (c->max_pages_per_host >= 0 &&
        h->page_requests >= c->max_pages_per_host) {
      /* the host has had its pages for this run: the rest stays queued
       * for a later one */
      if (state_url_unload(cr->st, u.id) != WN_OK)
        cr->fatal = WN_E_IO;
      crawl_job_free(j);
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
      crawl_job_finish(cr, j, URL_FAILED, 0, "cannot start the transfer");
      crawl_job_free(j);
      continue;
    }
    h->inflight++;
    cr->s.requests++;
    if (j->u.kind == KIND_PAGE) {
      cr->page_requests++;
      h->page_requests++;
    }
    h->last_start = now;
    h->next_at = now + crawl_host_gap(cr, h);
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
  if (!crawl_host_lookup(cr, origin)) {
    const struct mark *m = crawl_mark_find(cr, origin, 0);
    if (m && (m->parked || m->full || m->deferred))
      return; /* done with for this run, and not worth loading */
  }
  h = crawl_host_get(cr, origin);
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
  j->host->next_at =
      fmax(j->host->next_at, r->t_sent + crawl_host_gap(cr, j->host));
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
    if (crawl_host_allow(cr, c->seeds[k]) != WN_OK ||
        crawl_url_add(cr, c->seeds[k], 0, NULL, NULL, 0, KIND_PAGE, 0) !=
            WN_OK) {
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
  crawl_job_free(r->ud);
}

static void teardown(struct crawl *cr)
{
  struct work_item *it;
  size_t k;

  /* transfers and pages still in extraction (the run stopped on an
   * error): their rows stay loaded, and the next run fetches them again */
  fetch_abort_all(cr->fetch, abort_job);
  while (cr->work && (it = work_wait(cr->work)))
    crawl_job_free(it->ud);

  for (k = 0; k < cr->cap_hosts; k++)
    crawl_host_free(cr->hosts ? cr->hosts[k] : NULL);
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
        crawl_job_robots(&cr, j, now), crawl_job_free(j);
      else if (!crawl_job_page(&cr, j, now))
        cr.batch_pages++, crawl_job_free(j);
      /* the next start keeps the gap from when this request went out
       * (a new connection took time to open) */
      h->next_at = fmax(h->next_at, sent + crawl_host_gap(&cr, h));
      h->dirty = 1;
    }
    while ((it = work_take(cr.work))) {
      struct job *j = it->ud;
      crawl_job_extracted(&cr, it);
      crawl_job_free(j);
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
