/* winnow extract [--url URL] [--format json|text|markdown] [FILE ...] */
#include "cli/cli.h"
#include "output/output.h"
#include "rules/rules.h"

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
    "                    against it, site rules chosen by its host); may be\n"
    "                    given before each FILE\n"
    "  --charset LABEL   the charset of the FILE that follows, as an HTTP\n"
    "                    Content-Type header would give it\n"
    "  --rules DIR       more site rules (a folder of JSON rule files, or one\n"
    "                    file); repeatable; the shipped rules always apply\n"
    "  --no-site-rules   apply the generic rules only (to compare)\n"
    "  --no-templates    do not learn site templates across the inputs\n"
    "  --template-pages N  a block seen on at least N pages of a host ...\n"
    "  --template-share P  ... and on at least P% of them is that host's\n"
    "                    template (defaults 3 and 30)\n"
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
    "2 bad usage or a broken rule file.\n";

enum format { FMT_JSON, FMT_TEXT, FMT_MARKDOWN };

struct job {
  const char *path;
  const char *url;
  const char *charset;
};

struct settings {
  enum format fmt;
  int templates;
  int generic_only;
  long template_pages;
  long template_share;
  char **rule_paths;
  int n_rule_paths;
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

static const char *display_name(const char *path)
{
  return strcmp(path, "-") == 0 ? "(stdin)" : path;
}

/* The host of a job's URL into buf, or NULL. */
static const char *job_host(const struct job *j, char *buf, size_t size)
{
  struct wn_url u;
  const char *h = NULL;

  if (!j->url || wn_url_parse(j->url, &u) != WN_OK)
    return NULL;
  if (u.host && strlen(u.host) < size) {
    memcpy(buf, u.host, strlen(u.host) + 1);
    h = buf;
  }
  wn_url_free(&u);
  return h;
}

struct host_ref {
  char host[256];
  int job;
};

static int by_host(const void *a, const void *b)
{
  const struct host_ref *x = a, *y = b;
  int c = strcmp(x->host, y->host);

  return c ? c : x->job - y->job;
}

/* First pass of template learning: the inputs of hosts with enough pages
 * to reach the threshold are read once more and their blocks counted.
 * Memory: the counts only (see extract.h), never the pages. */
static void learn_templates(struct extract_ctx *ctx,
                            struct extract_templates *t, const struct job *jobs,
                            int n_jobs, long min_pages, struct wn_buf *in)
{
  struct host_ref *refs = calloc((size_t)n_jobs, sizeof(*refs));
  int n = 0, k, start;

  if (!refs)
    return;
  for (k = 0; k < n_jobs; k++)
    if (strcmp(jobs[k].path, "-") != 0 &&
        job_host(&jobs[k], refs[n].host, sizeof(refs[n].host)))
      refs[n++].job = k;
  qsort(refs, (size_t)n, sizeof(*refs), by_host);
  for (start = 0; start < n;) {
    int end = start;

    while (end < n && strcmp(refs[end].host, refs[start].host) == 0)
      end++;
    for (k = start; end - start >= min_pages && k < end; k++) {
      const struct job *j = &jobs[refs[k].job];
      struct extract_input input;
      struct wn_error err;
      int truncated = 0;

      if (cli_input_read(j->path, WN_MAX_PAGE_BYTES, in, &truncated, &err) !=
          WN_OK)
        continue; /* reported in the second pass */
      memset(&input, 0, sizeof(input));
      input.html = in->data ? in->data : "";
      input.len = in->len;
      input.url = j->url;
      input.http_charset = j->charset;
      input.truncated = truncated;
      (void)extract_templates_observe(ctx, t, &input);
    }
    start = end;
  }
  free(refs);
}

static int run_jobs(const struct job *jobs, int n_jobs,
                    const struct settings *set)
{
  struct extract_ctx *ctx = extract_ctx_new();
  struct extract_templates *templates = NULL;
  struct extract_options opts;
  struct wn_buf in, out;
  int k, status = CLI_EXIT_OK, written = 0;

  memset(&opts, 0, sizeof(opts));
  wn_buf_init(&in, (size_t)WN_MAX_PAGE_BYTES + 1024 * 1024);
  wn_buf_init(&out, 64u * 1024u * 1024u);
  opts.rules = cli_rules_load(set->rule_paths, set->n_rule_paths);
  opts.generic_only = set->generic_only;
  if (!opts.rules) {
    extract_ctx_free(ctx);
    return CLI_EXIT_USAGE;
  }
  if (!ctx) {
    fprintf(stderr, "winnow extract: out of memory\n");
    rules_set_free((struct rules_set *)opts.rules);
    return CLI_EXIT_SOME_FAILED;
  }
  if (set->templates && n_jobs >= set->template_pages) {
    templates = extract_templates_new((unsigned)set->template_pages,
                                      (double)set->template_share / 100.0);
    if (templates)
      learn_templates(ctx, templates, jobs, n_jobs, set->template_pages, &in);
    opts.templates = templates;
  }
  for (k = 0; k < n_jobs; k++) {
    const char *name = display_name(jobs[k].path);
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
    rc = extract_page_run(ctx, &input, &opts, &rec);
    if (rc == WN_OK)
      rc = render(set->fmt, &out, rec, written);
    if (rc != WN_OK) {
      fprintf(stderr, "winnow extract: %s: %s\n", name, wn_strerror(rc));
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
  extract_templates_free(templates);
  rules_set_free((struct rules_set *)opts.rules);
  extract_ctx_free(ctx);
  return status;
}

static int is_opt(const char *a, const char *name)
{
  return strcmp(a, name) == 0;
}

int cli_extract_main(int argc, char **argv)
{
  struct job *jobs;
  struct settings set;
  const char *url = NULL, *charset = NULL;
  int i, n = 0, status = CLI_EXIT_USAGE, only_files = 0;

  memset(&set, 0, sizeof(set));
  set.fmt = FMT_JSON;
  set.templates = 1;
  set.template_pages = 3;
  set.template_share = 30;
  jobs = calloc((size_t)argc + 1, sizeof(*jobs));
  set.rule_paths = calloc((size_t)argc + 1, sizeof(*set.rule_paths));
  if (!jobs || !set.rule_paths) {
    fprintf(stderr, "winnow extract: out of memory\n");
    status = CLI_EXIT_SOME_FAILED;
    goto out;
  }
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];

    if (only_files || a[0] != '-' || a[1] == '\0') {
      jobs[n].path = a;
      jobs[n].url = url;
      jobs[n].charset = charset;
      url = NULL;
      charset = NULL;
      n++;
    } else if (is_opt(a, "--")) {
      only_files = 1;
    } else if (is_opt(a, "-h") || is_opt(a, "--help")) {
      fputs(usage, stdout);
      status = CLI_EXIT_OK;
      goto out;
    } else if (is_opt(a, "-q") || is_opt(a, "--quiet")) {
      wn_log_set_level(WN_LOG_ERROR);
    } else if (is_opt(a, "--no-templates")) {
      set.templates = 0;
    } else if (is_opt(a, "--no-site-rules")) {
      set.generic_only = 1;
    } else if (is_opt(a, "--url") || is_opt(a, "--format") ||
               is_opt(a, "--charset") || is_opt(a, "--rules") ||
               is_opt(a, "--template-pages") || is_opt(a, "--template-share")) {
      const char *v;

      if (i + 1 >= argc) {
        status = bad_usage("missing value for ", a);
        goto out;
      }
      v = argv[++i];
      if (is_opt(a, "--url")) {
        url = v;
      } else if (is_opt(a, "--charset")) {
        charset = v;
      } else if (is_opt(a, "--rules")) {
        set.rule_paths[set.n_rule_paths++] = argv[i];
      } else if (is_opt(a, "--template-pages")) {
        if (wn_parse_long(v, &set.template_pages) != WN_OK ||
            set.template_pages < 1 || set.template_pages > 1000000) {
          status = bad_usage("--template-pages needs a number from 1: ", v);
          goto out;
        }
      } else if (is_opt(a, "--template-share")) {
        if (wn_parse_long(v, &set.template_share) != WN_OK ||
            set.template_share < 0 || set.template_share > 100) {
          status = bad_usage("--template-share needs a percentage: ", v);
          goto out;
        }
      } else if (strcmp(v, "json") == 0) {
        set.fmt = FMT_JSON;
      } else if (strcmp(v, "text") == 0) {
        set.fmt = FMT_TEXT;
      } else if (strcmp(v, "markdown") == 0) {
        set.fmt = FMT_MARKDOWN;
      } else {
        status = bad_usage("unknown format (json, text or markdown): ", v);
        goto out;
      }
    } else {
      status = bad_usage("unknown option ", a);
      goto out;
    }
  }
  if (url || charset) {
    if (n > 0) {
      status = bad_usage(
          "--url and --charset must come before the FILE they describe", "");
      goto out;
    }
    /* "--url U" alone applies to stdin */
    jobs[n].path = "-";
    jobs[n].url = url;
    jobs[n].charset = charset;
    n++;
  }
  if (n == 0) {
    jobs[0].path = "-";
    n = 1;
  }
  status = run_jobs(jobs, n, &set);
out:
  free(jobs);
  free(set.rule_paths);
  return status;
}
