/* Expectations on a record, shared by `winnow rules test` and the
 * fixture checks: the keys of a rule file's "expect" object and of a
 * fixture's assert.json (see rules/README.md). */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct checker {
  cli_expect_fail_cb cb;
  void *ud;
  int failures;
};

static void fail(struct checker *c, const char *fmt, ...) WN_PRINTF(2, 3);

static void fail(struct checker *c, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  c->failures++;
  if (c->cb)
    c->cb(c->ud, msg);
}

static const char *str(json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static void check_exact(struct checker *c, json_t *rec, json_t *want,
                        const char *key)
{
  json_t *w = json_object_get(want, key), *g = json_object_get(rec, key);
  char *ws, *gs;

  if (!w || json_equal(w, g ? g : json_null()))
    return;
  ws = json_dumps(w, JSON_ENCODE_ANY);
  gs = json_dumps(g ? g : json_null(), JSON_ENCODE_ANY);
  fail(c, "%s: got %.300s, want %.300s", key, gs ? gs : "?", ws ? ws : "?");
  free(ws);
  free(gs);
}

static void check_count(struct checker *c, json_t *want, const char *key,
                        size_t got)
{
  json_t *w = json_object_get(want, key);

  if (w && (!json_is_integer(w) || (json_int_t)got != json_integer_value(w)))
    fail(c, "%s: got %zu, want %lld", key, got,
         json_is_integer(w) ? (long long)json_integer_value(w) : -1LL);
}

static int has_entry(json_t *arr, const char *key, const char *value,
                     const char *text_has)
{
  json_t *e;
  size_t j;

  json_array_foreach(arr, j, e)
  {
    if (value && (!str(e, key) || strcmp(value, str(e, key)) != 0))
      continue;
    if (text_has && (!str(e, "text") || !strstr(str(e, "text"), text_has)))
      continue;
    return 1;
  }
  return 0;
}

static void check_related(struct checker *c, json_t *rec, json_t *want)
{
  json_t *v, *e;
  size_t k, j;

  json_array_foreach(json_object_get(want, "related_has"), k, v)
  {
    const char *url = str(v, "url");
    json_t *sec = json_object_get(v, "section");
    int found = 0;

    json_array_foreach(json_object_get(rec, "related"), j, e)
    {
      if (!url || !str(e, "url") || strcmp(url, str(e, "url")) != 0)
        continue;
      found = 1;
      if (str(v, "text") &&
          (!str(e, "text") || strcmp(str(v, "text"), str(e, "text")) != 0))
        fail(c, "related %s: text \"%s\", want \"%s\"", url,
             str(e, "text") ? str(e, "text") : "null", str(v, "text"));
      if (sec && !json_equal(sec, json_object_get(e, "section")))
        fail(c, "related %s: section \"%s\", want \"%s\"", url,
             str(e, "section") ? str(e, "section") : "null",
             json_is_string(sec) ? json_string_value(sec) : "null");
    }
    if (!found)
      fail(c, "related_has: no link %s", url ? url : "(null)");
  }
  json_array_foreach(json_object_get(want, "related_lacks_urls"), k, v)
  {
    if (json_is_string(v) && has_entry(json_object_get(rec, "related"), "url",
                                       json_string_value(v), NULL))
      fail(c, "related_lacks_urls: found %s", json_string_value(v));
  }
}

int cli_expect_check(json_t *rec, json_t *want, cli_expect_fail_cb cb, void *ud)
{
  static const char *const exact[] = {
      "title",         "author",  "published", "site_name", "language",
      "canonical_url", "charset", "url",       "rules",     "rule_misses"};
  struct checker c = {cb, ud, 0};
  const char *text = str(rec, "text");
  json_t *v, *blocks = json_object_get(rec, "blocks");
  size_t k, headings = 0;

  if (!text)
    text = "";
  for (k = 0; k < sizeof(exact) / sizeof(exact[0]); k++)
    check_exact(&c, rec, want, exact[k]);
  json_array_foreach(json_object_get(want, "text_has"), k, v)
  {
    if (json_is_string(v) && !strstr(text, json_string_value(v)))
      fail(&c, "text_has: missing \"%s\"", json_string_value(v));
  }
  json_array_foreach(json_object_get(want, "text_lacks"), k, v)
  {
    if (json_is_string(v) && strstr(text, json_string_value(v)))
      fail(&c, "text_lacks: found \"%s\"", json_string_value(v));
  }
  /* "empty or nearly": a stray label is tolerated */
  if (json_is_true(json_object_get(want, "text_empty")) && strlen(text) > 200)
    fail(&c, "text_empty: text is %zu bytes", strlen(text));
  check_related(&c, rec, want);
  check_count(&c, want, "related_count",
              json_array_size(json_object_get(rec, "related")));
  check_count(&c, want, "blocks_count", json_array_size(blocks));
  json_array_foreach(blocks, k, v)
  {
    if (str(v, "type") && strcmp(str(v, "type"), "heading") == 0)
      headings++;
  }
  check_count(&c, want, "heading_count", headings);
  json_array_foreach(json_object_get(want, "boilerplate_has"), k, v)
  {
    if (!has_entry(json_object_get(rec, "boilerplate"), "kind", str(v, "kind"),
                   str(v, "text_has")))
      fail(&c, "boilerplate_has: no %s entry with \"%s\"",
           str(v, "kind") ? str(v, "kind") : "*",
           str(v, "text_has") ? str(v, "text_has") : "");
  }
  json_array_foreach(json_object_get(want, "boilerplate_lacks_kinds"), k, v)
  {
    if (json_is_string(v) && has_entry(json_object_get(rec, "boilerplate"),
                                       "kind", json_string_value(v), NULL))
      fail(&c, "boilerplate_lacks_kinds: found a %s entry",
           json_string_value(v));
  }
  json_array_foreach(json_object_get(want, "blocks_has"), k, v)
  {
    if (!has_entry(blocks, "type", str(v, "type"), str(v, "text_has")))
      fail(&c, "blocks_has: no %s block with \"%s\"",
           str(v, "type") ? str(v, "type") : "*",
           str(v, "text_has") ? str(v, "text_has") : "");
  }
  return c.failures;
}
