/* Unit tests for output/: records built by hand, rendered as Markdown,
 * plain text and JSON Lines. Markdown and text are compared byte for
 * byte; JSON Lines are parsed back with jansson and every field checked. */
#include "output/output.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"

#define OUT_MAX (1u << 20)

static struct extract_block blk(extract_block_type type, int level, int ordered,
                                const char *text)
{
  struct extract_block b;

  b.type = type;
  b.level = level;
  b.ordered = ordered;
  b.text = text;
  b.len = strlen(text);
  return b;
}

/* ---- Markdown: one block per case ------------------------------------- */

struct md_case {
  extract_block_type type;
  int level, ordered;
  const char *text;
  const char *want;
};

static const struct md_case md_cases[] = {
    /* headings: the title is the only level-1 heading; levels clamp to 6 */
    {EXTRACT_BLOCK_HEADING, 1, 0, "Top", "## Top\n"},
    {EXTRACT_BLOCK_HEADING, 2, 0, "Two", "## Two\n"},
    {EXTRACT_BLOCK_HEADING, 3, 0, "Three", "### Three\n"},
    {EXTRACT_BLOCK_HEADING, 4, 0, "Four", "#### Four\n"},
    {EXTRACT_BLOCK_HEADING, 6, 0, "Six", "###### Six\n"},
    {EXTRACT_BLOCK_HEADING, 9, 0, "Nine", "###### Nine\n"},
    {EXTRACT_BLOCK_HEADING, 0, 0, "Zero", "## Zero\n"},
    {EXTRACT_BLOCK_HEADING, 3, 0, "C# *tips* <b>", "### C# \\*tips\\* \\<b>\n"},
    /* paragraphs: inline specials escaped */
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "Plain text.", "Plain text.\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "a * b _ c [d] <e> | f \\ g `h`",
     "a \\* b \\_ c \\[d\\] \\<e> | f \\\\ g \\`h\\`\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "snake_case_name", "snake\\_case\\_name\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "[link](http://x)",
     "\\[link\\](http://x)\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "caf\xc3\xa9 \xe2\x82\xac",
     "caf\xc3\xa9 \xe2\x82\xac\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "line one\nline two",
     "line one\nline two\n"},
    /* paragraphs: lines that Markdown would read as block syntax */
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "# not a heading", "\\# not a heading\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "> not a quote", "\\> not a quote\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "- not a list", "\\- not a list\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "+ not a list", "\\+ not a list\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "---", "\\---\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "-5 degrees", "-5 degrees\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "ok\n# second line",
     "ok\n\\# second line\n"},
    /* "\" before a digit is not an escape in CommonMark: it would show;
     * the escape goes before the '.' or ')' */
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "2019. A year to remember",
     "2019\\. A year to remember\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "1) first point", "1\\) first point\n"},
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "2019 was a year", "2019 was a year\n"},
    /* one backslash, not two: "\\*" renders as a visible backslash */
    {EXTRACT_BLOCK_PARAGRAPH, 0, 0, "* not a list", "\\* not a list\n"},
    /* lists */
    {EXTRACT_BLOCK_LIST, 0, 0, "first\nsecond", "- first\n- second\n"},
    {EXTRACT_BLOCK_LIST, 0, 1, "one\ntwo\nthree", "1. one\n2. two\n3. three\n"},
    {EXTRACT_BLOCK_LIST, 0, 0, "a *b*\n[c]", "- a \\*b\\*\n- \\[c\\]\n"},
    {EXTRACT_BLOCK_LIST, 0, 0, "only", "- only\n"},
    {EXTRACT_BLOCK_LIST, 0, 1, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11",
     "1. 1\n2. 2\n3. 3\n4. 4\n5. 5\n6. 6\n7. 7\n8. 8\n9. 9\n10. 10\n11. 11\n"},
    /* an item that would be a heading inside the list item */
    {EXTRACT_BLOCK_LIST, 0, 0, "# Not a heading", "- \\# Not a heading\n"},
    /* quotes */
    {EXTRACT_BLOCK_QUOTE, 0, 0, "To be\nor not", "> To be\n> or not\n"},
    {EXTRACT_BLOCK_QUOTE, 0, 0, "Said _x_", "> Said \\_x\\_\n"},
    /* tables: first row is the header */
    {EXTRACT_BLOCK_TABLE, 0, 0, "Name\tAge\nAda\t36\nBob\t7",
     "| Name | Age |\n| --- | --- |\n| Ada | 36 |\n| Bob | 7 |\n"},
    {EXTRACT_BLOCK_TABLE, 0, 0, "Only", "| Only |\n| --- |\n"},
    {EXTRACT_BLOCK_TABLE, 0, 0, "a|b\tc*d\n\\\t<e>",
     "| a\\|b | c\\*d |\n| --- | --- |\n| \\\\ | \\<e> |\n"},
    {EXTRACT_BLOCK_TABLE, 0, 0, "A\tB\tC\nx", /* short row padded */
     "| A | B | C |\n| --- | --- | --- |\n| x |  |  |\n"},
    {EXTRACT_BLOCK_TABLE, 0, 0, "A\t\tC\n\t2\t", /* empty cells */
     "| A |  | C |\n| --- | --- | --- |\n|  | 2 |  |\n"},
    /* code: verbatim, the fence longer than any backtick run inside */
    {EXTRACT_BLOCK_CODE, 0, 0, "x = 1;\ny = *p;",
     "```\nx = 1;\ny = *p;\n```\n"},
    {EXTRACT_BLOCK_CODE, 0, 0, "```\nx = 1\n```",
     "````\n```\nx = 1\n```\n````\n"},
    {EXTRACT_BLOCK_CODE, 0, 0, "a ````` b", "``````\na ````` b\n``````\n"},
    {EXTRACT_BLOCK_CODE, 0, 0, "`x` and ``y``", "```\n`x` and ``y``\n```\n"},
    {EXTRACT_BLOCK_CODE, 0, 0, "_a_ [b] <c> \\d",
     "```\n_a_ [b] <c> \\d\n```\n"},
};

static void check_markdown_blocks(void)
{
  size_t k;

  for (k = 0; k < sizeof(md_cases) / sizeof(md_cases[0]); k++) {
    const struct md_case *c = &md_cases[k];
    struct extract_block b = blk(c->type, c->level, c->ordered, c->text);
    struct extract_record rec;
    struct wn_buf out;
    wn_result rc;

    memset(&rec, 0, sizeof(rec));
    rec.blocks = &b;
    rec.n_blocks = 1;
    rec.text = c->text;
    rec.text_len = strlen(c->text);
    wn_buf_init(&out, OUT_MAX);
    rc = output_markdown_append(&out, &rec);
    CHECK_INT(rc, WN_OK);
    if (strcmp(wn_buf_str(&out), c->want) != 0) {
      fprintf(stderr,
              "markdown case %zu (%s \"%s\"):\n  got:  \"%s\"\n"
              "  want: \"%s\"\n",
              k, extract_block_type_name(c->type), c->text, wn_buf_str(&out),
              c->want);
      check_failures++;
    }
    wn_buf_free(&out);
  }
}

/* ---- Markdown: a whole document --------------------------------------- */

static void check_markdown_document(void)
{
  struct extract_block b[7];
  struct extract_record rec;
  struct wn_buf out;

  b[0] = blk(EXTRACT_BLOCK_HEADING, 2, 0, "Section <one>");
  b[1] = blk(EXTRACT_BLOCK_PARAGRAPH, 0, 0, "Text with * and _.");
  b[2] = blk(EXTRACT_BLOCK_LIST, 0, 0, "first\nsecond");
  b[3] = blk(EXTRACT_BLOCK_LIST, 0, 1, "one\ntwo");
  b[4] = blk(EXTRACT_BLOCK_QUOTE, 0, 0, "Quoted");
  b[5] = blk(EXTRACT_BLOCK_TABLE, 0, 0, "H1\tH2\nv1\tv2");
  b[6] = blk(EXTRACT_BLOCK_CODE, 0, 0, "```\nx\n```");
  memset(&rec, 0, sizeof(rec));
  rec.title = "Title *with* [specials]";
  rec.blocks = b;
  rec.n_blocks = 7;
  rec.text = "unused";
  rec.text_len = 6;

  wn_buf_init(&out, OUT_MAX);
  CHECK_INT(wn_buf_adds(&out, "PREFIX\n"), WN_OK);
  CHECK_INT(output_markdown_append(&out, &rec), WN_OK);
  CHECK_STR(wn_buf_str(&out), "PREFIX\n"
                              "# Title \\*with\\* \\[specials\\]\n"
                              "\n"
                              "## Section \\<one>\n"
                              "\n"
                              "Text with \\* and \\_.\n"
                              "\n"
                              "- first\n"
                              "- second\n"
                              "\n"
                              "1. one\n"
                              "2. two\n"
                              "\n"
                              "> Quoted\n"
                              "\n"
                              "| H1 | H2 |\n"
                              "| --- | --- |\n"
                              "| v1 | v2 |\n"
                              "\n"
                              "````\n"
                              "```\n"
                              "x\n"
                              "```\n"
                              "````\n");
  wn_buf_free(&out);

  /* nothing at all: no title, no blocks */
  memset(&rec, 0, sizeof(rec));
  rec.text = "";
  wn_buf_init(&out, OUT_MAX);
  CHECK_INT(output_markdown_append(&out, &rec), WN_OK);
  CHECK_INT(out.len, 0);
  /* a title only */
  rec.title = "Just a title";
  CHECK_INT(output_markdown_append(&out, &rec), WN_OK);
  CHECK_STR(wn_buf_str(&out), "# Just a title\n\n");
  wn_buf_free(&out);

  /* block len is honoured: bytes after it are not written */
  memset(&rec, 0, sizeof(rec));
  b[0] = blk(EXTRACT_BLOCK_PARAGRAPH, 0, 0, "keep this|drop that");
  b[0].len = 9;
  rec.blocks = b;
  rec.n_blocks = 1;
  rec.text = "";
  wn_buf_init(&out, OUT_MAX);
  CHECK_INT(output_markdown_append(&out, &rec), WN_OK);
  CHECK_STR(wn_buf_str(&out), "keep this\n");
  wn_buf_free(&out);

  /* a full buffer: the error, and the buffer emptied */
  b[0] = blk(EXTRACT_BLOCK_PARAGRAPH, 0, 0,
             "a paragraph that is longer than the buffer's cap of 16");
  wn_buf_init(&out, 16);
  CHECK_INT(output_markdown_append(&out, &rec), WN_E_TOO_LARGE);
  CHECK(out.data == NULL);
  CHECK_INT(out.len, 0);
  wn_buf_free(&out);
}

/* ---- plain text -------------------------------------------------------- */

static void check_text(void)
{
  static const struct {
    const char *text;
    size_t len;
    const char *want;
  } tc[] = {
      {"", 0, ""},
      {"One paragraph.", 14, "One paragraph.\n"},
      {"First.\n\nSecond.", 15, "First.\n\nSecond.\n"},
      {"*kept* _as_ [is] <x>", 20, "*kept* _as_ [is] <x>\n"},
      {"cut here|not this", 8, "cut here\n"},
      {"caf\xc3\xa9", 5, "caf\xc3\xa9\n"},
  };
  size_t k;

  for (k = 0; k < sizeof(tc) / sizeof(tc[0]); k++) {
    struct extract_record rec;
    struct wn_buf out;

    memset(&rec, 0, sizeof(rec));
    rec.title = "A title is not part of the text";
    rec.text = tc[k].text;
    rec.text_len = tc[k].len;
    wn_buf_init(&out, OUT_MAX);
    CHECK_INT(wn_buf_adds(&out, ">"), WN_OK);
    CHECK_INT(output_text_append(&out, &rec), WN_OK);
    CHECK_STR(wn_buf_str(&out) + 1, tc[k].want);
    CHECK_INT(out.data[0], '>');
    wn_buf_free(&out);
  }
}

/* ---- JSON Lines --------------------------------------------------------- */

/* Parse the one line that output_jsonl_append wrote into out[from..]. */
static json_t *parse_line(const struct wn_buf *out, size_t from)
{
  const char *s = out->data + from;
  size_t len = out->len - from;
  json_error_t err;
  json_t *o;

  CHECK(len > 1);
  if (len < 2)
    return NULL;
  CHECK_INT(s[len - 1], '\n');
  CHECK(s[len - 2] != '\n');
  CHECK(memchr(s, '\n', len - 1) == NULL); /* one line */
  o = json_loadb(s, len, 0, &err);
  if (!o)
    fprintf(stderr, "JSON does not parse: %s: %.*s\n", err.text, (int)len, s);
  CHECK(o != NULL);
  CHECK(o == NULL || json_is_object(o));
  return o;
}

static void check_key_str(json_t *o, const char *key, const char *want)
{
  json_t *v = json_object_get(o, key);

  if (!v) {
    fprintf(stderr, "key \"%s\" missing\n", key);
    check_failures++;
    return;
  }
  if (!want) {
    if (!json_is_null(v)) {
      fprintf(stderr, "key \"%s\": want null\n", key);
      check_failures++;
    }
    return;
  }
  CHECK(json_is_string(v));
  CHECK_STR(json_string_value(v), want);
}

static void check_key_int(json_t *o, const char *key, long long want)
{
  json_t *v = json_object_get(o, key);

  CHECK(json_is_integer(v));
  if (!json_is_integer(v)) {
    fprintf(stderr, "  (key \"%s\")\n", key);
    return;
  }
  CHECK_INT(json_integer_value(v), want);
}

static void check_key_bool(json_t *o, const char *key, int want)
{
  json_t *v = json_object_get(o, key);

  CHECK(json_is_boolean(v));
  CHECK_INT(json_is_true(v), want);
}

/* The object's keys are exactly `keys`, in this order. */
static void check_keys(json_t *o, const char *const *keys, size_t n)
{
  void *it = json_object_iter(o);
  size_t k = 0;

  for (; it; it = json_object_iter_next(o, it), k++) {
    const char *key = json_object_iter_key(it);

    if (k >= n || strcmp(key, keys[k]) != 0) {
      fprintf(stderr, "key %zu: got \"%s\", want \"%s\"\n", k, key,
              k < n ? keys[k] : "(none)");
      check_failures++;
      return;
    }
  }
  CHECK_INT(k, n);
}

static const char *const record_keys[] = {"url",
                                          "canonical_url",
                                          "title",
                                          "author",
                                          "published",
                                          "site_name",
                                          "language",
                                          "description",
                                          "text",
                                          "blocks",
                                          "related",
                                          "boilerplate",
                                          "rules",
                                          "rule_misses",
                                          "fingerprint",
                                          "links",
                                          "charset",
                                          "truncated",
                                          "boilerplate_truncated"};
#define N_RECORD_KEYS (sizeof(record_keys) / sizeof(record_keys[0]))

static int is_lower_hex16(const char *s)
{
  size_t i;

  if (!s || strlen(s) != 16)
    return 0;
  for (i = 0; i < 16; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return 1;
}

static void check_jsonl_full(void)
{
  struct extract_block b[6];
  struct extract_link rel[2];
  struct extract_boiler bp[2];
  struct extract_record rec;
  struct wn_buf out;
  json_t *o, *a, *e;
  static const char text[] =
      "Line \"one\"\n\ttab \\ back\x01 ctl caf\xc3\xa9 \xf0\x9f\x98\x80";

  b[0] = blk(EXTRACT_BLOCK_HEADING, 3, 0, "Sub head");
  b[1] = blk(EXTRACT_BLOCK_PARAGRAPH, 0, 0, "Para \"q\"\nnext");
  b[2] = blk(EXTRACT_BLOCK_LIST, 0, 1, "a\nb");
  b[3] = blk(EXTRACT_BLOCK_LIST, 0, 0, "c");
  b[4] = blk(EXTRACT_BLOCK_TABLE, 0, 0, "h1\th2\nv1\tv2");
  b[5] = blk(EXTRACT_BLOCK_CODE, 0, 0, "int x;|ignored");
  b[5].len = 6;
  rel[0].url = "https://example.com/a";
  rel[0].text = "Story A";
  rel[0].section = "Sur le m\xc3\xaame sujet";
  rel[1].url = "https://example.com/b";
  rel[1].text = "Story B";
  rel[1].section = NULL;
  bp[0].kind = EXTRACT_BP_NAVIGATION;
  bp[0].text = "Home News Sport";
  bp[0].len = strlen(bp[0].text);
  bp[1].kind = EXTRACT_BP_COOKIE;
  bp[1].text = "We use cookies|cut";
  bp[1].len = 14;

  memset(&rec, 0, sizeof(rec));
  rec.url = "https://example.com/story?id=1&x=\"2\"";
  rec.canonical_url = "https://example.com/story";
  rec.title = "A \"quoted\" title";
  rec.author = "Jane Doe, John Roe";
  rec.published = "2019-11-19T05:00:00Z";
  rec.site_name = "Example";
  rec.language = "fr-FR";
  rec.description = "Desc";
  rec.charset = "windows-1252";
  rec.text = text;
  rec.text_len = sizeof(text) - 1;
  rec.blocks = b;
  rec.n_blocks = 6;
  rec.related = rel;
  rec.n_related = 2;
  rec.boilerplate = bp;
  rec.n_boilerplate = 2;
  rec.fingerprint = 0x0123456789abcdefULL;
  rec.n_links = 42;
  rec.truncated = 1;
  rec.boilerplate_truncated = 0;

  wn_buf_init(&out, OUT_MAX);
  CHECK_INT(output_jsonl_append(&out, &rec, NULL), WN_OK);
  o = parse_line(&out, 0);
  if (!o)
    goto out;
  check_keys(o, record_keys, N_RECORD_KEYS);
  check_key_str(o, "url", rec.url);
  check_key_str(o, "canonical_url", rec.canonical_url);
  check_key_str(o, "title", rec.title);
  check_key_str(o, "author", rec.author);
  check_key_str(o, "published", rec.published);
  check_key_str(o, "site_name", rec.site_name);
  check_key_str(o, "language", rec.language);
  check_key_str(o, "description", rec.description);
  check_key_str(o, "charset", "windows-1252");
  check_key_str(o, "text", text);
  check_key_str(o, "fingerprint", "0123456789abcdef");
  check_key_int(o, "links", 42);
  check_key_bool(o, "truncated", 1);
  check_key_bool(o, "boilerplate_truncated", 0);

  a = json_object_get(o, "blocks");
  CHECK(json_is_array(a));
  CHECK_INT(json_array_size(a), 6);
  if (json_array_size(a) == 6) {
    static const char *const type[] = {"heading", "paragraph", "list",
                                       "list",    "table",     "code"};
    static const char *const btext[] = {"Sub head",       "Para \"q\"\nnext",
                                        "a\nb",           "c",
                                        "h1\th2\nv1\tv2", "int x;"};
    size_t k;

    for (k = 0; k < 6; k++) {
      e = json_array_get(a, k);
      check_key_str(e, "type", type[k]);
      check_key_str(e, "text", btext[k]);
      /* level only on headings, ordered only on lists */
      CHECK_INT(json_object_get(e, "level") != NULL, k == 0);
      CHECK_INT(json_object_get(e, "ordered") != NULL, k == 2 || k == 3);
      CHECK_INT(json_object_size(e), 2 + (k == 0 || k == 2 || k == 3));
    }
    check_key_int(json_array_get(a, 0), "level", 3);
    check_key_bool(json_array_get(a, 2), "ordered", 1);
    check_key_bool(json_array_get(a, 3), "ordered", 0);
  }

  a = json_object_get(o, "related");
  CHECK(json_is_array(a));
  CHECK_INT(json_array_size(a), 2);
  if (json_array_size(a) == 2) {
    e = json_array_get(a, 0);
    CHECK_INT(json_object_size(e), 3);
    check_key_str(e, "url", "https://example.com/a");
    check_key_str(e, "text", "Story A");
    check_key_str(e, "section", "Sur le m\xc3\xaame sujet");
    e = json_array_get(a, 1);
    check_key_str(e, "url", "https://example.com/b");
    check_key_str(e, "text", "Story B");
    check_key_str(e, "section", NULL);
  }

  a = json_object_get(o, "boilerplate");
  CHECK(json_is_array(a));
  CHECK_INT(json_array_size(a), 2);
  if (json_array_size(a) == 2) {
    e = json_array_get(a, 0);
    CHECK_INT(json_object_size(e), 2);
    check_key_str(e, "kind", "navigation");
    check_key_str(e, "text", "Home News Sport");
    e = json_array_get(a, 1);
    check_key_str(e, "kind", "cookie");
    check_key_str(e, "text", "We use cookies");
  }
  json_decref(o);
out:
  wn_buf_free(&out);
}

/* A record that knows nothing: null metadata, empty arrays. */
static void check_jsonl_empty(void)
{
  struct extract_record rec;
  struct wn_buf out;
  json_t *o;
  size_t k;
  static const char *const nulls[] = {"url",      "canonical_url", "title",
                                      "author",   "published",     "site_name",
                                      "language", "description",   "charset"};

  memset(&rec, 0, sizeof(rec));
  rec.text = "";
  wn_buf_init(&out, OUT_MAX);
  CHECK_INT(output_jsonl_append(&out, &rec, NULL), WN_OK);
  o = parse_line(&out, 0);
  if (o) {
    check_keys(o, record_keys, N_RECORD_KEYS);
    for (k = 0; k < sizeof(nulls) / sizeof(nulls[0]); k++)
      check_key_str(o, nulls[k], NULL);
    check_key_str(o, "text", "");
    check_key_str(o, "fingerprint", "0000000000000000");
    check_key_int(o, "links", 0);
    check_key_bool(o, "truncated", 0);
    check_key_bool(o, "boilerplate_truncated", 0);
    CHECK(json_is_array(json_object_get(o, "blocks")));
    CHECK_INT(json_array_size(json_object_get(o, "blocks")), 0);
    CHECK(json_is_array(json_object_get(o, "related")));
    CHECK_INT(json_array_size(json_object_get(o, "related")), 0);
    CHECK(json_is_array(json_object_get(o, "boilerplate")));
    CHECK_INT(json_array_size(json_object_get(o, "boilerplate")), 0);
    json_decref(o);
  }
  wn_buf_free(&out);
}

/* Fingerprints: always 16 lower-case hex digits. */
static void check_jsonl_fingerprints(void)
{
  static const struct {
    uint64_t fp;
    const char *want;
  } fc[] = {
      {0, "0000000000000000"},
      {1, "0000000000000001"},
      {0xABCDEFULL, "0000000000abcdef"},
      {0xFFFFFFFFFFFFFFFFULL, "ffffffffffffffff"},
      {0x8000000000000000ULL, "8000000000000000"},
      {0xDEADBEEFCAFEF00DULL, "deadbeefcafef00d"},
  };
  size_t k;

  for (k = 0; k < sizeof(fc) / sizeof(fc[0]); k++) {
    struct extract_record rec;
    struct wn_buf out;
    json_t *o;

    memset(&rec, 0, sizeof(rec));
    rec.text = "";
    rec.fingerprint = fc[k].fp;
    rec.n_links = (size_t)k * 1000;
    wn_buf_init(&out, OUT_MAX);
    CHECK_INT(output_jsonl_append(&out, &rec, NULL), WN_OK);
    o = parse_line(&out, 0);
    if (o) {
      json_t *f = json_object_get(o, "fingerprint");
      check_key_str(o, "fingerprint", fc[k].want);
      CHECK(is_lower_hex16(json_string_value(f)));
      check_key_int(o, "links", (long long)k * 1000);
      json_decref(o);
    }
    wn_buf_free(&out);
  }
}

/* The crawl fields: with a fetch struct all six are written, null when
 * unknown; a Content-Type that is not UTF-8 becomes null. */
struct fetch_case {
  struct output_fetch f;
};

static const char *const fetch_all[] = {
    "fetched_at", "status", "content_type", "depth", "referrer", "final_url"};

static const struct fetch_case fetch_cases[] = {
    {{"2024-01-02T03:04:05Z", 200, "text/html; charset=utf-8", 2,
      "https://example.com/", "https://example.com/final"}},
    {{NULL, -1, NULL, -1, NULL, NULL}},
    {{NULL, 404, NULL, -1, NULL, NULL}},
    {{"2024-01-02T03:04:05Z", -1, NULL, 0, NULL, NULL}},
    {{NULL, 0, NULL, 0, NULL, NULL}},
    {{NULL, 200, "text/html; charset=\xe9t\xe9", 0, NULL, NULL}},
};

static void check_null_key(json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);

  CHECK(v && json_is_null(v));
}

static void check_jsonl_fetch(void)
{
  size_t k, j;

  for (k = 0; k < sizeof(fetch_cases) / sizeof(fetch_cases[0]); k++) {
    const struct fetch_case *c = &fetch_cases[k];
    const char *keys[N_RECORD_KEYS + 6];
    struct extract_record rec;
    struct wn_buf out;
    json_t *o;

    for (j = 0; j < N_RECORD_KEYS; j++)
      keys[j] = record_keys[j];
    for (j = 0; j < 6; j++)
      keys[N_RECORD_KEYS + j] = fetch_all[j];
    memset(&rec, 0, sizeof(rec));
    rec.text = "t";
    rec.text_len = 1;
    wn_buf_init(&out, OUT_MAX);
    CHECK_INT(output_jsonl_append(&out, &rec, &c->f), WN_OK);
    o = parse_line(&out, 0);
    if (!o) {
      wn_buf_free(&out);
      continue;
    }
    check_keys(o, keys, N_RECORD_KEYS + 6);
    if (c->f.fetched_at)
      check_key_str(o, "fetched_at", c->f.fetched_at);
    else
      check_null_key(o, "fetched_at");
    if (c->f.status >= 0)
      check_key_int(o, "status", c->f.status);
    else
      check_null_key(o, "status");
    if (c->f.content_type && k != 5)
      check_key_str(o, "content_type", c->f.content_type);
    else
      check_null_key(o, "content_type");
    if (c->f.depth >= 0)
      check_key_int(o, "depth", c->f.depth);
    else
      check_null_key(o, "depth");
    if (c->f.referrer)
      check_key_str(o, "referrer", c->f.referrer);
    else
      check_null_key(o, "referrer");
    if (c->f.final_url)
      check_key_str(o, "final_url", c->f.final_url);
    else
      check_null_key(o, "final_url");
    json_decref(o);
    wn_buf_free(&out);
  }
}

/* Lines append: two records, two lines, the first one untouched. */
static void check_jsonl_append(void)
{
  struct extract_record rec;
  struct wn_buf out;
  size_t first_len;
  json_t *o;

  memset(&rec, 0, sizeof(rec));
  rec.text = "first";
  rec.text_len = 5;
  wn_buf_init(&out, OUT_MAX);
  CHECK_INT(output_jsonl_append(&out, &rec, NULL), WN_OK);
  first_len = out.len;
  rec.text = "second";
  rec.text_len = 6;
  rec.title = "T";
  CHECK_INT(output_jsonl_append(&out, &rec, NULL), WN_OK);
  CHECK_INT(out.data[first_len - 1], '\n');
  o = parse_line(&out, first_len);
  if (o) {
    check_key_str(o, "text", "second");
    check_key_str(o, "title", "T");
    json_decref(o);
  }
  out.len = first_len; /* only the first line */
  o = parse_line(&out, 0);
  if (o) {
    check_key_str(o, "text", "first");
    check_key_str(o, "title", NULL);
    json_decref(o);
  }
  out.len = strlen(out.data);
  wn_buf_free(&out);

  /* over the cap: WN_E_TOO_LARGE and the buffer freed and emptied */
  wn_buf_init(&out, 64);
  rec.text = "x";
  rec.text_len = 1;
  CHECK_INT(output_jsonl_append(&out, &rec, NULL), WN_E_TOO_LARGE);
  CHECK(out.data == NULL);
  CHECK_INT(out.len, 0);
  wn_buf_free(&out);
}

/* A record string that is not UTF-8 (a hand-built record, or a bug
 * upstream): either a valid line, or an error and no partial line left
 * behind in a buffer that may already hold earlier records. */
static void check_jsonl_bad_utf8(void)
{
  static const char *const bad[] = {"bad\xff title", "\xc3", "\xed\xa0\x80"};
  size_t k;

  for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
    struct extract_record rec;
    struct wn_buf out;
    wn_result rc;

    memset(&rec, 0, sizeof(rec));
    rec.text = "ok";
    rec.text_len = 2;
    rec.title = bad[k];
    wn_buf_init(&out, OUT_MAX);
    CHECK_INT(wn_buf_adds(&out, "{\"earlier\":1}\n"), WN_OK);
    rc = output_jsonl_append(&out, &rec, NULL);
    if (rc == WN_OK) {
      json_t *o = parse_line(&out, 14);
      json_decref(o);
    } else {
      CHECK_STR(wn_buf_str(&out), "{\"earlier\":1}\n");
      CHECK(rc != WN_E_NOMEM); /* nothing ran out of memory */
    }
    wn_buf_free(&out);
  }
}

int main(void)
{
  check_markdown_blocks();
  check_markdown_document();
  check_text();
  check_jsonl_full();
  check_jsonl_empty();
  check_jsonl_fingerprints();
  check_jsonl_fetch();
  check_jsonl_append();
  check_jsonl_bad_utf8();
  return check_exit();
}
