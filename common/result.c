#include "common/common.h"

#include <stdio.h>
#include <string.h>

const char *wn_strerror(wn_result r)
{
  switch (r) {
  case WN_OK:
    return "no error";
  case WN_E_NOMEM:
    return "out of memory";
  case WN_E_TOO_LARGE:
    return "too large";
  case WN_E_PARSE:
    return "malformed input";
  case WN_E_IO:
    return "input/output error";
  case WN_E_NET:
    return "network error";
  case WN_E_HTTP:
    return "HTTP error";
  case WN_E_DENIED:
    return "denied by policy";
  case WN_E_RULE:
    return "invalid rule";
  case WN_E_INVALID:
    return "invalid argument";
  case WN_E_CHARSET:
    return "unsupported character set";
  case WN_E_NOT_FOUND:
    return "not found";
  case WN_E_UNSUPPORTED:
    return "not supported";
  case WN_E__COUNT:
    break;
  }
  return "unknown error";
}

void wn_error_clear(struct wn_error *err)
{
  if (!err)
    return;
  err->message[0] = '\0';
  err->line = 0;
  err->column = 0;
  err->offset = -1;
}

void wn_error_set(struct wn_error *err, const char *fmt, ...)
{
  va_list ap;

  if (!err)
    return;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof(err->message), fmt, ap);
  va_end(ap);
}
