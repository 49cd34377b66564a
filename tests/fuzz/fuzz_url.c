/* libFuzzer target for common/url.c: parse, resolve against a few bases,
 * normalise with every flag; outputs must parse again. */
#include "common/common.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const bases[] = {
      "http://a/b/c/d;p?q", "https://www.example.com/", "http://[::1]:8080/x/"};
  char *s = malloc(size + 1);
  struct wn_buf b;
  struct wn_url u;
  size_t k;

  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  wn_buf_init(&b, 1u << 20);
  if (wn_url_parse(s, &u) == WN_OK)
    wn_url_free(&u);
  for (k = 0; k < 3; k++) {
    wn_buf_reset(&b);
    if (wn_url_resolve(bases[k], s, &b) == WN_OK && b.len) {
      if (wn_url_parse(b.data, &u) != WN_OK)
        abort(); /* resolve's output must parse */
      wn_url_free(&u);
    }
  }
  wn_buf_reset(&b);
  (void)wn_url_normalize(
      s, WN_URL_NORM_FRAGMENT | WN_URL_NORM_TRACKING | WN_URL_NORM_SORT_QUERY,
      &b);
  wn_buf_free(&b);
  free(s);
  return 0;
}
