/* Selector parsing: the CSS subset of rules/rules.h compiled into plain
 * structs that extract/select.c matches against its DOM.
 *
 * A recursive-descent parser over a NUL-terminated string whose length is
 * checked first. Every read stops at the NUL; recursion is bounded because
 * :not() cannot nest. Every partial structure is reachable from the
 * selector being built, so one rules_selector_free() cleans up any error. */
#include "rules/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
  const char *s;
  size_t pos;
  struct wn_error *err;
};

static wn_result fail_at(struct parser *p, size_t at, const char *fmt, ...)
    WN_PRINTF(3, 4);

/* Record a WN_E_RULE error at byte `at`. */
static wn_result fail_at(struct parser *p, size_t at, const char *fmt, ...)
{
  va_list ap;

  if (p->err) {
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
    va_end(ap);
    p->err->offset = (long)at;
  }
  return WN_E_RULE;
}

static wn_result fail_nomem(struct parser *p)
{
  if (p->err) {
    wn_error_set(p->err, "out of memory");
    p->err->offset = (long)p->pos;
  }
  return WN_E_NOMEM;
}

/* "unexpected character 'x'" for the byte at `at`, readable whatever it
 * is. */
static wn_result fail_unexpected(struct parser *p, size_t at)
{
  unsigned char c = (unsigned char)p->s[at];

  if (c == '\0')
    return fail_at(p, at, "unexpected end of selector");
  if (c > 0x20 && c < 0x7f)
    return fail_at(p, at, "unexpected character '%c'", c);
  return fail_at(p, at, "unexpected byte 0x%02x", c);
}

/* name shortened (whole UTF-8 characters) and with control bytes shown
 * as '?', for quoting in a one-line message. */
static const char *shown(const char *name, char out[48])
{
  size_t n = wn_utf8_prefix(name, strlen(name), 40), k;

  for (k = 0; k < n; k++) {
    unsigned char c = (unsigned char)name[k];

    out[k] = c < 0x20 || c == 0x7f ? '?' : (char)c;
  }
  out[n] = '\0';
  return out;
}

/* CSS whitespace (no \v). */
static int is_ws(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_ident(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

/* Unquoted attribute values are more lenient than identifiers so that
 * [property=og:title] and [href^=https://] read as written. */
static int is_value_char(unsigned char c)
{
  return c > 0x20 && c != 0x7f && c != '[' && c != ']' && c != '"' &&
         c != '\'' && c != '=';
}

/* A byte that can begin a compound selector. */
static int starts_compound(unsigned char c)
{
  return is_ident(c) || c == '\\' || c == '*' || c == '#' || c == '.' ||
         c == '[' || c == ':';
}

static void skip_ws(struct parser *p)
{
  while (is_ws((unsigned char)p->s[p->pos]))
    p->pos++;
}

/* Read the run of bytes at p->pos that ok() accepts, "\x" escaping any
 * next byte, into a new string (ASCII lower-cased when lower). *out is
 * NULL, and nothing is consumed, when the run is empty. */
static wn_result read_token(struct parser *p, int (*ok)(unsigned char),
                            int lower, char **out)
{
  const char *s = p->s;
  size_t end = p->pos, n = 0, i, k;
  char *t;

  *out = NULL;
  for (;;) {
    unsigned char c = (unsigned char)s[end];

    if (c == '\\') {
      if (s[end + 1] == '\0')
        return fail_at(p, end, "unfinished escape: '\\' at the end");
      end += 2;
    } else if (c != '\0' && ok(c)) {
      end++;
    } else {
      break;
    }
    n++;
  }
  if (n == 0)
    return WN_OK;
  t = malloc(n + 1);
  if (!t)
    return fail_nomem(p);
  for (i = p->pos, k = 0; i < end; k++) {
    unsigned char c;

    if (s[i] == '\\')
      i++;
    c = (unsigned char)s[i++];
    t[k] = (char)(lower ? wn_ascii_tolower(c) : c);
  }
  t[n] = '\0';
  p->pos = end;
  *out = t;
  return WN_OK;
}

/* A '...' or "..." string at p->pos ("\x" escapes any byte); may be
 * empty. */
static wn_result read_string(struct parser *p, char **out)
{
  const char *s = p->s;
  char quote = s[p->pos];
  size_t start = p->pos, i = p->pos + 1, n = 0, k;
  char *t;

  for (;;) {
    if (s[i] == '\0' || (s[i] == '\\' && s[i + 1] == '\0'))
      return fail_at(p, start, "unterminated string: expected %c", quote);
    if (s[i] == quote)
      break;
    i += s[i] == '\\' ? 2 : 1;
    n++;
  }
  t = malloc(n + 1);
  if (!t)
    return fail_nomem(p);
  for (i = start + 1, k = 0; k < n; k++) {
    if (s[i] == '\\')
      i++;
    t[k] = s[i++];
  }
  t[n] = '\0';
  p->pos = i + 1; /* past the closing quote */
  *out = t;
  return WN_OK;
}

/* realloc arr (n items of size) to n + 1 items, the new one zeroed.
 * NULL on failure (arr is left alone). */
static void *grow_one(void *arr, size_t n, size_t size)
{
  char *q = realloc(arr, (n + 1) * size);

  if (q)
    memset(q + n * size, 0, size);
  return q;
}

static void compound_clear(struct rules_compound *c)
{
  size_t k;

  free(c->tag);
  free(c->id);
  for (k = 0; k < c->n_classes; k++)
    free(c->classes[k]);
  free(c->classes);
  for (k = 0; k < c->n_attrs; k++) {
    free(c->attrs[k].name);
    free(c->attrs[k].value);
  }
  free(c->attrs);
  for (k = 0; k < c->n_nots; k++)
    compound_clear(&c->nots[k]);
  free(c->nots);
  memset(c, 0, sizeof(*c));
}

static size_t n_simple(const struct rules_compound *c)
{
  return c->n_classes + c->n_attrs + c->n_nots;
}

static wn_result check_simple_limit(struct parser *p,
                                    const struct rules_compound *c, size_t at)
{
  if (n_simple(c) >= RULES_MAX_SIMPLE)
    return fail_at(p, at,
                   "too many classes, attributes and :not() selectors in "
                   "one compound (at most %u)",
                   RULES_MAX_SIMPLE);
  return WN_OK;
}

/* The error for a compound selector that is missing at p->pos. `after`
 * names what came before it ("','"), NULL at the start of the input. */
static wn_result fail_empty(struct parser *p, const char *after)
{
  unsigned char c = (unsigned char)p->s[p->pos];

  if (c == '\0')
    return after ? fail_at(p, p->pos, "expected a selector after %s", after)
                 : fail_at(p, p->pos, "empty selector");
  if (c == ',' || c == '>' || c == ')' || c == '@')
    return fail_at(p, p->pos, "expected a selector before '%c'", c);
  return fail_unexpected(p, p->pos);
}

static wn_result parse_compound(struct parser *p, struct rules_compound *c,
                                int in_not, const char *after);

/* [name], [name=v], [name*=v] ... at p->pos ('['). */
static wn_result parse_attr(struct parser *p, struct rules_compound *c)
{
  const char *s = p->s;
  size_t open = p->pos;
  struct rules_attr_test t = {NULL, NULL, RULES_ATTR_EXISTS};
  void *q;
  wn_result rc;

  if ((rc = check_simple_limit(p, c, open)) != WN_OK)
    goto out;
  p->pos++;
  skip_ws(p);
  if ((rc = read_token(p, is_ident, 1, &t.name)) != WN_OK)
    goto out;
  if (!t.name) {
    unsigned char ch = (unsigned char)s[p->pos];

    if (ch > 0x20 && ch < 0x7f && ch != ']' && ch != '=')
      rc = fail_at(p, p->pos,
                   "expected an attribute name after '[', found '%c'", ch);
    else
      rc = fail_at(p, p->pos, "expected an attribute name after '['");
    goto out;
  }
  skip_ws(p);
  switch (s[p->pos]) {
  case ']':
    p->pos++;
    goto push;
  case '=':
    t.op = RULES_ATTR_EQ;
    p->pos++;
    break;
  case '*':
  case '^':
  case '$':
  case '~':
    if (s[p->pos + 1] != '=') {
      rc = fail_at(p, p->pos + 1, "expected '=' after '%c'", s[p->pos]);
      goto out;
    }
    t.op = s[p->pos] == '*'   ? RULES_ATTR_CONTAINS
           : s[p->pos] == '^' ? RULES_ATTR_PREFIX
           : s[p->pos] == '$' ? RULES_ATTR_SUFFIX
                              : RULES_ATTR_WORD;
    p->pos += 2;
    break;
  default:
    if ((s[p->pos] == '|' || s[p->pos] == '!') && s[p->pos + 1] == '=')
      rc =
          fail_at(p, p->pos, "unsupported attribute operator '%c='", s[p->pos]);
    else
      rc = fail_at(p, p->pos,
                   "expected ']' or an attribute operator (=, *=, ^=, $=, "
                   "~=) to close '[' at offset %zu",
                   open);
    goto out;
  }
  skip_ws(p);
  if (s[p->pos] == '"' || s[p->pos] == '\'') {
    if ((rc = read_string(p, &t.value)) != WN_OK)
      goto out;
  } else {
    size_t at = p->pos;

    if ((rc = read_token(p, is_value_char, 0, &t.value)) != WN_OK)
      goto out;
    if (!t.value) {
      rc = fail_at(p, at, "expected an attribute value");
      goto out;
    }
  }
  skip_ws(p);
  if (s[p->pos] != ']') {
    size_t at = p->pos, k = at;

    /* "[a=b i]": say what the trailing letter is meant to be. */
    if (s[k] == 'i' || s[k] == 'I' || s[k] == 's' || s[k] == 'S') {
      k++;
      while (is_ws((unsigned char)s[k]))
        k++;
      if (s[k] == ']') {
        rc = fail_at(p, at,
                     "attribute case flags ('i', 's') are not "
                     "supported");
        goto out;
      }
    }
    rc = fail_at(p, at, "expected ']' to close '[' at offset %zu", open);
    goto out;
  }
  p->pos++;
push:
  q = grow_one(c->attrs, c->n_attrs, sizeof(*c->attrs));
  if (!q) {
    rc = fail_nomem(p);
    goto out;
  }
  c->attrs = q;
  c->attrs[c->n_attrs++] = t;
  t.name = t.value = NULL;
  rc = WN_OK;
out:
  free(t.name);
  free(t.value);
  return rc;
}

/* :not(compound, ...) at p->pos (':'). Any other pseudo is an error. */
static wn_result parse_pseudo(struct parser *p, struct rules_compound *c,
                              int in_not)
{
  const char *s = p->s;
  size_t colon = p->pos;
  char *name = NULL, buf[48];
  wn_result rc;

  if (s[p->pos + 1] == ':') {
    p->pos += 2;
    if ((rc = read_token(p, is_ident, 1, &name)) != WN_OK)
      goto out;
    rc = fail_at(p, colon, "pseudo-elements are not supported ('::%s')",
                 shown(name ? name : "", buf));
    goto out;
  }
  p->pos++;
  if ((rc = read_token(p, is_ident, 1, &name)) != WN_OK)
    goto out;
  if (!name) {
    rc = fail_at(p, p->pos, "expected a pseudo-class name after ':'");
    goto out;
  }
  if (strcmp(name, "not") != 0) {
    rc = fail_at(p, colon, "unknown pseudo-class ':%s'", shown(name, buf));
    goto out;
  }
  if (in_not) {
    rc = fail_at(p, colon, "':not()' cannot be nested");
    goto out;
  }
  if (s[p->pos] != '(') {
    rc = fail_at(p, p->pos, "expected '(' after ':not'");
    goto out;
  }
  p->pos++;
  for (;;) {
    struct rules_compound *q;
    size_t ws_at;

    skip_ws(p);
    if ((rc = check_simple_limit(p, c, p->pos)) != WN_OK)
      goto out;
    q = grow_one(c->nots, c->n_nots, sizeof(*c->nots));
    if (!q) {
      rc = fail_nomem(p);
      goto out;
    }
    c->nots = q;
    c->n_nots++;
    rc = parse_compound(p, &c->nots[c->n_nots - 1], 1, "':not('");
    if (rc != WN_OK)
      goto out;
    ws_at = p->pos;
    skip_ws(p);
    if (s[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (s[p->pos] == ')') {
      p->pos++;
      break;
    }
    if (s[p->pos] == '\0') {
      rc = fail_at(p, p->pos, "expected ')' to close ':not(' at offset %zu",
                   colon);
    } else if (s[p->pos] == '>' ||
               (p->pos > ws_at && starts_compound((unsigned char)s[p->pos]))) {
      rc = fail_at(p, s[p->pos] == '>' ? p->pos : ws_at,
                   "':not()' takes compound selectors only (no combinators)");
    } else if (s[p->pos] == '@') {
      rc = fail_at(p, p->pos, "'@' must come last");
    } else {
      rc = fail_unexpected(p, p->pos);
    }
    goto out;
  }
  rc = WN_OK;
out:
  free(name);
  return rc;
}

/* A compound selector at p->pos into c (zeroed; filled even on error so
 * that the caller frees it). */
static wn_result parse_compound(struct parser *p, struct rules_compound *c,
                                int in_not, const char *after)
{
  const char *s = p->s;
  int any = 0;
  wn_result rc;

  if (s[p->pos] == '*') {
    p->pos++;
    any = 1;
  } else if (is_ident((unsigned char)s[p->pos]) || s[p->pos] == '\\') {
    if ((rc = read_token(p, is_ident, 1, &c->tag)) != WN_OK)
      return rc;
    any = 1;
  }
  for (;;) {
    size_t at = p->pos;
    char *name;
    void *q;

    switch (s[p->pos]) {
    case '#':
      p->pos++;
      if ((rc = read_token(p, is_ident, 0, &name)) != WN_OK)
        return rc;
      if (!name)
        return fail_at(p, p->pos, "expected a name after '#'");
      if (c->id) {
        free(name);
        return fail_at(p, at, "more than one #id in one compound selector");
      }
      c->id = name;
      break;
    case '.':
      if ((rc = check_simple_limit(p, c, at)) != WN_OK)
        return rc;
      p->pos++;
      if ((rc = read_token(p, is_ident, 0, &name)) != WN_OK)
        return rc;
      if (!name)
        return fail_at(p, p->pos, "expected a class name after '.'");
      q = grow_one(c->classes, c->n_classes, sizeof(*c->classes));
      if (!q) {
        free(name);
        return fail_nomem(p);
      }
      c->classes = q;
      c->classes[c->n_classes++] = name;
      c->class_bits |= rules_class_bit(name, strlen(name));
      break;
    case '[':
      if ((rc = parse_attr(p, c)) != WN_OK)
        return rc;
      break;
    case ':':
      if ((rc = parse_pseudo(p, c, in_not)) != WN_OK)
        return rc;
      break;
    default:
      if (!any)
        return fail_empty(p, after);
      if (is_ident((unsigned char)s[p->pos]) || s[p->pos] == '\\' ||
          s[p->pos] == '*')
        return fail_at(p, p->pos,
                       "a type selector or '*' must come first in a "
                       "compound selector");
      return WN_OK;
    }
    any = 1;
  }
}

/* Compounds joined by combinators, up to ',' '@' or the end (whitespace
 * after the last compound is consumed). */
static wn_result parse_complex(struct parser *p, struct rules_complex *cx,
                               const char *after)
{
  const char *s = p->s;
  size_t n_combs = 0;
  wn_result rc;

  for (;;) {
    struct rules_compound *q;
    size_t ws_at;
    unsigned char c;
    rules_combinator comb;

    if (cx->n_parts >= RULES_MAX_PARTS)
      return fail_at(p, p->pos,
                     "too many compound selectors in one alternative (at "
                     "most %u)",
                     RULES_MAX_PARTS);
    q = grow_one(cx->parts, cx->n_parts, sizeof(*cx->parts));
    if (!q)
      return fail_nomem(p);
    cx->parts = q;
    cx->n_parts++;
    rc = parse_compound(p, &cx->parts[cx->n_parts - 1], 0, after);
    if (rc != WN_OK)
      return rc;
    ws_at = p->pos;
    skip_ws(p);
    c = (unsigned char)s[p->pos];
    if (c == '\0' || c == ',' || c == '@')
      return WN_OK;
    if (c == '>') {
      comb = RULES_COMB_CHILD;
      p->pos++;
      skip_ws(p);
      after = "'>'";
    } else if (p->pos > ws_at && starts_compound(c)) {
      comb = RULES_COMB_DESCENDANT;
      after = NULL;
    } else {
      return fail_unexpected(p, p->pos);
    }
    {
      rules_combinator *cq = grow_one(cx->combs, n_combs, sizeof(*cx->combs));

      if (!cq)
        return fail_nomem(p);
      cx->combs = cq;
      cx->combs[n_combs++] = comb;
    }
  }
}

void rules_selector_free(struct rules_selector *sel)
{
  size_t a, k;

  if (!sel)
    return;
  for (a = 0; a < sel->n_alts; a++) {
    struct rules_complex *cx = &sel->alts[a];

    for (k = 0; k < cx->n_parts; k++)
      compound_clear(&cx->parts[k]);
    free(cx->parts);
    free(cx->combs);
  }
  free(sel->alts);
  free(sel->attr);
  free(sel->source);
  free(sel);
}

wn_result rules_selector_parse(const char *s, struct rules_selector **out,
                               struct wn_error *err)
{
  struct parser p = {s, 0, err};
  struct rules_selector *sel = NULL;
  const char *after = NULL;
  size_t len = 0;
  wn_result rc;

  if (!s || !out) {
    wn_error_set(err, "no selector");
    return WN_E_INVALID;
  }
  /* Never look further than one byte past the limit. */
  while (len <= RULES_MAX_SELECTOR_BYTES && s[len])
    len++;
  if (len > RULES_MAX_SELECTOR_BYTES) {
    rc = fail_at(&p, RULES_MAX_SELECTOR_BYTES, "selector longer than %u bytes",
                 RULES_MAX_SELECTOR_BYTES);
    goto out;
  }
  sel = calloc(1, sizeof(*sel));
  if (!sel || !(sel->source = malloc(len + 1))) {
    rc = fail_nomem(&p);
    goto out;
  }
  memcpy(sel->source, s, len + 1);
  skip_ws(&p);
  for (;;) {
    struct rules_complex *q;

    if (sel->n_alts >= RULES_MAX_ALTS) {
      rc = fail_at(&p, p.pos,
                   "too many comma-separated alternatives (at most %u)",
                   RULES_MAX_ALTS);
      goto out;
    }
    q = grow_one(sel->alts, sel->n_alts, sizeof(*sel->alts));
    if (!q) {
      rc = fail_nomem(&p);
      goto out;
    }
    sel->alts = q;
    sel->n_alts++;
    rc = parse_complex(&p, &sel->alts[sel->n_alts - 1], after);
    if (rc != WN_OK)
      goto out;
    if (s[p.pos] != ',')
      break;
    p.pos++;
    skip_ws(&p);
    after = "','";
  }
  if (s[p.pos] == '@') {
    size_t at = p.pos;

    p.pos++;
    if ((rc = read_token(&p, is_ident, 1, &sel->attr)) != WN_OK)
      goto out;
    if (!sel->attr) {
      rc = fail_at(&p, p.pos, "expected an attribute name after '@'");
      goto out;
    }
    skip_ws(&p);
    if (s[p.pos] == '@') {
      rc = fail_at(&p, p.pos, "only one '@attr' suffix is allowed");
      goto out;
    }
    if (s[p.pos] != '\0') {
      rc = fail_at(&p, at,
                   "'@' must come last (the suffix applies to the whole "
                   "selector)");
      goto out;
    }
  } else if (s[p.pos] != '\0') {
    rc = fail_unexpected(&p, p.pos); /* not reached: parse_complex stops
                                        only at ',' '@' or the end */
    goto out;
  }
  *out = sel;
  sel = NULL;
  rc = WN_OK;
out:
  rules_selector_free(sel);
  return rc;
}
