#include "common/common.h"

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

uint64_t wn_simhash64(const char *text, size_t len)
{
  int32_t v[64] = {0};
  uint64_t w[3] = {0, 0, 0}, f, out = 0;
  size_t i = 0, n_words = 0;
  int b;

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
    f = mix(w[0] * 31 * 31 + w[1] * 31 + w[2]);
    for (b = 0; b < 64; b++)
      v[b] += (f >> b) & 1 ? 1 : -1;
  }
  if (n_words == 0)
    return 0;
  if (n_words < 3) {
    f = mix(w[1] * 31 + w[2]);
    return f ? f : 1;
  }
  for (b = 0; b < 64; b++)
    if (v[b] > 0)
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
