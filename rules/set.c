/* Rule sets: the files loaded, the built-in ones, and host lookup. */
#include "rules/rules_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

wn_result rules_site_parse(const char *name, const char *dir, const char *text,
                           size_t len, rules_error_cb cb, void *ud,
                           struct rules_site **out);

struct rules_set {
  struct rules_site **sites; /* host rules, load order */
  size_t n_sites, cap_sites;
  struct rules_site **generic;
  size_t n_generic, cap_generic;
};

struct rules_set *rules_set_new(void)
{
  return calloc(1, sizeof(struct rules_set));
}

void rules_set_free(struct rules_set *rs)
{
  size_t k;

  if (!rs)
    return;
  for (k = 0; k < rs->n_sites; k++)
    rules_site_free(rs->sites[k]);
  for (k = 0; k < rs->n_generic; k++)
    rules_site_free(rs->generic[k]);
  free(rs->sites);
  free(rs->generic);
  free(rs);
}

static wn_result push(struct rules_site ***v, size_t *n, size_t *cap,
                      struct rules_site *s)
{
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 16;
    struct rules_site **nv = realloc(*v, c * sizeof(*nv));
    if (!nv)
      return WN_E_NOMEM;
    *v = nv;
    *cap = c;
  }
  (*v)[(*n)++] = s;
  return WN_OK;
}

wn_result rules_set_load_text(struct rules_set *rs, const char *name,
                              const char *dir, const char *text, size_t len,
                              rules_error_cb err_cb, void *ud)
{
  struct rules_site *s = NULL;
  wn_result rc = rules_site_parse(name, dir, text, len, err_cb, ud, &s);

  if (rc != WN_OK)
    return rc;
  rc = s->generic ? push(&rs->generic, &rs->n_generic, &rs->cap_generic, s)
                  : push(&rs->sites, &rs->n_sites, &rs->cap_sites, s);
  if (rc != WN_OK)
    rules_site_free(s);
  return rc;
}

/* Read a whole file (capped) into a malloc'd buffer. */
static wn_result slurp(const char *path, char **out, size_t *len,
                       rules_error_cb cb, void *ud)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0;
  char msg[256];

  if (!f) {
    snprintf(msg, sizeof(msg), "cannot open: %s", strerror(errno));
    if (cb)
      cb(ud, path, 0, 0, msg);
    return WN_E_IO;
  }
  buf = malloc(RULES_MAX_FILE_BYTES + 2);
  if (!buf) {
    fclose(f);
    return WN_E_NOMEM;
  }
  n = fread(buf, 1, RULES_MAX_FILE_BYTES + 1, f);
  if (ferror(f)) {
    snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
    if (cb)
      cb(ud, path, 0, 0, msg);
    free(buf);
    fclose(f);
    return WN_E_IO;
  }
  fclose(f);
  if (n > RULES_MAX_FILE_BYTES) {
    snprintf(msg, sizeof(msg), "file too large (over %u bytes)",
             (unsigned)RULES_MAX_FILE_BYTES);
    if (cb)
      cb(ud, path, 0, 0, msg);
    free(buf);
    return WN_E_RULE;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return WN_OK;
}

static wn_result load_file(struct rules_set *rs, const char *path,
                           rules_error_cb cb, void *ud)
{
  char *text = NULL, *dir, *slash;
  size_t len = 0;
  wn_result rc = slurp(path, &text, &len, cb, ud);

  if (rc != WN_OK)
    return rc;
  dir = strdup(path);
  if (!dir) {
    free(text);
    return WN_E_NOMEM;
  }
  slash = strrchr(dir, '/');
  if (slash) {
    *slash = '\0';
  } else {
    dir[0] = '.'; /* path is not empty, so dir has room for ".\0" */
    dir[1] = '\0';
  }
  rc = rules_set_load_text(rs, path, dir, text, len, cb, ud);
  free(dir);
  free(text);
  return rc;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_json_name(const char *n)
{
  size_t len = strlen(n);

  return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".json") == 0;
}

wn_result rules_set_load_path(struct rules_set *rs, const char *path,
                              rules_error_cb err_cb, void *ud)
{
  struct stat st;
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0, k;
  wn_result rc = WN_OK, one;
  char msg[256];

  if (stat(path, &st) != 0) {
    snprintf(msg, sizeof(msg), "cannot open: %s", strerror(errno));
    if (err_cb)
      err_cb(ud, path, 0, 0, msg);
    return WN_E_IO;
  }
  if (!S_ISDIR(st.st_mode))
    return load_file(rs, path, err_cb, ud);
  d = opendir(path);
  if (!d) {
    snprintf(msg, sizeof(msg), "cannot open: %s", strerror(errno));
    if (err_cb)
      err_cb(ud, path, 0, 0, msg);
    return WN_E_IO;
  }
  while ((e = readdir(d))) {
    char *full;
    size_t len;

    if (!is_json_name(e->d_name))
      continue;
    if (n == cap) {
      size_t c = cap ? cap * 2 : 32;
      char **nv = realloc(names, c * sizeof(*nv));
      if (!nv) {
        rc = WN_E_NOMEM;
        goto out;
      }
      names = nv;
      cap = c;
    }
    len = strlen(path) + strlen(e->d_name) + 2;
    full = malloc(len);
    if (!full) {
      rc = WN_E_NOMEM;
      goto out;
    }
    snprintf(full, len, "%s/%s", path, e->d_name);
    names[n++] = full;
  }
  qsort(names, n, sizeof(*names), by_name);
  for (k = 0; k < n; k++) {
    one = load_file(rs, names[k], err_cb, ud);
    if (one == WN_E_NOMEM) {
      rc = one;
      goto out;
    }
    if (one != WN_OK)
      rc = WN_E_RULE;
  }
out:
  closedir(d);
  for (k = 0; k < n; k++)
    free(names[k]);
  free(names);
  return rc;
}

wn_result rules_set_load_builtin(struct rules_set *rs, rules_error_cb err_cb,
                                 void *ud)
{
  size_t k;
  wn_result rc = WN_OK, one;

  for (k = 0; k < rules_builtin_count; k++) {
    const struct rules_builtin_file *f = &rules_builtin_files[k];

    one = rules_set_load_text(rs, f->name, "rules/sites", (const char *)f->data,
                              f->len, err_cb, ud);
    if (one == WN_E_NOMEM)
      return one;
    if (one != WN_OK)
      rc = WN_E_RULE;
  }
  return rc;
}

/* host matches glob: "example.com" exactly, "*.example.com" any name
 * below it. */
static int host_matches(const char *glob, const char *host)
{
  if (strncmp(glob, "*.", 2) == 0) {
    size_t g = strlen(glob + 1), h = strlen(host);
    return h > g && wn_ascii_casecmp(host + h - g, glob + 1) == 0;
  }
  return wn_ascii_casecmp(glob, host) == 0;
}

const struct rules_site *rules_set_match_host(const struct rules_set *rs,
                                              const char *host)
{
  size_t k, j;

  if (!rs || !host)
    return NULL;
  for (k = rs->n_sites; k-- > 0;)
    for (j = 0; j < rs->sites[k]->n_hosts; j++)
      if (host_matches(rs->sites[k]->hosts[j], host))
        return rs->sites[k];
  return NULL;
}

size_t rules_set_generic_count(const struct rules_set *rs)
{
  return rs ? rs->n_generic : 0;
}

const struct rules_site *rules_set_generic_at(const struct rules_set *rs,
                                              size_t i)
{
  return rs && i < rs->n_generic ? rs->generic[i] : NULL;
}

size_t rules_set_count(const struct rules_set *rs)
{
  return rs ? rs->n_sites : 0;
}

const struct rules_site *rules_set_at(const struct rules_set *rs, size_t i)
{
  return rs && i < rs->n_sites ? rs->sites[i] : NULL;
}
