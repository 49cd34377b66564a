/* Records as JSON Lines, built with jansson. */
#include "output/output.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Record strings are valid UTF-8 by construction (extract converts and
 * sanitises everything), so jansson's check is skipped. */
static json_t *str_or_null(const char *s)
{
  return s ? json_stringn_nocheck(s, strlen(s)) : json_null();
}

/* A string from the network (a header): null when it is not UTF-8. */
static json_t *str_checked(const char *s)
{
  json_t *v = s ? json_stringn(s, strlen(s)) : NULL;

  return v ? v : json_null();
}

static int set(json_t *o, const char *key, json_t *v)
{
  return v ? json_object_set_new_nocheck(o, key, v) : -1;
}

static json_t *blocks_json(const struct extract_record *rec)
{
  json_t *a = json_array();
  size_t k;

  if (!a)
    return NULL;
  for (k = 0; k < rec->n_blocks; k++) {
    const struct extract_block *b = &rec->blocks[k];
    json_t *o = json_object();

    if (!o || set(o, "type", json_string(extract_block_type_name(b->type))) ||
        set(o, "text", json_stringn_nocheck(b->text, b->len)) ||
        (b->type == EXTRACT_BLOCK_HEADING &&
         set(o, "level", json_integer(b->level))) ||
        (b->type == EXTRACT_BLOCK_LIST &&
         set(o, "ordered", json_boolean(b->ordered))) ||
        json_array_append_new(a, o)) {
      json_decref(o);
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

static json_t *related_json(const struct extract_record *rec)
{
  json_t *a = json_array();
  size_t k;

  if (!a)
    return NULL;
  for (k = 0; k < rec->n_related; k++) {
    const struct extract_link *l = &rec->related[k];
    json_t *o = json_object();

    if (!o || set(o, "url", str_or_null(l->url)) ||
        set(o, "text", str_or_null(l->text)) ||
        set(o, "section", str_or_null(l->section)) ||
        json_array_append_new(a, o)) {
      json_decref(o);
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

static json_t *strings_json(const char *const *v, size_t n)
{
  json_t *a = json_array();
  size_t k;

  for (k = 0; a && k < n; k++)
    if (json_array_append_new(a, str_or_null(v[k]))) {
      json_decref(a);
      return NULL;
    }
  return a;
}

static json_t *boilerplate_json(const struct extract_record *rec)
{
  json_t *a = json_array();
  size_t k;

  if (!a)
    return NULL;
  for (k = 0; k < rec->n_boilerplate; k++) {
    const struct extract_boiler *b = &rec->boilerplate[k];
    json_t *o = json_object();

    if (!o || set(o, "kind", json_string(extract_boiler_kind_name(b->kind))) ||
        set(o, "text", json_stringn_nocheck(b->text, b->len)) ||
        json_array_append_new(a, o)) {
      json_decref(o);
      json_decref(a);
      return NULL;
    }
  }
  return a;
}

/* The crawl fields: all six are present in a crawl record, null when
 * unknown (a seed has no referrer, a response may lack a Content-Type). */
static int add_fetch(json_t *o, const struct output_fetch *f)
{
  if (!f)
    return 0;
  if (set(o, "fetched_at", str_checked(f->fetched_at)) ||
      set(o, "status", f->status >= 0 ? json_integer(f->status) : json_null()) ||
      set(o, "content_type", str_checked(f->content_type)) ||
      set(o, "depth", f->depth >= 0 ? json_integer(f->depth) : json_null()) ||
      set(o, "referrer", str_checked(f->referrer)) ||
      set(o, "final_url", str_checked(f->final_url)))
    return -1;
  return 0;
}

struct dump_ctx {
  struct wn_buf *out;
  wn_result rc;
};

static int dump_cb(const char *buf, size_t size, void *data)
{
  struct dump_ctx *d = data;

  d->rc = wn_buf_add(d->out, buf, size);
  return d->rc == WN_OK ? 0 : -1;
}

wn_result output_jsonl_append(struct wn_buf *out,
                              const struct extract_record *rec,
                              const struct output_fetch *fetch)
{
  char fp[17];
  json_t *o = json_object();
  struct dump_ctx d = {out, WN_OK};
  size_t start = out->len;
  wn_result rc = WN_E_NOMEM;

  snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)rec->fingerprint);
  if (!o || set(o, "url", str_or_null(rec->url)) ||
      set(o, "canonical_url", str_or_null(rec->canonical_url)) ||
      set(o, "title", str_or_null(rec->title)) ||
      set(o, "author", str_or_null(rec->author)) ||
      set(o, "published", str_or_null(rec->published)) ||
      set(o, "site_name", str_or_null(rec->site_name)) ||
      set(o, "language", str_or_null(rec->language)) ||
      set(o, "description", str_or_null(rec->description)) ||
      set(o, "text", json_stringn_nocheck(rec->text, rec->text_len)) ||
      set(o, "blocks", blocks_json(rec)) ||
      set(o, "related", related_json(rec)) ||
      set(o, "boilerplate", boilerplate_json(rec)) ||
      set(o, "rules", strings_json(rec->rules, rec->n_rules)) ||
      set(o, "rule_misses",
          strings_json(rec->rule_misses, rec->n_rule_misses)) ||
      set(o, "fingerprint", json_string(fp)) ||
      set(o, "links", json_integer((json_int_t)rec->n_links)) ||
      set(o, "charset", str_or_null(rec->charset)) ||
      set(o, "truncated", json_boolean(rec->truncated)) ||
      set(o, "boilerplate_truncated",
          json_boolean(rec->boilerplate_truncated)) ||
      add_fetch(o, fetch))
    goto out;
  if (json_dump_callback(o, dump_cb, &d, JSON_COMPACT | JSON_PRESERVE_ORDER)) {
    /* jansson refuses strings that are not UTF-8 */
    rc = d.rc != WN_OK ? d.rc : WN_E_INVALID;
    goto out;
  }
  rc = wn_buf_addc(out, '\n');
out:
  /* Never leave half a line behind (the buffer frees itself on its own
   * errors; otherwise cut back to where this record started). */
  if (rc != WN_OK && out->data && out->len > start) {
    out->len = start;
    out->data[start] = '\0';
  }
  json_decref(o);
  return rc;
}
