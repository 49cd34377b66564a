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
#define SPREAD(n)                                                           \
  (((n)&1 ? 1ULL : 0) | ((n)&2 ? 1ULL << 16 : 0) | ((n)&4 ? 1ULL << 32 : 0) | \
   ((n)&8 ? 1ULL << 48 : 0))
static const uint64_t spread[16] = {
    SPREAD(0),  SPREAD(1),  SPREAD(2),  SPREAD(3), SPREAD(4),  SPREAD(5),
    SPREAD(6),  SPREAD(7),  SPREAD(8),  SPREAD(9), SPREAD(10), SPREAD(11),
    SPREAD(12), SPREAD(13), SPREAD(14), SPREAD(15)};

void wn_votes_init(struct wn_votes *v)
{
  memset(v, 0, sizeof(*v));
}

static void votes_flush(struct wn_votes *v)
{
  int j, b;

  for (j = 0; j < 16; j++) {
    for (b = 0; b < 4; b++)
      v->total[4 * j + b] += (uint32_t)((v->lanes[j] >> (16 * b)) & 0xFFFF);
    v->lanes[j] = 0;
  }
  v->pending = 0;
}

void wn_votes_add(struct wn_votes *v, uint64_t f)
{
  int j;

  for (j = 0; j < 16; j++)
    v->lanes[j] += spread[(f >> (4 * j)) & 15];
  v->n++;
  if (++v->pending == 65535)
    votes_flush(v);
}

uint64_t wn_votes_result(struct wn_votes *v)
{
  uint64_t out = 0;
  int b;

  votes_flush(v);
  /* a bit is set when more features had it than not */
  for (b = 0; b < 64; b++)
    if (2 * (uint64_t)v->total[b] > v->n)
      out |= 1ULL << b;
  return out;
}

uint64_t wn_simhash64(const char *text, size_t len)
{
  struct wn_votes v;
  uint64_t w[3] = {0, 0, 0}, f;
  size_t i = 0, n_words = 0;

  wn_votes_init(&v);
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
    wn_votes_add(&v, mix(w[0] * 31 * 31 + w[1] * 31 + w[2]));
  }
  if (n_words == 0)
    return 0;
  if (n_words < 3) {
    f = mix(w[1] * 31 + w[2]);
    return f ? f : 1;
  }
  return wn_votes_result(&v);
}

int wn_hamming64(uint64_t a, uint64_t b)
{
  uint64_t x = a ^ b;

  /* population count by halves, quarters, ... (no popcnt instruction is
   * assumed on x86-64 baseline) */
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* On x86-64 with GCC the loop is also built for CPUs with the popcnt
 * instruction and chosen at load time (clang 14 leaves the dispatcher
 * undefined in some builds); elsewhere the portable count serves. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__has_attribute)
#if __has_attribute(target_clones) && !defined(WN_NO_TARGET_CLONES)
#define NEAREST_CLONES __attribute__((target_clones("popcnt", "default")))
#endif
#endif
#ifndef NEAREST_CLONES
#define NEAREST_CLONES
#endif

NEAREST_CLONES
size_t wn_hamming_nearest(const uint64_t *v, size_t n, uint64_t x, int limit,
                          int *dist)
{
  size_t k, best = n;
  int best_d = limit + 1;

  for (k = 0; k < n; k++) {
#ifdef __GNUC__
    int d = __builtin_popcountll(v[k] ^ x);
#else
    int d = wn_hamming64(v[k], x);
#endif
    if (d < best_d) {
      best = k;
      best_d = d;
      if (d == 0)
        break;
    }
  }
  if (dist)
    *dist = best < n ? best_d : -1;
  return best;
}

uint64_t wn_hash64(const void *p, size_t len)
{
  const unsigned char *u = p;
  uint64_t h = FNV_OFFSET ^ ((uint64_t)len * 0x9e3779b97f4a7c15ULL);
  size_t i = 0;

  /* eight bytes at a time, each word mixed in with a multiply */
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, u + i, 8);
    h = (h ^ mix(w)) * 0x9fb21c651e98df25ULL;
    h ^= h >> 32;
  }
  if (i < len) {
    uint64_t w = 0;
    memcpy(&w, u + i, len - i);
    h = (h ^ mix(w ^ (uint64_t)(len - i))) * 0x9fb21c651e98df25ULL;
  }
  return mix(h);
}
