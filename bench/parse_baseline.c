/* parse_baseline: the floor winnow's extractor is measured against.
 *
 *   parse_baseline [--tuned] FILE...
 *
 * For each FILE: read it, gunzip it when its name ends in ".gz", parse it
 * with Gumbo, walk the whole tree once (explicit stack), destroy the tree.
 * That is the least work any Gumbo-based extractor must do, so winnow's
 * pages/s divided by this program's is the share of time spent on anything
 * other than reading and parsing.
 *
 * --tuned parses with max_errors = 0: Gumbo then records no parse errors,
 * which is the cheapest configuration an extractor could choose.
 *
 * Prints the node and text-byte totals on stdout (so the walk has an
 * observable result) and pages, bytes, seconds and pages/s on stderr.
 * Exit: 0 all files parsed, 1 some file unreadable, 2 bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gumbo.h>
#include <zlib.h>

struct bytes {
  unsigned char *data;
  size_t len;
  size_t cap;
};

/* Grow b so it can hold at least `need` more bytes. Returns 0 or -1. */
static int bytes_reserve(struct bytes *b, size_t need)
{
  size_t cap;
  unsigned char *p;

  if (b->cap - b->len >= need)
    return 0;
  cap = b->cap ? b->cap : 65536;
  while (cap - b->len < need) {
    if (cap > ((size_t)-1) / 2)
      return -1;
    cap *= 2;
  }
  p = realloc(b->data, cap);
  if (!p)
    return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

/* Read the whole file at path into b (b->len reset first). */
static int read_file(const char *path, struct bytes *b)
{
  FILE *f;
  size_t n;
  int rc = -1;

  b->len = 0;
  f = fopen(path, "rb");
  if (!f)
    return -1;
  for (;;) {
    if (bytes_reserve(b, 65536) != 0)
      goto out;
    n = fread(b->data + b->len, 1, b->cap - b->len, f);
    b->len += n;
    if (n == 0) {
      if (ferror(f))
        goto out;
      break;
    }
  }
  rc = 0;
out:
  fclose(f);
  return rc;
}

/* Gunzip in (one or more concatenated gzip members) into out. */
static int gunzip(const struct bytes *in, struct bytes *out)
{
  z_stream zs;
  int zrc;
  int rc = -1;

  out->len = 0;
  if (in->len > (uInt)-1)
    return -1; /* one avail_in must cover the input; pages are far smaller */
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
    return -1;
  zs.next_in = in->data;
  zs.avail_in = (uInt)in->len;
  for (;;) {
    if (bytes_reserve(out, 262144) != 0)
      goto out;
    zs.next_out = out->data + out->len;
    zs.avail_out = (uInt)(out->cap - out->len);
    zrc = inflate(&zs, Z_NO_FLUSH);
    out->len = out->cap - zs.avail_out;
    if (zrc == Z_STREAM_END) {
      if (zs.avail_in == 0)
        break;
      if (inflateReset(&zs) != Z_OK)
        goto out;
      continue;
    }
    if (zrc != Z_OK)
      goto out;
    if (zs.avail_in == 0 && zs.avail_out != 0)
      goto out; /* truncated stream */
  }
  rc = 0;
out:
  inflateEnd(&zs);
  return rc;
}

struct walk_totals {
  unsigned long long nodes;
  unsigned long long text_bytes;
};

/* Visit every node of the tree under root without recursion. */
static int walk(GumboNode *root, struct walk_totals *t)
{
  GumboNode **stack = NULL;
  size_t n_stack = 0, cap = 0;
  const GumboVector *kids;
  GumboNode *node;
  unsigned int i;

  if (!root)
    return 0;
  cap = 1024;
  stack = malloc(cap * sizeof *stack);
  if (!stack)
    return -1;
  stack[n_stack++] = root;
  while (n_stack > 0) {
    node = stack[--n_stack];
    t->nodes++;
    kids = NULL;
    switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      kids = &node->v.document.children;
      break;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      kids = &node->v.element.children;
      break;
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
    case GUMBO_NODE_WHITESPACE:
      t->text_bytes += strlen(node->v.text.text);
      break;
    case GUMBO_NODE_COMMENT:
      break;
    }
    if (!kids)
      continue;
    if (cap - n_stack < kids->length) {
      size_t want = n_stack + kids->length + cap;
      GumboNode **p = realloc(stack, want * sizeof *stack);
      if (!p) {
        free(stack);
        return -1;
      }
      stack = p;
      cap = want;
    }
    /* Push in reverse so children come off the stack in document order. */
    for (i = kids->length; i > 0; i--)
      stack[n_stack++] = kids->data[i - 1];
  }
  free(stack);
  return 0;
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
  fprintf(f, "usage: parse_baseline [--tuned] FILE...\n"
             "  Gumbo-parse and walk each FILE (.html or .html.gz); "
             "report pages/s on stderr.\n"
             "  --tuned  parse with max_errors=0 (no error recording)\n");
}

int main(int argc, char **argv)
{
  GumboOptions opts = kGumboDefaultOptions;
  struct bytes raw = {0}, plain = {0};
  struct walk_totals totals = {0, 0};
  unsigned long long bytes_in = 0;
  unsigned long pages = 0, failed = 0;
  const struct bytes *page;
  GumboOutput *out;
  double t0, secs;
  int i = 1;

  if (argc > 1 && strcmp(argv[1], "--tuned") == 0) {
    opts.max_errors = 0;
    i++;
  } else if (argc > 1 &&
             (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
    usage(stdout);
    return 0;
  }
  if (i >= argc) {
    usage(stderr);
    return 2;
  }

  t0 = now_seconds();
  for (; i < argc; i++) {
    if (read_file(argv[i], &raw) != 0) {
      fprintf(stderr, "parse_baseline: %s: cannot read: %s\n", argv[i],
              strerror(errno));
      failed++;
      continue;
    }
    page = &raw;
    if (ends_with(argv[i], ".gz")) {
      if (gunzip(&raw, &plain) != 0) {
        fprintf(stderr, "parse_baseline: %s: bad gzip data\n", argv[i]);
        failed++;
        continue;
      }
      page = &plain;
    }
    out = gumbo_parse_with_options(&opts, (const char *)page->data, page->len);
    if (!out || walk(out->document, &totals) != 0) {
      fprintf(stderr, "parse_baseline: %s: out of memory\n", argv[i]);
      if (out)
        gumbo_destroy_output(&opts, out);
      failed++;
      continue;
    }
    gumbo_destroy_output(&opts, out);
    bytes_in += page->len;
    pages++;
  }
  secs = now_seconds() - t0;

  printf("nodes %llu text_bytes %llu\n", totals.nodes, totals.text_bytes);
  fprintf(stderr,
          "parse_baseline%s: pages %lu bytes %llu seconds %.3f pages/s %.1f\n",
          opts.max_errors == 0 ? " --tuned" : "", pages, bytes_in, secs,
          secs > 0 ? (double)pages / secs : 0.0);
  free(raw.data);
  free(plain.data);
  return failed ? 1 : 0;
}
