/* runlimit: run one command under a time and memory budget and check what
 * it did.
 *
 *   runlimit --timeout SEC --max-rss MIB [options] -- CMD [ARG...]
 *
 * The command runs in its own process group with stdin from --stdin FILE
 * (default /dev/null) and its stdout and stderr captured. runlimit fails
 * (exit 1, one "runlimit: FAIL: ..." line per problem on stderr) when the
 * command
 *   - was killed by a signal (a crash),
 *   - ran longer than SEC seconds (a hang; its whole group is SIGKILLed),
 *   - had a peak RSS (wait4 ru_maxrss) above MIB, or was seen above it
 *     while running (then it is killed early),
 *   - printed a sanitizer report on stderr,
 *   - exited with a code not in --expect-exit,
 *   - printed stdout that is not valid UTF-8, or a line that is not a JSON
 *     object (unless --no-json), or a number of lines other than
 *     --expect-lines, or records failing --expect-field / --expect-nonempty,
 *   - printed nothing on stderr although --expect-stderr was given.
 * Exit 0 when every check passed, 1 when one failed, 2 on bad usage or when
 * the command could not be started.
 *
 * --report FILE appends one line "wall_s=... maxrss_kib=... status=..." so
 * benchmarks can use runlimit as a timer. */
#define _DEFAULT_SOURCE /* wait4() */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define MAX_EXPECT 16
#define STDERR_SHOWN_BYTES 4096u
#define STDERR_SCANNED_BYTES (16u * 1024u * 1024u)
#define STDOUT_CHECKED_BYTES (1024u * 1024u * 1024u)
#define POLL_NS 20000000L /* RSS poll interval while the command runs */
#define MAX_REPORTED_RECORD_ERRORS 5

struct field_check {
  const char *key;
  json_t *value; /* NULL: the value must be a non-empty string */
};

struct options {
  double timeout_s;
  double max_rss_mib;
  int exits[MAX_EXPECT];
  size_t n_exits;    /* 0: any exit code is fine */
  long expect_lines; /* -1: not checked */
  int expect_stderr;
  int check_json;
  struct field_check fields[MAX_EXPECT];
  size_t n_fields;
  const char *stdin_path;
  const char *stdout_path;
  const char *report_path;
  char **cmd;
};

struct outcome {
  int status; /* from wait4 */
  struct rusage ru;
  double wall_s;
  int timed_out;
  int rss_killed;
  long rss_seen_kib; /* RSS seen by the poll that killed it */
};

static int n_failures;
static const char *cmd_name = "command";

static void fail(const char *fmt, ...) PRINTF_LIKE(1, 2);

static void fail(const char *fmt, ...)
{
  va_list ap;

  n_failures++;
  fprintf(stderr, "runlimit: FAIL: %s: ", cmd_name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static void usage(FILE *f)
{
  fprintf(f,
          "usage: runlimit --timeout SEC --max-rss MIB [options] -- CMD "
          "[ARG...]\n"
          "  --expect-exit N[,M...]   allowed exit codes (default: any)\n"
          "  --expect-lines N         stdout must have exactly N lines\n"
          "  --expect-stderr          stderr must not be empty\n"
          "  --expect-field KEY=JSON  every stdout record has KEY equal to "
          "JSON\n"
          "  --expect-nonempty KEY    every stdout record has KEY as a "
          "non-empty string\n"
          "  --no-json                do not require stdout lines to be JSON "
          "objects\n"
          "  --stdin FILE             stdin of CMD (default /dev/null)\n"
          "  --stdout FILE            keep stdout of CMD in FILE (checked "
          "only if a regular file)\n"
          "  --report FILE            append wall time, peak RSS and status "
          "to FILE\n");
}

static int parse_double(const char *s, double *out)
{
  char *end;
  double v;

  errno = 0;
  v = strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || !(v > 0))
    return -1;
  *out = v;
  return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
  char *end;
  long v;

  errno = 0;
  v = strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

static int parse_exits(const char *s, struct options *o)
{
  char buf[256];
  char *p, *comma;
  long v;

  if (strlen(s) >= sizeof buf)
    return -1;
  memcpy(buf, s, strlen(s) + 1);
  for (p = buf; p; p = comma ? comma + 1 : NULL) {
    comma = strchr(p, ',');
    if (comma)
      *comma = '\0';
    if (o->n_exits == MAX_EXPECT || parse_long(p, 0, 255, &v) != 0)
      return -1;
    o->exits[o->n_exits++] = (int)v;
  }
  return 0;
}

static int add_field(struct options *o, const char *key, json_t *value)
{
  if (o->n_fields == MAX_EXPECT)
    return -1;
  o->fields[o->n_fields].key = key;
  o->fields[o->n_fields].value = value;
  o->n_fields++;
  return 0;
}

/* KEY=JSON; the key is cut out of the argv string in place. */
static int parse_field(char *arg, struct options *o)
{
  char *eq = strchr(arg, '=');
  json_t *v;

  if (!eq || eq == arg)
    return -1;
  *eq = '\0';
  v = json_loads(eq + 1, JSON_DECODE_ANY, NULL);
  if (!v)
    return -1;
  if (add_field(o, arg, v) != 0) {
    json_decref(v);
    return -1;
  }
  return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
  int i;
  long n;

  memset(o, 0, sizeof *o);
  o->expect_lines = -1;
  o->check_json = 1;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;

    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "--expect-stderr") == 0) {
      o->expect_stderr = 1;
      continue;
    }
    if (strcmp(a, "--no-json") == 0) {
      o->check_json = 0;
      continue;
    }
    if (!v) {
      fprintf(stderr, "runlimit: %s needs a value\n", a);
      return -1;
    }
    i++;
    if (strcmp(a, "--timeout") == 0) {
      if (parse_double(v, &o->timeout_s) != 0)
        goto bad;
    } else if (strcmp(a, "--max-rss") == 0) {
      if (parse_double(v, &o->max_rss_mib) != 0)
        goto bad;
    } else if (strcmp(a, "--expect-exit") == 0) {
      if (parse_exits(v, o) != 0)
        goto bad;
    } else if (strcmp(a, "--expect-lines") == 0) {
      if (parse_long(v, 0, 1L << 30, &n) != 0)
        goto bad;
      o->expect_lines = n;
    } else if (strcmp(a, "--expect-field") == 0) {
      if (parse_field(argv[i], o) != 0)
        goto bad;
    } else if (strcmp(a, "--expect-nonempty") == 0) {
      if (add_field(o, v, NULL) != 0)
        goto bad;
    } else if (strcmp(a, "--stdin") == 0) {
      o->stdin_path = v;
    } else if (strcmp(a, "--stdout") == 0) {
      o->stdout_path = v;
    } else if (strcmp(a, "--report") == 0) {
      o->report_path = v;
    } else {
      fprintf(stderr, "runlimit: unknown option %s\n", a);
      return -1;
    }
    continue;
  bad:
    fprintf(stderr, "runlimit: bad value for %s: %s\n", a, v);
    return -1;
  }
  if (o->timeout_s <= 0 || o->max_rss_mib <= 0) {
    fprintf(stderr, "runlimit: --timeout and --max-rss are required\n");
    return -1;
  }
  if (i >= argc) {
    fprintf(stderr, "runlimit: no command after --\n");
    return -1;
  }
  o->cmd = argv + i;
  return 0;
}

static double now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Resident set of pid in KiB from /proc, or -1 when unknown. */
static long current_rss_kib(pid_t pid)
{
  char path[64];
  long size, resident;
  FILE *f;
  int n;

  snprintf(path, sizeof path, "/proc/%ld/statm", (long)pid);
  f = fopen(path, "r");
  if (!f)
    return -1;
  n = fscanf(f, "%ld %ld", &size, &resident);
  fclose(f);
  if (n != 2)
    return -1;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void on_sigchld(int sig)
{
  (void)sig; /* only here so SIGCHLD is delivered to sigtimedwait */
}

static int set_cloexec(int fd)
{
  int flags = fcntl(fd, F_GETFD);

  return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* Runs in the child: never returns. */
static void exec_child(const struct options *o, int in_fd, int out_fd,
                       int err_fd, const sigset_t *oldmask)
{
  struct sigaction sa;

  setpgid(0, 0);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &sa, NULL);
  sigprocmask(SIG_SETMASK, oldmask, NULL);
  if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
    _exit(127);
  execvp(o->cmd[0], o->cmd);
  fprintf(stderr, "runlimit: cannot run %s: %s\n", o->cmd[0], strerror(errno));
  _exit(127);
}

/* Fork, exec and wait for the command with the timeout and RSS watch.
 * Returns 0 with *res filled in, or -1 when it could not be started. */
static int run(const struct options *o, int in_fd, int out_fd, int err_fd,
               struct outcome *res)
{
  struct sigaction sa;
  sigset_t chld, oldmask;
  double start, deadline, left;
  long limit_kib = (long)(o->max_rss_mib * 1024.0);
  long rss;
  pid_t pid, got;

  memset(res, 0, sizeof *res);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &oldmask);

  start = now_s();
  deadline = start + o->timeout_s;
  pid = fork();
  if (pid < 0) {
    fprintf(stderr, "runlimit: fork: %s\n", strerror(errno));
    return -1;
  }
  if (pid == 0)
    exec_child(o, in_fd, out_fd, err_fd, &oldmask);
  setpgid(pid, pid); /* also done by the child; whichever runs first wins */

  for (;;) {
    struct timespec ts;

    got = wait4(pid, &res->status, WNOHANG, &res->ru);
    if (got == pid)
      break;
    if (got < 0 && errno != EINTR) {
      fprintf(stderr, "runlimit: wait4: %s\n", strerror(errno));
      return -1;
    }
    left = deadline - now_s();
    if (left <= 0) {
      res->timed_out = 1;
      break;
    }
    rss = current_rss_kib(pid);
    if (rss > limit_kib) {
      res->rss_killed = 1;
      res->rss_seen_kib = rss;
      break;
    }
    ts.tv_sec = 0;
    ts.tv_nsec = left < POLL_NS / 1e9 ? (long)(left * 1e9) + 1 : POLL_NS;
    sigtimedwait(&chld, NULL, &ts);
  }
  if (res->timed_out || res->rss_killed) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (wait4(pid, &res->status, 0, &res->ru) < 0 && errno == EINTR)
      ;
  }
  res->wall_s = now_s() - start;
  kill(-pid, SIGKILL); /* anything the command left behind in its group */
  sigprocmask(SIG_SETMASK, &oldmask, NULL);
  return 0;
}

/* Read all of fd from offset 0, at most cap bytes. Caller frees *out. */
static int slurp(int fd, size_t cap, char **out, size_t *len, size_t *total)
{
  struct stat st;
  size_t want, got = 0;
  ssize_t n;
  char *buf;

  if (fstat(fd, &st) != 0)
    return -1;
  *total = (size_t)st.st_size;
  want = *total < cap ? *total : cap;
  buf = malloc(want + 1);
  if (!buf)
    return -1;
  while (got < want) {
    n = pread(fd, buf + got, want - got, (off_t)got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  buf[got] = '\0';
  *out = buf;
  *len = got;
  return 0;
}

/* Offset of the first byte that is not part of well-formed UTF-8 (no
 * overlongs, no surrogates, nothing above U+10FFFF), or len if none. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
  size_t i = 0, n, k;
  unsigned long cp, min;

  while (i < len) {
    unsigned char c = s[i];

    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07u, min = 0x10000;
    } else {
      return i;
    }
    if (len - i <= n)
      return i;
    for (k = 1; k <= n; k++) {
      if ((s[i + k] & 0xC0u) != 0x80u)
        return i;
      cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFFul || (cp >= 0xD800ul && cp <= 0xDFFFul))
      return i;
    i += n + 1;
  }
  return len;
}

static int field_ok(const struct field_check *fc, json_t *rec, const char **why)
{
  json_t *v = json_object_get(rec, fc->key);

  if (!v) {
    *why = "is missing";
    return 0;
  }
  if (fc->value) {
    *why = "has another value";
    return json_equal(v, fc->value);
  }
  *why = "is not a non-empty string";
  return json_is_string(v) && json_string_length(v) > 0;
}

/* Count lines of out and check each record. Returns the line count. */
static long check_records(const struct options *o, const char *out, size_t len)
{
  size_t pos = 0, end, f;
  long line = 0;
  int reported = 0;
  json_error_t err;
  json_t *rec;
  const char *why;

  while (pos < len) {
    const char *nl = memchr(out + pos, '\n', len - pos);

    end = nl ? (size_t)(nl - out) : len;
    line++;
    if (!nl && o->check_json)
      fail("stdout line %ld does not end with a newline", line);
    if (o->check_json && reported < MAX_REPORTED_RECORD_ERRORS) {
      rec = json_loadb(out + pos, end - pos, JSON_ALLOW_NUL, &err);
      if (!rec) {
        fail("stdout line %ld is not JSON: %s (column %d)", line, err.text,
             err.column);
        reported++;
      } else if (!json_is_object(rec)) {
        fail("stdout line %ld is JSON but not an object", line);
        reported++;
      } else {
        for (f = 0; f < o->n_fields; f++) {
          if (!field_ok(&o->fields[f], rec, &why)) {
            fail("stdout line %ld: field \"%s\" %s", line, o->fields[f].key,
                 why);
            reported++;
          }
        }
      }
      json_decref(rec);
    }
    pos = end + 1;
  }
  return line;
}

static const char *const sanitizer_marks[] = {
    "ERROR: AddressSanitizer",  "ERROR: LeakSanitizer",
    "runtime error:",           "WARNING: MemorySanitizer",
    "WARNING: ThreadSanitizer", "ERROR: UndefinedBehaviorSanitizer"};

static void check_stderr(const struct options *o, int err_fd)
{
  char *text = NULL;
  size_t len = 0, total = 0, i, shown;

  if (slurp(err_fd, STDERR_SCANNED_BYTES, &text, &len, &total) != 0) {
    fail("cannot read back its stderr");
    return;
  }
  if (len > 0) {
    shown = len < STDERR_SHOWN_BYTES ? len : STDERR_SHOWN_BYTES;
    fprintf(stderr, "--- stderr of %s (%zu bytes) ---\n", cmd_name, total);
    fwrite(text, 1, shown, stderr);
    if (shown < total)
      fprintf(stderr, "\n[... %zu more bytes]", total - shown);
    if (text[shown - 1] != '\n')
      fputc('\n', stderr);
    fprintf(stderr, "--- end of stderr ---\n");
  }
  /* strstr stops at a NUL, so search each NUL-separated piece. */
  for (i = 0; i < sizeof sanitizer_marks / sizeof *sanitizer_marks; i++) {
    size_t at = 0;

    while (at < len) {
      if (strstr(text + at, sanitizer_marks[i])) {
        fail("sanitizer report on stderr (\"%s\")", sanitizer_marks[i]);
        break;
      }
      at += strlen(text + at) + 1;
    }
  }
  if (o->expect_stderr && total == 0)
    fail("expected a message on stderr, got none");
  free(text);
}

static void check_stdout(const struct options *o, int out_fd)
{
  char *out = NULL;
  size_t len = 0, total = 0, bad;
  long lines;

  if (slurp(out_fd, STDOUT_CHECKED_BYTES, &out, &len, &total) != 0) {
    fail("cannot read back its stdout");
    return;
  }
  if (total > len) {
    fail("stdout is %zu bytes, more than runlimit checks", total);
    free(out);
    return;
  }
  bad = utf8_invalid_at((const unsigned char *)out, len);
  if (bad < len)
    fail("stdout is not valid UTF-8 (byte 0x%02x at offset %zu)",
         (unsigned)(unsigned char)out[bad], bad);
  lines = check_records(o, out, len);
  if (o->expect_lines >= 0 && lines != o->expect_lines)
    fail("printed %ld stdout line%s, expected %ld", lines,
         lines == 1 ? "" : "s", o->expect_lines);
  free(out);
}

static void status_text(const struct outcome *r, char *buf, size_t size)
{
  if (r->timed_out)
    snprintf(buf, size, "timeout");
  else if (r->rss_killed)
    snprintf(buf, size, "rss-limit");
  else if (WIFSIGNALED(r->status))
    snprintf(buf, size, "signal:%d", WTERMSIG(r->status));
  else
    snprintf(buf, size, "exit:%d", WEXITSTATUS(r->status));
}

static void check_outcome(const struct options *o, const struct outcome *r)
{
  double peak_mib = (double)r->ru.ru_maxrss / 1024.0;
  int code, sig;
  size_t i;

  if (r->timed_out) {
    fail("timed out after %.1f s (hang?); killed its process group",
         o->timeout_s);
    return;
  }
  if (r->rss_killed) {
    fail("RSS reached %.1f MiB, over the %.1f MiB limit; killed",
         (double)r->rss_seen_kib / 1024.0, o->max_rss_mib);
    return;
  }
  if (WIFSIGNALED(r->status)) {
    sig = WTERMSIG(r->status);
    fail("crashed: killed by signal %d (%s)%s", sig, strsignal(sig),
         WCOREDUMP(r->status) ? ", core dumped" : "");
    return;
  }
  if (peak_mib > o->max_rss_mib)
    fail("peak RSS %.1f MiB, over the %.1f MiB limit", peak_mib,
         o->max_rss_mib);
  code = WEXITSTATUS(r->status);
  if (o->n_exits == 0)
    return;
  for (i = 0; i < o->n_exits; i++)
    if (o->exits[i] == code)
      return;
  fail("exited with %d, expected %d%s", code, o->exits[0],
       o->n_exits > 1 ? " (or another listed code)" : "");
}

static int write_report(const char *path, const struct outcome *r)
{
  char status[32];
  FILE *f = fopen(path, "a");

  if (!f)
    return -1;
  status_text(r, status, sizeof status);
  fprintf(f, "wall_s=%.6f maxrss_kib=%ld status=%s\n", r->wall_s,
          (long)r->ru.ru_maxrss, status);
  return fclose(f);
}

/* Open the file that receives the command's stdout: --stdout FILE or an
 * anonymous temporary file. *checkable says whether it can be read back. */
static int open_stdout(const struct options *o, int *checkable)
{
  struct stat st;
  FILE *tmp;
  int fd;

  if (o->stdout_path) {
    fd = open(o->stdout_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
      return -1;
    *checkable = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    return fd;
  }
  tmp = tmpfile();
  if (!tmp)
    return -1;
  fd = dup(fileno(tmp));
  fclose(tmp);
  *checkable = 1;
  return fd < 0 || set_cloexec(fd) != 0 ? -1 : fd;
}

static int open_temp(void)
{
  FILE *tmp = tmpfile();
  int fd;

  if (!tmp)
    return -1;
  fd = dup(fileno(tmp));
  fclose(tmp);
  return fd < 0 || set_cloexec(fd) != 0 ? -1 : fd;
}

int main(int argc, char **argv)
{
  struct options o;
  struct outcome r;
  int in_fd, out_fd, err_fd, checkable = 0;
  const char *slash;
  size_t i;

  if (argc == 2 &&
      (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
    usage(stdout);
    return 0;
  }
  if (parse_args(argc, argv, &o) != 0) {
    usage(stderr);
    return 2;
  }
  slash = strrchr(o.cmd[0], '/');
  cmd_name = slash ? slash + 1 : o.cmd[0];

  in_fd = open(o.stdin_path ? o.stdin_path : "/dev/null", O_RDONLY | O_CLOEXEC);
  if (in_fd < 0) {
    fprintf(stderr, "runlimit: %s: %s\n",
            o.stdin_path ? o.stdin_path : "/dev/null", strerror(errno));
    return 2;
  }
  out_fd = open_stdout(&o, &checkable);
  err_fd = open_temp();
  if (out_fd < 0 || err_fd < 0) {
    fprintf(stderr, "runlimit: cannot create output files: %s\n",
            strerror(errno));
    return 2;
  }
  if (!checkable && (o.expect_lines >= 0 || o.n_fields > 0)) {
    fprintf(stderr, "runlimit: --expect-lines/--expect-field need stdout "
                    "in a regular file\n");
    return 2;
  }
  if (run(&o, in_fd, out_fd, err_fd, &r) != 0)
    return 2;

  check_outcome(&o, &r);
  check_stderr(&o, err_fd);
  if (checkable)
    check_stdout(&o, out_fd);
  if (o.report_path && write_report(o.report_path, &r) != 0)
    fail("cannot write report %s: %s", o.report_path, strerror(errno));
  if (n_failures == 0)
    fprintf(stderr, "runlimit: ok: %s (wall %.2f s, peak RSS %.1f MiB)\n",
            cmd_name, r.wall_s, (double)r.ru.ru_maxrss / 1024.0);

  for (i = 0; i < o.n_fields; i++)
    json_decref(o.fields[i].value);
  close(in_fd);
  close(out_fd);
  close(err_fd);
  return n_failures ? 1 : 0;
}
