/* Transfers over libcurl's multi interface, in one event loop. */
#include "crawler/crawler_int.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct fetch {
  CURLM *multi;
  struct fetch_opts o;
  int running;
  int n_active;
  struct fetch_req *active; /* requests in flight, a doubly linked list */
};

static void link_req(struct fetch *f, struct fetch_req *r)
{
  r->prev_active = NULL;
  r->next_active = f->active;
  if (f->active)
    f->active->prev_active = r;
  f->active = r;
  f->n_active++;
}

static void unlink_req(struct fetch *f, struct fetch_req *r)
{
  if (r->prev_active)
    r->prev_active->next_active = r->next_active;
  else
    f->active = r->next_active;
  if (r->next_active)
    r->next_active->prev_active = r->prev_active;
  r->next_active = r->prev_active = NULL;
  f->n_active--;
}

double crawl_now(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

wn_result fetch_new(const struct fetch_opts *o, struct fetch **out)
{
  struct fetch *f;
  static int global_done;

  if (!global_done) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return WN_E_NET;
    global_done = 1;
  }
  f = calloc(1, sizeof(*f));
  if (!f)
    return WN_E_NOMEM;
  f->o = *o;
  f->multi = curl_multi_init();
  if (!f->multi) {
    free(f);
    return WN_E_NOMEM;
  }
  /* The crawl's scheduler keeps transfers within --concurrency and
   * --per-host; curl's own per-host cap is a second guard. No cap on the
   * total: it would make curl close the idle connection of a host that
   * is between two requests, and the host would see a new one. Idle
   * connections are cached for four times the transfers. */
  curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, o->per_host);
  curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, o->total * 4 + 16);
  *out = f;
  return WN_OK;
}

void fetch_abort_all(struct fetch *f, void (*cb)(struct fetch_req *r))
{
  while (f && f->active) {
    struct fetch_req *r = f->active;

    curl_multi_remove_handle(f->multi, r->easy);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    unlink_req(f, r);
    if (cb)
      cb(r);
  }
}

void fetch_free(struct fetch *f)
{
  if (!f)
    return;
  fetch_abort_all(f, NULL);
  curl_multi_cleanup(f->multi);
  free(f);
}

int fetch_running(const struct fetch *f)
{
  return f->n_active;
}

/* ---- addresses ------------------------------------------------------------ */

static int v4_private(uint32_t a)
{
  uint8_t b0 = (uint8_t)(a >> 24), b1 = (uint8_t)(a >> 16);

  return b0 == 0 || b0 == 10 || b0 == 127 ||            /* this, private, loop */
         (b0 == 100 && (b1 & 0xC0) == 64) ||             /* shared 100.64/10 */
         (b0 == 169 && b1 == 254) ||                     /* link-local, metadata */
         (b0 == 172 && (b1 & 0xF0) == 16) ||             /* private 172.16/12 */
         (b0 == 192 && b1 == 168) ||                     /* private */
         (b0 == 192 && b1 == 0 && (uint8_t)(a >> 8) == 0) || /* IETF 192.0.0/24 */
         (b0 == 198 && (b1 & 0xFE) == 18) ||             /* benchmarking */
         b0 >= 224;                                      /* multicast, reserved */
}

int fetch_address_is_private(const void *sockaddr)
{
  const struct sockaddr *sa = sockaddr;

  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = sockaddr;
    return v4_private(ntohl(in->sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = sockaddr;
    const uint8_t *b = in6->sin6_addr.s6_addr;
    static const uint8_t zero[16] = {0};
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    uint32_t v4 = ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) |
                  ((uint32_t)b[14] << 8) | b[15];

    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
      return 1;                             /* ::, ::1 */
    /* IPv4 inside IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, and
     * NAT64 64:ff9b::a.b.c.d are judged by their IPv4 address */
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, zero, 12) == 0 ||
        memcmp(b, nat64, 12) == 0)
      return v4_private(v4);
    if (b[0] == 0x20 && b[1] == 0x02)       /* 6to4 2002:a.b.c.d::/48 */
      return v4_private(((uint32_t)b[2] << 24) | ((uint32_t)b[3] << 16) |
                        ((uint32_t)b[4] << 8) | b[5]);
    if ((b[0] & 0xFE) == 0xFC)              /* fc00::/7 unique local */
      return 1;
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) /* fe80::/10 link-local */
      return 1;
    if (b[0] == 0xFF)                       /* multicast */
      return 1;
    /* fd00:ec2::254 (AWS metadata) is in fc00::/7 already */
    return 0;
  }
  return 1; /* anything else is not the web */
}

/* The request is about to go out (connected, TLS done): its send time,
 * and the caller's hook, so that the host's next request counts its gap
 * from here. */
static int on_prereq(void *ud, char *primary_ip, char *local_ip,
                     int primary_port, int local_port)
{
  struct fetch_req *r = ud;
  struct fetch *f = r->owner;

  (void)primary_ip;
  (void)local_ip;
  (void)primary_port;
  (void)local_port;
  if (r->t_sent != 0) {
    /* libcurl resends at once a request that a reused connection dropped
     * unanswered; the crawl retries later instead, keeping its gap */
    r->resend_refused = 1;
    return CURL_PREREQFUNC_ABORT;
  }
  r->t_sent = crawl_now();
  if (f && f->o.on_sent)
    f->o.on_sent(f->o.sent_ud, r);
  return CURL_PREREQFUNC_OK;
}

/* The address curl is about to connect to, whatever name or --resolve
 * led there: refused when it is not public. */
static curl_socket_t open_socket(void *ud, curlsocktype purpose,
                                 struct curl_sockaddr *addr)
{
  struct fetch_req *r = ud;

  if (purpose == CURLSOCKTYPE_IPCXN && fetch_address_is_private(&addr->addr)) {
    r->refused = 1;
    return CURL_SOCKET_BAD;
  }
  return socket(addr->family, addr->socktype, addr->protocol);
}

/* ---- responses ------------------------------------------------------------ */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  struct fetch_req *r = ud;
  size_t len = size * n;

  if (r->truncate && r->body.len + len > r->body.max) {
    /* keep what fits, end the transfer, and call it whole */
    size_t room = r->body.max - r->body.len;
    if (room && wn_buf_add(&r->body, p, room) != WN_OK)
      r->too_large = 1;
    r->truncated = 1;
    return 0;
  }
  if (wn_buf_add(&r->body, p, len) != WN_OK) {
    r->too_large = 1;
    return 0; /* abort the transfer */
  }
  return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
  size_t n = strlen(name), i = n + 1, end = len;
  char *v;

  if (len <= n || wn_ascii_ncasecmp(line, name, n) != 0 || line[n] != ':')
    return NULL;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  while (end > i && (line[end - 1] == '\r' || line[end - 1] == '\n' ||
                     line[end - 1] == ' ' || line[end - 1] == '\t'))
    end--;
  if (end - i > 4096)
    end = i + 4096;
  v = malloc(end - i + 1);
  if (!v)
    return NULL;
  memcpy(v, line + i, end - i);
  v[end - i] = '\0';
  return v;
}

static void set_header(char **slot, char *v)
{
  if (!v)
    return;
  free(*slot);
  *slot = v;
}

/* Forget the response headers kept so far. */
static void headers_clear(struct fetch_req *r)
{
  free(r->content_type);
  free(r->location);
  free(r->etag);
  free(r->last_modified);
  free(r->retry_after);
  free(r->x_robots_tag);
  r->content_type = r->location = r->etag = r->last_modified = NULL;
  r->retry_after = r->x_robots_tag = NULL;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
  struct fetch_req *r = ud;
  size_t len = size * n;

  /* A new status line (after 1xx, or a redirect followed by curl) starts
   * the headers again. */
  if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
    headers_clear(r);
    return len;
  }
  set_header(&r->content_type, header_value(p, len, "content-type"));
  set_header(&r->location, header_value(p, len, "location"));
  set_header(&r->etag, header_value(p, len, "etag"));
  set_header(&r->last_modified, header_value(p, len, "last-modified"));
  set_header(&r->retry_after, header_value(p, len, "retry-after"));
  {
    char *x = header_value(p, len, "x-robots-tag");
    if (x && r->x_robots_tag) {
      /* several X-Robots-Tag headers: keep them all */
      size_t a = strlen(r->x_robots_tag), b = strlen(x);
      char *j = a + b < 8192 ? malloc(a + b + 3) : NULL;
      if (j) {
        memcpy(j, r->x_robots_tag, a);
        memcpy(j + a, ", ", 2);
        memcpy(j + a + 2, x, b + 1);
        set_header(&r->x_robots_tag, j);
      }
      free(x);
    } else {
      set_header(&r->x_robots_tag, x);
    }
  }
  return len;
}

static int parse_port(const char *s, size_t len, long *out)
{
  long v = 0;
  size_t i;

  if (len == 0 || len > 5)
    return 0;
  for (i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return v > 0 && v < 65536;
}

/* --resolve entries that match the URL's host give curl its address. */
static wn_result add_resolve(struct fetch *f, struct fetch_req *r,
                             const char *host, int port)
{
  size_t k;

  for (k = 0; k < f->o.n_resolve; k++) {
    const char *e = f->o.resolve[k], *c1 = strchr(e, ':'), *c2;
    char line[600];
    size_t hl;
    long eport;

    if (!c1)
      continue;
    c2 = strchr(c1 + 1, ':');
    if (!c2 || !parse_port(c1 + 1, (size_t)(c2 - c1 - 1), &eport) ||
        eport != port)
      continue;
    hl = (size_t)(c1 - e);
    if (!(hl == 1 && e[0] == '*') &&
        !(hl > 2 && e[0] == '*' && e[1] == '.' && strlen(host) > hl - 1 &&
          wn_ascii_ncasecmp(host + strlen(host) - (hl - 1), e + 1, hl - 1) ==
              0) &&
        !(strlen(host) == hl && wn_ascii_ncasecmp(host, e, hl) == 0))
      continue;
    if (snprintf(line, sizeof(line), "%s:%d:%s", host, port, c2 + 1) >=
        (int)sizeof(line))
      continue;
    r->resolve = curl_slist_append(r->resolve, line);
    return r->resolve ? WN_OK : WN_E_NOMEM;
  }
  return WN_OK;
}

wn_result fetch_start(struct fetch *f, struct fetch_req *r)
{
  CURL *e = curl_easy_init();
  struct wn_url u;
  char hdr[4200];
  wn_result rc;

  if (!e)
    return WN_E_NOMEM;
  r->easy = e;
  r->status = 0;
  r->resend_refused = 0;
  r->curl_code = 0;
  r->error[0] = '\0';
  r->refused = 0;
  r->too_large = 0;
  r->truncated = 0;
  wn_buf_init(&r->body, r->max_size ? r->max_size : f->o.max_size);
  if (wn_url_parse(r->url, &u) != WN_OK)
    return WN_E_PARSE;
  rc = add_resolve(f, r, u.host, u.port >= 0 ? u.port
                                             : wn_url_default_port(u.scheme));
  wn_url_free(&u);
  if (rc != WN_OK)
    return rc;
  if (r->if_none_match &&
      snprintf(hdr, sizeof(hdr), "If-None-Match: %s", r->if_none_match) <
          (int)sizeof(hdr))
    r->headers = curl_slist_append(r->headers, hdr);
  if (r->if_modified_since &&
      snprintf(hdr, sizeof(hdr), "If-Modified-Since: %s",
               r->if_modified_since) < (int)sizeof(hdr))
    r->headers = curl_slist_append(r->headers, hdr);
  curl_easy_setopt(e, CURLOPT_URL, r->url);
  curl_easy_setopt(e, CURLOPT_PRIVATE, r);
  curl_easy_setopt(e, CURLOPT_USERAGENT, f->o.user_agent);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(f->o.timeout * 1000));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(f->o.connect_timeout * 1000));
  /* a server that trickles: under 100 bytes/s for 15 s ends the transfer */
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 100L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 15L);
  if (!r->truncate)
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_size);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  r->owner = f;
  r->t_sent = 0;
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, on_prereq);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, r);
  if (r->fresh_connect)
    curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
  if (!f->o.allow_private) {
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
  }
  if (r->headers)
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
  if (r->resolve)
    curl_easy_setopt(e, CURLOPT_RESOLVE, r->resolve);
  if (r->head_only)
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  r->t_start = crawl_now();
  if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
    return WN_E_NET;
  link_req(f, r);
  return WN_OK;
}

wn_result fetch_poll(struct fetch *f, int timeout_ms)
{
  int numfds = 0;

  if (curl_multi_perform(f->multi, &f->running) != CURLM_OK)
    return WN_E_NET;
  if (timeout_ms > 0 &&
      curl_multi_poll(f->multi, NULL, 0, timeout_ms, &numfds) != CURLM_OK)
    return WN_E_NET;
  if (curl_multi_perform(f->multi, &f->running) != CURLM_OK)
    return WN_E_NET;
  return WN_OK;
}

void fetch_wakeup(struct fetch *f)
{
  if (f)
    curl_multi_wakeup(f->multi);
}

struct fetch_req *fetch_next_done(struct fetch *f)
{
  CURLMsg *m;
  int left;

  while ((m = curl_multi_info_read(f->multi, &left))) {
    struct fetch_req *r = NULL;
    long code = 0;

    if (m->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
    curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
    r->status = (int)code;
    r->curl_code = (int)m->data.result;
    r->t_total = crawl_now() - r->t_start;
    if (r->t_sent == 0) /* never sent (no connection) */
      r->t_sent = r->t_start;
    if (r->truncated && !r->too_large &&
        m->data.result == CURLE_WRITE_ERROR) {
      r->curl_code = 0; /* cut on purpose: what was kept is the answer */
      r->error[0] = '\0';
    }
    if (r->resend_refused) {
      r->curl_code = CURLE_RECV_ERROR;
      snprintf(r->error, sizeof(r->error),
               "connection closed before any answer");
    }
    if (r->curl_code && !r->error[0])
      snprintf(r->error, sizeof(r->error), "%s",
               curl_easy_strerror(m->data.result));
    if (r->too_large || m->data.result == CURLE_FILESIZE_EXCEEDED) {
      r->too_large = 1;
      snprintf(r->error, sizeof(r->error), "body over %zu bytes",
               f->o.max_size);
    }
    if (r->refused)
      snprintf(r->error, sizeof(r->error),
               "refused: the host resolves to a private or local address "
               "(--allow-private permits it)");
    curl_multi_remove_handle(f->multi, m->easy_handle);
    curl_easy_cleanup(m->easy_handle);
    r->easy = NULL;
    unlink_req(f, r);
    return r;
  }
  return NULL;
}

void fetch_req_clear(struct fetch_req *r)
{
  if (r->easy)
    curl_easy_cleanup(r->easy);
  wn_buf_free(&r->body);
  headers_clear(r);
  curl_slist_free_all(r->headers);
  curl_slist_free_all(r->resolve);
  r->headers = r->resolve = NULL;
  r->easy = NULL;
}
