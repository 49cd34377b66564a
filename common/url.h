/* URL parsing, resolution and normalisation (RFC 3986, with the WHATWG
 * URL standard's leniency for what browsers accept in HTML: surrounding
 * spaces, tabs and newlines inside, backslashes in http(s) URLs).
 *
 * What parsing accepts and produces (WHATWG where the two differ):
 * - Leading and trailing C0 controls and spaces are stripped; tabs, CR and
 *   LF are removed anywhere. Inputs over WN_MAX_URL_BYTES: WN_E_TOO_LARGE.
 * - "Special" schemes are http, https, ws, wss, ftp and file. In them '\'
 *   counts as '/' before the query, and any number of slashes may follow
 *   the scheme: "http:example.com" and "http:///example.com" both parse as
 *   "http://example.com" (the WHATWG reading). When resolving, a reference
 *   "http:g" against an http base is relative (RFC 3986 section 5.4.2's
 *   "backward compatible" reading, as browsers do).
 * - Hosts of special schemes are percent-decoded, mapped (lower case, a
 *   subset of UTS #46: Latin, Greek, Cyrillic, Armenian, full-width forms;
 *   no NFC, no bidi or joiner rules) and non-ASCII labels written as
 *   punycode ("xn--"); an ASCII "xn--" label must be valid punycode of
 *   mapped, non-ASCII text (UTS #46 15.1). IPv4 in any WHATWG spelling
 *   ("0x7f.1") becomes dotted decimal, IPv6 the compressed RFC 5952 form
 *   in brackets. Forbidden host characters (space, controls,
 *   # % / : < > ? @ [ \ ] ^ |) are WN_E_PARSE. Other schemes keep an
 *   opaque host (ASCII lower-cased, controls and non-ASCII %-encoded).
 * - Bytes that may not appear in a URL (controls, space, non-ASCII, and
 *   per component " < > ` { } and the like) are percent-encoded; existing
 *   escapes are kept as written. Dot segments ("." "..", also as "%2e") are
 *   removed from paths that start with '/'. An empty password or
 *   userinfo is dropped ("http://u:@h" is "http://u@h").
 *
 * Serialised forms (wn_url_serialize, wn_url_resolve) are "normalised
 * light": the above, with an explicit port kept even when it is the
 * default, an empty path left empty ("http://a") and empty "?" or "#"
 * kept. wn_url_normalize is the form to compare and deduplicate with.
 * Every string these functions append is at most WN_MAX_URL_BYTES long
 * (else WN_E_TOO_LARGE), so it parses again to itself.
 *
 * All functions are thread-safe (no global state). Out-parameters are set
 * only on WN_OK; a failing append may leave a struct wn_buf emptied by its
 * own error handling, as every wn_buf append does.
 *
 * Included by common/common.h; not to be included alone. */
#ifndef WN_URL_H
#define WN_URL_H

/* The parts of an absolute URL. Strings are NUL-terminated and owned by
 * the struct (free with wn_url_free). Absent parts are NULL. */
struct wn_url {
  char *scheme;      /* lower-case, without ':' */
  char *userinfo;    /* without '@', or NULL */
  char *host;        /* lower-case; IPv6 literal kept in brackets; "" for
                        schemes without authority */
  int port;          /* -1 when the URL names none */
  char *path;        /* never NULL; "" or starts with '/' for http(s) */
  char *query;       /* without '?', or NULL */
  char *fragment;    /* without '#', or NULL */
  int has_authority; /* 1 when the URL has an authority ("//host"); always
                        for special schemes, "file:" included */
};

/* Parse an absolute URL. WN_E_PARSE when s is not one (no scheme, bad
 * port, control characters, host with forbidden characters), WN_E_NOMEM,
 * WN_E_TOO_LARGE over WN_MAX_URL_BYTES, WN_E_INVALID for NULL arguments.
 * Ports are 0..65535 ("" means none). out is set only on WN_OK and owns
 * its strings: release them with wn_url_free. */
wn_result wn_url_parse(const char *s, struct wn_url *out);
/* Free the strings of u and set them to NULL (port -1). NULL u and NULL
 * fields are fine; the struct itself is not freed. */
void wn_url_free(struct wn_url *u);

/* Append u as a URL string to out: scheme ":" ["//" [userinfo "@"] host
 * [":" port]] path ["?" query] ["#" fragment]. An authority-less path that
 * starts with "//" is written "/.//" so it does not read as a host. u is
 * borrowed and not re-validated. WN_E_INVALID when u or u->scheme is NULL,
 * WN_E_TOO_LARGE, WN_E_NOMEM. */
wn_result wn_url_serialize(const struct wn_url *u, struct wn_buf *out);

/* Resolve ref against the absolute base (RFC 3986 section 5.2, with dot
 * segments removed) and append the result to out. A ref that is itself
 * absolute is returned parsed and re-serialised ("mailto:", "javascript:"
 * included: filtering schemes is the caller's job). The result is in the
 * "normalised light" form described at the top of this file. ref gets the
 * same whitespace leniency as wn_url_parse; "" gives base without its
 * fragment. Against a base with an opaque path ("mailto:a@b") only "" and
 * "#..." resolve. WN_E_PARSE when base is not absolute or the result is not
 * a valid URL, WN_E_TOO_LARGE, WN_E_NOMEM, WN_E_INVALID for NULL. */
wn_result wn_url_resolve(const char *base, const char *ref, struct wn_buf *out);

enum {
  WN_URL_NORM_FRAGMENT = 1 << 0,  /* drop "#fragment" */
  WN_URL_NORM_TRACKING = 1 << 1,  /* drop utm_*, fbclid, gclid, ... */
  WN_URL_NORM_SORT_QUERY = 1 << 2 /* sort query parameters */
};

/* Normalise an absolute URL and append it to out: scheme and host to lower
 * case, default port removed, empty path to "/", dot segments removed,
 * percent-encoding normalised (hex upper-case, unreserved characters
 * decoded, other bytes >= 0x80 and spaces encoded), plus what flags ask.
 * In detail: escapes of unreserved characters (ALPHA DIGIT - . _ ~) are
 * decoded, other escapes kept with upper-case hex (so %2F, %3F, %26, %3D
 * keep their meaning), a '%' not starting an escape becomes "%25", and
 * controls, space, bytes >= 0x7F and " < > \ ^ ` { | } are encoded; other
 * reserved characters are left as written. An empty query ("?") and an
 * empty fragment ("#") are dropped; userinfo is kept. The empty path
 * becomes "/" for special schemes only. With WN_URL_NORM_TRACKING or
 * WN_URL_NORM_SORT_QUERY the query is split on '&', empty parameters are
 * dropped, tracking parameters (utm_*, fbclid, gclid, ... matched on the
 * name, ASCII case-insensitively) removed and the rest stably sorted by
 * name (byte order), keeping the order of repeated names. The result is a
 * fixed point: normalising it again gives it back. Errors as
 * wn_url_parse, WN_E_TOO_LARGE when the result outgrows WN_MAX_URL_BYTES. */
wn_result wn_url_normalize(const char *url, unsigned flags, struct wn_buf *out);

/* Default port of a scheme, ASCII case-insensitive: 80 for http and ws, 443
 * for https and wss, 21 for ftp; -1 if unknown or NULL. */
int wn_url_default_port(const char *scheme);

/* Append the origin of url to out: scheme "://" host, plus ":" port only
 * when the URL names a port that is not the scheme's default
 * ("https://example.com", "http://[::1]:8080"). It is the crawler's
 * per-host key and the base of robots.txt. No userinfo, path or trailing
 * slash. WN_E_PARSE when url does not parse or has no host ("mailto:x",
 * "file:///x"); other errors as wn_url_parse. */
wn_result wn_url_origin(const char *url, struct wn_buf *out);

/* 1 when url parses and its scheme is http or https, else 0. */
int wn_url_is_http(const char *url);

/* Canonicalise host[0..len), the host of an http(s)-like URL, and append
 * it to out: percent-decoded, mapped and punycoded ("B\xC3\xBCcher.de" ->
 * "xn--bcher-kva.de"), IPv4 as dotted decimal, IPv6 compressed in brackets
 * (see the top of this file). WN_E_PARSE for an empty, forbidden or
 * malformed host, WN_E_TOO_LARGE over WN_MAX_URL_BYTES, WN_E_NOMEM,
 * WN_E_INVALID for NULL. Defined in common/url_host.c. */
wn_result wn_url_host_normalize(const char *host, size_t len,
                                struct wn_buf *out);

#endif
