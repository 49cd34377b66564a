/* standin: a misbehaving program on demand, to prove runlimit's checks.
 *
 *   standin lines N      print N JSON records, exit 0
 *   standin truncated    print one record with "truncated": true
 *   standin badjson      print a line that is not JSON
 *   standin badutf8      print a JSON record with invalid UTF-8 in it
 *   standin noeol        print a record without its final newline
 *   standin exit N       exit with status N, printing nothing
 *   standin stderr N     print a line on stderr, exit N
 *   standin sanitizer    print an AddressSanitizer-style report, exit 1
 *   standin segv         crash with SIGSEGV
 *   standin abort        crash with SIGABRT
 *   standin sleep SEC    sleep, then exit 0
 *   standin alloc MIB    allocate and touch MIB MiB, then exit 0
 *   standin cat          copy stdin to stdout */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long arg_long(int argc, char **argv)
{
  char *end;
  long v;

  if (argc < 3)
    return 0;
  v = strtol(argv[2], &end, 10);
  return *end == '\0' && v >= 0 ? v : 0;
}

int main(int argc, char **argv)
{
  const char *mode = argc > 1 ? argv[1] : "";
  long n = arg_long(argc, argv);
  long i;

  if (strcmp(mode, "lines") == 0) {
    for (i = 0; i < n; i++)
      printf("{\"id\":%ld,\"text\":\"caf\xc3\xa9\",\"truncated\":false}\n", i);
  } else if (strcmp(mode, "truncated") == 0) {
    printf("{\"text\":\"\",\"truncated\":true}\n");
  } else if (strcmp(mode, "badjson") == 0) {
    printf("{\"text\": oops}\n");
  } else if (strcmp(mode, "badutf8") == 0) {
    printf("{\"text\":\"\xc0\xaf\"}\n");
  } else if (strcmp(mode, "noeol") == 0) {
    printf("{\"text\":\"\"}");
  } else if (strcmp(mode, "exit") == 0) {
    return (int)n;
  } else if (strcmp(mode, "stderr") == 0) {
    fprintf(stderr, "standin: something went wrong\n");
    return (int)n;
  } else if (strcmp(mode, "sanitizer") == 0) {
    fprintf(stderr, "==1==ERROR: AddressSanitizer: heap-use-after-free\n");
    return 1;
  } else if (strcmp(mode, "segv") == 0) {
    raise(SIGSEGV);
  } else if (strcmp(mode, "abort") == 0) {
    abort();
  } else if (strcmp(mode, "sleep") == 0) {
    struct timespec ts = {(time_t)n, 0};
    nanosleep(&ts, NULL);
  } else if (strcmp(mode, "alloc") == 0) {
    size_t len = (size_t)n * 1024u * 1024u;
    volatile char *p = malloc(len);
    size_t k;

    if (!p)
      return 3;
    for (k = 0; k < len; k += 4096)
      p[k] = 1;
    free((void *)p);
  } else if (strcmp(mode, "cat") == 0) {
    int c;

    while ((c = getchar()) != EOF)
      putchar(c);
  } else {
    fprintf(stderr, "standin: unknown mode \"%s\"\n", mode);
    return 2;
  }
  return 0;
}
