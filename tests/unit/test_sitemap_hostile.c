/* Unit tests for crawler/sitemap.c against hostile and large documents:
 * quadratic blowup, external entities, deep nesting, long values, the URL
 * cap, a big sitemap and the size limit. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tests/unit/sitemap_check.h"

/* An entity of 64 KiB referenced 64 Ki times would expand to 4 GiB. */
static void test_quadratic_blowup(void)
{
  struct wn_buf b;
  struct rec r;
  crawl_xml_kind kind = NO_KIND;
  double t0;
  size_t i;
  wn_result rc;

  wn_buf_init(&b, 1u << 24);
  rec_init(&r);
  CHECK_INT(wn_buf_adds(&b, "<?xml version=\"1.0\"?><!DOCTYPE urlset "
                            "[<!ENTITY a \""),
            WN_OK);
  for (i = 0; i < 64u * 1024u; i++)
    CHECK_INT(wn_buf_addc(&b, 'a'), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "\">]><urlset><url><loc>https://example.com/"),
            WN_OK);
  for (i = 0; i < 64u * 1024u; i++)
    CHECK_INT(wn_buf_adds(&b, "&a;"), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "</loc></url></urlset>"), WN_OK);
  t0 = now_s();
  rc = crawl_xml_parse(b.data, b.len, BASE, rec_cb, &r, &kind);
  CHECK_INT(rc, WN_E_PARSE);
  CHECK_INT(r.n, 0);
  CHECK_INT(kind, NO_KIND);
  CHECK(now_s() - t0 < 1.0);
  wn_buf_free(&r.out);
  wn_buf_free(&b);
}

/* An external entity pointing at a real file with a marker: never read. */
static void test_external_file(void)
{
  char dir[] = "/tmp/wn_sitemap_XXXXXX";
  char path[256], doc[1024];
  struct rec r;
  FILE *f;
  int n;

  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(path, sizeof path, "%s/e.dtd", dir);
  f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f)
    return;
  fputs("<!ENTITY secret \"LEAKED\">", f);
  fclose(f);

  /* as an external DTD subset: not read, &secret; is skipped */
  n = snprintf(doc, sizeof doc,
               "<!DOCTYPE urlset SYSTEM \"file://%s\"><urlset><url><loc>"
               "https://example.com/&secret;</loc></url></urlset>",
               path);
  CHECK(n > 0 && (size_t)n < sizeof doc);
  rec_init(&r);
  CHECK_INT(crawl_xml_parse(doc, strlen(doc), BASE, rec_cb, &r, NULL), WN_OK);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/|0|-\n");
  wn_buf_free(&r.out);

  /* as an external general entity: refused */
  n = snprintf(doc, sizeof doc,
               "<!DOCTYPE urlset [<!ENTITY x SYSTEM \"file://%s\">]><urlset>"
               "<url><loc>https://example.com/&x;</loc></url></urlset>",
               path);
  CHECK(n > 0 && (size_t)n < sizeof doc);
  rec_init(&r);
  CHECK_INT(crawl_xml_parse(doc, strlen(doc), BASE, rec_cb, &r, NULL),
            WN_E_PARSE);
  CHECK_INT(r.n, 0);
  wn_buf_free(&r.out);

  /* as an external parameter entity: refused */
  n = snprintf(doc, sizeof doc,
               "<!DOCTYPE urlset [<!ENTITY %% p SYSTEM \"file://%s\">%%p;]>"
               "<urlset><url><loc>https://example.com/&secret;</loc></url>"
               "</urlset>",
               path);
  CHECK(n > 0 && (size_t)n < sizeof doc);
  rec_init(&r);
  CHECK_INT(crawl_xml_parse(doc, strlen(doc), BASE, rec_cb, &r, NULL),
            WN_E_PARSE);
  CHECK(strstr(wn_buf_str(&r.out), "LEAKED") == NULL);
  wn_buf_free(&r.out);

  remove(path);
  remove(dir);
}

/* Deep nesting stops the parse (expat keeps every open element); URLs
 * before it were reported. */
static void test_deep_nesting(void)
{
  struct wn_buf b;
  struct rec r;
  size_t i;

  wn_buf_init(&b, 1u << 24);
  rec_init(&r);
  CHECK_INT(wn_buf_adds(&b, "<feed><entry><link href=\"/1\"/></entry><entry>"),
            WN_OK);
  for (i = 0; i < 100000; i++)
    CHECK_INT(wn_buf_adds(&b, "<d>"), WN_OK);
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, rec_cb, &r, NULL), WN_E_PARSE);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/1|0|-\n");
  wn_buf_free(&r.out);

  /* well-formed but 5000 levels deep: refused all the same */
  wn_buf_reset(&b);
  CHECK_INT(wn_buf_adds(&b, "<feed><entry><link href=\"/1\"/></entry>"), WN_OK);
  for (i = 0; i < 5000; i++)
    CHECK_INT(wn_buf_adds(&b, "<d>"), WN_OK);
  for (i = 0; i < 5000; i++)
    CHECK_INT(wn_buf_adds(&b, "</d>"), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "<entry><link href=\"/2\"/></entry></feed>"),
            WN_OK);
  rec_init(&r);
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, rec_cb, &r, NULL), WN_E_PARSE);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/1|0|-\n");
  wn_buf_free(&r.out);

  /* 500 levels inside an entry are fine */
  wn_buf_reset(&b);
  CHECK_INT(wn_buf_adds(&b, "<feed><entry>"), WN_OK);
  for (i = 0; i < 500; i++)
    CHECK_INT(wn_buf_adds(&b, "<d>"), WN_OK);
  for (i = 0; i < 500; i++)
    CHECK_INT(wn_buf_adds(&b, "</d>"), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "<link href=\"/2\"/></entry></feed>"), WN_OK);
  rec_init(&r);
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, rec_cb, &r, NULL), WN_OK);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/2|0|-\n");
  wn_buf_free(&r.out);
  wn_buf_free(&b);
}

/* Text over the per-field cap is dropped, the next entries still count;
 * megabytes of leading whitespace do not count against the cap. */
static void test_long_values(void)
{
  struct wn_buf b;
  struct rec r;
  size_t i;

  wn_buf_init(&b, 1u << 24);
  rec_init(&r);
  CHECK_INT(wn_buf_adds(&b, "<urlset><url><loc>https://example.com/"), WN_OK);
  for (i = 0; i < 100000; i++)
    CHECK_INT(wn_buf_addc(&b, 'x'), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "</loc><lastmod>"), WN_OK);
  for (i = 0; i < 100000; i++)
    CHECK_INT(wn_buf_addc(&b, '1'), WN_OK);
  /* text after the overflow must not start a new value */
  CHECK_INT(wn_buf_adds(&b, "</lastmod></url><url><loc>https://example.com/"),
            WN_OK);
  for (i = 0; i < 20000; i++)
    CHECK_INT(wn_buf_addc(&b, 'y'), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "&amp;tail<![CDATA[/cdata]]></loc></url>"), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "<url><loc>"), WN_OK);
  for (i = 0; i < 1000000; i++)
    CHECK_INT(wn_buf_addc(&b, i % 2 ? ' ' : '\n'), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "https://example.com/ok</loc><lastmod>"), WN_OK);
  for (i = 0; i < 1000; i++)
    CHECK_INT(wn_buf_addc(&b, '2'), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "</lastmod></url></urlset>"), WN_OK);
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, rec_cb, &r, NULL), WN_OK);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/ok|0|-\n");
  CHECK_INT(r.bad, 0);
  wn_buf_free(&r.out);
  wn_buf_free(&b);
}

/* ---- sizes -------------------------------------------------------------- */

/* One more URL than the cap: the cap's worth is reported, and that is OK. */
static void test_url_cap(void)
{
  struct wn_buf b;
  struct rec r;
  crawl_xml_kind kind = NO_KIND;
  size_t i;

  wn_buf_init(&b, 1u << 26);
  rec_init(&r);
  CHECK_INT(wn_buf_adds(&b, "<sitemapindex>"), WN_OK);
  for (i = 0; i < CRAWL_SITEMAP_MAX_URLS + 10; i++)
    CHECK_INT(wn_buf_printf(&b, "<sitemap><loc>/s%zu.xml</loc></sitemap>", i),
              WN_OK);
  /* junk after the cap is never seen */
  CHECK_INT(wn_buf_adds(&b, "<oops></sitemapindex>"), WN_OK);
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, count_cb, &r, &kind), WN_OK);
  CHECK_INT(kind, CRAWL_XML_INDEX);
  CHECK_INT(r.n, CRAWL_SITEMAP_MAX_URLS);
  CHECK_INT(r.bad, 0);

  /* entries that are not reported do not count */
  wn_buf_reset(&b);
  rec_init(&r);
  CHECK_INT(wn_buf_adds(&b, "<urlset>"), WN_OK);
  for (i = 0; i < CRAWL_SITEMAP_MAX_URLS; i++)
    CHECK_INT(wn_buf_adds(&b, "<url><loc>mailto:x@y</loc></url>"), WN_OK);
  CHECK_INT(wn_buf_adds(&b, "<url><loc>/last</loc></url></urlset>"), WN_OK);
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, rec_cb, &r, &kind), WN_OK);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/last|0|-\n");
  wn_buf_free(&r.out);
  wn_buf_free(&b);
}

/* A 10 MB sitemap built in memory parses in well under a second or two
 * (sanitizers included). */
static void test_big_sitemap(void)
{
  struct wn_buf b;
  struct rec r;
  crawl_xml_kind kind = NO_KIND;
  size_t i, n = 40000;
  double t0, dt;

  wn_buf_init(&b, 1u << 26);
  rec_init(&r);
  CHECK_INT(wn_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<urlset xmlns=\"" SM_NS "\">\n"),
            WN_OK);
  for (i = 0; i < n; i++)
    CHECK_INT(wn_buf_printf(&b,
                            "  <url>\n    <loc>https://www.example.com/"
                            "articles/2024/%06zu/a-fairly-long-slug-for-an-"
                            "article-about-something-or-other-%zu.html</loc>\n"
                            "    <lastmod>2024-01-02T03:04:05+00:00</lastmod>\n"
                            "    <changefreq>monthly</changefreq>\n"
                            "    <priority>0.8</priority>\n  </url>\n",
                            i, i),
              WN_OK);
  CHECK_INT(wn_buf_adds(&b, "</urlset>\n"), WN_OK);
  CHECK(b.len > 10u * 1000u * 1000u);
  t0 = now_s();
  CHECK_INT(crawl_xml_parse(b.data, b.len, BASE, count_cb, &r, &kind), WN_OK);
  dt = now_s() - t0;
  CHECK_INT(kind, CRAWL_XML_URLSET);
  CHECK_INT(r.n, n);
  CHECK_INT(r.bad, 0);
  CHECK(dt < 5.0);
  printf("10 MB sitemap: %zu URLs in %.3f s\n", n, dt);
  wn_buf_free(&b);
}

/* Over 50 MiB: the first 50 MiB are parsed, then WN_E_TOO_LARGE. */
static void test_too_large(void)
{
  size_t len = 51u * 1024u * 1024u;
  static const char head[] =
      "<urlset><url><loc>https://example.com/first</loc></url><!--";
  char *doc = malloc(len);
  struct rec r;
  crawl_xml_kind kind = NO_KIND;

  CHECK(doc != NULL);
  if (!doc)
    return;
  memset(doc, ' ', len);
  memcpy(doc, head, sizeof head - 1);
  memcpy(doc + len - 13, "--></urlset>", 12);
  rec_init(&r);
  CHECK_INT(crawl_xml_parse(doc, len, BASE, rec_cb, &r, &kind), WN_E_TOO_LARGE);
  CHECK_STR(wn_buf_str(&r.out), "https://example.com/first|0|-\n");
  CHECK_INT(kind, NO_KIND);
  wn_buf_free(&r.out);
  free(doc);
}

/* ---- odd arguments ------------------------------------------------------ */

int main(void)
{
  test_quadratic_blowup();
  test_external_file();
  test_deep_nesting();
  test_long_values();
  test_url_cap();
  test_big_sitemap();
  test_too_large();
  return check_exit();
}
