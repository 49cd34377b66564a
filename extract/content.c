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
#include <string.h>

/* Runs that can never be body: boilerplate-hinted regions, related
 * blocks, learned templates. */
#define RF_OUT (RF_NEG | RF_RELATED | RF_TEMPLATE)

/* Weight of bad text against good text when scoring a container. */
#define ALPHA 1.0f
/* A hinted-boilerplate element that holds this share of the page's good
 * text is a wrapper with an unlucky class name, not boilerplate. */
#define CANCEL_SHARE 0.5f
#define CANCEL_MIN 300.0f
/* A child holding this share of its parent's good text is the tighter
 * container. */
#define TIGHT_SHARE 0.85f

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

static int run_is_heading(const struct dom *d, const struct run *r)
{
  uint32_t o = r->owner;
  int k;

  for (k = 0; k < 3 && o != DOM_NONE; k++) {
    if (dom_is_heading(d->nodes[o].tag))
      return 1;
    o = d->nodes[o].parent;
  }
  return 0;
}

/* Do runs j < k share a small element (a teaser card) that holds at
 * most six runs? */
static int same_card(const struct page *p, uint32_t j, uint32_t k)
{
  const struct dom *d = &p->dom;
  const struct run *v = p->runs->v;
  uint32_t a = v[j].owner, b = v[k].owner, end, i, runs = 0;
  int steps = 0;

  if (a == DOM_NONE || b == DOM_NONE)
    return 0;
  /* the lowest ancestor of a that also holds b */
  while (a != DOM_NONE && !(b >= a && b < d->nodes[a].end) && steps++ < 8)
    a = d->nodes[a].parent;
  if (a == DOM_NONE || a == p->root || !(b >= a && b < d->nodes[a].end))
    return 0;
  end = d->nodes[a].end;
  for (i = j; i-- > 0 && v[i].owner >= a && v[i].owner < end;)
    if (++runs > 6)
      return 0;
  for (i = j; i < p->runs->n && v[i].owner >= a && v[i].owner < end; i++)
    if (++runs > 6)
      return 0;
  return 1;
}

/* Teasers of a listing: a short summary right after a linked headline
 * (at most two short runs, an author, a date or a category, in between). Three
 * or more on a page make them a list of other articles, whether the page is a
 * home page or an article followed by "more stories": their text is not article
 * text. Marks them RF_TEASER and demotes them. */
static void find_teasers(struct page *p, uint8_t *q)
{
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, k, j, count = 0;
  int pass;

  for (pass = 0; pass < 2; pass++) {
    for (k = 1; k < n; k++) {
      struct run *r = &v[k];
      int found = 0;

      if ((q[k] != Q_GOOD && q[k] != Q_NEAR) || r->chars >= 400 ||
          run_is_heading(&p->dom, r))
        continue;
      for (j = k; j-- > 0 && k - j <= 3;) {
        const struct run *h = &v[j];
        if (link_density(h) >= 0.8f && h->n_words >= 3 &&
            run_is_heading(&p->dom, h)) {
          found = 1;
          break;
        }
        if (q[j] != Q_SHORT && q[j] != Q_BAD)
          break;
      }
      if (!found || !same_card(p, j, k))
        continue;
      if (pass == 0)
        count++;
      else {
        r->flags |= RF_TEASER;
        q[k] = Q_SHORT;
      }
    }
    if (count < 3)
      return;
  }
}

/* Which per-run value sum_tree adds up. */
enum measure {
  M_GOOD_ALL, /* good text, hints ignored */
  M_GOOD,     /* good text outside boilerplate-hinted regions */
  M_BAD       /* link lists, short lines and hinted regions */
};

static float run_measure(const struct run *r, int q, enum measure m)
{
  switch (m) {
  case M_GOOD_ALL:
    return good_value(r, q);
  case M_GOOD:
    return (r->flags & RF_NEG) ? 0.0f : good_value(r, q);
  case M_BAD:
  default:
    return (r->flags & RF_NEG) ? (float)r->chars : bad_value(r, q);
  }
}

/* acc[i] = the measure summed over the runs of i's subtree: each run adds
 * to its owner, then one backwards pass adds every node to its parent. */
static void sum_tree(struct page *p, float *acc, const uint8_t *q,
                     enum measure m)
{
  struct dom *d = &p->dom;
  uint32_t root = p->root, end = d->nodes[root].end, i, k;

  for (i = root; i < end; i++)
    acc[i] = 0.0f;
  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];

    if (r->owner != DOM_NONE && r->owner >= root && r->owner < end)
      acc[r->owner] += run_measure(r, q[k], m);
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

  /* The page's own classes (<body class="... has-comments ...">) are
   * flags about the page, not about a region of it. */
  d->nodes[root].hint = 0;
  /* Comment threads can hold more prose than the article: measure shares
   * against the rest of the page. */
  for (i = root + 1; i < end; i++) {
    const struct xnode *x = &d->nodes[i];

    if (x->type == XN_ELEMENT && x->hint < 0 &&
        HINT_KIND(x->hint) == EXTRACT_BP_COMMENTS) {
      total -= good0[i];
      i = x->end - 1;
    }
  }
  for (i = root; i < end; i++) {
    struct xnode *x = &d->nodes[i];
    uint32_t par = x->parent;
    uint8_t inherited = (i == root || par == DOM_NONE) ? 0 : p->negkind[par];

    if (x->type == XN_ELEMENT && x->hint < 0 && !(x->flags & XF_RULE) &&
        HINT_KIND(x->hint) != EXTRACT_BP_COMMENTS && good0[i] >= CANCEL_MIN &&
        good0[i] >= CANCEL_SHARE * total)
      x->hint = 0;
    if (x->type == XN_ELEMENT && x->hint < 0)
      p->negkind[i] = (uint8_t)(1 + HINT_KIND(x->hint));
    else
      p->negkind[i] = inherited;
  }
}

/* Compare two texts ignoring case (ASCII), spaces and punctuation. */
static int same_words(const char *a, size_t alen, const char *b, size_t blen)
{
  size_t i = 0, j = 0;

  for (;;) {
    while (i < alen &&
           !((unsigned char)a[i] >= 0x80 || (a[i] >= '0' && a[i] <= '9') ||
             wn_ascii_tolower((unsigned char)a[i]) >= 'a'))
      i++;
    while (j < blen &&
           !((unsigned char)b[j] >= 0x80 || (b[j] >= '0' && b[j] <= '9') ||
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
  size_t k;

  if (r->owner == DOM_NONE)
    return 0;
  /* A site's body selector names the article's element(s) itself. */
  if (p->n_bodies) {
    for (k = 0; k < p->n_bodies; k++)
      if (r->owner >= p->bodies[k] && r->owner < p->dom.nodes[p->bodies[k]].end)
        return 1;
    return 0;
  }
  return c != DOM_NONE && r->owner >= c && r->owner < p->dom.nodes[c].end;
}

/* Nearest decided neighbours of runs [a, b) inside the container:
 * whether the run before is kept and the run after is good. Short runs
 * that are not kept do not count as neighbours. */
static void context(const struct page *p, const uint8_t *q, uint32_t a,
                    uint32_t b, int *prev_good, int *next_good)
{
  const struct run *v = p->runs->v;
  uint32_t n = p->runs->n, j;

  *prev_good = *next_good = 0;
  for (j = a; j-- > 0;) {
    if (!in_container(p, &v[j]))
      break;
    if (v[j].flags & RF_OUT)
      continue;
    if (q[j] == Q_SHORT && !(v[j].flags & RF_KEEP))
      continue;
    *prev_good = (v[j].flags & RF_KEEP) != 0;
    break;
  }
  for (j = b; j < n; j++) {
    if (!in_container(p, &v[j]))
      break;
    if (v[j].flags & RF_OUT)
      continue;
    if (q[j] == Q_SHORT && !(v[j].flags & RF_KEEP))
      continue;
    *next_good = q[j] == Q_GOOD || (v[j].flags & RF_KEEP);
    break;
  }
}

/* Lists and data tables are judged whole: their items are short, but a
 * list of ingredients or a table of figures inside the article is body
 * when it is not made of links. Returns the end of the unit at k. */
static uint32_t judge_unit(struct page *p, const uint8_t *q, uint32_t k)
{
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, j, chars = 0, links = 0;
  struct shape s, t;
  int bad = 0, prev_good, next_good;

  extract_shape_of(p, &v[k], &s);
  if (s.type != EXTRACT_BLOCK_LIST && s.type != EXTRACT_BLOCK_TABLE)
    return k + 1;
  for (j = k; j < n && in_container(p, &v[j]); j++) {
    extract_shape_of(p, &v[j], &t);
    if (t.group != s.group)
      break;
    if (v[j].flags & RF_OUT)
      bad = 1;
    chars += v[j].chars;
    links += v[j].link_chars;
  }
  if (bad || chars == 0 || (float)links / (float)chars >= 0.4f)
    return j;
  context(p, q, k, j, &prev_good, &next_good);
  if (prev_good || next_good) {
    uint32_t i;
    for (i = k; i < j; i++)
      if (q[i] != Q_BAD)
        v[i].flags |= RF_KEEP;
  }
  return j;
}

/* A short line that is a date ("Updated Nov. 19, 2019 8:21 am ET",
 * "07/11/2024 10h20"), not a sentence that mentions one. */
static int is_dateline(const char *t, size_t len, char iso[32])
{
  size_t i, words = 0;

  if (len == 0 || len > 120 || t[len - 1] == '.')
    return 0;
  for (i = 0; i < len; i++)
    if (t[i] == ' ' && ++words > 14)
      return 0;
  return extract_date_normalize(t, len, iso);
}

/* Look at each line of run k for a byline or a date line: they fill the
 * author and date when the metadata lacks them. Returns 1 when every line
 * of the run is one of the two. */
static int scan_meta_lines(struct page *p, uint32_t k, int fill)
{
  const struct run *r = &p->runs->v[k];
  const char *t = p->text->data + r->off, *line = t, *end = t + r->len;
  int lines = 0, meta = 0;

  while (line < end) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t len = nl ? (size_t)(nl - line) : (size_t)(end - line);
    size_t pre = extract_byline_prefix(line, len);
    char iso[32];

    lines++;
    if (pre) {
      size_t e = pre;
      /* the name ends at a separator: "By Jane Doe, Reuters | 5 min" */
      while (e < len && line[e] != ',' && line[e] != '|' &&
             !(line[e] == ' ' && e + 1 < len &&
               (line[e + 1] == '-' || (unsigned char)line[e + 1] == 0xC2 ||
                (unsigned char)line[e + 1] == 0xE2)))
        e++;
      while (e > pre && line[e - 1] == ' ')
        e--;
      if (fill && !p->byline_author && e > pre)
        p->byline_author = wn_arena_strndup(p->arena, line + pre, e - pre);
      meta++;
    } else if (is_dateline(line, len, iso)) {
      if (fill && !p->dateline)
        p->dateline = wn_arena_strdup(p->arena, iso);
      meta++;
    }
    line = nl ? nl + 1 : end;
  }
  return lines > 0 && meta == lines;
}

/* Bylines and datelines are metadata: they leave the body, and fill the
 * author and date when the page's metadata lacks them. The article's
 * header usually stands just before the container, so the few runs
 * before it are read too. */
static void take_bylines(struct page *p, const uint8_t *q)
{
  struct run *v = p->runs->v;
  uint32_t k, first = p->runs->n, start, first_good = UINT32_MAX, last_good = 0;

  for (k = 0; k < p->runs->n; k++)
    if (in_container(p, &v[k])) {
      if (first == p->runs->n)
        first = k;
      if (q[k] == Q_GOOD && !(v[k].flags & RF_OUT)) {
        if (first_good == UINT32_MAX)
          first_good = k;
        last_good = k;
      }
    }
  if (first == p->runs->n)
    return;
  start = first > 12 ? first - 12 : 0;
  for (k = start; k < p->runs->n; k++) {
    struct run *r = &v[k];

    if (k >= first && !in_container(p, r))
      break;
    if (r->chars > 400 || (r->flags & (RF_RELATED | RF_HEADING)))
      continue;
    /* Only the article's head and tail tell who wrote it and when; a date
     * in a table cell of the body does not. */
    if (scan_meta_lines(p, k, k < first_good || k > last_good) &&
        in_container(p, r) && q[k] != Q_GOOD) {
      r->flags &= (uint16_t)~RF_KEEP;
      r->flags |= RF_META;
    }
  }
}

/* Decide, inside the container, which runs are body. */
static void classify(struct page *p, const uint8_t *q)
{
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, k;
  const char *text = p->text->data;

  for (k = 0; k < n; k++) {
    struct run *r = &v[k];

    r->flags &= (uint16_t)~RF_KEEP;
    if (run_is_heading(&p->dom, r))
      r->flags |= RF_HEADING;
    if (!in_container(p, r) || (r->flags & RF_OUT))
      continue;
    if (q[k] == Q_GOOD)
      r->flags |= RF_KEEP;
  }
  for (k = 0; k < n;) {
    if (!in_container(p, &v[k]) || (v[k].flags & RF_OUT)) {
      k++;
      continue;
    }
    k = judge_unit(p, q, k);
  }
  take_bylines(p, q);
  /* Borderline runs: kept when good text surrounds them (headings: when
   * good text follows). */
  for (k = 0; k < n; k++) {
    struct run *r = &v[k];
    int prev_good, next_good;

    if (!in_container(p, r) ||
        (r->flags & (RF_OUT | RF_KEEP | RF_META | RF_TEASER)) || q[k] == Q_BAD)
      continue;
    context(p, q, k, k + 1, &prev_good, &next_good);
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
  /* A site's body selector says where the article is: all of it is body
   * but for link lists, boilerplate, bylines and teasers. */
  if (p->n_bodies)
    for (k = 0; k < n; k++)
      if (in_container(p, &v[k]) && q[k] != Q_BAD &&
          !(v[k].flags & (RF_OUT | RF_META | RF_TEASER)))
        v[k].flags |= RF_KEEP;
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
    int generic_region;

    if (r->flags & (RF_KEEP | RF_RULEKIND))
      continue;
    if (r->flags & RF_RELATED) {
      r->kind = EXTRACT_BP_RELATED;
      continue;
    }
    nk = r->owner != DOM_NONE ? p->negkind[r->owner] : 0;
    if (!nk && r->last < p->dom.n)
      nk = p->negkind[r->last];
    generic_region =
        !nk || nk - 1 == EXTRACT_BP_OTHER || nk - 1 == EXTRACT_BP_ADVERTISING ||
        nk - 1 == EXTRACT_BP_NAVIGATION || nk - 1 == EXTRACT_BP_FOOTER;
    /* A block learned as the site's template, unless its region already
     * names it (a footer, a menu, an ad). */
    if ((r->flags & RF_TEMPLATE) && (!nk || nk - 1 == EXTRACT_BP_OTHER)) {
      r->kind = EXTRACT_BP_TEMPLATE;
      continue;
    }
    /* What the text says beats a generic region kind: a cookie notice
     * inside a dialog or a banner is a cookie notice. Link text names a
     * page and says nothing ("Cookies" in a row of footer links). */
    tk = link_density(r) > 0.5f ? EXTRACT_BP__COUNT : extract_rules_label(p, r);
    if (tk != EXTRACT_BP__COUNT && generic_region) {
      r->kind = (uint8_t)tk;
      continue;
    }
    if (nk) {
      r->kind = (uint8_t)(nk - 1);
      continue;
    }
    if (q[k] == Q_BAD && !in_container(p, r))
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
  find_teasers(p, q);

  /* Hint-free sums first, to tell boilerplate from unlucky wrappers. */
  sum_tree(p, p->good, q, M_GOOD_ALL);
  resolve_hints(p, p->good);
  for (k = 0; k < p->runs->n; k++) {
    struct run *r = &p->runs->v[k];
    uint8_t nk = r->owner != DOM_NONE ? p->negkind[r->owner] : 0;

    if (!nk && r->last < d->n)
      nk = p->negkind[r->last];
    if (nk)
      r->flags |= RF_NEG;
  }
  sum_tree(p, p->good, q, M_GOOD);
  sum_tree(p, p->bad, q, M_BAD);

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
  /* A site's body selector wins; the container is then the element
   * holding all its matches (for block shapes). */
  if (p->n_bodies) {
    uint32_t c = p->bodies[0];
    size_t b;

    for (b = 1; b < p->n_bodies; b++)
      while (c != DOM_NONE &&
             !(p->bodies[b] >= c && p->bodies[b] < d->nodes[c].end))
        c = d->nodes[c].parent;
    p->container = c != DOM_NONE ? c : p->root;
    p->quality = q;
    return WN_OK;
  }
  /* Prefer the tighter element when one child holds nearly all of the
   * good text: the rest is a cookie notice or a footer blurb. */
  while (best != DOM_NONE) {
    uint32_t c, next = DOM_NONE, e = d->nodes[best].end;

    for (c = best + 1; c < e; c = d->nodes[c].end)
      if (d->nodes[c].type == XN_ELEMENT &&
          p->good[c] >= TIGHT_SHARE * p->good[best])
        next = c;
    if (next == DOM_NONE)
      break;
    best = next;
  }
  if (best != DOM_NONE && p->good[best] >= 40.0f)
    p->container = best;

  p->quality = q;
  return WN_OK;
}

/* The innermost boilerplate-hinted element around run r, or DOM_NONE. */
static uint32_t hinted_region(const struct page *p, const struct run *r)
{
  uint32_t o = r->owner;
  int steps = 0;

  for (; o != DOM_NONE && steps < 64; o = p->dom.nodes[o].parent, steps++)
    if (p->dom.nodes[o].hint < 0)
      return o;
  return DOM_NONE;
}

/* A consent dialog's buttons and links are part of the cookie notice:
 * a generic region holding a run that reads as a cookie notice is a
 * cookie region throughout. */
static void spread_cookie_kind(struct page *p)
{
  struct run *v = p->runs->v;
  const struct dom *d = &p->dom;
  uint32_t k, j;

  for (k = 0; k < p->runs->n; k++) {
    uint32_t e;

    /* only a notice spreads its kind, not a "Cookie settings" button */
    if (v[k].kind != EXTRACT_BP_COOKIE || (v[k].flags & RF_KEEP) ||
        v[k].n_words < 5)
      continue;
    e = hinted_region(p, &v[k]);
    if (e == DOM_NONE)
      continue;
    for (j = k; j-- > 0 && v[j].owner >= e && v[j].owner < d->nodes[e].end;)
      if (!(v[j].flags & RF_KEEP))
        v[j].kind = EXTRACT_BP_COOKIE;
    for (j = k + 1;
         j < p->runs->n && v[j].owner >= e && v[j].owner < d->nodes[e].end; j++)
      if (!(v[j].flags & RF_KEEP))
        v[j].kind = EXTRACT_BP_COOKIE;
  }
}

void extract_content_classify(struct page *p)
{
  if (!p->quality)
    return;
  classify(p, p->quality);
  extract_rules_text(p);
  assign_kinds(p, p->quality);
  spread_cookie_kind(p);
}
