/* Related-links blocks: found by marker headings in several languages
 * ("Sur le même sujet", "Read more", "Mehr zum Thema" ...), by class/id
 * hints, and by structure (a run of link-only headlines inside the
 * article). */
#include "extract/extract_int.h"
#include "rules/rules.h"

#include <gumbo.h>
#include <string.h>

/* A non-ASCII punctuation mark or symbol (n bytes at s): U+00A0-U+00BF
 * except ª and º, U+2000-U+2BFF (punctuation, arrows, shapes, dingbats). */
static int is_symbol(const unsigned char *s, size_t n)
{
  if (n == 2 && s[0] == 0xC2)
    return s[1] >= 0xA0 && s[1] != 0xAA && s[1] != 0xBA;
  return n == 3 && s[0] == 0xE2 && s[1] >= 0x80 && s[1] <= 0xAF;
}

static int is_alnum_ascii(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

/* Fold one character at s into out (ASCII lower case; Latin-1 letters
 * without accents). Returns bytes consumed; *out_len 0..2. */
static size_t fold_char(const unsigned char *s, size_t len, char out[2],
                        size_t *out_len)
{
  static const char latin1[64] = /* U+00C0..U+00FF */
      "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
      "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

  *out_len = 1;
  if (s[0] < 0x80) {
    out[0] = (char)wn_ascii_tolower(s[0]);
    return 1;
  }
  if (s[0] == 0xC3 && len >= 2 && s[1] >= 0x80 && s[1] <= 0xBF) {
    out[0] = latin1[s[1] - 0x80];
    if (s[1] == 0x9F) { /* sharp s */
      out[0] = 's';
      out[1] = 's';
      *out_len = 2;
    }
    return 2;
  }
  if (s[0] == 0xC5 && len >= 2 && (s[1] == 0x93 || s[1] == 0x92)) {
    out[0] = 'o';
    out[1] = 'e';
    *out_len = 2;
    return 2;
  }
  if (s[0] == 0xC2 && len >= 2 && s[1] == 0xA0) { /* no-break space */
    out[0] = ' ';
    return 2;
  }
  if (s[0] == 0xE2 && len >= 3 && s[1] == 0x80 &&
      (s[2] == 0x99 || s[2] == 0x98)) { /* curly apostrophes */
    out[0] = '\'';
    return 3;
  }
  /* other characters: punctuation and symbols (Latin-1 symbols, general
   * punctuation, arrows, shapes, dingbats) read as a space; anything else
   * as a letter that matches nothing */
  {
    size_t n = 1;
    while (n < len && (s[n] & 0xC0) == 0x80)
      n++;
    out[0] = is_symbol(s, n) ? ' ' : '\x01';
    return n;
  }
}

size_t extract_related_marker(const char *text, size_t len,
                              char *const *markers, size_t n_markers)
{
  const unsigned char *s = (const unsigned char *)text;
  char folded[96];
  size_t map[96]; /* folded index -> source offset after that char */
  size_t n = 0, i = 0, k, m;

  /* Skip leading punctuation and symbols (arrows, bullets, spaces). */
  while (i < len) {
    size_t step = 1;

    if (s[i] < 0x80) {
      if (is_alnum_ascii(s[i]))
        break;
    } else {
      while (i + step < len && (s[i + step] & 0xC0) == 0x80)
        step++;
      if (!is_symbol(s + i, step))
        break;
    }
    i += step;
  }
  while (i < len && n + 2 < sizeof(folded)) {
    char out[2];
    size_t ol, used = fold_char(s + i, len - i, out, &ol), t;

    i += used;
    for (t = 0; t < ol; t++) {
      folded[n] = out[t];
      map[n] = i;
      n++;
    }
  }
  for (k = 0; k < n_markers; k++) {
    m = strlen(markers[k]);
    if (m > n || memcmp(folded, markers[k], m) != 0)
      continue;
    /* The marker must end at a word boundary. */
    if (m < n &&
        ((folded[m] >= 'a' && folded[m] <= 'z') ||
         (folded[m] >= '0' && folded[m] <= '9') || folded[m] == '\x01'))
      continue;
    /* A one-word marker ("Related", "Recommended") followed by more words
     * starts a sentence ("Related to this, ..."), not a section. */
    if (!strchr(markers[k], ' ') && m + 1 < n && folded[m] == ' ' &&
        ((folded[m + 1] >= 'a' && folded[m + 1] <= 'z') ||
         folded[m + 1] == '\x01'))
      continue;
    return map[m - 1];
  }
  return 0;
}

/* ---- link collection ------------------------------------------------- */

static int skip_href(const char *h)
{
  while (wn_ascii_isspace((unsigned char)*h))
    h++;
  return *h == '\0' || *h == '#' ||
         wn_ascii_ncasecmp(h, "javascript:", 11) == 0 ||
         wn_ascii_ncasecmp(h, "mailto:", 7) == 0 ||
         wn_ascii_ncasecmp(h, "tel:", 4) == 0 ||
         wn_ascii_ncasecmp(h, "data:", 5) == 0;
}

static wn_result add_link(struct page *p, const char *url, size_t url_len,
                          const char *text, size_t text_len,
                          const char *section)
{
  struct extract_link *l;
  size_t k;

  for (k = 0; k < p->n_related; k++)
    if (strlen(p->related[k].url) == url_len &&
        memcmp(p->related[k].url, url, url_len) == 0)
      return WN_OK;
  if (p->n_related >= WN_MAX_RELATED)
    return WN_OK;
  if (p->n_related == p->cap_related) {
    size_t cap = p->cap_related ? p->cap_related * 2 : 16;
    struct extract_link *v = wn_arena_alloc(p->arena, cap * sizeof(*v));

    if (!v)
      return WN_E_NOMEM;
    if (p->n_related)
      memcpy(v, p->related, p->n_related * sizeof(*v));
    p->related = v;
    p->cap_related = cap;
  }
  l = &p->related[p->n_related];
  l->url = wn_arena_strndup(p->arena, url, url_len);
  l->text = wn_arena_strndup(p->arena, text, text_len);
  l->section = section;
  if (!l->url || !l->text)
    return WN_E_NOMEM;
  p->n_related++;
  return WN_OK;
}

/* Collect the <a href> links of nodes [from, to). */
static wn_result collect_links(struct page *p, uint32_t from, uint32_t to,
                               const char *section)
{
  struct dom *d = &p->dom;
  struct wn_buf *b = p->scratch;
  uint32_t i;
  wn_result rc = WN_OK;

  for (i = from; i < to && rc == WN_OK; i++) {
    const struct xnode *x = &d->nodes[i];
    const char *href;
    size_t text_off, url_off;

    if (x->flags & (XF_DROP | XF_HIDDEN)) {
      i = x->end - 1;
      continue;
    }
    if (x->type != XN_ELEMENT || x->tag != GUMBO_TAG_A)
      continue;
    href = dom_attr(d, i, "href");
    if (!href || skip_href(href))
      continue;
    wn_buf_reset(b);
    rc = extract_text_of(d, i, x->end, b);
    if (rc != WN_OK)
      break;
    if (b->len == 0)
      continue; /* image links: the headline link follows */
    text_off = 0;
    rc = wn_buf_addc(b, '\0');
    if (rc != WN_OK)
      break;
    url_off = b->len;
    if (p->url) {
      if (wn_url_resolve(p->url, href, b) != WN_OK)
        continue;
      if (b->len == url_off)
        continue;
    } else {
      rc = wn_buf_adds(b, href);
      if (rc != WN_OK)
        break;
    }
    if (b->len - url_off > WN_MAX_URL_BYTES)
      continue;
    if (p->url && strcmp(b->data + url_off, p->url) == 0)
      continue;
    rc = add_link(p, b->data + url_off, b->len - url_off, b->data + text_off,
                  url_off - 1 - text_off, section);
    i = x->end - 1;
  }
  return rc;
}

/* ---- finding blocks -------------------------------------------------- */

/* A site rule with related selectors or markers decides the related field
 * alone (rules override the generic result field by field); generic
 * finders still cut what they find from the body. */
static int site_only(const struct page *p)
{
  return p->site &&
         (p->site->n_related_selectors || p->site->n_related_markers);
}

static int is_site_related(const struct page *p, uint32_t el)
{
  size_t k;

  for (k = 0; k < p->n_site_related; k++)
    if (el >= p->site_related[k] && el < p->dom.nodes[p->site_related[k]].end)
      return 1;
  for (k = 0; k < p->n_site_related; k++)
    if (p->site_related[k] >= el && p->site_related[k] < p->dom.nodes[el].end)
      return 1;
  return 0;
}

static float ld_of(const struct run *r)
{
  return r->chars ? (float)r->link_chars / (float)r->chars : 0.0f;
}

static int in_range(const struct dom *d, uint32_t el, uint32_t node)
{
  return el != DOM_NONE && node >= el && node < d->nodes[el].end;
}

/* A headline link: mostly link text, a few words at least. */
static int is_link_item(const struct run *r)
{
  return ld_of(r) >= 0.6f && r->n_links >= 1 && r->chars <= 300;
}

/* The section name of a marker run: the marker itself, or the whole run
 * when it is short and has no link. */
static const char *section_of(struct page *p, const struct run *r,
                              size_t marker_len)
{
  const char *t = p->text->data + r->off;
  size_t n = r->link_chars ? marker_len : r->len;

  while (n && (t[n - 1] == ':' || t[n - 1] == ' ' || t[n - 1] == '-'))
    n--;
  if (n > 200)
    n = wn_utf8_prefix(t, n, 200);
  return wn_arena_strndup(p->arena, t, n);
}

/* The element that a marker run titles: the innermost ancestor of its
 * owner that holds more than the marker and in which the marker is the
 * first run; never the root or an element holding the container.
 * DOM_NONE when the marker titles nothing of its own. */
static uint32_t titled_section(const struct page *p, uint32_t k)
{
  const struct dom *d = &p->dom;
  const struct run *v = p->runs->v;
  uint32_t o = v[k].owner;

  while (o != DOM_NONE && o != p->root) {
    uint32_t end = d->nodes[o].end;

    if (k > 0 && v[k - 1].owner != DOM_NONE && v[k - 1].owner >= o &&
        v[k - 1].owner < end)
      return DOM_NONE; /* text before the marker in o */
    if (p->container != DOM_NONE && p->container >= o && p->container < end)
      return DOM_NONE; /* o holds the article */
    if (!(d->nodes[o].type == XN_ELEMENT && dom_is_heading(d->nodes[o].tag)) &&
        k + 1 < p->runs->n && v[k + 1].owner != DOM_NONE &&
        v[k + 1].owner >= o && v[k + 1].owner < end)
      return o;
    o = d->nodes[o].parent;
  }
  return DOM_NONE;
}

/* A heading whose own element is hinted related ("related-title"). */
static int is_hinted_title(const struct page *p, const struct run *r)
{
  return r->owner != DOM_NONE && r->chars <= 80 && r->link_chars == 0 &&
         p->dom.nodes[r->owner].hint == HINT_NEG(EXTRACT_BP_RELATED);
}

/* Marker runs anywhere on the page and what they title: their section
 * element, or else the link runs that follow them. */
static wn_result find_marked(struct page *p)
{
  struct dom *d = &p->dom;
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, k, j;
  wn_result rc = WN_OK;

  for (k = 0; k < n && rc == WN_OK; k++) {
    struct run *r = &v[k];
    const char *t = p->text->data + r->off;
    size_t m;
    const char *section;
    uint32_t last, sec;
    int shorts = 0, from_site = 0;

    if (r->chars > 160 || (r->flags & RF_RELATED))
      continue;
    m = extract_rules_marker(p, t, r->len, &from_site);
    if (!m && is_hinted_title(p, r))
      m = r->len;
    if (!m)
      continue;
    /* A button that says "Read more" is a link, not a heading. */
    if (r->link_chars && r->chars - r->link_chars <= 3)
      continue;
    /* The rest of the run, if any, must be links ("Lire aussi : <a>"). */
    if (r->len > m + 2 && r->link_chars == 0 && r->chars > 60)
      continue;
    section = section_of(p, r, m);
    if (!section)
      return WN_E_NOMEM;
    r->flags |= RF_RELATED | RF_MARKER;
    sec = titled_section(p, k);
    if (sec != DOM_NONE) {
      for (j = k + 1; j < n && in_range(d, sec, v[j].owner); j++)
        v[j].flags |= RF_RELATED;
      if (!site_only(p) || from_site)
        rc = collect_links(p, sec, d->nodes[sec].end, section);
      k = j - 1;
      continue;
    }
    last = k;
    for (j = k + 1; j < n; j++) {
      const struct run *s = &v[j];

      if (is_link_item(s)) {
        last = j;
        shorts = 0;
        continue;
      }
      /* a date or a label between two headlines */
      if (s->chars < 40 && !(s->flags & RF_HEADING) && ++shorts <= 1)
        continue;
      break;
    }
    for (j = k + 1; j <= last; j++)
      v[j].flags |= RF_RELATED;
    if (!site_only(p) || from_site)
      rc = collect_links(p, r->first, v[last].last + 1, section);
    k = last;
  }
  return rc;
}

/* Elements hinted as related (class="related-posts" ...). */
static wn_result find_hinted(struct page *p)
{
  struct dom *d = &p->dom;
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, k = 0, j;
  wn_result rc = WN_OK;

  while (k < n && rc == WN_OK) {
    struct run *r = &v[k];
    uint32_t el, o;
    const char *section = NULL;

    if (r->owner == DOM_NONE ||
        p->negkind[r->owner] != 1 + EXTRACT_BP_RELATED ||
        (r->flags & RF_RELATED)) {
      k++;
      continue;
    }
    /* the outermost related-hinted ancestor */
    el = r->owner;
    for (o = r->owner; o != DOM_NONE && p->negkind[o] == 1 + EXTRACT_BP_RELATED;
         o = d->nodes[o].parent)
      el = o;
    if (ld_of(r) < 0.5f && r->chars <= 80) {
      size_t len = r->len;
      const char *t = p->text->data + r->off;

      while (len && (t[len - 1] == ':' || t[len - 1] == ' '))
        len--;
      section = wn_arena_strndup(p->arena, t, len);
      if (!section)
        return WN_E_NOMEM;
    }
    for (j = k; j < n && in_range(d, el, v[j].owner); j++)
      v[j].flags |= RF_RELATED;
    if (!site_only(p) || is_site_related(p, el))
      rc = collect_links(p, el, d->nodes[el].end, section);
    k = j;
  }
  return rc;
}

/* Inside the article: two or more consecutive headline links with no
 * prose around them. */
static wn_result find_structural(struct page *p)
{
  struct dom *d = &p->dom;
  struct run *v = p->runs->v;
  uint32_t n = p->runs->n, k = 0, j, c = p->container;
  wn_result rc = WN_OK;

  if (c == DOM_NONE)
    return WN_OK;
  while (k < n && rc == WN_OK) {
    const char *section = NULL;

    if (!in_range(d, c, v[k].owner) || (v[k].flags & (RF_RELATED | RF_NEG)) ||
        !is_link_item(&v[k]) || v[k].n_words < 3) {
      k++;
      continue;
    }
    for (j = k; j < n && in_range(d, c, v[j].owner) &&
                !(v[j].flags & (RF_RELATED | RF_NEG)) && is_link_item(&v[j]) &&
                v[j].n_words >= 3;
         j++)
      ;
    if (j - k >= 2) {
      uint32_t t;
      /* a short label right before names the block */
      if (k > 0 && in_range(d, c, v[k - 1].owner) && v[k - 1].chars <= 60 &&
          v[k - 1].link_chars == 0 && p->quality[k - 1] != Q_GOOD) {
        struct run *h = &v[k - 1];
        section = section_of(p, h, h->len);
        if (!section)
          return WN_E_NOMEM;
        h->flags |= RF_RELATED | RF_MARKER;
      }
      for (t = k; t < j; t++)
        v[t].flags |= RF_RELATED;
      if (!site_only(p))
        rc = collect_links(p, v[k].first, v[j - 1].last + 1, section);
    }
    k = j;
  }
  return rc;
}

wn_result extract_related_find(struct page *p)
{
  wn_result rc;

  p->n_related = 0;
  if (!p->runs->n || !p->negkind)
    return WN_OK;
  rc = find_marked(p);
  if (rc == WN_OK)
    rc = find_hinted(p);
  if (rc == WN_OK)
    rc = find_structural(p);
  return rc;
}
