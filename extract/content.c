/* Choosing the article container and classifying runs.
 *
 * Each run gets a quality from its own counts (jusText's idea: length,
 * link density, stopword density). Good text and bad text are summed per
 * element; the container is the element with the most good text net of
 * bad text (boilerpipe's and Readability's idea of a dense block), after
 * class/id hints have marked boilerplate regions. Inside the container,
 * short and borderline runs are kept or dropped by their neighbours. */
#include "extract/extract_int.h"

#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

/* Weight of bad text against good text when scoring a container. */
static float ALPHA = 1.0f;
/* A hinted-boilerplate element that holds this share of the page's good
 * text is a wrapper with an unlucky class name, not boilerplate. */
#define CANCEL_SHARE 0.5f

static float link_density(const struct run *r)
{
  return r->chars ? (float)r->link_chars / (float)r->chars : 0.0f;
}

static int run_quality(const struct run *r)
{
  float ld = link_density(r), sd;

  if (ld > 0.5f)
    return Q_BAD;
  if (r->chars < 25)
    return Q_SHORT;
  sd = r->n_words ? (float)r->n_stop / (float)r->n_words : 0.0f;
  if (r->n_words < 4) /* scripts without spaces, or long tokens */
    return r->n_punct ? Q_GOOD : Q_NEAR;
  if (ld < 0.35f && r->n_words >= 8 && (sd >= 0.15f || r->n_punct >= 2))
    return Q_GOOD;
  if (ld < 0.35f && r->chars >= 150)
    return Q_GOOD;
  return Q_NEAR;
}

static float good_value(const struct run *r, int q)
{
  float v = (float)r->chars * (1.0f - link_density(r));

  if (q == Q_GOOD)
    return v;
  if (q == Q_NEAR)
    return 0.3f * v;
  return 0.0f;
}

static float bad_value(const struct run *r, int q)
{
  if (q == Q_BAD)
    return (float)r->chars;
  if (q == Q_SHORT)
    return 0.5f * (float)r->chars;
  return 0.0f;
}

/* Sum per-run values into their owners, then into every ancestor. */
static void sum_up(struct page *p, float *acc, const uint8_t *q, int use_neg)
{
  struct dom *d = &p->dom;
  uint32_t root = p->root, end = d->nodes[root].end, i, k;

  for (i = root; i < end; i++)
    acc[i] = 0.0f;
  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];

    if (r->owner == DOM_NONE || r->owner < root || r->owner >= end)
      continue;
    if (use_neg && (r->flags & RF_NEG))
      continue;
    acc[r->owner] += good_value(r, q[k]);
  }
  for (i = end - 1; i > root; i--)
    if (d->nodes[i].parent != DOM_NONE)
      acc[d->nodes[i].parent] += acc[i];
}

static void sum_bad(struct page *p, float *acc, const uint8_t *q)
{
  struct dom *d = &p->dom;
  uint32_t root = p->root, end = d->nodes[root].end, i, k;

  for (i = root; i < end; i++)
    acc[i] = 0.0f;
  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];

    if (r->owner == DOM_NONE || r->owner < root || r->owner >= end)
      continue;
    acc[r->owner] +=
        (r->flags & RF_NEG) ? (float)r->chars : bad_value(r, q[k]);
  }
  for (i = end - 1; i > root; i--)
    if (d->nodes[i].parent != DOM_NONE)
      acc[d->nodes[i].parent] += acc[i];
}

/* Cancel boilerplate hints on elements that hold most of the page's good
 * text, then give every node the kind of its innermost hinted ancestor. */
static void resolve_hints(struct page *p, const float *good0)
{
  struct dom *d = &p->dom;
  uint32_t root = p->root, end = d->nodes[root].end, i;
  float total = good0[root];

  for (i = root; i < end; i++) {
    struct xnode *x = &d->nodes[i];
    uint32_t par = x->parent;
    uint8_t inherited =
        (i == root || par == DOM_NONE) ? 0 : p->negkind[par];

    if (x->type == XN_ELEMENT && x->hint < 0 &&
        HINT_KIND(x->hint) != EXTRACT_BP_COMMENTS && total > 0.0f &&
        good0[i] >= CANCEL_SHARE * total)
      x->hint = 0;
    if (x->type == XN_ELEMENT && x->hint < 0)
      p->negkind[i] = (uint8_t)(1 + HINT_KIND(x->hint));
    else
      p->negkind[i] = inherited;
  }
}

static int is_heading_tag(uint16_t t)
{
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 ||
         t == GUMBO_TAG_H4 || t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

static int run_is_heading(const struct dom *d, const struct run *r)
{
  uint32_t o = r->owner;
  int k;

  for (k = 0; k < 3 && o != DOM_NONE; k++) {
    if (is_heading_tag(d->nodes[o].tag))
      return 1;
    o = d->nodes[o].parent;
  }
  return 0;
}

/* Compare two texts ignoring case (ASCII), spaces and punctuation. */
static int same_words(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t i = 0, j = 0;

  for (;;) {
    while (i < alen && !((unsigned char)a[i] >= 0x80 ||
                         (a[i] >= '0' && a[i] <= '9') ||
                         wn_ascii_tolower((unsigned char)a[i]) >= 'a') )
      i++;
    while (j < blen && !((unsigned char)b[j] >= 0x80 ||
                         (b[j] >= '0' && b[j] <= '9') ||
                         wn_ascii_tolower((unsigned char)b[j]) >= 'a'))
      j++;
    if (i >= alen || j >= blen)
      return i >= alen && j >= blen;
    if (wn_ascii_tolower((unsigned char)a[i]) !=
        wn_ascii_tolower((unsigned char)b[j]))
      return 0;
    i++;
    j++;
  }
}

static int in_container(const struct page *p, const struct run *r)
{
  uint32_t c = p->container;

  return c != DOM_NONE && r->owner != DOM_NONE && r->owner >= c &&
         r->owner < p->dom.nodes[c].end;
}

/* Decide, inside the container, which runs are body. */
static void classify(struct page *p, const uint8_t *q)
{
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, k, j;
  const char *text = p->text->data;

  for (k = 0; k < n; k++) {
    struct run *r = &v[k];

    r->flags &= (uint16_t)~RF_KEEP;
    if (run_is_heading(&p->dom, r))
      r->flags |= RF_HEADING;
    if (!in_container(p, r) || (r->flags & (RF_NEG | RF_RELATED)))
      continue;
    if (q[k] == Q_GOOD)
      r->flags |= RF_KEEP;
  }
  /* Borderline runs: kept when good text surrounds them (headings: when
   * good text follows). */
  for (k = 0; k < n; k++) {
    struct run *r = &v[k];
    int prev_good = 0, next_good = 0;

    if (!in_container(p, r) || (r->flags & (RF_NEG | RF_RELATED | RF_KEEP)) ||
        q[k] == Q_BAD)
      continue;
    for (j = k; j-- > 0;) {
      if (!in_container(p, &v[j]))
        break;
      if (v[j].flags & (RF_NEG | RF_RELATED))
        continue;
      if (q[j] == Q_SHORT && !(v[j].flags & RF_KEEP))
        continue;
      prev_good = (v[j].flags & RF_KEEP) != 0;
      break;
    }
    for (j = k + 1; j < n; j++) {
      if (!in_container(p, &v[j]))
        break;
      if (v[j].flags & (RF_NEG | RF_RELATED))
        continue;
      if (q[j] == Q_SHORT)
        continue;
      next_good = q[j] == Q_GOOD;
      break;
    }
    if (r->flags & RF_HEADING) {
      if (next_good)
        r->flags |= RF_KEEP;
    } else if (q[k] == Q_NEAR) {
      if (prev_good || next_good)
        r->flags |= RF_KEEP;
    } else if (prev_good && next_good) {
      r->flags |= RF_KEEP;
    }
  }
  /* The title repeated in the body is metadata, not text. */
  if (p->title) {
    size_t tlen = strlen(p->title);

    for (k = 0; k < n; k++) {
      struct run *r = &v[k];

      if ((r->flags & RF_KEEP) &&
          same_words(text + r->off, r->len, p->title, tlen)) {
        r->flags &= (uint16_t)~RF_KEEP;
        break;
      }
    }
  }
}

/* Kind of a dropped run. */
static void assign_kinds(struct page *p, const uint8_t *q)
{
  struct run *v = p->runs->v;
  uint32_t k;

  for (k = 0; k < p->runs->n; k++) {
    struct run *r = &v[k];
    uint8_t nk;
    extract_boiler_kind tk;

    if (r->flags & RF_KEEP)
      continue;
    if (r->flags & RF_RELATED) {
      r->kind = EXTRACT_BP_RELATED;
      continue;
    }
    if (r->flags & RF_SEO) {
      r->kind = EXTRACT_BP_SEO;
      continue;
    }
    nk = r->owner != DOM_NONE ? p->negkind[r->owner] : 0;
    if (!nk && r->last < p->dom.n)
      nk = p->negkind[r->last];
    if (nk) {
      r->kind = (uint8_t)(nk - 1);
      continue;
    }
    tk = extract_hints_text_kind(p->text->data + r->off, r->len);
    if (tk != EXTRACT_BP__COUNT)
      r->kind = (uint8_t)tk;
    else if (q[k] == Q_BAD && !in_container(p, r))
      r->kind = EXTRACT_BP_NAVIGATION;
    else
      r->kind = EXTRACT_BP_OTHER;
  }
}

wn_result extract_content_select(struct page *p)
{
  struct dom *d = &p->dom;
  uint32_t root = p->root, end, i, k, best = DOM_NONE;
  uint8_t *q = NULL;
  float best_score = 0.0f;

  p->container = DOM_NONE;
  p->quality = NULL;
  if (getenv("WINNOW_ALPHA"))
    ALPHA = (float)atof(getenv("WINNOW_ALPHA"));
  if (root == DOM_NONE || p->runs->n == 0)
    return WN_OK;
  end = d->nodes[root].end;
  q = wn_arena_alloc(p->arena, p->runs->n ? p->runs->n : 1);
  p->negkind = wn_arena_calloc(p->arena, d->n ? d->n : 1, 1);
  p->good = wn_arena_alloc(p->arena, (size_t)(d->n ? d->n : 1) * sizeof(float));
  p->bad = wn_arena_alloc(p->arena, (size_t)(d->n ? d->n : 1) * sizeof(float));
  if (!q || !p->negkind || !p->good || !p->bad)
    return WN_E_NOMEM;
  for (k = 0; k < p->runs->n; k++)
    q[k] = (uint8_t)run_quality(&p->runs->v[k]);

  /* Hint-free sums first, to tell boilerplate from unlucky wrappers. */
  sum_up(p, p->good, q, 0);
  resolve_hints(p, p->good);
  for (k = 0; k < p->runs->n; k++) {
    struct run *r = &p->runs->v[k];
    uint8_t nk = r->owner != DOM_NONE ? p->negkind[r->owner] : 0;

    if (!nk && r->last < d->n)
      nk = p->negkind[r->last];
    if (nk)
      r->flags |= RF_NEG;
  }
  sum_up(p, p->good, q, 1);
  sum_bad(p, p->bad, q);

  for (i = root; i < end; i++) {
    const struct xnode *x = &d->nodes[i];
    float s;

    if (x->type != XN_ELEMENT || (x->flags & (XF_DROP | XF_HIDDEN)) ||
        p->good[i] <= 0.0f)
      continue;
    s = p->good[i] - ALPHA * p->bad[i];
    if (x->hint == HINT_STRONG)
      s += 0.2f * p->good[i];
    if (best == DOM_NONE || s > best_score) {
      best = i;
      best_score = s;
    }
  }
  if (best != DOM_NONE && p->good[best] >= 40.0f)
    p->container = best;

  p->quality = q;
  return WN_OK;
}

void extract_content_classify(struct page *p)
{
  if (!p->quality)
    return;
  classify(p, p->quality);
  assign_kinds(p, p->quality);
}
