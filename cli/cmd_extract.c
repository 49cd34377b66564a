/* winnow extract [--url URL] [--format json|text|markdown] [FILE ...] */
#include "cli/cli.h"
#include "output/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: winnow extract [options] [FILE ...]\n"
    "\n"
    "Extract the article of each HTML FILE (.html or .html.gz; '-' or none\n"
    "for stdin) and write one record per input to stdout, in input order.\n"
    "\n"
    "options:\n"
    "  --url URL         the URL of the FILE that follows (links are resolved\n"
    "                    against it); may be given before each FILE\n"
    "  --charset LABEL   the charset of the FILE that follows, as an HTTP\n"
    "                    Content-Type header would give it\n"
    "  --format FORMAT   json (default: one JSON record per line), text (the\n"
    "                    body text), markdown (the body as Markdown); text "
    "and\n"
    "                    markdown separate inputs by a line holding a form "
    "feed\n"
    "  -q, --quiet       no warnings on stderr\n"
    "  -h, --help        this help\n"
    "\n"
    "exit status: 0 every input gave a record; 1 some input could not be read\n"
    "(one line on stderr names each; the other records are still written);\n"
    "2 bad usage.\n";

enum format { FMT_JSON, FMT_TEXT, FMT_MARKDOWN };

struct job {
  const char *path;
  const char *url;
  const char *charset;
};

static int bad_usage(const char *what, const char *arg)
{
  fprintf(stderr, "winnow extract: %s%s\nTry 'winnow extract --help'.\n", what,
          arg);
  return CLI_EXIT_USAGE;
}

/* Write and empty buf; 0 on success. */
static int flush_out(struct wn_buf *buf)
{
  if (buf->len && fwrite(buf->data, 1, buf->len, stdout) != buf->len)
    return -1;
  wn_buf_reset(buf);
  return 0;
}

static wn_result render(enum format fmt, struct wn_buf *out,
                        const struct extract_record *rec, int index)
{
  wn_result rc = WN_OK;

  if (fmt != FMT_JSON && index > 0)
    rc = wn_buf_adds(out, "\f\n");
  if (rc != WN_OK)
    return rc;
  switch (fmt) {
  case FMT_TEXT:
    return output_text_append(out, rec);
  case FMT_MARKDOWN:
    return output_markdown_append(out, rec);
  case FMT_JSON:
  default:
    return output_jsonl_append(out, rec, NULL);
  }
}

static int run_jobs(const struct job *jobs, int n_jobs, enum format fmt)
{
  struct extract_ctx *ctx = extract_ctx_new();
  struct wn_buf in, out;
  int k, status = CLI_EXIT_OK, written = 0;

  wn_buf_init(&in, (size_t)WN_MAX_PAGE_BYTES + 1024 * 1024);
  wn_buf_init(&out, 16u * 1024u * 1024u * 4u);
  if (!ctx) {
    fprintf(stderr, "winnow extract: out of memory\n");
    return CLI_EXIT_SOME_FAILED;
  }
  for (k = 0; k < n_jobs; k++) {
    const char *name =
        strcmp(jobs[k].path, "-") == 0 ? "(stdin)" : jobs[k].path;
    struct extract_input input;
    const struct extract_record *rec;
    struct wn_error err;
    int truncated = 0;
    wn_result rc;

    rc = cli_input_read(jobs[k].path, WN_MAX_PAGE_BYTES, &in, &truncated, &err);
    if (rc != WN_OK) {
      fprintf(stderr, "winnow extract: %s: %s\n", name,
              err.message[0] ? err.message : wn_strerror(rc));
      status = CLI_EXIT_SOME_FAILED;
      continue;
    }
    memset(&input, 0, sizeof(input));
    input.html = in.data ? in.data : "";
    input.len = in.len;
    input.url = jobs[k].url;
    input.http_charset = jobs[k].charset;
    input.truncated = truncated;
    rc = extract_page_run(ctx, &input, NULL, &rec);
    if (rc == WN_OK)
      rc = render(fmt, &out, rec, written);
    if (rc != WN_OK) {
      fprintf(stderr, "winnow extract: %s: %s\n", name, wn_strerror(rc));
      wn_buf_reset(&out);
      status = CLI_EXIT_SOME_FAILED;
      continue;
    }
    if (rec->truncated && wn_log_get_level() >= WN_LOG_WARN)
      fprintf(stderr,
              "winnow extract: %s: page cut short (over %u bytes or nested "
              "too deep); the record covers its start\n",
              name, (unsigned)WN_MAX_PAGE_BYTES);
    written++;
    if (out.len >= 1024 * 1024 && flush_out(&out) != 0)
      break;
  }
  if (flush_out(&out) != 0 || fflush(stdout) != 0) {
    fprintf(stderr, "winnow extract: cannot write output\n");
    status = CLI_EXIT_SOME_FAILED;
  }
  wn_buf_free(&in);
  wn_buf_free(&out);
  extract_ctx_free(ctx);
  return status;
}

int cli_extract_main(int argc, char **argv)
{
  struct job *jobs;
  const char *url = NULL, *charset = NULL;
  enum format fmt = FMT_JSON;
  int i, n = 0, status, only_files = 0;

  jobs = calloc((size_t)argc + 1, sizeof(*jobs));
  if (!jobs) {
    fprintf(stderr, "winnow extract: out of memory\n");
    return CLI_EXIT_SOME_FAILED;
  }
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];

    if (!only_files && strcmp(a, "--") == 0) {
      only_files = 1;
    } else if (!only_files &&
               (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
      fputs(usage, stdout);
      free(jobs);
      return CLI_EXIT_OK;
    } else if (!only_files &&
               (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)) {
      wn_log_set_level(WN_LOG_ERROR);
    } else if (!only_files &&
               (strcmp(a, "--url") == 0 || strcmp(a, "--format") == 0 ||
                strcmp(a, "--charset") == 0)) {
      if (i + 1 >= argc) {
        free(jobs);
        return bad_usage("missing value for ", a);
      }
      if (strcmp(a, "--url") == 0) {
        url = argv[++i];
      } else if (strcmp(a, "--charset") == 0) {
        charset = argv[++i];
      } else {
        const char *f = argv[++i];
        if (strcmp(f, "json") == 0)
          fmt = FMT_JSON;
        else if (strcmp(f, "text") == 0)
          fmt = FMT_TEXT;
        else if (strcmp(f, "markdown") == 0)
          fmt = FMT_MARKDOWN;
        else {
          free(jobs);
          return bad_usage("unknown format (json, text or markdown): ", f);
        }
      }
    } else if (!only_files && a[0] == '-' && a[1] != '\0') {
      free(jobs);
      return bad_usage("unknown option ", a);
    } else {
      jobs[n].path = a;
      jobs[n].url = url;
      jobs[n].charset = charset;
      url = NULL;
      charset = NULL;
      n++;
    }
  }
  if (url || charset) {
    if (n == 0) {
      /* "--url U" alone applies to stdin */
      jobs[n].path = "-";
      jobs[n].url = url;
      jobs[n].charset = charset;
      n++;
    } else {
      free(jobs);
      return bad_usage(
          "--url and --charset must come before the FILE they describe", "");
    }
  }
  if (n == 0) {
    jobs[0].path = "-";
    n = 1;
  }
  status = run_jobs(jobs, n, fmt);
  free(jobs);
  return status;
}
