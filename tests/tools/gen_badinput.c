/* gen_badinput: write the hostile inputs of the bad-input suite.
 *
 *   gen_badinput OUTDIR [NAME...]
 *
 * Writes every case (or only the named ones) into OUTDIR, which must
 * exist. Output is deterministic (fixed PRNG seed), so a failure found
 * with one build reproduces with the next. The big files (a 40 MiB page,
 * a 20 MiB text node, a gzip that inflates to 1 GiB) are made here at test
 * time rather than kept in the repository. Exit 0 on success, 1 on an I/O
 * error, 2 on bad usage. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define KIB 1024ul
#define MIB (1024ul * 1024ul)

static const char *out_dir;

/* splitmix64: tiny, fast and the same everywhere. */
static unsigned long long rng_state = 0x5eed5eed5eed5eedull;

static unsigned long long rng_next(void)
{
  unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* An output file; the first write error sticks and is reported at close. */
struct out {
  FILE *f;
  unsigned long long written;
  char path[4096];
};

static int out_open(struct out *o, const char *name)
{
  int n = snprintf(o->path, sizeof o->path, "%s/%s", out_dir, name);

  if (n < 0 || (size_t)n >= sizeof o->path) {
    fprintf(stderr, "gen_badinput: path too long: %s/%s\n", out_dir, name);
    return -1;
  }
  o->written = 0;
  o->f = fopen(o->path, "wb");
  if (!o->f) {
    fprintf(stderr, "gen_badinput: %s: %s\n", o->path, strerror(errno));
    return -1;
  }
  return 0;
}

static int out_close(struct out *o)
{
  int bad = ferror(o->f);

  if (fclose(o->f) != 0 || bad) {
    fprintf(stderr, "gen_badinput: %s: write failed\n", o->path);
    return -1;
  }
  return 0;
}

static void put_bytes(struct out *o, const void *p, size_t len)
{
  o->written += fwrite(p, 1, len, o->f);
}

static void put_char(struct out *o, char c)
{
  put_bytes(o, &c, 1);
}

static void put(struct out *o, const char *s)
{
  put_bytes(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void putf(struct out *o, const char *fmt, ...)
{
  va_list ap;

  int n;

  va_start(ap, fmt);
  n = vfprintf(o->f, fmt, ap);
  va_end(ap);
  if (n > 0)
    o->written += (unsigned long long)n;
}

static void put_repeat(struct out *o, const char *s, unsigned long count)
{
  size_t len = strlen(s);
  unsigned long i;

  for (i = 0; i < count; i++)
    put_bytes(o, s, len);
}

static const char *const words[] = {
    "the",       "council",  "voted",    "on",        "a",        "plan",
    "to",        "rebuild",  "harbour",  "bridge",    "after",    "years",
    "of",        "delays",   "and",      "rising",    "costs",    "residents",
    "said",      "they",     "welcomed", "decision",  "but",      "questions",
    "remain",    "about",    "funding",  "which",     "will",     "come",
    "from",      "regional", "budget",   "engineers", "expect",   "work",
    "begin",     "next",     "spring",   "traffic",   "diverted", "through",
    "old",       "town",     "centre",   "during",    "first",    "phase",
    "officials", "estimate"};

#define N_WORDS (sizeof words / sizeof *words)

/* One sentence of 8-23 pseudo-random words, capitalised, with a full stop
 * and a trailing space. */
static void put_sentence(struct out *o)
{
  unsigned long n = 8 + rng_next() % 16, i;
  const char *w;

  for (i = 0; i < n; i++) {
    w = words[rng_next() % N_WORDS];
    if (i == 0) {
      put_char(o, (char)(w[0] - 'a' + 'A'));
      put(o, w + 1);
    } else {
      put_char(o, ' ');
      put(o, w);
    }
  }
  put(o, ". ");
}

static void put_paragraph(struct out *o)
{
  unsigned long n = 2 + rng_next() % 4, i;

  put(o, "<p>");
  for (i = 0; i < n; i++)
    put_sentence(o);
  put(o, "</p>\n");
}

static void put_head(struct out *o, const char *title)
{
  put(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
  putf(o, "<title>%s</title></head>\n<body>\n", title);
}

static void put_tail(struct out *o)
{
  put(o, "</body></html>\n");
}

/* A plausible news article: navigation, headline, paragraphs, footer. */
static void put_article_page(struct out *o, const char *title,
                             unsigned long n_paragraphs)
{
  unsigned long i;

  put_head(o, title);
  put(o, "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">"
         "News</a></li><li><a href=\"/sport\">Sport</a></li></ul></nav>\n");
  putf(o, "<article><h1>%s</h1>\n", title);
  put(o, "<p class=\"byline\">By Ada Example, 3 March 2024</p>\n");
  for (i = 0; i < n_paragraphs; i++)
    put_paragraph(o);
  put(o, "</article>\n<footer><p>Copyright 2024 Example News. All rights "
         "reserved.</p></footer>\n");
  put_tail(o);
}

/* Write len bytes of p to name as a gzip file. repeat > 1 feeds the same
 * buffer that many times (the gzip bomb). cut_half keeps only the first
 * half of the compressed stream. */
static int write_gzip(const char *name, const unsigned char *p, size_t len,
                      unsigned long repeat, int level, int cut_half)
{
  unsigned char buf[65536];
  unsigned char *all = NULL;
  size_t n_all = 0, cap_all = 0, have;
  unsigned long r;
  z_stream zs;
  struct out o;
  int zrc = Z_OK, rc = -1;

  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
  for (r = 0; r < repeat; r++) {
    zs.next_in = (unsigned char *)p;
    zs.avail_in = (uInt)len;
    do {
      zs.next_out = buf;
      zs.avail_out = sizeof buf;
      zrc = deflate(&zs, r + 1 == repeat ? Z_FINISH : Z_NO_FLUSH);
      if (zrc == Z_STREAM_ERROR)
        goto out;
      have = sizeof buf - zs.avail_out;
      if (cap_all - n_all < have) {
        size_t cap = cap_all ? cap_all * 2 : sizeof buf * 4;
        unsigned char *q;

        while (cap - n_all < have)
          cap *= 2;
        q = realloc(all, cap);
        if (!q)
          goto out;
        all = q;
        cap_all = cap;
      }
      memcpy(all + n_all, buf, have);
      n_all += have;
    } while (zs.avail_out == 0 || zs.avail_in > 0);
  }
  if (zrc != Z_STREAM_END)
    goto out;
  if (cut_half)
    n_all /= 2;
  if (out_open(&o, name) != 0)
    goto out;
  put_bytes(&o, all, n_all);
  rc = out_close(&o);
out:
  deflateEnd(&zs);
  free(all);
  return rc;
}

/* Read back a file written earlier into a new buffer. */
static unsigned char *slurp(const char *name, size_t *len)
{
  char path[4096];
  unsigned char *buf = NULL;
  long size;
  FILE *f;

  snprintf(path, sizeof path, "%s/%s", out_dir, name);
  f = fopen(path, "rb");
  if (!f)
    return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
      free(buf);
      buf = NULL;
    }
    *len = (size_t)size;
  }
  fclose(f);
  return buf;
}

/* ---- the cases ---- */

static int gen_good(struct out *o)
{
  put_article_page(o, "Harbour bridge rebuild approved", 12);
  return 0;
}

static int gen_random(struct out *o)
{
  unsigned long long v;
  unsigned long i;

  for (i = 0; i < MIB / 8; i++) {
    v = rng_next();
    put_bytes(o, &v, sizeof v);
  }
  return 0;
}

static int gen_empty(struct out *o)
{
  (void)o;
  return 0;
}

static int gen_nul_64k(struct out *o)
{
  static const unsigned char zeros[4096];
  unsigned long i;

  for (i = 0; i < 64 * KIB / sizeof zeros; i++)
    put_bytes(o, zeros, sizeof zeros);
  return 0;
}

#define PUT_LIT(o, lit) put_bytes((o), (lit), sizeof(lit) - 1)

static int gen_nul_in_html(struct out *o)
{
  unsigned long i;

  PUT_LIT(o, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
             "<title>Nul\0in the\0title</title>"
             "<meta name=\"description\" content=\"de\0scription\">"
             "<meta property=\"og:title\" content=\"\0\0\0\">"
             "</head><body><article><h1>Head\0line</h1>\n");
  for (i = 0; i < 200; i++) {
    PUT_LIT(o, "<p class=\"te\0xt\" data-\0=\"v\0\">Some text with a NUL \0 "
               "inside it, and\0\0\0three more; the parser must cope.</p>\n");
    PUT_LIT(o, "<a href=\"/pa\0th\">li\0nk</a><img src=\"\0\" alt=\"a\0b\">"
               "<\0div>\0</\0div>\n");
  }
  PUT_LIT(o, "<script type=\"application/ld+json\">{\"headline\":\"a\0b\"}"
             "</script></article></body></html>\n");
  return 0;
}

#define NEST_DEPTH 100000ul

static int gen_nested_div(struct out *o)
{
  put_head(o, "Nested divs");
  put_repeat(o, "<div>", NEST_DEPTH);
  put(o, "Deep text at the bottom of the nesting.");
  put_repeat(o, "</div>", NEST_DEPTH);
  put_tail(o);
  return 0;
}

static int gen_nested_inline_table(struct out *o)
{
  unsigned long i;

  put_head(o, "Nested inline and table elements");
  /* 5 elements per round, none closed: formatting elements that must be
   * reconstructed inside ever deeper table cells. */
  for (i = 0; i < NEST_DEPTH / 5; i++)
    putf(o, "<b><i><table><tr><td>cell %lu ", i);
  put_tail(o);
  return 0;
}

static int gen_unclosed_a(struct out *o)
{
  unsigned long i;

  put_head(o, "Unclosed links");
  put(o, "<article><p>");
  for (i = 0; i < NEST_DEPTH; i++)
    putf(o, "<a href=\"/item/%lu\">link %lu ", i, i);
  put(o, "</p></article>");
  put_tail(o);
  return 0;
}

static int gen_page_40mb(struct out *o)
{
  unsigned long i;

  put_head(o, "A very long article");
  put(o, "<article><h1>A very long article</h1>\n");
  for (i = 0; o->written < 40 * MIB; i++)
    put_paragraph(o);
  put(o, "</article>\n");
  put_tail(o);
  return 0;
}

static void put_words(struct out *o, unsigned long len, int newlines)
{
  unsigned long done = 0, col = 0;
  const char *w;
  size_t n;

  while (done < len) {
    w = words[rng_next() % N_WORDS];
    n = strlen(w);
    put_bytes(o, w, n);
    col += n + 1;
    if (newlines && col > 72) {
      put_char(o, '\n');
      col = 0;
    } else {
      put_char(o, ' ');
    }
    done += n + 1;
  }
}

static int gen_text_node_20mb(struct out *o)
{
  put_head(o, "One huge text node");
  put(o, "<article><h1>One huge text node</h1><p>");
  put_words(o, 20 * MIB, 1);
  put(o, "</p></article>");
  put_tail(o);
  return 0;
}

static int gen_long_line(struct out *o)
{
  put_words(o, 6 * MIB, 0);
  return 0;
}

static int gen_attr_5mb(struct out *o)
{
  unsigned long i;

  put_head(o, "A huge class attribute");
  /* Class names are what boilerplate scoring reads; make 5 MiB of them. */
  put(o, "<div class=\"");
  for (i = 0; o->written < 5 * MIB; i++)
    putf(o, "c%lu nav comment share-%lu ", i, i);
  put(o, "\"><article><h1>A huge class attribute</h1>\n");
  for (i = 0; i < 10; i++)
    put_paragraph(o);
  put(o, "</article></div>");
  put_tail(o);
  return 0;
}

static int gen_href_5mb(struct out *o)
{
  unsigned long i;

  put_head(o, "A huge link");
  put(o, "<article><h1>A huge link</h1>\n");
  for (i = 0; i < 5; i++)
    put_paragraph(o);
  put(o, "<p>Read <a href=\"https://example.com/");
  put_repeat(o, "segment/", 5 * MIB / 8);
  put(o, "?q=1#frag\">the whole report</a>.</p>\n");
  for (i = 0; i < 5; i++)
    put_paragraph(o);
  put(o, "</article>");
  put_tail(o);
  return 0;
}

static int gen_invalid_utf8(struct out *o)
{
  /* Overlongs, surrogates, lone continuation bytes, truncated sequences,
   * bytes that never occur in UTF-8 and code points above U+10FFFF. */
  static const char bad[] = "overlong /:\xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf"
                            " nul:\xc0\x80 surrogates:\xed\xa0\x80\xed\xbf\xbf"
                            " lone:\x80\xbf\x80 truncated:\xe2\x82 \xf0\x9f\x98"
                            " \xc3 never:\xfe\xff\xf5\xf8\x88\x80\x80\x80"
                            " big:\xf4\x90\x80\x80 end";
  unsigned long i;

  put(o, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bad ");
  put(o, bad);
  put(o, "</title><meta name=\"description\" content=\"");
  put(o, bad);
  put(o, "\"><meta name=\"author\" content=\"\xed\xa0\x80\">"
         "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
         "\"headline\":\"");
  put(o, bad);
  put(o, "\",\"author\":{\"name\":\"\xc0\xaf\"}}</script></head><body>"
         "<article><h1>");
  put(o, bad);
  put(o, "</h1>\n");
  for (i = 0; i < 20; i++) {
    put(o, "<p class=\"\xff\xfe\" title=\"");
    put(o, bad);
    put(o, "\">Paragraph with broken bytes: ");
    put(o, bad);
    put(o, " and then ordinary words that make it look like an article "
           "paragraph worth keeping.</p>\n");
    put(o, "<p><a href=\"/\xc0\xaf/\xed\xa0\x80\">link \x80</a></p>\n");
  }
  /* End on a truncated sequence. */
  put(o, "</article></body></html>\xe2\x82");
  return 0;
}

static int gen_jsonld_1000(struct out *o)
{
  unsigned long i;

  put(o, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
         "<title>Many JSON-LD blocks</title>\n");
  for (i = 0; i < 1000; i++)
    putf(o,
         "<script type=\"application/ld+json\">{\"@context\":"
         "\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":"
         "\"Headline %lu\",\"author\":{\"@type\":\"Person\",\"name\":"
         "\"Author %lu\"},\"datePublished\":\"2024-03-%02luT10:00:00Z\","
         "\"articleBody\":\"Body %lu.\"}</script>\n",
         i, i, 1 + i % 28, i);
  put(o, "</head><body><article><h1>Many JSON-LD blocks</h1>\n");
  for (i = 0; i < 8; i++)
    put_paragraph(o);
  put(o, "</article>");
  put_tail(o);
  return 0;
}

static int gen_jsonld_nested(struct out *o)
{
  unsigned long i;

  put(o, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
         "<title>Deep JSON-LD</title>\n"
         "<script type=\"application/ld+json\">");
  put_repeat(o, "[", NEST_DEPTH);
  put_repeat(o, "]", NEST_DEPTH);
  put(o, "</script>\n<script type=\"application/ld+json\">");
  put_repeat(o, "{\"@graph\":", NEST_DEPTH);
  put(o, "{}");
  put_repeat(o, "}", NEST_DEPTH);
  put(o, "</script>\n<script type=\"application/ld+json\">");
  put_repeat(o, "[", NEST_DEPTH); /* never closed */
  put(o, "</script>\n</head><body><article><h1>Deep JSON-LD</h1>\n");
  for (i = 0; i < 8; i++)
    put_paragraph(o);
  put(o, "</article>");
  put_tail(o);
  return 0;
}

static int gen_links_200k(struct out *o)
{
  unsigned long i;

  put_head(o, "Two hundred thousand links");
  put(o, "<article><h1>Two hundred thousand links</h1>\n");
  for (i = 0; i < 6; i++)
    put_paragraph(o);
  put(o, "</article>\n<ul class=\"related\">\n");
  /* Kept short so the page stays under the page-size cap (about 6 MiB):
   * this case is about the link count, not the size. */
  for (i = 0; i < 200000; i++)
    putf(o, "<li><a href=\"%s%lu\">%lu</a>\n",
         i % 3 == 0   ? "/s/"
         : i % 3 == 1 ? "//o.example/s/"
                      : "../u/",
         i, i);
  put(o, "</ul>");
  put_tail(o);
  return 0;
}

/* Cases that need more than one streamed file. */

static int gen_gzip_ok(void)
{
  unsigned char *page;
  size_t len = 0;
  int rc;

  page = slurp("good.html", &len);
  if (!page)
    return -1;
  rc = write_gzip("good.html.gz", page, len, 1, 6, 0);
  free(page);
  return rc;
}

static int gen_truncated_gzip(void)
{
  struct out o;
  unsigned char *page;
  size_t len = 0;
  int rc;

  if (out_open(&o, "truncated-src.html") != 0)
    return -1;
  put_article_page(&o, "Truncated gzip", 60);
  if (out_close(&o) != 0)
    return -1;
  page = slurp("truncated-src.html", &len);
  if (!page)
    return -1;
  /* Cut the compressed stream in half: a download that stopped. */
  rc = write_gzip("truncated.html.gz", page, len, 1, 6, 1);
  free(page);
  return rc;
}

static int gen_gzip_bomb(void)
{
  unsigned char *chunk = malloc(MIB);
  size_t i;
  int rc;

  if (!chunk)
    return -1;
  for (i = 0; i < MIB; i += 8)
    memcpy(chunk + i, "<p>a</p>", 8);
  /* 1 GiB of paragraphs, compressed about 1000:1. */
  rc = write_gzip("gzip-bomb.html.gz", chunk, MIB, 1024, 9, 0);
  free(chunk);
  return rc;
}

static int gen_not_gzip(void)
{
  unsigned char *page;
  size_t len = 0;
  struct out o;

  page = slurp("good.html", &len);
  if (!page || out_open(&o, "not-gzip.html.gz") != 0) {
    free(page);
    return -1;
  }
  put_bytes(&o, page, len);
  free(page);
  return out_close(&o);
}

static int gen_dir(void)
{
  char path[4096];

  snprintf(path, sizeof path, "%s/dir.html", out_dir);
  if (mkdir(path, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "gen_badinput: %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

static int gen_missing(void)
{
  char path[4096];

  snprintf(path, sizeof path, "%s/missing.html", out_dir);
  if (unlink(path) != 0 && errno != ENOENT) {
    fprintf(stderr, "gen_badinput: %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

struct gen_case {
  const char *name;            /* file written, or what the case makes */
  int (*stream)(struct out *); /* writes the file name, or */
  int (*custom)(void);         /* makes it some other way */
};

/* Order matters: later cases read good.html. */
static const struct gen_case cases[] = {
    {"good.html", gen_good, NULL},
    {"good.html.gz", NULL, gen_gzip_ok},
    {"random-bytes.html", gen_random, NULL},
    {"empty.html", gen_empty, NULL},
    {"nul-64k.html", gen_nul_64k, NULL},
    {"nul-in-html.html", gen_nul_in_html, NULL},
    {"nested-div-100k.html", gen_nested_div, NULL},
    {"nested-inline-table-100k.html", gen_nested_inline_table, NULL},
    {"unclosed-a-100k.html", gen_unclosed_a, NULL},
    {"page-40mb.html", gen_page_40mb, NULL},
    {"text-node-20mb.html", gen_text_node_20mb, NULL},
    {"long-line.html", gen_long_line, NULL},
    {"attr-5mb.html", gen_attr_5mb, NULL},
    {"href-5mb.html", gen_href_5mb, NULL},
    {"invalid-utf8.html", gen_invalid_utf8, NULL},
    {"jsonld-1000.html", gen_jsonld_1000, NULL},
    {"jsonld-nested-100k.html", gen_jsonld_nested, NULL},
    {"links-200k.html", gen_links_200k, NULL},
    {"truncated.html.gz", NULL, gen_truncated_gzip},
    {"gzip-bomb.html.gz", NULL, gen_gzip_bomb},
    {"not-gzip.html.gz", NULL, gen_not_gzip},
    {"dir.html", NULL, gen_dir},
    {"missing.html", NULL, gen_missing},
};

#define N_CASES (sizeof cases / sizeof *cases)

/* FNV-1a of the case name: each case gets its own seed, so adding or
 * reordering cases does not change the others' bytes. */
static unsigned long long seed_of(const char *name)
{
  unsigned long long h = 0xcbf29ce484222325ull;

  for (; *name; name++)
    h = (h ^ (unsigned char)*name) * 0x100000001b3ull;
  return h;
}

static int wanted(const char *name, int argc, char **argv)
{
  int i;

  if (argc <= 2)
    return 1;
  for (i = 2; i < argc; i++)
    if (strcmp(argv[i], name) == 0)
      return 1;
  return 0;
}

int main(int argc, char **argv)
{
  struct out o;
  size_t i;
  int rc, failed = 0;

  if (argc < 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: gen_badinput OUTDIR [NAME...]\n");
    return 2;
  }
  out_dir = argv[1];
  if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "gen_badinput: %s: %s\n", out_dir, strerror(errno));
    return 1;
  }
  for (i = 0; i < N_CASES; i++) {
    if (!wanted(cases[i].name, argc, argv))
      continue;
    rng_state = seed_of(cases[i].name);
    if (cases[i].stream) {
      rc = out_open(&o, cases[i].name);
      if (rc == 0) {
        rc = cases[i].stream(&o);
        if (out_close(&o) != 0)
          rc = -1;
      }
    } else {
      rc = cases[i].custom();
    }
    if (rc != 0) {
      fprintf(stderr, "gen_badinput: %s: failed\n", cases[i].name);
      failed = 1;
    }
  }
  return failed;
}
