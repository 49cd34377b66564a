/* Unit tests for page metadata (extract/meta.c through extract_page_run):
 * title, author, date, language, canonical URL, site name and description
 * from JSON-LD, OpenGraph, meta tags, <title>, <time> and <html lang>;
 * the JSON-LD articleBody fallback; malformed pages. */
#include "extract/extract_int.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

/* A field the case does not check. */
#define ANY ((const char *)1)

struct meta_case {
  const char *name;
  const char *html;
  const char *url;
  const char *title, *author, *published, *language, *canonical;
  const char *site_name, *description;
};

#define LD_OPEN "<script type=\"application/ld+json\">"
#define LD_CLOSE "</script>"
#define BODY "<body><p>Short body.</p></body></html>"

static const struct meta_case cases[] = {
    /* ---- title: JSON-LD > og:title > other meta > <title> ---- */
    {"title: JSON-LD headline first",
     "<html><head><title>Title Tag | Site</title>"
     "<meta property=\"og:title\" content=\"OG Title\">" LD_OPEN
     "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\","
     "\"headline\":\"LD Headline\"}" LD_CLOSE "</head>" BODY,
     NULL, "LD Headline", NULL, NULL, NULL, NULL, NULL, NULL},
    {"title: og:title before <title>",
     "<html><head><title>Title Tag | Site</title>"
     "<meta property=\"og:title\" content=\"OG Title\"></head>" BODY,
     NULL, "OG Title", NULL, NULL, NULL, NULL, NULL, NULL},
    {"title: twitter:title before <title>",
     "<html><head><title>Title Tag</title>"
     "<meta name=\"twitter:title\" content=\"Twitter Title\"></head>" BODY,
     NULL, "Twitter Title", ANY, ANY, ANY, ANY, ANY, ANY},
    {"title: <title> with ' | Site' removed",
     "<html><head><title>Council approves new budget | The Daily</title>"
     "</head>" BODY,
     NULL, "Council approves new budget", ANY, ANY, ANY, ANY, ANY, ANY},
    {"title: <title> with ' - Site Name' removed",
     "<html><head><title>Council approves new budget - The Daily Herald"
     "</title></head>" BODY,
     NULL, "Council approves new budget", ANY, ANY, ANY, ANY, ANY, ANY},
    {"title: one-word headline, suffix equal to og:site_name",
     "<html><head><title>Headline | Site</title>"
     "<meta property=\"og:site_name\" content=\"Site\"></head>" BODY,
     NULL, "Headline", ANY, ANY, ANY, ANY, "Site", ANY},
    {"title: site name as a prefix",
     "<html><head><title>The Daily | Council approves budget</title>"
     "<meta property=\"og:site_name\" content=\"The Daily\"></head>" BODY,
     NULL, "Council approves budget", ANY, ANY, ANY, ANY, "The Daily", ANY},
    {"title: en dash separator",
     "<html><head><title>Council approves new budget \xe2\x80\x93 "
     "Le Monde</title></head>" BODY,
     NULL, "Council approves new budget", ANY, ANY, ANY, ANY, ANY, ANY},
    {"title: a long tail is part of the title",
     "<html><head><title>Budget approved - after a long night of debate "
     "the council finally agreed</title></head>" BODY,
     NULL,
     "Budget approved - after a long night of debate the council finally "
     "agreed",
     ANY, ANY, ANY, ANY, ANY, ANY},
    {"title: a short title is not cut",
     "<html><head><title>Paris - Nice</title></head>" BODY, NULL,
     "Paris - Nice", ANY, ANY, ANY, ANY, ANY, ANY},
    {"title: whitespace collapsed, entities decoded",
     "<html><head><title>\n  Caf&eacute;   &amp;\tBar\n</title></head>" BODY,
     NULL, "Caf\xc3\xa9 & Bar", ANY, ANY, ANY, ANY, ANY, ANY},
    /* a JSON-LD headline carries no site suffix: a dash inside it is the
     * headline's own */
    {"title: JSON-LD headline with a dash is kept whole",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"headline\":"
     "\"Vaccine trial results published - what we know\"}" LD_CLOSE
     "</head>" BODY,
     NULL, "Vaccine trial results published - what we know", ANY, ANY, ANY, ANY,
     ANY, ANY},

    /* ---- author ---- */
    {"author: JSON-LD string",
     "<html><head>" LD_OPEN "{\"@type\":\"Article\",\"headline\":\"H\","
     "\"author\":\"John Smith\"}" LD_CLOSE "</head>" BODY,
     NULL, "H", "John Smith", ANY, ANY, ANY, ANY, ANY},
    {"author: JSON-LD object",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"author\":"
     "{\"@type\":\"Person\",\"name\":\"  Jane \\n Doe \"}}" LD_CLOSE
     "</head>" BODY,
     NULL, ANY, "Jane Doe", ANY, ANY, ANY, ANY, ANY},
    {"author: JSON-LD array of objects",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"author\":["
     "{\"@type\":\"Person\",\"name\":\"Ann One\"},"
     "{\"@type\":\"Person\",\"name\":\"Bob Two\"},"
     "{\"@type\":\"Person\",\"name\":\"Cy Three\"}]}" LD_CLOSE "</head>" BODY,
     NULL, ANY, "Ann One, Bob Two, Cy Three", ANY, ANY, ANY, ANY, ANY},
    {"author: JSON-LD array of strings, empty names skipped",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"author\":["
     "\"Ann One\",\"\",{\"name\":\"Bob Two\"},{\"url\":\"x\"},42]}" LD_CLOSE
     "</head>" BODY,
     NULL, ANY, "Ann One, Bob Two", ANY, ANY, ANY, ANY, ANY},
    {"author: JSON-LD before meta author",
     "<html><head><meta name=\"author\" content=\"Meta Author\">" LD_OPEN
     "{\"@type\":\"NewsArticle\",\"author\":{\"name\":\"LD Author\"}}" LD_CLOSE
     "</head>" BODY,
     NULL, ANY, "LD Author", ANY, ANY, ANY, ANY, ANY},
    {"author: meta author",
     "<html><head><meta name=\"author\" content=\"Meta Author\"></head>" BODY,
     NULL, ANY, "Meta Author", ANY, ANY, ANY, ANY, ANY},
    /* the byline word is not part of the name, as in body bylines */
    {"author: meta author with a 'By' prefix",
     "<html><head><meta name=\"author\" content=\"By Jane Doe\"></head>" BODY,
     NULL, ANY, "Jane Doe", ANY, ANY, ANY, ANY, ANY},
    {"author: a profile URL is not a name",
     "<html><head><meta property=\"article:author\" "
     "content=\"https://www.facebook.com/someone\"></head>" BODY,
     NULL, ANY, NULL, ANY, ANY, ANY, ANY, ANY},

    /* ---- published ---- */
    {"published: JSON-LD datePublished",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"datePublished\":"
     "\"2019-11-19T05:00:00+01:00\"}" LD_CLOSE "</head>" BODY,
     NULL, ANY, ANY, "2019-11-19T05:00:00+01:00", ANY, ANY, ANY, ANY},
    {"published: JSON-LD before article:published_time",
     "<html><head><meta property=\"article:published_time\" "
     "content=\"2020-01-01T00:00:00Z\">" LD_OPEN "{\"@type\":\"NewsArticle\","
     "\"datePublished\":\"2019-11-19\"}" LD_CLOSE "</head>" BODY,
     NULL, ANY, ANY, "2019-11-19", ANY, ANY, ANY, ANY},
    {"published: article:published_time, normalised",
     "<html><head><meta property=\"article:published_time\" "
     "content=\"2019-11-19T05:00:00.000Z\"></head>" BODY,
     NULL, ANY, ANY, "2019-11-19T05:00:00Z", ANY, ANY, ANY, ANY},
    {"published: <time datetime>",
     "<html><head></head><body><p>Short body.</p>"
     "<time datetime=\"2019-11-19\">19 Nov</time></body></html>",
     NULL, ANY, ANY, "2019-11-19", ANY, ANY, ANY, ANY},
    {"published: a date that does not parse gives way to the next source",
     "<html><head><meta property=\"article:published_time\" "
     "content=\"2019-11-19T05:00:00Z\">" LD_OPEN "{\"@type\":\"NewsArticle\","
     "\"datePublished\":\"yesterday\"}" LD_CLOSE "</head>" BODY,
     NULL, ANY, ANY, "2019-11-19T05:00:00Z", ANY, ANY, ANY, ANY},
    {"published: a French JSON-LD date",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"datePublished\":"
     "\"19 novembre 2019\"}" LD_CLOSE "</head>" BODY,
     NULL, ANY, ANY, "2019-11-19", ANY, ANY, ANY, ANY},
    {"published: no date at all",
     "<html><head><meta property=\"article:published_time\" "
     "content=\"soon\"></head>" BODY,
     NULL, ANY, ANY, NULL, ANY, ANY, ANY, ANY},

    /* ---- language ---- */
    {"language: fr_FR", "<html lang=\"fr_FR\"><head></head>" BODY, NULL, ANY,
     ANY, ANY, "fr-FR", ANY, ANY, ANY},
    {"language: EN-us", "<html lang=\"EN-us\"><head></head>" BODY, NULL, ANY,
     ANY, ANY, "en-US", ANY, ANY, ANY},
    {"language: en", "<html lang=\"en\"><head></head>" BODY, NULL, ANY, ANY,
     ANY, "en", ANY, ANY, ANY},
    {"language: es-419", "<html lang=\"es-419\"><head></head>" BODY, NULL, ANY,
     ANY, ANY, "es-419", ANY, ANY, ANY},
    {"language: garbage", "<html lang=\"garbage lang\"><head></head>" BODY,
     NULL, ANY, ANY, ANY, NULL, ANY, ANY, ANY},
    {"language: empty", "<html lang=\"\"><head></head>" BODY, NULL, ANY, ANY,
     ANY, NULL, ANY, ANY, ANY},
    {"language: punctuation", "<html lang=\"e!\"><head></head>" BODY, NULL, ANY,
     ANY, ANY, NULL, ANY, ANY, ANY},
    {"language: trailing dash", "<html lang=\"en-\"><head></head>" BODY, NULL,
     ANY, ANY, ANY, NULL, ANY, ANY, ANY},
    /* the primary subtag is letters (BCP 47: 2*3ALPHA) */
    {"language: digits", "<html lang=\"12\"><head></head>" BODY, NULL, ANY, ANY,
     ANY, NULL, ANY, ANY, ANY},
    {"language: bad lang, og:locale used",
     "<html lang=\"??\"><head><meta property=\"og:locale\" "
     "content=\"de_DE\"></head>" BODY,
     NULL, ANY, ANY, ANY, "de-DE", ANY, ANY, ANY},
    {"language: JSON-LD inLanguage",
     "<html><head>" LD_OPEN "{\"@type\":\"NewsArticle\",\"inLanguage\":"
     "\"it-it\"}" LD_CLOSE "</head>" BODY,
     NULL, ANY, ANY, ANY, "it-IT", ANY, ANY, ANY},

    /* ---- canonical URL ---- */
    {"canonical: relative, resolved against the page URL",
     "<html><head><link rel=\"canonical\" href=\"/story/1\"></head>" BODY,
     "https://example.com/news/a?x=1", ANY, ANY, ANY, ANY,
     "https://example.com/story/1", ANY, ANY},
    {"canonical: dot segments",
     "<html><head><link rel=\"canonical\" href=\"../b\"></head>" BODY,
     "https://example.com/news/2019/a", ANY, ANY, ANY, ANY,
     "https://example.com/news/b", ANY, ANY},
    {"canonical: rel is case-insensitive, absolute href kept",
     "<html><head><link rel=\"Canonical\" "
     "href=\"https://www.example.org/x\"></head>" BODY,
     "https://example.com/y", ANY, ANY, ANY, ANY, "https://www.example.org/x",
     ANY, ANY},
    {"canonical: link before og:url",
     "<html><head><meta property=\"og:url\" content=\"https://example.com/og\">"
     "<link rel=\"canonical\" href=\"https://example.com/link\"></head>" BODY,
     "https://example.com/page", ANY, ANY, ANY, ANY, "https://example.com/link",
     ANY, ANY},
    {"canonical: og:url",
     "<html><head><meta property=\"og:url\" content=\"https://example.com/og\">"
     "</head>" BODY,
     "https://example.com/page", ANY, ANY, ANY, ANY, "https://example.com/og",
     ANY, ANY},
    /* a record's canonical URL is a web address, never script */
    {"canonical: javascript: refused",
     "<html><head><link rel=\"canonical\" href=\"javascript:alert(1)\">"
     "</head>" BODY,
     "https://example.com/a", ANY, ANY, ANY, ANY, NULL, ANY, ANY},
    {"canonical: javascript: refused, og:url used",
     "<html><head><link rel=\"canonical\" href=\"javascript:void(0)\">"
     "<meta property=\"og:url\" content=\"https://example.com/og\">"
     "</head>" BODY,
     "https://example.com/a", ANY, ANY, ANY, ANY, "https://example.com/og", ANY,
     ANY},
    {"canonical: relative without a page URL",
     "<html><head><link rel=\"canonical\" href=\"/story/1\"></head>" BODY, NULL,
     ANY, ANY, ANY, ANY, NULL, ANY, ANY},

    /* ---- JSON-LD shapes ---- */
    {"JSON-LD: @graph",
     "<html><head>" LD_OPEN "{\"@context\":\"https://schema.org\",\"@graph\":["
     "{\"@type\":\"WebSite\",\"name\":\"Site X\"},"
     "{\"@type\":\"BreadcrumbList\",\"name\":\"Crumbs\"},"
     "{\"@type\":\"NewsArticle\",\"headline\":\"Graph Headline\","
     "\"author\":{\"name\":\"G Author\"},"
     "\"datePublished\":\"2021-03-04T10:00:00Z\"}]}" LD_CLOSE "</head>" BODY,
     NULL, "Graph Headline", "G Author", "2021-03-04T10:00:00Z", ANY, ANY,
     "Site X", ANY},
    {"JSON-LD: top-level array",
     "<html><head>" LD_OPEN "[{\"@type\":\"BreadcrumbList\"},"
     "{\"@type\":\"Article\",\"headline\":\"Array Headline\","
     "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Pub\"}}]" LD_CLOSE
     "</head>" BODY,
     NULL, "Array Headline", ANY, ANY, ANY, ANY, "Pub", ANY},
    {"JSON-LD: @type array",
     "<html><head>" LD_OPEN "{\"@type\":[\"CreativeWork\",\"NewsArticle\"],"
     "\"headline\":\"Typed Headline\"}" LD_CLOSE "</head>" BODY,
     NULL, "Typed Headline", ANY, ANY, ANY, ANY, ANY, ANY},
    {"JSON-LD: schema.org URL as @type",
     "<html><head>" LD_OPEN "{\"@type\":\"http://schema.org/NewsArticle\","
     "\"headline\":\"URL Typed\"}" LD_CLOSE "</head>" BODY,
     NULL, "URL Typed", ANY, ANY, ANY, ANY, ANY, ANY},
    {"JSON-LD: not an article type",
     "<html><head><title>Page Title Here</title>" LD_OPEN
     "{\"@type\":\"Product\",\"name\":\"A Product\"}" LD_CLOSE "</head>" BODY,
     NULL, "Page Title Here", ANY, ANY, ANY, ANY, ANY, ANY},
    {"JSON-LD: broken JSON ignored",
     "<html><head><title>Fallback title here</title>" LD_OPEN
     "{\"@type\":\"NewsArticle\",\"headline\":\"Broken" LD_CLOSE "</head>" BODY,
     NULL, "Fallback title here", NULL, NULL, NULL, NULL, NULL, NULL},
    {"JSON-LD: broken script, then a good one",
     "<html><head>" LD_OPEN "{{{ not json ]]" LD_CLOSE LD_OPEN
     "{\"@type\":\"NewsArticle\",\"headline\":\"Second Script\"}" LD_CLOSE
     "</head>" BODY,
     NULL, "Second Script", ANY, ANY, ANY, ANY, ANY, ANY},
    {"JSON-LD: wrong value types ignored",
     "<html><head><title>Typed wrong here</title>" LD_OPEN
     "{\"@type\":\"NewsArticle\",\"headline\":42,\"author\":true,"
     "\"datePublished\":[],\"inLanguage\":{}}" LD_CLOSE "</head>" BODY,
     NULL, "Typed wrong here", NULL, NULL, NULL, ANY, ANY, ANY},
    {"JSON-LD: deeply nested arrays",
     "<html><head><title>Deep nesting page</title>" LD_OPEN
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{\"@type\":\"NewsArticle\","
     "\"headline\":\"Too deep\"}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" LD_CLOSE
     "</head>" BODY,
     NULL, "Deep nesting page", ANY, ANY, ANY, ANY, ANY, ANY},
    {"JSON-LD: in an HTML comment",
     "<html><head>" LD_OPEN "<!--{\"@type\":\"NewsArticle\","
     "\"headline\":\"Commented\"}-->" LD_CLOSE "</head>" BODY,
     NULL, "Commented", ANY, ANY, ANY, ANY, ANY, ANY},
    /* meta.c says CMSs wrap JSON-LD "in comments or CDATA markers" */
    {"JSON-LD: in CDATA markers",
     "<html><head>" LD_OPEN "//<![CDATA[\n{\"@type\":\"NewsArticle\","
     "\"headline\":\"In CDATA\"}\n//]]>" LD_CLOSE "</head>" BODY,
     NULL, "In CDATA", ANY, ANY, ANY, ANY, ANY, ANY},

    /* ---- site name and description ---- */
    {"site name and descriptions",
     "<html><head><meta property=\"og:site_name\" content=\"My Site\">"
     "<meta name=\"description\" content=\"Meta description.\">"
     "<meta property=\"og:description\" content=\"OG description.\">"
     "</head>" BODY,
     NULL, ANY, ANY, ANY, ANY, ANY, "My Site", "OG description."},

    /* ---- nothing ---- */
    {"no metadata at all", "<html><body><p>Hello there.</p></body></html>",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"no metadata, with a page URL",
     "<html><body><p>Hello there.</p></body></html>", "https://example.com/x",
     NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static void check_field(const char *name, const char *field, const char *got,
                        const char *want)
{
  if (want == ANY)
    return;
  if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0)) {
    fprintf(stderr, "%s: %s\n  got:  %s\n  want: %s\n", name, field,
            got ? got : "(null)", want ? want : "(null)");
    check_failures++;
  }
}

static const struct extract_record *
run(struct extract_ctx *ctx, const char *html, size_t len, const char *url)
{
  struct extract_input in;
  const struct extract_record *rec = NULL;
  wn_result rc;

  memset(&in, 0, sizeof(in));
  in.html = html;
  in.len = len;
  in.url = url;
  rc = extract_page_run(ctx, &in, NULL, &rec);
  CHECK_INT(rc, WN_OK);
  if (rc != WN_OK)
    return NULL;
  CHECK(rec != NULL);
  if (rec) {
    /* invariants of every record */
    CHECK(rec->text != NULL);
    if (rec->text)
      CHECK_INT(strlen(rec->text), rec->text_len);
    CHECK(rec->n_blocks == 0 || rec->blocks != NULL);
    if (rec->title)
      CHECK(wn_utf8_valid(rec->title, strlen(rec->title)));
    if (rec->text)
      CHECK(wn_utf8_valid(rec->text, rec->text_len));
  }
  return rec;
}

static void check_cases(struct extract_ctx *ctx)
{
  size_t k;

  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    const struct meta_case *c = &cases[k];
    size_t len = strlen(c->html);
    char *copy = malloc(len); /* exact size: reads past len are caught */
    const struct extract_record *rec;

    if (!copy)
      return;
    memcpy(copy, c->html, len);
    rec = run(ctx, copy, len, c->url);
    if (rec) {
      check_field(c->name, "title", rec->title, c->title);
      check_field(c->name, "author", rec->author, c->author);
      check_field(c->name, "published", rec->published, c->published);
      check_field(c->name, "language", rec->language, c->language);
      check_field(c->name, "canonical_url", rec->canonical_url, c->canonical);
      check_field(c->name, "site_name", rec->site_name, c->site_name);
      check_field(c->name, "description", rec->description, c->description);
      check_field(c->name, "url", rec->url, c->url);
    }
    free(copy);
  }
}

/* A page rendered by script: the body is an empty shell and the article
 * is only in JSON-LD articleBody. */
static void check_articlebody(struct extract_ctx *ctx)
{
  static const char *const seps[] = {"\\n", "\\n\\n", "\\r\\n", "\\n \\n"};
  static const char p1[] =
      "The city council approved the new budget on Tuesday evening after a "
      "debate that lasted more than six hours.";
  static const char p2[] =
      "The plan includes money for public transport, for the renovation of "
      "schools and for the old market hall in the centre.";
  static const char p3[] =
      "The opposition said it would challenge several measures in court "
      "before the end of the year.";
  size_t k;

  for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
    struct wn_buf html, want;
    const struct extract_record *rec;

    wn_buf_init(&html, 1 << 16);
    wn_buf_init(&want, 1 << 16);
    wn_buf_printf(&html,
                  "<html><head><title>App</title>" LD_OPEN
                  "{\"@type\":\"NewsArticle\",\"headline\":\"Budget "
                  "approved\",\"articleBody\":\"%s%s%s%s%s\"}" LD_CLOSE
                  "</head><body><div id=\"root\"></div>"
                  "<script>render()</script></body></html>",
                  p1, seps[k], p2, seps[k], p3);
    wn_buf_printf(&want, "%s\n\n%s\n\n%s", p1, p2, p3);
    rec = run(ctx, html.data, html.len, "https://example.com/a");
    if (rec) {
      if (strcmp(rec->text, want.data) != 0) {
        fprintf(stderr, "articleBody sep \"%s\":\n  got:  %s\n  want: %s\n",
                seps[k], rec->text, want.data);
        check_failures++;
      }
      CHECK_INT(rec->n_blocks, 3);
      if (rec->n_blocks == 3) {
        CHECK_INT(rec->blocks[0].type, EXTRACT_BLOCK_PARAGRAPH);
        CHECK_INT(rec->blocks[2].type, EXTRACT_BLOCK_PARAGRAPH);
        CHECK_INT(rec->blocks[1].len, strlen(p2));
      }
      CHECK_STR(rec->title, "Budget approved");
      CHECK(rec->fingerprint != 0);
      CHECK(rec->fingerprint == wn_simhash64(rec->text, rec->text_len));
    }
    wn_buf_free(&html);
    wn_buf_free(&want);
  }
}

/* Hostile input: every one gives WN_OK and a record. */
static void check_malformed(struct extract_ctx *ctx)
{
  struct wn_buf b;
  const struct extract_record *rec;
  size_t i;
  static const char nul_page[] =
      "<html><head><title>Nul\0 title</title></head><body><p>Before the "
      "NUL byte\0 and after it, a sentence long enough to be kept as "
      "text of the article body, with more words.</p></body></html>";
  static const char *const small[] = {
      "<",
      "<<<<",
      ">",
      "</",
      "<!--",
      "<![CDATA[",
      "<html",
      "<p>unclosed",
      "&",
      "&#",
      "&#x110000;",
      "&#0;",
      "<script>",
      "<style>x",
      "<title>",
      "<html lang=",
      "\xef\xbb\xbf",
      "\xff\xfe",
      "\xfe\xff",
      "<meta charset=\"utf-16\">",
      "<meta charset=\"bogus\"><p>x</p>",
  };
  static const char recovered[] =
      "<html><head><title>Recovered fine here</title></head>"
      "<body><p>ok</p></body></html>";

  /* empty: html "" and html NULL with len 0 */
  rec = run(ctx, "", 0, NULL);
  if (rec) {
    CHECK_STR(rec->text, "");
    CHECK_INT(rec->n_blocks, 0);
    CHECK(rec->title == NULL);
    CHECK(rec->fingerprint == 0);
  }
  rec = run(ctx, NULL, 0, "https://example.com/");
  if (rec)
    CHECK_STR(rec->url, "https://example.com/");

  for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
    size_t len = strlen(small[i]);
    char *copy = malloc(len);

    if (!copy)
      return;
    memcpy(copy, small[i], len);
    run(ctx, copy, len, "https://example.com/");
    free(copy);
  }

  /* NUL bytes in the middle */
  rec = run(ctx, nul_page, sizeof(nul_page) - 1, NULL);
  if (rec) {
    CHECK(strstr(rec->text, "and after it") != NULL);
    CHECK(rec->title != NULL);
    if (rec->title)
      CHECK(strstr(rec->title, "title") != NULL);
  }

  /* 10,000 nested <div> */
  wn_buf_init(&b, 1 << 20);
  for (i = 0; i < 10000; i++)
    wn_buf_adds(&b, "<div>");
  wn_buf_adds(&b, "<p>Deep text inside ten thousand divs.</p>");
  for (i = 0; i < 10000; i++)
    wn_buf_adds(&b, "</div>");
  CHECK(b.len > 100000);
  run(ctx, b.data, b.len, NULL);
  /* ... and never closed */
  wn_buf_reset(&b);
  for (i = 0; i < 10000; i++)
    wn_buf_adds(&b, "<div><span>");
  run(ctx, b.data, b.len, NULL);
  /* 10,000 nested <b> inside a paragraph (the adoption agency's food) */
  wn_buf_reset(&b);
  wn_buf_adds(&b, "<p>");
  for (i = 0; i < 10000; i++)
    wn_buf_adds(&b, "<b><i>");
  wn_buf_adds(&b, "x</p><p>y");
  run(ctx, b.data, b.len, NULL);
  /* 10,000 unclosed <table> */
  wn_buf_reset(&b);
  for (i = 0; i < 10000; i++)
    wn_buf_adds(&b, "<table><tr><td>");
  run(ctx, b.data, b.len, NULL);
  wn_buf_free(&b);

  /* after all that, the context still works */
  rec = run(ctx, recovered, sizeof(recovered) - 1, NULL);
  if (rec)
    CHECK_STR(rec->title, "Recovered fine here");
}

/* Errors: only for a missing input; and a reused context keeps nothing
 * of the previous page. */
static void check_api(struct extract_ctx *ctx)
{
  struct extract_input in;
  const struct extract_record *rec = NULL;
  static const char page1[] =
      "<html lang=\"fr\"><head><title>First page title here</title>"
      "<meta name=\"author\" content=\"A. Author\"></head>" BODY;
  static const char page2[] = "<html><body><p>Second.</p></body></html>";

  CHECK_INT(extract_page_run(ctx, NULL, NULL, &rec), WN_E_INVALID);
  memset(&in, 0, sizeof(in));
  in.html = NULL;
  in.len = 10;
  CHECK_INT(extract_page_run(ctx, &in, NULL, &rec), WN_E_INVALID);

  rec = run(ctx, page1, sizeof(page1) - 1, "https://example.com/1");
  if (rec) {
    CHECK_STR(rec->title, "First page title here");
    CHECK_STR(rec->author, "A. Author");
    CHECK_STR(rec->language, "fr");
  }
  rec = run(ctx, page2, sizeof(page2) - 1, NULL);
  if (rec) {
    CHECK(rec->title == NULL);
    CHECK(rec->author == NULL);
    CHECK(rec->language == NULL);
    CHECK(rec->url == NULL);
  }
  extract_ctx_free(NULL);
}

int main(void)
{
  struct extract_ctx *ctx = extract_ctx_new();

  if (!ctx) {
    fprintf(stderr, "extract_ctx_new failed\n");
    return 1;
  }
  check_cases(ctx);
  check_articlebody(ctx);
  check_malformed(ctx);
  check_api(ctx);
  extract_ctx_free(ctx);
  return check_exit();
}
