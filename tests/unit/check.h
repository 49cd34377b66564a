/* Minimal assertions for table-driven unit tests. Each failed check prints
 * file:line and the values; main() returns check_exit(). */
#ifndef WN_TEST_CHECK_H
#define WN_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) {         \
      fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__,         \
              __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");         \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

#define CHECK_INT(got, want)                                                   \
  do {                                                                         \
    long long g_ = (long long)(got), w_ = (long long)(want);                   \
    if (g_ != w_) {                                                            \
      fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__,  \
              #got, g_, w_);                                                   \
      check_failures++;                                                        \
    }                                                                          \
  } while (0)

static inline int check_exit(void)
{
  if (check_failures)
    fprintf(stderr, "%d check(s) failed\n", check_failures);
  return check_failures ? 1 : 0;
}

#endif
