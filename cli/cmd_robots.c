/* winnow robots: check URLs against a robots.txt file. */
#include "cli/cli.h"
#include "crawler/crawler.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: winnow robots --agent TOKEN --robots FILE [--info] URL...\n"
    "\n"
    "Check each URL against the robots.txt FILE (RFC 9309) for the crawler\n"
    "whose product token is TOKEN (\"winnow\"), and print one line per URL:\n"
    "\"allowed URL\" or \"disallowed URL\". A URL is absolute\n"
    "(\"https://example.com/a?b\") or a path (\"/a?b\"). FILE \"-\" is\n"
    "standard input; at most the first 500 KiB of it are read.\n"
    "\n"
    "  --agent TOKEN   the product token the groups are matched against\n"
    "  --robots FILE   the robots.txt to read (bytes, as served)\n"
    "  --info          first print \"crawl-delay SECONDS\" (or \"crawl-delay\n"
    "                  none\") and one \"sitemap URL\" line per Sitemap:\n"
    "                  line; URLs are then optional\n"
    "  --              end of options (for a URL that starts with '-')\n"
    "  -h, --help      this help\n"
    "\n"
    "exit status: 0 when every URL was checked, 1 when FILE cannot be read,\n"
    "2 on a usage error.\n";

/* Read at most CRAWL_ROBOTS_MAX_BYTES + 1 bytes of path ("-": stdin) into
 * out: the parser needs the byte after its limit to tell a cut line from
 * a whole one. WN_E_IO (errno kept) or WN_E_NOMEM. */
static wn_result read_robots(const char *path, struct wn_buf *out)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  size_t want = (size_t)CRAWL_ROBOTS_MAX_BYTES + 1;
  wn_result rc = WN_OK;

  if (!f)
    return WN_E_IO;
  rc = wn_buf_reserve(out, want);
  if (rc != WN_OK)
    goto out;
  while (out->len < want) {
    size_t got = fread(out->data + out->len, 1, want - out->len, f);

    out->len += got;
    if (got == 0)
      break;
  }
  out->data[out->len] = '\0';
  if (ferror(f))
    rc = WN_E_IO;
out:
  if (f != stdin) {
    int saved = errno;

    fclose(f);
    errno = saved;
  }
  return rc;
}

int cli_robots_main(int argc, char **argv)
{
  const char *agent = NULL, *file = NULL;
  struct crawl_robots *robots = NULL;
  struct wn_buf body;
  char **urls = NULL;
  int n_urls = 0, info = 0, options = 1, k, ret = CLI_EXIT_USAGE;
  wn_result rc;
  size_t i;

  wn_buf_init(&body, (size_t)CRAWL_ROBOTS_MAX_BYTES + 1);
  urls = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*urls));
  if (!urls) {
    fprintf(stderr, "winnow robots: out of memory\n");
    ret = CLI_EXIT_SOME_FAILED;
    goto out;
  }
  for (k = 1; k < argc; k++) {
    const char *a = argv[k];

    if (!options || a[0] != '-' || a[1] == '\0') {
      urls[n_urls++] = argv[k];
    } else if (strcmp(a, "--") == 0) {
      options = 0;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage, stdout);
      ret = CLI_EXIT_OK;
      goto out;
    } else if (strcmp(a, "--info") == 0) {
      info = 1;
    } else if (strcmp(a, "--agent") == 0 || strcmp(a, "--robots") == 0) {
      if (k + 1 >= argc) {
        fprintf(stderr, "winnow robots: %s needs a value\n%s", a, usage);
        goto out;
      }
      if (a[2] == 'a')
        agent = argv[++k];
      else
        file = argv[++k];
    } else if (strncmp(a, "--agent=", 8) == 0) {
      agent = a + 8;
    } else if (strncmp(a, "--robots=", 9) == 0) {
      file = a + 9;
    } else {
      fprintf(stderr, "winnow robots: unknown option '%s'\n%s", a, usage);
      goto out;
    }
  }
  if (!agent || !file || (n_urls == 0 && !info)) {
    fprintf(stderr, "winnow robots: %s\n%s",
            !agent  ? "--agent is required"
            : !file ? "--robots is required"
                    : "no URL to check",
            usage);
    goto out;
  }
  ret = CLI_EXIT_SOME_FAILED;
  rc = read_robots(file, &body);
  if (rc == WN_E_IO) {
    fprintf(stderr, "winnow robots: %s: cannot read: %s\n", file,
            strerror(errno));
    goto out;
  }
  if (rc == WN_OK)
    rc = crawl_robots_parse(body.data ? body.data : "", body.len, agent,
                            &robots);
  if (rc != WN_OK) {
    fprintf(stderr, "winnow robots: %s: %s\n", file, wn_strerror(rc));
    goto out;
  }
  if (info) {
    double delay = crawl_robots_crawl_delay(robots);

    if (delay < 0)
      printf("crawl-delay none\n");
    else
      printf("crawl-delay %g\n", delay);
    for (i = 0; i < crawl_robots_sitemap_count(robots); i++)
      printf("sitemap %s\n", crawl_robots_sitemap_at(robots, i));
  }
  for (k = 0; k < n_urls; k++)
    printf("%s %s\n",
           crawl_robots_allowed(robots, urls[k]) ? "allowed" : "disallowed",
           urls[k]);
  if (fflush(stdout) != 0) {
    fprintf(stderr, "winnow robots: cannot write the output: %s\n",
            strerror(errno));
    goto out;
  }
  ret = CLI_EXIT_OK;
out:
  crawl_robots_free(robots);
  wn_buf_free(&body);
  free(urls);
  return ret;
}
