/* Rules applied to a page: the generic rules (every page) and the site
 * rules of the page's host. A site rule overrides the generic result
 * field by field; a selector that matches nothing falls back to the
 * generic result and is reported in rule_misses. */
#include "extract/extract_int.h"
#include "rules/rules.h"

#include <stdio.h>
#include <string.h>

/* Most elements one selector may give (body parts, removed blocks). */
#define MAX_MATCHES 256u

extract_boiler_kind extract_kind_of(const char *name)
{
  int k;

  for (k = 0; k < EXTRACT_BP__COUNT; k++)
    if (strcmp(extract_boiler_kind_name((extract_boiler_kind)k), name) == 0)
      return (extract_boiler_kind)k;
  return EXTRACT_BP_OTHER;
}

void extract_rules_begin(struct page *p)
{
  p->site = NULL;
  if (p->rules && p->host)
    p->site = rules_set_match_host(p->rules, p->host);
}

/* Every rule file that applies: the generic ones, then the site's. */
static size_t n_files(const struct page *p)
{
  return rules_set_generic_count(p->rules) + (p->site ? 1 : 0);
}

static const struct rules_site *file_at(const struct page *p, size_t i)
{
  size_t g = rules_set_generic_count(p->rules);

  return i < g ? rules_set_generic_at(p->rules, i) : p->site;
}

static wn_result add_miss(struct page *p, const char *field)
{
  const char **v;
  size_t len;
  char *s;

  v = wn_arena_alloc(p->arena, (p->n_misses + 1) * sizeof(*v));
  if (!v)
    return WN_E_NOMEM;
  if (p->n_misses)
    memcpy(v, p->misses, p->n_misses * sizeof(*v));
  len = strlen(p->site->site) + strlen(field) + 2;
  s = wn_arena_alloc(p->arena, len);
  if (!s)
    return WN_E_NOMEM;
  snprintf(s, len, "%s:%s", p->site->site, field);
  v[p->n_misses++] = s;
  p->misses = v;
  return WN_OK;
}

/* Give every element sel matches the hint h, fixed by the rule. */
static size_t mark(struct page *p, const struct rules_selector *sel, int8_t h)
{
  struct dom *d = &p->dom;
  uint32_t found[MAX_MATCHES];
  size_t n = 0, k;

  extract_select_all(d, p->root, d->nodes[p->root].end, sel, 1, found,
                     MAX_MATCHES, &n);
  for (k = 0; k < n; k++) {
    d->nodes[found[k]].hint = h;
    d->nodes[found[k]].flags |= XF_RULE;
  }
  return n;
}

/* Remember the elements a site's related selector matches: their links
 * are the record's related links. */
static wn_result keep_site_related(struct page *p,
                                   const struct rules_selector *sel)
{
  struct dom *d = &p->dom;
  uint32_t found[MAX_MATCHES], *v;
  size_t n = 0;

  extract_select_all(d, p->root, d->nodes[p->root].end, sel, 1, found,
                     MAX_MATCHES, &n);
  if (!n)
    return WN_OK;
  v = wn_arena_alloc(p->arena, (p->n_site_related + n) * sizeof(*v));
  if (!v)
    return WN_E_NOMEM;
  if (p->n_site_related)
    memcpy(v, p->site_related, p->n_site_related * sizeof(*v));
  memcpy(v + p->n_site_related, found, n * sizeof(*v));
  p->site_related = v;
  p->n_site_related += n;
  return WN_OK;
}

wn_result extract_rules_mark(struct page *p)
{
  struct dom *d = &p->dom;
  size_t f, k;

  p->bodies = NULL;
  p->n_bodies = 0;
  if (!p->rules || p->root == DOM_NONE)
    return WN_OK;
  for (f = 0; f < n_files(p); f++) {
    const struct rules_site *s = file_at(p, f);

    for (k = 0; k < s->n_boilerplate; k++)
      if (s->boilerplate[k].selector && !s->boilerplate[k].label_only)
        mark(p, s->boilerplate[k].selector,
             HINT_NEG(extract_kind_of(s->boilerplate[k].kind)));
    for (k = 0; k < s->n_related_selectors; k++) {
      if (s == p->site) {
        wn_result rc = keep_site_related(p, s->related_selectors[k]);
        if (rc != WN_OK)
          return rc;
      }
      mark(p, s->related_selectors[k], HINT_NEG(EXTRACT_BP_RELATED));
    }
    for (k = 0; k < s->n_remove; k++)
      mark(p, s->remove[k], HINT_NEG(EXTRACT_BP_OTHER));
  }
  if (p->site && p->site->body) {
    uint32_t found[MAX_MATCHES];
    size_t n = 0, out = 0;

    extract_select_all(d, p->root, d->nodes[p->root].end, p->site->body, 1,
                       found, MAX_MATCHES, &n);
    if (n) {
      p->bodies = wn_arena_alloc(p->arena, n * sizeof(*p->bodies));
      if (!p->bodies)
        return WN_E_NOMEM;
      /* Keep the outermost matches only (found is in document order). */
      for (k = 0; k < n; k++) {
        if (out && found[k] < d->nodes[p->bodies[out - 1]].end)
          continue;
        p->bodies[out++] = found[k];
        /* the body is the article whatever its class names say */
        d->nodes[found[k]].hint = HINT_STRONG;
        d->nodes[found[k]].flags |= XF_RULE;
      }
      p->n_bodies = out;
    } else if (add_miss(p, "body") != WN_OK) {
      return WN_E_NOMEM;
    }
  }
  return WN_OK;
}

/* The value of the first element sel matches, whitespace-trimmed, in the
 * arena; NULL when nothing matches or the value is empty. */
static const char *first_value(struct page *p, const struct rules_selector *sel)
{
  struct dom *d = &p->dom;
  struct wn_buf *b = p->scratch;
  uint32_t found[8];
  size_t n = 0, k;

  extract_select_all(d, 0, d->n, sel, 0, found, 8, &n);
  for (k = 0; k < n; k++) {
    const char *t;
    size_t len;

    wn_buf_reset(b);
    if (extract_select_value(d, found[k], sel, b) != WN_OK)
      return NULL;
    t = wn_buf_str(b);
    len = b->len;
    while (len && wn_ascii_isspace((unsigned char)*t)) {
      t++;
      len--;
    }
    while (len && wn_ascii_isspace((unsigned char)t[len - 1]))
      len--;
    if (len)
      return wn_arena_strndup(p->arena, t,
                              wn_utf8_prefix(t, len, WN_MAX_META_BYTES));
  }
  return NULL;
}

wn_result extract_rules_fields(struct page *p, struct meta *m)
{
  const struct rules_site *s = p->site;
  const struct {
    const char *name;
    const struct rules_selector *sel;
    const char **field;
  } fields[] = {
      {"title", s ? s->title : NULL, &m->title},
      {"author", s ? s->author : NULL, &m->author},
      {"published", s ? s->published : NULL, &m->published},
      {"description", s ? s->description : NULL, &m->description},
      {"site_name", s ? s->site_name : NULL, &m->site_name},
      {"language", s ? s->language : NULL, &m->language},
  };
  size_t k;

  if (!s)
    return WN_OK;
  for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
    const char *v;
    char iso[32];

    if (!fields[k].sel)
      continue;
    v = first_value(p, fields[k].sel);
    if (v && strcmp(fields[k].name, "published") == 0)
      v = extract_date_normalize(v, strlen(v), iso)
              ? wn_arena_strdup(p->arena, iso)
              : NULL;
    if (v && strcmp(fields[k].name, "author") == 0) {
      size_t pre = extract_byline_prefix(v, strlen(v));
      v += pre;
    }
    if (v)
      *fields[k].field = v;
    else if (add_miss(p, fields[k].name) != WN_OK)
      return WN_E_NOMEM;
  }
  return WN_OK;
}

/* ---- text rules ---------------------------------------------------------- */

int extract_names_site(const struct page *p, const char *t, size_t len)
{
  const char *h = p->host, *dot;

  if (h) {
    if (strncmp(h, "www.", 4) == 0)
      h += 4;
    if (wn_ascii_casestr(t, len, h))
      return 1;
    /* "charente-expo" for charente-expo.com, when long enough to be the
     * site's own word */
    dot = strchr(h, '.');
    if (dot && dot - h >= 6) {
      char label[64];
      size_t n = (size_t)(dot - h) < sizeof(label) - 1 ? (size_t)(dot - h)
                                                       : sizeof(label) - 1;
      memcpy(label, h, n);
      label[n] = '\0';
      if (wn_ascii_casestr(t, len, label))
        return 1;
    }
  }
  if (p->site_name && strlen(p->site_name) >= 4) {
    char low[128];
    size_t n = strlen(p->site_name), i;

    if (n >= sizeof(low))
      return 0;
    for (i = 0; i <= n; i++)
      low[i] = (char)wn_ascii_tolower((unsigned char)p->site_name[i]);
    if (wn_ascii_casestr(t, len, low))
      return 1;
  }
  return 0;
}

/* Body runs after run k. */
static uint32_t kept_after(const struct page *p, uint32_t k)
{
  const struct run *v = p->runs->v;
  uint32_t j, n = 0;

  for (j = k + 1; j < p->runs->n; j++)
    if (v[j].flags & RF_KEEP)
      n++;
  return n;
}

/* Do the rule's conditions hold for run k (cheap tests first)? */
static int rule_applies(struct page *p, const struct rules_boiler *b,
                        uint32_t k)
{
  const struct run *r = &p->runs->v[k];
  const char *t = p->text->data + r->off;

  if (!b->pattern || (b->min_words && r->n_words < b->min_words) ||
      (b->max_words && r->n_words > b->max_words))
    return 0;
  /* A link names another page ("Advertising", "Cookie policy" in a
   * footer); text rules are about what a page says. */
  if (r->link_chars * 2 > r->chars)
    return 0;
  /* Self-promotion closes an article (or stands outside it). */
  if (b->at_end && (r->flags & RF_KEEP) && kept_after(p, k) > 2)
    return 0;
  if (b->names_site && !extract_names_site(p, t, r->len))
    return 0;
  return rules_pattern_find(b->pattern, p->re, t, r->len, NULL, NULL) == 1;
}

void extract_rules_text(struct page *p)
{
  struct run *v = p->runs->v;
  uint32_t k;
  size_t f, j;

  if (!p->rules || !p->re)
    return;
  for (k = 0; k < p->runs->n; k++) {
    struct run *r = &v[k];

    /* Cut text keeps the kind its region gave it; label rules name the
     * rest later. Runs of rule-hinted regions are already decided. */
    if (r->flags & (RF_RULEKIND | RF_RELATED))
      continue;
    if (r->n_words == 0 || (r->flags & RF_HEADING))
      continue;
    /* The site's rules first: they know their site best. */
    for (f = n_files(p); f-- > 0;) {
      const struct rules_site *s = file_at(p, f);
      int done = 0;

      for (j = 0; j < s->n_boilerplate && !done; j++) {
        const struct rules_boiler *b = &s->boilerplate[j];

        if (b->label_only || !rule_applies(p, b, k))
          continue;
        r->flags &= (uint16_t)~RF_KEEP;
        r->flags |= RF_RULEKIND;
        r->kind = (uint8_t)extract_kind_of(b->kind);
        done = 1;
      }
      if (done)
        break;
    }
  }
}

extract_boiler_kind extract_rules_label(struct page *p, const struct run *r)
{
  const char *t = p->text->data + r->off;
  size_t f, j;

  if (!p->rules || !p->re)
    return EXTRACT_BP__COUNT;
  for (f = n_files(p); f-- > 0;) {
    const struct rules_site *s = file_at(p, f);

    for (j = 0; j < s->n_boilerplate; j++) {
      const struct rules_boiler *b = &s->boilerplate[j];

      if (!b->label_only || !b->pattern ||
          (b->max_words && r->n_words > b->max_words) ||
          (b->min_words && r->n_words < b->min_words))
        continue;
      if (rules_pattern_find(b->pattern, p->re, t, r->len, NULL, NULL) == 1)
        return extract_kind_of(b->kind);
    }
  }
  return EXTRACT_BP__COUNT;
}

size_t extract_rules_marker(struct page *p, const char *s, size_t len,
                            int *from_site)
{
  size_t f, j, m;

  *from_site = 0;
  if (!p->rules)
    return 0;
  for (f = n_files(p); f-- > 0;) {
    const struct rules_site *site = file_at(p, f);
    size_t end;

    *from_site = site == p->site;
    m = extract_related_marker(s, len, site->related_phrases,
                               site->n_related_phrases);
    if (m)
      return m;
    for (j = 0; j < site->n_related_markers && p->re; j++)
      if (rules_pattern_find(site->related_markers[j], p->re, s, len, NULL,
                             &end) == 1)
        return end ? end : len;
  }
  return 0;
}

wn_result extract_rules_record(struct page *p, struct extract_record *rec)
{
  rec->rules = NULL;
  rec->n_rules = 0;
  rec->rule_misses = p->misses;
  rec->n_rule_misses = p->n_misses;
  if (p->site) {
    const char **v = wn_arena_alloc(p->arena, sizeof(*v));
    if (!v)
      return WN_E_NOMEM;
    v[0] = p->site->site;
    rec->rules = v;
    rec->n_rules = 1;
  }
  return WN_OK;
}
