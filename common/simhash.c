#include "common/common.h"

#include <string.h>

/* Word features: runs of ASCII alphanumerics or any non-ASCII bytes (so
 * accented words stay whole); ASCII folded to lower case. Three-word
 * shingles make the hash sensitive to order, as near-duplicate detection
 * wants. */

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static int is_word_byte(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static uint64_t mix(uint64_t h)
{
  /* splitmix64 finaliser: spreads FNV's weak high bits. */
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

/* Bit votes are counted four bits at a time: spread[n] holds the 4 bits
 * of nibble n in four 16-bit lanes, so one feature costs 16 additions
 * instead of 64. Lanes are emptied into 32-bit totals before they can
 * overflow. */
static uint64_t spread[16];
static int spread_ready;

static void spread_init(void)
{
  int n, b;

  for (n = 0; n < 16; n++) {
    uint64_t v = 0;
    for (b = 0; b < 4; b++)
      if (n & (1 << b))
        v |= (uint64_t)1 << (16 * b);
    spread[n] = v;
  }
  spread_ready = 1;
}

struct votes {
  uint64_t lanes[16]; /* lane b of word j counts bit 4j+b */
  uint32_t total[64];
  uint32_t pending;
};

static void votes_flush(struct votes *v)
{
  int j, b;

  for (j = 0; j < 16; j++) {
    for (b = 0; b < 4; b++)
      v->total[4 * j + b] += (uint32_t)((v->lanes[j] >> (16 * b)) & 0xFFFF);
    v->lanes[j] = 0;
  }
  v->pending = 0;
}

static void votes_add(struct votes *v, uint64_t f)
{
  int j;

  for (j = 0; j < 16; j++)
    v->lanes[j] += spread[(f >> (4 * j)) & 15];
  if (++v->pending == 65535)
    votes_flush(v);
}

uint64_t wn_simhash64(const char *text, size_t len)
{
  struct votes v;
  uint64_t w[3] = {0, 0, 0}, f, out = 0;
  size_t i = 0, n_words = 0, n_features = 0;
  int b;

  /* The table is the same for every thread; a race writes equal values. */
  if (!spread_ready)
    spread_init();
  memset(&v, 0, sizeof(v));
  while (i < len) {
    uint64_t h = FNV_OFFSET;

    while (i < len && !is_word_byte((unsigned char)text[i]))
      i++;
    if (i >= len)
      break;
    while (i < len && is_word_byte((unsigned char)text[i])) {
      h ^= (uint64_t)wn_ascii_tolower((unsigned char)text[i++]);
      h *= FNV_PRIME;
    }
    w[0] = w[1];
    w[1] = w[2];
    w[2] = h;
    n_words++;
    if (n_words < 3)
      continue;
    votes_add(&v, mix(w[0] * 31 * 31 + w[1] * 31 + w[2]));
    n_features++;
  }
  if (n_words == 0)
    return 0;
  if (n_words < 3) {
    f = mix(w[1] * 31 + w[2]);
    return f ? f : 1;
  }
  votes_flush(&v);
  /* a bit is set when more features had it than not */
  for (b = 0; b < 64; b++)
    if (2 * (uint64_t)v.total[b] > n_features)
      out |= 1ULL << b;
  return out;
}

int wn_hamming64(uint64_t a, uint64_t b)
{
  uint64_t x = a ^ b;
  int n = 0;

  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}
