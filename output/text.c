/* Plain-text and Markdown renderings of a record's body. */
#include "output/output.h"

#include <string.h>

wn_result output_text_append(struct wn_buf *out,
                             const struct extract_record *rec)
{
  wn_result rc;

  if (rec->text_len == 0)
    return WN_OK;
  rc = wn_buf_add(out, rec->text, rec->text_len);
  return rc == WN_OK ? wn_buf_addc(out, '\n') : rc;
}

/* Escape Markdown's inline syntax characters; inside tables also pipes
 * and line breaks. */
static wn_result md_inline(struct wn_buf *out, const char *s, size_t len,
                           int in_table)
{
  size_t i, start = 0;
  wn_result rc = WN_OK;

  for (i = 0; i < len && rc == WN_OK; i++) {
    char c = s[i];
    const char *esc = NULL;
    char two[3] = {'\\', c, '\0'};

    if (in_table && c == '|')
      esc = "\\|";
    else if (in_table && c == '\n')
      esc = "<br>";
    else if (c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' ||
             c == ']' || c == '<')
      esc = two;
    if (!esc)
      continue;
    rc = wn_buf_add(out, s + start, i - start);
    if (rc == WN_OK)
      rc = wn_buf_adds(out, esc);
    start = i + 1;
  }
  if (rc == WN_OK)
    rc = wn_buf_add(out, s + start, len - start);
  return rc;
}

/* Where a line needs a backslash so that Markdown does not read it as a
 * heading, quote, list item, rule or setext underline: the offset of the
 * character to escape, or -1. Characters md_inline escapes anyway (*, _,
 * `) are left to it. */
static long line_escape_at(const char *s, size_t len)
{
  size_t i = 0;

  if (len == 0)
    return -1;
  if (s[0] == '#' || s[0] == '>' || s[0] == '+' || s[0] == '=' ||
      (s[0] == '-' && (len == 1 || s[1] == ' ' || s[1] == '-')))
    return 0;
  /* "2019. A year", "1) first": the dot or parenthesis is escaped, a
   * backslash before a digit would show. */
  while (i < len && i < 9 && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i > 0 && i < len && (s[i] == '.' || s[i] == ')') &&
      (i + 1 == len || s[i + 1] == ' '))
    return (long)i;
  return -1;
}

/* One line of text, escaped for Markdown. */
static wn_result md_line(struct wn_buf *out, const char *s, size_t len)
{
  long at = line_escape_at(s, len);
  wn_result rc = WN_OK;

  if (at < 0)
    return md_inline(out, s, len, 0);
  rc = md_inline(out, s, (size_t)at, 0);
  if (rc == WN_OK)
    rc = wn_buf_addc(out, '\\');
  if (rc == WN_OK)
    rc = md_inline(out, s + at, len - (size_t)at, 0);
  return rc;
}

/* Each line of s with prefix before it (numbered lists count up). */
static wn_result md_lines(struct wn_buf *out, const char *s, size_t len,
                          const char *prefix, int numbered)
{
  size_t start = 0, i;
  int n = 1;
  wn_result rc = WN_OK;

  for (i = 0; i <= len && rc == WN_OK; i++) {
    if (i < len && s[i] != '\n')
      continue;
    if (numbered)
      rc = wn_buf_printf(out, "%d. ", n++);
    else
      rc = wn_buf_adds(out, prefix);
    if (rc == WN_OK)
      rc = md_line(out, s + start, i - start);
    if (rc == WN_OK)
      rc = wn_buf_addc(out, '\n');
    start = i + 1;
  }
  return rc;
}

static wn_result md_table(struct wn_buf *out, const char *s, size_t len)
{
  size_t start = 0, i, j, cells = 0, first_cells = 0;
  int row = 0;
  wn_result rc = WN_OK;

  for (i = 0; i <= len && rc == WN_OK; i++) {
    if (i < len && s[i] != '\n')
      continue;
    cells = 1;
    for (j = start; j < i; j++)
      if (s[j] == '\t')
        cells++;
    rc = wn_buf_adds(out, "| ");
    for (j = start; j < i && rc == WN_OK; j++) {
      size_t k = j;
      while (k < i && s[k] != '\t')
        k++;
      rc = md_inline(out, s + j, k - j, 1);
      if (rc == WN_OK)
        rc = wn_buf_adds(out, k < i ? " | " : "");
      j = k;
    }
    /* pad short rows to the header's width */
    for (j = cells; j < first_cells && rc == WN_OK; j++)
      rc = wn_buf_adds(out, " | ");
    if (rc == WN_OK)
      rc = wn_buf_adds(out, " |\n");
    if (row == 0 && rc == WN_OK) {
      first_cells = cells;
      rc = wn_buf_adds(out, "|");
      for (j = 0; j < cells && rc == WN_OK; j++)
        rc = wn_buf_adds(out, " --- |");
      if (rc == WN_OK)
        rc = wn_buf_addc(out, '\n');
    }
    row++;
    start = i + 1;
  }
  return rc;
}

/* A fenced code block whose fence is longer than any backtick run inside. */
static wn_result md_code(struct wn_buf *out, const char *s, size_t len)
{
  size_t i, run = 0, longest = 0, fence;
  wn_result rc = WN_OK;

  for (i = 0; i < len; i++) {
    run = s[i] == '`' ? run + 1 : 0;
    if (run > longest)
      longest = run;
  }
  fence = longest >= 3 ? longest + 1 : 3;
  for (i = 0; i < fence && rc == WN_OK; i++)
    rc = wn_buf_addc(out, '`');
  if (rc == WN_OK)
    rc = wn_buf_addc(out, '\n');
  if (rc == WN_OK)
    rc = wn_buf_add(out, s, len);
  if (rc == WN_OK)
    rc = wn_buf_addc(out, '\n');
  for (i = 0; i < fence && rc == WN_OK; i++)
    rc = wn_buf_addc(out, '`');
  if (rc == WN_OK)
    rc = wn_buf_addc(out, '\n');
  return rc;
}

wn_result output_markdown_append(struct wn_buf *out,
                                 const struct extract_record *rec)
{
  size_t k;
  wn_result rc = WN_OK;

  if (rec->title) {
    rc = wn_buf_adds(out, "# ");
    if (rc == WN_OK)
      rc = md_inline(out, rec->title, strlen(rec->title), 0);
    if (rc == WN_OK)
      rc = wn_buf_adds(out, "\n\n");
  }
  for (k = 0; k < rec->n_blocks && rc == WN_OK; k++) {
    const struct extract_block *b = &rec->blocks[k];

    if (k)
      rc = wn_buf_addc(out, '\n');
    if (rc != WN_OK)
      break;
    switch (b->type) {
    case EXTRACT_BLOCK_HEADING: {
      int level = b->level < 1 ? 2 : b->level > 6 ? 6 : b->level;
      /* the title is the only level-1 heading */
      if (level < 2)
        level = 2;
      rc = wn_buf_printf(out, "%.*s ", level, "######");
      if (rc == WN_OK)
        rc = md_inline(out, b->text, b->len, 0);
      if (rc == WN_OK)
        rc = wn_buf_addc(out, '\n');
      break;
    }
    case EXTRACT_BLOCK_LIST:
      rc = md_lines(out, b->text, b->len, "- ", b->ordered);
      break;
    case EXTRACT_BLOCK_QUOTE:
      rc = md_lines(out, b->text, b->len, "> ", 0);
      break;
    case EXTRACT_BLOCK_TABLE:
      rc = md_table(out, b->text, b->len);
      break;
    case EXTRACT_BLOCK_CODE:
      rc = md_code(out, b->text, b->len);
      break;
    case EXTRACT_BLOCK_PARAGRAPH:
    default:
      rc = md_lines(out, b->text, b->len, "", 0);
      break;
    }
  }
  return rc;
}
