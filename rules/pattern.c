/* pcre2 patterns: UTF mode, JIT when available, bounded matching. */
#include "rules/rules_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct rules_pattern {
  pcre2_code *code;
  char *source;
};

struct rules_scratch {
  pcre2_match_data *md;
  pcre2_match_context *mc;
  pcre2_jit_stack *jit;
};

struct rules_scratch *rules_scratch_new(void)
{
  struct rules_scratch *s = calloc(1, sizeof(*s));

  if (!s)
    return NULL;
  s->md = pcre2_match_data_create(1, NULL);
  s->mc = pcre2_match_context_create(NULL);
  /* A JIT stack larger than the 32 KiB default, so that deep but finite
   * patterns fail by their limits rather than by stack. */
  s->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
  if (!s->md || !s->mc) {
    rules_scratch_free(s);
    return NULL;
  }
  pcre2_set_match_limit(s->mc, RULES_MATCH_LIMIT);
  pcre2_set_depth_limit(s->mc, RULES_DEPTH_LIMIT);
  pcre2_set_heap_limit(s->mc, 4096); /* KiB */
  if (s->jit)
    pcre2_jit_stack_assign(s->mc, NULL, s->jit);
  return s;
}

void rules_scratch_free(struct rules_scratch *s)
{
  if (!s)
    return;
  pcre2_match_data_free(s->md);
  pcre2_match_context_free(s->mc);
  pcre2_jit_stack_free(s->jit);
  free(s);
}

wn_result rules_pattern_compile(const char *src, struct rules_pattern **out,
                                struct wn_error *err)
{
  struct rules_pattern *p;
  int code;
  PCRE2_SIZE off;
  size_t len = strlen(src);

  if (len > RULES_MAX_PATTERN_BYTES) {
    wn_error_set(err, "pattern longer than %u bytes",
                 (unsigned)RULES_MAX_PATTERN_BYTES);
    if (err)
      err->offset = (long)RULES_MAX_PATTERN_BYTES;
    return WN_E_RULE;
  }
  p = calloc(1, sizeof(*p));
  if (!p)
    return WN_E_NOMEM;
  p->source = strdup(src);
  if (!p->source) {
    free(p);
    return WN_E_NOMEM;
  }
  p->code = pcre2_compile((PCRE2_SPTR)src, len, PCRE2_UTF | PCRE2_UCP, &code,
                          &off, NULL);
  if (!p->code) {
    PCRE2_UCHAR msg[256];

    pcre2_get_error_message(code, msg, sizeof(msg));
    wn_error_set(err, "%s", (const char *)msg);
    if (err)
      err->offset = (long)off;
    rules_pattern_free(p);
    return WN_E_RULE;
  }
  /* JIT is an optimisation: a platform without it still matches. */
  (void)pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
  *out = p;
  return WN_OK;
}

void rules_pattern_free(struct rules_pattern *p)
{
  if (!p)
    return;
  pcre2_code_free(p->code);
  free(p->source);
  free(p);
}

const char *rules_pattern_source(const struct rules_pattern *p)
{
  return p->source;
}

int rules_pattern_find(const struct rules_pattern *p,
                       struct rules_scratch *scratch, const char *s, size_t len,
                       size_t *start, size_t *end)
{
  int rc;

  if (!p || !scratch)
    return -1;
  rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, 0, scratch->md, scratch->mc);
  if (rc >= 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(scratch->md);
    if (start)
      *start = ov[0];
    if (end)
      *end = ov[1];
    return 1;
  }
  return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}
