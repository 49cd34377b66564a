/* Page metadata: JSON-LD, OpenGraph and meta tags, canonical link, <time>,
 * <title> and <html lang>. JSON-LD is decoded with jansson; no json_t
 * leaves this file. */
#include "extract/extract_int.h"

#include <gumbo.h>
#include <jansson.h>
#include <string.h>

/* Candidates by source, best first; the first non-empty one wins. */
enum { SRC_LD = 0, SRC_OG, SRC_META, SRC_DOM, N_SRC };

struct cand {
  const char *title[N_SRC], *author[N_SRC], *published[N_SRC];
  const char *site_name[N_SRC], *language[N_SRC], *description[N_SRC];
  const char *canonical[N_SRC];
  const char *article_body;
  const char *html_title;
  const char *h1;
};

static const char *first(const char *const *v)
{
  int k;

  for (k = 0; k < N_SRC; k++)
    if (v[k] && *v[k])
      return v[k];
  return NULL;
}

/* Copy a metadata string into the arena: whitespace collapsed, trimmed,
 * capped at WN_MAX_META_BYTES. NULL for empty input. */
static const char *keep(struct page *p, const char *s, size_t len)
{
  char *out, *o;
  size_t i;
  int space = 0;

  if (!s)
    return NULL;
  if (len > WN_MAX_META_BYTES)
    len = wn_utf8_prefix(s, len, WN_MAX_META_BYTES);
  out = wn_arena_alloc(p->arena, len + 1);
  if (!out)
    return NULL;
  o = out;
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];

    if (c == 0)
      break;
    if (wn_ascii_isspace(c) ||
        (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0)) {
      if (c == 0xC2)
        i++;
      space = o > out;
      continue;
    }
    if (c < 0x20)
      continue;
    if (space)
      *o++ = ' ';
    space = 0;
    *o++ = (char)c;
  }
  *o = '\0';
  return o > out ? out : NULL;
}

static const char *keeps(struct page *p, const char *s)
{
  return s ? keep(p, s, strlen(s)) : NULL;
}

/* ---- JSON-LD --------------------------------------------------------- */

static int is_article_type(const char *t)
{
  static const char *const types[] = {
      "NewsArticle",
      "Article",
      "BlogPosting",
      "ReportageNewsArticle",
      "AnalysisNewsArticle",
      "OpinionNewsArticle",
      "BackgroundNewsArticle",
      "ReviewNewsArticle",
      "LiveBlogPosting",
      "TechArticle",
      "ScholarlyArticle",
      "Report",
      "SocialMediaPosting",
      "DiscussionForumPosting",
      "Review",
      "Recipe",
      "AdvertiserContentArticle",
      "SatiricalArticle",
      "Blog",
  };
  size_t k;

  for (k = 0; k < sizeof(types) / sizeof(types[0]); k++)
    if (strcmp(t, types[k]) == 0 ||
        (strncmp(t, "http", 4) == 0 && strstr(t, types[k]) &&
         strlen(strstr(t, types[k])) == strlen(types[k])))
      return 1;
  return 0;
}

static int has_type(json_t *o, int (*pred)(const char *))
{
  json_t *t = json_object_get(o, "@type");
  size_t k;

  if (json_is_string(t))
    return pred(json_string_value(t));
  if (json_is_array(t))
    for (k = 0; k < json_array_size(t); k++)
      if (json_is_string(json_array_get(t, k)) &&
          pred(json_string_value(json_array_get(t, k))))
        return 1;
  return 0;
}

static int is_website(const char *t)
{
  return strcmp(t, "WebSite") == 0 || strcmp(t, "Organization") == 0 ||
         strcmp(t, "NewsMediaOrganization") == 0;
}

static int is_webpage(const char *t)
{
  return strcmp(t, "WebPage") == 0 || strcmp(t, "ItemPage") == 0;
}

/* A person or organisation name: "x", {"name": "x"}, or an array of them
 * joined with ", ". */
static const char *name_of(struct page *p, json_t *v)
{
  struct wn_buf *b = p->scratch;
  size_t k;

  if (json_is_string(v))
    return keeps(p, json_string_value(v));
  if (json_is_object(v)) {
    json_t *n = json_object_get(v, "name");
    return json_is_string(n) ? keeps(p, json_string_value(n)) : NULL;
  }
  if (!json_is_array(v))
    return NULL;
  wn_buf_reset(b);
  for (k = 0; k < json_array_size(v) && k < 10; k++) {
    json_t *e = json_array_get(v, k);
    const char *s = NULL;

    if (json_is_string(e))
      s = json_string_value(e);
    else if (json_is_object(e) && json_is_string(json_object_get(e, "name")))
      s = json_string_value(json_object_get(e, "name"));
    if (!s || !*s)
      continue;
    if (b->len && wn_buf_adds(b, ", ") != WN_OK)
      return NULL;
    if (wn_buf_adds(b, s) != WN_OK)
      return NULL;
  }
  return b->len ? keep(p, b->data, b->len) : NULL;
}

static const char *str_of(struct page *p, json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);

  if (json_is_array(v) && json_array_size(v))
    v = json_array_get(v, 0);
  return json_is_string(v) ? keeps(p, json_string_value(v)) : NULL;
}

static void take_article(struct page *p, struct cand *c, json_t *o)
{
  json_t *v;

  if (!c->title[SRC_LD])
    c->title[SRC_LD] = str_of(p, o, "headline");
  if (!c->title[SRC_LD])
    c->title[SRC_LD] = str_of(p, o, "name");
  if (!c->author[SRC_LD])
    c->author[SRC_LD] = name_of(p, json_object_get(o, "author"));
  if (!c->author[SRC_LD])
    c->author[SRC_LD] = name_of(p, json_object_get(o, "creator"));
  if (!c->published[SRC_LD])
    c->published[SRC_LD] = str_of(p, o, "datePublished");
  if (!c->published[SRC_LD])
    c->published[SRC_LD] = str_of(p, o, "dateCreated");
  if (!c->description[SRC_LD])
    c->description[SRC_LD] = str_of(p, o, "description");
  if (!c->language[SRC_LD])
    c->language[SRC_LD] = str_of(p, o, "inLanguage");
  v = json_object_get(o, "publisher");
  if (!c->site_name[SRC_LD] && json_is_object(v))
    c->site_name[SRC_LD] = name_of(p, v);
  v = json_object_get(o, "articleBody");
  if (!c->article_body && json_is_string(v) && json_string_length(v) > 0) {
    /* articleBody keeps its paragraph breaks: copy as is. */
    c->article_body =
        wn_arena_strndup(p->arena, json_string_value(v), json_string_length(v));
  }
  v = json_object_get(o, "mainEntityOfPage");
  if (!c->canonical[SRC_LD] && json_is_string(v) &&
      strncmp(json_string_value(v), "http", 4) == 0)
    c->canonical[SRC_LD] = keeps(p, json_string_value(v));
  else if (!c->canonical[SRC_LD] && json_is_object(v))
    c->canonical[SRC_LD] = str_of(p, v, "@id");
  if (!c->canonical[SRC_LD])
    c->canonical[SRC_LD] = str_of(p, o, "url");
}

/* Visit JSON-LD values breadth-first through arrays, @graph and
 * mainEntity, at most a few levels deep. */
static void walk_ld(struct page *p, struct cand *c, json_t *v, int depth,
                    int pass)
{
  size_t k;

  if (depth > 6 || !v)
    return;
  if (json_is_array(v)) {
    for (k = 0; k < json_array_size(v) && k < 200; k++)
      walk_ld(p, c, json_array_get(v, k), depth + 1, pass);
    return;
  }
  if (!json_is_object(v))
    return;
  if (pass == 0 && has_type(v, is_article_type))
    take_article(p, c, v);
  else if (pass == 1 && has_type(v, is_webpage))
    take_article(p, c, v);
  else if (pass == 1 && has_type(v, is_website) && !c->site_name[SRC_LD])
    c->site_name[SRC_LD] = str_of(p, v, "name");
  walk_ld(p, c, json_object_get(v, "@graph"), depth + 1, pass);
  walk_ld(p, c, json_object_get(v, "mainEntity"), depth + 1, pass);
}

static void read_jsonld(struct page *p, struct cand *c, uint32_t i)
{
  struct dom *d = &p->dom;
  const struct xnode *x = &d->nodes[i];
  const char *s;
  size_t len;
  json_t *root;
  json_error_t err;
  int pass;

  if (x->end != i + 2 || d->nodes[i + 1].type != XN_TEXT)
    return;
  s = d->nodes[i + 1].text;
  len = d->nodes[i + 1].text_len;
  while (len && wn_ascii_isspace((unsigned char)*s)) {
    s++;
    len--;
  }
  /* Some CMSs wrap JSON-LD in comments or CDATA markers (what follows
   * the JSON value is ignored anyway). */
  if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
    s += 4;
    len -= 4;
  }
  if (len >= 2 && memcmp(s, "//", 2) == 0) {
    s += 2;
    len -= 2;
  }
  if (len >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
    s += 9;
    len -= 9;
  }
  if (len == 0 || len > WN_MAX_JSONLD_BYTES)
    return;
  root = json_loadb(s, len, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);
  if (!root)
    return;
  for (pass = 0; pass < 2; pass++)
    walk_ld(p, c, root, 0, pass);
  json_decref(root);
}

/* ---- meta tags ------------------------------------------------------- */

static void read_meta(struct page *p, struct cand *c, uint32_t i)
{
  struct dom *d = &p->dom;
  const char *key = dom_attr(d, i, "property");
  const char *val = dom_attr(d, i, "content");

  if (!key)
    key = dom_attr(d, i, "name");
  if (!key)
    key = dom_attr(d, i, "itemprop");
  if (!key) {
    const char *he = dom_attr(d, i, "http-equiv");
    if (he && val && wn_ascii_casecmp(he, "content-language") == 0 &&
        !c->language[SRC_META])
      c->language[SRC_META] = keeps(p, val);
    return;
  }
  if (!val)
    return;
#define IS(k) (wn_ascii_casecmp(key, (k)) == 0)
#define SET(field, src)                                                        \
  do {                                                                         \
    if (!c->field[src])                                                        \
      c->field[src] = keeps(p, val);                                           \
  } while (0)
  if (IS("og:title"))
    SET(title, SRC_OG);
  else if (IS("twitter:title") || IS("dc.title") || IS("headline"))
    SET(title, SRC_META);
  else if (IS("og:site_name"))
    SET(site_name, SRC_OG);
  else if (IS("application-name") || IS("twitter:site:name"))
    SET(site_name, SRC_META);
  else if (IS("og:description"))
    SET(description, SRC_OG);
  else if (IS("description") || IS("twitter:description") ||
           IS("dc.description"))
    SET(description, SRC_META);
  else if (IS("og:url"))
    SET(canonical, SRC_OG);
  else if (IS("og:locale"))
    SET(language, SRC_OG);
  else if (IS("dc.language") || IS("language") || IS("inlanguage"))
    SET(language, SRC_META);
  else if (IS("article:published_time") || IS("og:published_time") ||
           IS("datepublished"))
    SET(published, SRC_OG);
  else if (IS("pubdate") || IS("publishdate") || IS("publish-date") ||
           IS("date") || IS("dc.date") || IS("dc.date.issued") ||
           IS("dcterms.created") || IS("sailthru.date") ||
           IS("parsely-pub-date") || IS("article.published") ||
           IS("article_date_original") || IS("originalpublicationdate") ||
           IS("publication_date") || IS("cxenseparse:recs:publishtime") ||
           IS("og:article:published_time"))
    SET(published, SRC_META);
  else if (IS("author") || IS("dc.creator") || IS("sailthru.author") ||
           IS("parsely-author") || IS("byl")) {
    if (strncmp(val, "http", 4) != 0)
      SET(author, SRC_META);
  } else if (IS("article:author")) {
    if (strncmp(val, "http", 4) != 0)
      SET(author, SRC_OG);
  }
#undef IS
#undef SET
}

/* "By Jane Doe", "Por Rafael Nogueira, Folha": the length of the
 * prefix before the name, 0 when the run is not a byline. */
size_t extract_byline_prefix(const char *t, size_t len)
{
  static const char *const prefixes[] = {
      "by ",       "written by ",      "posted by ", "words by ",
      "por ",      "escrito por ",     "par ",       "publié par ",
      "von ",      "geschrieben von ", "di ",        "door ",
      "text: ",    "texte : ",         "texto: ",    "autor: ",
      "auteur : ", "author: ",
  };
  size_t k, n;

  for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
    n = strlen(prefixes[k]);
    if (len > n + 2 && wn_ascii_ncasecmp(t, prefixes[k], n) == 0 &&
        ((unsigned char)t[n] >= 0x80 || (t[n] >= 'A' && t[n] <= 'Z')))
      return n;
  }
  return 0;
}

/* ---- title cleaning -------------------------------------------------- */

static int n_words(const char *s, size_t len)
{
  int n = 0, in = 0;
  size_t i;

  for (i = 0; i < len; i++) {
    if (wn_ascii_isspace((unsigned char)s[i])) {
      in = 0;
    } else if (!in) {
      in = 1;
      n++;
    }
  }
  return n;
}

/* Find the last (or first) " | ", " - ", " – ", " — ", " · ", " :: "
 * separator. Returns its offset and length via out-params. */
static int find_sep(const char *t, size_t len, int last, size_t *at,
                    size_t *sep_len)
{
  static const char *const seps[] = {
      " | ",        " - ",  " \xe2\x80\x93 ", " \xe2\x80\x94 ",
      " \xc2\xb7 ", " :: ", " \xe2\x80\xa2 ", " // ",
      " \xc2\xbb "};
  size_t i, k, found = 0;
  int any = 0;

  for (i = 0; i < len; i++) {
    for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
      size_t n = strlen(seps[k]);
      if (i + n <= len && memcmp(t + i, seps[k], n) == 0) {
        if (!any || last) {
          found = i;
          *sep_len = n;
        }
        any = 1;
        if (!last)
          goto done;
      }
    }
  }
done:
  *at = found;
  return any;
}

/* "Headline | Site" -> "Headline": drop a leading or trailing part that
 * is the site name, or (short_tail: for <title> and og:title, which carry
 * the site's name by habit) a short trailing part. */
static const char *clean_title(struct page *p, const char *t, const char *site,
                               int short_tail)
{
  size_t len, at, sl;

  if (!t)
    return NULL;
  len = strlen(t);
  if (find_sep(t, len, 1, &at, &sl)) {
    const char *tail = t + at + sl;
    size_t tail_len = len - at - sl;

    if ((site && strlen(site) == tail_len &&
         wn_ascii_ncasecmp(tail, site, tail_len) == 0) ||
        (short_tail && n_words(tail, tail_len) <= 4 && n_words(t, at) >= 3))
      return keep(p, t, at);
  }
  if (find_sep(t, len, 0, &at, &sl)) {
    if (site && strlen(site) == at && wn_ascii_ncasecmp(t, site, at) == 0)
      return keep(p, t + at + sl, len - at - sl);
  }
  return t;
}

/* BCP 47-ish: "fr_FR" -> "fr-FR", "EN-us" -> "en-US"; NULL when the value
 * does not look like a language tag. */
static const char *clean_lang(struct page *p, const char *s)
{
  char out[36];
  size_t i, n = 0, part = 0, plen = 0;

  if (!s)
    return NULL;
  for (i = 0; s[i] && n < sizeof(out) - 1; i++) {
    char ch = s[i];

    if (ch == ',' || ch == ';' || ch == ' ')
      break;
    if (ch == '_' || ch == '-') {
      if (plen == 0)
        return NULL;
      out[n++] = '-';
      part++;
      plen = 0;
      continue;
    }
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9')))
      return NULL;
    if (part == 0)
      ch = (char)wn_ascii_tolower((unsigned char)ch);
    out[n++] = ch;
    plen++;
  }
  if (n < 2 || out[n - 1] == '-')
    return NULL;
  out[n] = '\0';
  /* upper-case two-letter region subtags */
  for (i = 0; i + 3 < n + 1; i++) {
    if (out[i] == '-' && i + 3 == n) {
      out[i + 1] =
          (char)(out[i + 1] >= 'a' && out[i + 1] <= 'z' ? out[i + 1] - 32
                                                        : out[i + 1]);
      out[i + 2] =
          (char)(out[i + 2] >= 'a' && out[i + 2] <= 'z' ? out[i + 2] - 32
                                                        : out[i + 2]);
    }
  }
  /* the primary subtag is 2-3 letters */
  for (i = 0; i < n && out[i] != '-'; i++)
    if (out[i] < 'a' || out[i] > 'z')
      return NULL;
  if (i < 2 || i > 3)
    return NULL;
  return keep(p, out, n);
}

static const char *clean_date(struct page *p, const char *s)
{
  char iso[32];

  if (!s || !extract_date_normalize(s, strlen(s), iso))
    return NULL;
  return keeps(p, iso);
}

static const char *resolve(struct page *p, const char *href)
{
  struct wn_buf *b = p->scratch;

  if (!href)
    return NULL;
  wn_buf_reset(b);
  if (p->url) {
    if (wn_url_resolve(p->url, href, b) != WN_OK)
      return NULL;
  } else if (wn_url_is_http(href)) {
    if (wn_buf_adds(b, href) != WN_OK)
      return NULL;
  } else {
    return NULL;
  }
  /* A canonical URL is a web page: javascript:, data: and the like are
   * junk. */
  if (b->len == 0 || b->len > WN_MAX_URL_BYTES || !wn_url_is_http(b->data))
    return NULL;
  return wn_arena_strndup(p->arena, b->data, b->len);
}

static const char *text_of_node(struct page *p, uint32_t i)
{
  struct wn_buf *b = p->scratch;

  wn_buf_reset(b);
  if (extract_text_of(&p->dom, i, p->dom.nodes[i].end, b) != WN_OK)
    return NULL;
  return keep(p, b->data ? b->data : "", b->len);
}

wn_result extract_meta_read(struct page *p, struct meta *m)
{
  struct dom *d = &p->dom;
  struct cand c;
  uint32_t i, n_ld = 0;
  const char *canonical_link = NULL;

  memset(&c, 0, sizeof(c));
  memset(m, 0, sizeof(*m));
  for (i = 0; i < d->n; i++) {
    const struct xnode *x = &d->nodes[i];
    const char *v;

    if (x->type != XN_ELEMENT)
      continue;
    switch (x->tag) {
    case GUMBO_TAG_HTML:
      v = dom_attr(d, i, "lang");
      if (!v)
        v = dom_attr(d, i, "xml:lang");
      if (v && !c.language[SRC_LD])
        c.language[SRC_DOM] = keeps(p, v);
      break;
    case GUMBO_TAG_SCRIPT:
      v = dom_attr(d, i, "type");
      if (v && wn_ascii_casestr(v, strlen(v), "ld+json") &&
          n_ld++ < WN_MAX_JSONLD_SCRIPTS)
        read_jsonld(p, &c, i);
      break;
    case GUMBO_TAG_META:
      read_meta(p, &c, i);
      break;
    case GUMBO_TAG_LINK:
      v = dom_attr(d, i, "rel");
      if (v && wn_ascii_casecmp(v, "canonical") == 0 && !canonical_link)
        canonical_link = dom_attr(d, i, "href");
      break;
    case GUMBO_TAG_TITLE:
      if (!c.html_title)
        c.html_title = text_of_node(p, i);
      break;
    case GUMBO_TAG_H1:
      if (!c.h1 && !(x->flags & (XF_DROP | XF_HIDDEN)))
        c.h1 = text_of_node(p, i);
      break;
    case GUMBO_TAG_TIME:
      v = dom_attr(d, i, "datetime");
      if (v && !c.published[SRC_DOM] && !(x->flags & XF_DROP))
        c.published[SRC_DOM] = keeps(p, v);
      break;
    default:
      if (!c.author[SRC_DOM] && (v = dom_attr(d, i, "itemprop")) &&
          wn_ascii_casecmp(v, "author") == 0 && !(x->flags & XF_DROP))
        c.author[SRC_DOM] = text_of_node(p, i);
      if (!c.published[SRC_DOM] && (v = dom_attr(d, i, "itemprop")) &&
          wn_ascii_casecmp(v, "datePublished") == 0) {
        const char *dt = dom_attr(d, i, "datetime");
        if (!dt)
          dt = dom_attr(d, i, "content");
        if (dt)
          c.published[SRC_DOM] = keeps(p, dt);
      }
      break;
    }
  }
  m->site_name = first(c.site_name);
  c.title[SRC_DOM] =
      c.html_title ? clean_title(p, c.html_title, m->site_name, 1) : NULL;
  m->title_from_html = c.title[SRC_DOM];
  if (!c.title[SRC_DOM])
    c.title[SRC_DOM] = c.h1;
  m->title = first(c.title);
  if (m->title && m->title != c.title[SRC_DOM])
    m->title =
        clean_title(p, m->title, m->site_name, m->title != c.title[SRC_LD]);
  m->author = first(c.author);
  if (m->author) {
    size_t pre = extract_byline_prefix(m->author, strlen(m->author));
    if (pre)
      m->author = m->author + pre;
  }
  /* the first date that parses wins */
  for (i = 0; i < N_SRC && !m->published; i++)
    m->published = clean_date(p, c.published[i]);
  for (i = 0; i < N_SRC && !m->language; i++) {
    const int order[N_SRC] = {SRC_DOM, SRC_META, SRC_OG, SRC_LD};
    m->language = clean_lang(p, c.language[order[i]]);
  }
  m->description = first(c.description);
  m->canonical_url = resolve(p, canonical_link);
  for (i = 0; i < N_SRC && !m->canonical_url; i++)
    m->canonical_url = resolve(p, c.canonical[i]);
  m->article_body = c.article_body;
  m->html_title = c.html_title;
  return WN_OK;
}

/* Does some run of the page start with the words of part? */
static int part_in_runs(const struct page *p, const char *part, size_t len)
{
  uint32_t k;

  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];
    const char *t = p->text->data + r->off;

    if (r->len >= len && wn_ascii_ncasecmp(t, part, len) == 0 &&
        (r->len == len || t[len] == '\n' || t[len] == ' '))
      return 1;
  }
  return 0;
}

void extract_meta_refine_title(struct page *p, struct meta *m)
{
  const char *t = m->html_title, *best = NULL, *part;
  size_t len, at, sl, best_len = 0;

  if (!t || (m->title && m->title != m->title_from_html))
    return;
  /* Split "A - B | C" at every separator; keep the longest part that the
   * page itself shows as text (its headline). */
  part = t;
  len = strlen(t);
  while (len) {
    size_t n = find_sep(part, len, 0, &at, &sl) ? at : len;

    if (n > best_len && n_words(part, n) >= 2 && part_in_runs(p, part, n)) {
      best = part;
      best_len = n;
    }
    if (n == len)
      break;
    part += n + sl;
    len -= n + sl;
  }
  if (best && best_len < strlen(t)) {
    const char *nt = keep(p, best, best_len);
    if (nt) {
      m->title = nt;
      p->title = nt;
    }
  }
}
