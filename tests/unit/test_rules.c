/* Unit tests for rules/: the loader's validation (every problem reported
 * with its key path), host matching, the built-in rules, and pcre2
 * patterns under their limits. */
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/unit/check.h"

struct collected {
  char text[4096];
  int n;
};

static void collect(void *ud, const char *file, int line, int column,
                    const char *message)
{
  struct collected *c = ud;
  size_t len = strlen(c->text);

  (void)file;
  snprintf(c->text + len, sizeof(c->text) - len, "%d:%d: %s\n", line, column,
           message);
  c->n++;
}

struct load_case {
  const char *json;
  int ok;
  const char *want; /* a substring of the messages (NULL when ok) */
};

static const struct load_case load_cases[] = {
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"]}", 1, NULL},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\", \"*.a.com\"], "
     "\"body\": \"article .x\", \"title\": \"h1@title\", \"remove\": [\".s\"], "
     "\"related\": {\"selectors\": [\".r\"], \"markers\": [\"^Read\"]}, "
     "\"boilerplate\": [{\"kind\": \"seo\", \"pattern\": \"x\", "
     "\"names_site\": true, \"at_end\": true, \"min_words\": 3}], "
     "\"tests\": [{\"page\": \"p.html\", \"url\": \"https://a.com/\", "
     "\"expect\": {}}], \"notes\": \"n\", \"version\": 2}",
     1, NULL},
    {"{\"site\": \"generic\", \"generic\": true, \"related\": {\"phrases\": "
     "[\"Read More\"]}}",
     1, NULL},
    {"", 0, "JSON syntax error"},
    {"{\"site\": \"a\",", 0, "1:"},
    {"[1, 2]", 0, "one JSON object"},
    {"{\"hosts\": [\"a.com\"]}", 0, "site: missing"},
    {"{\"site\": \"a.com\"}", 0, "hosts: missing"},
    {"{\"site\": \"a.com\", \"hosts\": []}", 0, "hosts: must be a non-empty"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a b.com\"]}", 0, "hosts[0]"},
    {"{\"site\": \"a.com\", \"hosts\": [1]}", 0, "hosts[0]: must be a string"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"bdy\": \"x\"}", 0,
     "bdy: unknown key"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"related\": "
     "{\"selector\": []}}",
     0, "related.selector: unknown key"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"body\": \"div[\"}", 0,
     "body: selector error"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"body\": 3}", 0,
     "body: must be a selector"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"boilerplate\": "
     "[{\"kind\": \"seo\", \"pattern\": \"(a\"}]}",
     0, "boilerplate[0].pattern: pcre2 error at offset"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"boilerplate\": "
     "[{\"kind\": \"ads\", \"pattern\": \"a\"}]}",
     0, "unknown kind 'ads'"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"boilerplate\": "
     "[{\"kind\": \"seo\"}]}",
     0, "needs a pattern or a selector"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"boilerplate\": "
     "[{\"kind\": \"seo\", \"pattern\": \"a\", \"min_words\": -1}]}",
     0, "min_words"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"tests\": [{}]}", 0,
     "tests[0].page"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"tests\": "
     "[{\"page\": \"p\", \"url\": \"ftp://x\", \"expect\": {}}]}",
     0, "tests[0].url"},
    {"{\"site\": \"a\", \"site\": \"b\", \"hosts\": [\"a.com\"]}", 0,
     "duplicate"},
    {"{\"site\": \"generic\", \"generic\": true, \"hosts\": [\"a.com\"]}", 0,
     "no hosts"},
    {"{\"site\": \"a.com\", \"hosts\": [\"a.com\"], \"remove\": \".x\"}", 0,
     "remove: must be an array"},
    /* several problems are all reported */
    {"{\"site\": 1, \"hosts\": 2, \"zz\": 3}", 0, "zz: unknown key"},
};

static void test_load(void)
{
  size_t k;

  for (k = 0; k < sizeof(load_cases) / sizeof(load_cases[0]); k++) {
    const struct load_case *c = &load_cases[k];
    struct rules_set *rs = rules_set_new();
    struct collected col;
    wn_result rc;

    memset(&col, 0, sizeof(col));
    rc = rules_set_load_text(rs, "t.json", ".", c->json, strlen(c->json),
                             collect, &col);
    if ((rc == WN_OK) != c->ok || (c->want && !strstr(col.text, c->want))) {
      fprintf(stderr, "load case %zu: rc %d, messages:\n%s  want %s\n", k,
              (int)rc, col.text, c->want ? c->want : "(ok)");
      check_failures++;
    }
    if (c->ok)
      CHECK_INT(rules_set_count(rs) + rules_set_generic_count(rs), 1);
    else
      CHECK_INT(rules_set_count(rs) + rules_set_generic_count(rs), 0);
    rules_set_free(rs);
  }
  /* several errors in one file: each one reported */
  {
    struct rules_set *rs = rules_set_new();
    struct collected col;
    const char *j = "{\"site\": 1, \"hosts\": 2, \"zz\": 3}";

    memset(&col, 0, sizeof(col));
    rules_set_load_text(rs, "t.json", ".", j, strlen(j), collect, &col);
    CHECK(col.n >= 3);
    rules_set_free(rs);
  }
}

struct host_case {
  const char *host;
  const char *site; /* NULL: none */
};

static void test_hosts(void)
{
  static const char *const files[] = {
      "{\"site\": \"one\", \"hosts\": [\"example.com\", \"*.example.com\"]}",
      "{\"site\": \"two\", \"hosts\": [\"news.example.com\"]}",
      "{\"site\": \"three\", \"hosts\": [\"EXAMPLE.org\"]}",
  };
  static const struct host_case cases[] = {
      {"example.com", "one"},     {"www.example.com", "one"},
      {"a.b.example.com", "one"}, {"news.example.com", "two"},
      {"example.org", "three"},   {"notexample.com", NULL},
      {"example.com.evil", NULL}, {"org", NULL},
  };
  struct rules_set *rs = rules_set_new();
  size_t k;

  for (k = 0; k < sizeof(files) / sizeof(files[0]); k++)
    CHECK_INT(rules_set_load_text(rs, "f", ".", files[k], strlen(files[k]),
                                  NULL, NULL),
              WN_OK);
  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    const struct rules_site *s = rules_set_match_host(rs, cases[k].host);
    CHECK_STR(s ? s->site : NULL, cases[k].site);
  }
  rules_set_free(rs);
}

static void test_builtin(void)
{
  struct rules_set *rs = rules_set_new();
  struct collected col;

  memset(&col, 0, sizeof(col));
  CHECK_INT(rules_set_load_builtin(rs, collect, &col), WN_OK);
  if (col.n)
    fprintf(stderr, "built-in rules: %s", col.text);
  CHECK_INT(rules_set_generic_count(rs), 1);
  CHECK(rules_set_match_host(rs, "www.charente-expo.com") != NULL);
  CHECK(rules_set_generic_at(rs, 0)->n_related_phrases > 50);
  rules_set_free(rs);
}

struct pattern_case {
  const char *pattern;
  const char *subject;
  int want; /* 1 match, 0 none, -1 limit */
};

static void test_patterns(void)
{
  static const struct pattern_case cases[] = {
      {"(?i)^sur le même sujet$", "SUR LE MÊME SUJET", 1},
      {"\\w+", "été", 1},
      {"^\\w{3}$", "été", 1},
      {"^Read", "Read more", 1},
      {"^Read", "Unread", 0},
      {"(?i)cookies?", "We use Cookies here", 1},
  };
  struct rules_scratch *sc = rules_scratch_new();
  struct rules_pattern *p = NULL;
  struct wn_error err;
  size_t k, start = 99, end = 99;
  char subject[40001];
  clock_t t0;

  CHECK(sc != NULL);
  for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    CHECK_INT(rules_pattern_compile(cases[k].pattern, &p, &err), WN_OK);
    CHECK_INT(rules_pattern_find(p, sc, cases[k].subject,
                                 strlen(cases[k].subject), NULL, NULL),
              cases[k].want);
    rules_pattern_free(p);
    p = NULL;
  }
  /* offsets */
  CHECK_INT(rules_pattern_compile("b+", &p, &err), WN_OK);
  CHECK_INT(rules_pattern_find(p, sc, "aabbbc", 6, &start, &end), 1);
  CHECK_INT(start, 2);
  CHECK_INT(end, 5);
  rules_pattern_free(p);
  /* compile errors carry pcre2's offset */
  wn_error_clear(&err);
  CHECK_INT(rules_pattern_compile("ab(c", &p, &err), WN_E_RULE);
  CHECK_INT(err.offset, 4);
  CHECK(err.message[0] != '\0');
  CHECK_INT(rules_pattern_compile("a{2,1}", &p, &err), WN_E_RULE);
  /* catastrophic backtracking stops at the limit, quickly */
  CHECK_INT(rules_pattern_compile("^(a+)+$", &p, &err), WN_OK);
  memset(subject, 'a', 40000);
  subject[39999] = 'b';
  subject[40000] = '\0';
  t0 = clock();
  CHECK(rules_pattern_find(p, sc, subject, 40000, NULL, NULL) <= 0);
  CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
  rules_pattern_free(p);
  /* invalid UTF-8 in the subject: an error result, not a crash */
  CHECK_INT(rules_pattern_compile("x", &p, &err), WN_OK);
  CHECK_INT(rules_pattern_find(p, sc, "\xff\xfex", 3, NULL, NULL), -1);
  rules_pattern_free(p);
  rules_scratch_free(sc);
}

int main(void)
{
  test_load();
  test_hosts();
  test_builtin();
  test_patterns();
  return check_exit();
}
