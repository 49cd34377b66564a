/* Unit tests for rules/selector.c: the parsed form of valid selectors, the
 * message and offset of every error, the limits, and a fixed-seed junk
 * loop (random and mutated selectors must parse or fail cleanly, and what
 * parses must print back to something that parses the same). */
#include "rules/rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- dumping ------------------------------------------------------------
 * A readable, unambiguous-enough form of the AST for the tables:
 *   tag or '*', #id, .class..., [name OP "value"]..., :not(c, c)
 * parts joined by " " or " > ", alternatives by ", ", then " @attr". */

static const char *op_text(rules_attr_op op)
{
  switch (op) {
  case RULES_ATTR_EQ:
    return "=";
  case RULES_ATTR_CONTAINS:
    return "*=";
  case RULES_ATTR_PREFIX:
    return "^=";
  case RULES_ATTR_SUFFIX:
    return "$=";
  case RULES_ATTR_WORD:
    return "~=";
  case RULES_ATTR_EXISTS:
  default:
    return "";
  }
}

/* esc: write selector syntax that parses back (names escaped, values
 * quoted) instead of the readable dump. */
static void put_name(struct wn_buf *b, const char *s, int esc)
{
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;

    if (esc && !plain)
      wn_buf_addc(b, '\\');
    wn_buf_addc(b, (char)c);
  }
}

static void put_value(struct wn_buf *b, const char *s, int esc)
{
  wn_buf_addc(b, '"');
  for (; *s; s++) {
    if (esc && (*s == '"' || *s == '\\'))
      wn_buf_addc(b, '\\');
    wn_buf_addc(b, *s);
  }
  wn_buf_addc(b, '"');
}

static void put_compound(struct wn_buf *b, const struct rules_compound *c,
                         int esc)
{
  size_t k;

  if (c->tag)
    put_name(b, c->tag, esc);
  else
    wn_buf_addc(b, '*');
  if (c->id) {
    wn_buf_addc(b, '#');
    put_name(b, c->id, esc);
  }
  for (k = 0; k < c->n_classes; k++) {
    wn_buf_addc(b, '.');
    put_name(b, c->classes[k], esc);
  }
  for (k = 0; k < c->n_attrs; k++) {
    const struct rules_attr_test *t = &c->attrs[k];

    wn_buf_addc(b, '[');
    put_name(b, t->name, esc);
    if (t->op != RULES_ATTR_EXISTS) {
      wn_buf_adds(b, op_text(t->op));
      put_value(b, t->value ? t->value : "(null)", esc);
    } else if (t->value) {
      wn_buf_adds(b, "(value!)");
    }
    wn_buf_addc(b, ']');
  }
  if (c->n_nots) {
    wn_buf_adds(b, ":not(");
    for (k = 0; k < c->n_nots; k++) {
      if (k)
        wn_buf_adds(b, ", ");
      put_compound(b, &c->nots[k], esc);
    }
    wn_buf_addc(b, ')');
  }
}

static void put_selector(struct wn_buf *b, const struct rules_selector *sel,
                         int esc)
{
  size_t a, k;

  wn_buf_reset(b);
  for (a = 0; a < sel->n_alts; a++) {
    const struct rules_complex *cx = &sel->alts[a];

    if (a)
      wn_buf_adds(b, ", ");
    for (k = 0; k < cx->n_parts; k++) {
      if (k)
        wn_buf_adds(b, cx->combs[k - 1] == RULES_COMB_CHILD ? " > " : " ");
      put_compound(b, &cx->parts[k], esc);
    }
  }
  if (sel->attr) {
    wn_buf_adds(b, esc ? "@" : " @");
    put_name(b, sel->attr, esc);
  }
}

/* ---- valid selectors ----------------------------------------------------- */

struct parse_case {
  const char *in;
  const char *dump;
};

static const struct parse_case parse_cases[] = {
    /* simple selectors */
    {"div", "div"},
    {"*", "*"},
    {"DIV", "div"},
    {"Amp-Img", "amp-img"},
    {"h1", "h1"},
    {"#main", "*#main"},
    {"#Main", "*#Main"},
    {".a", "*.a"},
    {".A.b", "*.A.b"},
    {"*.a", "*.a"},
    {"div.a.b", "div.a.b"},
    {"div#x.y", "div#x.y"},
    {".y#x", "*#x.y"},
    {"#123", "*#123"},
    {".-x_y-", "*.-x_y-"},
    {"[href]", "*[href]"},
    {"[HREF]", "*[href]"},
    {"a[href]", "a[href]"},
    {"[a=b]", "*[a=\"b\"]"},
    {"[a=B]", "*[a=\"B\"]"},
    {"[a*=b]", "*[a*=\"b\"]"},
    {"[a^=b]", "*[a^=\"b\"]"},
    {"[a$=b]", "*[a$=\"b\"]"},
    {"[a~=b]", "*[a~=\"b\"]"},
    {"[ a = b ]", "*[a=\"b\"]"},
    {"[\ta\n~=\fb\r]", "*[a~=\"b\"]"},
    {"[a='b c']", "*[a=\"b c\"]"},
    {"[a=\"b c\"]", "*[a=\"b c\"]"},
    {"[a=\"\"]", "*[a=\"\"]"},
    {"[a='']", "*[a=\"\"]"},
    {"[a=\"x\\\"y\"]", "*[a=\"x\"y\"]"},
    {"[a='x\\'y']", "*[a=\"x'y\"]"},
    {"[a='x\\\\y']", "*[a=\"x\\y\"]"},
    {"[a='x\"y']", "*[a=\"x\"y\"]"},
    {"[a=\"]\"]", "*[a=\"]\"]"},
    {"[a=',']", "*[a=\",\"]"},
    {"[data-X=Y]", "*[data-x=\"Y\"]"},
    {"meta[property=og:title]", "meta[property=\"og:title\"]"},
    {"a[href^=https://example.com/]", "a[href^=\"https://example.com/\"]"},
    {"a[href*=/2019/]", "a[href*=\"/2019/\"]"},
    {"[a=b,c]", "*[a=\"b,c\"]"},
    {"[a=b\\]]", "*[a=\"b]\"]"},
    {"[a=caf\xc3\xa9]", "*[a=\"caf\xc3\xa9\"]"},
    {"[a][b=c].d", "*.d[a][b=\"c\"]"},
    /* escapes */
    {"#a\\.b", "*#a.b"},
    {".a\\:b", "*.a:b"},
    {".\\31 0", "*.31 0"}, /* not CSS hex escapes: "\\3" is "3" */
    {"d\\IV", "div"},
    {"\\*", "*"}, /* an escaped '*' is a type named "*" */
    {"[a\\=b]", "*[a=b]"},
    /* non-ASCII identifiers */
    {".caf\xc3\xa9", "*.caf\xc3\xa9"},
    {"#\xe6\x97\xa5\xe6\x9c\xac", "*#\xe6\x97\xa5\xe6\x9c\xac"},
    {"\xc3\x89L", "\xc3\x89l"}, /* only ASCII is lower-cased */
    /* combinators */
    {"div p", "div p"},
    {"div   p", "div p"},
    {"div\tp", "div p"},
    {"div\n\r\fp", "div p"},
    {"div>p", "div > p"},
    {"div > p", "div > p"},
    {"div\t>\np", "div > p"},
    {"div >p", "div > p"},
    {"div> p", "div > p"},
    {"a b > c d", "a b > c d"},
    {"article .entry-content > p", "article *.entry-content > p"},
    {"#a > .b [c] :not(d)", "*#a > *.b *[c] *:not(d)"},
    /* :not */
    {":not(.ad)", "*:not(*.ad)"},
    {"div:not(.ad)", "div:not(*.ad)"},
    {"div:not(.ad, #x, span)", "div:not(*.ad, *#x, span)"},
    {"div:not( .ad , span )", "div:not(*.ad, span)"},
    {"div:NOT(p)", "div:not(p)"},
    {"div:not(*)", "div:not(*)"},
    {"div:not(p.a[b=c]#d)", "div:not(p#d.a[b=\"c\"])"},
    {"div:not(.a):not(.b)", "div:not(*.a, *.b)"},
    {"p:not([hidden])", "p:not(*[hidden])"},
    {".a:not(.b).c", "*.a.c:not(*.b)"},
    /* comma groups */
    {"a, b", "a, b"},
    {"a,b", "a, b"},
    {"a ,b", "a, b"},
    {" a , b , c ", "a, b, c"},
    {"h1.title, .headline > a", "h1.title, *.headline > a"},
    /* surrounding whitespace */
    {"  div  ", "div"},
    {"\n\tdiv > p\n", "div > p"},
    /* the @attr suffix */
    {"time.entry-date@datetime", "time.entry-date @datetime"},
    {"meta[property=og:title]@content", "meta[property=\"og:title\"] @content"},
    {"a@HREF", "a @href"},
    {"a @href", "a @href"},
    {"a@href  ", "a @href"},
    {"a, b@href", "a, b @href"},
    {"div > a@data-src", "div > a @data-src"},
    {"[a='@']@b", "*[a=\"@\"] @b"},
    {"img@data-lazy_src", "img @data-lazy_src"},
};

static void check_parse_cases(void)
{
  struct wn_buf b;
  size_t k;

  wn_buf_init(&b, 1u << 16);
  for (k = 0; k < N_ELEMS(parse_cases); k++) {
    const struct parse_case *c = &parse_cases[k];
    struct rules_selector *sel = NULL;
    struct wn_error err;
    wn_result rc;

    wn_error_clear(&err);
    rc = rules_selector_parse(c->in, &sel, &err);
    if (rc != WN_OK) {
      fprintf(stderr, "case %zu \"%s\": %s at %ld\n", k, c->in, err.message,
              err.offset);
      CHECK_INT(rc, WN_OK);
      continue;
    }
    put_selector(&b, sel, 0);
    CHECK_STR(wn_buf_str(&b), c->dump);
    CHECK_STR(sel->source, c->in);
    rules_selector_free(sel);
  }
  wn_buf_free(&b);
}

/* Structure the dump does not show. */
static void check_structure(void)
{
  struct rules_selector *sel = NULL;

  CHECK_INT(rules_selector_parse("a > b c, d", &sel, NULL), WN_OK);
  if (!sel)
    return;
  CHECK_INT(sel->n_alts, 2);
  CHECK_INT(sel->alts[0].n_parts, 3);
  CHECK_INT(sel->alts[0].combs[0], RULES_COMB_CHILD);
  CHECK_INT(sel->alts[0].combs[1], RULES_COMB_DESCENDANT);
  CHECK_INT(sel->alts[1].n_parts, 1);
  CHECK(sel->alts[1].combs == NULL);
  CHECK(sel->alts[0].parts[0].tag && sel->alts[0].parts[0].id == NULL);
  CHECK(sel->attr == NULL);
  rules_selector_free(sel);
  sel = NULL;

  CHECK_INT(rules_selector_parse("*[x]", &sel, NULL), WN_OK);
  if (!sel)
    return;
  CHECK(sel->alts[0].parts[0].tag == NULL);
  CHECK_INT(sel->alts[0].parts[0].attrs[0].op, RULES_ATTR_EXISTS);
  CHECK(sel->alts[0].parts[0].attrs[0].value == NULL);
  rules_selector_free(sel);

  rules_selector_free(NULL);
}

/* ---- errors ------------------------------------------------------------- */

struct error_case {
  const char *in;
  const char *message; /* a substring of err.message */
  long offset;
};

static const struct error_case error_cases[] = {
    /* empty */
    {"", "empty selector", 0},
    {"   ", "empty selector", 3},
    {"a,", "expected a selector after ','", 2},
    {"a, ", "expected a selector after ','", 3},
    {",a", "expected a selector before ','", 0},
    {"a,,b", "expected a selector before ','", 2},
    {"a >", "expected a selector after '>'", 3},
    {"a > ", "expected a selector after '>'", 4},
    {"> a", "expected a selector before '>'", 0},
    {"a > > b", "expected a selector before '>'", 4},
    {"a >> b", "expected a selector before '>'", 3},
    {"a > , b", "expected a selector before ','", 4},
    {"@href", "expected a selector before '@'", 0},
    {"a > @href", "expected a selector before '@'", 4},
    /* unexpected characters */
    {"div!", "unexpected character '!'", 3},
    {"!div", "unexpected character '!'", 0},
    {"a + b", "unexpected character '+'", 2},
    {"a ~ b", "unexpected character '~'", 2},
    {"a)", "unexpected character ')'", 1},
    {"a (", "unexpected character '('", 2},
    {"a|b", "unexpected character '|'", 1},
    {"*|a", "unexpected character '|'", 1},
    {"a{}", "unexpected character '{'", 1},
    {"a\x01", "unexpected byte 0x01", 1},
    {"a \x7f", "unexpected byte 0x7f", 2},
    {"a\v", "unexpected byte 0x0b", 1},
    {"a*", "a type selector or '*' must come first", 1},
    {"**", "a type selector or '*' must come first", 1},
    {"[x]div", "a type selector or '*' must come first", 3},
    {".a\\", "unfinished escape", 2},
    {"\\", "unfinished escape", 0},
    /* names */
    {"#", "expected a name after '#'", 1},
    {"#.a", "expected a name after '#'", 1},
    {"div#", "expected a name after '#'", 4},
    {".", "expected a class name after '.'", 1},
    {"a..b", "expected a class name after '.'", 2},
    {". a", "expected a class name after '.'", 1},
    {"#a#b", "more than one #id", 2},
    /* attributes */
    {"[", "expected an attribute name after '['", 1},
    {"[]", "expected an attribute name after '['", 1},
    {"[=a]", "expected an attribute name after '['", 1},
    {"[!a]", "expected an attribute name after '[', found '!'", 1},
    {"[a", "expected ']'", 2},
    {"[a ", "expected ']'", 3},
    {"[a b]", "expected ']'", 3},
    {"[a=b", "expected ']'", 4},
    {"[a=b c]", "expected ']'", 5},
    {"[a='b'c]", "expected ']'", 6},
    {"[a=b i]", "case flags", 5},
    {"[a='b' s]", "case flags", 7},
    {"[a=]", "expected an attribute value", 3},
    {"[a= ]", "expected an attribute value", 4},
    {"[a=", "expected an attribute value", 3},
    {"[a==b]", "expected an attribute value", 3},
    {"[a=b\"c]", "expected ']'", 4},
    {"[a=[b]]", "expected an attribute value", 3},
    {"[a|=b]", "unsupported attribute operator '|='", 2},
    {"[a!=b]", "unsupported attribute operator '!='", 2},
    {"[a*b]", "expected '=' after '*'", 3},
    {"[a^]", "expected '=' after '^'", 3},
    {"[a~ =b]", "expected '=' after '~'", 3},
    {"[a='b]", "unterminated string", 3},
    {"[a=\"b]", "unterminated string", 3},
    {"[a='b\\']", "unterminated string", 3},
    {"[a='b\\", "unterminated string", 3},
    {"[a=b\\", "unfinished escape", 4},
    /* pseudo-classes */
    {":hover", "unknown pseudo-class ':hover'", 0},
    {"a:HOVER", "unknown pseudo-class ':hover'", 1},
    {"li:nth-child(2)", "unknown pseudo-class ':nth-child'", 2},
    {"a:first-child", "unknown pseudo-class ':first-child'", 1},
    {"a::before", "pseudo-elements are not supported ('::before')", 1},
    {":a\\\nb", "unknown pseudo-class ':a?b'", 0},
    {":caf\xc3\xa9", "unknown pseudo-class ':caf\xc3\xa9'", 0},
    {":aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9",
     "unknown pseudo-class ':aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", 0},
    {"a:", "expected a pseudo-class name after ':'", 2},
    {"a:(", "expected a pseudo-class name after ':'", 2},
    {"a:not", "expected '(' after ':not'", 5},
    {"a:not .b", "expected '(' after ':not'", 5},
    {"a:not(", "expected a selector after ':not('", 6},
    {"a:not()", "expected a selector before ')'", 6},
    {"a:not( )", "expected a selector before ')'", 7},
    {"a:not(b", "expected ')'", 7},
    {"a:not(b,", "expected a selector after ':not('", 8},
    {"a:not(b,)", "expected a selector before ')'", 8},
    {"a:not(,b)", "expected a selector before ','", 6},
    {"a:not(b c)", "compound selectors only", 7},
    {"a:not(b > c)", "compound selectors only", 8},
    {"a:not(b>c)", "compound selectors only", 7},
    {"a:not(:not(b))", "':not()' cannot be nested", 6},
    {"a:not(.x:not(b))", "':not()' cannot be nested", 8},
    {"a:not(:hover)", "unknown pseudo-class ':hover'", 6},
    {"a:not(b!)", "unexpected character '!'", 7},
    {"a:not(b@c)", "'@' must come last", 7},
    /* the @attr suffix */
    {"a@href b", "'@' must come last", 1},
    {"a@href, b", "'@' must come last", 1},
    {"a@href > b", "'@' must come last", 1},
    {"a@href.x", "'@' must come last", 1},
    {"a@href[x]", "'@' must come last", 1},
    {"a@href@src", "only one '@attr' suffix", 6},
    {"a @href @src", "only one '@attr' suffix", 8},
    {"a@", "expected an attribute name after '@'", 2},
    {"a@ href", "expected an attribute name after '@'", 2},
    {"a@@href", "expected an attribute name after '@'", 2},
    {"a@:x", "expected an attribute name after '@'", 2},
    {"a@x:y", "'@' must come last", 1},
};

static void check_error_cases(void)
{
  size_t k;

  for (k = 0; k < N_ELEMS(error_cases); k++) {
    const struct error_case *c = &error_cases[k];
    struct rules_selector *sel = (struct rules_selector *)&sel;
    struct rules_selector *const sentinel = sel;
    struct wn_error err;
    wn_result rc;

    wn_error_clear(&err);
    rc = rules_selector_parse(c->in, &sel, &err);
    if (rc != WN_E_RULE || !strstr(err.message, c->message) ||
        err.offset != c->offset)
      fprintf(stderr, "case %zu \"%s\": rc %d, \"%s\" at %ld\n", k, c->in,
              (int)rc, err.message, err.offset);
    CHECK_INT(rc, WN_E_RULE);
    CHECK(strstr(err.message, c->message) != NULL);
    CHECK_INT(err.offset, c->offset);
    CHECK(sel == sentinel); /* *out untouched on error */
    if (rc == WN_OK && sel != sentinel)
      rules_selector_free(sel);
    /* and without a wn_error */
    sel = sentinel;
    CHECK_INT(rules_selector_parse(c->in, &sel, NULL), WN_E_RULE);
    CHECK(sel == sentinel);
  }
}

static void check_bad_arguments(void)
{
  struct rules_selector *sel = NULL;
  struct wn_error err;

  wn_error_clear(&err);
  CHECK_INT(rules_selector_parse(NULL, &sel, &err), WN_E_INVALID);
  CHECK(sel == NULL);
  CHECK_INT(rules_selector_parse("a", NULL, &err), WN_E_INVALID);
  CHECK_INT(rules_selector_parse(NULL, NULL, NULL), WN_E_INVALID);
}

/* ---- limits ------------------------------------------------------------- */

/* `n` copies of unit joined by sep, then tail, into b. */
static const char *repeat(struct wn_buf *b, const char *head, const char *unit,
                          const char *sep, size_t n, const char *tail)
{
  size_t k;

  wn_buf_reset(b);
  wn_buf_adds(b, head);
  for (k = 0; k < n; k++) {
    if (k)
      wn_buf_adds(b, sep);
    wn_buf_adds(b, unit);
  }
  wn_buf_adds(b, tail);
  return wn_buf_str(b);
}

struct limit_case {
  const char *head, *unit, *sep;
  size_t n;
  const char *tail;
  const char *message;        /* NULL: must parse */
  size_t parts, alts, simple; /* expected shape when it parses */
};

static const struct limit_case limit_cases[] = {
    {"", "a", ", ", RULES_MAX_ALTS, "", NULL, 1, RULES_MAX_ALTS, 0},
    {"", "a", ", ", RULES_MAX_ALTS + 1, "", "too many comma-separated", 0, 0,
     0},
    {"", "a", ",", RULES_MAX_ALTS + 1, "@x", "too many comma-separated", 0, 0,
     0},
    {"", "a", " ", RULES_MAX_PARTS, "", NULL, RULES_MAX_PARTS, 1, 0},
    {"", "a", ">", RULES_MAX_PARTS, "", NULL, RULES_MAX_PARTS, 1, 0},
    {"", "a", " ", RULES_MAX_PARTS + 1, "", "too many compound selectors", 0, 0,
     0},
    {"", "a", " > ", RULES_MAX_PARTS + 1, "", "too many compound selectors", 0,
     0, 0},
    {"b", ".c", "", RULES_MAX_SIMPLE, "", NULL, 1, 1, RULES_MAX_SIMPLE},
    {"b", ".c", "", RULES_MAX_SIMPLE + 1, "", "too many classes", 0, 0, 0},
    {"b", "[c]", "", RULES_MAX_SIMPLE, "", NULL, 1, 1, RULES_MAX_SIMPLE},
    {"b", "[c=d]", "", RULES_MAX_SIMPLE + 1, "", "too many classes", 0, 0, 0},
    {"b", ":not(c)", "", RULES_MAX_SIMPLE, "", NULL, 1, 1, RULES_MAX_SIMPLE},
    {"b", ":not(c)", "", RULES_MAX_SIMPLE + 1, "", "too many classes", 0, 0, 0},
    {"b:not(", "c", ",", RULES_MAX_SIMPLE, ")", NULL, 1, 1, RULES_MAX_SIMPLE},
    {"b:not(", "c", ",", RULES_MAX_SIMPLE + 1, ")", "too many classes", 0, 0,
     0},
    {"b.x[y]:not(", "c", ",", RULES_MAX_SIMPLE - 2, ")", NULL, 1, 1,
     RULES_MAX_SIMPLE},
    {"b.x[y]:not(", "c", ",", RULES_MAX_SIMPLE - 1, ")", "too many classes", 0,
     0, 0},
    {"b:not(", ".c", "", RULES_MAX_SIMPLE, ")", NULL, 1, 1, 1},
    {"b:not(", ".c", "", RULES_MAX_SIMPLE + 1, ")", "too many classes", 0, 0,
     0},
};

static void check_limit_cases(void)
{
  struct wn_buf b;
  size_t k;

  wn_buf_init(&b, 1u << 20);
  for (k = 0; k < N_ELEMS(limit_cases); k++) {
    const struct limit_case *c = &limit_cases[k];
    const char *in = repeat(&b, c->head, c->unit, c->sep, c->n, c->tail);
    struct rules_selector *sel = NULL;
    struct wn_error err;
    wn_result rc;

    wn_error_clear(&err);
    rc = rules_selector_parse(in, &sel, &err);
    if (!c->message) {
      CHECK_INT(rc, WN_OK);
      if (rc != WN_OK) {
        fprintf(stderr, "limit case %zu: %s\n", k, err.message);
        continue;
      }
      CHECK_INT(sel->n_alts, c->alts);
      CHECK_INT(sel->alts[0].n_parts, c->parts);
      CHECK_INT(sel->alts[0].parts[0].n_classes +
                    sel->alts[0].parts[0].n_attrs +
                    sel->alts[0].parts[0].n_nots,
                c->simple);
      rules_selector_free(sel);
    } else {
      CHECK_INT(rc, WN_E_RULE);
      CHECK(strstr(err.message, c->message) != NULL);
      CHECK(err.offset > 0 && (size_t)err.offset < strlen(in));
      if (rc == WN_OK)
        rules_selector_free(sel);
    }
  }
  wn_buf_free(&b);
}

/* The byte limit: exactly at it, one past it, and a limit that is
 * checked before anything else and without reading beyond it. */
static void check_byte_limit(void)
{
  static char s[RULES_MAX_SELECTOR_BYTES + 64];
  struct rules_selector *sel = NULL;
  struct wn_error err;

  memset(s, 'a', sizeof(s) - 1);
  s[sizeof(s) - 1] = '\0';

  s[RULES_MAX_SELECTOR_BYTES] = '\0';
  CHECK_INT(rules_selector_parse(s, &sel, &err), WN_OK);
  if (sel) {
    CHECK_INT(strlen(sel->alts[0].parts[0].tag), RULES_MAX_SELECTOR_BYTES);
    CHECK_INT(strlen(sel->source), RULES_MAX_SELECTOR_BYTES);
  }
  rules_selector_free(sel);
  sel = NULL;

  s[RULES_MAX_SELECTOR_BYTES] = 'a';
  s[RULES_MAX_SELECTOR_BYTES + 1] = '\0';
  wn_error_clear(&err);
  CHECK_INT(rules_selector_parse(s, &sel, &err), WN_E_RULE);
  CHECK(strstr(err.message, "longer than 1024 bytes") != NULL);
  CHECK_INT(err.offset, RULES_MAX_SELECTOR_BYTES);
  CHECK(sel == NULL);

  /* The limit is checked before any syntax: junk past it is not parsed. */
  s[RULES_MAX_SELECTOR_BYTES + 1] = 'a';
  s[5] = '!';
  wn_error_clear(&err);
  CHECK_INT(rules_selector_parse(s, &sel, &err), WN_E_RULE);
  CHECK_INT(err.offset, RULES_MAX_SELECTOR_BYTES);

  /* One byte past the limit and no NUL at all: under ASan, a read of the
   * next byte would be reported. */
  {
    char *raw = malloc(RULES_MAX_SELECTOR_BYTES + 1);

    CHECK(raw != NULL);
    if (raw) {
      memset(raw, 'a', RULES_MAX_SELECTOR_BYTES + 1);
      wn_error_clear(&err);
      CHECK_INT(rules_selector_parse(raw, &sel, &err), WN_E_RULE);
      CHECK_INT(err.offset, RULES_MAX_SELECTOR_BYTES);
      free(raw);
    }
  }
}

/* ---- junk ---------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545f4914f6cdd1du) >> 32);
}

static const char alphabet[] = "abdivpAZ09-_*#.[]=~^$|!\"'\\:(),> \t\n@"
                               "nothover";

/* One input: parse twice (same answer), check the error's shape, and
 * check that what parses prints back to itself. Returns rc. */
static wn_result check_one(const char *in, struct wn_buf *d1, struct wn_buf *d2)
{
  struct rules_selector *sel = NULL, *again = NULL;
  struct wn_error e1, e2;
  wn_result rc, rc2;
  size_t len = strlen(in);

  wn_error_clear(&e1);
  wn_error_clear(&e2);
  rc = rules_selector_parse(in, &sel, &e1);
  rc2 = rules_selector_parse(in, &again, &e2);
  CHECK_INT(rc, rc2);
  if (rc != WN_OK) {
    CHECK_INT(rc, WN_E_RULE);
    CHECK(e1.message[0] != '\0');
    CHECK(strcspn(e1.message, "\x01\x02\x03\x04\x05\x06\x07\x08\t\n\v\f"
                              "\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
                              "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f") ==
          strlen(e1.message)); /* one printable line */
    CHECK(e1.offset >= 0 && (size_t)e1.offset <= len);
    CHECK_STR(e1.message, e2.message);
    CHECK_INT(e1.offset, e2.offset);
    CHECK(sel == NULL && again == NULL);
    if (rc != WN_E_RULE || e1.offset < 0 || (size_t)e1.offset > len)
      fprintf(stderr, "junk \"%s\": rc %d at %ld\n", in, (int)rc, e1.offset);
    return rc;
  }
  rules_selector_free(again);
  again = NULL;
  CHECK(sel->n_alts >= 1 && sel->n_alts <= RULES_MAX_ALTS);
  CHECK_STR(sel->source, in);
  /* Round trip through the escaped form. */
  put_selector(d1, sel, 0);
  put_selector(d2, sel, 1);
  {
    char *esc = wn_buf_steal(d2);
    wn_result r3;

    wn_error_clear(&e2);
    r3 = esc ? rules_selector_parse(esc, &again, &e2) : WN_E_NOMEM;
    /* The escaped form can outgrow the byte limit; anything else must
     * parse. */
    if (r3 != WN_OK && !(esc && strlen(esc) > RULES_MAX_SELECTOR_BYTES)) {
      fprintf(stderr, "round trip of \"%s\" via \"%s\": %s at %ld\n", in,
              esc ? esc : "", e2.message, e2.offset);
      CHECK_INT(r3, WN_OK);
    }
    if (r3 == WN_OK) {
      put_selector(d2, again, 0);
      CHECK_STR(wn_buf_str(d2), wn_buf_str(d1));
      rules_selector_free(again);
    }
    free(esc);
  }
  rules_selector_free(sel);
  return WN_OK;
}

static void check_junk(void)
{
  struct wn_buf in, d1, d2;
  size_t iter, n_ok = 0, n_err = 0;

  wn_buf_init(&in, 4096);
  wn_buf_init(&d1, 1u << 16);
  wn_buf_init(&d2, 1u << 16);
  /* Random strings over the selector alphabet, some random bytes. */
  for (iter = 0; iter < 30000; iter++) {
    size_t n = rnd() % 40, k;

    wn_buf_reset(&in);
    for (k = 0; k < n; k++) {
      uint32_t r = rnd();
      char c = (r % 16 == 0) ? (char)(1 + (r >> 8) % 255)
                             : alphabet[(r >> 8) % (sizeof(alphabet) - 1)];

      wn_buf_addc(&in, c);
    }
    if (check_one(wn_buf_str(&in), &d1, &d2) == WN_OK)
      n_ok++;
    else
      n_err++;
  }
  /* Valid selectors with a few random edits. */
  for (iter = 0; iter < 30000; iter++) {
    const char *base = parse_cases[rnd() % N_ELEMS(parse_cases)].in;
    size_t edits = 1 + rnd() % 3, e;

    wn_buf_reset(&in);
    wn_buf_adds(&in, base);
    for (e = 0; e < edits; e++) {
      size_t len = in.len, at = len ? rnd() % (len + 1) : 0;
      char c = alphabet[rnd() % (sizeof(alphabet) - 1)];
      char tmp[1100];
      uint32_t kind = rnd() % 3;

      if (len >= sizeof(tmp) - 2)
        break;
      memcpy(tmp, wn_buf_str(&in), len + 1);
      if (kind == 0) { /* insert */
        memmove(tmp + at + 1, tmp + at, len - at + 1);
        tmp[at] = c;
      } else if (at < len) {
        if (kind == 1) /* delete */
          memmove(tmp + at, tmp + at + 1, len - at);
        else /* replace */
          tmp[at] = c;
      }
      wn_buf_reset(&in);
      wn_buf_adds(&in, tmp);
    }
    if (check_one(wn_buf_str(&in), &d1, &d2) == WN_OK)
      n_ok++;
    else
      n_err++;
  }
  /* Both outcomes must have been exercised in bulk. */
  CHECK(n_ok > 5000);
  CHECK(n_err > 5000);
  wn_buf_free(&in);
  wn_buf_free(&d1);
  wn_buf_free(&d2);
}

int main(void)
{
  check_parse_cases();
  check_structure();
  check_error_cases();
  check_bad_arguments();
  check_limit_cases();
  check_byte_limit();
  check_junk();
  return check_exit();
}
