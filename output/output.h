/* output: records as JSON Lines, plain text or Markdown.
 *
 * Functions append to a struct wn_buf so that callers choose where bytes
 * go (stdout, a file, a WARC record). Thread-safe: no shared state. */
#ifndef WN_OUTPUT_H
#define WN_OUTPUT_H

#include "extract/extract.h"

/* Fields a crawl adds to a record: with a struct output_fetch all six
 * are written, null when unknown (NULL, or -1 for the numbers); header
 * strings that are not UTF-8 become null. */
struct output_fetch {
  const char *fetched_at; /* ISO 8601 UTC */
  int status;             /* HTTP status, -1 when absent */
  const char *content_type;
  int depth; /* -1 when absent */
  const char *referrer;
  const char *final_url;
};

/* Append rec as one JSON object and a newline to out. fetch may be NULL.
 * Errors: WN_E_NOMEM, WN_E_TOO_LARGE (out's cap), WN_E_INVALID (a string
 * of rec is not UTF-8). On error out holds what it held before. */
wn_result output_jsonl_append(struct wn_buf *out,
                              const struct extract_record *rec,
                              const struct output_fetch *fetch);

/* Append the body text and a newline (nothing for an empty body). */
wn_result output_text_append(struct wn_buf *out,
                             const struct extract_record *rec);

/* Append the body as Markdown: '#' headings, '-' or '1.' lists, '>'
 * quotes, pipe tables, fenced code; a title line first when known. */
wn_result output_markdown_append(struct wn_buf *out,
                                 const struct extract_record *rec);

#endif
