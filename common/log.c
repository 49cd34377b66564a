#include "common/common.h"

#include <stdio.h>

static wn_log_level current = WN_LOG_WARN;

void wn_log_set_level(wn_log_level level)
{
  current = level;
}

wn_log_level wn_log_get_level(void)
{
  return current;
}

void wn_log(wn_log_level level, const char *fmt, ...)
{
  char line[1024];
  va_list ap;

  if (level > current)
    return;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  /* One fputs so that lines from several processes do not interleave. */
  fprintf(stderr, "winnow: %s\n", line);
}
