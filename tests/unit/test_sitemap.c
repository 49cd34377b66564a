/* Unit tests for crawler/sitemap.c: sitemaps, sitemap indexes, RSS 2.0,
 * RSS 1.0 (RDF) and Atom with and without namespaces; relative URLs,
 * whitespace, CDATA, entities, encodings (UTF-16 too), malformed and
 * non-XML input, billion laughs, the arguments, and a random-bytes loop
 * over mutations of the table. Other hostile and large documents are in
 * test_sitemap_hostile.c. */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tests/unit/sitemap_check.h"

/* ---- the table ---------------------------------------------------------- */

struct xml_case {
  const char *name;
  const char *xml;
  size_t len; /* 0: strlen(xml) */
  const char *base;
  wn_result rc;
  crawl_xml_kind kind; /* checked when rc == WN_OK, else must stay unset */
  const char *want;    /* callbacks, "url|is_sitemap|lastmod\n" each */
};

static const struct xml_case cases[] = {
    /* ---- sitemaps ---- */
    {"urlset, default namespace",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     "<urlset xmlns=\"" SM_NS "\">\n"
     "  <url><loc>https://example.com/a</loc>"
     "<lastmod>2024-01-02</lastmod><changefreq>daily</changefreq></url>\n"
     "  <url><loc>https://example.com/b</loc><priority>0.5</priority></url>\n"
     "</urlset>\n",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://example.com/a|0|2024-01-02\n"
     "https://example.com/b|0|-\n"},
    {"urlset, no namespace",
     "<urlset><url><lastmod>2024-05-06T07:08:09+00:00</lastmod>"
     "<loc>http://example.com/x</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "http://example.com/x|0|2024-05-06T07:08:09+00:00\n"},
    {"urlset, prefixed",
     "<sm:urlset xmlns:sm=\"" SM_NS "\"><sm:url><sm:loc>https://example.com/p"
     "</sm:loc><sm:lastmod>2020</sm:lastmod></sm:url></sm:urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/p|0|2020\n"},
    {"urlset, undeclared prefix is no error",
     "<s:urlset><s:url><s:loc>https://example.com/u</s:loc></s:url>"
     "</s:urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/u|0|-\n"},
    {"urlset, element names in another case",
     "<URLSET><URL><LOC>https://example.com/c</LOC></URL></URLSET>", 0, BASE,
     WN_OK, CRAWL_XML_URLSET, "https://example.com/c|0|-\n"},
    {"urlset with image, video, news and hreflang extensions",
     "<urlset xmlns=\"" SM_NS "\" "
     "xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\" "
     "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\" "
     "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
     "<url><image:image><image:loc>https://img.example.com/1.jpg</image:loc>"
     "</image:image>"
     "<xhtml:link rel=\"alternate\" hreflang=\"de\" "
     "href=\"https://example.com/de/\"/>"
     "<news:news><news:publication_date>1999</news:publication_date>"
     "<news:title>t</news:title></news:news>"
     "<loc>/en/</loc></url>"
     "<url><image:image><image:loc>https://img.example.com/2.jpg</image:loc>"
     "</image:image></url>"
     "</urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/en/|0|-\n"},
    {"urlset, first non-empty <loc> of an entry wins",
     "<urlset><url><loc> </loc><loc>https://example.com/1</loc>"
     "<loc>https://example.com/2</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/1|0|-\n"},
    {"urlset, <url> outside the root level is ignored",
     "<urlset><group><url><loc>https://example.com/deep</loc></url></group>"
     "<url><loc>https://example.com/top</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/top|0|-\n"},
    {"sitemap index, default namespace",
     "<?xml version=\"1.0\"?><sitemapindex xmlns=\"" SM_NS "\">"
     "<sitemap><loc>https://example.com/s1.xml.gz</loc>"
     "<lastmod>2024-01-01</lastmod></sitemap>"
     "<sitemap><loc>https://example.com/s2.xml</loc></sitemap>"
     "</sitemapindex>",
     0, BASE, WN_OK, CRAWL_XML_INDEX,
     "https://example.com/s1.xml.gz|1|2024-01-01\n"
     "https://example.com/s2.xml|1|-\n"},
    {"sitemap index, no namespace, relative",
     "<sitemapindex><sitemap><loc>part-1.xml</loc></sitemap></sitemapindex>", 0,
     BASE, WN_OK, CRAWL_XML_INDEX, "https://example.com/dir/part-1.xml|1|-\n"},
    {"sitemap index, prefixed",
     "<x:sitemapindex xmlns:x=\"" SM_NS "\"><x:sitemap><x:loc>"
     "/s.xml</x:loc></x:sitemap></x:sitemapindex>",
     0, BASE, WN_OK, CRAWL_XML_INDEX, "https://example.com/s.xml|1|-\n"},
    {"relative URLs resolve against the base",
     "<urlset><url><loc>page.html</loc></url><url><loc>/root</loc></url>"
     "<url><loc>../up?q=1</loc></url><url><loc>//cdn.example.org/x</loc>"
     "</url><url><loc>?only=query</loc></url><url><loc>#frag</loc></url>"
     "</urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://example.com/dir/page.html|0|-\n"
     "https://example.com/root|0|-\n"
     "https://example.com/up?q=1|0|-\n"
     "https://cdn.example.org/x|0|-\n"
     "https://example.com/dir/sitemap.xml?only=query|0|-\n"
     "https://example.com/dir/sitemap.xml#frag|0|-\n"},
    {"no base: relative URLs dropped, absolute kept",
     "<urlset><url><loc>rel/a</loc></url><url><loc>HTTP://Example.COM/b"
     "</loc></url></urlset>",
     0, NULL, WN_OK, CRAWL_XML_URLSET, "http://example.com/b|0|-\n"},
    {"whitespace around values is trimmed",
     "<urlset>\n <url>\n  <loc>\n\t  https://example.com/w  \r\n </loc>\n"
     "  <lastmod>  2024-01-01 \n</lastmod>\n </url>\n</urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/w|0|2024-01-01\n"},
    {"empty and blank values are ignored",
     "<urlset><url><loc></loc></url><url><loc>  \n </loc><lastmod>x</lastmod>"
     "</url><url/><url><lastmod>2024</lastmod></url><url><loc/></url>"
     "<url><loc>https://example.com/ok</loc><lastmod> </lastmod></url>"
     "</urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/ok|0|-\n"},
    {"CDATA",
     "<urlset><url><loc><![CDATA[https://example.com/?a=1&b=2]]></loc>"
     "<lastmod><![CDATA[ 2024 ]]></lastmod></url>"
     "<url><loc> <![CDATA[https://example.com/]]>split<![CDATA[/x]]> </loc>"
     "</url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://example.com/?a=1&b=2|0|2024\n"
     "https://example.com/split/x|0|-\n"},
    {"predefined entities and character references",
     "<urlset><url><loc>https://example.com/?a=1&amp;b=2&amp;c=&lt;&gt;"
     "</loc></url><url><loc>https:&#x2F;&#47;example.com/&#x3A9;&apos;"
     "&quot;</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://example.com/?a=1&b=2&c=%3C%3E|0|-\n"
     "https://example.com/%CE%A9'%22|0|-\n"},
    {"only http(s) URLs are reported",
     "<urlset><url><loc>mailto:a@example.com</loc></url>"
     "<url><loc>ftp://example.com/f</loc></url>"
     "<url><loc>javascript:alert(1)</loc></url>"
     "<url><loc>data:text/html,x</loc></url>"
     "<url><loc>http://[bad host/</loc></url>"
     "<url><loc>HTTPS://example.com/yes</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/yes|0|-\n"},
    {"comments and processing instructions are skipped",
     "<?xml version=\"1.0\"?><?xml-stylesheet href=\"s.xsl\"?><!-- c -->"
     "<urlset><url><!-- <loc>https://example.com/no</loc> --><loc>https://"
     "example.com/<!-- in -->yes</loc></url></urlset><!-- end -->",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/yes|0|-\n"},
    {"leading whitespace and BOM before the XML declaration",
     "\xEF\xBB\xBF\r\n\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>"
     "<urlset><url><loc>https://example.com/</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/|0|-\n"},
    {"text in a nested element of <loc> is not the URL",
     "<urlset><url><loc>https://example.com/a<b>junk</b>/c</loc></url>"
     "</urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/a/c|0|-\n"},

    /* ---- RSS 2.0 ---- */
    {"RSS 2.0",
     "<?xml version=\"1.0\"?><rss version=\"2.0\" "
     "xmlns:atom=\"" ATOM_NS "\" xmlns:dc=\"" DC_NS "\"><channel>"
     "<title>T</title><link>https://example.com/</link>"
     "<atom:link href=\"https://example.com/feed\" rel=\"self\"/>"
     "<pubDate>Sat, 01 Jan 2000 00:00:00 GMT</pubDate>"
     "<item><title>A</title><link>https://example.com/a</link>"
     "<guid isPermaLink=\"true\">https://example.com/guid-a</guid>"
     "<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>"
     "<dc:date>2024-01-01</dc:date></item>"
     "<item><guid isPermaLink=\"true\">https://example.com/b</guid></item>"
     "<item><guid isPermaLink=\"false\">https://example.com/c</guid></item>"
     "<item><guid>urn:uuid:1234</guid></item>"
     "<item><guid>12345</guid></item>"
     "<item><guid> https://example.com/f </guid>"
     "<dc:date>2024-02-02T00:00:00Z</dc:date></item>"
     "<item><link></link><description>&lt;a href=\"https://example.com/"
     "no\"&gt;</description></item>"
     "</channel></rss>",
     0, BASE, WN_OK, CRAWL_XML_RSS,
     "https://example.com/a|0|Mon, 01 Jan 2024 10:00:00 +0000\n"
     "https://example.com/b|0|-\n"
     "https://example.com/f|0|2024-02-02T00:00:00Z\n"},
    {"RSS 2.0, relative link and permalink guid",
     "<rss><channel><item><link>posts/1</link></item>"
     "<item><guid isPermaLink=\"true\">/posts/2</guid></item>"
     "<item><guid>/posts/3</guid></item></channel></rss>",
     0, BASE, WN_OK, CRAWL_XML_RSS,
     "https://example.com/dir/posts/1|0|-\n"
     "https://example.com/posts/2|0|-\n"},
    {"RSS 2.0, prefixed elements and CDATA link",
     "<r:rss xmlns:r=\"urn:x\"><r:channel><r:item><r:link><![CDATA[ "
     "https://example.com/c?a=1&b=2 ]]></r:link><r:pubDate>Tue</r:pubDate>"
     "</r:item></r:channel></r:rss>",
     0, BASE, WN_OK, CRAWL_XML_RSS, "https://example.com/c?a=1&b=2|0|Tue\n"},
    {"RSS 2.0, items directly under <rss> and extension links ignored",
     "<rss xmlns:feedburner=\"http://rssnamespace.org/feedburner/ext/1.0\">"
     "<item><feedburner:origLink>https://example.com/orig</feedburner:origLink>"
     "<link>https://feeds.example.com/~r/1</link></item>"
     "<item><enclosure url=\"https://example.com/a.mp3\"/></item></rss>",
     0, BASE, WN_OK, CRAWL_XML_RSS, "https://feeds.example.com/~r/1|0|-\n"},
    {"RSS 2.0, channel <link> and <image><link> are not items",
     "<rss><channel><link>https://example.com/</link><image><link>"
     "https://example.com/img</link></image><textInput><link>https://"
     "example.com/search</link></textInput></channel></rss>",
     0, BASE, WN_OK, CRAWL_XML_RSS, ""},
    {"RSS with an RSS 0.91 DOCTYPE (external DTD never loaded)",
     "<?xml version=\"1.0\"?><!DOCTYPE rss PUBLIC \"-//Netscape "
     "Communications//DTD RSS 0.91//EN\" "
     "\"http://my.netscape.com/publish/formats/rss-0.91.dtd\">"
     "<rss version=\"0.91\"><channel><item><link>https://example.com/091"
     "</link></item></channel></rss>",
     0, BASE, WN_OK, CRAWL_XML_RSS, "https://example.com/091|0|-\n"},

    /* ---- RSS 1.0 (RDF) ---- */
    {"RSS 1.0 (RDF)",
     "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"" RDF_NS "\" "
     "xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"" DC_NS "\">"
     "<channel rdf:about=\"https://example.com/\"><title>T</title>"
     "<link>https://example.com/</link><items><rdf:Seq>"
     "<rdf:li rdf:resource=\"https://example.com/1\"/></rdf:Seq></items>"
     "</channel>"
     "<item rdf:about=\"https://example.com/1-about\">"
     "<link>https://example.com/1</link><dc:date>2024-03-03</dc:date></item>"
     "<item rdf:about=\"https://example.com/2\"><title>no link</title></item>"
     "</rdf:RDF>",
     0, BASE, WN_OK, CRAWL_XML_RSS,
     "https://example.com/1|0|2024-03-03\n"
     "https://example.com/2|0|-\n"},
    {"RSS 1.0 without prefixes",
     "<RDF><item><link>/r</link><date>2001</date></item></RDF>", 0, BASE, WN_OK,
     CRAWL_XML_RSS, "https://example.com/r|0|2001\n"},

    /* ---- Atom ---- */
    {"Atom",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"" ATOM_NS "\">"
     "<title>T</title><link rel=\"self\" href=\"https://example.com/feed\"/>"
     "<link href=\"https://example.com/\"/><updated>2024</updated>"
     "<entry><title>1</title>"
     "<link rel=\"self\" href=\"https://example.com/e1.atom\"/>"
     "<link rel=\"alternate\" type=\"text/html\" "
     "href=\"https://example.com/e1\"/>"
     "<link rel=\"alternate\" hreflang=\"de\" "
     "href=\"https://example.com/de/e1\"/>"
     "<id>urn:uuid:1</id><published>2023-01-01T00:00:00Z</published>"
     "<updated>2024-01-01T00:00:00Z</updated></entry>"
     "<entry><link href=\" /e2 \"/><published>2023-05-05</published></entry>"
     "<entry><link rel=\"enclosure\" href=\"https://example.com/a.mp3\"/>"
     "<link rel=\"edit\" href=\"https://example.com/edit/3\"/></entry>"
     "<entry><link rel=\"http://www.iana.org/assignments/relation/alternate\""
     " href=\"e4\"/></entry>"
     "<entry><link rel=\" ALTERNATE \" href=\"e5\"/></entry>"
     "<entry><link>https://example.com/text-is-not-atom</link></entry>"
     "</feed>",
     0, BASE, WN_OK, CRAWL_XML_ATOM,
     "https://example.com/e1|0|2024-01-01T00:00:00Z\n"
     "https://example.com/e2|0|2023-05-05\n"
     "https://example.com/dir/e4|0|-\n"
     "https://example.com/dir/e5|0|-\n"},
    {"Atom, prefixed",
     "<a:feed xmlns:a=\"" ATOM_NS "\"><a:entry><a:link href=\"https://"
     "example.com/p\"/><a:updated>2024</a:updated></a:entry></a:feed>",
     0, BASE, WN_OK, CRAWL_XML_ATOM, "https://example.com/p|0|2024\n"},
    {"Atom, no namespace, xml:base ignored",
     "<feed xml:base=\"https://other.org/\"><entry xml:base=\"sub/\">"
     "<link href=\"x\"/></entry></feed>",
     0, BASE, WN_OK, CRAWL_XML_ATOM, "https://example.com/dir/x|0|-\n"},
    {"Atom, links inside xhtml content are not the entry's",
     "<feed xmlns=\"" ATOM_NS "\"><entry><content type=\"xhtml\">"
     "<div xmlns=\"http://www.w3.org/1999/xhtml\"><link href=\"https://bad/\""
     "/><a href=\"https://bad/2\">x</a></div></content>"
     "<link href=\"https://example.com/good\"/></entry></feed>",
     0, BASE, WN_OK, CRAWL_XML_ATOM, "https://example.com/good|0|-\n"},

    /* ---- not a known format, not XML ---- */
    {"well-formed XHTML: unknown kind",
     "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><a href=\"https://"
     "example.com/\">x</a><url><loc>https://example.com/no</loc></url>"
     "</body></html>",
     0, BASE, WN_OK, CRAWL_XML_UNKNOWN, ""},
    {"HTML",
     "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>x"
     "</title></head><body><p>a&nbsp;b<br><a href=\"https://example."
     "com/\">x</a></body></html>\n",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"HTML without doctype, looks like a sitemap at first",
     "<urlset><url><loc>https://example.com/1</loc></url><br></urlset>", 0,
     BASE, WN_E_PARSE, NO_KIND, "https://example.com/1|0|-\n"},
    {"plain text", "https://example.com/a\nhttps://example.com/b\n", 0, BASE,
     WN_E_PARSE, NO_KIND, ""},
    {"JSON", "{\"urlset\": [\"https://example.com/\"]}", 0, BASE, WN_E_PARSE,
     NO_KIND, ""},
    {"binary", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xfe", 12, BASE,
     WN_E_PARSE, NO_KIND, ""},
    {"NUL bytes", "<urlset>\0<url/></urlset>", 24, BASE, WN_E_PARSE, NO_KIND,
     ""},
    {"empty", "", 0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"whitespace only", " \r\n\t ", 0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"XML declaration only", "<?xml version=\"1.0\"?>", 0, BASE, WN_E_PARSE,
     NO_KIND, ""},

    /* ---- malformed: URLs before the error are reported ---- */
    {"raw '&' in a later URL",
     "<urlset><url><loc>https://example.com/1</loc></url>"
     "<url><loc>https://example.com/2?a=1&b=2</loc></url>"
     "<url><loc>https://example.com/3</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, "https://example.com/1|0|-\n"},
    {"truncated document",
     "<urlset><url><loc>https://example.com/1</loc></url><url><loc>"
     "https://example.com/2</loc><lastmod>2024</lastmod></url><url><loc>"
     "https://example.com/3</loc>",
     0, BASE, WN_E_PARSE, NO_KIND,
     "https://example.com/1|0|-\n"
     "https://example.com/2|0|2024\n"},
    {"mismatched tags",
     "<rss><channel><item><link>https://example.com/1</link></item>"
     "<item><link>https://example.com/2</item></channel></rss>",
     0, BASE, WN_E_PARSE, NO_KIND, "https://example.com/1|0|-\n"},
    {"undefined entity",
     "<feed><entry><link href=\"https://example.com/1\"/></entry><entry>"
     "<link href=\"https://example.com/&eacute;\"/></entry></feed>",
     0, BASE, WN_E_PARSE, NO_KIND, "https://example.com/1|0|-\n"},
    {"junk after the root",
     "<urlset><url><loc>https://example.com/1</loc></url></urlset><urlset>", 0,
     BASE, WN_E_PARSE, NO_KIND, "https://example.com/1|0|-\n"},
    {"invalid UTF-8",
     "<urlset><url><loc>https://example.com/1</loc></url><url><loc>"
     "https://example.com/\xC3\x28</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, "https://example.com/1|0|-\n"},
    {"text before the XML declaration", "x<?xml version=\"1.0\"?><urlset/>", 0,
     BASE, WN_E_PARSE, NO_KIND, ""},

    /* ---- DTDs and entities ---- */
    {"billion laughs",
     "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
     "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
     "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"
     "&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"
     "&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;"
     "&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 \"&lol4;&lol4;&lol4;"
     "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;"
     "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 "
     "\"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
     "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"
     "&lol7;\"><!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;"
     "&lol8;&lol8;&lol8;\">]><urlset><url><loc>https://example.com/&lol9;"
     "</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"one harmless-looking entity is refused too",
     "<!DOCTYPE urlset [<!ENTITY h \"https://example.com/\">]><urlset><url>"
     "<loc>&h;</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"external entity",
     "<?xml version=\"1.0\"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "
     "\"file:///etc/passwd\">]><urlset><url><loc>https://example.com/&xxe;"
     "</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"external parameter entity",
     "<!DOCTYPE urlset [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> "
     "%p;]><urlset><url><loc>https://example.com/</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"unparsed entity",
     "<!DOCTYPE urlset [<!NOTATION n SYSTEM \"x\"><!ENTITY u SYSTEM "
     "\"file:///etc/passwd\" NDATA n>]><urlset/>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"attribute list with defaults",
     "<!DOCTYPE rss [<!ATTLIST guid isPermaLink CDATA \"true\">]><rss><item>"
     "<guid>/x</guid></item></rss>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"internal subset without declarations that matter",
     "<!DOCTYPE urlset [<!-- c --><!ELEMENT urlset ANY><?pi x?>]><urlset>"
     "<url><loc>https://example.com/</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/|0|-\n"},
    {"external DTD subset is not read: its entities are skipped",
     "<!DOCTYPE urlset SYSTEM \"file:///etc/passwd\"><urlset><url><loc>"
     "https://example.com/a&ent;b</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/ab|0|-\n"},

    /* ---- encodings (UTF-16 is built at run time) ---- */
    {"windows-1252",
     "<?xml version=\"1.0\" encoding=\"windows-1252\"?><urlset><url><loc>"
     "https://example.com/caf\xE9-\x80</loc><lastmod>\x93x\x94</lastmod>"
     "</url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://example.com/caf%C3%A9-%E2%82%AC|0|\xE2\x80\x9Cx\xE2\x80\x9D\n"},
    {"cp1252 label, upper case, unassigned byte 0x81",
     "<?xml version='1.0' encoding='CP1252'?><urlset><url><loc>"
     "https://example.com/\x81\xFF</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://example.com/%C2%81%C3%BF|0|-\n"},
    {"latin1 label",
     "<?xml version=\"1.0\" encoding=\"latin1\"?><urlset><url><loc>"
     "https://example.com/\xE9</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/%C3%A9|0|-\n"},
    {"ISO-8859-1 (expat's own)",
     "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>"
     "https://example.com/\xE9</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET, "https://example.com/%C3%A9|0|-\n"},
    {"UTF-8 with BOM and non-ASCII",
     "\xEF\xBB\xBF<urlset><url><loc>https://b\xC3\xBC"
     "cher.example/\xE2\x82\xAC</loc></url></urlset>",
     0, BASE, WN_OK, CRAWL_XML_URLSET,
     "https://xn--bcher-kva.example/%E2%82%AC|0|-\n"},
    {"unknown declared encoding",
     "<?xml version=\"1.0\" encoding=\"koi8-r\"?><urlset><url><loc>"
     "https://example.com/</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
    {"declared UTF-16 without a BOM in 8-bit bytes",
     "<?xml version=\"1.0\" encoding=\"UTF-16\"?><urlset><url><loc>"
     "https://example.com/</loc></url></urlset>",
     0, BASE, WN_E_PARSE, NO_KIND, ""},
};

/* Parse one document and compare result, kind and callbacks. */
static void run_case(const char *name, const char *xml, size_t len,
                     const char *base, wn_result want_rc,
                     crawl_xml_kind want_kind, const char *want)
{
  struct rec r;
  crawl_xml_kind kind = NO_KIND;
  wn_result rc;

  rec_init(&r);
  rc = crawl_xml_parse(xml, len, base, rec_cb, &r, &kind);
  if (rc != want_rc || kind != (want_rc == WN_OK ? want_kind : NO_KIND) ||
      strcmp(wn_buf_str(&r.out), want) != 0 || r.bad) {
    fprintf(stderr,
            "case \"%s\":\n  rc %s (want %s), kind %d (want %d)\n"
            "  got:\n%s  want:\n%s",
            name, wn_strerror(rc), wn_strerror(want_rc), (int)kind,
            (int)(want_rc == WN_OK ? want_kind : NO_KIND), wn_buf_str(&r.out),
            want);
    check_failures++;
  }
  wn_buf_free(&r.out);
}

static void test_table(void)
{
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const struct xml_case *c = &cases[i];

    run_case(c->name, c->xml, c->len ? c->len : strlen(c->xml), c->base, c->rc,
             c->kind, c->want);
  }
}

/* ---- UTF-16 ------------------------------------------------------------- */

/* ASCII/UTF-8 doc as UTF-16 (code points below U+10000) with a BOM; *len
 * gets the byte count. Caller frees. */
static char *to_utf16(const char *s, int big_endian, int bom, size_t *len)
{
  size_t n = strlen(s), i = 0, o = 0;
  char *out = malloc(2 * n + 2);
  uint32_t cp;

  if (!out)
    return NULL;
  if (bom) {
    out[o++] = big_endian ? '\xFE' : '\xFF';
    out[o++] = big_endian ? '\xFF' : '\xFE';
  }
  while (i < n) {
    i += wn_utf8_decode(s + i, n - i, &cp);
    out[o + (big_endian ? 0 : 1)] = (char)(cp >> 8);
    out[o + (big_endian ? 1 : 0)] = (char)(cp & 0xFF);
    o += 2;
  }
  *len = o;
  return out;
}

static void test_utf16(void)
{
  static const char doc[] =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?><urlset><url><loc>"
      "https://example.com/\xC3\xA9\xE2\x82\xAC</loc><lastmod>\xCE\xA9"
      "</lastmod></url></urlset>";
  static const char nodecl[] =
      "<feed><entry><link href=\"/x\"/></entry></feed>";
  static const char want[] = "https://example.com/%C3%A9%E2%82%AC|0|\xCE\xA9\n";
  size_t len;
  char *u;
  int be;

  for (be = 0; be <= 1; be++) {
    u = to_utf16(doc, be, 1, &len);
    CHECK(u != NULL);
    if (!u)
      return;
    run_case(be ? "UTF-16BE" : "UTF-16LE", u, len, BASE, WN_OK,
             CRAWL_XML_URLSET, want);
    /* truncated to an odd length: an error, but the URL came first */
    run_case("UTF-16, odd cut", u, len - 3, BASE, WN_E_PARSE, NO_KIND, want);
    free(u);
    u = to_utf16(nodecl, be, 1, &len);
    CHECK(u != NULL);
    if (!u)
      return;
    run_case("UTF-16, no declaration", u, len, BASE, WN_OK, CRAWL_XML_ATOM,
             "https://example.com/x|0|-\n");
    free(u);
  }
}

/* ---- hostile documents built at run time -------------------------------- */

/* Billion laughs, a hundred times over, stays far under a second: the
 * parse stops at the first entity declaration. */
static void test_billion_laughs_fast(void)
{
  const struct xml_case *c = NULL;
  struct rec r;
  double t0;
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (strcmp(cases[i].name, "billion laughs") == 0)
      c = &cases[i];
  CHECK(c != NULL);
  if (!c)
    return;
  rec_init(&r);
  t0 = now_s();
  for (i = 0; i < 100; i++)
    CHECK_INT(crawl_xml_parse(c->xml, strlen(c->xml), BASE, rec_cb, &r, NULL),
              WN_E_PARSE);
  CHECK(now_s() - t0 < 1.0);
  CHECK_INT(r.n, 0);
  wn_buf_free(&r.out);
}

static void test_arguments(void)
{
  static const char doc[] = "<feed><entry><link href=\"https://e.org/\"/>"
                            "</entry></feed>";
  crawl_xml_kind kind = NO_KIND;

  /* no callback: kind detection only */
  CHECK_INT(crawl_xml_parse(doc, strlen(doc), BASE, NULL, NULL, &kind), WN_OK);
  CHECK_INT(kind, CRAWL_XML_ATOM);
  /* no kind wanted */
  CHECK_INT(crawl_xml_parse(doc, strlen(doc), BASE, NULL, NULL, NULL), WN_OK);
  CHECK_INT(crawl_xml_parse(NULL, 0, BASE, NULL, NULL, NULL), WN_E_PARSE);
  CHECK_INT(crawl_xml_parse(NULL, 5, BASE, NULL, NULL, NULL), WN_E_INVALID);
  /* len is honoured: the document ends before the NUL */
  CHECK_INT(crawl_xml_parse(doc, strlen(doc) - 1, BASE, NULL, NULL, NULL),
            WN_E_PARSE);
}

/* ---- random bytes ------------------------------------------------------- */

static uint32_t rng_state = 12345u;

static uint32_t rng(void)
{
  rng_state = rng_state * 1103515245u + 12345u;
  return rng_state >> 8;
}

/* Random bytes, random XML-ish tokens, and mutations of valid documents:
 * never a crash, every callback well-formed, only PARSE or OK. */
static void test_random(void)
{
  static const char *const toks[] = {"<urlset>",
                                     "</urlset>",
                                     "<url>",
                                     "</url>",
                                     "<loc>",
                                     "</loc>",
                                     "<rss>",
                                     "<channel>",
                                     "<item>",
                                     "</item>",
                                     "<link>",
                                     "</link>",
                                     "<feed>",
                                     "<entry>",
                                     "</entry>",
                                     "<link href=\"/h\"/>",
                                     "<guid>",
                                     "</guid>",
                                     "<lastmod>",
                                     "</lastmod>",
                                     "https://example.com/",
                                     "/rel",
                                     "&amp;",
                                     "&lt;",
                                     "<![CDATA[",
                                     "]]>",
                                     "<!--",
                                     "-->",
                                     " ",
                                     "\n",
                                     "<?xml version=\"1.0\"?>",
                                     "<!DOCTYPE x [",
                                     "]>",
                                     "<!ENTITY e \"x\">",
                                     "&e;",
                                     "<sitemapindex>",
                                     "<sitemap>",
                                     "\xC3\xA9",
                                     "\xFF",
                                     "<a:b xmlns:a=\"u\">",
                                     "</a:b>",
                                     "encoding=\"cp1252\"",
                                     "<rdf:RDF>",
                                     "rdf:about=\"/ab\""};
  char buf[4096];
  struct rec r;
  size_t i, j, len, n_ok = 0;
  wn_result rc;

  for (i = 0; i < 20000; i++) {
    const struct xml_case *c = &cases[i % (sizeof cases / sizeof cases[0])];

    switch (i % 3) {
    case 0: /* raw bytes */
      len = rng() % sizeof buf;
      for (j = 0; j < len; j++)
        buf[j] = (char)(rng() & 0xFF);
      break;
    case 1: /* tokens */
      len = 0;
      while (len < sizeof buf - 64 && rng() % 64) {
        const char *t = toks[rng() % (sizeof toks / sizeof toks[0])];
        size_t tl = strlen(t);

        memcpy(buf + len, t, tl);
        len += tl;
      }
      break;
    default: /* a table document with a few bytes changed or cut */
      len = c->len ? c->len : strlen(c->xml);
      if (len > sizeof buf)
        len = sizeof buf;
      memcpy(buf, c->xml, len);
      for (j = rng() % 4; j > 0 && len; j--)
        buf[rng() % len] = (char)(rng() & 0xFF);
      if (len && rng() % 2)
        len = rng() % len;
      break;
    }
    rec_init(&r);
    rc = crawl_xml_parse(buf, len, BASE, rec_cb, &r, NULL);
    CHECK(rc == WN_OK || rc == WN_E_PARSE);
    CHECK_INT(r.bad, 0);
    if (rc == WN_OK)
      n_ok++;
    wn_buf_free(&r.out);
  }
  CHECK(n_ok > 100); /* the loop did reach well-formed documents */
}

int main(void)
{
  test_table();
  test_utf16();
  test_billion_laughs_fast();
  test_arguments();
  test_random();
  return check_exit();
}
