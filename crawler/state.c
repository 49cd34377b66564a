/* The crawl state: one SQLite file in WAL mode, locked by one crawl at a
 * time. */
#include "crawler/crawler_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCHEMA_VERSION 2 /* 2: urls.body_hash */
#define SCHEMA_STR "2"

enum {
  Q_MARK_LOADED,
  Q_URL_ADD,
  Q_NEXT_URLS,
  Q_DUE_ORIGINS,
  Q_URL_FINISH,
  Q_HOST_GET,
  Q_HOST_PUT,
  Q_SEEN_GET,
  Q_SEEN_PUT,
  Q_META_GET,
  Q_META_PUT,
  Q_TPL_GET,
  Q_TPL_PUT,
  Q_COUNT_QUEUED,
  Q_URL_UNLOAD,
  Q__COUNT
};

static const char *const sql[Q__COUNT] = {
    [Q_URL_ADD] =
        "INSERT OR IGNORE INTO urls(url, origin, depth, referrer, first_url, "
        "redirects, kind, state, due_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?8, "
        "0, ?7)",
    [Q_NEXT_URLS] =
        "SELECT id, url, origin, referrer, first_url, depth, tries, "
        "redirects, etag, last_modified, kind, body_hash, fingerprint FROM "
        "urls WHERE "
        "origin = ?1 AND "
        "state = 0 AND due_at <= ?2 ORDER BY depth, id LIMIT ?3",
    [Q_MARK_LOADED] = "UPDATE urls SET state = 4 WHERE id = ?1",
    [Q_DUE_ORIGINS] = "SELECT origin, MIN(due_at) FROM urls WHERE state = 0 "
                      "GROUP BY origin ORDER BY MIN(due_at) LIMIT ?1",
    [Q_URL_FINISH] =
        "UPDATE urls SET state = ?2, due_at = ?3, tries = tries + 1, "
        "status = ?4, etag = COALESCE(?5, etag), last_modified = "
        "COALESCE(?6, last_modified), content_type = ?7, final_url = ?8, "
        "fingerprint = COALESCE(?9, fingerprint), error = ?10, fetched_at = "
        "COALESCE(?11, fetched_at), body_hash = COALESCE(?12, body_hash) "
        "WHERE id = ?1",
    [Q_HOST_GET] = "SELECT next_at, delay, errors, robots, robots_status, "
                   "robots_fetched_at FROM hosts WHERE origin = ?1",
    [Q_HOST_PUT] = "INSERT INTO hosts(origin, next_at, delay, errors, "
                   "robots, robots_status, robots_fetched_at) "
                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(origin) "
                   "DO UPDATE SET next_at = excluded.next_at, delay = "
                   "excluded.delay, errors = excluded.errors, robots = "
                   "COALESCE(excluded.robots, robots), robots_status = "
                   "excluded.robots_status, robots_fetched_at = "
                   "excluded.robots_fetched_at",
    [Q_SEEN_GET] = "SELECT url FROM seen WHERE key = ?1",
    [Q_SEEN_PUT] = "INSERT OR IGNORE INTO seen(key, url) VALUES(?1, ?2)",
    [Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [Q_META_PUT] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
    [Q_TPL_GET] = "SELECT blob FROM templates WHERE origin = ?1",
    [Q_TPL_PUT] = "INSERT OR REPLACE INTO templates(origin, blob) "
                  "VALUES(?1, ?2)",
    [Q_COUNT_QUEUED] = "SELECT COUNT(*) FROM urls WHERE state = 0",
    [Q_URL_UNLOAD] = "UPDATE urls SET state = 0 WHERE id = ?1 AND state = 4",
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS urls("
    " id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, origin TEXT NOT NULL,"
    " depth INTEGER NOT NULL, referrer TEXT, first_url TEXT,"
    " redirects INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL DEFAULT 0,"
    " state INTEGER NOT NULL,"
    " due_at REAL NOT NULL, tries INTEGER NOT NULL DEFAULT 0, status INTEGER,"
    " etag TEXT, last_modified TEXT, content_type TEXT, final_url TEXT,"
    " fingerprint TEXT, error TEXT, fetched_at REAL, body_hash TEXT);"
    "CREATE INDEX IF NOT EXISTS urls_due ON urls(state, origin, due_at);"
    "CREATE TABLE IF NOT EXISTS hosts(origin TEXT PRIMARY KEY,"
    " next_at REAL NOT NULL, delay REAL NOT NULL, errors INTEGER NOT NULL,"
    " robots BLOB, robots_status INTEGER NOT NULL, robots_fetched_at REAL);"
    "CREATE TABLE IF NOT EXISTS seen(key TEXT PRIMARY KEY, url TEXT);"
    "CREATE TABLE IF NOT EXISTS templates(origin TEXT PRIMARY KEY, blob BLOB);";

struct crawl_state {
  sqlite3 *db;
  sqlite3_stmt *q[Q__COUNT];
  int lock_fd;
  int in_tx;
};

void state_url_clear(struct state_url *u)
{
  free(u->url);
  free(u->origin);
  free(u->referrer);
  free(u->first_url);
  free(u->etag);
  free(u->last_modified);
  free(u->body_hash);
  free(u->fingerprint);
  memset(u, 0, sizeof(*u));
}

void state_host_clear(struct state_host *h)
{
  free(h->origin);
  free(h->robots);
  memset(h, 0, sizeof(*h));
}

const char *state_errmsg(struct crawl_state *s)
{
  return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

static wn_result exec(struct crawl_state *s, const char *q)
{
  return sqlite3_exec(s->db, q, NULL, NULL, NULL) == SQLITE_OK ? WN_OK
                                                               : WN_E_IO;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
  const unsigned char *t = sqlite3_column_text(st, col);

  return t ? strdup((const char *)t) : NULL;
}

static wn_result bind_text(sqlite3_stmt *st, int i, const char *v)
{
  int rc = v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT)
             : sqlite3_bind_null(st, i);
  return rc == SQLITE_OK ? WN_OK : WN_E_IO;
}

/* The state's path with symbolic links resolved, so that two names of one
 * file share one lock: realpath of the file, or of its folder when the
 * file does not exist yet. */
static int resolved_path(const char *path, char *out, size_t size)
{
  char dir[PATH_MAX], real[PATH_MAX];
  const char *slash, *base;
  size_t n;

  if (realpath(path, real))
    return snprintf(out, size, "%s", real) < (int)size;
  slash = strrchr(path, '/');
  base = slash ? slash + 1 : path;
  n = slash ? (size_t)(slash - path) : 0;
  if (n == 0 && slash)
    n = 1; /* "/name" */
  if (n >= sizeof(dir))
    return 0;
  memcpy(dir, slash ? path : ".", slash ? n : 1);
  dir[slash ? n : 1] = '\0';
  if (!realpath(dir, real))
    return 0;
  return snprintf(out, size, "%s/%s", strcmp(real, "/") ? real : "", base) <
         (int)size;
}

/* The lock: flock on a file beside the state, held for the process's
 * life (released by the kernel when the process dies, kill -9 included). */
static wn_result take_lock(struct crawl_state *s, const char *path,
                           struct wn_error *err)
{
  char real[PATH_MAX], lock[PATH_MAX + 8];

  if (!resolved_path(path, real, sizeof(real)) ||
      snprintf(lock, sizeof(lock), "%s.lock", real) >= (int)sizeof(lock)) {
    wn_error_set(err, "cannot use %s as the state: %s", path,
                 errno ? strerror(errno) : "path too long");
    return WN_E_IO;
  }
  s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (s->lock_fd < 0) {
    wn_error_set(err, "cannot open %s: %s", lock, strerror(errno));
    return WN_E_IO;
  }
  if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    wn_error_set(err,
                 "%s is in use by another crawl (lock %s held); wait for it "
                 "or use another --state",
                 path, lock);
    return WN_E_DENIED;
  }
  return WN_OK;
}

/* Before anything is written: the file must be empty, new, or a winnow
 * state. Another program's SQLite database is left untouched. */
static wn_result check_foreign(struct crawl_state *s, const char *path,
                               struct wn_error *err)
{
  sqlite3_stmt *st = NULL;
  int tables = 0, ours = 0, rc;

  rc = sqlite3_prepare_v2(s->db,
                          "SELECT name FROM sqlite_master WHERE type = 'table'",
                          -1, &st, NULL);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *name = (const char *)sqlite3_column_text(st, 0);
      tables++;
      if (name && strcmp(name, "meta") == 0)
        ours = 1;
    }
    sqlite3_finalize(st);
  }
  if (rc != SQLITE_DONE) {
    wn_error_set(err, "%s is not a usable state file: %s", path,
                 state_errmsg(s));
    return WN_E_PARSE;
  }
  if (tables && ours) {
    ours = 0;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT value FROM meta WHERE key = 'schema'", -1,
                            &st, NULL);
    if (rc == SQLITE_OK) {
      ours = sqlite3_step(st) == SQLITE_ROW;
      sqlite3_finalize(st);
    }
  }
  if (tables && !ours) {
    wn_error_set(err,
                 "%s is not a winnow state file (a SQLite database of "
                 "something else); it was left as it is",
                 path);
    return WN_E_PARSE;
  }
  return WN_OK;
}

wn_result state_open(const char *path, struct crawl_state **out,
                     struct wn_error *err)
{
  struct crawl_state *s = calloc(1, sizeof(*s));
  sqlite3_stmt *st = NULL;
  wn_result rc;
  int k, version = 0;

  if (!s)
    return WN_E_NOMEM;
  s->lock_fd = -1;
  rc = take_lock(s, path, err);
  if (rc != WN_OK)
    goto fail;
  rc = WN_E_IO;
  if (sqlite3_open_v2(path, &s->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                          SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    wn_error_set(err, "cannot open %s: %s", path, state_errmsg(s));
    goto fail;
  }
  sqlite3_busy_timeout(s->db, 5000);
  /* A file that is not a database fails here, on its first read. */
  if ((rc = check_foreign(s, path, err)) != WN_OK)
    goto fail;
  rc = WN_E_IO;
  /* The tables and the version row in one transaction: a crash while a
   * new state is made leaves nothing half made. */
  if (sqlite3_exec(s->db,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                   "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536;",
                   NULL, NULL, NULL) != SQLITE_OK ||
      exec(s, "BEGIN IMMEDIATE") != WN_OK || exec(s, schema) != WN_OK ||
      exec(s, "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', "
              SCHEMA_STR ")") != WN_OK ||
      exec(s, "COMMIT") != WN_OK) {
    wn_error_set(err, "%s is not a usable state file: %s", path,
                 state_errmsg(s));
    rc = WN_E_PARSE;
    goto fail;
  }
  /* Schema version: refuse a state written by a newer winnow, bring an
   * older one up to date. */
  if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'schema'",
                         -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  st = NULL;
  if (version > SCHEMA_VERSION) {
    wn_error_set(err, "%s was written by a newer winnow (schema %d)", path,
                 version);
    rc = WN_E_PARSE;
    goto fail;
  }
  if (version < 2 &&
      (exec(s, "BEGIN IMMEDIATE") != WN_OK ||
       exec(s, "ALTER TABLE urls ADD COLUMN body_hash TEXT") != WN_OK ||
       exec(s, "UPDATE meta SET value = " SCHEMA_STR " WHERE key = 'schema'") !=
           WN_OK ||
       exec(s, "COMMIT") != WN_OK)) {
    wn_error_set(err, "cannot update %s: %s", path, state_errmsg(s));
    rc = WN_E_PARSE;
    goto fail;
  }
  for (k = 0; k < Q__COUNT; k++)
    if (sqlite3_prepare_v3(s->db, sql[k], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->q[k], NULL) != SQLITE_OK) {
      wn_error_set(err, "%s is not a usable state file: %s", path,
                   state_errmsg(s));
      rc = WN_E_PARSE;
      goto fail;
    }
  /* URLs loaded by a crawl that died were never finished. */
  if (exec(s, "UPDATE urls SET state = 0 WHERE state = 4") != WN_OK) {
    wn_error_set(err, "cannot write %s: %s", path, state_errmsg(s));
    goto fail;
  }
  *out = s;
  return WN_OK;
fail:
  state_close(s);
  return rc;
}

void state_close(struct crawl_state *s)
{
  int k;

  if (!s)
    return;
  for (k = 0; k < Q__COUNT; k++)
    sqlite3_finalize(s->q[k]);
  if (s->db)
    sqlite3_close(s->db);
  if (s->lock_fd >= 0)
    close(s->lock_fd); /* releases the flock */
  free(s);
}

wn_result state_begin(struct crawl_state *s)
{
  if (s->in_tx)
    return WN_OK;
  if (exec(s, "BEGIN IMMEDIATE") != WN_OK)
    return WN_E_IO;
  s->in_tx = 1;
  return WN_OK;
}

wn_result state_commit(struct crawl_state *s)
{
  if (!s->in_tx)
    return WN_OK;
  s->in_tx = 0;
  return exec(s, "COMMIT");
}

wn_result state_rollback(struct crawl_state *s)
{
  if (!s->in_tx)
    return WN_OK;
  s->in_tx = 0;
  return exec(s, "ROLLBACK");
}

/* Run a prepared statement that returns no rows, then reset it. */
static wn_result step_done(sqlite3_stmt *st)
{
  int rc = sqlite3_step(st);

  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? WN_OK : WN_E_IO;
}

wn_result state_url_add(struct crawl_state *s, const char *url,
                        const char *origin, int depth, const char *referrer,
                        const char *first_url, int redirects, int kind,
                        double due_at, int *added)
{
  sqlite3_stmt *st = s->q[Q_URL_ADD];
  wn_result rc;

  if (bind_text(st, 1, url) || bind_text(st, 2, origin) ||
      sqlite3_bind_int(st, 3, depth) != SQLITE_OK ||
      bind_text(st, 4, referrer) || bind_text(st, 5, first_url) ||
      sqlite3_bind_int(st, 6, redirects) != SQLITE_OK ||
      sqlite3_bind_double(st, 7, due_at) != SQLITE_OK ||
      sqlite3_bind_int(st, 8, kind) != SQLITE_OK) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  rc = step_done(st);
  if (rc == WN_OK && added)
    *added = sqlite3_changes(s->db) > 0;
  return rc;
}

wn_result state_requeue_older(struct crawl_state *s, double before,
                              int64_t *n)
{
  sqlite3_stmt *st;
  wn_result rc = WN_E_IO;

  if (sqlite3_prepare_v2(s->db,
                         "UPDATE urls SET state = 0, due_at = 0, tries = 0 "
                         "WHERE state = 1 AND fetched_at IS NOT NULL AND "
                         "fetched_at < ?1",
                         -1, &st, NULL) != SQLITE_OK)
    return WN_E_IO;
  sqlite3_bind_double(st, 1, before);
  if (sqlite3_step(st) == SQLITE_DONE) {
    rc = WN_OK;
    *n = sqlite3_changes(s->db);
  }
  sqlite3_finalize(st);
  return rc;
}

wn_result state_requeue_failed(struct crawl_state *s, int64_t *n)
{
  sqlite3_stmt *st;
  wn_result rc = WN_E_IO;

  if (sqlite3_prepare_v2(s->db,
                         "UPDATE urls SET state = 0, due_at = 0, tries = 0 "
                         "WHERE state = 2",
                         -1, &st, NULL) != SQLITE_OK)
    return WN_E_IO;
  if (sqlite3_step(st) == SQLITE_DONE) {
    rc = WN_OK;
    *n = sqlite3_changes(s->db);
  }
  sqlite3_finalize(st);
  return rc;
}

wn_result state_next_urls(struct crawl_state *s, const char *origin, double now,
                          struct state_url *v, size_t max, size_t *n)
{
  sqlite3_stmt *st = s->q[Q_NEXT_URLS];
  size_t k;
  int rc;

  *n = 0;
  if (bind_text(st, 1, origin) || sqlite3_bind_double(st, 2, now) ||
      sqlite3_bind_int64(st, 3, (sqlite3_int64)max)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
    struct state_url *u = &v[*n];

    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(st, 0);
    u->url = dup_col(st, 1);
    u->origin = dup_col(st, 2);
    u->referrer = dup_col(st, 3);
    u->first_url = dup_col(st, 4);
    u->depth = sqlite3_column_int(st, 5);
    u->tries = sqlite3_column_int(st, 6);
    u->redirects = sqlite3_column_int(st, 7);
    u->etag = dup_col(st, 8);
    u->last_modified = dup_col(st, 9);
    u->kind = sqlite3_column_int(st, 10);
    u->body_hash = dup_col(st, 11);
    u->fingerprint = dup_col(st, 12);
    if (!u->url || !u->origin) {
      state_url_clear(u);
      sqlite3_reset(st);
      return WN_E_NOMEM;
    }
    (*n)++;
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return WN_E_IO;
  /* Loaded URLs leave the queue (a crash puts them back: state_open). */
  for (k = 0; k < *n; k++) {
    sqlite3_stmt *m = s->q[Q_MARK_LOADED];
    sqlite3_bind_int64(m, 1, v[k].id);
    if (step_done(m) != WN_OK)
      return WN_E_IO;
  }
  return WN_OK;
}

wn_result state_due_origins(struct crawl_state *s, double now, size_t max,
                            state_origin_cb cb, void *ud)
{
  sqlite3_stmt *st = s->q[Q_DUE_ORIGINS];
  int rc;

  (void)now;
  sqlite3_bind_int64(st, 1, (sqlite3_int64)max);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *o = sqlite3_column_text(st, 0);
    if (o)
      cb(ud, (const char *)o, sqlite3_column_double(st, 1));
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? WN_OK : WN_E_IO;
}

wn_result state_count_queued(struct crawl_state *s, int64_t *n)
{
  sqlite3_stmt *st = s->q[Q_COUNT_QUEUED];
  int rc = sqlite3_step(st);

  *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return rc == SQLITE_ROW ? WN_OK : WN_E_IO;
}

wn_result state_fail_origin(struct crawl_state *s, const char *origin,
                            const char *error, int64_t *n)
{
  sqlite3_stmt *st = NULL;
  wn_result rc = WN_E_IO;

  *n = 0;
  if (sqlite3_prepare_v2(s->db,
                         "UPDATE urls SET state = 2, error = ?2 WHERE origin "
                         "= ?1 AND state IN (0, 4)",
                         -1, &st, NULL) == SQLITE_OK &&
      bind_text(st, 1, origin) == WN_OK && bind_text(st, 2, error) == WN_OK &&
      sqlite3_step(st) == SQLITE_DONE) {
    *n = sqlite3_changes(s->db);
    rc = WN_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

wn_result state_url_unload(struct crawl_state *s, int64_t id)
{
  sqlite3_stmt *st = s->q[Q_URL_UNLOAD];

  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  return step_done(st);
}

wn_result state_url_finish(struct crawl_state *s, int64_t id,
                           const struct state_result *r)
{
  sqlite3_stmt *st = s->q[Q_URL_FINISH];

  if (sqlite3_bind_int64(st, 1, id) || sqlite3_bind_int(st, 2, r->state) ||
      sqlite3_bind_double(st, 3, r->due_at) ||
      (r->status ? sqlite3_bind_int(st, 4, r->status)
                 : sqlite3_bind_null(st, 4)) ||
      bind_text(st, 5, r->etag) || bind_text(st, 6, r->last_modified) ||
      bind_text(st, 7, r->content_type) || bind_text(st, 8, r->final_url) ||
      bind_text(st, 9, r->fingerprint) || bind_text(st, 10, r->error) ||
      (r->fetched_at > 0 ? sqlite3_bind_double(st, 11, r->fetched_at)
                         : sqlite3_bind_null(st, 11)) ||
      bind_text(st, 12, r->body_hash)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  return step_done(st);
}

wn_result state_host_get(struct crawl_state *s, const char *origin,
                         struct state_host *h, int *found)
{
  sqlite3_stmt *st = s->q[Q_HOST_GET];
  int rc;

  *found = 0;
  memset(h, 0, sizeof(*h));
  if (bind_text(st, 1, origin)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const void *b = sqlite3_column_blob(st, 3);
    int blen = sqlite3_column_bytes(st, 3);

    h->origin = strdup(origin);
    h->next_at = sqlite3_column_double(st, 0);
    h->delay = sqlite3_column_double(st, 1);
    h->errors = sqlite3_column_int(st, 2);
    if (b && blen >= 0) {
      h->robots = malloc((size_t)blen + 1);
      if (h->robots) {
        memcpy(h->robots, b, (size_t)blen);
        h->robots[blen] = '\0';
        h->robots_len = (size_t)blen;
      }
    }
    h->robots_status = sqlite3_column_int(st, 4);
    h->robots_fetched_at = sqlite3_column_double(st, 5);
    *found = 1;
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (*found && !h->origin)
    return WN_E_NOMEM;
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? WN_OK : WN_E_IO;
}

wn_result state_host_put(struct crawl_state *s, const struct state_host *h)
{
  sqlite3_stmt *st = s->q[Q_HOST_PUT];

  if (bind_text(st, 1, h->origin) || sqlite3_bind_double(st, 2, h->next_at) ||
      sqlite3_bind_double(st, 3, h->delay) ||
      sqlite3_bind_int(st, 4, h->errors) ||
      (h->robots ? sqlite3_bind_blob(st, 5, h->robots, (int)h->robots_len,
                                     SQLITE_TRANSIENT)
                 : sqlite3_bind_null(st, 5)) ||
      sqlite3_bind_int(st, 6, h->robots_status) ||
      sqlite3_bind_double(st, 7, h->robots_fetched_at)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  return step_done(st);
}

wn_result state_seen_key(struct crawl_state *s, const char *key,
                         const char *url, int *seen)
{
  sqlite3_stmt *st = s->q[Q_SEEN_GET];
  int rc;

  *seen = 0;
  if (bind_text(st, 1, key)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const unsigned char *owner = sqlite3_column_text(st, 0);
    /* 1: another URL holds the key; 2: this URL did (a recrawl) */
    *seen = owner && strcmp((const char *)owner, url) == 0 ? 2 : 1;
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return WN_E_IO;
  if (*seen)
    return WN_OK;
  st = s->q[Q_SEEN_PUT];
  if (bind_text(st, 1, key) || bind_text(st, 2, url)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  return step_done(st);
}

static wn_result meta_put(struct crawl_state *s, const char *key,
                          int64_t value)
{
  sqlite3_stmt *st = s->q[Q_META_PUT];

  if (bind_text(st, 1, key) || sqlite3_bind_int64(st, 2, value)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  return step_done(st);
}

wn_result state_out_size(struct crawl_state *s, const char *out_key,
                         int64_t *size)
{
  sqlite3_stmt *st = s->q[Q_META_GET];
  char key[4200];
  int rc;

  snprintf(key, sizeof(key), "out:%s", out_key);
  *size = -1;
  if (bind_text(st, 1, key)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW)
    *size = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? WN_OK : WN_E_IO;
}

wn_result state_out_ack(struct crawl_state *s, const char *out_key,
                        int64_t size)
{
  char key[4200];

  snprintf(key, sizeof(key), "out:%s", out_key);
  return meta_put(s, key, size);
}

wn_result state_templates_get(struct crawl_state *s, const char *origin,
                              char **blob, size_t *len)
{
  sqlite3_stmt *st = s->q[Q_TPL_GET];
  int rc;

  *blob = NULL;
  *len = 0;
  if (bind_text(st, 1, origin)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const void *b = sqlite3_column_blob(st, 0);
    int n = sqlite3_column_bytes(st, 0);
    if (b && n > 0) {
      *blob = malloc((size_t)n);
      if (*blob) {
        memcpy(*blob, b, (size_t)n);
        *len = (size_t)n;
      }
    }
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? WN_OK : WN_E_IO;
}

wn_result state_templates_put(struct crawl_state *s, const char *origin,
                              const char *blob, size_t len)
{
  sqlite3_stmt *st = s->q[Q_TPL_PUT];

  if (bind_text(st, 1, origin) ||
      sqlite3_bind_blob(st, 2, blob, (int)len, SQLITE_TRANSIENT)) {
    sqlite3_reset(st);
    return WN_E_IO;
  }
  return step_done(st);
}
