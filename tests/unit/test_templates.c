/* Learned site templates (extract/templates.c): counting across pages,
 * qualifying, forgetting one-page blocks when a host is full, save and
 * load, text samples on or off, and use from several threads. */
#include "check.h"
#include "common/common.h"
#include "extract/extract.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEMPLATE_A                                                             \
  "this site is run by volunteers who write about the town and its "         \
  "people every single week"
#define TEMPLATE_B                                                             \
  "please remember that comments are moderated before they appear below "    \
  "each story on this site"

/* Lower-case pseudo-words: capitalised words and numbers do not count in
 * a block's fingerprint, so unique blocks need unique small words. */
static void words(struct wn_buf *b, uint64_t *seed, int n)
{
  int k, j;

  for (k = 0; k < n; k++) {
    char w[9];
    int len = 3 + (int)(*seed % 5);
    for (j = 0; j < len; j++) {
      *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
      w[j] = (char)('a' + (*seed >> 33) % 26);
    }
    w[len] = '\0';
    wn_buf_printf(b, "%s%s", k ? " " : "", w);
  }
}

/* A page of n_unique paragraphs of its own, plus the templates asked. */
static void make_page(struct wn_buf *b, uint64_t seed, int n_unique, int a,
                      int bb)
{
  int k;

  wn_buf_reset(b);
  wn_buf_printf(b, "<!DOCTYPE html><html><head><title>t</title></head><body>"
                 "<article>");
  for (k = 0; k < n_unique; k++) {
    wn_buf_printf(b, "<p>");
    words(b, &seed, 14);
    wn_buf_printf(b, ".</p>");
  }
  if (a)
    wn_buf_printf(b, "<p>" TEMPLATE_A ".</p>");
  if (bb)
    wn_buf_printf(b, "<p>" TEMPLATE_B ".</p>");
  wn_buf_printf(b, "</article></body></html>");
}

static wn_result observe_url(struct extract_ctx *ctx,
                             struct extract_templates *t,
                             const struct wn_buf *b, const char *url)
{
  struct extract_input in;

  memset(&in, 0, sizeof(in));
  in.html = b->data;
  in.len = b->len;
  in.url = url;
  return extract_templates_observe(ctx, t, &in);
}

static wn_result observe(struct extract_ctx *ctx, struct extract_templates *t,
                         const struct wn_buf *b)
{
  return observe_url(ctx, t, b, "https://news.example/a");
}

struct seen {
  int a, b, n;
  unsigned a_pages;
};

static void on_template(void *ud, const char *text, unsigned pages)
{
  struct seen *s = ud;

  s->n++;
  if (strstr(text, "volunteers who write")) {
    s->a++;
    s->a_pages = pages;
  }
  if (strstr(text, "comments are moderated"))
    s->b++;
}

/* Pages saved blob header: "WNT1", pages, blocks. */
static uint32_t blob_u32(const struct wn_buf *b, size_t off)
{
  const unsigned char *u = (const unsigned char *)b->data + off;

  return (uint32_t)u[0] | ((uint32_t)u[1] << 8) | ((uint32_t)u[2] << 16) |
         ((uint32_t)u[3] << 24);
}

/* A block on every page qualifies; blocks of one page do not. */
static void check_counting(void)
{
  struct extract_templates *t = extract_templates_new(3, 0.3);
  struct extract_ctx *ctx = extract_ctx_new();
  struct wn_buf page;
  struct seen s = {0, 0, 0, 0};
  int k;

  wn_buf_init(&page, 1u << 20);
  for (k = 0; k < 10; k++) {
    make_page(&page, 1000 + (uint64_t)k, 5, 1, k == 3);
    CHECK_INT(observe(ctx, t, &page), WN_OK);
  }
  extract_templates_each(t, "news.example", on_template, &s);
  CHECK_INT(s.a, 1);
  CHECK_INT(s.a_pages, 10);
  CHECK_INT(s.b, 0);       /* one page of ten */
  CHECK_INT(s.n, 1);       /* the unique paragraphs never qualify */
  s.n = 0;
  extract_templates_each(t, "other.example", on_template, &s);
  CHECK_INT(s.n, 0);
  wn_buf_free(&page);
  extract_ctx_free(ctx);
  extract_templates_free(t);
}

/* A host fills up with one-page blocks (20 a page: the 8192 limit is
 * reached near page 410): blocks that recur stay, and a template that
 * first appears after the host filled is still learned. */
static void check_full_host(void)
{
  struct extract_templates *t = extract_templates_new(3, 0.1);
  struct extract_ctx *ctx = extract_ctx_new();
  struct wn_buf page, blob;
  struct seen s = {0, 0, 0, 0};
  int k;

  wn_buf_init(&page, 1u << 20);
  wn_buf_init(&blob, 1u << 26);
  for (k = 0; k < 600; k++) {
    make_page(&page, 77 + (uint64_t)k * 7919, 20, 1, k >= 450);
    CHECK_INT(observe(ctx, t, &page), WN_OK);
  }
  extract_templates_each(t, "news.example", on_template, &s);
  CHECK_INT(s.a, 1);
  CHECK_INT(s.a_pages, 600);
  CHECK_INT(s.b, 1);
  CHECK_INT(extract_templates_save(t, "news.example", &blob), WN_OK);
  CHECK(blob.len >= 12);
  CHECK_INT(blob_u32(&blob, 4), 600);
  CHECK(blob_u32(&blob, 8) <= EXTRACT_TEMPLATE_MAX_BLOCKS);
  wn_buf_free(&blob);
  wn_buf_free(&page);
  extract_ctx_free(ctx);
  extract_templates_free(t);
}

/* Save, load into a new set: the counts come back (without samples), and
 * a page of the host then has the template marked. Bad blobs are
 * refused. */
static void check_save_load(void)
{
  struct extract_templates *t = extract_templates_new(3, 0.3), *u;
  struct extract_ctx *ctx = extract_ctx_new();
  struct extract_options opts;
  struct extract_input in;
  const struct extract_record *rec;
  struct wn_buf page, blob, again;
  int k, marked = 0;
  size_t j;

  wn_buf_init(&page, 1u << 20);
  wn_buf_init(&blob, 1u << 26);
  wn_buf_init(&again, 1u << 26);
  for (k = 0; k < 6; k++) {
    make_page(&page, 5 + (uint64_t)k, 4, 1, 0);
    CHECK_INT(observe(ctx, t, &page), WN_OK);
  }
  CHECK_INT(extract_templates_save(t, "news.example", &blob), WN_OK);
  CHECK_INT(blob_u32(&blob, 4), 6);
  CHECK_INT(blob_u32(&blob, 8), 6 * 4 + 1);
  u = extract_templates_new(3, 0.3);
  CHECK_INT(extract_templates_load(u, "news.example", blob.data, blob.len),
            WN_OK);
  CHECK_INT(extract_templates_save(u, "news.example", &again), WN_OK);
  CHECK_INT(again.len, blob.len);
  CHECK(again.len == blob.len && memcmp(again.data, blob.data, blob.len) == 0);
  /* the loaded set marks the template on a new page of the host */
  make_page(&page, 999, 4, 1, 0);
  memset(&in, 0, sizeof(in));
  in.html = page.data;
  in.len = page.len;
  in.url = "https://news.example/new";
  memset(&opts, 0, sizeof(opts));
  opts.templates = u;
  CHECK_INT(extract_page_run(ctx, &in, &opts, &rec), WN_OK);
  for (j = 0; j < rec->n_boilerplate; j++)
    if (rec->boilerplate[j].kind == EXTRACT_BP_TEMPLATE &&
        strstr(rec->boilerplate[j].text, "volunteers who write"))
      marked = 1;
  CHECK(marked);
  CHECK(!strstr(rec->text, "volunteers who write"));
  /* broken blobs */
  CHECK_INT(extract_templates_load(u, "x.example", "WNT1", 4), WN_E_PARSE);
  CHECK_INT(extract_templates_load(u, "x.example", blob.data, blob.len - 1),
            WN_E_PARSE);
  blob.data[0] = 'X';
  CHECK_INT(extract_templates_load(u, "x.example", blob.data, blob.len),
            WN_E_PARSE);
  wn_buf_free(&again);
  wn_buf_free(&blob);
  wn_buf_free(&page);
  extract_ctx_free(ctx);
  extract_templates_free(t);
  extract_templates_free(u);
}

/* Without text samples (a crawler's set), counting is the same and
 * extract_templates_each has nothing to show. */
static void check_no_text(void)
{
  struct extract_templates *t = extract_templates_new(3, 0.3);
  struct extract_ctx *ctx = extract_ctx_new();
  struct wn_buf page, blob;
  struct seen s = {0, 0, 0, 0};
  int k;

  extract_templates_keep_text(t, 0);
  wn_buf_init(&page, 1u << 20);
  wn_buf_init(&blob, 1u << 26);
  for (k = 0; k < 5; k++) {
    make_page(&page, 50 + (uint64_t)k, 3, 1, 0);
    CHECK_INT(observe(ctx, t, &page), WN_OK);
  }
  extract_templates_each(t, "news.example", on_template, &s);
  CHECK_INT(s.n, 0);
  CHECK_INT(extract_templates_save(t, "news.example", &blob), WN_OK);
  CHECK_INT(blob_u32(&blob, 4), 5);
  CHECK_INT(blob_u32(&blob, 8), 5 * 3 + 1);
  wn_buf_free(&blob);
  wn_buf_free(&page);
  extract_ctx_free(ctx);
  extract_templates_free(t);
}

/* Four threads, each with its own context, observe pages of one host in
 * one set: every page is counted and the shared template is seen on all
 * of them. (Run under the sanitizers in CI; ThreadSanitizer by hand.) */
#define THREADS 4
#define PAGES_PER_THREAD 50

struct worker_arg {
  struct extract_templates *t;
  int id;
  int failures;
};

static void *worker(void *p)
{
  struct worker_arg *w = p;
  struct extract_ctx *ctx = extract_ctx_new();
  struct wn_buf page;
  int k;

  wn_buf_init(&page, 1u << 20);
  for (k = 0; k < PAGES_PER_THREAD; k++) {
    make_page(&page, (uint64_t)(w->id * 100000 + k), 6, 1, 0);
    if (!ctx || observe(ctx, w->t, &page) != WN_OK)
      w->failures++;
  }
  wn_buf_free(&page);
  extract_ctx_free(ctx);
  return NULL;
}

static void check_threads(void)
{
  struct extract_templates *t = extract_templates_new(3, 0.3);
  struct worker_arg args[THREADS];
  pthread_t th[THREADS];
  struct seen s = {0, 0, 0, 0};
  struct wn_buf blob;
  int k;

  for (k = 0; k < THREADS; k++) {
    args[k].t = t;
    args[k].id = k;
    args[k].failures = 0;
    CHECK_INT(pthread_create(&th[k], NULL, worker, &args[k]), 0);
  }
  for (k = 0; k < THREADS; k++) {
    pthread_join(th[k], NULL);
    CHECK_INT(args[k].failures, 0);
  }
  extract_templates_each(t, "news.example", on_template, &s);
  CHECK_INT(s.a, 1);
  CHECK_INT(s.a_pages, THREADS * PAGES_PER_THREAD);
  wn_buf_init(&blob, 1u << 26);
  CHECK_INT(extract_templates_save(t, "news.example", &blob), WN_OK);
  CHECK_INT(blob_u32(&blob, 4), THREADS * PAGES_PER_THREAD);
  CHECK_INT(blob_u32(&blob, 8), THREADS * PAGES_PER_THREAD * 6 + 1);
  wn_buf_free(&blob);
  extract_templates_free(t);
}

/* Forgetting hosts: 300 hosts learned, every other one forgotten; the
 * others keep what they learned (the table is rearranged around the
 * holes), the forgotten ones have nothing and learn again from zero. */
static void check_forget(void)
{
  struct extract_templates *t = extract_templates_new(3, 0.3);
  struct extract_ctx *ctx = extract_ctx_new();
  struct wn_buf page;
  char url[64], host[64];
  int k, p;

  wn_buf_init(&page, 1u << 20);
  for (k = 0; k < 300; k++) {
    snprintf(url, sizeof(url), "https://h%d.example/x", k);
    for (p = 0; p < 3; p++) {
      make_page(&page, (uint64_t)(k * 10 + p), 1, 1, 0);
      CHECK_INT(observe_url(ctx, t, &page, url), WN_OK);
    }
  }
  for (k = 0; k < 300; k += 2) {
    snprintf(host, sizeof(host), "h%d.example", k);
    extract_templates_forget(t, host);
  }
  extract_templates_forget(t, "never.example");
  for (k = 0; k < 300; k++) {
    struct seen s = {0, 0, 0, 0};
    snprintf(host, sizeof(host), "h%d.example", k);
    extract_templates_each(t, host, on_template, &s);
    CHECK_INT(s.a, k % 2);
  }
  /* a forgotten host starts again */
  snprintf(url, sizeof(url), "https://h0.example/y");
  for (p = 0; p < 3; p++) {
    make_page(&page, (uint64_t)(9000 + p), 1, 1, 0);
    CHECK_INT(observe_url(ctx, t, &page, url), WN_OK);
  }
  {
    struct seen s = {0, 0, 0, 0};
    extract_templates_each(t, "h0.example", on_template, &s);
    CHECK_INT(s.a, 1);
    CHECK_INT(s.a_pages, 3);
  }
  wn_buf_free(&page);
  extract_ctx_free(ctx);
  extract_templates_free(t);
}

int main(void)
{
  check_forget();
  check_counting();
  check_full_host();
  check_save_load();
  check_no_text();
  check_threads();
  return check_exit();
}
