/* Internals shared between the files of rules/. Not a public API. */
#ifndef WN_RULES_INT_H
#define WN_RULES_INT_H

#include "rules/rules.h"

/* Rule files bigger than this are refused. */
#define RULES_MAX_FILE_BYTES (1024u * 1024u)
/* pcre2 limits: steps of the matcher, backtracking depth, and the
 * longest pattern accepted. */
#define RULES_MATCH_LIMIT 200000u
#define RULES_DEPTH_LIMIT 2000u
#define RULES_MAX_PATTERN_BYTES 4096u

/* Files compiled into the binary (generated rules_builtin.c). */
struct rules_builtin_file {
  const char *name;
  const unsigned char *data;
  size_t len;
};
extern const struct rules_builtin_file rules_builtin_files[];
extern const size_t rules_builtin_count;

void rules_site_free(struct rules_site *s);

#endif
