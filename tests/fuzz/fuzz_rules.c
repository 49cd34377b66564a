/* libFuzzer target for rule files and selectors: any bytes as a rule
 * file's text (loader, validation, selector and pcre2 compilation), and
 * as a selector. */
#include "rules/rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rules_set *rs = rules_set_new();
  struct rules_selector *sel = NULL;
  struct wn_error err;
  char *s;

  if (!rs)
    return 0;
  (void)rules_set_load_text(rs, "fuzz.json", ".", (const char *)data, size,
                            NULL, NULL);
  rules_set_free(rs);
  s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  if (rules_selector_parse(s, &sel, &err) == WN_OK)
    rules_selector_free(sel);
  free(s);
  return 0;
}
