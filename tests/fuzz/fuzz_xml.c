/* libFuzzer target for crawler/sitemap.c: any bytes as a sitemap or feed.
 * Every reported URL must be an http(s) URL within WN_MAX_URL_BYTES that
 * parses again, lastmod trimmed and non-empty, at most
 * CRAWL_SITEMAP_MAX_URLS callbacks, and only the documented results. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_KIND ((crawl_xml_kind)99)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_url(void *ud, const char *url, int is_sitemap,
                   const char *lastmod)
{
  size_t *n = ud;
  size_t len;
  struct wn_url u;

  if (!url || (is_sitemap != 0 && is_sitemap != 1))
    abort();
  len = strlen(url);
  if (len > WN_MAX_URL_BYTES || !wn_url_is_http(url))
    abort();
  if (wn_url_parse(url, &u) != WN_OK)
    abort();
  wn_url_free(&u);
  if (lastmod &&
      (!*lastmod || wn_ascii_isspace((unsigned char)*lastmod) ||
       wn_ascii_isspace((unsigned char)lastmod[strlen(lastmod) - 1])))
    abort();
  if (++*n > CRAWL_SITEMAP_MAX_URLS)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  crawl_xml_kind kind = NO_KIND;
  size_t n = 0, n2 = 0;
  wn_result rc;

  rc = crawl_xml_parse((const char *)data, size, "https://example.com/d/s.xml",
                       on_url, &n, &kind);
  if (rc != WN_OK && rc != WN_E_PARSE && rc != WN_E_NOMEM)
    abort();
  if (rc == WN_OK && kind > CRAWL_XML_ATOM)
    abort();
  if (rc != WN_OK && kind != NO_KIND)
    abort();
  /* Without a base the result is the same, unless the URL cap ended one
   * of the parses early (which URLs pass differs: "https:/x" is a path
   * against an https base and a host without one). */
  if (crawl_xml_parse((const char *)data, size, NULL, on_url, &n2, NULL) !=
          rc &&
      n < CRAWL_SITEMAP_MAX_URLS && n2 < CRAWL_SITEMAP_MAX_URLS)
    abort();
  return 0;
}
