/* Unit tests for extract/select.c: which elements of small pages a
 * selector matches (element by element with extract_select_match, and in
 * one pass with extract_select_all, which must agree), ranges, dropped
 * subtrees, the output cap, the values selectors take, and deep or
 * pathological nesting that must stay O(depth x parts). */
#include "extract/extract_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rules.h"
#include "tests/unit/check.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct doc {
  struct wn_arena *arena;
  struct dom_vec vec;
  struct dom dom;
};

static int doc_build(struct doc *doc, const char *html)
{
  memset(doc, 0, sizeof(*doc));
  doc->arena = wn_arena_new(64u << 20);
  if (!doc->arena)
    return 0;
  return extract_dom_build(doc->arena, &doc->vec, html, strlen(html),
                           &doc->dom) == WN_OK;
}

static void doc_free(struct doc *doc)
{
  free(doc->vec.v);
  wn_arena_free(doc->arena);
}

static struct rules_selector *compile(const char *s)
{
  struct rules_selector *sel = NULL;
  struct wn_error err;

  wn_error_clear(&err);
  if (rules_selector_parse(s, &sel, &err) != WN_OK) {
    fprintf(stderr, "selector \"%s\": %s at %ld\n", s, err.message, err.offset);
    return NULL;
  }
  return sel;
}

/* "id" of element i, or "<tag>" when it has none. */
static void put_label(struct wn_buf *b, const struct dom *d, uint32_t i)
{
  const char *id = dom_attr(d, i, "id");
  char tag[32];

  if (b->len)
    wn_buf_addc(b, ' ');
  if (id) {
    wn_buf_adds(b, id);
  } else {
    wn_buf_printf(b, "<%s>", dom_tag_name(d, i, tag));
  }
}

/* Labels of the elements of [from, to) matching sel, found one by one. */
static const char *labels_each(struct wn_buf *b, const struct dom *d,
                               uint32_t from, uint32_t to,
                               const struct rules_selector *sel)
{
  uint32_t i;

  wn_buf_reset(b);
  for (i = from; i < to; i++)
    if (extract_select_match(d, i, sel))
      put_label(b, d, i);
  return wn_buf_str(b);
}

/* The same with extract_select_all. */
static const char *labels_all(struct wn_buf *b, const struct dom *d,
                              uint32_t from, uint32_t to,
                              const struct rules_selector *sel,
                              int skip_dropped, size_t max)
{
  uint32_t *out = calloc(max ? max : 1, sizeof(*out));
  size_t n = 12345, k;

  wn_buf_reset(b);
  if (!out)
    return "(nomem)";
  extract_select_all(d, from, to, sel, skip_dropped, out, max, &n);
  CHECK(n <= max);
  for (k = 0; k < n && k < max; k++) {
    CHECK(out[k] >= from && out[k] < to);
    CHECK(k == 0 || out[k] > out[k - 1]); /* document order, no repeat */
    put_label(b, d, out[k]);
  }
  free(out);
  return wn_buf_str(b);
}

/* ---- which elements match ---------------------------------------------- */

struct match_case {
  const char *html;
  const char *sel;
  const char *want; /* labels in document order */
};

#define NEST                                                                   \
  "<div id=a><p id=p1><span id=s1></span></p><span id=s2></span>"              \
  "</div><span id=s3></span>"
#define TWO_DIVS                                                               \
  "<section id=sec><div id=outer><article id=art>"                             \
  "<div id=inner><p id=p><span id=t>x</span></p></div>"                        \
  "</article></div></section>"
#define NOTS                                                                   \
  "<p id=a class='x y'></p><p id=b class=x></p><p id=c></p>"                   \
  "<div id=d class=y></div>"
#define ATTRS                                                                  \
  "<a id=a1 href='https://example.com/2019/page.html' "                        \
  "rel='nofollow noopener'></a><a id=a2 href='/local' "                        \
  "rel=nofollow></a><a id=a3></a><a id=a4 href='' data-X=Val "                 \
  "title='a  b'></a>"
#define CLASSES                                                                \
  "<div id=c1 class='a b'></div>"                                              \
  "<div id=c2 class=' a\tb\n'></div>"                                          \
  "<div id=c3 class=ab></div><div id=c4 class=A></div>"                        \
  "<div id=c5 class=a-b></div><div id=c6 class=''></div>"
#define CUSTOM                                                                 \
  "<amp-img id=i1 src=x></amp-img><my-widget id=w1>"                           \
  "<span id=s1></span></my-widget><AMP-IMG id=i2></AMP-IMG>"                   \
  "<x-a id=xa><x-ab id=xab></x-ab></x-a>"
#define CASES                                                                  \
  "<DIV ID=Up CLASS=Mixed><P id=lo class=mixed Data-K=V>"                      \
  "</P></DIV>"

static const struct match_case match_cases[] = {
    /* descendant and child */
    {NEST, "span", "s1 s2 s3"},
    {NEST, "div span", "s1 s2"},
    {NEST, "div > span", "s2"},
    {NEST, "div > p > span", "s1"},
    {NEST, "div p span", "s1"},
    {NEST, "div > p span", "s1"},
    {NEST, "div p > span", "s1"},
    {NEST, "div > span, p span", "s1 s2"},
    {NEST, "p span, div > span, span", "s1 s2 s3"},
    {NEST, "body > span", "s3"},
    {NEST, "body span", "s1 s2 s3"},
    {NEST, "html > span", ""},
    {NEST, "html span", "s1 s2 s3"},
    {NEST, "html > body > div > p > span", "s1"},
    {NEST, "html > div", ""},
    {NEST, "* > span", "s1 s2 s3"},
    {NEST, "div *", "p1 s1 s2"},
    {NEST, "div > *", "p1 s2"},
    {NEST, "body *", "a p1 s1 s2 s3"},
    {NEST, "span span", ""},
    {NEST, "p div", ""},
    {NEST, "span > p", ""},
    {NEST, "#a span", "s1 s2"},
    {NEST, "#a > #s2", "s2"},
    {NEST, "#p1 > #s2", ""},
    {NEST, "*", "<html> <head> <body> a p1 s1 s2 s3"},
    {NEST, "html", "<html>"},
    {NEST, "head, body", "<head> <body>"},
    /* a child combinator that the nearest match does not satisfy: the
     * nearest div is inside <article>, the outer one is the section's
     * child */
    {TWO_DIVS, "section > div span", "t"},
    {TWO_DIVS, "section > div p > span", "t"},
    {TWO_DIVS, "section > div > span", ""},
    {TWO_DIVS, "article > div span", "t"},
    {TWO_DIVS, "section > div > article > div > p > span", "t"},
    {TWO_DIVS, "section > div > div span", ""},
    {TWO_DIVS, "div div span", "t"},
    {TWO_DIVS, "div div div span", ""},
    {TWO_DIVS, "section div", "outer inner"},
    {TWO_DIVS, "section > div", "outer"},
    {TWO_DIVS, "div > article div", "inner"},
    {TWO_DIVS, "section div > p", "p"},
    {TWO_DIVS, "body > section > div > article > div", "inner"},
    /* :not */
    {NOTS, "p:not(.y)", "b c"},
    {NOTS, "p:not(.x, #c)", ""},
    {NOTS, "p:not([class])", "c"},
    {NOTS, "p:not(*)", ""},
    {NOTS, "*:not(.x).y", "d"},
    {NOTS, "body > :not(p)", "d"},
    {NOTS, "body > :not(p):not(div)", ""},
    {NOTS, "body :not(p, div)", ""},
    {NOTS, ":not(html):not(head):not(body):not(#a)", "b c d"},
    {NOTS, "p:not(p#a)", "b c"},
    {NOTS, "p:not(div)", "a b c"},
    {NOTS, "body > *:not(.x)", "c d"},
    {NOTS, ":not(body) > p", ""},
    {NOTS, ":not(head) > p", "a b c"},
    /* attribute operators */
    {ATTRS, "[href]", "a1 a2 a4"},
    {ATTRS, "a:not([href])", "a3"},
    {ATTRS, "a[href='']", "a4"},
    {ATTRS, "[href^=https]", "a1"},
    {ATTRS, "[href^='https://example.com/']", "a1"},
    {ATTRS, "[href^=/]", "a2"},
    {ATTRS, "[href^='']", ""},
    {ATTRS, "[href$=.html]", "a1"},
    {ATTRS, "[href$=local]", "a2"},
    {ATTRS, "[href$='']", ""},
    {ATTRS, "[href*=2019]", "a1"},
    {ATTRS, "[href*=/]", "a1 a2"},
    {ATTRS, "[href*='']", ""},
    {ATTRS, "[href=/local]", "a2"},
    {ATTRS, "[href=/LOCAL]", ""},
    {ATTRS, "[href=/loca]", ""},
    {ATTRS, "[rel~=nofollow]", "a1 a2"},
    {ATTRS, "[rel~=noopener]", "a1"},
    {ATTRS, "[rel~=nofoll]", ""},
    {ATTRS, "[rel~='nofollow noopener']", ""},
    {ATTRS, "[rel~='']", ""},
    {ATTRS, "[rel=nofollow]", "a2"},
    {ATTRS, "[rel=NOFOLLOW]", ""},
    {ATTRS, "[REL=nofollow]", "a2"},
    {ATTRS, "[data-x=Val]", "a4"},
    {ATTRS, "[DATA-X=Val]", "a4"},
    {ATTRS, "[data-x=val]", ""},
    {ATTRS, "[data-x]", "a4"},
    {ATTRS, "[title='a  b']", "a4"},
    {ATTRS, "[title~=b]", "a4"},
    {ATTRS, "[title~=a][title~=b]", "a4"},
    {ATTRS, "[id$='1']", "a1"},
    {ATTRS, "a[id^=a][href][rel]", "a1 a2"},
    {ATTRS, "[nope]", ""},
    /* classes: tokens split on ASCII whitespace, compared exactly */
    {CLASSES, ".a", "c1 c2"},
    {CLASSES, ".b", "c1 c2"},
    {CLASSES, ".a.b", "c1 c2"},
    {CLASSES, ".b.a", "c1 c2"},
    {CLASSES, ".ab", "c3"},
    {CLASSES, ".A", "c4"},
    {CLASSES, ".a-b", "c5"},
    {CLASSES, ".a.ab", ""},
    {CLASSES, "div.a:not(.b)", ""},
    {CLASSES, "[class]", "c1 c2 c3 c4 c5 c6"},
    {CLASSES, "[class='']", "c6"},
    {CLASSES, "[class~=a]", "c1 c2"},
    {CLASSES, "[class*=b]", "c1 c2 c3 c5"},
    {CLASSES, "#c1", "c1"},
    {CLASSES, "#C1", ""},
    {CLASSES, "#c1.a.b", "c1"},
    {CLASSES, "#c1.c", ""},
    /* custom and unknown elements use their own names */
    {CUSTOM, "amp-img", "i1 i2"},
    {CUSTOM, "AMP-IMG", "i1 i2"},
    {CUSTOM, "amp-img[src]", "i1"},
    {CUSTOM, "amp-im", ""},
    {CUSTOM, "amp-img-x", ""},
    {CUSTOM, "my-widget > span", "s1"},
    {CUSTOM, "body > my-widget", "w1"},
    {CUSTOM, "x-a", "xa"},
    {CUSTOM, "x-ab", "xab"},
    {CUSTOM, "x-a > x-ab", "xab"},
    {CUSTOM, "x-ab x-a", ""},
    /* case: tags and attribute names ignore it, ids, classes and values
     * keep it */
    {CASES, "div#Up", "Up"},
    {CASES, "DIV#Up", "Up"},
    {CASES, "Div#Up", "Up"},
    {CASES, "div#up", ""},
    {CASES, ".Mixed", "Up"},
    {CASES, ".mixed", "lo"},
    {CASES, ".MIXED", ""},
    {CASES, "div > P", "lo"},
    {CASES, "[data-k=V]", "lo"},
    {CASES, "[Data-K=V]", "lo"},
    {CASES, "[data-k=v]", ""},
    {CASES, "[ID=Up]", "Up"},
    /* elements the parser implies */
    {"<table><tr id=r><td id=c>x</td></tr></table>", "table > tbody > tr > td",
     "c"},
    {"<table><tr id=r><td id=c>x</td></tr></table>", "table > tr", ""},
    {"<table><tr id=r><td id=c>x</td></tr></table>", "table tr", "r"},
    {"<p id=a>one<p id=b>two", "p + p", NULL}, /* '+' is rejected */
    {"<p id=a>one<p id=b>two", "p p", ""},
    {"<p id=a>one<p id=b>two", "body > p", "a b"},
    {"<ul><li id=a>x<li id=b>y</ul>", "ul > li", "a b"},
    /* comma groups: each element once, in document order */
    {NOTS, "#d, #a, p.x", "a b d"},
    {NOTS, "p, p, p", "a b c"},
    {NOTS, ".y, .x", "a b d"},
    {NOTS, "#zz, #c", "c"},
    /* head content */
    {"<html><head><meta id=m property='og:title' content=T>"
     "<title id=t>x</title></head><body></body></html>",
     "meta[property=og:title]", "m"},
    {"<html><head><meta id=m property='og:title' content=T>"
     "<title id=t>x</title></head><body></body></html>",
     "head > *", "m t"},
};

static void check_match_cases(void)
{
  struct wn_buf b1, b2;
  size_t k;

  wn_buf_init(&b1, 1u << 20);
  wn_buf_init(&b2, 1u << 20);
  for (k = 0; k < N_ELEMS(match_cases); k++) {
    const struct match_case *c = &match_cases[k];
    struct rules_selector *sel = NULL;
    struct doc doc;

    if (!c->want) {
      CHECK_INT(rules_selector_parse(c->sel, &sel, NULL), WN_E_RULE);
      continue;
    }
    sel = compile(c->sel);
    CHECK(sel != NULL);
    if (!sel)
      continue;
    CHECK(doc_build(&doc, c->html));
    if (doc.dom.n) {
      const char *each = labels_each(&b1, &doc.dom, 0, doc.dom.n, sel);
      const char *all =
          labels_all(&b2, &doc.dom, 0, doc.dom.n, sel, 0, doc.dom.n);

      if (strcmp(each, c->want) != 0 || strcmp(all, c->want) != 0)
        fprintf(stderr, "match case %zu \"%s\"\n", k, c->sel);
      CHECK_STR(each, c->want);
      CHECK_STR(all, c->want);
    }
    doc_free(&doc);
    rules_selector_free(sel);
  }
  wn_buf_free(&b1);
  wn_buf_free(&b2);
}

/* ---- text nodes, arguments ---------------------------------------------- */

static void check_elements_only(void)
{
  struct rules_selector *sel = compile("*");
  struct doc doc;
  uint32_t i, n_elements = 0, *out;
  size_t n = 0;

  CHECK(sel != NULL);
  CHECK(doc_build(&doc, "<p>text <b>bold</b> tail<!-- c --></p>x"));
  out = calloc(doc.dom.n + 1, sizeof(*out));
  if (sel && out) {
    for (i = 0; i < doc.dom.n; i++) {
      int is_el = doc.dom.nodes[i].type == XN_ELEMENT;

      n_elements += (uint32_t)is_el;
      CHECK_INT(extract_select_match(&doc.dom, i, sel), is_el);
    }
    CHECK(n_elements < doc.dom.n); /* the page does have text nodes */
    extract_select_all(&doc.dom, 0, doc.dom.n, sel, 0, out, doc.dom.n, &n);
    CHECK_INT(n, n_elements);
    /* out-of-range and missing arguments */
    CHECK_INT(extract_select_match(&doc.dom, doc.dom.n, sel), 0);
    CHECK_INT(extract_select_match(&doc.dom, UINT32_MAX, sel), 0);
    CHECK_INT(extract_select_match(&doc.dom, 0, NULL), 0);
    n = 7;
    extract_select_all(&doc.dom, 0, doc.dom.n, sel, 0, out, 0, &n);
    CHECK_INT(n, 0);
    n = 7;
    extract_select_all(&doc.dom, 5, 2, sel, 0, out, doc.dom.n, &n);
    CHECK_INT(n, 0);
    n = 7; /* `to` past the end is clipped */
    extract_select_all(&doc.dom, 0, UINT32_MAX, sel, 0, out, doc.dom.n, &n);
    CHECK_INT(n, n_elements);
  }
  free(out);
  doc_free(&doc);
  rules_selector_free(sel);
}

/* ---- ranges, dropped subtrees, the output cap ---------------------------- */

struct range_case {
  const char *html;
  const char *root; /* id of the element whose subtree is searched, or NULL
                       for the whole document */
  const char *sel;
  int skip_dropped;
  size_t max;
  const char *want;
};

#define RANGE                                                                  \
  "<div id=r1><p id=a class=x><span id=s1></span></p></div>"                   \
  "<div id=r2 class=x><p id=b><span id=s2></span></p>"                         \
  "<svg id=g><g id=gg class=x></g></svg>"                                      \
  "<script id=js class=x></script></div>"

static const struct range_case range_cases[] = {
    {RANGE, NULL, ".x", 0, 100, "a r2 gg js"},
    {RANGE, NULL, ".x", 1, 100, "a r2"},
    {RANGE, NULL, "[id]", 1, 100, "r1 a s1 r2 b s2"},
    {RANGE, NULL, "svg, svg *", 0, 100, "g gg"},
    {RANGE, NULL, "svg, svg *", 1, 100, ""},
    {RANGE, "r2", ".x", 0, 100, "r2 gg js"},
    {RANGE, "r2", ".x", 1, 100, "r2"},
    {RANGE, "r2", "span", 0, 100, "s2"},
    /* ancestors outside the range still count */
    {RANGE, "b", "body > div > p > span", 0, 100, "s2"},
    {RANGE, "b", ".x span", 0, 100, "s2"},
    {RANGE, "b", ".x > p", 0, 100, "b"},
    {RANGE, "a", ".x > p", 0, 100, ""},
    {RANGE, "s1", "div > p > span", 0, 100, "s1"},
    {RANGE, "r1", "#r2 span", 0, 100, ""},
    /* the cap */
    {RANGE, NULL, "[id]", 0, 3, "r1 a s1"},
    {RANGE, NULL, "[id]", 0, 1, "r1"},
    {RANGE, NULL, "span", 0, 1, "s1"},
    {RANGE, "r2", "[id]", 1, 2, "r2 b"},
};

static uint32_t find_id(const struct dom *d, const char *id)
{
  uint32_t i;

  for (i = 0; i < d->n; i++) {
    const char *v;

    if (d->nodes[i].type == XN_ELEMENT && (v = dom_attr(d, i, "id")) &&
        strcmp(v, id) == 0)
      return i;
  }
  return DOM_NONE;
}

static void check_range_cases(void)
{
  struct wn_buf b;
  size_t k;

  wn_buf_init(&b, 1u << 16);
  for (k = 0; k < N_ELEMS(range_cases); k++) {
    const struct range_case *c = &range_cases[k];
    struct rules_selector *sel = compile(c->sel);
    struct doc doc;
    uint32_t from = 0, to;

    CHECK(doc_build(&doc, c->html));
    to = doc.dom.n;
    if (c->root) {
      from = find_id(&doc.dom, c->root);
      CHECK(from != DOM_NONE);
      to = from == DOM_NONE ? 0 : doc.dom.nodes[from].end;
    }
    if (sel && from != DOM_NONE) {
      const char *got =
          labels_all(&b, &doc.dom, from, to, sel, c->skip_dropped, c->max);

      if (strcmp(got, c->want) != 0)
        fprintf(stderr, "range case %zu \"%s\"\n", k, c->sel);
      CHECK_STR(got, c->want);
      /* Without skipping and without a cap, one by one agrees. */
      if (!c->skip_dropped && c->max >= doc.dom.n) {
        struct wn_buf e;

        wn_buf_init(&e, 1u << 16);
        CHECK_STR(labels_each(&e, &doc.dom, from, to, sel), c->want);
        wn_buf_free(&e);
      }
    }
    doc_free(&doc);
    rules_selector_free(sel);
  }
  wn_buf_free(&b);
}

/* ---- values ------------------------------------------------------------- */

struct value_case {
  const char *html;
  const char *sel;
  const char *prefix; /* already in the buffer */
  const char *want;
};

static const struct value_case value_cases[] = {
    {"<time id=t class=entry-date datetime='2019-11-19T10:00:00Z'>"
     "19 Nov</time>",
     "time.entry-date@datetime", "", "2019-11-19T10:00:00Z"},
    {"<time class=entry-date datetime='2019-11-19'>19 Nov</time>",
     "time.entry-date", "", "19 Nov"},
    {"<html><head><meta property='og:title' content='Hello &amp; bye'>"
     "</head></html>",
     "meta[property=og:title]@content", "", "Hello & bye"},
    {"<html><head><meta property='og:title' content='  spaced  '>"
     "</head></html>",
     "meta[property=og:title]@content", "", "  spaced  "},
    {"<h1>  Hello \n  <em>big</em>\t world </h1>", "h1", "", "Hello big world"},
    {"<h1>  Hello <em>big</em> world </h1>", "h1", "x:", "x:Hello big world"},
    {"<div id=d><p>One</p><p>Two</p></div>", "#d", "", "One Two"},
    {"<div id=d>A<script>var x = 1;</script> B</div>", "#d", "", "A B"},
    {"<h1 title=T>x</h1>", "h1@title", "", "T"},
    {"<h1 title=T>x</h1>", "h1@TITLE", "", "T"},
    {"<h1>x</h1>", "h1@title", "", ""},         /* missing: empty */
    {"<h1>x</h1>", "h1@title", "keep", "keep"}, /* and nothing added */
    {"<h1 title=''>x</h1>", "h1@title", "", ""},
    {"<a href='/p?a=1&amp;b=2'>x</a>", "a@href", "", "/p?a=1&b=2"},
    {"<p></p>", "p", "", ""},
    {"<p>caf\xc3\xa9  \xe6\x97\xa5</p>", "p", "", "caf\xc3\xa9 \xe6\x97\xa5"},
};

static void check_value_cases(void)
{
  size_t k;

  for (k = 0; k < N_ELEMS(value_cases); k++) {
    const struct value_case *c = &value_cases[k];
    struct rules_selector *sel = compile(c->sel);
    struct wn_buf out;
    struct doc doc;
    uint32_t hit[4];
    size_t n = 0;

    wn_buf_init(&out, 1u << 16);
    CHECK(doc_build(&doc, c->html));
    if (sel)
      extract_select_all(&doc.dom, 0, doc.dom.n, sel, 0, hit, 4, &n);
    CHECK_INT(n, 1);
    if (n == 1) {
      wn_buf_adds(&out, c->prefix);
      CHECK_INT(extract_select_value(&doc.dom, hit[0], sel, &out), WN_OK);
      if (strcmp(wn_buf_str(&out), c->want) != 0)
        fprintf(stderr, "value case %zu \"%s\"\n", k, c->sel);
      CHECK_STR(wn_buf_str(&out), c->want);
    }
    /* Not an element, out of range. */
    if (sel && doc.dom.n) {
      uint32_t i;

      CHECK_INT(extract_select_value(&doc.dom, doc.dom.n, sel, &out),
                WN_E_INVALID);
      for (i = 0; i < doc.dom.n; i++)
        if (doc.dom.nodes[i].type == XN_TEXT) {
          CHECK_INT(extract_select_value(&doc.dom, i, sel, &out), WN_E_INVALID);
          break;
        }
    }
    wn_buf_free(&out);
    doc_free(&doc);
    rules_selector_free(sel);
  }
}

/* ---- deep and pathological nesting ----------------------------------------
 */

/* head + n x open + inner + n x close, into b. */
static const char *nested(struct wn_buf *b, const char *head, size_t n,
                          const char *open, const char *inner,
                          const char *close, const char *tail)
{
  size_t k;

  wn_buf_reset(b);
  wn_buf_adds(b, head);
  for (k = 0; k < n; k++)
    wn_buf_adds(b, open);
  wn_buf_adds(b, inner);
  for (k = 0; k < n; k++)
    wn_buf_adds(b, close);
  wn_buf_adds(b, tail);
  return wn_buf_str(b);
}

struct deep_case {
  size_t depth;     /* nested <div>s */
  const char *head; /* before them (inside <body>) */
  const char *sel;
  size_t want;   /* number of matching elements */
  int want_deep; /* the innermost <span id=deep> matches */
  int compare;   /* one-by-one must agree (cheap enough to run) */
};

static const struct deep_case deep_cases[] = {
    {3000, "", "div > div > span", 1, 1, 1},
    {3000, "", "body span", 1, 1, 1},
    {3000, "", "body > span", 0, 0, 1},
    {3000, "", "body > div span", 1, 1, 1},
    {3000, "", "body > div > div span", 1, 1, 1},
    {3000, "", "html > body > div > div > div", 1, 0, 1},
    {3000, "", "div", 3000, 0, 1},
    {3000, "", "div div", 2999, 0, 1},
    {3000, "", "div > div", 2999, 0, 1},
    {3000, "", "body > div", 1, 0, 1},
    {3000, "", "section div", 0, 0, 1},
    {2000, "", "div div div div div div div div span", 1, 1, 1},
    {2000, "", "section div div div div div div div span", 0, 0, 1},
    {2000, "", "div div div div div div div div section", 0, 0, 1},
    {2000, "", "body > div div div div div div div > span", 1, 1, 1},
    {2000, "", "body > div div div div div div div > div > span", 1, 1, 1},
    {2000, "", "section > div div div div div div div div span", 0, 0, 1},
    {2000, "", "div > div > div > div > div > div > div > span", 1, 1, 1},
    {2000, "", "div div > div div > div div > div div > span", 1, 1, 1},
    {2000, "",
     "p div div div div div div div div div span, "
     "section div div div div div div div span",
     0, 0, 1},
    {2000, "<p>x</p>", "p div div div div div div div span", 0, 0, 1},
};

static double now_seconds(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check_deep_cases(void)
{
  struct wn_buf html;
  size_t k;

  wn_buf_init(&html, 1u << 22);
  for (k = 0; k < N_ELEMS(deep_cases); k++) {
    const struct deep_case *c = &deep_cases[k];
    struct rules_selector *sel;
    struct doc doc;
    uint32_t deep, i, *out;
    size_t n = 0, n_each = 0;
    double t0;

    sel = compile(c->sel);
    CHECK(sel != NULL);
    if (!sel)
      continue;
    CHECK(doc_build(&doc, nested(&html, c->head, c->depth, "<div>",
                                 "<span id=deep>x</span>", "</div>", "")));
    deep = find_id(&doc.dom, "deep");
    CHECK(deep != DOM_NONE);
    CHECK(deep == DOM_NONE || doc.dom.nodes[deep].depth > c->depth);
    out = calloc(doc.dom.n, sizeof(*out));
    if (!out || deep == DOM_NONE)
      goto next;

    /* One element: bounded by depth x parts, whatever the selector. */
    t0 = now_seconds();
    CHECK_INT(extract_select_match(&doc.dom, deep, sel), c->want_deep);
    CHECK(now_seconds() - t0 < 1.0);

    t0 = now_seconds();
    extract_select_all(&doc.dom, 0, doc.dom.n, sel, 0, out, doc.dom.n, &n);
    CHECK(now_seconds() - t0 < 2.0);
    CHECK_INT(n, c->want);
    if (c->want_deep)
      CHECK(n > 0 && out[n - 1] == deep);
    if (c->compare) {
      for (i = 0; i < doc.dom.n; i++)
        if (extract_select_match(&doc.dom, i, sel)) {
          CHECK(n_each < n && out[n_each] == i);
          n_each++;
        }
      CHECK_INT(n_each, n);
    }
    if (n != c->want)
      fprintf(stderr, "deep case %zu \"%s\"\n", k, c->sel);
  next:
    free(out);
    doc_free(&doc);
    rules_selector_free(sel);
  }
  wn_buf_free(&html);
}

/* extract_select_match walks at most WN_MAX_DOM_DEPTH ancestors;
 * extract_select_all carries state down the tree and sees all of them.
 * The two differ only for a match that needs an ancestor further up. */
static void check_ancestor_cap(void)
{
  struct wn_buf html;
  struct rules_selector *far = compile("section span");
  struct rules_selector *near = compile("section div span");
  struct rules_selector *child = compile("div > span");
  struct doc doc;
  uint32_t deep, out[4];
  size_t n = 0;

  wn_buf_init(&html, 1u << 22);
  CHECK(doc_build(&doc,
                  nested(&html, "<section>", WN_MAX_DOM_DEPTH + 100, "<div>",
                         "<span id=deep>x</span>", "</div>", "</section>")));
  deep = find_id(&doc.dom, "deep");
  CHECK(deep != DOM_NONE);
  if (far && near && child && deep != DOM_NONE) {
    CHECK_INT(extract_select_match(&doc.dom, deep, far), 0);
    CHECK_INT(extract_select_match(&doc.dom, deep, near), 0);
    CHECK_INT(extract_select_match(&doc.dom, deep, child), 1);
    extract_select_all(&doc.dom, 0, doc.dom.n, far, 0, out, 4, &n);
    CHECK_INT(n, 1);
    CHECK(n == 1 && out[0] == deep);
  }
  doc_free(&doc);
  /* Just inside the cap, both find it. */
  CHECK(doc_build(&doc,
                  nested(&html, "<section>", WN_MAX_DOM_DEPTH - 1, "<div>",
                         "<span id=deep>x</span>", "</div>", "</section>")));
  deep = find_id(&doc.dom, "deep");
  if (far && deep != DOM_NONE)
    CHECK_INT(extract_select_match(&doc.dom, deep, far), 1);
  doc_free(&doc);
  wn_buf_free(&html);
  rules_selector_free(far);
  rules_selector_free(near);
  rules_selector_free(child);
}

int main(void)
{
  check_match_cases();
  check_elements_only();
  check_range_cases();
  check_value_cases();
  check_deep_cases();
  check_ancestor_cap();
  return check_exit();
}
