/* Unit tests for crawler/robots.c: groups, merging, precedence, wildcards,
 * '$', percent-encoding, Crawl-delay, Sitemap, caps, hostile input and
 * the matcher's worst case. (The conformance vectors run through the CLI:
 * tests/robots/conformance.sh.) */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/check.h"

/* A literal with its length (it may hold NUL bytes). */
#define L(s) s, sizeof(s) - 1
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Parse txt[0..len) for agent; NULL (and a failed check) on error. */
static struct crawl_robots *parse(const char *txt, size_t len,
                                  const char *agent)
{
  struct crawl_robots *r = NULL;
  wn_result rc = crawl_robots_parse(txt, len, agent, &r);

  CHECK_INT(rc, WN_OK);
  return rc == WN_OK ? r : NULL;
}

/* ---- allow / disallow -------------------------------------------------- */

struct allow_case {
  const char *name;
  const char *robots;
  const char *agent;
  const char *url;
  int allowed;
};

static const struct allow_case allow_cases[] = {
    /* no file, no group, no rule */
    {"empty file", "", "winnow", "/x", 1},
    {"other agent only", "User-agent: other\nDisallow: /\n", "winnow", "/x", 1},
    {"rules before any user-agent are ignored",
     "Disallow: /\nUser-agent: winnow\nAllow: /y\n", "winnow", "/x", 1},
    {"star group", "User-agent: *\nDisallow: /\n", "winnow", "/x", 0},
    /* the agent's groups win over "*", even when empty of rules */
    {"specific beats star",
     "User-agent: *\nDisallow: /\n\nUser-agent: winnow\nDisallow: /p\n",
     "winnow", "/x", 1},
    {"specific group without rules",
     "User-agent: winnow\nDisallow:\n\nUser-agent: *\nDisallow: /\n", "winnow",
     "/x", 1},
    {"agent token case-insensitive", "User-agent: WinNow\nDisallow: /\n",
     "winnow", "/x", 0},
    {"agent value cut at a non-token character",
     "User-agent: winnow/1.0 (+https://x)\nDisallow: /\n", "winnow", "/x", 0},
    {"agent value cut at a space", "User-agent: winnow bot\nDisallow: /\n",
     "winnow", "/x", 0},
    {"agent is compared whole", "User-agent: winnowbot\nDisallow: /\n",
     "winnow", "/x", 1},
    {"a prefix of the agent is not the agent", "User-agent: win\nDisallow: /\n",
     "winnow", "/x", 1},
    {"crawler agent with a space never matches",
     "User-agent: foo\nDisallow: /\n", "foo bar", "/x", 1},
    {"empty agent matches no named group",
     "User-agent: \nDisallow: /\nUser-agent: x\nDisallow: /\n", "", "/x", 1},
    {"empty agent follows star", "User-agent: *\nDisallow: /\n", "", "/x", 0},
    {"star with a comment", "User-agent: * # all\nDisallow: /\n", "winnow",
     "/x", 0},
    {"star followed by words", "User-agent: * bots\nDisallow: /\n", "winnow",
     "/x", 0},
    {"star glued to a word is not star", "User-agent: *bot\nDisallow: /\n",
     "winnow", "/x", 1},
    /* groups: consecutive user-agent lines share rules; merging */
    {"two agents one group",
     "User-agent: a\nUser-agent: winnow\nDisallow: /x\n", "winnow", "/x", 0},
    {"blank lines do not end the agent list",
     "User-agent: a\n\n\nUser-agent: winnow\n\nDisallow: /x\n", "winnow", "/x",
     0},
    {"a rule ends the agent list",
     "User-agent: winnow\nDisallow: /a\nUser-agent: b\nDisallow: /x\n",
     "winnow", "/x", 1},
    {"sitemap line does not end the agent list",
     "User-agent: winnow\nSitemap: http://h/s.xml\nUser-agent: *\n"
     "Disallow: /x\n",
     "winnow", "/x", 0},
    {"unknown line does not end the agent list",
     "User-agent: winnow\nFoo: bar\nUser-agent: b\nDisallow: /x\n", "winnow",
     "/x", 0},
    {"crawl-delay line does not end the agent list",
     "User-agent: winnow\nCrawl-delay: 1\nUser-agent: b\nDisallow: /x\n",
     "winnow", "/x", 0},
    {"blank lines do not end a group",
     "User-agent: winnow\nDisallow: /a\n\n\nDisallow: /x\n", "winnow", "/x", 0},
    {"groups of the agent merged",
     "User-agent: winnow\nDisallow: /a\nUser-agent: b\nDisallow: /\n"
     "User-agent: winnow\nDisallow: /x\n",
     "winnow", "/x", 0},
    {"merged groups: longest rule across them",
     "User-agent: winnow\nDisallow: /x\nUser-agent: b\nDisallow: /\n"
     "User-agent: winnow\nAllow: /x/y\n",
     "winnow", "/x/y/z", 1},
    {"star groups merged",
     "User-agent: *\nDisallow: /a\nUser-agent: b\nAllow: /\n"
     "User-agent: *\nDisallow: /x\n",
     "winnow", "/x", 0},
    {"group naming the agent and star is the agent's",
     "User-agent: *\nUser-agent: winnow\nDisallow: /x\n", "winnow", "/x", 0},
    /* precedence */
    {"longest match wins (disallow)",
     "User-agent: *\nAllow: /x/\nDisallow: /x/page\n", "winnow", "/x/page", 0},
    {"longest match wins (allow)",
     "User-agent: *\nDisallow: /x/\nAllow: /x/page\n", "winnow", "/x/page", 1},
    {"order does not matter", "User-agent: *\nAllow: /x/page\nDisallow: /x/\n",
     "winnow", "/x/page", 1},
    {"allow wins a tie", "User-agent: *\nDisallow: /x\nAllow: /x\n", "winnow",
     "/x", 1},
    {"tie in bytes with wildcards",
     "User-agent: *\nDisallow: /*.htm\nAllow: /page1\n", "winnow", "/page1.htm",
     1},
    {"wildcards count as bytes",
     "User-agent: *\nAllow: /page\nDisallow: /*.html\n", "winnow", "/page.html",
     0},
    {"empty disallow matches nothing", "User-agent: *\nDisallow:\n", "winnow",
     "/x", 1},
    {"empty allow matches nothing", "User-agent: *\nAllow:\nDisallow: /\n",
     "winnow", "/x", 0},
    {"rules are case-sensitive", "User-agent: *\nDisallow: /X\n", "winnow",
     "/x", 1},
    {"robots.txt always allowed", "User-agent: *\nDisallow: /\n", "winnow",
     "http://h/robots.txt", 1},
    {"robots.txt with a query", "User-agent: *\nDisallow: /\n", "winnow",
     "/robots.txt?x=1", 1},
    {"robots.txt is not a prefix", "User-agent: *\nDisallow: /\n", "winnow",
     "/robots.txt.bak", 0},
    /* wildcards and '$' */
    {"star in the middle", "User-agent: *\nDisallow: /a/*/c\n", "winnow",
     "/a/b/b/c/d", 0},
    {"star needs its literal after", "User-agent: *\nDisallow: /a/*/c\n",
     "winnow", "/a/b/d", 1},
    {"star matches empty", "User-agent: *\nDisallow: /a*b\n", "winnow", "/ab",
     0},
    {"leading star", "User-agent: *\nDisallow: *.pdf\n", "winnow",
     "/docs/x.pdf", 0},
    {"trailing star", "User-agent: *\nDisallow: /a*\n", "winnow", "/a", 0},
    {"repeated stars", "User-agent: *\nDisallow: /a***b\n", "winnow", "/axb",
     0},
    {"dollar anchors", "User-agent: *\nDisallow: /*.php$\n", "winnow", "/x.php",
     0},
    {"dollar anchors: longer path", "User-agent: *\nDisallow: /*.php$\n",
     "winnow", "/x.php?y", 1},
    {"dollar anchors: last occurrence counts",
     "User-agent: *\nDisallow: /*.php$\n", "winnow", "/a.php/b.php", 0},
    {"dollar alone", "User-agent: *\nDisallow: /$\n", "winnow", "/", 0},
    {"dollar alone: other path", "User-agent: *\nDisallow: /$\n", "winnow",
     "/a", 1},
    {"dollar in the middle is literal", "User-agent: *\nDisallow: /a$b\n",
     "winnow", "/a$b", 0},
    {"dollar in the middle: no anchor", "User-agent: *\nDisallow: /a$b\n",
     "winnow", "/ab", 1},
    {"star then dollar", "User-agent: *\nDisallow: /a*$\n", "winnow", "/abc",
     0},
    {"segments placed leftmost", "User-agent: *\nDisallow: /*ab*abc$\n",
     "winnow", "/xabyabcab abc", 0},
    {"overlapping segment (KMP)", "User-agent: *\nDisallow: /*aab\n", "winnow",
     "/aaaab", 0},
    {"overlap after a partial match (KMP)", "User-agent: *\nDisallow: /*aab\n",
     "winnow", "/aaab", 0},
    {"periodic segment (KMP)", "User-agent: *\nDisallow: /x*ababc\n", "winnow",
     "/xabababc", 0},
    {"overlapping segment, absent", "User-agent: *\nDisallow: /*aab*c\n",
     "winnow", "/aaaabaa", 1},
    /* URL forms */
    {"query is matched", "User-agent: *\nDisallow: /*?sid=\n", "winnow",
     "http://h/a?sid=1", 0},
    {"fragment dropped", "User-agent: *\nDisallow: /a$\n", "winnow",
     "http://h/a#frag", 0},
    {"empty path is /", "User-agent: *\nDisallow: /$\n", "winnow", "http://h",
     0},
    {"query without path", "User-agent: *\nDisallow: /?\n", "winnow",
     "http://h?q", 0},
    {"empty URL is /", "User-agent: *\nDisallow: /$\n", "winnow", "", 0},
    {"path given alone", "User-agent: *\nDisallow: /a\n", "winnow", "/a/b", 0},
    {"params kept", "User-agent: *\nDisallow: /a;v=1\n", "winnow",
     "http://h/a;v=1", 0},
    {"scheme-relative URL", "User-agent: *\nDisallow: /b\n", "winnow",
     "//h/b/c", 0},
    /* percent-encoding, normalised on both sides */
    {"raw UTF-8 rule, encoded URL", "User-agent: *\nDisallow: /caf\xC3\xA9\n",
     "winnow", "/caf%C3%A9", 0},
    {"encoded rule, raw UTF-8 URL", "User-agent: *\nDisallow: /caf%c3%a9\n",
     "winnow", "/caf\xC3\xA9", 0},
    {"hex case", "User-agent: *\nDisallow: /a%2fb\n", "winnow", "/a%2Fb", 0},
    {"encoded slash is not a slash", "User-agent: *\nDisallow: /a/b\n",
     "winnow", "/a%2Fb", 1},
    {"unreserved decoded in the rule", "User-agent: *\nDisallow: /%7Euser\n",
     "winnow", "/~user", 0},
    {"unreserved decoded in the URL", "User-agent: *\nDisallow: /~user\n",
     "winnow", "/%7euser", 0},
    {"percent-encoded star matches a star",
     "User-agent: *\nDisallow: /file-%2A.html\n", "winnow", "/file-*.html", 0},
    {"percent-encoded star is not a wildcard",
     "User-agent: *\nDisallow: /file-%2A.html\n", "winnow", "/file-x.html", 1},
    {"percent-encoded dollar", "User-agent: *\nDisallow: /foo-%24\n", "winnow",
     "/foo-$", 0},
    {"space in a rule", "User-agent: *\nDisallow: /a b\n", "winnow", "/a%20b",
     0},
    {"stray percent", "User-agent: *\nDisallow: /100%\n", "winnow", "/100%25",
     0},
    {"truncated escape", "User-agent: *\nDisallow: /a%4\n", "winnow", "/a%4",
     0},
    /* line syntax */
    {"CR line ends", "User-agent: *\rDisallow: /x\r", "winnow", "/x", 0},
    {"CRLF line ends", "User-agent: *\r\nDisallow: /x\r\n", "winnow", "/x", 0},
    {"no final newline", "User-agent: *\nDisallow: /x", "winnow", "/x", 0},
    {"BOM skipped", "\xEF\xBB\xBFUser-agent: *\nDisallow: /x\n", "winnow", "/x",
     0},
    {"partial BOM skipped", "\xEF\xBBUser-agent: *\nDisallow: /x\n", "winnow",
     "/x", 0},
    {"BOM mid-file is junk",
     "User-agent: *\n\xEF\xBB\xBF"
     "Disallow: /x\n",
     "winnow", "/x", 1},
    {"keys case-insensitive", "USER-AGENT: *\nDISALLOW: /x\n", "winnow", "/x",
     0},
    {"spaces around key and value", "  User-agent  :  *  \n\tDisallow :\t/x \n",
     "winnow", "/x", 0},
    {"comment ends the value", "User-agent: *\nDisallow: /x#/y\n", "winnow",
     "/x", 0},
    {"comment line", "User-agent: *\n# Disallow: /\n", "winnow", "/x", 1},
    {"missing colon, two words", "User-agent *\nDisallow /x\n", "winnow", "/x",
     0},
    {"missing colon, three words", "User-agent: *\nDisallow /x /y\n", "winnow",
     "/x", 1},
    {"typos are not keys", "User-agent: *\nDissallow: /x\n", "winnow", "/x", 1},
    {"key must be whole", "User-agent: *\nDisallowed: /x\n", "winnow", "/x", 1},
    {"value with colons", "User-agent: *\nDisallow: /a:b\n", "winnow", "/a:b",
     0},
    /* Google: index.htm also allows its directory */
    {"index.html allows the directory",
     "User-agent: *\nAllow: /d/index.html\nDisallow: /\n", "winnow", "/d/", 1},
    {"index.html: not deeper",
     "User-agent: *\nAllow: /d/index.html\nDisallow: /\n", "winnow", "/d/x", 0},
    {"index.html: disallow does not",
     "User-agent: *\nDisallow: /d/index.html\n", "winnow", "/d/", 1},
};

static void check_allow_cases(void)
{
  size_t k;

  for (k = 0; k < N_OF(allow_cases); k++) {
    const struct allow_case *c = &allow_cases[k];
    struct crawl_robots *r = parse(c->robots, strlen(c->robots), c->agent);
    int got;

    if (!r)
      continue;
    got = crawl_robots_allowed(r, c->url);
    if (got != c->allowed) {
      fprintf(stderr, "allow case \"%s\": %s for %s: got %d, want %d\n",
              c->name, c->url, c->agent, got, c->allowed);
      check_failures++;
    }
    crawl_robots_free(r);
  }
}

/* NUL bytes end a line's content; the lines after them still count. */
static void check_nul_bytes(void)
{
  struct crawl_robots *r =
      parse(L("User-agent: *\nDisallow: /a\0/b\nDisallow: /c\0\n\0\n"), "w");

  if (!r)
    return;
  CHECK_INT(crawl_robots_allowed(r, "/a"), 0);
  CHECK_INT(crawl_robots_allowed(r, "/c"), 0);
  CHECK_INT(crawl_robots_allowed(r, "/b"), 1);
  crawl_robots_free(r);
}

/* ---- Crawl-delay --------------------------------------------------------- */

struct delay_case {
  const char *robots;
  const char *agent;
  double delay;
};

static const struct delay_case delay_cases[] = {
    {"", "winnow", -1},
    {"User-agent: *\nCrawl-delay: 1.5\n", "winnow", 1.5},
    {"User-agent: *\nCrawl-delay: 10\n", "winnow", 10},
    {"User-agent: *\nCrawl-delay: .5\n", "winnow", 0.5},
    {"User-agent: *\nCrawl-delay: 2.\n", "winnow", 2},
    {"User-agent: *\nCrawl-delay: 0\n", "winnow", 0},
    {"User-agent: *\nCRAWL-DELAY :  3  # slow\n", "winnow", 3},
    {"User-agent: *\nCrawl-delay: 100000\n", "winnow", 86400},
    {"User-agent: *\nCrawl-delay: 99999999999999999999999999\n", "winnow",
     86400},
    {"User-agent: *\nCrawl-delay: 86400.5\n", "winnow", 86400},
    {"User-agent: *\nCrawl-delay: -1\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: fast\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: 1e3\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: 5s\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: 1,5\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: .\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay:\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: nan\n", "winnow", -1},
    {"User-agent: *\nCrawl-delay: inf\n", "winnow", -1},
    {"Crawl-delay: 5\nUser-agent: *\n", "winnow", -1},
    {"User-agent: other\nCrawl-delay: 5\n", "winnow", -1},
    /* the agent's groups, not "*" */
    {"User-agent: *\nCrawl-delay: 5\nDisallow: /a\nUser-agent: winnow\n"
     "Crawl-delay: 2\nDisallow: /b\n",
     "winnow", 2},
    {"User-agent: *\nDisallow: /a\nCrawl-delay: 5\nUser-agent: winnow\n"
     "Disallow: /x\n",
     "winnow", -1},
    /* only a rule ends a group's user-agent lines: these are one group */
    {"User-agent: *\nCrawl-delay: 5\nUser-agent: winnow\nCrawl-delay: 2\n",
     "winnow", 5},
    {"User-agent: *\nCrawl-delay: 5\nUser-agent: winnow\nDisallow: /x\n",
     "winnow", 5},
    /* merged groups: the largest */
    {"User-agent: winnow\nCrawl-delay: 2\nDisallow: /a\nUser-agent: b\n"
     "Disallow: /\nUser-agent: winnow\nCrawl-delay: 7\n",
     "winnow", 7},
    {"User-agent: *\nCrawl-delay: 2\nCrawl-delay: bad\n", "winnow", 2},
    /* a crawl-delay line does not end the agent list */
    {"User-agent: a\nCrawl-delay: 4\nUser-agent: winnow\nDisallow: /\n",
     "winnow", 4},
};

static void check_delay_cases(void)
{
  size_t k;

  for (k = 0; k < N_OF(delay_cases); k++) {
    const struct delay_case *c = &delay_cases[k];
    struct crawl_robots *r = parse(c->robots, strlen(c->robots), c->agent);
    double got;

    if (!r)
      continue;
    got = crawl_robots_crawl_delay(r);
    if (got != c->delay) {
      fprintf(stderr, "delay case %zu: got %g, want %g\n", k, got, c->delay);
      check_failures++;
    }
    crawl_robots_free(r);
  }
}

/* ---- Sitemap ------------------------------------------------------------- */

struct sitemap_case {
  const char *robots;
  const char *want[4]; /* in order, NULL-terminated */
};

static const struct sitemap_case sitemap_cases[] = {
    {"", {NULL}},
    {"Sitemap: http://h/s.xml\n", {"http://h/s.xml", NULL}},
    {"User-agent: other\nDisallow: /\nSitemap: https://h/a.xml\n"
     "User-agent: *\nsitemap:https://h/b.xml # index\nSITEMAP : "
     "https://h/c.xml\n",
     {"https://h/a.xml", "https://h/b.xml", "https://h/c.xml", NULL}},
    {"Sitemap: /relative.xml\nSitemap: ftp://h/s.xml\nSitemap: nothing\n"
     "Sitemap:\nSitemap: http://h/ok.xml\n",
     {"http://h/ok.xml", NULL}},
    {"Site-map: http://h/s.xml\n", {NULL}},
};

static void check_sitemap_cases(void)
{
  size_t k, i;

  for (k = 0; k < N_OF(sitemap_cases); k++) {
    const struct sitemap_case *c = &sitemap_cases[k];
    struct crawl_robots *r = parse(c->robots, strlen(c->robots), "winnow");
    size_t n = 0;

    if (!r)
      continue;
    while (c->want[n])
      n++;
    CHECK_INT(crawl_robots_sitemap_count(r), n);
    for (i = 0; i < n; i++)
      CHECK_STR(crawl_robots_sitemap_at(r, i), c->want[i]);
    CHECK(crawl_robots_sitemap_at(r, n) == NULL);
    crawl_robots_free(r);
  }
}

/* At most 100 sitemaps, the first ones. */
static void check_sitemap_cap(void)
{
  struct wn_buf b;
  struct crawl_robots *r;
  char want[64];
  int i;

  wn_buf_init(&b, 1u << 20);
  for (i = 0; i < 150; i++)
    CHECK_INT(wn_buf_printf(&b, "Sitemap: http://h/s%d.xml\n", i), WN_OK);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_sitemap_count(r), 100);
    snprintf(want, sizeof(want), "http://h/s%d.xml", 99);
    CHECK_STR(crawl_robots_sitemap_at(r, 99), want);
    crawl_robots_free(r);
  }
  wn_buf_free(&b);
}

/* ---- caps ---------------------------------------------------------------- */

/* Append n copies of line. */
static void repeat(struct wn_buf *b, const char *line, size_t n)
{
  while (n--)
    CHECK_INT(wn_buf_adds(b, line), WN_OK);
}

static void check_rule_caps(void)
{
  struct wn_buf b;
  struct crawl_robots *r;
  int g;

  wn_buf_init(&b, 4u << 20);
  /* 10,000 rules kept per group: the 10,001st is dropped; a new group
   * counts afresh. */
  repeat(&b, "User-agent: *\n", 1);
  repeat(&b, "allow:/a\n", 10000);
  repeat(&b, "disallow:/b\nUser-agent: *\ndisallow:/c\n", 1);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/b"), 1);
    CHECK_INT(crawl_robots_allowed(r, "/c"), 0);
    crawl_robots_free(r);
  }
  /* 50,000 rules in all. */
  wn_buf_reset(&b);
  for (g = 0; g < 5; g++) {
    repeat(&b, "User-agent: *\n", 1);
    repeat(&b, "allow:/a\n", 10000);
  }
  repeat(&b, "User-agent: *\ndisallow:/b\n", 1);
  CHECK(b.len < CRAWL_ROBOTS_MAX_BYTES);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/b"), 1);
    crawl_robots_free(r);
  }
  /* Rules of groups not kept do not count. */
  wn_buf_reset(&b);
  for (g = 0; g < 5; g++) {
    repeat(&b, "User-agent: other\n", 1);
    repeat(&b, "allow:/a\n", 10000);
  }
  repeat(&b, "User-agent: *\ndisallow:/b\n", 1);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/b"), 0);
    crawl_robots_free(r);
  }
  wn_buf_free(&b);
}

/* Lines are cut at 16,662 bytes (Google's buffer); the file at
 * CRAWL_ROBOTS_MAX_BYTES, without the line that limit cuts. */
static void check_size_caps(void)
{
  struct wn_buf b, url;
  struct crawl_robots *r;

  wn_buf_init(&b, 4u << 20);
  wn_buf_init(&url, 1u << 20);
  /* "Disallow: /" is 11 bytes: 16,651 a's are kept. */
  repeat(&b, "User-agent: *\nDisallow: /", 1);
  repeat(&b, "a", 100000);
  repeat(&b, "\nDisallow: /next\n", 1);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    repeat(&url, "/", 1);
    repeat(&url, "a", 16651);
    CHECK_INT(crawl_robots_allowed(r, url.data), 0);
    url.data[url.len - 1] = 'b';
    CHECK_INT(crawl_robots_allowed(r, url.data), 1);
    CHECK_INT(crawl_robots_allowed(r, "/next"), 0);
    crawl_robots_free(r);
  }
  /* A 1 MB line after the limit: the lines before it count, it does not. */
  wn_buf_reset(&b);
  repeat(&b, "User-agent: *\nDisallow: /x\nDisallow: /", 1);
  repeat(&b, "y", 1u << 20);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/x"), 0);
    CHECK_INT(crawl_robots_allowed(r, "/y"), 1);
    crawl_robots_free(r);
  }
  /* A rule that starts past the limit is ignored. */
  wn_buf_reset(&b);
  repeat(&b, "User-agent: *\n", 1);
  repeat(&b, "# padding padding padding padding padding padding\n",
         CRAWL_ROBOTS_MAX_BYTES / 50 + 1);
  repeat(&b, "Disallow: /late\n", 1);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/late"), 1);
    crawl_robots_free(r);
  }
  /* A file of exactly the limit whose last line is cut there: dropped
   * (it may be the start of a longer rule). */
  wn_buf_reset(&b);
  repeat(&b, "User-agent: *\n", 1);
  repeat(&b, "#", CRAWL_ROBOTS_MAX_BYTES - 14 - 12);
  repeat(&b, "\nDisallow: /", 1);
  CHECK_INT(b.len, CRAWL_ROBOTS_MAX_BYTES);
  repeat(&b, "private\n", 1);
  r = parse(b.data, b.len, "winnow");
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/public"), 1);
    crawl_robots_free(r);
  }
  wn_buf_free(&b);
  wn_buf_free(&url);
}

/* ---- special robots, NULL handling ------------------------------------- */

static void check_special(void)
{
  struct crawl_robots *r = NULL;

  CHECK_INT(crawl_robots_new_allow_all(&r), WN_OK);
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "http://h/x"), 1);
    CHECK(crawl_robots_crawl_delay(r) == -1);
    CHECK_INT(crawl_robots_sitemap_count(r), 0);
    crawl_robots_free(r);
  }
  r = NULL;
  CHECK_INT(crawl_robots_new_disallow_all(&r), WN_OK);
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "http://h/x"), 0);
    CHECK_INT(crawl_robots_allowed(r, "http://h/"), 0);
    CHECK_INT(crawl_robots_allowed(r, "http://h/robots.txt"), 1);
    crawl_robots_free(r);
  }
  r = NULL;
  CHECK_INT(crawl_robots_parse(NULL, 0, "winnow", &r), WN_OK);
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, NULL), 1);
    crawl_robots_free(r);
  }
  r = NULL;
  CHECK_INT(crawl_robots_parse(L("User-agent: *\nDisallow: /\n"), NULL, &r),
            WN_OK);
  if (r) {
    CHECK_INT(crawl_robots_allowed(r, "/x"), 0);
    crawl_robots_free(r);
  }
  CHECK_INT(crawl_robots_parse(NULL, 5, "winnow", &r), WN_E_INVALID);
  CHECK_INT(crawl_robots_parse(L("x"), "winnow", NULL), WN_E_INVALID);
  crawl_robots_free(NULL);
  CHECK_INT(crawl_robots_allowed(NULL, "/x"), 0);
  CHECK(crawl_robots_crawl_delay(NULL) == -1);
  CHECK_INT(crawl_robots_sitemap_count(NULL), 0);
  CHECK(crawl_robots_sitemap_at(NULL, 0) == NULL);
}

/* ---- hostile input ------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 16);
}

/* Random files from robots.txt pieces and random bytes: no crash, no
 * leak (under the sanitizers), and the invariants hold. */
static void check_random(void)
{
  static const char *pieces[] = {
      "User-agent: ",
      "Allow: ",
      "Disallow: ",
      "Crawl-delay: ",
      "Sitemap: ",
      "*",
      "$",
      "/",
      "winnow",
      "\n",
      "\r",
      "\r\n",
      "#",
      ":",
      "%",
      "%2",
      "%E3%83%84",
      "\xC3",
      "\xEF\xBB\xBF",
      " ",
      "\t",
      "\0",
      "http://h/s.xml",
      "index.html",
      "a",
  };
  static const char *urls[] = {
      "",
      "/",
      "/a",
      "http://h/a*b$",
      "/robots.txt",
      "/%zz",
      "http://h/x?y#z",
      "/\xC3\xA9",
  };
  char txt[4096];
  int iter;

  for (iter = 0; iter < 3000; iter++) {
    size_t len = 0, target = rng() % sizeof(txt), k;
    struct crawl_robots *r;

    while (len < target) {
      if (rng() % 4 == 0) {
        txt[len++] = (char)(rng() & 0xFF);
      } else {
        const char *p = pieces[rng() % N_OF(pieces)];
        size_t n = *p ? strlen(p) : 1;

        if (n > target - len)
          break;
        memcpy(txt + len, p, n);
        len += n;
      }
    }
    r = parse(txt, len, iter % 3 ? "winnow" : "");
    if (!r)
      continue;
    for (k = 0; k < N_OF(urls); k++) {
      int a = crawl_robots_allowed(r, urls[k]);

      CHECK(a == 0 || a == 1);
    }
    CHECK_INT(crawl_robots_allowed(r, "/robots.txt"), 1);
    {
      double d = crawl_robots_crawl_delay(r);

      CHECK(d == -1 || (d >= 0 && d <= 86400));
    }
    CHECK(crawl_robots_sitemap_count(r) <= 100);
    for (k = 0; k < crawl_robots_sitemap_count(r); k++)
      CHECK(crawl_robots_sitemap_at(r, k) != NULL);
    crawl_robots_free(r);
  }
}

/* ---- the matcher's worst case -------------------------------------------- */

static double now(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A robots.txt for "*" of distinct rules made by rule(k, line), as many
 * as fit in CRAWL_ROBOTS_MAX_BYTES. */
static size_t fill_rules(struct wn_buf *b,
                         void (*rule)(unsigned, struct wn_buf *))
{
  struct wn_buf line;
  size_t n = 0;

  wn_buf_init(&line, 4096);
  wn_buf_reset(b);
  repeat(b, "User-agent: *\n", 1);
  for (;; n++) {
    wn_buf_reset(&line);
    rule((unsigned)n, &line);
    if (b->len + line.len > CRAWL_ROBOTS_MAX_BYTES)
      break;
    CHECK_INT(wn_buf_add(b, line.data, line.len), WN_OK);
  }
  wn_buf_free(&line);
  return n;
}

/* 100 '*' (exponential for a backtracking matcher) and a last segment
 * that is not in the path. */
static void rule_stars(unsigned k, struct wn_buf *b)
{
  repeat(b, "disallow:/", 1);
  repeat(b, "*a", 99);
  CHECK_INT(wn_buf_printf(b, "*%u\n", k), WN_OK);
}

/* A middle segment found only at the end of the path, then a miss:
 * quadratic for a naive substring search. */
static void rule_far_segment(unsigned k, struct wn_buf *b)
{
  CHECK_INT(wn_buf_printf(b, "disallow:/*aaaaaaaaabc*%u\n", k), WN_OK);
}

/* Segments whose byte pairs are all in the path but which only occur
 * after a long run of their first byte. */
static void rule_pairs(unsigned k, struct wn_buf *b)
{
  CHECK_INT(wn_buf_printf(b, "disallow:/*a%c%c%c*!\n", 'a' + k % 26,
                          'a' + k / 26 % 26, 'a' + k / 676 % 26),
            WN_OK);
}

/* The matcher's worst cases, against a path of about 2 KB that the rules
 * almost match: each case is timed from the parse to the last lookup. */
static void check_pathological(void)
{
  static const struct {
    void (*rule)(unsigned, struct wn_buf *);
    const char *path_run; /* "/" + 2,000 'a' + this */
    int lookups;
    double max_seconds;
  } cases[] = {
      /* ~2,400 rules of 100 '*': 5 lookups evaluate over 10,000 */
      {rule_stars, "", 5, 0.5},
      {rule_far_segment, "aaaaaaaaabc", 1, 1.0},
      {rule_pairs, "", 1, 1.0},
  };
  struct wn_buf b, path;
  size_t k;
  unsigned i;

  wn_buf_init(&b, 1u << 20);
  wn_buf_init(&path, 1u << 16);
  for (k = 0; k < N_OF(cases); k++) {
    struct crawl_robots *r;
    size_t n_rules = fill_rules(&b, cases[k].rule);
    double t0, dt;
    int rep;

    wn_buf_reset(&path);
    repeat(&path, "/", 1);
    repeat(&path, "a", 2000);
    repeat(&path, cases[k].path_run, 1);
    if (cases[k].rule == rule_pairs)
      for (i = 0; i < 26 * 26; i++)
        CHECK_INT(wn_buf_printf(&path, "%c%c", 'a' + i / 26, 'a' + i % 26),
                  WN_OK);
    CHECK(n_rules > (cases[k].rule == rule_stars ? 2000u : 15000u));
    t0 = now();
    r = parse(b.data, b.len, "winnow");
    if (!r)
      continue;
    for (rep = 0; rep < cases[k].lookups; rep++)
      CHECK_INT(crawl_robots_allowed(r, path.data), 1);
    dt = now() - t0;
    if (dt > cases[k].max_seconds) {
      fprintf(stderr, "pathological case %zu (%zu rules): %.3f s\n", k, n_rules,
              dt);
      check_failures++;
    }
    crawl_robots_free(r);
  }
  wn_buf_free(&b);
  wn_buf_free(&path);
}

int main(void)
{
  check_allow_cases();
  check_nul_bytes();
  check_delay_cases();
  check_sitemap_cases();
  check_sitemap_cap();
  check_rule_caps();
  check_size_caps();
  check_special();
  check_random();
  check_pathological();
  return check_exit();
}
