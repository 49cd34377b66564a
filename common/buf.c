#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wn_buf_init(struct wn_buf *b, size_t max)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void wn_buf_free(struct wn_buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void wn_buf_reset(struct wn_buf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

wn_result wn_buf_reserve(struct wn_buf *b, size_t extra)
{
  size_t need, cap;
  char *p;

  /* The NUL needs a byte too, so len + extra must stay below SIZE_MAX. */
  if (extra > b->max || b->len > b->max - extra || b->len + extra == SIZE_MAX) {
    wn_buf_free(b);
    return WN_E_TOO_LARGE;
  }
  need = b->len + extra + 1;
  if (need <= b->cap)
    return WN_OK;
  cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  if (b->max < SIZE_MAX && cap > b->max + 1)
    cap = b->max + 1;
  p = realloc(b->data, cap);
  if (!p) {
    wn_buf_free(b);
    return WN_E_NOMEM;
  }
  b->data = p;
  b->cap = cap;
  return WN_OK;
}

wn_result wn_buf_add(struct wn_buf *b, const void *p, size_t len)
{
  wn_result rc = wn_buf_reserve(b, len);

  if (rc != WN_OK)
    return rc;
  if (len)
    memcpy(b->data + b->len, p, len);
  b->len += len;
  b->data[b->len] = '\0';
  return WN_OK;
}

wn_result wn_buf_addc(struct wn_buf *b, char c)
{
  return wn_buf_add(b, &c, 1);
}

wn_result wn_buf_adds(struct wn_buf *b, const char *s)
{
  return wn_buf_add(b, s, strlen(s));
}

wn_result wn_buf_printf(struct wn_buf *b, const char *fmt, ...)
{
  va_list ap;
  char small[256];
  int n;
  wn_result rc;

  va_start(ap, fmt);
  n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  if (n < 0) {
    wn_buf_free(b);
    return WN_E_INVALID;
  }
  if ((size_t)n < sizeof(small))
    return wn_buf_add(b, small, (size_t)n);
  rc = wn_buf_reserve(b, (size_t)n);
  if (rc != WN_OK)
    return rc;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return WN_OK;
}

const char *wn_buf_str(const struct wn_buf *b)
{
  return b->data ? b->data : "";
}

char *wn_buf_steal(struct wn_buf *b)
{
  char *p = b->data;

  if (!p) {
    p = malloc(1);
    if (p)
      p[0] = '\0';
  }
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  return p;
}
