/* extract_page_run: the passes over one page, and the record they make. */
#include "extract/extract_int.h"

#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct extract_ctx {
  struct wn_arena *arena;
  struct dom_vec dom;
  struct run_vec runs;
  struct wn_buf utf8;    /* the page converted to UTF-8, when needed */
  struct wn_buf text;    /* run texts */
  struct wn_buf scratch; /* per-pass temporary */
  struct wn_buf body;    /* record text being assembled */
  struct extract_record rec;
};

struct extract_ctx *extract_ctx_new(void)
{
  struct extract_ctx *ctx = calloc(1, sizeof(*ctx));

  if (!ctx)
    return NULL;
  ctx->arena = wn_arena_new(WN_MAX_ARENA_BYTES);
  if (!ctx->arena) {
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
      "navigation", "footer", "cookie", "share",    "related",
      "comments",   "advertising", "seo", "template", "other"};

  return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "other";
}

/* ---- block shapes ---------------------------------------------------- */

struct shape {
  extract_block_type type;
  uint32_t group; /* the list/table/quote/pre element, or DOM_NONE */
  uint32_t item;  /* li or tr */
  uint32_t cell;  /* td or th */
  int level;
  int ordered;
};

/* A table that holds data rather than page layout: no nested tables and
 * no long prose in its cells. */
static int is_data_table(const struct dom *d, uint32_t t)
{
  uint32_t i, end = d->nodes[t].end, rows = 0, paras = 0;
  int th = 0;

  for (i = t + 1; i < end; i++) {
    const struct xnode *x = &d->nodes[i];

    if (x->type != XN_ELEMENT)
      continue;
    switch (x->tag) {
    case GUMBO_TAG_TABLE:
      return 0;
    case GUMBO_TAG_TR:
      rows++;
      break;
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_CAPTION:
      th = 1;
      break;
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
      paras++;
      break;
    default:
      break;
    }
  }
  if (paras > rows + 2)
    return 0;
  return th || rows >= 2;
}

static void shape_of(const struct page *p, const struct run *r,
                     struct shape *s)
{
  const struct dom *d = &p->dom;
  uint32_t o = r->owner;
  int steps = 0, heading = 0;

  s->type = EXTRACT_BLOCK_PARAGRAPH;
  s->group = s->item = s->cell = DOM_NONE;
  s->level = 0;
  s->ordered = 0;
  while (o != DOM_NONE && steps++ < 64) {
    const struct xnode *x = &d->nodes[o];

    switch (x->tag) {
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      if (!heading && s->group == DOM_NONE) {
        heading = 1 + (x->tag - GUMBO_TAG_H1);
      }
      break;
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
      if (s->type != EXTRACT_BLOCK_TABLE)
        s->item = o;
      break;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
      if (s->type == EXTRACT_BLOCK_PARAGRAPH ||
          s->type == EXTRACT_BLOCK_LIST || s->type == EXTRACT_BLOCK_QUOTE) {
        s->type = EXTRACT_BLOCK_LIST;
        s->group = o;
        s->ordered = x->tag == GUMBO_TAG_OL;
      }
      break;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      s->cell = o;
      break;
    case GUMBO_TAG_TR:
      s->item = o;
      break;
    case GUMBO_TAG_TABLE:
      if (is_data_table(d, o)) {
        s->type = EXTRACT_BLOCK_TABLE;
        s->group = o;
      } else {
        s->cell = DOM_NONE;
      }
      break;
    case GUMBO_TAG_BLOCKQUOTE:
      if (s->type == EXTRACT_BLOCK_PARAGRAPH) {
        s->type = EXTRACT_BLOCK_QUOTE;
        s->group = o;
      }
      break;
    case GUMBO_TAG_PRE:
      s->type = EXTRACT_BLOCK_CODE;
      s->group = o;
      break;
    default:
      break;
    }
    if (o == p->container)
      break;
    o = x->parent;
  }
  if (s->type == EXTRACT_BLOCK_PARAGRAPH && heading) {
    s->type = EXTRACT_BLOCK_HEADING;
    s->level = heading;
  }
}

/* ---- record assembly ------------------------------------------------- */

struct blocks {
  struct extract_block *v;
  size_t n, cap;
};

static wn_result block_push(struct page *p, struct blocks *bl,
                            const struct shape *s, const char *text,
                            size_t len)
{
  struct extract_block *b;

  if (bl->n == bl->cap) {
    size_t cap = bl->cap ? bl->cap * 2 : 32;
    struct extract_block *v = wn_arena_alloc(p->arena, cap * sizeof(*v));

    if (!v)
      return WN_E_NOMEM;
    if (bl->n)
      memcpy(v, bl->v, bl->n * sizeof(*v));
    bl->v = v;
    bl->cap = cap;
  }
  b = &bl->v[bl->n++];
  b->type = s->type;
  b->level = s->level;
  b->ordered = s->ordered;
  b->text = wn_arena_strndup(p->arena, text, len);
  b->len = len;
  return b->text ? WN_OK : WN_E_NOMEM;
}

/* Kept runs become blocks: runs of one list, table, quote or code element
 * join into one block. */
static wn_result build_blocks(struct page *p, struct blocks *bl)
{
  struct wn_buf *cur = p->scratch;
  struct shape s, open;
  uint32_t k;
  int have = 0;
  wn_result rc = WN_OK;

  wn_buf_reset(cur);
  memset(&open, 0, sizeof(open));
  for (k = 0; k < p->runs->n && rc == WN_OK; k++) {
    const struct run *r = &p->runs->v[k];
    const char *t = p->text->data + r->off;

    if (!(r->flags & RF_KEEP))
      continue;
    shape_of(p, r, &s);
    if (have && s.group != DOM_NONE && s.group == open.group) {
      const char *sep = " ";
      if (s.type == EXTRACT_BLOCK_LIST && s.item != open.item)
        sep = "\n";
      else if (s.type == EXTRACT_BLOCK_TABLE && s.item != open.item)
        sep = "\n";
      else if (s.type == EXTRACT_BLOCK_TABLE && s.cell != open.cell)
        sep = "\t";
      else if (s.type == EXTRACT_BLOCK_QUOTE || s.type == EXTRACT_BLOCK_CODE)
        sep = "\n";
      rc = wn_buf_adds(cur, sep);
      if (rc == WN_OK)
        rc = wn_buf_add(cur, t, r->len);
      open = s;
      continue;
    }
    if (have)
      rc = block_push(p, bl, &open, cur->data, cur->len);
    wn_buf_reset(cur);
    if (rc == WN_OK)
      rc = wn_buf_add(cur, t, r->len);
    open = s;
    have = 1;
  }
  if (have && rc == WN_OK)
    rc = block_push(p, bl, &open, cur->data ? cur->data : "", cur->len);
  return rc;
}

/* JSON-LD articleBody as paragraphs, for pages whose body is rendered by
 * scripts. */
static wn_result blocks_from_text(struct page *p, struct blocks *bl,
                                  const char *t)
{
  struct shape s;
  const char *line = t, *nl;
  wn_result rc = WN_OK;

  memset(&s, 0, sizeof(s));
  s.type = EXTRACT_BLOCK_PARAGRAPH;
  while (*line && rc == WN_OK) {
    size_t len;
    const char *a, *b;

    nl = strchr(line, '\n');
    len = nl ? (size_t)(nl - line) : strlen(line);
    a = line;
    b = line + len;
    while (a < b && wn_ascii_isspace((unsigned char)*a))
      a++;
    while (b > a && wn_ascii_isspace((unsigned char)b[-1]))
      b--;
    if (b > a)
      rc = block_push(p, bl, &s, a, (size_t)(b - a));
    line = nl ? nl + 1 : line + len;
  }
  return rc;
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

/* The child of the root that holds node o: runs of different page regions
 * never merge into one boilerplate entry. */
static uint32_t region_of(const struct page *p, uint32_t o)
{
  const struct dom *d = &p->dom;
  int steps = 0;

  while (o != DOM_NONE && d->nodes[o].parent != p->root && steps++ < 4096)
    o = d->nodes[o].parent;
  return o;
}

/* Dropped runs, merged per region and kind, in page order. */
static wn_result build_boilerplate(struct page *p, struct extract_record *rec)
{
  struct wn_buf *cur = p->scratch;
  struct extract_boiler *v = NULL;
  size_t n = 0, cap = 0, total = 0;
  uint32_t k, region = DOM_NONE;
  int kind = -1;
  wn_result rc = WN_OK;

  wn_buf_reset(cur);
  for (k = 0; k <= p->runs->n && rc == WN_OK; k++) {
    const struct run *r = k < p->runs->n ? &p->runs->v[k] : NULL;
    uint32_t reg = DOM_NONE;

    if (r && (r->flags & RF_KEEP))
      continue;
    if (r)
      reg = region_of(p, r->owner);
    if (cur->len && (!r || r->kind != kind || reg != region)) {
      if (n == cap) {
        size_t nc = cap ? cap * 2 : 16;
        struct extract_boiler *nv = wn_arena_alloc(p->arena, nc * sizeof(*nv));
        if (!nv)
          return WN_E_NOMEM;
        if (n)
          memcpy(nv, v, n * sizeof(*nv));
        v = nv;
        cap = nc;
      }
      v[n].kind = (extract_boiler_kind)kind;
      v[n].text = wn_arena_strndup(p->arena, cur->data, cur->len);
      v[n].len = cur->len;
      if (!v[n].text)
        return WN_E_NOMEM;
      n++;
      wn_buf_reset(cur);
    }
    if (!r)
      break;
    if (total + r->len > WN_MAX_BOILERPLATE_BYTES) {
      rec->boilerplate_truncated = 1;
      continue;
    }
    if (cur->len)
      rc = wn_buf_addc(cur, '\n');
    if (rc == WN_OK)
      rc = wn_buf_add(cur, p->text->data + r->off, r->len);
    total += r->len + 1;
    kind = r->kind;
    region = reg;
  }
  rec->boilerplate = v;
  rec->n_boilerplate = n;
  return rc;
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
    fprintf(stderr, "container: node %u <%s id=%s class=%s> good=%.0f bad=%.0f\n",
            p->container, dom_tag_name(d, p->container, tag), id ? id : "",
            cls ? cls : "", p->good[p->container], p->bad[p->container]);
  } else {
    fprintf(stderr, "container: none\n");
  }
  for (k = 0; k < p->runs->n; k++) {
    const struct run *r = &p->runs->v[k];
    const char *cls = r->owner != DOM_NONE ? dom_attr(d, r->owner, "class") : NULL;

    fprintf(stderr, "%4u %c%c%c%c q%d k%-2d c%-5u l%-5u w%-4u s%-3u p%-3u <%s.%.30s> %.90s\n",
            k, (r->flags & RF_KEEP) ? 'K' : '.', (r->flags & RF_NEG) ? 'N' : '.',
            (r->flags & RF_RELATED) ? 'R' : '.', (r->flags & RF_HEADING) ? 'H' : '.',
            p->quality ? p->quality[k] : -1, r->kind, r->chars, r->link_chars,
            r->n_words, r->n_stop, r->n_punct,
            r->owner != DOM_NONE ? dom_tag_name(d, r->owner, tag) : "-",
            cls ? cls : "", p->text->data + r->off);
    if (getenv("WINNOW_DEBUG")[0] == '2') {
      uint32_t o = r->owner;
      int steps = 0;
      fprintf(stderr, "      path:");
      while (o != DOM_NONE && steps++ < 40) {
        const char *c2 = dom_attr(d, o, "class"), *id2 = dom_attr(d, o, "id");
        fprintf(stderr, " <%s%s%.20s%s%.30s>", dom_tag_name(d, o, tag),
                id2 ? "#" : "", id2 ? id2 : "", c2 ? "." : "", c2 ? c2 : "");
        o = d->nodes[o].parent;
      }
      fprintf(stderr, "\n");
    }
  }
}

/* ---- the page -------------------------------------------------------- */

static wn_result parse(struct extract_ctx *ctx, struct page *p,
                       const char *html, size_t len,
                       struct extract_record *rec)
{
  wn_result rc = extract_dom_build(ctx->arena, &ctx->dom, html, len, &p->dom);

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

wn_result extract_page_run(struct extract_ctx *ctx,
                           const struct extract_input *in,
                           const struct extract_rules *rules,
                           const struct extract_record **out)
{
  struct extract_record *rec = &ctx->rec;
  struct page p;
  struct meta m;
  struct blocks bl;
  const char *html, *charset;
  size_t len;
  wn_result rc;

  (void)rules;
  if (!ctx || !in || (!in->html && in->len) || !out)
    return WN_E_INVALID;
  wn_arena_reset(ctx->arena);
  memset(rec, 0, sizeof(*rec));
  memset(&p, 0, sizeof(p));
  memset(&bl, 0, sizeof(bl));
  len = in->len;
  rec->truncated = in->truncated != 0;
  if (len > WN_MAX_PAGE_BYTES) {
    len = WN_MAX_PAGE_BYTES;
    rec->truncated = 1;
  }
  rc = extract_charset_to_utf8(in->html ? in->html : "", len,
                               in->http_charset, &ctx->utf8, &html, &len,
                               &charset);
  if (rc != WN_OK)
    return rc;
  if (len > WN_MAX_PAGE_BYTES) {
    len = wn_utf8_prefix(html, len, WN_MAX_PAGE_BYTES);
    rec->truncated = 1;
  }
  rec->charset = charset;
  p.arena = ctx->arena;
  p.runs = &ctx->runs;
  p.text = &ctx->text;
  p.scratch = &ctx->scratch;
  if (in->url && strlen(in->url) <= WN_MAX_URL_BYTES) {
    p.url = wn_arena_strdup(ctx->arena, in->url);
    if (!p.url)
      return WN_E_NOMEM;
  }
  rec->url = p.url;
  rc = parse(ctx, &p, html, len, rec);
  if (rc != WN_OK)
    return rc;
  rec->n_links = p.dom.n_links;
  p.root = p.dom.body != DOM_NONE ? p.dom.body : (p.dom.n ? 0 : DOM_NONE);

  extract_hints_compute(&p.dom);
  rc = extract_meta_read(&p, &m);
  if (rc != WN_OK)
    return rc;
  p.title = m.title;
  rec->canonical_url = m.canonical_url;
  rec->title = m.title;
  rec->author = m.author;
  rec->published = m.published;
  rec->site_name = m.site_name;
  rec->language = m.language;
  rec->description = m.description;

  if (p.root != DOM_NONE) {
    rc = extract_runs_build(&p.dom, p.root, p.dom.nodes[p.root].end, p.runs,
                            p.text);
    if (rc == WN_OK)
      rc = extract_content_select(&p);
    if (rc == WN_OK)
      rc = extract_related_find(&p);
    if (rc != WN_OK)
      return rc;
    extract_content_classify(&p);
    if (getenv("WINNOW_DEBUG"))
      debug_dump(&p);
    rc = build_blocks(&p, &bl);
    if (rc != WN_OK)
      return rc;
  } else {
    p.runs->n = 0;
  }
  /* Script-rendered pages: the JSON-LD articleBody is the article. */
  if (m.article_body && strlen(m.article_body) > 2 * body_chars(&bl) + 200) {
    bl.n = 0;
    rc = blocks_from_text(&p, &bl, m.article_body);
    if (rc != WN_OK)
      return rc;
  }
  rec->blocks = bl.v;
  rec->n_blocks = bl.n;
  rc = join_text(ctx, &bl);
  if (rc != WN_OK)
    return rc;
  rec->text = ctx->body.data ? ctx->body.data : "";
  rec->text_len = ctx->body.len;
  rec->fingerprint = wn_simhash64(rec->text, rec->text_len);
  rec->related = p.related;
  rec->n_related = p.n_related;
  if (p.root != DOM_NONE) {
    rc = build_boilerplate(&p, rec);
    if (rc != WN_OK)
      return rc;
  }
  *out = rec;
  return WN_OK;
}
