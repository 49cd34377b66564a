/* Shared by the sitemap unit tests: a recording callback that checks
 * what holds for any input, and a clock. */
#ifndef WN_TEST_SITEMAP_CHECK_H
#define WN_TEST_SITEMAP_CHECK_H

#include "crawler/crawler.h"

#include <string.h>
#include <time.h>

#define BASE "https://example.com/dir/sitemap.xml"
#define SM_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define ATOM_NS "http://www.w3.org/2005/Atom"
#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define DC_NS "http://purl.org/dc/elements/1.1/"
#define NO_KIND ((crawl_xml_kind)99)

/* ---- recording callback ------------------------------------------------- */

/* Every callback as one line "url|is_sitemap|lastmod" ("-" for NULL), plus
 * checks that hold for any input. */
struct rec {
  struct wn_buf out;
  size_t n;
  int bad; /* a callback broke the contract */
};

static inline void rec_init(struct rec *r)
{
  wn_buf_init(&r->out, 256u * 1024u * 1024u);
  r->n = 0;
  r->bad = 0;
}

static inline void rec_check(struct rec *r, const char *url, int is_sitemap,
                      const char *lastmod)
{
  if (!url ||
      (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
    r->bad = 1;
  else if (strlen(url) > WN_MAX_URL_BYTES || !wn_utf8_valid(url, strlen(url)))
    r->bad = 1;
  if (is_sitemap != 0 && is_sitemap != 1)
    r->bad = 1;
  if (lastmod && (!*lastmod || wn_ascii_isspace((unsigned char)*lastmod)))
    r->bad = 1; /* lastmod is trimmed and never empty */
  if (++r->n > CRAWL_SITEMAP_MAX_URLS)
    r->bad = 1;
}

static inline void rec_cb(void *ud, const char *url, int is_sitemap,
                   const char *lastmod)
{
  struct rec *r = ud;

  rec_check(r, url, is_sitemap, lastmod);
  if (wn_buf_printf(&r->out, "%s|%d|%s\n", url ? url : "(null)", is_sitemap,
                    lastmod ? lastmod : "-") != WN_OK)
    r->bad = 1;
}

/* Counts and checks without keeping the URLs. */
static inline void count_cb(void *ud, const char *url, int is_sitemap,
                     const char *lastmod)
{
  rec_check(ud, url, is_sitemap, lastmod);
}

static inline double now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
