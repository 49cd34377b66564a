/* Rules selectors (rules/rules.h) matched against the flat DOM.
 *
 * A complex selector "p0 c0 p1 c1 ... pn" is a chain: bit k of a state
 * says "parts 0..k can be matched with part k on this element". Bottom-up
 * (one element, extract_select_match) the chain is checked right to left
 * along the ancestors; top-down (extract_select_all) each element's state
 * comes from its parent's. Either way every compound is tested at most
 * once per element and part: O(depth x parts), never backtracking. */
#include "extract/extract_int.h"

#include <gumbo.h>

#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* Bits of a part mask: parts are capped at RULES_MAX_PARTS (32). */
#define PART_BIT(k) ((uint32_t)1 << (k))

/* HTML's ASCII whitespace, which separates class names and ~= words. */
static int is_html_ws(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* 1 when word (non-empty, no whitespace) is one of the whitespace-separated
 * words of list. */
static int has_word(const char *list, const char *word)
{
  size_t n = strlen(word), k;

  if (n == 0)
    return 0;
  for (k = 0; k < n; k++)
    if (is_html_ws(word[k]))
      return 0;
  while (*list) {
    const char *w;

    while (is_html_ws(*list))
      list++;
    w = list;
    while (*list && !is_html_ws(*list))
      list++;
    if ((size_t)(list - w) == n && memcmp(w, word, n) == 0)
      return 1;
  }
  return 0;
}

static int attr_match(const struct dom *d, uint32_t i,
                      const struct rules_attr_test *t)
{
  const char *v = dom_attr(d, i, t->name);
  size_t vn, n;

  if (!v)
    return 0;
  if (t->op == RULES_ATTR_EXISTS)
    return 1;
  if (!t->value)
    return 0;
  /* As in CSS, an empty value matches nothing except with '='. */
  n = strlen(t->value);
  switch (t->op) {
  case RULES_ATTR_EQ:
    return strcmp(v, t->value) == 0;
  case RULES_ATTR_CONTAINS:
    return n > 0 && strstr(v, t->value) != NULL;
  case RULES_ATTR_PREFIX:
    return n > 0 && strncmp(v, t->value, n) == 0;
  case RULES_ATTR_SUFFIX:
    vn = strlen(v);
    return n > 0 && vn >= n && memcmp(v + vn - n, t->value, n) == 0;
  case RULES_ATTR_WORD:
    return has_word(v, t->value);
  default: /* RULES_ATTR_EXISTS was answered above */
    return 0;
  }
}

/* 1 when element i passes every test of c. */
/* Does element i have the (lower-case) tag name? Known tags compare
 * with Gumbo's own name, without a copy. */
static int tag_is(const struct dom *d, uint32_t i, const char *tag)
{
  char buf[32];

  if (d->nodes[i].tag != GUMBO_TAG_UNKNOWN)
    return strcmp(gumbo_normalized_tagname((GumboTag)d->nodes[i].tag), tag) ==
           0;
  return strcmp(dom_tag_name(d, i, buf), tag) == 0;
}

static int compound_match(const struct dom *d, uint32_t i,
                          const struct rules_compound *c)
{
  size_t k;

  if (d->nodes[i].type != XN_ELEMENT)
    return 0;
  /* id and class first: cached on the node, and they reject most
   * elements at once */
  if (c->id) {
    const char *v = d->nodes[i].id;

    if (!v || strcmp(v, c->id) != 0)
      return 0;
  }
  if (c->n_classes) {
    const char *v = d->nodes[i].cls;

    if (!v || (d->nodes[i].class_bits & c->class_bits) != c->class_bits)
      return 0;
    for (k = 0; k < c->n_classes; k++)
      if (!has_word(v, c->classes[k]))
        return 0;
  }
  if (c->tag && !tag_is(d, i, c->tag))
    return 0;
  for (k = 0; k < c->n_attrs; k++)
    if (!attr_match(d, i, &c->attrs[k]))
      return 0;
  /* The parser forbids :not() inside :not(), so this recursion is one
   * level deep. */
  for (k = 0; k < c->n_nots; k++)
    if (compound_match(d, i, &c->nots[k]))
      return 0;
  return 1;
}

static int complex_usable(const struct rules_complex *cx)
{
  return cx->n_parts > 0 && cx->n_parts <= 32 &&
         (cx->n_parts == 1 || cx->combs != NULL);
}

/* Right to left from element i. `at` holds the parts matched on the
 * element one level below (child combinators need exactly that one),
 * `any` those matched on it or anywhere below (descendant combinators). */
static int complex_match(const struct dom *d, uint32_t i,
                         const struct rules_complex *cx)
{
  size_t n = cx->n_parts, k;
  uint32_t at, any, child_need = 0, desc_need = 0, j = i, level;

  if (!complex_usable(cx) || !compound_match(d, i, &cx->parts[n - 1]))
    return 0;
  if (n == 1)
    return 1;
  /* Which bits of at/any let part k progress: bit k + 1. */
  for (k = 0; k + 1 < n; k++) {
    if (cx->combs[k] == RULES_COMB_CHILD)
      child_need |= PART_BIT(k + 1);
    else
      desc_need |= PART_BIT(k + 1);
  }
  at = any = PART_BIT(n - 1);
  for (level = 0; level < WN_MAX_DOM_DEPTH; level++) {
    uint32_t p = d->nodes[j].parent, now = 0;

    /* Parents precede their children; anything else is a broken tree. */
    if (p == DOM_NONE || p >= j)
      break;
    for (k = 0; k + 1 < n; k++) {
      uint32_t need = cx->combs[k] == RULES_COMB_CHILD ? at : any;

      if ((need & PART_BIT(k + 1)) && compound_match(d, p, &cx->parts[k]))
        now |= PART_BIT(k);
    }
    if (now & 1)
      return 1;
    at = now;
    any |= now;
    if (!(at & child_need) && !(any & desc_need))
      return 0; /* no part can match any higher */
    j = p;
  }
  return 0;
}

int extract_select_match(const struct dom *d, uint32_t i,
                         const struct rules_selector *sel)
{
  size_t a;

  if (!d || !sel || i >= d->n || d->nodes[i].type != XN_ELEMENT)
    return 0;
  for (a = 0; a < sel->n_alts; a++)
    if (complex_match(d, i, &sel->alts[a]))
      return 1;
  return 0;
}

/* ---- top-down --------------------------------------------------------- */

/* The open elements above the current node, each with its state: per
 * alternative a, st[a] = parts matched on the element itself ("at"),
 * st[n_alts + a] = parts matched on it or an ancestor ("any"). */
struct walk {
  uint32_t *idx;
  uint32_t *st; /* stride 2 * n_alts words per entry */
  size_t n, cap, stride;
};

static int walk_reserve(struct walk *w, size_t need)
{
  size_t cap = w->cap ? w->cap : 64;
  uint32_t *idx, *st;

  if (need <= w->cap)
    return 1;
  while (cap < need)
    cap *= 2;
  idx = realloc(w->idx, cap * sizeof(*idx));
  if (!idx)
    return 0;
  w->idx = idx;
  st = realloc(w->st, cap * w->stride * sizeof(*st));
  if (!st)
    return 0;
  w->st = st;
  w->cap = cap;
  return 1;
}

/* State of element x from its parent's (ps, NULL at the top) into st.
 * Returns 1 when x matches one of the alternatives. */
static int node_state(const struct dom *d, uint32_t x,
                      const struct rules_selector *sel, const uint32_t *ps,
                      uint32_t *st)
{
  size_t na = sel->n_alts, a, k;
  int hit = 0;

  for (a = 0; a < na; a++) {
    const struct rules_complex *cx = &sel->alts[a];
    uint32_t pat = ps ? ps[a] : 0, pany = ps ? ps[na + a] : 0, at = 0;

    if (complex_usable(cx)) {
      for (k = 0; k < cx->n_parts; k++) {
        if (k > 0) {
          uint32_t need = cx->combs[k - 1] == RULES_COMB_CHILD ? pat : pany;

          if (!(need & PART_BIT(k - 1)))
            continue;
        }
        if (compound_match(d, x, &cx->parts[k]))
          at |= PART_BIT(k);
      }
      if (at & PART_BIT(cx->n_parts - 1))
        hit = 1;
    }
    st[a] = at;
    st[na + a] = pany | at;
  }
  return hit;
}

/* Push the ancestors of `from`, outermost first, with their states. */
static int walk_seed(struct walk *w, const struct dom *d, uint32_t from,
                     const struct rules_selector *sel)
{
  size_t m = 0, k;
  uint32_t u;

  for (u = d->nodes[from].parent; u != DOM_NONE && u < d->n;
       u = d->nodes[u].parent) {
    m++;
    if (d->nodes[u].parent != DOM_NONE && d->nodes[u].parent >= u)
      break;
  }
  if (!walk_reserve(w, m + 1))
    return 0;
  k = m;
  for (u = d->nodes[from].parent; k > 0; u = d->nodes[u].parent)
    w->idx[--k] = u;
  for (k = 0; k < m; k++)
    node_state(d, w->idx[k], sel, k ? w->st + (k - 1) * w->stride : NULL,
               w->st + k * w->stride);
  w->n = m;
  return 1;
}

/* Top-down: each element once, whatever the depth. 0 when memory ran
 * out (the caller falls back to matching element by element). */
static int select_top_down(const struct dom *d, uint32_t from, uint32_t to,
                           const struct rules_selector *sel, int skip_dropped,
                           uint32_t *out, size_t max, size_t *n_out)
{
  struct walk w;
  size_t count = 0;
  uint32_t x;
  int ok = 0;

  memset(&w, 0, sizeof(w));
  w.stride = 2 * sel->n_alts;
  if (!walk_seed(&w, d, from, sel))
    goto out;
  for (x = from; x < to && count < max; x++) {
    const struct xnode *node = &d->nodes[x];
    const uint32_t *ps = NULL;
    int hit;

    if (skip_dropped && (node->flags & XF_DROP)) {
      if (node->end > x + 1)
        x = node->end - 1;
      continue;
    }
    if (node->type != XN_ELEMENT)
      continue;
    while (w.n && d->nodes[w.idx[w.n - 1]].end <= x)
      w.n--;
    if (!w.n || w.idx[w.n - 1] != node->parent) {
      if (node->parent != DOM_NONE) {
        /* Not a well-formed pre-order tree: judge x on its own and keep
         * its subtree from inheriting a wrong state. */
        if (extract_select_match(d, x, sel))
          out[count++] = x;
        continue;
      }
    }
    /* Reserve first: it may move the states. */
    if (!walk_reserve(&w, w.n + 1))
      goto out;
    if (w.n && w.idx[w.n - 1] == node->parent)
      ps = w.st + (w.n - 1) * w.stride;
    hit = node_state(d, x, sel, ps, w.st + w.n * w.stride);
    w.idx[w.n++] = x;
    if (hit)
      out[count++] = x;
  }
  *n_out = count;
  ok = 1;
out:
  free(w.idx);
  free(w.st);
  return ok;
}

void extract_select_all(const struct dom *d, uint32_t from, uint32_t to,
                        const struct rules_selector *sel, int skip_dropped,
                        uint32_t *out, size_t max, size_t *n_out)
{
  size_t count = 0;
  uint32_t x;

  if (!n_out)
    return;
  *n_out = 0;
  if (!d || !sel || !out || max == 0 || sel->n_alts == 0)
    return;
  if (to > d->n)
    to = d->n;
  if (from >= to)
    return;
  if (select_top_down(d, from, to, sel, skip_dropped, out, max, n_out))
    return;
  /* Out of memory for the walk: element by element (bounded per element
   * by the ancestor cap of extract_select_match). */
  for (x = from; x < to && count < max; x++) {
    const struct xnode *node = &d->nodes[x];

    if (skip_dropped && (node->flags & XF_DROP)) {
      if (node->end > x + 1)
        x = node->end - 1;
      continue;
    }
    if (extract_select_match(d, x, sel))
      out[count++] = x;
  }
  *n_out = count;
}

wn_result extract_select_value(const struct dom *d, uint32_t i,
                               const struct rules_selector *sel,
                               struct wn_buf *out)
{
  if (!d || !sel || !out || i >= d->n || d->nodes[i].type != XN_ELEMENT)
    return WN_E_INVALID;
  if (sel->attr) {
    const char *v = dom_attr(d, i, sel->attr);

    /* A missing attribute gives an empty value, like an empty one. */
    return v ? wn_buf_adds(out, v) : WN_OK;
  }
  return extract_text_of(d, i, d->nodes[i].end, out);
}
