/* extract_page_run: the passes over one page, and the record they make. */
#include "extract/extract_int.h"
#include "rules/rules.h"

#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct extract_ctx {
  struct wn_arena *arena;
  struct rules_scratch *re; /* pcre2 matching state */
  struct dom_vec dom;
  struct run_vec runs;
  struct wn_buf utf8;    /* the page converted to UTF-8, when needed */
  struct wn_buf text;    /* run texts */
  struct wn_buf scratch; /* per-pass temporary */
  struct wn_buf body;    /* record text being assembled */
  struct extract_record rec;
  struct dom last_dom;   /* the last page's DOM, for its links */
  const char *last_url;  /* its URL (arena), or NULL */
};

struct extract_ctx *extract_ctx_new(void)
{
  struct extract_ctx *ctx = calloc(1, sizeof(*ctx));

  if (!ctx)
    return NULL;
  ctx->arena = wn_arena_new(WN_MAX_ARENA_BYTES);
  ctx->re = rules_scratch_new();
  if (!ctx->arena || !ctx->re) {
    wn_arena_free(ctx->arena);
    rules_scratch_free(ctx->re);
    free(ctx);
    return NULL;
  }
  wn_buf_init(&ctx->utf8, 4 * (size_t)WN_MAX_PAGE_BYTES);
  wn_buf_init(&ctx->text, 4 * (size_t)WN_MAX_PAGE_BYTES);
  wn_buf_init(&ctx->scratch, 4 * (size_t)WN_MAX_PAGE_BYTES);
  wn_buf_init(&ctx->body, 4 * (size_t)WN_MAX_PAGE_BYTES);
  return ctx;
}

void extract_ctx_free(struct extract_ctx *ctx)
{
  if (!ctx)
    return;
  wn_arena_free(ctx->arena);
  rules_scratch_free(ctx->re);
  free(ctx->dom.v);
  free(ctx->runs.v);
  wn_buf_free(&ctx->utf8);
  wn_buf_free(&ctx->text);
  wn_buf_free(&ctx->scratch);
  wn_buf_free(&ctx->body);
  free(ctx);
}

const char *extract_block_type_name(extract_block_type t)
{
  static const char *const names[] = {"heading", "paragraph", "list",
                                      "quote",   "table",     "code"};

  return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t]
                                                        : "paragraph";
}

const char *extract_boiler_kind_name(extract_boiler_kind k)
{
  static const char *const names[] = {
      "navigation", "footer",      "cookie", "share",    "related",
      "comments",   "advertising", "seo",    "template", "other"};

  return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "other";
}

static size_t body_chars(const struct blocks *bl)
{
  size_t k, n = 0;

  for (k = 0; k < bl->n; k++)
    n += bl->v[k].len;
  return n;
}

static wn_result join_text(struct extract_ctx *ctx, const struct blocks *bl)
{
  size_t k;
  wn_result rc = WN_OK;

  wn_buf_reset(&ctx->body);
  for (k = 0; k < bl->n && rc == WN_OK; k++) {
    if (k)
      rc = wn_buf_add(&ctx->body, "\n\n", 2);
    if (rc == WN_OK)
      rc = wn_buf_add(&ctx->body, bl->v[k].text, bl->v[k].len);
  }
  return rc;
}

/* A selector for element i: "tag#id", "tag.class", or the parent's
 * selector and "> tag". */
static const char *describe(struct page *p, uint32_t i, int depth)
{
  const struct dom *d = &p->dom;
  struct wn_buf *b = p->scratch;
  const char *id = dom_attr(d, i, "id"), *cls = dom_attr(d, i, "class");
  char tag[32];
  size_t n;

  dom_tag_name(d, i, tag);
  wn_buf_reset(b);
  if (id && *id && !strpbrk(id, " \t\n\"'[]():.#>")) {
    if (wn_buf_printf(b, "%s#%s", tag, id) != WN_OK)
      return NULL;
  } else if (cls && *cls) {
    while (*cls == ' ')
      cls++;
    n = strcspn(cls, " \t\n");
    if (n == 0 || n > 80 || memchr(cls, '\'', n) || memchr(cls, ':', n) ||
        memchr(cls, '[', n) || memchr(cls, '.', n))
      goto parent;
    if (wn_buf_printf(b, "%s.%.*s", tag, (int)n, cls) != WN_OK)
      return NULL;
  } else {
    goto parent;
  }
  return wn_arena_strndup(p->arena, b->data, b->len);
parent:
  if (depth < 3 && d->nodes[i].parent != DOM_NONE &&
      d->nodes[i].parent != p->root) {
    const char *up = describe(p, d->nodes[i].parent, depth + 1);
    char *out;
    size_t len;

    if (!up)
      return NULL;
    len = strlen(up) + strlen(tag) + 4;
    out = wn_arena_alloc(p->arena, len);
    if (out)
      snprintf(out, len, "%s > %s", up, tag);
    return out;
  }
  return wn_arena_strdup(p->arena, tag);
}

/* ---- debugging -------------------------------------------------------- */

/* WINNOW_DEBUG=1 in the environment prints every run's decision on
 * stderr: the quickest way to see why a paragraph was kept or cut. */
static void debug_dump(const struct page *p)
{
  const struct dom *d = &p->dom;
  uint32_t k;
  char tag[32];

  if (p->container != DOM_NONE) {
    const char *cls = dom_attr(d, p->container, "class");
    const char *id = dom_attr(d, p->container, "id");
    fprintf(stderr,
            "container: node %u <%s id=%s class=%s> good=%.0f bad=%.0f\n",
            p->container, dom_tag_name(d, p->container, tag), id ? id : "",
            cls ? cls : "", p->good[p->container], p->bad[p->container]);
  } else {
    fprintf(stderr, "container: none\n");
  }
  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];
    const char *cls =
        r->owner != DOM_NONE ? dom_attr(d, r->owner, "class") : NULL;

    fprintf(
        stderr,
        "%4u %c%c%c%c q%d k%-2d c%-5u l%-5u w%-4u s%-3u p%-3u <%s.%.30s> "
        "%.90s\n",
        k, (r->flags & RF_KEEP) ? 'K' : '.', (r->flags & RF_NEG) ? 'N' : '.',
        (r->flags & RF_RELATED) ? 'R' : '.',
        (r->flags & RF_HEADING) ? 'H' : '.', p->quality ? p->quality[k] : -1,
        r->kind, r->chars, r->link_chars, r->n_words, r->n_stop, r->n_punct,
        r->owner != DOM_NONE ? dom_tag_name(d, r->owner, tag) : "-",
        cls ? cls : "", p->text->data + r->off);
    if (getenv("WINNOW_DEBUG")[0] == '2') {
      uint32_t o = r->owner;
      int steps = 0;
      fprintf(stderr, "      path:");
      while (o != DOM_NONE && steps++ < 40) {
        const char *c2 = dom_attr(d, o, "class"), *id2 = dom_attr(d, o, "id");
        fprintf(stderr, " <%s%s%.20s%s%.30s h%d n%d>", dom_tag_name(d, o, tag),
                id2 ? "#" : "", id2 ? id2 : "", c2 ? "." : "", c2 ? c2 : "",
                d->nodes[o].hint, p->negkind ? p->negkind[o] : 0);
        o = d->nodes[o].parent;
      }
      fprintf(stderr, "\n");
    }
  }
}

/* ---- the page -------------------------------------------------------- */

static wn_result parse(struct extract_ctx *ctx, struct page *p,
                       const char *html, size_t len, struct extract_record *rec)
{
  size_t cut = extract_dom_depth_cut(html, len, WN_MAX_PARSE_DEPTH);
  wn_result rc;

  if (cut < len) {
    len = cut;
    rec->truncated = 1;
  }
  rc = extract_dom_build(ctx->arena, &ctx->dom, html, len, &p->dom);

  /* A page whose tree outgrows the arena is parsed again from a shorter
   * prefix: the article is nearly always near the start. */
  while (rc == WN_E_TOO_LARGE && len > 64 * 1024) {
    wn_arena_reset(ctx->arena);
    len = wn_utf8_prefix(html, len, len / 8 > 64 * 1024 ? len / 8 : 64 * 1024);
    rec->truncated = 1;
    rc = extract_dom_build(ctx->arena, &ctx->dom, html, len, &p->dom);
  }
  return rc;
}

/* Open a page: charset, parse, hints, host; rec gets what that tells
 * (charset, url, links, truncated). */
static wn_result page_open(struct extract_ctx *ctx,
                           const struct extract_input *in, struct page *p,
                           struct extract_record *rec)
{
  const char *html, *charset;
  size_t len;
  wn_result rc;

  wn_arena_reset(ctx->arena);
  memset(rec, 0, sizeof(*rec));
  memset(p, 0, sizeof(*p));
  len = in->len;
  rec->truncated = in->truncated != 0;
  if (len > WN_MAX_PAGE_BYTES) {
    len = WN_MAX_PAGE_BYTES;
    rec->truncated = 1;
  }
  rc = extract_charset_to_utf8(in->html ? in->html : "", len, in->http_charset,
                               &ctx->utf8, &html, &len, &charset);
  if (rc != WN_OK)
    return rc;
  if (len > WN_MAX_PAGE_BYTES) {
    len = wn_utf8_prefix(html, len, WN_MAX_PAGE_BYTES);
    rec->truncated = 1;
  }
  rec->charset = charset;
  p->arena = ctx->arena;
  p->runs = &ctx->runs;
  p->text = &ctx->text;
  p->scratch = &ctx->scratch;
  p->re = ctx->re;
  if (in->url && strlen(in->url) <= WN_MAX_URL_BYTES) {
    struct wn_url u;

    p->url = wn_arena_strdup(ctx->arena, in->url);
    if (!p->url)
      return WN_E_NOMEM;
    if (wn_url_parse(p->url, &u) == WN_OK) {
      p->host = wn_arena_strdup(ctx->arena, u.host);
      wn_url_free(&u);
    }
  }
  rec->url = p->url;
  rc = parse(ctx, p, html, len, rec);
  if (rc != WN_OK)
    return rc;
  rec->n_links = p->dom.n_links;
  p->root = p->dom.body != DOM_NONE ? p->dom.body : (p->dom.n ? 0 : DOM_NONE);
  extract_hints_compute(&p->dom);
  return WN_OK;
}

static wn_result page_runs(struct page *p)
{
  p->runs->n = 0;
  if (p->root == DOM_NONE)
    return WN_OK;
  return extract_runs_build(&p->dom, p->root, p->dom.nodes[p->root].end,
                            p->runs, p->text);
}

wn_result extract_page_prepare(struct extract_ctx *ctx,
                               const struct extract_input *in, struct page *p)
{
  wn_result rc;

  if (!ctx || !in || (!in->html && in->len))
    return WN_E_INVALID;
  rc = page_open(ctx, in, p, &ctx->rec);
  return rc == WN_OK ? page_runs(p) : rc;
}

wn_result extract_page_run(struct extract_ctx *ctx,
                           const struct extract_input *in,
                           const struct extract_options *opts,
                           const struct extract_record **out)
{
  struct extract_record *rec = &ctx->rec;
  struct page p;
  struct meta m;
  struct blocks bl;
  wn_result rc;

  if (!ctx || !in || (!in->html && in->len) || !out)
    return WN_E_INVALID;
  memset(&bl, 0, sizeof(bl));
  rc = page_open(ctx, in, &p, rec);
  if (rc != WN_OK)
    return rc;
  ctx->last_dom = p.dom;
  ctx->last_url = p.url;
  if (opts) {
    p.rules = opts->rules;
    p.templates = opts->templates;
  }
  extract_rules_begin(&p);
  if (opts && opts->generic_only)
    p.site = NULL;
  rc = extract_meta_read(&p, &m);
  if (rc == WN_OK)
    rc = extract_rules_fields(&p, &m);
  if (rc == WN_OK)
    rc = extract_rules_mark(&p);
  if (rc != WN_OK)
    return rc;
  p.title = m.title;
  p.site_name = m.site_name;
  rc = page_runs(&p);
  if (rc != WN_OK)
    return rc;
  if (opts && opts->learn && p.root != DOM_NONE)
    extract_templates_count(opts->learn, &p);
  if (p.root != DOM_NONE) {
    /* a title the site rules chose stays */
    if (!(p.site && p.site->title && m.title))
      extract_meta_refine_title(&p, &m);
    extract_templates_mark(&p);
    rc = extract_content_select(&p);
    if (rc == WN_OK)
      rc = extract_related_find(&p);
    if (rc != WN_OK)
      return rc;
    extract_content_classify(&p);
    if (p.container != DOM_NONE)
      rec->container = describe(&p, p.container, 0);
    if (!m.author)
      m.author = p.byline_author;
    if (!m.published)
      m.published = p.dateline;
    if (getenv("WINNOW_DEBUG"))
      debug_dump(&p);
    rc = extract_blocks_build(&p, &bl);
    if (rc != WN_OK)
      return rc;
  }
  rec->canonical_url = m.canonical_url;
  rec->title = m.title;
  rec->author = m.author;
  rec->published = m.published;
  rec->site_name = m.site_name;
  rec->language = m.language;
  rec->description = m.description;
  /* Script-rendered pages: the JSON-LD articleBody is the article. */
  if (m.article_body && strlen(m.article_body) > 2 * body_chars(&bl) + 200) {
    bl.n = 0;
    rc = extract_blocks_from_text(&p, &bl, m.article_body);
    if (rc != WN_OK)
      return rc;
  }
  rec->blocks = bl.v;
  rec->n_blocks = bl.n;
  rc = join_text(ctx, &bl);
  if (rc == WN_OK)
    rc = extract_rules_record(&p, rec);
  if (rc != WN_OK)
    return rc;
  rec->text = ctx->body.data ? ctx->body.data : "";
  rec->text_len = ctx->body.len;
  rec->fingerprint = wn_simhash64(rec->text, rec->text_len);
  rec->related = p.related;
  rec->n_related = p.n_related;
  if (p.root != DOM_NONE) {
    rc = extract_boilerplate_build(&p, rec);
    if (rc != WN_OK)
      return rc;
  }
  *out = rec;
  return WN_OK;
}

/* ---- links of the last page ------------------------------------------- */

static int has_word(const char *list, const char *word)
{
  size_t n = strlen(word);

  while (list && *list) {
    const char *w;

    while (*list && (wn_ascii_isspace((unsigned char)*list) || *list == ','))
      list++;
    w = list;
    while (*list && !wn_ascii_isspace((unsigned char)*list) && *list != ',')
      list++;
    if ((size_t)(list - w) == n && wn_ascii_ncasecmp(w, word, n) == 0)
      return 1;
  }
  return 0;
}

wn_result extract_page_links(struct extract_ctx *ctx, extract_link_cb cb,
                             void *ud)
{
  const struct dom *d = &ctx->last_dom;
  struct wn_buf b;
  uint32_t i;
  wn_result rc = WN_OK;

  if (!ctx->last_url)
    return WN_OK;
  wn_buf_init(&b, WN_MAX_URL_BYTES + 64);
  for (i = 0; i < d->n && rc == WN_OK; i++) {
    const struct xnode *x = &d->nodes[i];
    const char *href, *rel;
    unsigned flags = 0;

    if (x->type != XN_ELEMENT)
      continue;
    if (x->tag == GUMBO_TAG_A || x->tag == GUMBO_TAG_AREA) {
      rel = dom_attr(d, i, "rel");
      if (rel && (has_word(rel, "nofollow") || has_word(rel, "ugc") ||
                  has_word(rel, "sponsored")))
        flags |= EXTRACT_LINK_NOFOLLOW;
    } else if (x->tag == GUMBO_TAG_LINK) {
      const char *type = dom_attr(d, i, "type");
      rel = dom_attr(d, i, "rel");
      if (!rel || !has_word(rel, "alternate") || !type ||
          (!wn_ascii_casestr(type, strlen(type), "rss") &&
           !wn_ascii_casestr(type, strlen(type), "atom")))
        continue;
      flags |= EXTRACT_LINK_FEED;
    } else {
      continue;
    }
    href = dom_attr(d, i, "href");
    if (!href || !*href)
      continue;
    wn_buf_reset(&b);
    if (wn_url_resolve(ctx->last_url, href, &b) != WN_OK || !b.len ||
        !wn_url_is_http(b.data))
      continue;
    cb(ud, b.data, flags);
  }
  wn_buf_free(&b);
  return rc;
}

void extract_page_robots(struct extract_ctx *ctx, const char *agent,
                         int *noindex, int *nofollow)
{
  const struct dom *d = &ctx->last_dom;
  uint32_t i;

  *noindex = *nofollow = 0;
  for (i = 0; i < d->n; i++) {
    const char *name, *content;

    if (d->nodes[i].type != XN_ELEMENT || d->nodes[i].tag != GUMBO_TAG_META)
      continue;
    name = dom_attr(d, i, "name");
    content = dom_attr(d, i, "content");
    if (!name || !content ||
        (wn_ascii_casecmp(name, "robots") != 0 &&
         !(agent && wn_ascii_casecmp(name, agent) == 0)))
      continue;
    if (has_word(content, "noindex") || has_word(content, "none"))
      *noindex = 1;
    if (has_word(content, "nofollow") || has_word(content, "none"))
      *nofollow = 1;
  }
}
