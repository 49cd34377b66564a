/* Class, id, role and tag hints, in several languages. The word lists are
 * our own, informed by what Readability, jusText, boilerpipe and
 * trafilatura look for. */
#include "extract/extract_int.h"

#include <gumbo.h>
#include <pthread.h>
#include <string.h>

enum match { SUB, EXACT, PREFIX, TOKEN };

struct pattern {
  const char *word;
  enum match how;
  int8_t hint;
};

#define NEG(k) HINT_NEG(EXTRACT_BP_##k)

/* Checked in order against each lower-cased class/id token; the first
 * match decides for that token. TOKEN matches a whole token or a part of it
 * between '-', '_' or camel-case boundaries (already split to '-'). */
static const struct pattern patterns[] = {
    /* strong content names */
    {"articlebody", SUB, HINT_STRONG},
    {"article-body", SUB, HINT_STRONG},
    {"article_body", SUB, HINT_STRONG},
    {"article-content", SUB, HINT_STRONG},
    {"article-text", SUB, HINT_STRONG},
    {"articletext", SUB, HINT_STRONG},
    {"article__body", SUB, HINT_STRONG},
    {"article__content", SUB, HINT_STRONG},
    {"story-body", SUB, HINT_STRONG},
    {"storybody", SUB, HINT_STRONG},
    {"story-content", SUB, HINT_STRONG},
    {"story-text", SUB, HINT_STRONG},
    {"story__body", SUB, HINT_STRONG},
    {"post-body", SUB, HINT_STRONG},
    {"post-content", SUB, HINT_STRONG},
    {"postcontent", SUB, HINT_STRONG},
    {"post-text", SUB, HINT_STRONG},
    {"post-entry", SUB, HINT_STRONG},
    {"postentry", SUB, HINT_STRONG},
    {"entry-content", SUB, HINT_STRONG},
    {"entry-body", SUB, HINT_STRONG},
    {"entry-text", SUB, HINT_STRONG},
    {"body-text", SUB, HINT_STRONG},
    {"bodytext", SUB, HINT_STRONG},
    {"body-copy", SUB, HINT_STRONG},
    {"content-body", SUB, HINT_STRONG},
    {"text-body", SUB, HINT_STRONG},
    {"news-body", SUB, HINT_STRONG},
    {"news-text", SUB, HINT_STRONG},
    {"rich-text", SUB, HINT_STRONG},
    {"richtext", SUB, HINT_STRONG},
    {"field-body", SUB, HINT_STRONG},
    {"field--name-body", SUB, HINT_STRONG},
    {"td-post-content", SUB, HINT_STRONG},
    {"artikel-text", SUB, HINT_STRONG},
    {"texte-article", SUB, HINT_STRONG},
    {"article-texte", SUB, HINT_STRONG},
    {"contenu-article", SUB, HINT_STRONG},
    {"cuerpo-noticia", SUB, HINT_STRONG},
    {"corpo-noticia", SUB, HINT_STRONG},
    {"testo-articolo", SUB, HINT_STRONG},

    /* state flags and neutral names that contain boilerplate words */
    {"commented", SUB, 0},
    {"commentary", SUB, 0},
    {"shared-content", SUB, 0},

    /* cookie and consent banners */
    {"cookie", SUB, NEG(COOKIE)},
    {"consent", SUB, NEG(COOKIE)},
    {"gdpr", SUB, NEG(COOKIE)},
    {"onetrust", SUB, NEG(COOKIE)},
    {"didomi", SUB, NEG(COOKIE)},
    {"tarteaucitron", SUB, NEG(COOKIE)},
    {"cmp", TOKEN, NEG(COOKIE)},
    {"rgpd", SUB, NEG(COOKIE)},
    {"lgpd", SUB, NEG(COOKIE)},
    {"iubenda", SUB, NEG(COOKIE)},
    {"cookiebot", SUB, NEG(COOKIE)},
    {"usercentrics", SUB, NEG(COOKIE)},
    {"quantcast", SUB, NEG(COOKIE)},
    {"trustarc", SUB, NEG(COOKIE)},
    {"sp-message", SUB, NEG(COOKIE)},
    {"fc-consent", SUB, NEG(COOKIE)},

    /* comments */
    {"comment", SUB, NEG(COMMENTS)},
    {"disqus", SUB, NEG(COMMENTS)},
    {"respond", TOKEN, NEG(COMMENTS)},
    {"replies", TOKEN, NEG(COMMENTS)},
    {"discussion", SUB, NEG(COMMENTS)},
    {"kommentar", SUB, NEG(COMMENTS)},
    {"commentaire", SUB, NEG(COMMENTS)},
    {"comentario", SUB, NEG(COMMENTS)},

    /* share bars */
    {"share", SUB, NEG(SHARE)},
    {"sharing", SUB, NEG(SHARE)},
    {"social", SUB, NEG(SHARE)},
    {"sociable", SUB, NEG(SHARE)},
    {"addthis", SUB, NEG(SHARE)},
    {"addtoany", SUB, NEG(SHARE)},
    {"a2a", TOKEN, NEG(SHARE)},
    {"partage", SUB, NEG(SHARE)},
    {"teilen", TOKEN, NEG(SHARE)},
    {"compartir", SUB, NEG(SHARE)},
    {"condividi", SUB, NEG(SHARE)},
    {"compartilhar", SUB, NEG(SHARE)},

    /* related and recommended content */
    {"related", SUB, NEG(RELATED)},
    {"recommend", SUB, NEG(RELATED)},
    {"more-stories", SUB, NEG(RELATED)},
    {"morestories", SUB, NEG(RELATED)},
    {"more-articles", SUB, NEG(RELATED)},
    {"read-more", SUB, NEG(RELATED)},
    {"readmore", SUB, NEG(RELATED)},
    {"read-next", SUB, NEG(RELATED)},
    {"readnext", SUB, NEG(RELATED)},
    {"lire-aussi", SUB, NEG(RELATED)},
    {"lireaussi", SUB, NEG(RELATED)},
    {"a-lire", SUB, NEG(RELATED)},
    {"also-read", SUB, NEG(RELATED)},
    {"see-also", SUB, NEG(RELATED)},
    {"outbrain", SUB, NEG(RELATED)},
    {"taboola", SUB, NEG(RELATED)},
    {"trending", SUB, NEG(RELATED)},
    {"most-read", SUB, NEG(RELATED)},
    {"mostread", SUB, NEG(RELATED)},
    {"most-popular", SUB, NEG(RELATED)},
    {"mostpopular", SUB, NEG(RELATED)},
    {"popular", TOKEN, NEG(RELATED)},
    {"more-from", SUB, NEG(RELATED)},
    {"up-next", SUB, NEG(RELATED)},
    {"upnext", SUB, NEG(RELATED)},
    {"you-may-like", SUB, NEG(RELATED)},
    {"suggested", SUB, NEG(RELATED)},
    {"mehr-zum-thema", SUB, NEG(RELATED)},
    {"relacionad", SUB, NEG(RELATED)},
    {"correlat", SUB, NEG(RELATED)},

    /* advertising */
    {"advert", SUB, NEG(ADVERTISING)},
    {"adsbygoogle", SUB, NEG(ADVERTISING)},
    {"adslot", SUB, NEG(ADVERTISING)},
    {"adunit", SUB, NEG(ADVERTISING)},
    {"ad", TOKEN, NEG(ADVERTISING)},
    {"ads", TOKEN, NEG(ADVERTISING)},
    {"adv", TOKEN, NEG(ADVERTISING)},
    {"dfp", TOKEN, NEG(ADVERTISING)},
    {"gpt", TOKEN, NEG(ADVERTISING)},
    {"sponsor", SUB, NEG(ADVERTISING)},
    {"promo", SUB, NEG(ADVERTISING)},
    {"pub", TOKEN, NEG(ADVERTISING)},
    {"publicite", SUB, NEG(ADVERTISING)},
    {"publicidad", SUB, NEG(ADVERTISING)},
    {"pubblicita", SUB, NEG(ADVERTISING)},
    {"werbung", SUB, NEG(ADVERTISING)},
    {"anzeige", SUB, NEG(ADVERTISING)},
    {"doubleclick", SUB, NEG(ADVERTISING)},
    {"banner", TOKEN, NEG(OTHER)},
    {"commercial", TOKEN, NEG(ADVERTISING)},

    /* navigation */
    {"breadcrumb", SUB, NEG(NAVIGATION)},
    {"navigation", SUB, NEG(NAVIGATION)},
    {"navbar", SUB, NEG(NAVIGATION)},
    {"nav", TOKEN, NEG(NAVIGATION)},
    {"menu", SUB, NEG(NAVIGATION)},
    {"masthead", SUB, NEG(NAVIGATION)},
    {"topbar", SUB, NEG(NAVIGATION)},
    {"pagination", SUB, NEG(NAVIGATION)},
    {"pager", TOKEN, NEG(NAVIGATION)},
    {"toolbar", SUB, NEG(NAVIGATION)},
    {"skip", TOKEN, NEG(NAVIGATION)},
    {"header", TOKEN, NEG(OTHER)},

    /* footers */
    {"footer", SUB, NEG(FOOTER)},
    {"colophon", SUB, NEG(FOOTER)},
    {"copyright", SUB, NEG(FOOTER)},

    /* everything else that is not the article */
    {"sidebar", SUB, NEG(OTHER)},
    {"side-bar", SUB, NEG(OTHER)},
    {"widget", SUB, NEG(OTHER)},
    {"newsletter", SUB, NEG(OTHER)},
    {"subscri", SUB, NEG(OTHER)},
    {"signup", SUB, NEG(OTHER)},
    {"sign-up", SUB, NEG(OTHER)},
    {"popup", SUB, NEG(OTHER)},
    {"modal", SUB, NEG(OTHER)},
    {"overlay", TOKEN, NEG(OTHER)},
    {"sr-only", SUB, NEG(OTHER)},
    {"visually-hidden", SUB, NEG(OTHER)},
    {"screen-reader", SUB, NEG(OTHER)},
    {"screenreader", SUB, NEG(OTHER)},
    {"noprint", TOKEN, NEG(OTHER)},
    {"byline", SUB, NEG(OTHER)},
    {"author-bio", SUB, NEG(OTHER)},
    {"author-box", SUB, NEG(OTHER)},
    {"authorbox", SUB, NEG(OTHER)},
    {"author-info", SUB, NEG(OTHER)},
    {"author-card", SUB, NEG(OTHER)},
    {"author-meta", SUB, NEG(OTHER)},
    {"author-description", SUB, NEG(OTHER)},
    {"about-author", SUB, NEG(OTHER)},
    {"post-author", SUB, NEG(OTHER)},
    {"entry-author", SUB, NEG(OTHER)},
    {"article-author", SUB, NEG(OTHER)},
    {"tags", TOKEN, NEG(OTHER)},
    {"tag-list", SUB, NEG(OTHER)},
    {"taglist", SUB, NEG(OTHER)},
    {"keywords", SUB, NEG(OTHER)},
    {"disclaimer", SUB, NEG(OTHER)},
    {"meta", TOKEN, NEG(OTHER)},
    {"dateline", SUB, NEG(OTHER)},
    {"timestamp", SUB, NEG(OTHER)},
    {"login", SUB, NEG(OTHER)},
    {"rating", SUB, NEG(OTHER)},
    {"bio", TOKEN, NEG(OTHER)},
    /* image captions, credits and galleries */
    {"caption", SUB, NEG(OTHER)},
    {"credit", SUB, NEG(OTHER)},
    {"gallery", SUB, NEG(OTHER)},
    {"slideshow", SUB, NEG(OTHER)},
    {"carousel", SUB, NEG(OTHER)},
    {"lightbox", SUB, NEG(OTHER)},

    /* weak content names, after the negatives so that "article-footer"
     * stays a footer */
    {"article", TOKEN, HINT_WEAK},
    {"content", TOKEN, HINT_WEAK},
    {"entry", TOKEN, HINT_WEAK},
    {"post", TOKEN, HINT_WEAK},
    {"story", TOKEN, HINT_WEAK},
    {"text", TOKEN, HINT_WEAK},
    {"body", TOKEN, HINT_WEAK},
    {"main", TOKEN, HINT_WEAK},
    {"blog", TOKEN, HINT_WEAK},
    {"prose", TOKEN, HINT_WEAK},
};

#define N_PATTERNS (sizeof(patterns) / sizeof(patterns[0]))

/* Patterns bucketed by first letter, so that each token position is
 * compared with a handful of words instead of all of them. */
static uint8_t bucket_start[27], bucket_len[27];
static uint8_t order[N_PATTERNS];
static size_t word_len[N_PATTERNS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static int bucket_of(unsigned char c)
{
  return c >= 'a' && c <= 'z' ? c - 'a' : 26;
}

static void buckets_init(void)
{
  size_t k, n = 0;
  int b;

  for (b = 0; b < 27; b++) {
    bucket_start[b] = (uint8_t)n;
    for (k = 0; k < N_PATTERNS; k++) {
      if (bucket_of((unsigned char)patterns[k].word[0]) == b)
        order[n++] = (uint8_t)k;
    }
    bucket_len[b] = (uint8_t)(n - bucket_start[b]);
  }
  for (k = 0; k < N_PATTERNS; k++)
    word_len[k] = strlen(patterns[k].word);
}

/* The hint of the first pattern (in table order) found in tok. */
static int8_t match_token(const char *tok, size_t n)
{
  size_t best = N_PATTERNS, i, j, k, w;

  pthread_once(&buckets_once, buckets_init);
  for (i = 0; i < n; i++) {
    int b = bucket_of((unsigned char)tok[i]);

    for (j = 0; j < bucket_len[b]; j++) {
      k = order[bucket_start[b] + j];
      w = word_len[k];
      if (k >= best || i + w > n || memcmp(tok + i, patterns[k].word, w))
        continue;
      switch (patterns[k].how) {
      case SUB:
        break;
      case EXACT:
        if (i != 0 || w != n)
          continue;
        break;
      case PREFIX:
        if (i != 0)
          continue;
        break;
      case TOKEN:
        if ((i && tok[i - 1] != '-') || (i + w < n && tok[i + w] != '-'))
          continue;
        break;
      }
      best = k;
    }
  }
  return best < N_PATTERNS ? patterns[best].hint : 0;
}

/* Combine: strong positive beats negative beats weak positive; among
 * negatives a specific kind (cookie, share ...) beats "other", so the
 * result does not depend on the order of the attributes. */
static int8_t combine(int8_t a, int8_t b)
{
  if (a == HINT_STRONG || b == HINT_STRONG)
    return HINT_STRONG;
  if (a < 0 && b < 0)
    return a == NEG(OTHER) ? b : a;
  if (a < 0)
    return a;
  if (b < 0)
    return b;
  return a > b ? a : b;
}

/* Lower-case a class or id value into tokens: camelCase and '_' become
 * '-', so "articleBody" and "article_body" read as "article-body". */
static int8_t hint_of_names(const char *s)
{
  char tok[64];
  size_t n = 0;
  int8_t h = 0;
  const char *p;

  for (p = s;; p++) {
    unsigned char c = (unsigned char)*p;

    if (c == 0 || wn_ascii_isspace(c)) {
      if (n) {
        h = combine(h, match_token(tok, n));
        n = 0;
      }
      if (c == 0)
        break;
      continue;
    }
    if (n >= sizeof(tok) - 2)
      continue;
    if (c >= 'A' && c <= 'Z') {
      if (n && tok[n - 1] != '-' && p > s && p[-1] >= 'a' && p[-1] <= 'z')
        tok[n++] = '-';
      c = (unsigned char)(c + 32);
    } else if (c == '_') {
      c = '-';
    }
    tok[n++] = (char)c;
  }
  return h;
}

static int8_t hint_of_role(const char *r)
{
  static const struct {
    const char *role;
    int8_t hint;
  } roles[] = {
      {"navigation", NEG(NAVIGATION)},
      {"menu", NEG(NAVIGATION)},
      {"menubar", NEG(NAVIGATION)},
      {"search", NEG(NAVIGATION)},
      {"banner", NEG(NAVIGATION)},
      {"contentinfo", NEG(FOOTER)},
      {"complementary", NEG(OTHER)},
      {"dialog", NEG(OTHER)},
      {"alertdialog", NEG(OTHER)},
      {"alert", NEG(OTHER)},
      {"main", HINT_WEAK},
      {"article", HINT_WEAK},
  };
  size_t k;

  for (k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
    if (wn_ascii_casecmp(r, roles[k].role) == 0)
      return roles[k].hint;
  return 0;
}

static int8_t hint_of_tag(GumboTag t)
{
  switch (t) {
  case GUMBO_TAG_NAV:
  case GUMBO_TAG_MENU:
    return NEG(NAVIGATION);
  case GUMBO_TAG_FOOTER:
    return NEG(FOOTER);
  case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FIGCAPTION:
  case GUMBO_TAG_BUTTON:
    return NEG(OTHER);
  case GUMBO_TAG_HEADER:
    return NEG(NAVIGATION);
  case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_MAIN:
    return HINT_WEAK;
  default:
    return 0;
  }
}

void extract_hints_compute(struct dom *d)
{
  uint32_t i;

  for (i = 0; i < d->n; i++) {
    struct xnode *x = &d->nodes[i];
    const char *v;
    int8_t h;

    if (x->type != XN_ELEMENT || (x->flags & XF_DROP))
      continue;
    h = hint_of_tag((GumboTag)x->tag);
    /* One pass over the attributes (most elements have none of these). */
    {
      const GumboVector *attrs =
          &((const GumboNode *)x->g)->v.element.attributes;
      unsigned a;

      for (a = 0; a < attrs->length; a++) {
        const GumboAttribute *at = attrs->data[a];
        const char *n = at->name;

        v = at->value;
        if (strcmp(n, "class") == 0 || strcmp(n, "id") == 0)
          h = combine(h, hint_of_names(v));
        else if (strcmp(n, "role") == 0)
          h = combine(h, hint_of_role(v));
        else if (strcmp(n, "itemprop") == 0 &&
                 wn_ascii_casestr(v, strlen(v), "articlebody"))
          h = HINT_STRONG;
      }
    }
    /* <header> of the page is navigation; <header> of an article holds
     * its title, byline and date. */
    if (x->tag == GUMBO_TAG_HEADER && h == NEG(NAVIGATION)) {
      uint32_t a = x->parent;
      int steps = 0;
      for (; a != DOM_NONE && steps++ < 32; a = d->nodes[a].parent)
        if (d->nodes[a].tag == GUMBO_TAG_ARTICLE ||
            d->nodes[a].tag == GUMBO_TAG_MAIN) {
          h = NEG(OTHER);
          break;
        }
    }
    x->hint = h;
  }
}
