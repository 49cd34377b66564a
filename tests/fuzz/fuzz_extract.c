/* libFuzzer target: any bytes through charset decoding, Gumbo, every
 * extraction pass and all three output formats. The first input byte
 * picks a URL and an HTTP charset so that link resolution and charset
 * precedence are fuzzed too. Build: cmake -DWINNOW_FUZZ=ON with clang;
 * run: build-fuzz/tests/fuzz/fuzz_extract -max_total_time=600 CORPUS. */
#include "extract/extract.h"
#include "output/output.h"

#include <jansson.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct extract_ctx *ctx;
  static const char *const urls[] = {NULL, "https://www.example.com/a/b.html",
                                     "http://xn--bcher-kva.example:8080/x?y#z",
                                     "not a url"};
  static const char *const charsets[] = {
      NULL, "utf-8", "windows-1252", "shift_jis", "utf-16le", "bogus"};
  struct extract_input in = {0};
  const struct extract_record *rec;
  struct wn_buf out;

  if (!ctx)
    ctx = extract_ctx_new();
  if (!ctx || size == 0)
    return 0;
  in.url = urls[data[0] & 3];
  in.http_charset = charsets[(data[0] >> 2) % 6];
  in.html = (const char *)data + 1;
  in.len = size - 1;
  if (extract_page_run(ctx, &in, NULL, &rec) != WN_OK) /* no rules */
    return 0;
  wn_buf_init(&out, 64u * 1024u * 1024u);
  /* every record is written, as one line of valid UTF-8 JSON */
  if (output_jsonl_append(&out, rec, NULL) != WN_OK ||
      !wn_utf8_valid(out.data, out.len) || out.len < 2 ||
      out.data[out.len - 1] != '\n' ||
      memchr(out.data, '\n', out.len - 1))
    abort();
  {
    json_error_t e;
    json_t *o = json_loadb(out.data, out.len, 0, &e);
    if (!o || !json_is_object(o))
      abort();
    json_decref(o);
  }
  wn_buf_reset(&out);
  (void)output_markdown_append(&out, rec);
  wn_buf_reset(&out);
  (void)output_text_append(&out, rec);
  wn_buf_free(&out);
  return 0;
}
