/* winnow rules check|test|learn: tooling for rule files. */
#include "cli/cli.h"
#include "output/output.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: winnow rules check PATH...\n"
    "       winnow rules test PATH...\n"
    "       winnow rules learn --host HOST FILE...\n"
    "\n"
    "check  validate rule files (a PATH is a .json file or a folder of them);\n"
    "       every problem is printed as FILE:LINE:COLUMN: message (JSON "
    "syntax)\n"
    "       or FILE: key: message; exit 1 if any file is wrong\n"
    "test   run the tests embedded in the rule files (their \"tests\" key)\n"
    "       with the shipped rules plus PATH's; print what differs; exit 1 on\n"
    "       a failure\n"
    "learn  suggest a rule file for HOST from a set of its pages (FILEs, "
    ".html\n"
    "       or .html.gz): the body container as a selector, and the blocks\n"
    "       that recur across the pages as template boilerplate patterns\n"
    "\n"
    "See rules/README.md for the rule file format.\n";

/* ---- check ----------------------------------------------------------------
 */

struct counts {
  int errors;
  int quiet;
};

static void on_error(void *ud, const char *file, int line, int column,
                     const char *message)
{
  struct counts *c = ud;

  c->errors++;
  if (line > 0)
    fprintf(stderr, "%s:%d:%d: %s\n", file, line, column, message);
  else
    fprintf(stderr, "%s: %s\n", file, message);
}

static int cmd_check(int argc, char **argv)
{
  struct counts c = {0, 0};
  size_t files = 0;
  int k, bad = 0;

  if (argc < 1) {
    fputs(usage, stderr);
    return CLI_EXIT_USAGE;
  }
  for (k = 0; k < argc; k++) {
    struct rules_set *rs = rules_set_new();
    wn_result rc;

    if (!rs) {
      fprintf(stderr, "winnow rules: out of memory\n");
      return CLI_EXIT_SOME_FAILED;
    }
    rc = rules_set_load_path(rs, argv[k], on_error, &c);
    if (rc != WN_OK)
      bad = 1;
    files += rules_set_count(rs) + rules_set_generic_count(rs);
    rules_set_free(rs);
  }
  if (bad)
    printf("%d problem(s); %zu rule file(s) valid\n", c.errors, files);
  else
    printf("%zu rule file(s) valid\n", files);
  return bad ? CLI_EXIT_SOME_FAILED : CLI_EXIT_OK;
}

/* ---- test -----------------------------------------------------------------
 */

static void print_failure(void *ud, const char *message)
{
  (void)ud;
  printf("    %s\n", message);
}

/* Run one embedded test; returns the number of failures (1 for a page
 * that cannot be read or extracted). */
static int run_test(struct extract_ctx *ctx, const struct extract_options *opts,
                    const struct rules_site *site, size_t i, struct wn_buf *in,
                    struct wn_buf *out)
{
  const struct rules_test *t = &site->tests[i];
  char path[4096];
  struct extract_input input;
  const struct extract_record *rec;
  struct wn_error err;
  json_t *got = NULL, *want = NULL;
  json_error_t jerr;
  int truncated = 0, failures = 1;
  wn_result rc;

  if (t->page[0] == '/')
    snprintf(path, sizeof(path), "%s", t->page);
  else
    snprintf(path, sizeof(path), "%s/%s", site->dir, t->page);
  rc = cli_input_read(path, WN_MAX_PAGE_BYTES, in, &truncated, &err);
  if (rc != WN_OK) {
    printf("FAIL %s tests[%zu]: %s: %s\n", site->site, i, path, err.message);
    return 1;
  }
  memset(&input, 0, sizeof(input));
  input.html = in->data ? in->data : "";
  input.len = in->len;
  input.url = t->url;
  input.truncated = truncated;
  wn_buf_reset(out);
  rc = extract_page_run(ctx, &input, opts, &rec);
  if (rc == WN_OK)
    rc = output_jsonl_append(out, rec, NULL);
  if (rc != WN_OK) {
    printf("FAIL %s tests[%zu]: %s: %s\n", site->site, i, path,
           wn_strerror(rc));
    return 1;
  }
  got = json_loadb(out->data, out->len, 0, &jerr);
  want = json_loads(t->expect_json, 0, &jerr);
  if (got && want) {
    failures = cli_expect_check(got, want, NULL, NULL);
    printf("%s %s tests[%zu] %s\n", failures ? "FAIL" : "ok  ", site->site, i,
           t->page);
    if (failures)
      cli_expect_check(got, want, print_failure, NULL);
  }
  json_decref(got);
  json_decref(want);
  return failures;
}

static int cmd_test(int argc, char **argv)
{
  struct rules_set *rs;
  struct extract_ctx *ctx = NULL;
  struct extract_options opts;
  struct counts c = {0, 0};
  struct wn_buf in, out;
  size_t first_site, first_generic, k, j, tests = 0;
  int failed = 0, a;

  if (argc < 1) {
    fputs(usage, stderr);
    return CLI_EXIT_USAGE;
  }
  rs = rules_set_new();
  if (!rs)
    return CLI_EXIT_SOME_FAILED;
  /* The shipped rules first, as extract uses them; PATH's files load
   * later and win for their hosts. */
  if (rules_set_load_builtin(rs, on_error, &c) != WN_OK) {
    rules_set_free(rs);
    return CLI_EXIT_SOME_FAILED;
  }
  first_site = rules_set_count(rs);
  first_generic = rules_set_generic_count(rs);
  for (a = 0; a < argc; a++)
    if (rules_set_load_path(rs, argv[a], on_error, &c) != WN_OK)
      failed = 1;
  if (failed) {
    rules_set_free(rs);
    return CLI_EXIT_SOME_FAILED;
  }
  ctx = extract_ctx_new();
  wn_buf_init(&in, (size_t)WN_MAX_PAGE_BYTES + 1024 * 1024);
  wn_buf_init(&out, 64u * 1024u * 1024u);
  memset(&opts, 0, sizeof(opts));
  opts.rules = rs;
  for (k = first_site; ctx && k < rules_set_count(rs); k++) {
    const struct rules_site *s = rules_set_at(rs, k);
    for (j = 0; j < s->n_tests; j++, tests++)
      if (run_test(ctx, &opts, s, j, &in, &out))
        failed = 1;
  }
  for (k = first_generic; ctx && k < rules_set_generic_count(rs); k++) {
    const struct rules_site *s = rules_set_generic_at(rs, k);
    for (j = 0; j < s->n_tests; j++, tests++)
      if (run_test(ctx, &opts, s, j, &in, &out))
        failed = 1;
  }
  if (!ctx) {
    fprintf(stderr, "winnow rules: out of memory\n");
    failed = 1;
  } else {
    printf("%zu test(s), %s\n", tests, failed ? "some failed" : "all passed");
  }
  wn_buf_free(&in);
  wn_buf_free(&out);
  extract_ctx_free(ctx);
  rules_set_free(rs);
  return failed ? CLI_EXIT_SOME_FAILED : CLI_EXIT_OK;
}

/* ---- learn ----------------------------------------------------------------
 */

struct learned {
  json_t *boilerplate;
};

/* "^" and the block's first words, quoted for pcre2. */
static void add_template(void *ud, const char *text, unsigned pages)
{
  struct learned *l = ud;
  char pattern[512];
  size_t o = 0, i, n = wn_utf8_prefix(text, strlen(text), 120);
  json_t *e;

  pattern[o++] = '^';
  for (i = 0; i < n && o + 3 < sizeof(pattern); i++) {
    if (strchr("\\^$.|?*+()[]{}", text[i]))
      pattern[o++] = '\\';
    pattern[o++] = text[i];
  }
  pattern[o] = '\0';
  e = json_object();
  if (e) {
    char note[64];

    snprintf(note, sizeof(note), "seen on %u pages", pages);
    json_object_set_new(e, "kind", json_string("template"));
    json_object_set_new(e, "pattern", json_string(pattern));
    json_object_set_new(e, "notes", json_string(note));
    json_array_append_new(l->boilerplate, e);
  }
}

static int cmd_learn(int argc, char **argv)
{
  const char *host = NULL;
  struct rules_set *rs = NULL;
  struct extract_ctx *ctx = NULL;
  struct extract_templates *t = NULL;
  struct extract_options opts;
  struct learned l = {NULL};
  struct wn_buf in;
  json_t *rule = NULL, *counts = NULL;
  char **urls = NULL;
  int k, first = 0, status = CLI_EXIT_SOME_FAILED, pass, n_pages = 0;
  const char *best = NULL;
  json_int_t best_n = 0;

  for (k = 0; k < argc; k++) {
    if (strcmp(argv[k], "--host") == 0 && k + 1 < argc) {
      host = argv[++k];
      first = k + 1;
    } else if (argv[k][0] == '-' && !host) {
      fputs(usage, stderr);
      return CLI_EXIT_USAGE;
    }
  }
  if (!host || first >= argc || !*host) {
    fputs(usage, stderr);
    return CLI_EXIT_USAGE;
  }
  wn_buf_init(&in, (size_t)WN_MAX_PAGE_BYTES + 1024 * 1024);
  rs = cli_rules_load(NULL, 0);
  ctx = extract_ctx_new();
  /* a block on at least a third of the pages given (and at least 2) */
  t = extract_templates_new(argc - first >= 6 ? 3 : 2, 0.3);
  urls = calloc((size_t)argc, sizeof(*urls));
  l.boilerplate = json_array();
  counts = json_object();
  if (!rs || !ctx || !t || !urls || !l.boilerplate || !counts)
    goto out;
  memset(&opts, 0, sizeof(opts));
  opts.rules = rs;
  opts.templates = t;
  /* Pages stand for URLs of HOST (their links and host-based rules). */
  for (k = first; k < argc; k++) {
    const char *base = strrchr(argv[k], '/');
    size_t len = strlen(host) + strlen(base ? base : argv[k]) + 16;

    urls[k] = malloc(len);
    if (!urls[k])
      goto out;
    snprintf(urls[k], len, "https://%s/%s", host, base ? base + 1 : argv[k]);
  }
  for (pass = 0; pass < 2; pass++) {
    for (k = first; k < argc; k++) {
      struct extract_input input;
      const struct extract_record *rec;
      struct wn_error err;
      int truncated = 0;

      if (cli_input_read(argv[k], WN_MAX_PAGE_BYTES, &in, &truncated, &err) !=
          WN_OK) {
        if (pass == 0)
          fprintf(stderr, "winnow rules: %s: %s\n", argv[k], err.message);
        continue;
      }
      memset(&input, 0, sizeof(input));
      input.html = in.data ? in.data : "";
      input.len = in.len;
      input.url = urls[k];
      if (pass == 0) {
        if (extract_templates_observe(ctx, t, &input) != WN_OK)
          goto out;
        n_pages++;
        continue;
      }
      if (extract_page_run(ctx, &input, &opts, &rec) == WN_OK &&
          rec->container) {
        json_t *c = json_object_get(counts, rec->container);
        json_int_t n = c ? json_integer_value(c) + 1 : 1;
        json_object_set_new(counts, rec->container, json_integer(n));
      }
    }
  }
  {
    const char *key;
    json_t *v;

    json_object_foreach(counts, key, v)
    {
      if (json_integer_value(v) > best_n) {
        best_n = json_integer_value(v);
        best = key;
      }
    }
  }
  extract_templates_each(t, host, add_template, &l);
  rule = json_object();
  if (!rule)
    goto out;
  json_object_set_new(rule, "site", json_string(host));
  json_object_set_new(rule, "hosts", json_pack("[s]", host));
  if (best)
    json_object_set_new(rule, "body", json_string(best));
  json_object_set(rule, "boilerplate", l.boilerplate);
  {
    char note[160];
    snprintf(note, sizeof(note),
             "suggested by winnow rules learn from %d page(s); review before "
             "use",
             n_pages);
    json_object_set_new(rule, "notes", json_string(note));
  }
  if (json_dumpf(rule, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0) {
    fputc('\n', stdout);
    status = n_pages ? CLI_EXIT_OK : CLI_EXIT_SOME_FAILED;
  }
out:
  if (status == CLI_EXIT_SOME_FAILED && !n_pages)
    fprintf(stderr, "winnow rules: no page could be read\n");
  for (k = 0; urls && k < argc; k++)
    free(urls[k]);
  free(urls);
  json_decref(rule);
  json_decref(counts);
  json_decref(l.boilerplate);
  extract_templates_free(t);
  extract_ctx_free(ctx);
  rules_set_free(rs);
  wn_buf_free(&in);
  return status;
}

int cli_rules_main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "--help") == 0) {
    fputs(usage, argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "check") == 0)
    return cmd_check(argc - 2, argv + 2);
  if (strcmp(argv[1], "test") == 0)
    return cmd_test(argc - 2, argv + 2);
  if (strcmp(argv[1], "learn") == 0)
    return cmd_learn(argc - 2, argv + 2);
  fprintf(stderr, "winnow rules: unknown command '%s'\n%s", argv[1], usage);
  return CLI_EXIT_USAGE;
}
