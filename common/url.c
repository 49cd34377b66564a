/* URL parsing, serialisation, resolution and normalisation; see
 * common/url.h. Hosts of special schemes are canonicalised in
 * common/url_host.c. */
#include "common/common.h"

#include <stdlib.h>
#include <string.h>

/* Room for one component while it is built: percent-encoding can triple a
 * WN_MAX_URL_BYTES input. Finished URL strings are held to
 * WN_MAX_URL_BYTES. */
#define URL_WORK_MAX (4u * WN_MAX_URL_BYTES)

/* A struct wn_url holding nothing, for initialisation. */
static const struct wn_url url_none = {NULL, NULL, NULL, -1,
                                       NULL, NULL, NULL, 0};

/* Which bytes parsing percent-encodes, per component (WHATWG's
 * percent-encode sets; '%' itself is never encoded at that stage). */
enum { SET_OPAQUE, SET_FRAGMENT, SET_QUERY, SET_PATH, SET_USERINFO };

/* ---- character classes ------------------------------------------------ */

static int is_alpha(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
  return c >= '0' && c <= '9';
}

static int hex_val(int c)
{
  if (is_digit(c))
    return c - '0';
  c = wn_ascii_tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int is_unreserved(int c)
{
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

/* Bytes that never appear literally in a normalised URL. */
static int is_unsafe(unsigned char c)
{
  return c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c);
}

static int needs_encoding(unsigned char c, int set)
{
  if (c <= 0x20 || c >= 0x7F)
    return 1;
  switch (set) {
  case SET_OPAQUE:
    return 0;
  case SET_FRAGMENT:
    return strchr("\"<>`", c) != NULL;
  case SET_QUERY:
    return strchr("\"#<>", c) != NULL;
  case SET_PATH:
    return strchr("\"#<>?`{}", c) != NULL;
  default: /* ':' stays: it separates user from password */
    return strchr("\"#<>?`{}/;=@[\\]^|", c) != NULL;
  }
}

/* 1 for the schemes WHATWG calls special (hierarchical, with a host). */
static int is_special(const char *scheme)
{
  static const char *const names[] = {"http", "https", "ws",
                                      "wss",  "ftp",   "file"};
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (wn_ascii_casecmp(scheme, names[i]) == 0)
      return 1;
  return 0;
}

int wn_url_default_port(const char *scheme)
{
  static const struct {
    const char *scheme;
    int port;
  } ports[] = {
      {"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21}};
  size_t i;

  if (!scheme)
    return -1;
  for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
    if (wn_ascii_casecmp(scheme, ports[i].scheme) == 0)
      return ports[i].port;
  return -1;
}

/* ---- small buffer helpers --------------------------------------------- */

/* Move b's contents into a new string *out (freed by the caller). */
static wn_result take(struct wn_buf *b, char **out)
{
  *out = wn_buf_steal(b);
  return *out ? WN_OK : WN_E_NOMEM;
}

static wn_result add_pct(struct wn_buf *b, unsigned char c)
{
  char esc[3];

  esc[0] = '%';
  esc[1] = "0123456789ABCDEF"[c >> 4];
  esc[2] = "0123456789ABCDEF"[c & 15];
  return wn_buf_add(b, esc, 3);
}

/* Append p[0..n) with the bytes of set percent-encoded. */
static wn_result add_encoded(struct wn_buf *b, const char *p, size_t n, int set)
{
  size_t i, run = 0;
  wn_result rc = WN_OK;

  for (i = 0; i < n && rc == WN_OK; i++) {
    if (!needs_encoding((unsigned char)p[i], set))
      continue;
    rc = wn_buf_add(b, p + run, i - run);
    if (rc == WN_OK)
      rc = add_pct(b, (unsigned char)p[i]);
    run = i + 1;
  }
  return rc == WN_OK ? wn_buf_add(b, p + run, n - run) : rc;
}

/* A new string *out holding p[0..n) encoded with set. */
static wn_result dup_encoded(const char *p, size_t n, int set, char **out)
{
  struct wn_buf b;
  wn_result rc;

  wn_buf_init(&b, URL_WORK_MAX);
  rc = add_encoded(&b, p, n, set);
  if (rc == WN_OK)
    rc = take(&b, out);
  wn_buf_free(&b);
  return rc;
}

/* ---- input ------------------------------------------------------------ */

/* Copy s into b (which then holds a string, possibly empty) without
 * leading and trailing C0 controls and spaces and without any tab, LF or
 * CR. WN_E_TOO_LARGE when s is longer than WN_MAX_URL_BYTES. */
static wn_result clean_input(const char *s, struct wn_buf *b)
{
  size_t n = strnlen(s, WN_MAX_URL_BYTES + 1), i, run;
  wn_result rc;

  if (n > WN_MAX_URL_BYTES)
    return WN_E_TOO_LARGE;
  while (n > 0 && (unsigned char)s[0] <= 0x20) {
    s++;
    n--;
  }
  while (n > 0 && (unsigned char)s[n - 1] <= 0x20)
    n--;
  rc = wn_buf_add(b, "", 0);
  for (i = run = 0; i < n && rc == WN_OK; i++) {
    if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      continue;
    rc = wn_buf_add(b, s + run, i - run);
    run = i + 1;
  }
  return rc == WN_OK ? wn_buf_add(b, s + run, n - run) : rc;
}

/* Length of the scheme of s[0..n) (ALPHA *(ALPHA DIGIT + - .) before
 * ':'), 0 when s has none. */
static size_t scheme_len(const char *s, size_t n)
{
  size_t i;

  if (n == 0 || !is_alpha((unsigned char)s[0]))
    return 0;
  for (i = 1; i < n; i++) {
    if (s[i] == ':')
      return i;
    if (!is_alpha((unsigned char)s[i]) && !is_digit((unsigned char)s[i]) &&
        s[i] != '+' && s[i] != '-' && s[i] != '.')
      return 0;
  }
  return 0;
}

/* Special schemes read '\' as '/' before the query or fragment. */
static void backslashes_to_slashes(char *s, size_t n)
{
  size_t i;

  for (i = 0; i < n && s[i] != '?' && s[i] != '#'; i++)
    if (s[i] == '\\')
      s[i] = '/';
}

/* ---- paths ------------------------------------------------------------ */

/* 1 for ".", 2 for "..", also spelled with "%2e"; else 0. */
static int dot_segment(const char *p, size_t n)
{
  int dots = 0;

  while (n > 0) {
    if (p[0] == '.') {
      p++;
      n--;
    } else if (n >= 3 && p[0] == '%' && p[1] == '2' &&
               (p[2] == 'e' || p[2] == 'E')) {
      p += 3;
      n -= 3;
    } else {
      return 0;
    }
    if (++dots > 2)
      return 0;
  }
  return dots;
}

/* Append p[0..n), which starts with '/', to out with dot segments removed
 * (RFC 3986 section 5.2.4, segment by segment). */
static wn_result remove_dots(const char *p, size_t n, struct wn_buf *out)
{
  size_t i = 0, end, base = out->len;
  wn_result rc = wn_buf_add(out, "", 0);
  int dots;

  while (i < n && rc == WN_OK) {
    for (end = i + 1; end < n && p[end] != '/'; end++)
      ;
    dots = dot_segment(p + i + 1, end - i - 1);
    if (dots == 2) {
      while (out->len > base && out->data[out->len - 1] != '/')
        out->len--;
      if (out->len > base)
        out->len--;
      out->data[out->len] = '\0';
    }
    if (dots && end == n)
      rc = wn_buf_addc(out, '/');
    else if (!dots)
      rc = wn_buf_add(out, p + i, end - i);
    i = end;
  }
  return rc;
}

/* Append path p to b. Without an authority a path starting "//" is
 * written "/.//" so that it does not read as one. */
static wn_result add_path(struct wn_buf *b, int has_auth, const char *p,
                          size_t n)
{
  wn_result rc = WN_OK;

  if (!has_auth && n >= 2 && p[0] == '/' && p[1] == '/')
    rc = wn_buf_adds(b, "/.");
  return rc == WN_OK ? wn_buf_add(b, p, n) : rc;
}

/* ---- parsing ---------------------------------------------------------- */

/* Port digits p[0..n) into *port: -1 when empty, WN_E_PARSE when not a
 * number in 0..65535. */
static wn_result parse_port(const char *p, size_t n, int *port)
{
  long v = 0;
  size_t i;

  for (i = 0; i < n; i++) {
    if (!is_digit((unsigned char)p[i]))
      return WN_E_PARSE;
    v = v * 10 + (p[i] - '0');
    if (v > 65535)
      return WN_E_PARSE;
  }
  *port = n ? (int)v : -1;
  return WN_OK;
}

/* Host of a non-special scheme (WHATWG opaque host), lower-cased outside
 * escapes, controls and non-ASCII encoded. */
static wn_result opaque_host(const char *p, size_t n, struct wn_buf *b)
{
  size_t i, in_escape = 0;
  unsigned char c;
  wn_result rc = WN_OK;

  for (i = 0; i < n && rc == WN_OK; i++) {
    c = (unsigned char)p[i];
    if (c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' ||
        strchr("#/:<>?@[\\]^|", c))
      return WN_E_PARSE;
    if (c < 0x20 || c >= 0x7F)
      rc = add_pct(b, c);
    else
      rc = wn_buf_addc(b, (char)(in_escape ? c : wn_ascii_tolower(c)));
    in_escape = c == '%' ? 2 : in_escape ? in_escape - 1 : 0;
  }
  return rc;
}

/* Canonical host p[0..n) into the new string *out ("" allowed only for
 * file: and non-special schemes; "localhost" is "" in file:). */
static wn_result build_host(const char *p, size_t n, const char *scheme,
                            char **out)
{
  struct wn_buf b;
  int special = is_special(scheme), file = !strcmp(scheme, "file");
  wn_result rc;

  wn_buf_init(&b, URL_WORK_MAX);
  rc = wn_buf_add(&b, "", 0);
  if (rc == WN_OK && n == 0 && special && !file)
    rc = WN_E_PARSE;
  else if (rc == WN_OK && n > 0 && (special || p[0] == '['))
    rc = wn_url_host_normalize(p, n, &b);
  else if (rc == WN_OK && n > 0)
    rc = opaque_host(p, n, &b);
  if (rc == WN_OK && file && !strcmp(b.data, "localhost"))
    wn_buf_reset(&b);
  if (rc == WN_OK)
    rc = take(&b, out);
  wn_buf_free(&b);
  return rc;
}

/* "user:" is "user" and ":" or "" is no userinfo (WHATWG drops an
 * empty password and empty credentials). */
static void drop_empty_password(struct wn_url *u)
{
  char *colon = strchr(u->userinfo, ':');

  if (colon && colon[1] == '\0')
    *colon = '\0';
  if (!u->userinfo[0]) {
    free(u->userinfo);
    u->userinfo = NULL;
  }
}

/* Split the authority p[0..n) into userinfo, host and port of u. */
static wn_result parse_authority(const char *p, size_t n, struct wn_url *u)
{
  const char *at = NULL, *hp = p, *colon;
  size_t i, hn = n, host_len;
  wn_result rc = WN_OK;

  for (i = n; i > 0 && !at; i--)
    if (p[i - 1] == '@')
      at = p + i - 1;
  if (at) {
    rc = dup_encoded(p, (size_t)(at - p), SET_USERINFO, &u->userinfo);
    hp = at + 1;
    hn = n - (size_t)(hp - p);
  }
  if (rc == WN_OK && u->userinfo)
    drop_empty_password(u);
  if (hn > 0 && hp[0] == '[') {
    colon = memchr(hp, ']', hn);
    host_len = colon ? (size_t)(colon - hp) + 1 : hn;
  } else {
    colon = memchr(hp, ':', hn);
    host_len = colon ? (size_t)(colon - hp) : hn;
  }
  if (rc == WN_OK && host_len < hn)
    rc = hp[host_len] == ':'
             ? parse_port(hp + host_len + 1, hn - host_len - 1, &u->port)
             : WN_E_PARSE;
  if (rc == WN_OK)
    rc = build_host(hp, host_len, u->scheme, &u->host);
  if (rc == WN_OK && !u->host[0] && (at || host_len < hn))
    rc = WN_E_PARSE; /* "foo://@", "foo://:1" name no host */
  return rc;
}

/* Path p[0..n) of u, encoded, dot segments removed when it starts with
 * '/'; file: paths always start with '/'. */
static wn_result build_path(const char *p, size_t n, struct wn_url *u)
{
  struct wn_buf enc, out;
  int hier = u->has_authority || (n > 0 && p[0] == '/');
  wn_result rc = WN_OK;

  wn_buf_init(&enc, URL_WORK_MAX);
  wn_buf_init(&out, URL_WORK_MAX);
  if (n > 0 && p[0] != '/' && !strcmp(u->scheme, "file"))
    rc = wn_buf_addc(&enc, '/');
  if (rc == WN_OK)
    rc = add_encoded(&enc, p, n, hier ? SET_PATH : SET_OPAQUE);
  if (rc == WN_OK && enc.len > 0 && enc.data[0] == '/')
    rc = remove_dots(enc.data, enc.len, &out);
  else if (rc == WN_OK)
    rc = wn_buf_add(&out, wn_buf_str(&enc), enc.len);
  if (rc == WN_OK)
    rc = take(&out, &u->path);
  wn_buf_free(&enc);
  wn_buf_free(&out);
  return rc;
}

/* Parse the cleaned, writable, NUL-terminated s[0..n) into u. u owns what
 * was set, also on failure. */
static wn_result parse_clean(char *s, size_t n, struct wn_url *u)
{
  size_t sl = scheme_len(s, n), i, end;
  int special, auth = 0;
  wn_result rc;

  if (sl == 0)
    return WN_E_PARSE;
  rc = dup_encoded(s, sl, SET_OPAQUE, &u->scheme);
  if (rc != WN_OK)
    return rc;
  for (i = 0; i < sl; i++)
    u->scheme[i] = (char)wn_ascii_tolower((unsigned char)u->scheme[i]);
  special = is_special(u->scheme);
  i = sl + 1;
  if (special)
    backslashes_to_slashes(s + i, n - i);
  if (special && strcmp(u->scheme, "file") != 0) {
    while (i < n && s[i] == '/')
      i++;
    auth = 1;
  } else if (n - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
    i += 2;
    auth = 1;
  }
  end = auth ? i + strcspn(s + i, "/?#") : i;
  u->has_authority = auth || special;
  rc = u->has_authority ? parse_authority(s + i, end - i, u)
                        : dup_encoded("", 0, SET_OPAQUE, &u->host);
  i = end;
  end = i + strcspn(s + i, "?#");
  if (rc == WN_OK)
    rc = build_path(s + i, end - i, u);
  i = end;
  if (rc == WN_OK && i < n && s[i] == '?') {
    end = i + 1 + strcspn(s + i + 1, "#");
    rc = dup_encoded(s + i + 1, end - i - 1, SET_QUERY, &u->query);
    i = end;
  }
  if (rc == WN_OK && i < n && s[i] == '#')
    rc = dup_encoded(s + i + 1, n - i - 1, SET_FRAGMENT, &u->fragment);
  return rc;
}

wn_result wn_url_parse(const char *s, struct wn_url *out)
{
  struct wn_url u = url_none;
  struct wn_buf in;
  wn_result rc;

  if (!s || !out)
    return WN_E_INVALID;
  wn_buf_init(&in, WN_MAX_URL_BYTES);
  rc = clean_input(s, &in);
  if (rc == WN_OK)
    rc = parse_clean(in.data, in.len, &u);
  wn_buf_free(&in);
  if (rc != WN_OK) {
    wn_url_free(&u);
    return rc;
  }
  *out = u;
  return WN_OK;
}

void wn_url_free(struct wn_url *u)
{
  if (!u)
    return;
  free(u->scheme);
  free(u->userinfo);
  free(u->host);
  free(u->path);
  free(u->query);
  free(u->fragment);
  u->scheme = u->userinfo = u->host = u->path = NULL;
  u->query = u->fragment = NULL;
  u->port = -1;
}

/* ---- serialising ------------------------------------------------------ */

static int has_auth(const struct wn_url *u)
{
  return u->has_authority || (u->host && u->host[0]);
}

/* Append scheme ":" and, when u has one, "//" and its authority. */
static wn_result add_head(const struct wn_url *u, struct wn_buf *b)
{
  wn_result rc = wn_buf_adds(b, u->scheme);

  if (rc == WN_OK)
    rc = wn_buf_addc(b, ':');
  if (rc != WN_OK || !has_auth(u))
    return rc;
  rc = wn_buf_adds(b, "//");
  if (rc == WN_OK && u->userinfo)
    rc = wn_buf_printf(b, "%s@", u->userinfo);
  if (rc == WN_OK && u->host)
    rc = wn_buf_adds(b, u->host);
  if (rc == WN_OK && u->port >= 0)
    rc = wn_buf_printf(b, ":%d", u->port);
  return rc;
}

/* Append the finished URL in b to out unless it outgrew the limit. */
static wn_result finish(const struct wn_buf *b, struct wn_buf *out)
{
  if (b->len > WN_MAX_URL_BYTES)
    return WN_E_TOO_LARGE;
  return wn_buf_add(out, wn_buf_str(b), b->len);
}

wn_result wn_url_serialize(const struct wn_url *u, struct wn_buf *out)
{
  struct wn_buf b;
  const char *path;
  wn_result rc;

  if (!u || !u->scheme || !out)
    return WN_E_INVALID;
  path = u->path ? u->path : "";
  wn_buf_init(&b, URL_WORK_MAX);
  rc = add_head(u, &b);
  if (rc == WN_OK)
    rc = add_path(&b, has_auth(u), path, strlen(path));
  if (rc == WN_OK && u->query)
    rc = wn_buf_printf(&b, "?%s", u->query);
  if (rc == WN_OK && u->fragment)
    rc = wn_buf_printf(&b, "#%s", u->fragment);
  if (rc == WN_OK)
    rc = finish(&b, out);
  wn_buf_free(&b);
  return rc;
}

/* ---- resolving -------------------------------------------------------- */

/* Append to t the path of the reference path r[0..n) (not starting with
 * '/') merged with b's (RFC 3986 section 5.2.3); dots go at parse time. */
static wn_result add_merged_path(const struct wn_url *b, const char *r,
                                 size_t n, struct wn_buf *t)
{
  const char *slash = strrchr(b->path, '/');
  size_t dir = slash ? (size_t)(slash - b->path) + 1 : 0;
  wn_result rc;

  if (b->has_authority && !b->path[0])
    rc = wn_buf_addc(t, '/');
  else
    rc = add_path(t, has_auth(b), b->path, dir);
  return rc == WN_OK ? wn_buf_add(t, r, n) : rc;
}

/* Write into t the absolute URL that the cleaned reference r[0..n)
 * (writable, NUL-terminated) names against the parsed base b (RFC 3986
 * section 5.2.2). Dot segments and encoding are left to the parse of t. */
static wn_result build_target(const struct wn_url *b, char *r, size_t n,
                              struct wn_buf *t)
{
  size_t sl = scheme_len(r, n), pe, qe;
  int special = is_special(b->scheme), opaque, auth = has_auth(b);
  wn_result rc;

  if (sl) {
    if (!special || sl != strlen(b->scheme) ||
        wn_ascii_ncasecmp(r, b->scheme, sl) != 0)
      return wn_buf_add(t, r, n);
    backslashes_to_slashes(r + sl + 1, n - sl - 1);
    if (n - sl - 1 >= 2 && r[sl + 1] == '/' && r[sl + 2] == '/')
      return wn_buf_add(t, r, n);
    r += sl + 1; /* "http:g" against http: a relative reference */
    n -= sl + 1;
  }
  if (special)
    backslashes_to_slashes(r, n);
  if (n >= 2 && r[0] == '/' && r[1] == '/')
    return wn_buf_printf(t, "%s:%s", b->scheme, r);
  pe = strcspn(r, "?#");
  qe = pe + strcspn(r + pe, "#");
  opaque = !auth && b->path[0] != '/';
  if (opaque && (pe > 0 || r[pe] == '?'))
    return WN_E_PARSE;
  rc = add_head(b, t);
  if (rc == WN_OK && pe == 0)
    rc = add_path(t, auth, b->path, strlen(b->path));
  else if (rc == WN_OK && r[0] == '/')
    rc = add_path(t, auth, r, pe);
  else if (rc == WN_OK)
    rc = add_merged_path(b, r, pe, t);
  if (rc == WN_OK && r[pe] == '?')
    rc = wn_buf_add(t, r + pe, qe - pe);
  else if (rc == WN_OK && pe == 0 && b->query)
    rc = wn_buf_printf(t, "?%s", b->query);
  if (rc == WN_OK && r[qe] == '#')
    rc = wn_buf_add(t, r + qe, n - qe);
  return rc;
}

wn_result wn_url_resolve(const char *base, const char *ref, struct wn_buf *out)
{
  struct wn_url b = url_none, t = url_none;
  struct wn_buf r, target;
  wn_result rc;

  if (!base || !ref || !out)
    return WN_E_INVALID;
  wn_buf_init(&r, WN_MAX_URL_BYTES);
  wn_buf_init(&target, URL_WORK_MAX);
  rc = wn_url_parse(base, &b);
  if (rc == WN_OK)
    rc = clean_input(ref, &r);
  if (rc == WN_OK)
    rc = build_target(&b, r.data, r.len, &target);
  if (rc == WN_OK)
    rc = wn_url_parse(wn_buf_str(&target), &t);
  if (rc == WN_OK)
    rc = wn_url_serialize(&t, out);
  wn_url_free(&b);
  wn_url_free(&t);
  wn_buf_free(&r);
  wn_buf_free(&target);
  return rc;
}

/* ---- normalising ------------------------------------------------------ */

/* Append p[0..n) with percent-encoding normalised (see url.h); lower
 * lower-cases the ASCII letters outside escapes. */
static wn_result add_norm(struct wn_buf *b, const char *p, size_t n, int lower)
{
  size_t i;
  unsigned char c;
  int hi, lo;
  wn_result rc = WN_OK;

  for (i = 0; i < n && rc == WN_OK; i++) {
    c = (unsigned char)p[i];
    if (c == '%' && n - i > 2 && (hi = hex_val((unsigned char)p[i + 1])) >= 0 &&
        (lo = hex_val((unsigned char)p[i + 2])) >= 0) {
      c = (unsigned char)(hi * 16 + lo);
      i += 2;
      if (!is_unreserved(c)) {
        rc = add_pct(b, c);
        continue;
      }
    } else if (c == '%' || is_unsafe(c)) {
      rc = add_pct(b, c);
      continue;
    }
    rc = wn_buf_addc(b, (char)(lower ? wn_ascii_tolower(c) : c));
  }
  return rc;
}

/* Tracking parameters: exact names, then name prefixes. */
static const char *const tracking_names[] = {
    "fbclid",     "gclid",        "gclsrc",        "dclid",
    "gbraid",     "wbraid",       "msclkid",       "mc_cid",
    "mc_eid",     "yclid",        "ysclid",        "_ga",
    "_gl",        "igshid",       "igsh",          "ref_src",
    "ref_url",    "twclid",       "ttclid",        "li_fat_id",
    "mkt_tok",    "_hsenc",       "_hsmi",         "__hssc",
    "__hstc",     "__hsfp",       "hsctatracking", "oly_anon_id",
    "oly_enc_id", "vero_id",      "vero_conv",     "_openstat",
    "wickedid",   "rb_clickid",   "s_cid",         "epik",
    "srsltid",    "_kx",          "sc_cid",        "pk_campaign",
    "pk_kwd",     "pk_keyword",   "pk_source",     "pk_medium",
    "pk_content", "pk_cid",       "mtm_campaign",  "mtm_kwd",
    "mtm_source", "mtm_medium",   "mtm_content",   "mtm_cid",
    "mtm_group",  "mtm_placement"};
static const char *const tracking_prefixes[] = {"utm_", "hsa_"};

/* 1 when the parameter p[0..n) ("name" or "name=value") is tracking. */
static int is_tracking(const char *p, size_t n)
{
  const char *eq = memchr(p, '=', n);
  size_t len = eq ? (size_t)(eq - p) : n, i, k;

  for (i = 0; i < sizeof(tracking_names) / sizeof(tracking_names[0]); i++)
    if (strlen(tracking_names[i]) == len &&
        wn_ascii_ncasecmp(p, tracking_names[i], len) == 0)
      return 1;
  for (i = 0; i < sizeof(tracking_prefixes) / sizeof(tracking_prefixes[0]);
       i++) {
    k = strlen(tracking_prefixes[i]);
    if (len >= k && wn_ascii_ncasecmp(p, tracking_prefixes[i], k) == 0)
      return 1;
  }
  return 0;
}

struct param {
  const char *p;
  size_t len;     /* whole "name=value" */
  size_t key_len; /* "name" */
};

static int param_cmp(const struct param *a, const struct param *b)
{
  size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
  int c = memcmp(a->p, b->p, n);

  if (c)
    return c;
  return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

/* Stable bottom-up merge sort of v[0..n) by name; tmp has room for n. */
static void params_sort(struct param *v, struct param *tmp, size_t n)
{
  size_t width, lo, mid, hi, i, j, k;

  for (width = 1; width < n; width *= 2) {
    for (lo = 0; lo < n; lo += 2 * width) {
      mid = lo + width < n ? lo + width : n;
      hi = mid + width < n ? mid + width : n;
      for (i = lo, j = mid, k = lo; k < hi; k++)
        tmp[k] = (i < mid && (j >= hi || param_cmp(&v[j], &v[i]) >= 0))
                     ? v[i++]
                     : v[j++];
    }
    memcpy(v, tmp, n * sizeof(*v));
  }
}

/* Append the normalised query q[0..n) (already percent-normalised) as
 * flags ask: empty and tracking parameters dropped, sorted. */
static wn_result add_params(struct wn_buf *b, const char *q, size_t n,
                            unsigned flags)
{
  struct param *v, *tmp;
  size_t n_params = 0, i, start = 0;
  wn_result rc = WN_OK;

  for (i = 0; i < n; i++)
    n_params += q[i] == '&';
  v = malloc((n_params + 1) * 2 * sizeof(*v));
  if (!v)
    return WN_E_NOMEM;
  tmp = v + n_params + 1;
  for (n_params = 0, i = 0; i <= n; i++) {
    if (i < n && q[i] != '&')
      continue;
    if (i > start && !((flags & WN_URL_NORM_TRACKING) &&
                       is_tracking(q + start, i - start))) {
      v[n_params].p = q + start;
      v[n_params].len = i - start;
      v[n_params].key_len = strcspn(q + start, "=&");
      n_params++;
    }
    start = i + 1;
  }
  if (flags & WN_URL_NORM_SORT_QUERY)
    params_sort(v, tmp, n_params);
  for (i = 0; i < n_params && rc == WN_OK; i++) {
    rc = wn_buf_addc(b, i ? '&' : '?');
    if (rc == WN_OK)
      rc = wn_buf_add(b, v[i].p, v[i].len);
  }
  free(v);
  return rc;
}

/* Append "?" and the normalised query of u, nothing when it is empty. */
static wn_result norm_query(const struct wn_url *u, unsigned flags,
                            struct wn_buf *b)
{
  struct wn_buf q;
  wn_result rc;

  if (!u->query || !u->query[0])
    return WN_OK;
  wn_buf_init(&q, URL_WORK_MAX);
  rc = add_norm(&q, u->query, strlen(u->query), 0);
  if (rc == WN_OK && (flags & (WN_URL_NORM_TRACKING | WN_URL_NORM_SORT_QUERY)))
    rc = add_params(b, wn_buf_str(&q), q.len, flags);
  else if (rc == WN_OK)
    rc = wn_buf_printf(b, "?%s", wn_buf_str(&q));
  wn_buf_free(&q);
  return rc;
}

/* Append the normalised scheme, authority and path of u. */
static wn_result norm_head_path(const struct wn_url *u, struct wn_buf *b)
{
  struct wn_buf p;
  int auth = has_auth(u), special = is_special(u->scheme);
  wn_result rc = wn_buf_printf(b, "%s:", u->scheme);

  if (rc == WN_OK && auth)
    rc = wn_buf_adds(b, "//");
  if (rc == WN_OK && auth && u->userinfo) {
    rc = add_norm(b, u->userinfo, strlen(u->userinfo), 0);
    if (rc == WN_OK)
      rc = wn_buf_addc(b, '@');
  }
  if (rc == WN_OK && auth)
    rc = special ? wn_buf_adds(b, u->host)
                 : add_norm(b, u->host, strlen(u->host), 1);
  if (rc == WN_OK && auth && u->port >= 0 &&
      u->port != wn_url_default_port(u->scheme))
    rc = wn_buf_printf(b, ":%d", u->port);
  if (rc != WN_OK)
    return rc;
  /* Decoding forms no new dot segment: parsing removed the "%2e" ones. */
  wn_buf_init(&p, URL_WORK_MAX);
  rc = add_norm(&p, u->path, strlen(u->path), 0);
  if (rc == WN_OK && p.len == 0 && special)
    rc = wn_buf_addc(b, '/');
  else if (rc == WN_OK)
    rc = add_path(b, auth, wn_buf_str(&p), p.len);
  wn_buf_free(&p);
  return rc;
}

wn_result wn_url_normalize(const char *url, unsigned flags, struct wn_buf *out)
{
  struct wn_url u = url_none;
  struct wn_buf b;
  wn_result rc;

  if (!url || !out)
    return WN_E_INVALID;
  wn_buf_init(&b, URL_WORK_MAX);
  rc = wn_url_parse(url, &u);
  if (rc == WN_OK)
    rc = norm_head_path(&u, &b);
  if (rc == WN_OK)
    rc = norm_query(&u, flags, &b);
  if (rc == WN_OK && u.fragment && u.fragment[0] &&
      !(flags & WN_URL_NORM_FRAGMENT)) {
    rc = wn_buf_addc(&b, '#');
    if (rc == WN_OK)
      rc = add_norm(&b, u.fragment, strlen(u.fragment), 0);
  }
  if (rc == WN_OK)
    rc = finish(&b, out);
  wn_url_free(&u);
  wn_buf_free(&b);
  return rc;
}

/* ---- origin ----------------------------------------------------------- */

wn_result wn_url_origin(const char *url, struct wn_buf *out)
{
  struct wn_url u = url_none;
  struct wn_buf b;
  wn_result rc;

  if (!url || !out)
    return WN_E_INVALID;
  wn_buf_init(&b, URL_WORK_MAX);
  rc = wn_url_parse(url, &u);
  if (rc == WN_OK && !u.host[0])
    rc = WN_E_PARSE;
  if (rc == WN_OK)
    rc = wn_buf_printf(&b, "%s://%s", u.scheme, u.host);
  if (rc == WN_OK && u.port >= 0 && u.port != wn_url_default_port(u.scheme))
    rc = wn_buf_printf(&b, ":%d", u.port);
  if (rc == WN_OK)
    rc = finish(&b, out);
  wn_url_free(&u);
  wn_buf_free(&b);
  return rc;
}

int wn_url_is_http(const char *url)
{
  struct wn_url u = url_none;
  int yes;

  if (!url || wn_url_parse(url, &u) != WN_OK)
    return 0;
  yes = !strcmp(u.scheme, "http") || !strcmp(u.scheme, "https");
  wn_url_free(&u);
  return yes;
}
