/* Sitemaps and feeds: URL discovery from XML sitemaps, sitemap indexes,
 * RSS 2.0 / RSS 1.0 (RDF) and Atom, with expat.
 *
 * Elements are matched on their local name (after the last ':') without
 * regard to ASCII case, so namespaces and prefixes do not matter and an
 * undeclared prefix ("dc:date" without xmlns:dc) is no error: expat runs
 * without namespace processing. Only direct children of an entry count,
 * so <image:image><image:loc> inside a sitemap <url> is not its <loc>.
 *
 * Hostile input: no DTD is loaded, a DOCTYPE internal subset that declares
 * an entity or an attribute list stops the parse (billion laughs,
 * quadratic blowup, external entities, default-attribute floods), element
 * nesting, captured text and input size are capped. */
#include "crawler/crawler.h"

/* expat.h declares the billion laughs settings (expat >= 2.4) only when
 * XML_DTD, a macro of expat's own build, is defined. Every distribution
 * build has DTD support and exports them; the macro changes nothing else
 * in the header. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#include <string.h>

#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
#define HAVE_BILLION_LAUGHS_PROTECTION 1
#endif

/* Limits of this parser (they belong in common/limits.h once the
 * crawler's limits move there): bytes fed to expat at a time; most input
 * bytes parsed (the sitemap protocol's own limit); deepest nesting (expat
 * keeps every open element); bytes of one field's text before trimming,
 * and of a date. */
#define SITEMAP_CHUNK_BYTES (64u * 1024u)
#define SITEMAP_MAX_INPUT_BYTES (50u * 1024u * 1024u)
#define SITEMAP_MAX_DEPTH 1024u
#define SITEMAP_MAX_TEXT_BYTES (2u * WN_MAX_URL_BYTES)
#define SITEMAP_MAX_DATE_BYTES 256u

/* What an entry keeps until its end tag: the URL, a fallback URL (RSS
 * <guid>, RDF rdf:about), the date and a fallback date. */
enum slot { SLOT_URL, SLOT_URL_ALT, SLOT_DATE, SLOT_DATE_ALT, N_SLOTS };

/* How a captured <guid> may be used. */
enum guid_mode {
  GUID_NONE = 0,
  GUID_PERMALINK,  /* isPermaLink="true": a URL, maybe relative */
  GUID_IF_ABSOLUTE /* no isPermaLink (RSS's default is true): taken only
                      when it is an absolute http(s) URL, since many feeds
                      put opaque ids there */
};

struct xml_ctx {
  XML_Parser parser;
  const char *base_url; /* borrowed; NULL: relative URLs are dropped */
  crawl_xml_url_cb cb;
  void *ud;
  crawl_xml_kind kind;
  unsigned long depth;         /* of the innermost open element; root is 1 */
  unsigned long channel_depth; /* RSS: depth of the open <channel>, or 0 */
  unsigned long entry_depth;   /* depth of the open entry, or 0 */
  int capture;                 /* slot whose text is captured, or -1 */
  enum guid_mode guid;         /* when capturing a <guid> */
  int text_over;               /* the captured text outgrew its cap */
  struct wn_buf text;
  struct wn_buf slot[N_SLOTS];
  struct wn_buf url; /* the resolved URL handed to cb */
  size_t n_urls;
  int stopped;  /* we stopped expat; rc says why */
  wn_result rc; /* WN_OK when the URL cap was reached */
};

/* ---- helpers ------------------------------------------------------------ */

static const char *local_name(const XML_Char *name)
{
  const char *colon = strrchr(name, ':');

  return colon ? colon + 1 : name;
}

static int name_is(const XML_Char *name, const char *local)
{
  return wn_ascii_casecmp(local_name(name), local) == 0;
}

/* The value of the attribute whose local name is local, or NULL. */
static const char *attr_get(const XML_Char **atts, const char *local)
{
  size_t i;

  for (i = 0; atts[i]; i += 2)
    if (name_is(atts[i], local))
      return atts[i + 1];
  return NULL;
}

/* s[0..*len) without surrounding whitespace; returns the new start. */
static const char *trim(const char *s, size_t *len)
{
  size_t n = *len;

  while (n && wn_ascii_isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  while (n && wn_ascii_isspace((unsigned char)s[n - 1]))
    n--;
  *len = n;
  return s;
}

/* Stop expat (from inside a handler) and remember why. Handlers that expat
 * still calls after this return at once. */
static void stop(struct xml_ctx *c, wn_result rc)
{
  if (c->stopped)
    return;
  c->stopped = 1;
  c->rc = rc;
  XML_StopParser(c->parser, XML_FALSE);
}

/* Fill an empty slot with s[0..len), trimmed; a value over the slot's cap
 * is dropped (the slot frees itself). */
static void slot_set(struct xml_ctx *c, enum slot k, const char *s, size_t len)
{
  s = trim(s, &len);
  if (!len || c->slot[k].len)
    return;
  if (wn_buf_add(&c->slot[k], s, len) == WN_E_NOMEM)
    stop(c, WN_E_NOMEM);
}

/* ---- entries ------------------------------------------------------------ */

static void entry_begin(struct xml_ctx *c)
{
  int k;

  c->entry_depth = c->depth;
  for (k = 0; k < N_SLOTS; k++)
    wn_buf_reset(&c->slot[k]);
}

static void capture_begin(struct xml_ctx *c, enum slot k, enum guid_mode guid)
{
  c->capture = (int)k;
  c->guid = guid;
  c->text_over = 0;
  wn_buf_reset(&c->text);
}

static void capture_end(struct xml_ctx *c)
{
  enum slot k = (enum slot)c->capture;
  const char *s = wn_buf_str(&c->text);
  size_t len = c->text.len;

  c->capture = -1;
  if (c->text_over)
    return;
  if (c->guid == GUID_IF_ABSOLUTE) {
    s = trim(s, &len);
    if (!len || !wn_url_is_http(s))
      return;
  }
  slot_set(c, k, s, len);
}

/* Resolve ref and hand it to the callback when it is http(s). */
static void report(struct xml_ctx *c, const char *ref, const char *lastmod)
{
  const char *u;
  wn_result rc;

  wn_buf_reset(&c->url);
  if (c->base_url) {
    rc = wn_url_resolve(c->base_url, ref, &c->url);
  } else {
    struct wn_url parsed;

    rc = wn_url_parse(ref, &parsed);
    if (rc == WN_OK) {
      rc = wn_url_serialize(&parsed, &c->url);
      wn_url_free(&parsed);
    }
  }
  if (rc == WN_E_NOMEM) {
    stop(c, WN_E_NOMEM);
    return;
  }
  if (rc != WN_OK)
    return; /* not a URL: skipped, like any other junk entry */
  u = wn_buf_str(&c->url);
  if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
    return;
  if (c->cb)
    c->cb(c->ud, u, c->kind == CRAWL_XML_INDEX, lastmod);
  if (++c->n_urls >= CRAWL_SITEMAP_MAX_URLS)
    stop(c, WN_OK);
}

static void entry_end(struct xml_ctx *c)
{
  const struct wn_buf *url = &c->slot[SLOT_URL];
  const struct wn_buf *date = &c->slot[SLOT_DATE];

  c->entry_depth = 0;
  if (!url->len)
    url = &c->slot[SLOT_URL_ALT];
  if (!date->len)
    date = &c->slot[SLOT_DATE_ALT];
  if (url->len)
    report(c, url->data, date->len ? date->data : NULL);
}

/* ---- expat handlers ----------------------------------------------------- */

static crawl_xml_kind root_kind(const XML_Char *name)
{
  if (name_is(name, "urlset"))
    return CRAWL_XML_URLSET;
  if (name_is(name, "sitemapindex"))
    return CRAWL_XML_INDEX;
  if (name_is(name, "rss") || name_is(name, "RDF"))
    return CRAWL_XML_RSS;
  if (name_is(name, "feed"))
    return CRAWL_XML_ATOM;
  return CRAWL_XML_UNKNOWN;
}

/* 1 when an Atom <link> points at the entry's page: rel absent or
 * "alternate" (also as the IANA IRI). */
static int atom_link_is_alternate(const XML_Char **atts)
{
  static const char iana[] =
      "http://www.iana.org/assignments/relation/alternate";
  const char *rel = attr_get(atts, "rel");
  size_t len;

  if (!rel)
    return 1;
  len = strlen(rel);
  rel = trim(rel, &len);
  return len == 0 ||
         (len == sizeof "alternate" - 1 &&
          wn_ascii_ncasecmp(rel, "alternate", len) == 0) ||
         (len == sizeof iana - 1 && wn_ascii_ncasecmp(rel, iana, len) == 0);
}

/* A start tag that opens an entry, given the document kind. */
static int is_entry(const struct xml_ctx *c, const XML_Char *name)
{
  switch (c->kind) {
  case CRAWL_XML_URLSET:
    return c->depth == 2 && name_is(name, "url");
  case CRAWL_XML_INDEX:
    return c->depth == 2 && name_is(name, "sitemap");
  case CRAWL_XML_RSS:
    /* RSS 2.0: rss > channel > item; RSS 1.0: rdf:RDF > item. */
    return name_is(name, "item") &&
           (c->depth == 2 || (c->channel_depth == 2 && c->depth == 3));
  case CRAWL_XML_ATOM:
    return c->depth == 2 && name_is(name, "entry");
  case CRAWL_XML_UNKNOWN:
    break;
  }
  return 0;
}

/* A direct child of an open entry. */
static void entry_child(struct xml_ctx *c, const XML_Char *name,
                        const XML_Char **atts)
{
  const char *v;

  switch (c->kind) {
  case CRAWL_XML_URLSET:
  case CRAWL_XML_INDEX:
    if (name_is(name, "loc"))
      capture_begin(c, SLOT_URL, GUID_NONE);
    else if (name_is(name, "lastmod"))
      capture_begin(c, SLOT_DATE, GUID_NONE);
    break;
  case CRAWL_XML_RSS:
    if (name_is(name, "link")) {
      capture_begin(c, SLOT_URL, GUID_NONE);
    } else if (name_is(name, "guid")) {
      v = attr_get(atts, "isPermaLink");
      if (!v)
        capture_begin(c, SLOT_URL_ALT, GUID_IF_ABSOLUTE);
      else if (wn_ascii_casecmp(v, "true") == 0)
        capture_begin(c, SLOT_URL_ALT, GUID_PERMALINK);
    } else if (name_is(name, "pubDate")) {
      capture_begin(c, SLOT_DATE, GUID_NONE);
    } else if (name_is(name, "date")) { /* dc:date */
      capture_begin(c, SLOT_DATE_ALT, GUID_NONE);
    }
    break;
  case CRAWL_XML_ATOM:
    if (name_is(name, "link")) {
      v = attr_get(atts, "href");
      if (v && atom_link_is_alternate(atts))
        slot_set(c, SLOT_URL, v, strlen(v));
    } else if (name_is(name, "updated")) {
      capture_begin(c, SLOT_DATE, GUID_NONE);
    } else if (name_is(name, "published")) {
      capture_begin(c, SLOT_DATE_ALT, GUID_NONE);
    }
    break;
  case CRAWL_XML_UNKNOWN:
    break;
  }
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts)
{
  struct xml_ctx *c = ud;
  const char *about;

  if (c->stopped)
    return;
  if (++c->depth > SITEMAP_MAX_DEPTH) {
    stop(c, WN_E_PARSE);
    return;
  }
  if (c->depth == 1) {
    c->kind = root_kind(name);
    return;
  }
  if (c->entry_depth) {
    if (c->depth == c->entry_depth + 1 && c->capture < 0)
      entry_child(c, name, atts);
    return;
  }
  if (is_entry(c, name)) {
    entry_begin(c);
    about = c->kind == CRAWL_XML_RSS ? attr_get(atts, "about") : NULL;
    if (about)
      slot_set(c, SLOT_URL_ALT, about, strlen(about));
  } else if (c->kind == CRAWL_XML_RSS && c->depth == 2 &&
             name_is(name, "channel")) {
    c->channel_depth = c->depth;
  }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
  struct xml_ctx *c = ud;

  (void)name;
  if (c->stopped)
    return;
  if (c->capture >= 0 && c->depth == c->entry_depth + 1)
    capture_end(c);
  if (c->entry_depth && c->depth == c->entry_depth)
    entry_end(c);
  if (c->channel_depth && c->depth == c->channel_depth)
    c->channel_depth = 0;
  c->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
  struct xml_ctx *c = ud;
  size_t n = (size_t)len;
  wn_result rc;

  if (c->stopped || c->capture < 0 || c->text_over ||
      c->depth != c->entry_depth + 1)
    return;
  /* Leading whitespace is dropped as it comes, so megabytes of it cannot
   * push a URL over the cap. */
  while (!c->text.len && n && wn_ascii_isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  if (!n)
    return;
  rc = wn_buf_add(&c->text, s, n);
  if (rc == WN_E_TOO_LARGE)
    c->text_over = 1;
  else if (rc != WN_OK)
    stop(c, rc);
}

/* Any entity declaration ends the parse: sitemaps and feeds have no use
 * for them, and they are how billion laughs, quadratic blowup and
 * external entity attacks start. */
static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len,
                                   const XML_Char *base,
                                   const XML_Char *system_id,
                                   const XML_Char *public_id,
                                   const XML_Char *notation)
{
  (void)name;
  (void)is_param;
  (void)value;
  (void)value_len;
  (void)base;
  (void)system_id;
  (void)public_id;
  (void)notation;
  stop(ud, WN_E_PARSE);
}

/* Likewise attribute list declarations: their defaults are copied onto
 * every matching element, a quadratic blowup of their own. */
static void XMLCALL on_attlist_decl(void *ud, const XML_Char *elname,
                                    const XML_Char *attname,
                                    const XML_Char *att_type,
                                    const XML_Char *dflt, int required)
{
  (void)elname;
  (void)attname;
  (void)att_type;
  (void)dflt;
  (void)required;
  stop(ud, WN_E_PARSE);
}

/* windows-1252 bytes 0x80..0x9F (WHATWG: the five unassigned bytes map to
 * the C1 controls of the same value); the rest is ISO-8859-1. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* The WHATWG labels of windows-1252 (expat itself knows "ISO-8859-1" and
 * "US-ASCII", which never reach the handler). */
static const char *const cp1252_labels[] = {
    "windows-1252", "cp1252",         "x-cp1252",       "latin1",
    "l1",           "iso8859-1",      "iso88591",       "iso_8859-1",
    "iso-ir-100",   "cp819",          "ibm819",         "csisolatin1",
    "ascii",        "ansi_x3.4-1968", "iso_8859-1:1987"};

/* Declared encodings expat does not know: windows-1252 (which sitemaps in
 * the wild declare) is mapped, anything else is an error. */
static int XMLCALL on_unknown_encoding(void *ud, const XML_Char *name,
                                       XML_Encoding *info)
{
  size_t i;
  int b, known = 0;

  (void)ud;
  for (i = 0; i < sizeof cp1252_labels / sizeof cp1252_labels[0]; i++)
    if (wn_ascii_casecmp(name, cp1252_labels[i]) == 0)
      known = 1;
  if (!known)
    return XML_STATUS_ERROR;
  for (b = 0; b < 256; b++)
    info->map[b] = (b >= 0x80 && b < 0xA0) ? cp1252_high[b - 0x80] : b;
  info->data = NULL;
  info->convert = NULL;
  info->release = NULL;
  return XML_STATUS_OK;
}

/* ---- entry point -------------------------------------------------------- */

/* Where parsing starts: "\n\n<?xml ..." (PHP generators love it) is not
 * well-formed, so whitespace (and a UTF-8 BOM) before an XML declaration
 * is skipped. Anything else is left to expat. */
static size_t xml_start(const char *xml, size_t len)
{
  size_t i = 0;

  if (len >= 3 && memcmp(xml, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < len && wn_ascii_isspace((unsigned char)xml[i]))
    i++;
  if (i > 0 && len - i >= 5 && memcmp(xml + i, "<?xml", 5) == 0)
    return i;
  return 0;
}

static XML_Parser parser_new(struct xml_ctx *c)
{
  XML_Parser p = XML_ParserCreate(NULL);

  if (!p)
    return NULL;
  XML_SetUserData(p, c);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  XML_SetEntityDeclHandler(p, on_entity_decl);
  XML_SetAttlistDeclHandler(p, on_attlist_decl);
  XML_SetUnknownEncodingHandler(p, on_unknown_encoding, NULL);
  /* Never read an external DTD or parameter entity; there is no external
   * entity handler either, so nothing outside the document is loaded. */
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
#ifdef HAVE_BILLION_LAUGHS_PROTECTION
  /* Belt and braces: no entity survives on_entity_decl. */
  XML_SetBillionLaughsAttackProtectionMaximumAmplification(p, 10.0f);
  XML_SetBillionLaughsAttackProtectionActivationThreshold(p, 1024u * 1024u);
#endif
  return p;
}

wn_result crawl_xml_parse(const char *xml, size_t len, const char *base_url,
                          crawl_xml_url_cb cb, void *ud, crawl_xml_kind *kind)
{
  struct xml_ctx c;
  size_t off, end, n;
  int k, truncated = 0;
  enum XML_Status st = XML_STATUS_OK;
  wn_result rc;

  if (!xml && len)
    return WN_E_INVALID;
  memset(&c, 0, sizeof c);
  c.base_url = base_url;
  c.cb = cb;
  c.ud = ud;
  c.capture = -1;
  wn_buf_init(&c.text, SITEMAP_MAX_TEXT_BYTES);
  wn_buf_init(&c.slot[SLOT_URL], WN_MAX_URL_BYTES);
  wn_buf_init(&c.slot[SLOT_URL_ALT], WN_MAX_URL_BYTES);
  wn_buf_init(&c.slot[SLOT_DATE], SITEMAP_MAX_DATE_BYTES);
  wn_buf_init(&c.slot[SLOT_DATE_ALT], SITEMAP_MAX_DATE_BYTES);
  wn_buf_init(&c.url, WN_MAX_URL_BYTES);
  c.parser = parser_new(&c);
  if (!c.parser) {
    rc = WN_E_NOMEM;
    goto out;
  }

  off = len ? xml_start(xml, len) : 0;
  end = len;
  if (end - off > SITEMAP_MAX_INPUT_BYTES) {
    end = off + SITEMAP_MAX_INPUT_BYTES;
    truncated = 1;
  }
  do {
    n = end - off < SITEMAP_CHUNK_BYTES ? end - off : SITEMAP_CHUNK_BYTES;
    st = XML_Parse(c.parser, n ? xml + off : "", (int)n,
                   !truncated && off + n == end);
    off += n;
  } while (st == XML_STATUS_OK && off < end);

  if (c.stopped)
    rc = c.rc;
  else if (st != XML_STATUS_OK)
    rc = XML_GetErrorCode(c.parser) == XML_ERROR_NO_MEMORY ? WN_E_NOMEM
                                                           : WN_E_PARSE;
  else if (truncated)
    rc = WN_E_TOO_LARGE;
  else
    rc = WN_OK;
  if (rc == WN_OK && kind)
    *kind = c.kind;

out:
  if (c.parser)
    XML_ParserFree(c.parser);
  wn_buf_free(&c.text);
  for (k = 0; k < N_SLOTS; k++)
    wn_buf_free(&c.slot[k]);
  wn_buf_free(&c.url);
  return rc;
}
