/* winnow: entry point and subcommand dispatch. */
#include "cli/cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: winnow COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  extract   extract article records from HTML files\n"
    "  rules     check, test and learn site rule files\n"
    "  crawl     crawl politely from seed URLs and extract every page\n"
    "  robots    check URLs against a robots.txt file\n"
    "\n"
    "Run 'winnow COMMAND --help' for a command's options.\n"
    "options: -h, --help; -V, --version\n";

int main(int argc, char **argv)
{
  /* A closed pipe (winnow ... | head) ends the program quietly. */
  signal(SIGPIPE, SIG_DFL);
  if (argc < 2) {
    fputs(usage, stderr);
    return CLI_EXIT_USAGE;
  }
  if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    fputs(usage, stdout);
    return CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
    printf("winnow %s\n", WN_VERSION);
    return CLI_EXIT_OK;
  }
  if (strcmp(argv[1], "extract") == 0)
    return cli_extract_main(argc - 1, argv + 1);
  if (strcmp(argv[1], "rules") == 0)
    return cli_rules_main(argc - 1, argv + 1);
  if (strcmp(argv[1], "crawl") == 0)
    return cli_crawl_main(argc - 1, argv + 1);
  if (strcmp(argv[1], "robots") == 0)
    return cli_robots_main(argc - 1, argv + 1);
  fprintf(stderr, "winnow: unknown command '%s'\n%s", argv[1], usage);
  return CLI_EXIT_USAGE;
}
