/* Site templates learned across a host's pages: prose blocks that recur,
 * near-identical, on many of the host's pages are the site's, not the
 * article's.
 *
 * A block's fingerprint is a simhash of its words with capitalised words,
 * numbers and quoted titles left out ("« ... »", "“ ... ”"), so that a
 * date, a title or a name substituted into a fixed paragraph moves it by a
 * few bits only. */
#include "extract/extract_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Shortest block considered (words), and how many differing bits still
 * make two blocks the same: short blocks must match more closely (two
 * unrelated texts differ in about 32 bits, give or take 4). */
#define MIN_WORDS 8u
#define SAMPLE_BYTES 240u

struct block {
  uint32_t pages;     /* pages the block was seen on */
  uint32_t last_page; /* the host's page number of the last sighting */
  char *sample;       /* the text, when kept for `rules learn` */
};

/* A host's blocks: fingerprints in their own array, so that the nearest-
 * neighbour scan runs over contiguous memory. */
struct host {
  char *name;
  uint32_t pages;
  uint64_t *fps;
  struct block *blocks;
  uint32_t n, cap;
};

struct extract_templates {
  pthread_mutex_t lock; /* every entry point holds it */
  unsigned min_pages;
  double min_share;
  int keep_text;
  struct host *hosts; /* open addressing on the name */
  size_t n_hosts, cap_hosts;
  /* The block each run of the last counted page matched or became, so
   * that marking the same page needs no second search. */
  uint32_t serial;
  const struct host *cache_host;
  uint32_t *cache;
  uint32_t cache_n, cache_cap;
};

#define NO_BLOCK UINT32_MAX

struct extract_templates *extract_templates_new(unsigned min_pages,
                                                double min_share)
{
  struct extract_templates *t = calloc(1, sizeof(*t));

  if (!t)
    return NULL;
  if (pthread_mutex_init(&t->lock, NULL) != 0) {
    free(t);
    return NULL;
  }
  t->min_pages = min_pages ? min_pages : 1;
  t->min_share = min_share;
  t->keep_text = 1;
  return t;
}

void extract_templates_keep_text(struct extract_templates *t, int keep)
{
  if (t)
    t->keep_text = keep != 0;
}

void extract_templates_free(struct extract_templates *t)
{
  size_t k;
  uint32_t b;

  if (!t)
    return;
  for (k = 0; k < t->cap_hosts; k++) {
    struct host *h = &t->hosts[k];
    if (!h->name)
      continue;
    for (b = 0; b < h->n; b++)
      free(h->blocks[b].sample);
    free(h->blocks);
    free(h->fps);
    free(h->name);
  }
  free(t->hosts);
  free(t->cache);
  pthread_mutex_destroy(&t->lock);
  free(t);
}

static void put32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

static uint64_t hash_str(const char *s)
{
  uint64_t h = 1469598103934665603ULL;

  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

/* The host's slot; created when create is set. NULL on allocation
 * failure or when absent. */
static struct host *host_find(struct extract_templates *t, const char *name,
                              int create)
{
  size_t i, mask;

  if (create && (t->n_hosts + 1) * 2 > t->cap_hosts) {
    size_t cap = t->cap_hosts ? t->cap_hosts * 2 : 64, k;
    struct host *nh = calloc(cap, sizeof(*nh));

    if (!nh)
      return NULL;
    for (k = 0; k < t->cap_hosts; k++) {
      if (!t->hosts[k].name)
        continue;
      i = hash_str(t->hosts[k].name) & (cap - 1);
      while (nh[i].name)
        i = (i + 1) & (cap - 1);
      nh[i] = t->hosts[k];
    }
    free(t->hosts);
    t->hosts = nh;
    t->cap_hosts = cap;
  }
  if (!t->cap_hosts)
    return NULL;
  mask = t->cap_hosts - 1;
  for (i = hash_str(name) & mask; t->hosts[i].name; i = (i + 1) & mask)
    if (strcmp(t->hosts[i].name, name) == 0)
      return &t->hosts[i];
  if (!create)
    return NULL;
  t->hosts[i].name = strdup(name);
  if (!t->hosts[i].name)
    return NULL;
  t->n_hosts++;
  return &t->hosts[i];
}

static uint64_t mix(uint64_t h)
{
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

/* Unigram simhash of the block's skeleton; *words gets the number of
 * words that counted. */
static uint64_t skeleton_hash(const char *s, size_t len, unsigned *words)
{
  struct wn_votes v;
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  int quoted = 0;
  unsigned n = 0;

  wn_votes_init(&v);
  while (i < len) {
    uint64_t h = 1469598103934665603ULL;
    int skip = 0; /* a number, or a capitalised word */
    size_t start = i;

    /* « » and “ ” open and close quoted titles */
    if (u[i] == 0xC2 && i + 1 < len && (u[i + 1] == 0xAB || u[i + 1] == 0xBB)) {
      quoted = u[i + 1] == 0xAB;
      i += 2;
      continue;
    }
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 &&
        (u[i + 2] == 0x9C || u[i + 2] == 0x9D)) {
      quoted = u[i + 2] == 0x9C;
      i += 3;
      continue;
    }
    if (!(u[i] >= 0x80 || (u[i] >= '0' && u[i] <= '9') ||
          ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z'))) {
      i++;
      continue;
    }
    /* names and sentence starts: A-Z, and À-Þ (UTF-8 C3 80-9E) */
    if ((u[i] >= 'A' && u[i] <= 'Z') ||
        (u[i] == 0xC3 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9E))
      skip = 1;
    while (i < len && (u[i] >= 0x80 || (u[i] >= '0' && u[i] <= '9') ||
                       ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z'))) {
      if (u[i] == 0xC2 || (u[i] == 0xE2 && i + 1 < len && u[i + 1] == 0x80))
        break; /* punctuation inside the run of non-ASCII bytes */
      if (u[i] >= '0' && u[i] <= '9')
        skip = 1;
      h ^= (uint64_t)wn_ascii_tolower(u[i]);
      h *= 1099511628211ULL;
      i++;
    }
    if (i == start) {
      i++;
      continue;
    }
    if (quoted || skip)
      continue;
    n++;
    wn_votes_add(&v, mix(h));
  }
  *words = n;
  return wn_votes_result(&v);
}

/* The block of host h that fp matches, or NULL. */
static int near_bits(unsigned words)
{
  return words >= 40 ? 12 : words >= 20 ? 8 : 4;
}

static struct block *block_find(struct host *h, uint64_t fp, unsigned words)
{
  size_t k = wn_hamming_nearest(h->fps, h->n, fp, near_bits(words), NULL);

  return k < h->n ? &h->blocks[k] : NULL;
}

/* Room for one more block. When the host is full, blocks seen on one page
 * only are forgotten (those of the last RECENT_PAGES pages last), so
 * that a long crawl keeps learning; a template recurs on a good share of
 * the pages and is seen again long before it could be dropped. */
#define RECENT_PAGES 32u

static void host_compact(struct host *h, uint32_t recent)
{
  uint32_t k, n = 0;

  for (k = 0; k < h->n; k++) {
    struct block *b = &h->blocks[k];
    if (b->pages <= 1 && b->last_page + recent <= h->pages) {
      free(b->sample);
      continue;
    }
    h->fps[n] = h->fps[k];
    h->blocks[n++] = *b;
  }
  h->n = n;
}

/* Room for need more blocks, as far as the limit allows. */
static wn_result host_make_room(struct host *h, uint32_t need)
{
  uint32_t want;

  if (need > EXTRACT_TEMPLATE_MAX_BLOCKS / 4)
    need = EXTRACT_TEMPLATE_MAX_BLOCKS / 4;
  if (h->n + need > EXTRACT_TEMPLATE_MAX_BLOCKS) {
    host_compact(h, RECENT_PAGES);
    if (h->n + need > EXTRACT_TEMPLATE_MAX_BLOCKS - EXTRACT_TEMPLATE_MAX_BLOCKS / 8)
      host_compact(h, 0);
  }
  want = h->n + need;
  if (want > EXTRACT_TEMPLATE_MAX_BLOCKS)
    want = EXTRACT_TEMPLATE_MAX_BLOCKS;
  if (want > h->cap) {
    uint32_t cap = h->cap ? h->cap : 64;
    struct block *nb;
    uint64_t *nf;

    while (cap < want)
      cap *= 2;
    nb = realloc(h->blocks, cap * sizeof(*nb));
    if (!nb)
      return WN_E_NOMEM;
    h->blocks = nb;
    nf = realloc(h->fps, cap * sizeof(*nf));
    if (!nf)
      return WN_E_NOMEM;
    h->fps = nf;
    h->cap = cap;
  }
  return WN_OK;
}

static wn_result count_locked(struct extract_templates *t, struct page *p)
{
  struct host *h;
  uint32_t k;
  wn_result rc;

  if (!t || !p->host)
    return WN_OK;
  h = host_find(t, p->host, 1);
  if (!h)
    return WN_E_NOMEM;
  h->pages++;
  if ((rc = host_make_room(h, p->runs->n)) != WN_OK)
    return rc;
  if (p->runs->n > t->cache_cap) {
    uint32_t cap = p->runs->n + 64;
    uint32_t *nc = realloc(t->cache, cap * sizeof(*nc));
    if (!nc)
      return WN_E_NOMEM;
    t->cache = nc;
    t->cache_cap = cap;
  }
  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];
    const char *text = p->text->data + r->off;
    unsigned words;
    uint64_t fp;
    struct block *b;

    t->cache[k] = NO_BLOCK;
    if (r->n_words < MIN_WORDS)
      continue;
    fp = skeleton_hash(text, r->len, &words);
    if (words < MIN_WORDS)
      continue;
    b = block_find(h, fp, words);
    if (b) {
      if (b->last_page != h->pages) {
        b->pages++;
        b->last_page = h->pages;
      }
      t->cache[k] = (uint32_t)(b - h->blocks);
      continue;
    }
    if (h->n >= h->cap)
      continue; /* full */
    t->cache[k] = h->n;
    h->fps[h->n] = fp;
    b = &h->blocks[h->n++];
    b->pages = 1;
    b->last_page = h->pages;
    b->sample = NULL;
    if (t->keep_text)
      b->sample = strndup(text, wn_utf8_prefix(text, r->len, SAMPLE_BYTES));
  }
  if (++t->serial == 0)
    t->serial = 1;
  t->cache_host = h;
  t->cache_n = p->runs->n;
  p->tpl_serial = t->serial;
  return WN_OK;
}

wn_result extract_templates_observe(struct extract_ctx *ctx,
                                    struct extract_templates *t,
                                    const struct extract_input *in)
{
  struct page p;
  wn_result rc;

  if (!t || !in || !in->url)
    return WN_OK;
  rc = extract_page_prepare(ctx, in, &p);
  return rc == WN_OK ? extract_templates_count(t, &p) : rc;
}

/* Blob: "WNT1", u32 pages, u32 n, then n x (u64 fp, u32 pages), little
 * endian. */
static wn_result save_locked(const struct extract_templates *t,
                             const char *host, struct wn_buf *out)
{
  struct host *h;
  unsigned char hdr[12];
  uint32_t k;
  wn_result rc;

  if (!t || !host)
    return WN_OK;
  h = host_find((struct extract_templates *)t, host, 0);
  if (!h)
    return WN_OK;
  memcpy(hdr, "WNT1", 4);
  put32(hdr + 4, h->pages);
  put32(hdr + 8, h->n);
  rc = wn_buf_add(out, hdr, sizeof(hdr));
  for (k = 0; k < h->n && rc == WN_OK; k++) {
    unsigned char e[12];
    put32(e, (uint32_t)(h->fps[k] >> 32));
    put32(e + 4, (uint32_t)h->fps[k]);
    put32(e + 8, h->blocks[k].pages);
    rc = wn_buf_add(out, e, sizeof(e));
  }
  return rc;
}

static wn_result load_locked(struct extract_templates *t, const char *host,
                             const char *blob, size_t len)
{
  const unsigned char *u = (const unsigned char *)blob;
  struct host *h;
  uint32_t n, k;

  if (len < 12 || memcmp(blob, "WNT1", 4) != 0)
    return WN_E_PARSE;
  n = get32(u + 8);
  if (n > EXTRACT_TEMPLATE_MAX_BLOCKS || len != 12 + (size_t)n * 12)
    return WN_E_PARSE;
  h = host_find(t, host, 1);
  if (!h)
    return WN_E_NOMEM;
  h->pages += get32(u + 4);
  if (n > EXTRACT_TEMPLATE_MAX_BLOCKS / 4 * 3)
    n = EXTRACT_TEMPLATE_MAX_BLOCKS / 4 * 3; /* leave room to learn */
  for (k = 0; k < n; k++) {
    const unsigned char *e = u + 12 + (size_t)k * 12;
    struct block *b;
    wn_result rc = host_make_room(h, 1);

    if (rc != WN_OK)
      return rc;
    if (h->n >= h->cap)
      break;
    h->fps[h->n] = ((uint64_t)get32(e) << 32) | get32(e + 4);
    b = &h->blocks[h->n++];
    b->pages = get32(e + 8);
    b->last_page = h->pages;
    b->sample = NULL;
  }
  return WN_OK;
}

static int qualifies(const struct extract_templates *t, const struct host *h,
                     const struct block *b)
{
  return b->pages >= t->min_pages &&
         (double)b->pages >= t->min_share * (double)h->pages;
}

static void mark_locked(struct extract_templates *t, struct page *p)
{
  struct host *h;
  uint32_t k;
  int cached;

  if (!t || !p->host)
    return;
  h = host_find(t, p->host, 0);
  if (!h || h->pages < t->min_pages)
    return;
  cached = p->tpl_serial && p->tpl_serial == t->serial && t->cache_host == h &&
           t->cache_n == p->runs->n;
  for (k = 0; k < p->runs->n; k++) {
    struct run *r = &p->runs->v[k];
    unsigned words;
    uint64_t fp;
    struct block *b;

    if (cached) {
      b = t->cache[k] < h->n ? &h->blocks[t->cache[k]] : NULL;
    } else {
      if (r->n_words < MIN_WORDS)
        continue;
      fp = skeleton_hash(p->text->data + r->off, r->len, &words);
      if (words < MIN_WORDS)
        continue;
      b = block_find(h, fp, words);
    }
    if (b && qualifies(t, h, b))
      r->flags |= RF_TEMPLATE;
  }
}

static void each_locked(const struct extract_templates *t, const char *host,
                        extract_template_cb cb, void *ud)
{
  struct host *h;
  uint32_t k;

  if (!t || !host)
    return;
  h = host_find((struct extract_templates *)t, host, 0);
  if (!h)
    return;
  for (k = 0; k < h->n; k++)
    if (qualifies(t, h, &h->blocks[k]) && h->blocks[k].sample)
      cb(ud, h->blocks[k].sample, h->blocks[k].pages);
}

wn_result extract_templates_count(struct extract_templates *t, struct page *p)
{
  wn_result rc;

  if (!t)
    return WN_OK;
  pthread_mutex_lock(&t->lock);
  rc = count_locked(t, p);
  pthread_mutex_unlock(&t->lock);
  return rc;
}

wn_result extract_templates_save(const struct extract_templates *t,
                                 const char *host, struct wn_buf *out)
{
  struct extract_templates *w = (struct extract_templates *)t;
  wn_result rc;

  if (!t)
    return WN_OK;
  pthread_mutex_lock(&w->lock);
  rc = save_locked(t, host, out);
  pthread_mutex_unlock(&w->lock);
  return rc;
}

wn_result extract_templates_load(struct extract_templates *t, const char *host,
                                 const char *blob, size_t len)
{
  wn_result rc;

  if (!t || !host || !blob)
    return WN_E_INVALID;
  pthread_mutex_lock(&t->lock);
  rc = load_locked(t, host, blob, len);
  pthread_mutex_unlock(&t->lock);
  return rc;
}

void extract_templates_mark(struct page *p)
{
  struct extract_templates *t = (struct extract_templates *)p->templates;

  if (!t)
    return;
  pthread_mutex_lock(&t->lock);
  mark_locked(t, p);
  pthread_mutex_unlock(&t->lock);
}

void extract_templates_each(const struct extract_templates *t, const char *host,
                            extract_template_cb cb, void *ud)
{
  struct extract_templates *w = (struct extract_templates *)t;

  if (!t)
    return;
  pthread_mutex_lock(&w->lock);
  each_locked(t, host, cb, ud);
  pthread_mutex_unlock(&w->lock);
}

/* Backward-shift deletion of slot i of the linear-probing table. */
static void table_remove(struct extract_templates *t, size_t i)
{
  size_t mask = t->cap_hosts - 1, j = i;

  for (;;) {
    size_t home;

    j = (j + 1) & mask;
    if (!t->hosts[j].name)
      break;
    home = hash_str(t->hosts[j].name) & mask;
    /* j's entry may move to i when its home is not in (i, j] */
    if ((i <= j) ? (home <= i || home > j) : (home <= i && home > j)) {
      t->hosts[i] = t->hosts[j];
      i = j;
    }
  }
  memset(&t->hosts[i], 0, sizeof(t->hosts[i]));
  t->n_hosts--;
}

void extract_templates_forget(struct extract_templates *t, const char *host)
{
  struct host *h;
  uint32_t b;

  if (!t || !host)
    return;
  pthread_mutex_lock(&t->lock);
  h = host_find(t, host, 0);
  if (h) {
    for (b = 0; b < h->n; b++)
      free(h->blocks[b].sample);
    free(h->blocks);
    free(h->fps);
    free(h->name);
    if (t->cache_host == h)
      t->cache_host = NULL;
    table_remove(t, (size_t)(h - t->hosts));
    t->serial++; /* no cached search survives a move */
  }
  pthread_mutex_unlock(&t->lock);
}

int extract_templates_known(const struct extract_templates *t, const char *host)
{
  struct extract_templates *w = (struct extract_templates *)t;
  int known;

  if (!t || !host)
    return 0;
  pthread_mutex_lock(&w->lock);
  known = host_find(w, host, 0) != NULL;
  pthread_mutex_unlock(&w->lock);
  return known;
}
