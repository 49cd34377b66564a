/* Records as JSON Lines, written straight into the buffer: a record is
 * mostly long strings, and escaping them in one pass (runs of plain bytes
 * copied at once) costs a fraction of building a jansson tree and dumping
 * it. Every string is checked to be UTF-8 on the way: a record with one
 * that is not is refused whole (WN_E_INVALID), as jansson would. */
#include "output/output.h"

#include <stdio.h>
#include <string.h>

struct w {
  struct wn_buf *b;
  wn_result rc;
};

static void put(struct w *w, const char *s, size_t len)
{
  if (w->rc == WN_OK)
    w->rc = wn_buf_add(w->b, s, len);
}

static void puts_(struct w *w, const char *s)
{
  put(w, s, strlen(s));
}

/* Bytes that need no escaping: printable ASCII but '"' and '\\', and the
 * bytes of UTF-8 sequences (checked separately). */
#define PLAIN(c) (unsigned char)((c) >= 0x20 && (c) != 0x22 && (c) != 0x5C)
#define PLAIN4(c) PLAIN(c), PLAIN((c) + 1), PLAIN((c) + 2), PLAIN((c) + 3)
#define PLAIN16(c) PLAIN4(c), PLAIN4((c) + 4), PLAIN4((c) + 8), PLAIN4((c) + 12)
#define PLAIN64(c)                                                             \
  PLAIN16(c), PLAIN16((c) + 16), PLAIN16((c) + 32), PLAIN16((c) + 48)
static const unsigned char plain[256] = {PLAIN64(0), PLAIN64(64), PLAIN64(128),
                                         PLAIN64(192)};

static void put_escaped(struct w *w, const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run;

  if (!wn_utf8_valid(s, len)) {
    if (w->rc == WN_OK)
      w->rc = WN_E_INVALID;
    return;
  }
  put(w, "\"", 1);
  while (i < len && w->rc == WN_OK) {
    for (run = i; run < len && plain[u[run]]; run++)
      ;
    if (run > i)
      put(w, s + i, run - i);
    if (run >= len)
      break;
    switch (u[run]) {
    case '"': put(w, "\\\"", 2); break;
    case '\\': put(w, "\\\\", 2); break;
    case '\n': put(w, "\\n", 2); break;
    case '\t': put(w, "\\t", 2); break;
    case '\r': put(w, "\\r", 2); break;
    case '\b': put(w, "\\b", 2); break;
    case '\f': put(w, "\\f", 2); break;
    default: {
      char esc[8];
      snprintf(esc, sizeof(esc), "\\u%04x", u[run]);
      put(w, esc, 6);
    }
    }
    i = run + 1;
  }
  put(w, "\"", 1);
}

static void put_str(struct w *w, const char *s)
{
  if (s)
    put_escaped(w, s, strlen(s));
  else
    put(w, "null", 4);
}

/* A header value: null when it is not UTF-8 (the record still goes). */
static void put_checked(struct w *w, const char *s)
{
  if (s && wn_utf8_valid(s, strlen(s)))
    put_escaped(w, s, strlen(s));
  else
    put(w, "null", 4);
}

static void put_key(struct w *w, const char *key, int first)
{
  if (!first)
    put(w, ",", 1);
  put(w, "\"", 1);
  puts_(w, key);
  put(w, "\":", 2);
}

static void put_int(struct w *w, long long v)
{
  char n[32];

  put(w, n, (size_t)snprintf(n, sizeof(n), "%lld", v));
}

static void put_bool(struct w *w, int v)
{
  puts_(w, v ? "true" : "false");
}

static void put_blocks(struct w *w, const struct extract_record *rec)
{
  size_t k;

  put(w, "[", 1);
  for (k = 0; k < rec->n_blocks; k++) {
    const struct extract_block *b = &rec->blocks[k];

    put(w, k ? ",{" : "{", k ? 2 : 1);
    put_key(w, "type", 1);
    put_str(w, extract_block_type_name(b->type));
    put_key(w, "text", 0);
    put_escaped(w, b->text, b->len);
    if (b->type == EXTRACT_BLOCK_HEADING) {
      put_key(w, "level", 0);
      put_int(w, b->level);
    }
    if (b->type == EXTRACT_BLOCK_LIST) {
      put_key(w, "ordered", 0);
      put_bool(w, b->ordered);
    }
    put(w, "}", 1);
  }
  put(w, "]", 1);
}

static void put_related(struct w *w, const struct extract_record *rec)
{
  size_t k;

  put(w, "[", 1);
  for (k = 0; k < rec->n_related; k++) {
    const struct extract_link *l = &rec->related[k];

    put(w, k ? ",{" : "{", k ? 2 : 1);
    put_key(w, "url", 1);
    put_str(w, l->url);
    put_key(w, "text", 0);
    put_str(w, l->text);
    put_key(w, "section", 0);
    put_str(w, l->section);
    put(w, "}", 1);
  }
  put(w, "]", 1);
}

static void put_boilerplate(struct w *w, const struct extract_record *rec)
{
  size_t k;

  put(w, "[", 1);
  for (k = 0; k < rec->n_boilerplate; k++) {
    const struct extract_boiler *b = &rec->boilerplate[k];

    put(w, k ? ",{" : "{", k ? 2 : 1);
    put_key(w, "kind", 1);
    put_str(w, extract_boiler_kind_name(b->kind));
    put_key(w, "text", 0);
    put_escaped(w, b->text, b->len);
    put(w, "}", 1);
  }
  put(w, "]", 1);
}

static void put_strings(struct w *w, const char *const *v, size_t n)
{
  size_t k;

  put(w, "[", 1);
  for (k = 0; k < n; k++) {
    if (k)
      put(w, ",", 1);
    put_str(w, v[k]);
  }
  put(w, "]", 1);
}

/* The crawl fields: all six are present in a crawl record, null when
 * unknown (a seed has no referrer, a response may lack a Content-Type). */
static void put_fetch(struct w *w, const struct output_fetch *f)
{
  if (!f)
    return;
  put_key(w, "fetched_at", 0);
  put_checked(w, f->fetched_at);
  put_key(w, "status", 0);
  if (f->status >= 0)
    put_int(w, f->status);
  else
    put(w, "null", 4);
  put_key(w, "content_type", 0);
  put_checked(w, f->content_type);
  put_key(w, "depth", 0);
  if (f->depth >= 0)
    put_int(w, f->depth);
  else
    put(w, "null", 4);
  put_key(w, "referrer", 0);
  put_checked(w, f->referrer);
  put_key(w, "final_url", 0);
  put_checked(w, f->final_url);
}

wn_result output_jsonl_append(struct wn_buf *out,
                              const struct extract_record *rec,
                              const struct output_fetch *fetch)
{
  struct w w = {out, WN_OK};
  size_t start = out->len;
  char fp[17];

  snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)rec->fingerprint);
  put(&w, "{", 1);
  put_key(&w, "url", 1);
  put_str(&w, rec->url);
  put_key(&w, "canonical_url", 0);
  put_str(&w, rec->canonical_url);
  put_key(&w, "title", 0);
  put_str(&w, rec->title);
  put_key(&w, "author", 0);
  put_str(&w, rec->author);
  put_key(&w, "published", 0);
  put_str(&w, rec->published);
  put_key(&w, "site_name", 0);
  put_str(&w, rec->site_name);
  put_key(&w, "language", 0);
  put_str(&w, rec->language);
  put_key(&w, "description", 0);
  put_str(&w, rec->description);
  put_key(&w, "text", 0);
  put_escaped(&w, rec->text ? rec->text : "", rec->text ? rec->text_len : 0);
  put_key(&w, "blocks", 0);
  put_blocks(&w, rec);
  put_key(&w, "related", 0);
  put_related(&w, rec);
  put_key(&w, "boilerplate", 0);
  put_boilerplate(&w, rec);
  put_key(&w, "rules", 0);
  put_strings(&w, rec->rules, rec->n_rules);
  put_key(&w, "rule_misses", 0);
  put_strings(&w, rec->rule_misses, rec->n_rule_misses);
  put_key(&w, "fingerprint", 0);
  put_str(&w, fp);
  put_key(&w, "links", 0);
  put_int(&w, (long long)rec->n_links);
  put_key(&w, "charset", 0);
  put_str(&w, rec->charset);
  put_key(&w, "truncated", 0);
  put_bool(&w, rec->truncated);
  put_key(&w, "boilerplate_truncated", 0);
  put_bool(&w, rec->boilerplate_truncated);
  put_fetch(&w, fetch);
  put(&w, "}\n", 2);
  /* Never leave half a line behind (the buffer frees itself on its own
   * errors; otherwise cut back to where this record started). */
  if (w.rc != WN_OK && out->data && out->len > start) {
    out->len = start;
    out->data[start] = '\0';
  }
  return w.rc;
}
