/* Gumbo parsing into the page arena, and the flat pre-order node array. */
#include "extract/extract_int.h"
#include "rules/rules.h"

#include <gumbo.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Gumbo cannot handle a failed allocation, so the allocator jumps back to
 * extract_dom_build instead of returning NULL. Everything Gumbo allocated
 * lives in the arena, so abandoning the parse leaks nothing. */
struct alloc_ud {
  struct wn_arena *arena;
  jmp_buf fail;
};

static void *gumbo_alloc(void *ud, size_t size)
{
  struct alloc_ud *a = ud;
  void *p = wn_arena_alloc(a->arena, size);

  if (!p)
    longjmp(a->fail, 1);
  return p;
}

static void gumbo_dealloc(void *ud, void *ptr)
{
  /* Freed with the arena. */
  (void)ud;
  (void)ptr;
}

static int is_block_tag(GumboTag t)
{
  switch (t) {
  case GUMBO_TAG_ADDRESS:
  case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_BLOCKQUOTE:
  case GUMBO_TAG_BODY:
  case GUMBO_TAG_CAPTION:
  case GUMBO_TAG_CENTER:
  case GUMBO_TAG_DD:
  case GUMBO_TAG_DETAILS:
  case GUMBO_TAG_DIR:
  case GUMBO_TAG_DIV:
  case GUMBO_TAG_DL:
  case GUMBO_TAG_DT:
  case GUMBO_TAG_FIELDSET:
  case GUMBO_TAG_FIGCAPTION:
  case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FOOTER:
  case GUMBO_TAG_FORM:
  case GUMBO_TAG_H1:
  case GUMBO_TAG_H2:
  case GUMBO_TAG_H3:
  case GUMBO_TAG_H4:
  case GUMBO_TAG_H5:
  case GUMBO_TAG_H6:
  case GUMBO_TAG_HEADER:
  case GUMBO_TAG_HGROUP:
  case GUMBO_TAG_HR:
  case GUMBO_TAG_HTML:
  case GUMBO_TAG_LI:
  case GUMBO_TAG_LISTING:
  case GUMBO_TAG_MAIN:
  case GUMBO_TAG_MENU:
  case GUMBO_TAG_NAV:
  case GUMBO_TAG_OL:
  case GUMBO_TAG_P:
  case GUMBO_TAG_PLAINTEXT:
  case GUMBO_TAG_PRE:
  case GUMBO_TAG_SECTION:
  case GUMBO_TAG_SUMMARY:
  case GUMBO_TAG_TABLE:
  case GUMBO_TAG_TBODY:
  case GUMBO_TAG_TD:
  case GUMBO_TAG_TFOOT:
  case GUMBO_TAG_TH:
  case GUMBO_TAG_THEAD:
  case GUMBO_TAG_TR:
  case GUMBO_TAG_UL:
  case GUMBO_TAG_XMP:
  case GUMBO_TAG_OPTGROUP:
  case GUMBO_TAG_OPTION:
  case GUMBO_TAG_LEGEND:
    return 1;
  default:
    return 0;
  }
}

/* Elements whose content is never article text. */
static int is_drop_tag(GumboTag t)
{
  switch (t) {
  case GUMBO_TAG_HEAD:
  case GUMBO_TAG_SCRIPT:
  case GUMBO_TAG_STYLE:
  case GUMBO_TAG_NOSCRIPT:
  case GUMBO_TAG_TEMPLATE:
  case GUMBO_TAG_SVG:
  case GUMBO_TAG_MATH:
  case GUMBO_TAG_CANVAS:
  case GUMBO_TAG_IFRAME:
  case GUMBO_TAG_OBJECT:
  case GUMBO_TAG_EMBED:
  case GUMBO_TAG_VIDEO:
  case GUMBO_TAG_AUDIO:
  case GUMBO_TAG_MAP:
  case GUMBO_TAG_SELECT:
  case GUMBO_TAG_INPUT:
  case GUMBO_TAG_TEXTAREA:
  case GUMBO_TAG_DATALIST:
  case GUMBO_TAG_TITLE:
  case GUMBO_TAG_FRAMESET:
  case GUMBO_TAG_NOFRAMES:
  case GUMBO_TAG_APPLET:
  case GUMBO_TAG_KEYGEN:
    return 1;
  default:
    return 0;
  }
}

static const char *attr_of(const GumboNode *g, const char *name)
{
  const GumboAttribute *a;

  if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_TEMPLATE)
    return NULL;
  a = gumbo_get_attribute(&g->v.element.attributes, name);
  return a ? a->value : NULL;
}

/* Inline style that hides the element. */
static int style_hides(const char *s)
{
  const char *p;

  for (p = s; (p = wn_ascii_casestr(p, strlen(p), "display")); p += 7) {
    const char *q = p + 7;
    while (*q == ' ' || *q == ':')
      q++;
    if (wn_ascii_ncasecmp(q, "none", 4) == 0)
      return 1;
  }
  for (p = s; (p = wn_ascii_casestr(p, strlen(p), "visibility")); p += 10) {
    const char *q = p + 10;
    while (*q == ' ' || *q == ':')
      q++;
    if (wn_ascii_ncasecmp(q, "hidden", 6) == 0)
      return 1;
  }
  return 0;
}

static int is_hidden(const GumboNode *g)
{
  const char *v;

  if (attr_of(g, "hidden"))
    return 1;
  v = attr_of(g, "style");
  if (v && style_hides(v))
    return 1;
  v = attr_of(g, "aria-hidden");
  if (v && wn_ascii_casecmp(v, "true") == 0 &&
      g->v.element.tag != GUMBO_TAG_A && g->v.element.tag != GUMBO_TAG_SPAN)
    return 1;
  return 0;
}

static wn_result grow(struct dom_vec *vec)
{
  uint32_t cap = vec->cap ? vec->cap * 2 : 4096;
  struct xnode *v;

  if (vec->cap >= WN_MAX_DOM_NODES)
    return WN_E_TOO_LARGE;
  if (cap > WN_MAX_DOM_NODES)
    cap = WN_MAX_DOM_NODES;
  v = realloc(vec->v, (size_t)cap * sizeof(*v));
  if (!v)
    return WN_E_NOMEM;
  vec->v = v;
  vec->cap = cap;
  return WN_OK;
}

/* The class words' bits, for the selector matcher's quick reject. */
static uint64_t class_bits(const char *s)
{
  uint64_t bits = 0;

  while (*s) {
    const char *w;

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\f' || *s == '\r')
      s++;
    w = s;
    while (*s && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\f' &&
           *s != '\r')
      s++;
    if (s > w)
      bits |= rules_class_bit(w, (size_t)(s - w));
  }
  return bits;
}

struct frame {
  const GumboNode *g;
  uint32_t index;
  uint32_t next_child;
};

/* Pre-order flattening with an explicit stack (pages nest arbitrarily
 * deep). Flags inherited from ancestors (drop, link, pre) are applied as
 * nodes are appended. Nodes past WN_MAX_DOM_NODES are skipped. */
static wn_result flatten(struct dom_vec *vec, const GumboNode *root,
                         struct wn_arena *arena, struct dom *d)
{
  struct frame *stack = NULL;
  size_t depth = 0, cap = 0;
  uint32_t n = 0;
  wn_result rc = WN_OK;

  d->html = d->head = d->body = DOM_NONE;
  d->n_links = 0;
  cap = 256;
  stack = malloc(cap * sizeof(*stack));
  if (!stack)
    return WN_E_NOMEM;
  stack[0].g = root;
  stack[0].index = DOM_NONE;
  stack[0].next_child = 0;
  depth = 1;
  while (depth) {
    struct frame *f = &stack[depth - 1];
    const GumboVector *kids = &f->g->v.element.children;
    const GumboNode *c;
    struct xnode *x, *p;
    uint32_t i;

    if (f->g->type == GUMBO_NODE_DOCUMENT)
      kids = &f->g->v.document.children;
    if (f->next_child >= kids->length) {
      if (f->index != DOM_NONE)
        vec->v[f->index].end = n;
      depth--;
      continue;
    }
    c = kids->data[f->next_child++];
    if (c->type == GUMBO_NODE_COMMENT || c->type == GUMBO_NODE_DOCUMENT)
      continue;
    if (n >= vec->cap && (rc = grow(vec)) != WN_OK) {
      if (rc == WN_E_TOO_LARGE) {
        rc = WN_OK; /* keep what fits */
        break;
      }
      goto out;
    }
    i = n++;
    x = &vec->v[i];
    memset(x, 0, sizeof(*x));
    x->g = c;
    x->parent = f->index;
    x->end = i + 1;
    p = f->index == DOM_NONE ? NULL : &vec->v[f->index];
    x->depth =
        p ? (uint16_t)(p->depth < UINT16_MAX ? p->depth + 1 : p->depth) : 0;
    if (p)
      x->flags = p->flags & (XF_DROP | XF_IN_LINK | XF_PRE | XF_HIDDEN);
    if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE) {
      GumboTag t = c->v.element.tag;

      x->type = XN_ELEMENT;
      x->tag = (uint16_t)t;
      if (is_block_tag(t))
        x->flags |= XF_BLOCK;
      if (c->type == GUMBO_NODE_TEMPLATE || is_drop_tag(t))
        x->flags |= XF_DROP;
      if (is_hidden(c))
        x->flags |= XF_HIDDEN;
      if (t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING ||
          t == GUMBO_TAG_PLAINTEXT || t == GUMBO_TAG_XMP)
        x->flags |= XF_PRE;
      {
        const GumboVector *attrs = &c->v.element.attributes;
        unsigned a;

        for (a = 0; a < attrs->length; a++) {
          const GumboAttribute *at = attrs->data[a];
          if (!x->cls && strcmp(at->name, "class") == 0) {
            x->cls = at->value;
            x->class_bits = class_bits(at->value);
          }
          else if (!x->id && strcmp(at->name, "id") == 0)
            x->id = at->value;
        }
      }
      if (t == GUMBO_TAG_A && attr_of(c, "href")) {
        x->flags |= XF_IN_LINK;
        d->n_links++;
      }
      if (t == GUMBO_TAG_HTML && d->html == DOM_NONE)
        d->html = i;
      else if (t == GUMBO_TAG_HEAD && d->head == DOM_NONE)
        d->head = i;
      else if (t == GUMBO_TAG_BODY && d->body == DOM_NONE)
        d->body = i;
      if (depth == cap) {
        struct frame *s;
        if (cap >= WN_MAX_DOM_NODES)
          continue; /* cannot happen: nodes are capped first */
        s = realloc(stack, cap * 2 * sizeof(*stack));
        if (!s) {
          rc = WN_E_NOMEM;
          goto out;
        }
        stack = s;
        cap *= 2;
      }
      stack[depth].g = c;
      stack[depth].index = i;
      stack[depth].next_child = 0;
      depth++;
    } else {
      x->type = XN_TEXT;
      x->text = c->v.text.text;
      x->text_len = (uint32_t)strlen(c->v.text.text);
    }
  }
  /* Close frames left open when the node cap stopped the walk. */
  while (depth) {
    if (stack[depth - 1].index != DOM_NONE)
      vec->v[stack[depth - 1].index].end = n;
    depth--;
  }
  d->nodes = vec->v;
  d->n = n;
out:
  (void)arena;
  free(stack);
  return rc;
}

/* ---- nesting prescan ---------------------------------------------------
 * Gumbo checks the stack of open elements for every start tag, so a page
 * nested 100,000 deep costs it seconds (browsers cap the depth for the
 * same reason). A tag-level scan estimates the depth; the page is cut
 * where the estimate passes WN_MAX_PARSE_DEPTH. */

static int name_is(const char *s, size_t n, const char *name)
{
  return strlen(name) == n && wn_ascii_ncasecmp(s, name, n) == 0;
}

/* Elements that never stay open (void) or that the next sibling closes. */
static int never_nests(const char *s, size_t n)
{
  static const char *const names[] = {
      "area",   "base",     "br",     "col",   "embed",  "hr",    "img",
      "input",  "link",     "meta",   "param", "source", "track", "wbr",
      "p",      "li",       "dt",     "dd",    "tr",     "td",    "th",
      "option", "optgroup", "keygen", "image"};
  size_t k;

  for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
    if (name_is(s, n, names[k]))
      return 1;
  return 0;
}

static int is_raw_text(const char *s, size_t n)
{
  return name_is(s, n, "script") || name_is(s, n, "style") ||
         name_is(s, n, "textarea") || name_is(s, n, "title") ||
         name_is(s, n, "xmp") || name_is(s, n, "iframe") ||
         name_is(s, n, "noembed") || name_is(s, n, "noframes") ||
         name_is(s, n, "noscript");
}

static int is_alpha(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Skip a tag's attributes up to and past '>' (quotes respected). Sets
 * *self_closing for "/>". */
static size_t skip_tag(const char *h, size_t len, size_t i, int *self_closing)
{
  char quote = 0;

  *self_closing = 0;
  for (; i < len; i++) {
    char c = h[i];

    if (quote) {
      if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      *self_closing = i > 0 && h[i - 1] == '/';
      return i + 1;
    }
  }
  return len;
}

size_t extract_dom_depth_cut(const char *h, size_t len, size_t max_depth)
{
  size_t i = 0, depth = 0;

  while (i < len) {
    const char *lt = memchr(h + i, '<', len - i);
    size_t start, n;
    int closing, self_closing;

    if (!lt)
      break;
    i = (size_t)(lt - h);
    start = i;
    if (i + 4 <= len && memcmp(h + i, "<!--", 4) == 0) {
      const char *end = NULL;
      size_t j;
      for (j = i + 4; j + 3 <= len; j++)
        if (h[j] == '-' && h[j + 1] == '-' && h[j + 2] == '>') {
          end = h + j + 3;
          break;
        }
      i = end ? (size_t)(end - h) : len;
      continue;
    }
    closing = i + 1 < len && h[i + 1] == '/';
    i += closing ? 2 : 1;
    if (i >= len || !is_alpha(h[i]))
      continue;
    n = 0;
    while (i + n < len &&
           (is_alpha(h[i + n]) || (h[i + n] >= '0' && h[i + n] <= '9') ||
            h[i + n] == '-'))
      n++;
    {
      const char *name = h + i;
      i = skip_tag(h, len, i + n, &self_closing);
      if (closing) {
        if (!never_nests(name, n) && depth)
          depth--;
        continue;
      }
      if (is_raw_text(name, n)) {
        /* skip to the matching end tag */
        size_t j;
        for (j = i; j + n + 2 < len; j++)
          if (h[j] == '<' && h[j + 1] == '/' &&
              wn_ascii_ncasecmp(h + j + 2, name, n) == 0)
            break;
        i = j;
        continue;
      }
      if (self_closing || never_nests(name, n))
        continue;
      if (++depth > max_depth)
        return start;
    }
  }
  return len;
}

wn_result extract_dom_build(struct wn_arena *arena, struct dom_vec *vec,
                            const char *html, size_t len, struct dom *out)
{
  /* volatile: read after longjmp. */
  struct alloc_ud *volatile ud = NULL;
  GumboOptions opts = kGumboDefaultOptions;
  GumboOutput *g;

  ud = wn_arena_alloc(arena, sizeof(*ud));
  if (!ud)
    return WN_E_NOMEM;
  ud->arena = arena;
  opts.allocator = gumbo_alloc;
  opts.deallocator = gumbo_dealloc;
  opts.userdata = ud;
  /* Parse errors are never used; recording them costs time and memory. */
  opts.max_errors = 0;
  if (setjmp(ud->fail))
    return WN_E_TOO_LARGE;
  g = gumbo_parse_with_options(&opts, html, len);
  out->output = g;
  return flatten(vec, g->document, arena, out);
}

int dom_is_heading(uint16_t tag)
{
  return tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6;
}

const char *dom_attr(const struct dom *d, uint32_t i, const char *name)
{
  return attr_of(d->nodes[i].g, name);
}

const char *dom_tag_name(const struct dom *d, uint32_t i, char buf[32])
{
  const GumboNode *g = d->nodes[i].g;
  GumboStringPiece p;
  size_t k, n;

  buf[0] = '\0';
  if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_TEMPLATE)
    return buf;
  if (g->v.element.tag != GUMBO_TAG_UNKNOWN) {
    const char *s = gumbo_normalized_tagname(g->v.element.tag);
    n = strlen(s);
    if (n > 31)
      n = 31;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
  }
  p = g->v.element.original_tag;
  gumbo_tag_from_original_text(&p);
  n = p.length > 31 ? 31 : p.length;
  for (k = 0; k < n; k++)
    buf[k] = (char)wn_ascii_tolower((unsigned char)p.data[k]);
  buf[n] = '\0';
  return buf;
}
