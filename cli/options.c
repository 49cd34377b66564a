/* The rule set of a command: built-in rules, then each --rules path. */
#include "cli/cli.h"
#include "rules/rules.h"

#include <stdio.h>

static void print_error(void *ud, const char *file, int line, int column,
                        const char *message)
{
  (void)ud;
  if (line > 0)
    fprintf(stderr, "winnow: %s:%d:%d: %s\n", file, line, column, message);
  else
    fprintf(stderr, "winnow: %s: %s\n", file, message);
}

struct rules_set *cli_rules_load(char **paths, int n_paths)
{
  struct rules_set *rs = rules_set_new();
  int k, bad = 0;

  if (!rs) {
    fprintf(stderr, "winnow: out of memory\n");
    return NULL;
  }
  if (rules_set_load_builtin(rs, print_error, NULL) != WN_OK)
    bad = 1;
  for (k = 0; k < n_paths; k++)
    if (rules_set_load_path(rs, paths[k], print_error, NULL) != WN_OK)
      bad = 1;
  if (bad) {
    rules_set_free(rs);
    return NULL;
  }
  return rs;
}
