/* Rule files: JSON (jansson) -> struct rules_site, with every problem
 * reported by key path. No json_t leaves this file. */
#include "rules/rules_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Loading state of one file: where to report, and whether anything was
 * wrong (the file is then refused as a whole). */
struct loader {
  const char *file;
  rules_error_cb cb;
  void *ud;
  int errors;
  int nomem;
};

static void report(struct loader *L, const char *path, const char *fmt, ...)
    WN_PRINTF(3, 4);

static void report(struct loader *L, const char *path, const char *fmt, ...)
{
  char msg[512], line[640];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (path && *path)
    snprintf(line, sizeof(line), "%s: %s", path, msg);
  else
    snprintf(line, sizeof(line), "%s", msg);
  L->errors++;
  if (L->cb)
    L->cb(L->ud, L->file, 0, 0, line);
}

static const char *const kinds[] = {
    "navigation", "footer",      "cookie", "share",    "related",
    "comments",   "advertising", "seo",    "template", "other"};

int rules_kind_valid(const char *kind)
{
  size_t k;

  for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
    if (strcmp(kind, kinds[k]) == 0)
      return 1;
  return 0;
}

static char *dup_str(struct loader *L, const char *s)
{
  char *d = strdup(s);

  if (!d)
    L->nomem = 1;
  return d;
}

/* Keys an object may hold; anything else is reported by name. */
static void check_keys(struct loader *L, json_t *o, const char *path,
                       const char *const *allowed)
{
  const char *key;
  json_t *v;
  char sub[256];

  json_object_foreach(o, key, v)
  {
    const char *const *a;
    int ok = 0;

    for (a = allowed; *a; a++)
      if (strcmp(key, *a) == 0)
        ok = 1;
    if (!ok) {
      if (path && *path)
        snprintf(sub, sizeof(sub), "%s.%s", path, key);
      else
        snprintf(sub, sizeof(sub), "%s", key);
      report(L, sub, "unknown key");
    }
  }
}

static struct rules_selector *selector(struct loader *L, json_t *v,
                                       const char *path)
{
  struct rules_selector *sel = NULL;
  struct wn_error err;
  wn_result rc;

  if (!json_is_string(v)) {
    report(L, path, "must be a selector string");
    return NULL;
  }
  wn_error_clear(&err);
  rc = rules_selector_parse(json_string_value(v), &sel, &err);
  if (rc == WN_E_NOMEM) {
    L->nomem = 1;
    return NULL;
  }
  if (rc != WN_OK) {
    report(L, path, "selector error at offset %ld in '%.200s': %s", err.offset,
           json_string_value(v), err.message);
    return NULL;
  }
  return sel;
}

static struct rules_pattern *pattern(struct loader *L, json_t *v,
                                     const char *path)
{
  struct rules_pattern *p = NULL;
  struct wn_error err;
  wn_result rc;

  if (!json_is_string(v)) {
    report(L, path, "must be a pattern string");
    return NULL;
  }
  wn_error_clear(&err);
  rc = rules_pattern_compile(json_string_value(v), &p, &err);
  if (rc == WN_E_NOMEM) {
    L->nomem = 1;
    return NULL;
  }
  if (rc != WN_OK) {
    report(L, path, "pcre2 error at offset %ld: %s", err.offset, err.message);
    return NULL;
  }
  return p;
}

/* An array of selectors or patterns (or of plain strings for phrases). */
enum item { ITEM_SELECTOR, ITEM_PATTERN, ITEM_STRING };

static void **array_of(struct loader *L, json_t *v, const char *path,
                       enum item what, size_t *n_out)
{
  void **out;
  size_t k, n;
  char sub[256];

  *n_out = 0;
  if (!json_is_array(v)) {
    report(L, path, "must be an array");
    return NULL;
  }
  n = json_array_size(v);
  if (n == 0)
    return NULL;
  out = calloc(n, sizeof(*out));
  if (!out) {
    L->nomem = 1;
    return NULL;
  }
  for (k = 0; k < n; k++) {
    json_t *e = json_array_get(v, k);

    snprintf(sub, sizeof(sub), "%s[%zu]", path, k);
    if (what == ITEM_SELECTOR)
      out[k] = selector(L, e, sub);
    else if (what == ITEM_PATTERN)
      out[k] = pattern(L, e, sub);
    else if (!json_is_string(e) || json_string_length(e) == 0)
      report(L, sub, "must be a non-empty string");
    else
      out[k] = dup_str(L, json_string_value(e));
  }
  *n_out = n;
  return out;
}

static int valid_host_glob(const char *h)
{
  const char *p = h;

  if (strncmp(p, "*.", 2) == 0)
    p += 2;
  if (!*p || *p == '.')
    return 0;
  for (; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.' || c == ':' || c == '[' || c == ']'))
      return 0;
  }
  return 1;
}

static void load_hosts(struct loader *L, struct rules_site *s, json_t *v)
{
  size_t k, n;

  if (!json_is_array(v) || json_array_size(v) == 0) {
    report(L, "hosts", "must be a non-empty array of host names");
    return;
  }
  n = json_array_size(v);
  s->hosts = calloc(n, sizeof(*s->hosts));
  if (!s->hosts) {
    L->nomem = 1;
    return;
  }
  s->n_hosts = n;
  for (k = 0; k < n; k++) {
    json_t *e = json_array_get(v, k);
    char sub[64];
    char *h;
    size_t i;

    snprintf(sub, sizeof(sub), "hosts[%zu]", k);
    if (!json_is_string(e)) {
      report(L, sub, "must be a string");
      continue;
    }
    h = dup_str(L, json_string_value(e));
    if (!h)
      continue;
    for (i = 0; h[i]; i++)
      h[i] = (char)wn_ascii_tolower((unsigned char)h[i]);
    if (!valid_host_glob(h))
      report(L, sub, "'%.200s' is not a host name or '*.' pattern", h);
    s->hosts[k] = h;
  }
}

static void load_related(struct loader *L, struct rules_site *s, json_t *v)
{
  static const char *const keys[] = {"selectors", "markers", "phrases", "notes",
                                     NULL};
  json_t *e;

  if (!json_is_object(v)) {
    report(L, "related", "must be an object");
    return;
  }
  check_keys(L, v, "related", keys);
  if ((e = json_object_get(v, "selectors")))
    s->related_selectors = (struct rules_selector **)array_of(
        L, e, "related.selectors", ITEM_SELECTOR, &s->n_related_selectors);
  if ((e = json_object_get(v, "markers")))
    s->related_markers = (struct rules_pattern **)array_of(
        L, e, "related.markers", ITEM_PATTERN, &s->n_related_markers);
  if ((e = json_object_get(v, "phrases"))) {
    size_t k, i;
    s->related_phrases = (char **)array_of(L, e, "related.phrases", ITEM_STRING,
                                           &s->n_related_phrases);
    /* phrases are matched folded: keep them lower case */
    for (k = 0; k < s->n_related_phrases; k++)
      for (i = 0; s->related_phrases && s->related_phrases[k] &&
                  s->related_phrases[k][i];
           i++)
        s->related_phrases[k][i] =
            (char)wn_ascii_tolower((unsigned char)s->related_phrases[k][i]);
  }
}

static size_t word_count(struct loader *L, json_t *e, const char *key,
                         const char *path)
{
  json_t *f = json_object_get(e, key);
  char sub[96];

  if (!f)
    return 0;
  snprintf(sub, sizeof(sub), "%s.%s", path, key);
  if (!json_is_integer(f) || json_integer_value(f) < 0 ||
      json_integer_value(f) > 100000) {
    report(L, sub, "must be a whole number from 0 to 100000");
    return 0;
  }
  return (size_t)json_integer_value(f);
}

static void load_boilerplate(struct loader *L, struct rules_site *s, json_t *v)
{
  static const char *const keys[] = {
      "kind",       "pattern",   "selector",  "names_site", "at_end",
      "label_only", "min_words", "max_words", "notes",      NULL};
  size_t k, n;

  if (!json_is_array(v)) {
    report(L, "boilerplate", "must be an array of objects");
    return;
  }
  n = json_array_size(v);
  if (n == 0)
    return;
  s->boilerplate = calloc(n, sizeof(*s->boilerplate));
  if (!s->boilerplate) {
    L->nomem = 1;
    return;
  }
  s->n_boilerplate = n;
  for (k = 0; k < n; k++) {
    struct rules_boiler *b = &s->boilerplate[k];
    json_t *e = json_array_get(v, k), *f;
    char path[64], sub[96];

    snprintf(path, sizeof(path), "boilerplate[%zu]", k);
    if (!json_is_object(e)) {
      report(L, path, "must be an object");
      continue;
    }
    check_keys(L, e, path, keys);
    f = json_object_get(e, "kind");
    snprintf(sub, sizeof(sub), "%s.kind", path);
    if (!json_is_string(f))
      report(L, sub,
             "missing or not a string (one of navigation, footer, "
             "cookie, share, related, comments, advertising, seo, "
             "template, other)");
    else if (!rules_kind_valid(json_string_value(f)))
      report(L, sub, "unknown kind '%.40s'", json_string_value(f));
    else
      b->kind = dup_str(L, json_string_value(f));
    if ((f = json_object_get(e, "pattern"))) {
      snprintf(sub, sizeof(sub), "%s.pattern", path);
      b->pattern = pattern(L, f, sub);
    }
    if ((f = json_object_get(e, "selector"))) {
      snprintf(sub, sizeof(sub), "%s.selector", path);
      b->selector = selector(L, f, sub);
    }
    if (!json_object_get(e, "pattern") && !json_object_get(e, "selector"))
      report(L, path, "needs a pattern or a selector");
    if ((f = json_object_get(e, "names_site"))) {
      snprintf(sub, sizeof(sub), "%s.names_site", path);
      if (!json_is_boolean(f))
        report(L, sub, "must be true or false");
      b->names_site = json_is_true(f);
    }
    if ((f = json_object_get(e, "at_end"))) {
      snprintf(sub, sizeof(sub), "%s.at_end", path);
      if (!json_is_boolean(f))
        report(L, sub, "must be true or false");
      b->at_end = json_is_true(f);
    }
    if ((f = json_object_get(e, "label_only"))) {
      snprintf(sub, sizeof(sub), "%s.label_only", path);
      if (!json_is_boolean(f))
        report(L, sub, "must be true or false");
      b->label_only = json_is_true(f);
    }
    b->min_words = word_count(L, e, "min_words", path);
    b->max_words = word_count(L, e, "max_words", path);
  }
}

static void load_tests(struct loader *L, struct rules_site *s, json_t *v)
{
  static const char *const keys[] = {"page", "url", "expect", "notes", NULL};
  size_t k, n;

  if (!json_is_array(v)) {
    report(L, "tests", "must be an array of objects");
    return;
  }
  n = json_array_size(v);
  if (n == 0)
    return;
  s->tests = calloc(n, sizeof(*s->tests));
  if (!s->tests) {
    L->nomem = 1;
    return;
  }
  s->n_tests = n;
  for (k = 0; k < n; k++) {
    struct rules_test *t = &s->tests[k];
    json_t *e = json_array_get(v, k), *f;
    char path[64], sub[96];

    snprintf(path, sizeof(path), "tests[%zu]", k);
    if (!json_is_object(e)) {
      report(L, path, "must be an object");
      continue;
    }
    check_keys(L, e, path, keys);
    f = json_object_get(e, "page");
    snprintf(sub, sizeof(sub), "%s.page", path);
    if (!json_is_string(f) || json_string_length(f) == 0)
      report(L, sub, "missing or not a file path");
    else
      t->page = dup_str(L, json_string_value(f));
    if ((f = json_object_get(e, "url"))) {
      snprintf(sub, sizeof(sub), "%s.url", path);
      if (!json_is_string(f) || !wn_url_is_http(json_string_value(f)))
        report(L, sub, "must be an absolute http(s) URL");
      else
        t->url = dup_str(L, json_string_value(f));
    }
    f = json_object_get(e, "expect");
    snprintf(sub, sizeof(sub), "%s.expect", path);
    if (!json_is_object(f)) {
      report(L, sub, "missing or not an object");
    } else {
      t->expect_json = json_dumps(f, JSON_COMPACT | JSON_PRESERVE_ORDER);
      if (!t->expect_json)
        L->nomem = 1;
    }
  }
}

static const struct {
  const char *key;
  size_t offset;
} field_keys[] = {
    {"body", offsetof(struct rules_site, body)},
    {"title", offsetof(struct rules_site, title)},
    {"author", offsetof(struct rules_site, author)},
    {"published", offsetof(struct rules_site, published)},
    {"description", offsetof(struct rules_site, description)},
    {"site_name", offsetof(struct rules_site, site_name)},
    {"language", offsetof(struct rules_site, language)},
};

static void load_object(struct loader *L, struct rules_site *s, json_t *root)
{
  static const char *const keys[] = {
      "site",    "hosts",     "generic",     "body",      "title",
      "author",  "published", "description", "site_name", "language",
      "remove",  "related",   "boilerplate", "tests",     "notes",
      "version", NULL};
  json_t *v;
  size_t k;

  check_keys(L, root, "", keys);
  v = json_object_get(root, "site");
  if (!v)
    report(L, "site", "missing (a name for the site, e.g. \"example.com\")");
  else if (!json_is_string(v) || json_string_length(v) == 0)
    report(L, "site", "must be a non-empty string");
  else
    s->site = dup_str(L, json_string_value(v));
  v = json_object_get(root, "generic");
  if (v && !json_is_boolean(v))
    report(L, "generic", "must be true or false");
  s->generic = json_is_true(v);
  v = json_object_get(root, "hosts");
  if (s->generic) {
    if (v)
      report(L, "hosts", "a generic rule file applies to every host: no hosts");
  } else if (!v) {
    report(L, "hosts", "missing (the host names the rules apply to)");
  } else {
    load_hosts(L, s, v);
  }
  for (k = 0; k < sizeof(field_keys) / sizeof(field_keys[0]); k++) {
    v = json_object_get(root, field_keys[k].key);
    if (v)
      *(struct rules_selector **)((char *)s + field_keys[k].offset) =
          selector(L, v, field_keys[k].key);
  }
  if ((v = json_object_get(root, "remove")))
    s->remove = (struct rules_selector **)array_of(L, v, "remove",
                                                   ITEM_SELECTOR, &s->n_remove);
  if ((v = json_object_get(root, "related")))
    load_related(L, s, v);
  if ((v = json_object_get(root, "boilerplate")))
    load_boilerplate(L, s, v);
  if ((v = json_object_get(root, "tests")))
    load_tests(L, s, v);
  if ((v = json_object_get(root, "notes")) && !json_is_string(v))
    report(L, "notes", "must be a string");
  if ((v = json_object_get(root, "version")) && !json_is_integer(v))
    report(L, "version", "must be a whole number");
}

/* Parse and validate one file's text. On WN_OK *out is a new site. */
wn_result rules_site_parse(const char *name, const char *dir, const char *text,
                           size_t len, rules_error_cb cb, void *ud,
                           struct rules_site **out);

wn_result rules_site_parse(const char *name, const char *dir, const char *text,
                           size_t len, rules_error_cb cb, void *ud,
                           struct rules_site **out)
{
  struct loader L = {name, cb, ud, 0, 0};
  struct rules_site *s = NULL;
  json_error_t jerr;
  json_t *root = NULL;
  wn_result rc = WN_E_RULE;

  if (len > RULES_MAX_FILE_BYTES) {
    report(&L, "", "file too large (over %u bytes)",
           (unsigned)RULES_MAX_FILE_BYTES);
    return WN_E_RULE;
  }
  root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!root) {
    char msg[300];
    snprintf(msg, sizeof(msg), "JSON syntax error: %s", jerr.text);
    if (cb)
      cb(ud, name, jerr.line > 0 ? jerr.line : 1,
         jerr.column > 0 ? jerr.column : 1, msg);
    return WN_E_RULE;
  }
  if (!json_is_object(root)) {
    report(&L, "", "the file must hold one JSON object");
    goto out;
  }
  s = calloc(1, sizeof(*s));
  if (!s) {
    rc = WN_E_NOMEM;
    goto out;
  }
  load_object(&L, s, root);
  s->file = dup_str(&L, name);
  s->dir = dup_str(&L, dir ? dir : ".");
  if (L.nomem) {
    rc = WN_E_NOMEM;
    goto out;
  }
  if (L.errors)
    goto out;
  *out = s;
  s = NULL;
  rc = WN_OK;
out:
  rules_site_free(s);
  json_decref(root);
  return rc;
}

void rules_site_free(struct rules_site *s)
{
  size_t k;

  if (!s)
    return;
  free(s->site);
  free(s->file);
  free(s->dir);
  for (k = 0; k < s->n_hosts; k++)
    free(s->hosts[k]);
  free(s->hosts);
  for (k = 0; k < sizeof(field_keys) / sizeof(field_keys[0]); k++)
    rules_selector_free(
        *(struct rules_selector **)((char *)s + field_keys[k].offset));
  for (k = 0; k < s->n_remove; k++)
    rules_selector_free(s->remove[k]);
  free(s->remove);
  for (k = 0; k < s->n_related_selectors; k++)
    rules_selector_free(s->related_selectors[k]);
  free(s->related_selectors);
  for (k = 0; k < s->n_related_markers; k++)
    rules_pattern_free(s->related_markers[k]);
  free(s->related_markers);
  for (k = 0; k < s->n_related_phrases; k++)
    free(s->related_phrases[k]);
  free(s->related_phrases);
  for (k = 0; k < s->n_boilerplate; k++) {
    free(s->boilerplate[k].kind);
    rules_pattern_free(s->boilerplate[k].pattern);
    rules_selector_free(s->boilerplate[k].selector);
  }
  free(s->boilerplate);
  for (k = 0; k < s->n_tests; k++) {
    free(s->tests[k].page);
    free(s->tests[k].url);
    free(s->tests[k].expect_json);
  }
  free(s->tests);
  free(s);
}
