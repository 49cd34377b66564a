/* winnow crawl [options] SEED_URL... */
#include "cli/cli.h"
#include "crawler/crawler.h"
#include "rules/rules.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: winnow crawl [options] SEED_URL...   (or --seeds FILE)\n"
    "\n"
    "Crawl politely from the seeds, extract every HTML page and write one\n"
    "record per page. The state file makes the crawl resumable (after a\n"
    "crash, even kill -9) and re-runnable (pages due again are fetched with\n"
    "If-None-Match / If-Modified-Since; unchanged pages write no record).\n"
    "\n"
    "  --seeds FILE          seed URLs, one per line ('#' comments)\n"
    "  --state FILE          SQLite state (default ./winnow-state.db)\n"
    "  --out FILE            JSON Lines records, appended (default '-', stdout)\n"
    "  --rules DIR           more site rules (repeatable)\n"
    "  --user-agent STR      default \"winnow/" WN_VERSION " (+" WN_PROJECT_URL
    ")\"\n"
    "  --robots-agent TOKEN  product token matched in robots.txt (default winnow)\n"
    "  --delay SECONDS       minimum gap between request starts on one host\n"
    "                        (default 1.0); a larger Crawl-delay wins, capped by\n"
    "  --max-delay SECONDS   (default 30)\n"
    "  --concurrency N       hosts fetched in parallel (default 16)\n"
    "  --per-host N          connections per host (default 1)\n"
    "  --threads N           extraction threads (default: the CPUs, at most 8;\n"
    "                        0 extracts in the fetching thread)\n"
    "  --scope host|domain|any   what links to follow (default host)\n"
    "  --include REGEX       follow only pages whose URL matches (pcre2)\n"
    "  --exclude REGEX       never fetch a URL that matches (sitemaps too)\n"
    "  --max-depth N         links followed from a seed at most\n"
    "  --max-pages N, --max-pages-per-host N  page requests in this run at\n"
    "                        most, in all / per host (the rest stays queued)\n"
    "  --recrawl-after DURATION  pages fetched longer ago are due again\n"
    "                        (default 7d; e.g. 0, 30m, 6h, 7d)\n"
    "  --timeout SECONDS     per transfer (default 30)\n"
    "  --max-size BYTES      body cap (default 10MiB; suffixes K, M, G)\n"
    "  --resolve HOST:PORT:ADDR  as curl's, repeatable; HOST may be '*.suffix'\n"
    "  --allow-private       permit loopback, private and link-local addresses\n"
    "  --no-sitemaps, --no-feeds  no discovery through them\n"
    "  --stats FILE          final statistics as JSON\n"
    "  -q, --quiet           no progress line or warnings\n"
    "\n"
    "There is no switch to ignore robots.txt.\n"
    "exit status: 0 done; 1 done, but URLs failed or were left for a later\n"
    "run (parked hosts, Retry-After, a signal); 2 bad usage; 3 the state is\n"
    "locked by another crawl; 4 the state file is not usable; 5 other errors\n"
    "(output not writable, out of memory).\n";

static int bad_usage(const char *what, const char *arg)
{
  fprintf(stderr, "winnow crawl: %s%s\nTry 'winnow crawl --help'.\n", what,
          arg);
  return CLI_EXIT_USAGE;
}

/* "7d", "6h", "30m", "45s", "0", "1.5" (seconds). */
static int parse_duration(const char *s, double *out)
{
  char num[64];
  size_t n = strlen(s);
  double v, mult = 1;

  if (n == 0 || n >= sizeof(num))
    return 0;
  memcpy(num, s, n + 1);
  switch (num[n - 1]) {
  case 's':
    mult = 1;
    num[--n] = '\0';
    break;
  case 'm':
    mult = 60;
    num[--n] = '\0';
    break;
  case 'h':
    mult = 3600;
    num[--n] = '\0';
    break;
  case 'd':
    mult = 86400;
    num[--n] = '\0';
    break;
  default:
    break;
  }
  if (wn_parse_double(num, &v) != WN_OK)
    return 0;
  *out = v * mult;
  return 1;
}

/* "10485760", "10M", "10MiB", "512K", "1G". */
static int parse_size(const char *s, size_t *out)
{
  char num[64];
  size_t n = strlen(s);
  double v, mult = 1;

  if (n == 0 || n >= sizeof(num))
    return 0;
  memcpy(num, s, n + 1);
  if (n >= 3 && strcmp(num + n - 2, "iB") == 0) {
    n -= 2;
    num[n] = '\0';
  }
  switch (num[n - 1]) {
  case 'K':
  case 'k':
    mult = 1024;
    num[--n] = '\0';
    break;
  case 'M':
    mult = 1024 * 1024;
    num[--n] = '\0';
    break;
  case 'G':
    mult = 1024.0 * 1024 * 1024;
    num[--n] = '\0';
    break;
  default:
    break;
  }
  if (wn_parse_double(num, &v) != WN_OK || v * mult < 1024 ||
      v * mult > 1024.0 * 1024 * 1024)
    return 0;
  *out = (size_t)(v * mult);
  return 1;
}

static int number(const char *s, long lo, long hi, long *out)
{
  return wn_parse_long(s, out) == WN_OK && *out >= lo && *out <= hi;
}

/* A short, printable version of what a user gave, for a message: at most
 * 80 bytes, control bytes and bytes that are not UTF-8 shown as '?'. */
static const char *shown(const char *s, char out[128])
{
  size_t i = 0, o = 0, len = strlen(s);

  while (i < len && o < 80) {
    uint32_t cp;
    size_t n = wn_utf8_decode(s + i, len - i, &cp);

    if (n == 0 || cp < 0x20 || cp == 0x7f || !wn_utf8_valid(s + i, n)) {
      out[o++] = '?';
      i += n ? n : 1;
      continue;
    }
    if (o + n > 80)
      break;
    memcpy(out + o, s + i, n);
    o += n;
    i += n;
  }
  if (i < len && o + 3 < 128) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
  return out;
}

/* Seeds from a file, one URL a line ('#' comments, blank lines). A line
 * that is not an http(s) URL is skipped with a warning naming it. */
static int read_seeds(const char *path, char ***seeds, size_t *n)
{
  FILE *f = fopen(path, "r");
  char *line = NULL, buf[128];
  size_t cap = 0, lineno = 0;
  ssize_t got;
  int ok = 1;

  if (!f) {
    fprintf(stderr, "winnow crawl: %s: cannot open: %s\n", path,
            strerror(errno));
    return 0;
  }
  while ((got = getline(&line, &cap, f)) >= 0) {
    char *s = line, *e = line + got;
    char **v;

    lineno++;
    while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
                     e[-1] == '\t'))
      e--;
    *e = '\0';
    while (*s == ' ' || *s == '\t')
      s++;
    if (!*s || *s == '#')
      continue;
    if ((size_t)(e - s) > WN_MAX_URL_BYTES || strlen(s) != (size_t)(e - s) ||
        !wn_url_is_http(s)) {
      fprintf(stderr, "winnow crawl: %s:%zu: not an http(s) URL, skipped: %s\n",
              path, lineno, shown(s, buf));
      continue;
    }
    v = realloc(*seeds, (*n + 1) * sizeof(*v));
    if (!v) {
      ok = 0;
      break;
    }
    *seeds = v;
    if (!(v[*n] = strdup(s))) {
      ok = 0;
      break;
    }
    (*n)++;
  }
  if (ferror(f)) {
    fprintf(stderr, "winnow crawl: %s: cannot read: %s\n", path,
            strerror(errno));
    ok = 0;
  }
  free(line);
  fclose(f);
  return ok;
}

int cli_crawl_main(int argc, char **argv)
{
  struct crawl_config c;
  struct wn_error err;
  struct rules_pattern *include = NULL, *exclude = NULL;
  struct rules_set *rs = NULL;
  char **rule_paths = calloc((size_t)argc + 1, sizeof(char *));
  char **seeds = NULL, user_agent[256];
  size_t n_seeds = 0, k;
  int n_rules = 0, i, status = CLI_EXIT_USAGE, quiet = 0;
  long v;

  memset(&c, 0, sizeof(c));
  c.state_path = "winnow-state.db";
  c.out_path = "-";
  snprintf(user_agent, sizeof(user_agent), "winnow/%s (+%s)", WN_VERSION,
           WN_PROJECT_URL);
  c.user_agent = user_agent;
  c.robots_agent = "winnow";
  c.delay = 1.0;
  c.max_delay = 30.0;
  c.concurrency = 16;
  c.per_host = 1;
  {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c.threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
  }
  c.scope = CRAWL_SCOPE_HOST;
  c.max_depth = -1;
  c.max_pages = -1;
  c.max_pages_per_host = -1;
  c.recrawl_after = 7 * 86400.0;
  c.timeout = 30.0;
  c.max_size = 10u * 1024u * 1024u;
  c.sitemaps = 1;
  c.feeds = 1;
  c.resolve = calloc((size_t)argc + 1, sizeof(char *));
  if (!rule_paths || !c.resolve) {
    fprintf(stderr, "winnow crawl: out of memory\n");
    status = 5;
    goto out;
  }
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDS_VALUE                                                          \
  do {                                                                       \
    if (!val) {                                                              \
      status = bad_usage("missing value for ", a);                           \
      goto out;                                                              \
    }                                                                        \
    i++;                                                                     \
  } while (0)

    if (a[0] != '-' || a[1] == '\0') {
      char **nv = realloc(seeds, (n_seeds + 1) * sizeof(*nv));
      if (nv)
        seeds = nv;
      if (!nv || !(nv[n_seeds] = strdup(a))) {
        fprintf(stderr, "winnow crawl: out of memory\n");
        status = 5;
        goto out;
      }
      n_seeds++;
    } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      status = CLI_EXIT_OK;
      goto out;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      quiet = 1;
    } else if (!strcmp(a, "--allow-private")) {
      c.allow_private = 1;
    } else if (!strcmp(a, "--no-sitemaps")) {
      c.sitemaps = 0;
    } else if (!strcmp(a, "--no-feeds")) {
      c.feeds = 0;
    } else if (!strcmp(a, "--seeds")) {
      NEEDS_VALUE;
      if (!read_seeds(val, &seeds, &n_seeds)) {
        status = CLI_EXIT_USAGE;
        goto out;
      }
    } else if (!strcmp(a, "--state")) {
      NEEDS_VALUE;
      c.state_path = val;
    } else if (!strcmp(a, "--out")) {
      NEEDS_VALUE;
      c.out_path = val;
    } else if (!strcmp(a, "--rules")) {
      NEEDS_VALUE;
      rule_paths[n_rules++] = argv[i];
    } else if (!strcmp(a, "--user-agent")) {
      NEEDS_VALUE;
      c.user_agent = val;
    } else if (!strcmp(a, "--robots-agent")) {
      NEEDS_VALUE;
      if (!*val || strspn(val, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                               "TUVWXYZ_-") != strlen(val)) {
        status = bad_usage("--robots-agent: letters, '-' and '_' only: ", val);
        goto out;
      }
      c.robots_agent = val;
    } else if (!strcmp(a, "--delay") || !strcmp(a, "--max-delay") ||
               !strcmp(a, "--timeout")) {
      double d;
      NEEDS_VALUE;
      if (wn_parse_double(val, &d) != WN_OK || d > 86400) {
        status = bad_usage("a number of seconds expected: ", val);
        goto out;
      }
      if (!strcmp(a, "--delay"))
        c.delay = d;
      else if (!strcmp(a, "--max-delay"))
        c.max_delay = d;
      else if (d < 0.1) {
        status = bad_usage("--timeout below 0.1 s: ", val);
        goto out;
      } else
        c.timeout = d;
    } else if (!strcmp(a, "--concurrency")) {
      NEEDS_VALUE;
      if (!number(val, 1, 1024, &v)) {
        status = bad_usage("--concurrency needs 1 to 1024: ", val);
        goto out;
      }
      c.concurrency = (int)v;
    } else if (!strcmp(a, "--threads")) {
      NEEDS_VALUE;
      if (!number(val, 0, 64, &v)) {
        status = bad_usage("--threads needs 0 to 64: ", val);
        goto out;
      }
      c.threads = (int)v;
    } else if (!strcmp(a, "--per-host")) {
      NEEDS_VALUE;
      if (!number(val, 1, 16, &v)) {
        status = bad_usage("--per-host needs 1 to 16: ", val);
        goto out;
      }
      c.per_host = (int)v;
    } else if (!strcmp(a, "--scope")) {
      NEEDS_VALUE;
      if (!strcmp(val, "host"))
        c.scope = CRAWL_SCOPE_HOST;
      else if (!strcmp(val, "domain"))
        c.scope = CRAWL_SCOPE_DOMAIN;
      else if (!strcmp(val, "any"))
        c.scope = CRAWL_SCOPE_ANY;
      else {
        status = bad_usage("--scope is host, domain or any: ", val);
        goto out;
      }
    } else if (!strcmp(a, "--include") || !strcmp(a, "--exclude")) {
      struct rules_pattern **slot = !strcmp(a, "--include") ? &include
                                                           : &exclude;
      NEEDS_VALUE;
      rules_pattern_free(*slot);
      *slot = NULL;
      if (rules_pattern_compile(val, slot, &err) != WN_OK) {
        fprintf(stderr, "winnow crawl: %s: pcre2 error at offset %ld: %s\n",
                a, err.offset, err.message);
        status = CLI_EXIT_USAGE;
        goto out;
      }
    } else if (!strcmp(a, "--max-depth") || !strcmp(a, "--max-pages") ||
               !strcmp(a, "--max-pages-per-host")) {
      NEEDS_VALUE;
      if (!number(val, 0, 1000000000, &v)) {
        status = bad_usage("a whole number expected: ", val);
        goto out;
      }
      if (!strcmp(a, "--max-depth"))
        c.max_depth = (int)v;
      else if (!strcmp(a, "--max-pages"))
        c.max_pages = v;
      else
        c.max_pages_per_host = v;
    } else if (!strcmp(a, "--recrawl-after")) {
      NEEDS_VALUE;
      if (!parse_duration(val, &c.recrawl_after)) {
        status = bad_usage("--recrawl-after: e.g. 0, 30m, 6h, 7d: ", val);
        goto out;
      }
    } else if (!strcmp(a, "--max-size")) {
      NEEDS_VALUE;
      if (!parse_size(val, &c.max_size)) {
        status = bad_usage("--max-size: 1K to 1G: ", val);
        goto out;
      }
    } else if (!strcmp(a, "--resolve")) {
      const char *c1, *c2;
      NEEDS_VALUE;
      c1 = strchr(val, ':');
      c2 = c1 ? strchr(c1 + 1, ':') : NULL;
      if (!c1 || !c2 || c1 == val || !c2[1]) {
        status = bad_usage("--resolve HOST:PORT:ADDR: ", val);
        goto out;
      }
      c.resolve[c.n_resolve++] = argv[i];
    } else if (!strcmp(a, "--stats")) {
      NEEDS_VALUE;
      c.stats_path = val;
    } else {
      status = bad_usage("unknown option ", a);
      goto out;
    }
#undef NEEDS_VALUE
  }
  if (n_seeds == 0) {
    status = bad_usage("no seed URL (give SEED_URL... or --seeds FILE)", "");
    goto out;
  }
  for (k = 0; k < n_seeds; k++)
    if (strlen(seeds[k]) > WN_MAX_URL_BYTES || !wn_url_is_http(seeds[k])) {
      char buf[128];
      status = bad_usage("not an http(s) URL: ", shown(seeds[k], buf));
      goto out;
    }
  if (c.max_delay < c.delay)
    c.max_delay = c.delay;
  rs = cli_rules_load(rule_paths, n_rules);
  if (!rs) {
    status = CLI_EXIT_USAGE;
    goto out;
  }
  if (quiet)
    wn_log_set_level(WN_LOG_ERROR);
  c.rules = rs;
  c.include = include;
  c.exclude = exclude;
  c.seeds = seeds;
  c.n_seeds = n_seeds;
  c.progress = !quiet && isatty(2);
  wn_error_clear(&err);
  switch (crawl_run(&c, &err)) {
  case CRAWL_DONE:
    status = 0;
    break;
  case CRAWL_SOME_FAILED:
    status = 1;
    break;
  case CRAWL_LOCKED:
    fprintf(stderr, "winnow crawl: %s\n", err.message);
    status = 3;
    break;
  case CRAWL_BAD_STATE:
    fprintf(stderr, "winnow crawl: %s\n", err.message);
    status = 4;
    break;
  case CRAWL_ERROR:
  default:
    fprintf(stderr, "winnow crawl: %s\n", err.message[0] ? err.message : "failed");
    status = 5;
    break;
  }
out:
  for (k = 0; k < n_seeds; k++)
    free(seeds[k]);
  free(seeds);
  free(rule_paths);
  free(c.resolve);
  rules_pattern_free(include);
  rules_pattern_free(exclude);
  rules_set_free(rs);
  return status;
}
