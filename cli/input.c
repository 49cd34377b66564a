/* Reading input files: plain or gzip, with a size cap. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (256u * 1024u)

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);

  return n >= m && wn_ascii_casecmp(s + n - m, suffix) == 0;
}

/* Read up to max+1 bytes of raw file data. */
static wn_result read_raw(int fd, size_t max, struct wn_buf *raw,
                          struct wn_error *err)
{
  wn_result rc;

  for (;;) {
    ssize_t got;

    if (raw->len > max)
      return WN_OK;
    rc = wn_buf_reserve(raw, CHUNK);
    if (rc != WN_OK) {
      wn_error_set(err, "%s", wn_strerror(rc));
      return rc;
    }
    got = read(fd, raw->data + raw->len, CHUNK);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      wn_error_set(err, "%s", strerror(errno));
      return WN_E_IO;
    }
    if (got == 0)
      return WN_OK;
    raw->len += (size_t)got;
    raw->data[raw->len] = '\0';
  }
}

/* Inflate gzip members from fd until max+1 bytes are out or input ends. */
static wn_result gunzip(int fd, const unsigned char *head, size_t head_len,
                        size_t max, struct wn_buf *out, int *truncated,
                        struct wn_error *err)
{
  unsigned char in[CHUNK];
  z_stream z;
  int zr = Z_OK, ended = 0;
  wn_result rc = WN_OK;

  memset(&z, 0, sizeof(z));
  if (inflateInit2(&z, 15 + 16) != Z_OK) {
    wn_error_set(err, "cannot start gzip decoder");
    return WN_E_NOMEM;
  }
  memcpy(in, head, head_len);
  z.next_in = in;
  z.avail_in = (uInt)head_len;
  for (;;) {
    if (z.avail_in == 0 && !ended) {
      ssize_t got = read(fd, in, sizeof(in));
      if (got < 0) {
        if (errno == EINTR)
          continue;
        wn_error_set(err, "%s", strerror(errno));
        rc = WN_E_IO;
        goto out;
      }
      if (got == 0)
        ended = 1;
      z.next_in = in;
      z.avail_in = (uInt)got;
    }
    if (z.avail_in == 0 && ended) {
      if (zr != Z_STREAM_END) {
        wn_error_set(err, "truncated gzip data");
        rc = WN_E_PARSE;
      }
      goto out;
    }
    if (zr == Z_STREAM_END) {
      /* Another member follows (concatenated gzip files). */
      if (inflateReset(&z) != Z_OK) {
        rc = WN_E_PARSE;
        goto out;
      }
    }
    rc = wn_buf_reserve(out, CHUNK);
    if (rc != WN_OK) {
      wn_error_set(err, "%s", wn_strerror(rc));
      goto out;
    }
    z.next_out = (unsigned char *)out->data + out->len;
    z.avail_out = CHUNK;
    zr = inflate(&z, Z_NO_FLUSH);
    out->len += CHUNK - z.avail_out;
    out->data[out->len] = '\0';
    if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
      wn_error_set(err, "corrupt gzip data (%s)", z.msg ? z.msg : "zlib");
      rc = WN_E_PARSE;
      goto out;
    }
    if (out->len > max) {
      /* Enough for a page: stop inflating (also ends gzip bombs). */
      out->len = max;
      out->data[max] = '\0';
      *truncated = 1;
      goto out;
    }
  }
out:
  inflateEnd(&z);
  return rc;
}

wn_result cli_input_read(const char *path, size_t max, struct wn_buf *out,
                         int *truncated, struct wn_error *err)
{
  unsigned char head[2];
  size_t head_len = 0;
  int fd = 0, is_stdin = strcmp(path, "-") == 0;
  struct stat st;
  wn_result rc = WN_OK;

  wn_error_clear(err);
  wn_buf_reset(out);
  *truncated = 0;
  if (!is_stdin) {
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      wn_error_set(err, "%s", strerror(errno));
      return WN_E_IO;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      wn_error_set(err, "is a directory");
      rc = WN_E_IO;
      goto out;
    }
  }
  /* Sniff the gzip magic from the first two bytes. */
  while (head_len < 2) {
    ssize_t got = read(fd, head + head_len, 2 - head_len);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      wn_error_set(err, "%s", strerror(errno));
      rc = WN_E_IO;
      goto out;
    }
    if (got == 0)
      break;
    head_len += (size_t)got;
  }
  if (head_len == 2 && head[0] == 0x1f && head[1] == 0x8b) {
    rc = gunzip(fd, head, head_len, max, out, truncated, err);
    goto out;
  }
  if (!is_stdin && ends_with(path, ".gz")) {
    wn_error_set(err, "not in gzip format");
    rc = WN_E_PARSE;
    goto out;
  }
  rc = wn_buf_add(out, head, head_len);
  if (rc == WN_OK)
    rc = read_raw(fd, max, out, err);
  if (rc == WN_OK && out->len > max) {
    out->len = max;
    out->data[max] = '\0';
    *truncated = 1;
  }
out:
  if (!is_stdin && fd >= 0)
    close(fd);
  if (rc != WN_OK)
    wn_buf_reset(out);
  return rc;
}
