/* libFuzzer target for crawler/robots.c: parse the input as robots.txt for
 * two agents and ask about a few paths; the first input line (when short)
 * is also used as a URL to check. Answers must be 0 or 1, Crawl-delay
 * -1 or a finite value >= 0, and "/robots.txt" always allowed. */
#include "crawler/crawler.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct crawl_robots *r, const char *url)
{
  int a = crawl_robots_allowed(r, url);

  if (a != 0 && a != 1)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const agents[] = {"winnow", "FooBot"};
  static const char *const paths[] = {
      "/", "/a/b?c=d", "http://example.com/x%2Fy", "/%E2%82%AC$", "/*"};
  struct crawl_robots *r;
  char line[256];
  size_t k, i, n;
  double d;

  for (n = 0; n < size && n < sizeof line - 1 && data[n] != '\n'; n++)
    line[n] = (char)data[n];
  line[n] = '\0';
  for (k = 0; k < 2; k++) {
    if (crawl_robots_parse((const char *)data, size, agents[k], &r) != WN_OK)
      continue;
    if (crawl_robots_allowed(r, "/robots.txt") != 1)
      abort();
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
      check(r, paths[i]);
    check(r, line);
    d = crawl_robots_crawl_delay(r);
    if (d != -1 && !(d >= 0 && isfinite(d)))
      abort();
    for (i = 0; i < crawl_robots_sitemap_count(r); i++)
      if (!crawl_robots_sitemap_at(r, i))
        abort();
    crawl_robots_free(r);
  }
  return 0;
}
