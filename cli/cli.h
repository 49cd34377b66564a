/* cli: argument parsing and the subcommands. Internal to cli/. */
#ifndef WN_CLI_H
#define WN_CLI_H

#include "common/common.h"

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

#endif
