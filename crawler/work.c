/* Extraction threads: the CPU work of a crawl (parsing, extracting,
 * serialising the record, normalising the links) runs beside the event
 * loop, so that fetching never waits for it and both cores are used. */
#include "crawler/crawler_int.h"
#include "extract/extract.h"
#include "output/output.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define LINKS_MAX_BYTES (16u * 1024u * 1024u)

struct queue {
  struct work_item *head, *tail;
};

struct work {
  struct work_opts o;
  pthread_mutex_t lock;
  pthread_cond_t more; /* an item was queued, or stop */
  pthread_cond_t ready; /* an item is done */
  struct queue waiting, done;
  size_t pending;
  int stop;
  pthread_t *threads;
  unsigned n_threads;
  struct extract_ctx *inline_ctx; /* when there are no threads */
};

static void push(struct queue *q, struct work_item *it)
{
  it->next = NULL;
  if (q->tail)
    q->tail->next = it;
  else
    q->head = it;
  q->tail = it;
}

static struct work_item *pop(struct queue *q)
{
  struct work_item *it = q->head;

  if (it) {
    q->head = it->next;
    if (!q->head)
      q->tail = NULL;
    it->next = NULL;
  }
  return it;
}

struct work_item *work_item_new(void)
{
  struct work_item *it = calloc(1, sizeof(*it));

  if (!it)
    return NULL;
  wn_buf_init(&it->line, LINE_MAX_BYTES);
  wn_buf_init(&it->links, LINKS_MAX_BYTES);
  return it;
}

void work_item_free(struct work_item *it)
{
  if (!it)
    return;
  wn_buf_free(&it->line);
  wn_buf_free(&it->links);
  free(it->canonical);
  free(it);
}

/* ---- one page ----------------------------------------------------------- */

static wn_result add_link(struct wn_buf *out, const char *url, unsigned flags)
{
  struct wn_buf n;
  unsigned char f = (unsigned char)flags;
  wn_result rc = WN_OK;

  if (!wn_url_is_http(url))
    return WN_OK;
  wn_buf_init(&n, WN_MAX_URL_BYTES + 16);
  if (wn_url_normalize(url, WN_URL_NORM_FRAGMENT | WN_URL_NORM_TRACKING, &n) ==
      WN_OK) {
    rc = wn_buf_add(out, &f, 1);
    if (rc == WN_OK)
      rc = wn_buf_add(out, n.data, n.len + 1);
  }
  wn_buf_free(&n);
  /* a page with more links than the buffer holds keeps the first ones */
  return rc == WN_E_TOO_LARGE ? WN_OK : rc;
}

struct link_ud {
  struct work_item *it;
  wn_result rc;
};

static void on_link(void *ud, const char *url, unsigned flags)
{
  struct link_ud *l = ud;

  if (l->rc == WN_OK)
    l->rc = add_link(&l->it->links, url, flags);
}

static void run_item(const struct work_opts *o, struct extract_ctx *ctx,
                     struct work_item *it)
{
  struct extract_input in;
  struct extract_options opts;
  const struct extract_record *rec = NULL;
  struct extract_record copy;
  struct link_ud l = {it, WN_OK};
  wn_result rc;

  memset(&in, 0, sizeof(in));
  in.html = it->html ? it->html : "";
  in.len = it->html ? it->len : 0;
  in.url = it->url;
  in.http_charset = it->http_charset;
  memset(&opts, 0, sizeof(opts));
  opts.rules = o->rules;
  opts.templates = o->templates;
  opts.learn = o->templates;
  rc = extract_page_run(ctx, &in, &opts, &rec);
  if (rc != WN_OK) {
    it->rc = rc;
    return;
  }
  extract_page_robots(ctx, o->robots_agent, &it->noindex, &it->nofollow);
  it->fingerprint = rec->fingerprint;
  it->text_len = rec->text_len;
  if (rec->canonical_url) {
    struct wn_buf n;
    wn_buf_init(&n, WN_MAX_URL_BYTES + 16);
    if (wn_url_normalize(rec->canonical_url,
                         WN_URL_NORM_FRAGMENT | WN_URL_NORM_TRACKING,
                         &n) == WN_OK && n.len)
      it->canonical = strdup(n.data);
    wn_buf_free(&n);
  }
  copy = *rec;
  copy.url = it->record_url ? it->record_url : it->url;
  rc = output_jsonl_append(&it->line, &copy, it->fetch);
  if (rc == WN_OK && !it->nofollow) {
    rc = extract_page_links(ctx, on_link, &l);
    if (rc == WN_OK)
      rc = l.rc;
  }
  it->rc = rc;
}

/* ---- the pool ------------------------------------------------------------ */

static void *worker(void *arg)
{
  struct work *w = arg;
  struct extract_ctx *ctx = extract_ctx_new();

  pthread_mutex_lock(&w->lock);
  for (;;) {
    struct work_item *it;

    while (!w->stop && !w->waiting.head)
      pthread_cond_wait(&w->more, &w->lock);
    if (w->stop)
      break;
    it = pop(&w->waiting);
    pthread_mutex_unlock(&w->lock);
    if (ctx)
      run_item(&w->o, ctx, it);
    else
      it->rc = WN_E_NOMEM;
    pthread_mutex_lock(&w->lock);
    push(&w->done, it);
    pthread_cond_signal(&w->ready);
    if (w->o.wake)
      w->o.wake(w->o.wake_ud);
  }
  pthread_mutex_unlock(&w->lock);
  extract_ctx_free(ctx);
  return NULL;
}

wn_result work_new(const struct work_opts *o, struct work **out)
{
  struct work *w = calloc(1, sizeof(*w));
  unsigned k;

  *out = NULL;
  if (!w)
    return WN_E_NOMEM;
  w->o = *o;
  if (pthread_mutex_init(&w->lock, NULL) != 0) {
    free(w);
    return WN_E_NOMEM;
  }
  if (pthread_cond_init(&w->more, NULL) != 0) {
    pthread_mutex_destroy(&w->lock);
    free(w);
    return WN_E_NOMEM;
  }
  if (pthread_cond_init(&w->ready, NULL) != 0) {
    pthread_cond_destroy(&w->more);
    pthread_mutex_destroy(&w->lock);
    free(w);
    return WN_E_NOMEM;
  }
  if (o->threads == 0) {
    w->inline_ctx = extract_ctx_new();
    if (!w->inline_ctx) {
      work_free(w);
      return WN_E_NOMEM;
    }
  } else {
    w->threads = calloc(o->threads, sizeof(*w->threads));
    if (!w->threads) {
      work_free(w);
      return WN_E_NOMEM;
    }
    for (k = 0; k < o->threads; k++) {
      if (pthread_create(&w->threads[k], NULL, worker, w) != 0)
        break;
      w->n_threads++;
    }
    if (w->n_threads == 0) {
      work_free(w);
      return WN_E_NOMEM;
    }
  }
  *out = w;
  return WN_OK;
}

void work_free(struct work *w)
{
  struct work_item *it;
  unsigned k;

  if (!w)
    return;
  pthread_mutex_lock(&w->lock);
  w->stop = 1;
  pthread_cond_broadcast(&w->more);
  pthread_mutex_unlock(&w->lock);
  for (k = 0; k < w->n_threads; k++)
    pthread_join(w->threads[k], NULL);
  while ((it = pop(&w->waiting)))
    work_item_free(it);
  while ((it = pop(&w->done)))
    work_item_free(it);
  free(w->threads);
  extract_ctx_free(w->inline_ctx);
  pthread_cond_destroy(&w->more);
  pthread_cond_destroy(&w->ready);
  pthread_mutex_destroy(&w->lock);
  free(w);
}

void work_submit(struct work *w, struct work_item *it)
{
  if (w->inline_ctx) {
    run_item(&w->o, w->inline_ctx, it);
    push(&w->done, it);
    w->pending++;
    return;
  }
  pthread_mutex_lock(&w->lock);
  push(&w->waiting, it);
  w->pending++;
  pthread_cond_signal(&w->more);
  pthread_mutex_unlock(&w->lock);
}

struct work_item *work_take(struct work *w)
{
  struct work_item *it;

  if (w->inline_ctx) {
    it = pop(&w->done);
  } else {
    pthread_mutex_lock(&w->lock);
    it = pop(&w->done);
    pthread_mutex_unlock(&w->lock);
  }
  if (it)
    w->pending--;
  return it;
}

struct work_item *work_wait(struct work *w)
{
  struct work_item *it;

  if (w->pending == 0)
    return NULL;
  if (w->inline_ctx)
    return work_take(w);
  pthread_mutex_lock(&w->lock);
  while (!(it = pop(&w->done)))
    pthread_cond_wait(&w->ready, &w->lock);
  pthread_mutex_unlock(&w->lock);
  w->pending--;
  return it;
}

size_t work_pending(const struct work *w)
{
  return w->pending;
}
