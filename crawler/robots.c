/* robots.txt: RFC 9309 parsing and matching, plus the Google conventions
 * (google/robotstxt) that the conformance vectors name where the RFC is
 * silent: a UTF-8 BOM prefix skipped, a missing ':' accepted between
 * exactly two words, a user-agent value read up to its first character
 * outside [a-zA-Z_-], lines cut at 16,662 bytes, and an allow rule for
 * ".../index.htm*" that also allows its directory.
 *
 * Design: the file is parsed once for one agent. Only the rules of the
 * groups that name the agent, and of the "*" groups, are kept (each set
 * merged), percent-encoding normalised, sorted by precedence (longest
 * first, allow before disallow on a tie); a lookup is then the first rule
 * that matches. A rule is matched by splitting it at its '*' into literal
 * segments, each placed at its leftmost occurrence (KMP, so the time is
 * linear in the path per rule, never exponential in the number of '*'). */
#include "crawler/crawler.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Google's line buffer is 8 * 2083 bytes with its NUL: what follows on a
 * longer line is ignored. */
#define ROBOTS_MAX_LINE_BYTES 16662u
/* Rules kept: per group (counted for the groups kept only), and in all.
 * With the byte cap these bound the memory of one parsed file. */
#define ROBOTS_MAX_GROUP_RULES 10000u
#define ROBOTS_MAX_RULES 50000u
/* Sitemap: URLs kept per file. */
#define ROBOTS_MAX_SITEMAPS 100u
/* Crawl-delay values are clamped to [0, this] seconds. */
#define ROBOTS_MAX_DELAY 86400.0

#define NPOS ((size_t)-1)

enum robots_mode { MODE_RULES = 0, MODE_ALLOW_ALL, MODE_DISALLOW_ALL };

struct rule {
  size_t off;      /* normalised pattern in the blob, without a final '$' */
  const char *pat; /* the same, once the blob is final (adopt()) */
  size_t len;      /* its bytes */
  size_t prec;     /* precedence: bytes of the normalised pattern with '$' */
  unsigned char allow;
  unsigned char anchored; /* the pattern ended with '$' */
};

/* The merged rules of one kind of group (the agent's, or "*"). */
struct rule_set {
  struct rule *v;
  size_t n, cap;
  struct wn_buf blob; /* the patterns, back to back */
  double delay;       /* largest Crawl-delay, -1 when none */
};

struct crawl_robots {
  enum robots_mode mode;
  struct rule *rules; /* sorted by precedence */
  size_t n_rules;
  char *blob;     /* patterns of rules[] */
  size_t max_seg; /* longest literal segment after a '*' */
  double delay;
  char **sitemaps;
  size_t n_sitemaps;
};

typedef enum {
  KEY_UNKNOWN = 0,
  KEY_USER_AGENT,
  KEY_ALLOW,
  KEY_DISALLOW,
  KEY_CRAWL_DELAY,
  KEY_SITEMAP
} robots_key;

/* Keys, compared whole and without regard to ASCII case. Google's parser
 * also takes typos ("useragent", "dissallow" ...) and any key that starts
 * with one of these; no conformance vector needs either, so neither is
 * accepted: an alias would be one more line here. */
static const struct {
  const char *name;
  robots_key key;
} key_names[] = {
    {"user-agent", KEY_USER_AGENT}, {"allow", KEY_ALLOW},
    {"disallow", KEY_DISALLOW},     {"crawl-delay", KEY_CRAWL_DELAY},
    {"sitemap", KEY_SITEMAP},
};

struct parser {
  const char *agent;
  size_t agent_len;
  struct rule_set specific; /* groups naming the agent */
  struct rule_set global;   /* "*" groups */
  int agent_seen;           /* some group names the agent */
  int in_group;             /* a user-agent line was seen */
  int in_agents;            /* no rule since the last user-agent line */
  int cur_specific;         /* the current group names the agent */
  int cur_global;           /* the current group names "*" */
  size_t group_rules;       /* rules kept from the current group */
  double group_delay;       /* the current group's Crawl-delay, or -1 */
  size_t total_rules;
  struct crawl_robots *r; /* for the sitemaps */
};

/* ---- percent-encoding ------------------------------------------------- */

static int hex_value(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int is_unreserved(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Bytes that may not appear as they are in a URL path or query. */
static int must_encode(int c)
{
  return c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' ||
         c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
}

static char *put_escape(char *o, int c)
{
  static const char hex[] = "0123456789ABCDEF";

  *o++ = '%';
  *o++ = hex[(c >> 4) & 0xF];
  *o++ = hex[c & 0xF];
  return o;
}

/* Write the normalised form of s[0..len) to out (room for 3 * len bytes)
 * and return the bytes written. Escapes get upper-case hex, escapes of
 * unreserved characters are decoded, a stray '%' becomes "%25", bytes
 * that must be encoded are. In a path '*' and '$' are plain characters,
 * written "%2A" and "%24" so that a pattern can name them that way (RFC
 * 9309 section 2.2.3); in a pattern '*' is the wildcard and a final '$'
 * the anchor, and any other '$' is literal. */
static size_t normalize(const char *s, size_t len, int pattern, char *out)
{
  char *o = out;
  size_t i;

  for (i = 0; i < len; i++) {
    int c = (unsigned char)s[i];

    if (c == '%') {
      int hi = i + 2 < len ? hex_value((unsigned char)s[i + 1]) : -1;
      int lo = i + 2 < len ? hex_value((unsigned char)s[i + 2]) : -1;

      if (hi < 0 || lo < 0) {
        o = put_escape(o, '%');
        continue;
      }
      c = hi * 16 + lo;
      i += 2;
      if (is_unreserved(c))
        *o++ = (char)c;
      else
        o = put_escape(o, c);
    } else if (pattern && (c == '*' || (c == '$' && i + 1 == len))) {
      *o++ = (char)c;
    } else if (c == '*' || c == '$' || must_encode(c)) {
      o = put_escape(o, c);
    } else {
      *o++ = (char)c;
    }
  }
  return (size_t)(o - out);
}

/* ---- matching ---------------------------------------------------------- */

/* What one lookup knows about its path. */
struct match_ctx {
  const char *path; /* normalised */
  size_t n;
  size_t *fail;    /* KMP table, room for the longest segment */
  uint64_t *pairs; /* the byte pairs in path, a 65,536-bit set */
};

static int has_pair(const struct match_ctx *c, const char *s)
{
  unsigned k = (unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1];

  return (c->pairs[k >> 6] >> (k & 63)) & 1;
}

/* Leftmost occurrence of needle[0..m) (m > 0) in path[from..n), or NPOS.
 * A needle with a byte pair the path lacks is refused at once; else KMP
 * (linear in the path), with memchr to skip to candidates. */
static size_t find(const struct match_ctx *c, size_t from, const char *needle,
                   size_t m)
{
  const char *hay = c->path;
  size_t n = c->n, *fail = c->fail, i, j, k;

  if (from > n || m > n - from)
    return NPOS;
  if (m == 1) {
    const char *p = memchr(hay + from, needle[0], n - from);
    return p ? (size_t)(p - hay) : NPOS;
  }
  for (i = 0; i + 1 < m; i++)
    if (!has_pair(c, needle + i))
      return NPOS;
  fail[0] = 0;
  for (i = 1, k = 0; i < m; i++) {
    while (k > 0 && needle[i] != needle[k])
      k = fail[k - 1];
    if (needle[i] == needle[k])
      k++;
    fail[i] = k;
  }
  for (i = from, j = 0; i < n;) {
    if (n - i < m - j)
      return NPOS;
    if (j == 0) {
      const char *p = memchr(hay + i, needle[0], n - i);

      if (!p)
        return NPOS;
      i = (size_t)(p - hay);
    }
    if (hay[i] == needle[j]) {
      i++;
      if (++j == m)
        return i - m;
    } else if (j > 0) {
      j = fail[j - 1];
    } else {
      i++;
    }
  }
  return NPOS;
}

/* 1 when the pattern pat[0..plen) ('*' wildcards; anchored: it must reach
 * the end of the path) matches a prefix of the path. Each literal segment
 * is placed at its leftmost occurrence: if any placement matches, that
 * one does. The time is linear in the path and the pattern. */
static int rule_matches(const struct match_ctx *c, const char *pat, size_t plen,
                        int anchored)
{
  const char *star = memchr(pat, '*', plen);
  size_t lit = star ? (size_t)(star - pat) : plen, n = c->n;
  size_t pos, j;

  if (lit > n || memcmp(c->path, pat, lit) != 0)
    return 0;
  if (!star)
    return !anchored || n == lit;
  pos = lit;
  j = lit + 1;
  for (;;) {
    const char *next = j < plen ? memchr(pat + j, '*', plen - j) : NULL;
    size_t end = next ? (size_t)(next - pat) : plen, m = end - j;

    if (!next) {
      if (anchored)
        return m <= n - pos && memcmp(c->path + n - m, pat + j, m) == 0;
      return m == 0 || find(c, pos, pat + j, m) != NPOS;
    }
    if (m) {
      size_t at = find(c, pos, pat + j, m);

      if (at == NPOS)
        return 0;
      pos = at + m;
    }
    j = end + 1;
  }
}

/* The path, params and query of url as [*start, *end), fragment dropped
 * (google/robotstxt's GetPathParamsQuery). *slash is set when a '/' must
 * go first ("http://h?q" is "/?q"); an empty span means "/". */
static void path_span(const char *url, size_t len, size_t *start, size_t *end,
                      int *slash)
{
  size_t from = 0, proto = NPOS, early = NPOS, i;

  *start = *end = 0;
  *slash = 1;
  if (len >= 2 && url[0] == '/' && url[1] == '/')
    from = 2;
  for (i = from; i < len; i++) {
    if (early == NPOS && (url[i] == '/' || url[i] == '?' || url[i] == ';'))
      early = i;
    if (i + 2 < len && url[i] == ':' && url[i + 1] == '/' &&
        url[i + 2] == '/') {
      proto = i;
      break;
    }
  }
  /* A "://" after the path has begun is part of the path. */
  if (proto == NPOS || (early != NPOS && early < proto))
    i = from;
  else
    i = proto + 3;
  for (; i < len; i++)
    if (url[i] == '/' || url[i] == '?' || url[i] == ';')
      break;
  if (i == len)
    return;
  {
    const char *hash = memchr(url + from, '#', len - from);
    size_t h = hash ? (size_t)(hash - url) : len;

    if (h < i)
      return;
    *start = i;
    *end = h;
    *slash = url[i] != '/';
  }
}

/* ---- parsing ------------------------------------------------------------ */

static void rule_set_init(struct rule_set *s)
{
  memset(s, 0, sizeof(*s));
  /* Patterns at most triple in size; derived index.html rules are
   * shorter than their source: this cap is never reached. */
  wn_buf_init(&s->blob, 8u * (size_t)CRAWL_ROBOTS_MAX_BYTES);
  s->delay = -1;
}

static void rule_set_clear(struct rule_set *s)
{
  free(s->v);
  wn_buf_free(&s->blob);
  s->v = NULL;
  s->n = s->cap = 0;
}

/* Append a rule made of pattern[0..len) (already normalised when
 * normalised is set). */
static wn_result rule_set_add(struct rule_set *s, int allow, const char *pat,
                              size_t len, int normalised)
{
  struct rule *rl;
  size_t off;
  wn_result rc;

  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    struct rule *v = realloc(s->v, cap * sizeof(*v));

    if (!v)
      return WN_E_NOMEM;
    s->v = v;
    s->cap = cap;
  }
  rc = wn_buf_reserve(&s->blob, 3 * len + 1);
  if (rc != WN_OK)
    return rc;
  off = s->blob.len;
  if (normalised) {
    memcpy(s->blob.data + off, pat, len);
  } else {
    len = normalize(pat, len, 1, s->blob.data + off);
  }
  s->blob.len += len;
  s->blob.data[s->blob.len] = '\0';
  rl = &s->v[s->n++];
  rl->off = off;
  rl->prec = len;
  rl->anchored = len > 0 && s->blob.data[off + len - 1] == '$';
  rl->len = rl->anchored ? len - 1 : len;
  rl->allow = (unsigned char)allow;
  return WN_OK;
}

static robots_key lookup_key(const char *k, size_t len)
{
  size_t i;

  for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
    if (strlen(key_names[i].name) == len &&
        wn_ascii_ncasecmp(k, key_names[i].name, len) == 0)
      return key_names[i].key;
  return KEY_UNKNOWN;
}

/* The set the current group's lines go to, or NULL when it is kept by
 * neither (rules of a group naming the agent and "*" are the agent's). */
static struct rule_set *current_set(struct parser *p)
{
  if (!p->in_group)
    return NULL;
  if (p->cur_specific)
    return &p->specific;
  return p->cur_global ? &p->global : NULL;
}

/* Give the group's Crawl-delay to its set: known only once the group's
 * user-agent lines are all read (a delay may come between them). */
static void end_group(struct parser *p)
{
  struct rule_set *s = current_set(p);

  if (s && p->group_delay > s->delay) /* several: the largest */
    s->delay = p->group_delay;
  p->group_delay = -1;
}

static void on_user_agent(struct parser *p, const char *v, size_t len)
{
  size_t tok = 0;

  if (!p->in_agents) {
    end_group(p);
    p->in_agents = 1;
    p->in_group = 1;
    p->cur_specific = p->cur_global = 0;
    p->group_rules = 0;
  }
  /* Google: "* anything" names every crawler too. */
  if (len >= 1 && v[0] == '*' &&
      (len == 1 || wn_ascii_isspace((unsigned char)v[1]))) {
    p->cur_global = 1;
    return;
  }
  while (tok < len &&
         ((v[tok] >= 'a' && v[tok] <= 'z') ||
          (v[tok] >= 'A' && v[tok] <= 'Z') || v[tok] == '-' || v[tok] == '_'))
    tok++;
  if (tok > 0 && tok == p->agent_len &&
      wn_ascii_ncasecmp(v, p->agent, tok) == 0) {
    p->cur_specific = 1;
    p->agent_seen = 1;
  }
}

static wn_result keep_rule(struct parser *p, struct rule_set *s, int allow,
                           const char *pat, size_t len, int normalised)
{
  wn_result rc;

  if (p->group_rules >= ROBOTS_MAX_GROUP_RULES ||
      p->total_rules >= ROBOTS_MAX_RULES)
    return WN_OK;
  rc = rule_set_add(s, allow, pat, len, normalised);
  if (rc == WN_OK) {
    p->group_rules++;
    p->total_rules++;
  }
  return rc;
}

static wn_result on_rule(struct parser *p, int allow, const char *v, size_t len)
{
  struct rule_set *s;
  const struct rule *rl;
  const char *pat, *slash;
  size_t n_before;
  wn_result rc;

  if (!p->in_group)
    return WN_OK; /* rules before any user-agent line */
  p->in_agents = 0;
  s = current_set(p);
  if (!s || len == 0) /* an empty value matches nothing */
    return WN_OK;
  n_before = s->n;
  rc = keep_rule(p, s, allow, v, len, 0);
  if (rc != WN_OK || !allow || s->n == n_before)
    return rc;
  /* Google: "/dir/index.htm..." also allows "/dir/" exactly. */
  rl = &s->v[s->n - 1];
  pat = s->blob.data + rl->off;
  for (slash = pat + rl->len; slash > pat && slash[-1] != '/'; slash--)
    ;
  if (slash == pat || rl->len - (size_t)(slash - pat) < 9 ||
      memcmp(slash, "index.htm", 9) != 0)
    return WN_OK;
  {
    size_t n = (size_t)(slash - pat);
    char *derived = malloc(n + 1);

    if (!derived)
      return WN_E_NOMEM;
    memcpy(derived, pat, n);
    derived[n] = '$';
    rc = keep_rule(p, s, 1, derived, n + 1, 1);
    free(derived);
  }
  return rc;
}

/* A Crawl-delay value: decimal seconds ("10", "1.5", ".5"), clamped;
 * -1 for anything else. */
static double parse_delay(const char *v, size_t len)
{
  double val = 0, scale = 1;
  size_t i = 0, digits = 0;

  for (; i < len && v[i] >= '0' && v[i] <= '9'; i++, digits++)
    if (val <= ROBOTS_MAX_DELAY)
      val = val * 10 + (v[i] - '0');
  if (i < len && v[i] == '.')
    for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++, digits++)
      if (scale > 1e-9) {
        scale /= 10;
        val += (v[i] - '0') * scale;
      }
  if (!digits || i != len)
    return -1;
  return val > ROBOTS_MAX_DELAY ? ROBOTS_MAX_DELAY : val;
}

static void on_crawl_delay(struct parser *p, const char *v, size_t len)
{
  double d;

  if (!p->in_group)
    return;
  d = parse_delay(v, len);
  if (d > p->group_delay) /* several: the longest, the politest */
    p->group_delay = d;
}

static wn_result on_sitemap(struct parser *p, const char *v, size_t len)
{
  struct crawl_robots *r = p->r;
  char *url;

  if (r->n_sitemaps >= ROBOTS_MAX_SITEMAPS || len == 0 ||
      len > WN_MAX_URL_BYTES)
    return WN_OK;
  url = malloc(len + 1);
  if (!url)
    return WN_E_NOMEM;
  memcpy(url, v, len);
  url[len] = '\0';
  if (!wn_url_is_http(url)) {
    free(url);
    return WN_OK;
  }
  if (!r->sitemaps) {
    r->sitemaps = malloc(ROBOTS_MAX_SITEMAPS * sizeof(*r->sitemaps));
    if (!r->sitemaps) {
      free(url);
      return WN_E_NOMEM;
    }
  }
  r->sitemaps[r->n_sitemaps++] = url;
  return WN_OK;
}

static size_t trim_left(const char *s, size_t i, size_t end)
{
  while (i < end && wn_ascii_isspace((unsigned char)s[i]))
    i++;
  return i;
}

static size_t trim_right(const char *s, size_t start, size_t end)
{
  while (end > start && wn_ascii_isspace((unsigned char)s[end - 1]))
    end--;
  return end;
}

/* One line (without its line break). */
static wn_result parse_line(struct parser *p, const char *s, size_t n)
{
  size_t a, b, i, sep, kend, vstart;
  const char *colon;

  /* A comment, or a NUL (C parsers stop there), ends the content. */
  for (i = 0; i < n && s[i] != '#' && s[i] != '\0'; i++)
    ;
  a = trim_left(s, 0, i);
  b = trim_right(s, a, i);
  if (a == b)
    return WN_OK;
  colon = memchr(s + a, ':', b - a);
  if (colon) {
    sep = (size_t)(colon - s);
    vstart = trim_left(s, sep + 1, b);
  } else {
    /* Google: "disallow /x", two words, the space as the separator. */
    for (sep = a; sep < b && s[sep] != ' ' && s[sep] != '\t'; sep++)
      ;
    if (sep == b)
      return WN_OK;
    vstart = trim_left(s, sep, b);
    for (i = vstart; i < b; i++)
      if (s[i] == ' ' || s[i] == '\t')
        return WN_OK;
  }
  kend = trim_right(s, a, sep);
  if (kend == a)
    return WN_OK;
  switch (lookup_key(s + a, kend - a)) {
  case KEY_USER_AGENT:
    on_user_agent(p, s + vstart, b - vstart);
    break;
  case KEY_ALLOW:
    return on_rule(p, 1, s + vstart, b - vstart);
  case KEY_DISALLOW:
    return on_rule(p, 0, s + vstart, b - vstart);
  case KEY_CRAWL_DELAY:
    on_crawl_delay(p, s + vstart, b - vstart);
    break;
  case KEY_SITEMAP:
    return on_sitemap(p, s + vstart, b - vstart);
  case KEY_UNKNOWN:
    break; /* other records neither start nor end a group */
  }
  return WN_OK;
}

/* Precedence order: longest first, allow before disallow; then the
 * pattern, so that duplicates are neighbours. */
static int rule_cmp(const void *x, const void *y)
{
  const struct rule *a = x, *b = y;

  if (a->prec != b->prec)
    return a->prec > b->prec ? -1 : 1;
  if (a->allow != b->allow)
    return (int)b->allow - (int)a->allow;
  if (a->anchored != b->anchored)
    return (int)a->anchored - (int)b->anchored;
  return memcmp(a->pat, b->pat, a->len); /* same prec and anchor: same len */
}

static int rule_same(const struct rule *a, const struct rule *b)
{
  return a->allow == b->allow && a->anchored == b->anchored &&
         a->len == b->len && memcmp(a->pat, b->pat, a->len) == 0;
}

/* Move the chosen set into r: sorted, without duplicates. */
static void adopt(struct crawl_robots *r, struct rule_set *s)
{
  size_t i, n = 0;

  r->rules = s->v;
  r->n_rules = s->n;
  r->blob = s->blob.data;
  r->delay = s->delay;
  s->v = NULL;
  s->n = s->cap = 0;
  wn_buf_init(&s->blob, 0);
  for (i = 0; i < r->n_rules; i++)
    r->rules[i].pat = r->blob + r->rules[i].off;
  if (r->n_rules > 1)
    qsort(r->rules, r->n_rules, sizeof(*r->rules), rule_cmp);
  for (i = 0; i < r->n_rules; i++)
    if (n == 0 || !rule_same(&r->rules[n - 1], &r->rules[i]))
      r->rules[n++] = r->rules[i];
  r->n_rules = n;
  for (i = 0; i < r->n_rules; i++) {
    const char *pat = r->rules[i].pat;
    const char *star = memchr(pat, '*', r->rules[i].len);

    while (star) {
      size_t j = (size_t)(star - pat) + 1, rest = r->rules[i].len - j;
      const char *next = rest ? memchr(pat + j, '*', rest) : NULL;
      size_t seg = next ? (size_t)(next - pat) - j : rest;

      if (seg > r->max_seg)
        r->max_seg = seg;
      star = next;
    }
  }
}

static wn_result robots_new(enum robots_mode mode, struct crawl_robots **out)
{
  struct crawl_robots *r = calloc(1, sizeof(*r));

  if (!r)
    return WN_E_NOMEM;
  r->mode = mode;
  r->delay = -1;
  *out = r;
  return WN_OK;
}

wn_result crawl_robots_new_allow_all(struct crawl_robots **out)
{
  if (!out)
    return WN_E_INVALID;
  return robots_new(MODE_ALLOW_ALL, out);
}

wn_result crawl_robots_new_disallow_all(struct crawl_robots **out)
{
  if (!out)
    return WN_E_INVALID;
  return robots_new(MODE_DISALLOW_ALL, out);
}

/* Bytes of txt[0..len) to parse: at most CRAWL_ROBOTS_MAX_BYTES, and
 * when the text reaches that size, without an unterminated last line (it
 * may be a fragment: "Allow: /a" cut from "Allow: /a/b" allows more). */
static size_t parse_length(const char *txt, size_t len)
{
  size_t n;

  if (len < CRAWL_ROBOTS_MAX_BYTES)
    return len;
  n = CRAWL_ROBOTS_MAX_BYTES;
  if (len > n && (txt[n] == '\n' || txt[n] == '\r'))
    return n;
  while (n > 0 && txt[n - 1] != '\n' && txt[n - 1] != '\r')
    n--;
  return n;
}

wn_result crawl_robots_parse(const char *txt, size_t len, const char *agent,
                             struct crawl_robots **out)
{
  static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
  struct crawl_robots *r = NULL;
  struct parser p;
  size_t i = 0;
  wn_result rc;

  if (!out || (!txt && len))
    return WN_E_INVALID;
  memset(&p, 0, sizeof(p));
  rule_set_init(&p.specific);
  rule_set_init(&p.global);
  rc = robots_new(MODE_RULES, &r);
  if (rc != WN_OK)
    goto out;
  p.r = r;
  p.group_delay = -1;
  p.agent = agent ? agent : "";
  p.agent_len = strlen(p.agent);
  len = parse_length(txt, len);
  /* Google: skip as much of a UTF-8 BOM as the file starts with. */
  while (i < len && i < sizeof(bom) && (unsigned char)txt[i] == bom[i])
    i++;
  while (i < len) {
    size_t start = i, n;

    while (i < len && txt[i] != '\n' && txt[i] != '\r')
      i++;
    n = i - start;
    rc = parse_line(&p, txt + start,
                    n > ROBOTS_MAX_LINE_BYTES ? ROBOTS_MAX_LINE_BYTES : n);
    if (rc != WN_OK)
      goto out;
    if (i < len && txt[i] == '\r' && i + 1 < len && txt[i + 1] == '\n')
      i++;
    i++;
  }
  end_group(&p);
  /* RFC 9309 2.2.1: the groups naming the agent, else the "*" groups,
   * else no rule at all. */
  adopt(r, p.agent_seen ? &p.specific : &p.global);
  *out = r;
  r = NULL;
out:
  rule_set_clear(&p.specific);
  rule_set_clear(&p.global);
  crawl_robots_free(r);
  return rc;
}

void crawl_robots_free(struct crawl_robots *r)
{
  size_t i;

  if (!r)
    return;
  for (i = 0; i < r->n_sitemaps; i++)
    free(r->sitemaps[i]);
  free(r->sitemaps);
  free(r->rules);
  free(r->blob);
  free(r);
}

/* The verdict of r's rules on the normalised path[0..n): the first rule
 * that matches in precedence order, allowed when none does; 0 when
 * memory runs out (fail closed). */
static int rules_verdict(const struct crawl_robots *r, const char *path,
                         size_t n)
{
  size_t fail_stack[256];
  uint64_t pairs[65536 / 64];
  struct match_ctx c;
  size_t i;
  int allowed = 1;

  c.path = path;
  c.n = n;
  c.fail = fail_stack;
  c.pairs = pairs;
  if (r->max_seg > sizeof(fail_stack) / sizeof(fail_stack[0])) {
    c.fail = malloc(r->max_seg * sizeof(*c.fail));
    if (!c.fail)
      return 0;
  }
  if (r->max_seg >= 2) {
    memset(pairs, 0, sizeof(pairs));
    for (i = 0; i + 1 < n; i++) {
      unsigned k =
          (unsigned)(unsigned char)path[i] << 8 | (unsigned char)path[i + 1];

      pairs[k >> 6] |= (uint64_t)1 << (k & 63);
    }
  }
  for (i = 0; i < r->n_rules; i++) {
    const struct rule *rl = &r->rules[i];

    if (rule_matches(&c, rl->pat, rl->len, rl->anchored)) {
      allowed = rl->allow;
      break;
    }
  }
  if (c.fail != fail_stack)
    free(c.fail);
  return allowed;
}

int crawl_robots_allowed(const struct crawl_robots *r, const char *url)
{
  char path_stack[1024];
  char *path = path_stack;
  size_t len, start, end, n, q;
  int slash, allowed;

  if (!r)
    return 0;
  if (!url)
    url = "";
  len = strlen(url);
  path_span(url, len, &start, &end, &slash);
  if (end - start > (SIZE_MAX - 2) / 3)
    return 0;
  n = 3 * (end - start) + 2;
  if (n > sizeof(path_stack)) {
    path = malloc(n);
    if (!path)
      return 0; /* fail closed */
  }
  n = 0;
  if (slash)
    path[n++] = '/';
  n += normalize(url + start, end - start, 0, path + n);
  for (q = 0; q < n && path[q] != '?'; q++)
    ;
  if (q == 11 && memcmp(path, "/robots.txt", 11) == 0)
    allowed = 1; /* RFC 9309 2.2.2: always allowed */
  else if (r->mode != MODE_RULES)
    allowed = r->mode == MODE_ALLOW_ALL;
  else
    allowed = rules_verdict(r, path, n);
  if (path != path_stack)
    free(path);
  return allowed;
}

double crawl_robots_crawl_delay(const struct crawl_robots *r)
{
  return r ? r->delay : -1;
}

size_t crawl_robots_sitemap_count(const struct crawl_robots *r)
{
  return r ? r->n_sitemaps : 0;
}

const char *crawl_robots_sitemap_at(const struct crawl_robots *r, size_t i)
{
  return r && i < r->n_sitemaps ? r->sitemaps[i] : NULL;
}
