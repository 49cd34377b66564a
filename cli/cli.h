/* cli: argument parsing and the subcommands. Internal to cli/. */
#ifndef WN_CLI_H
#define WN_CLI_H

#include "common/common.h"

#include <jansson.h>

/* Exit codes shared by the subcommands. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_SOME_FAILED = 1, CLI_EXIT_USAGE = 2 };

int cli_extract_main(int argc, char **argv);

/* ---- input.c -----------------------------------------------------------
 * Read a file ("-" for stdin) into out (reset first), gunzipping gzip
 * data (recognised by its magic bytes). At most `max` bytes are kept; when
 * the input is longer, *truncated is set and the rest is not read (for
 * gzip: not inflated). Errors, with a message in err: WN_E_IO (open/read,
 * a directory), WN_E_PARSE (corrupt or truncated gzip, or a .gz name
 * without gzip data), WN_E_NOMEM. */
wn_result cli_input_read(const char *path, size_t max, struct wn_buf *out,
                         int *truncated, struct wn_error *err);

/* ---- expect.c -----------------------------------------------------------
 * Check a record (as JSON) against an expectation object: exact fields
 * (title, author, published, site_name, language, canonical_url, charset,
 * url, rules, rule_misses), text_has, text_lacks, text_empty, related_has,
 * related_lacks_urls, related_count, blocks_count, heading_count,
 * boilerplate_has, boilerplate_lacks_kinds, blocks_has. Calls cb with one
 * message per failure; returns the number of failures. */
typedef void (*cli_expect_fail_cb)(void *ud, const char *message);
int cli_expect_check(json_t *record, json_t *expect, cli_expect_fail_cb cb,
                     void *ud);

int cli_rules_main(int argc, char **argv);
int cli_crawl_main(int argc, char **argv);
int cli_robots_main(int argc, char **argv);

/* ---- options.c -----------------------------------------------------------
 * The rule set every extraction uses: the built-in rules plus each --rules
 * path. Problems are printed on stderr ("winnow: FILE:LINE:COL: ..."). NULL
 * when a rule file is wrong or memory runs out. */
struct rules_set;
struct rules_set *cli_rules_load(char **paths, int n_paths);

#endif
