/* Blocks of the record: the shape of each kept run (paragraph, heading,
 * list, table, quote, code), runs joined into blocks, and the boilerplate
 * list made of the runs that were not kept. */
#include "extract/extract_int.h"

#include <gumbo.h>
#include <string.h>

/* ---- block shapes ---------------------------------------------------- */

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

void extract_shape_of(const struct page *p, const struct run *r,
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
      if (s->type == EXTRACT_BLOCK_PARAGRAPH || s->type == EXTRACT_BLOCK_LIST ||
          s->type == EXTRACT_BLOCK_QUOTE) {
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

static wn_result block_push(struct page *p, struct blocks *bl,
                            const struct shape *s, const char *text, size_t len)
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
wn_result extract_blocks_build(struct page *p, struct blocks *bl)
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
    extract_shape_of(p, r, &s);
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
wn_result extract_blocks_from_text(struct page *p, struct blocks *bl,
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
wn_result extract_boilerplate_build(struct page *p, struct extract_record *rec)
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

    if (r)
      reg = region_of(p, r->owner);
    /* Body text between two dropped runs separates their entries. */
    if (cur->len &&
        (!r || (r->flags & RF_KEEP) || r->kind != kind || reg != region)) {
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
    if (r->flags & RF_KEEP)
      continue;
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
