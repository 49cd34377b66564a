#include "common/common.h"

#include <stdlib.h>
#include <string.h>

/* Chunks grow geometrically so that a page's many small Gumbo allocations
 * cost one pointer bump each, and a big page needs few mallocs. */
#define CHUNK_MIN (64u * 1024u)
#define CHUNK_KEEP (4u * 1024u * 1024u)
#define ALIGN 16u

struct chunk {
  struct chunk *next;
  size_t size; /* usable bytes after the header */
  size_t used;
};

struct wn_arena {
  struct chunk *head; /* current chunk; older ones follow */
  size_t max;
  size_t total;  /* bytes of all chunks */
  size_t handed; /* bytes handed out since reset */
  int failed;
};

#define HDR ((sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

struct wn_arena *wn_arena_new(size_t max)
{
  struct wn_arena *a = calloc(1, sizeof(*a));

  if (a)
    a->max = max;
  return a;
}

void wn_arena_free(struct wn_arena *a)
{
  struct chunk *c, *next;

  if (!a)
    return;
  for (c = a->head; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

void wn_arena_reset(struct wn_arena *a)
{
  struct chunk *c, *next, *keep = NULL;

  if (!a)
    return;
  /* Keep the largest chunk that is not too big to sit idle. */
  for (c = a->head; c; c = c->next)
    if (c->size <= CHUNK_KEEP && (!keep || c->size > keep->size))
      keep = c;
  for (c = a->head; c; c = next) {
    next = c->next;
    if (c != keep)
      free(c);
  }
  a->head = keep;
  a->total = 0;
  if (keep) {
    keep->next = NULL;
    keep->used = 0;
    a->total = keep->size + HDR;
  }
  a->handed = 0;
  a->failed = 0;
}

void *wn_arena_alloc(struct wn_arena *a, size_t size)
{
  struct chunk *c = a->head;
  size_t want, csize;
  void *p;

  if (size == 0)
    size = 1;
  /* Every sum below stays far from SIZE_MAX once size is under the cap
   * and the alignment and header slack. */
  if (size > a->max || size > SIZE_MAX / 4) {
    a->failed = 1;
    return NULL;
  }
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if (!c || c->size - c->used < size) {
    size_t room = a->max > a->total ? a->max - a->total : 0;

    csize = a->total < CHUNK_MIN ? CHUNK_MIN : a->total;
    if (csize < size)
      csize = size;
    if (csize > SIZE_MAX / 4 || csize + HDR > room) {
      csize = size;
      if (csize + HDR > room) {
        a->failed = 1;
        return NULL;
      }
    }
    want = HDR + csize;
    c = malloc(want);
    if (!c) {
      a->failed = 1;
      return NULL;
    }
    c->size = csize;
    c->used = 0;
    c->next = a->head;
    a->head = c;
    a->total += want;
  }
  p = (char *)c + HDR + c->used;
  c->used += size;
  a->handed += size;
  return p;
}

void *wn_arena_calloc(struct wn_arena *a, size_t n, size_t size)
{
  void *p;

  if (size && n > SIZE_MAX / size) {
    a->failed = 1;
    return NULL;
  }
  /* wn_arena_alloc refuses what does not fit, so memset is safe. */
  p = wn_arena_alloc(a, n * size);
  if (p)
    memset(p, 0, n * size);
  return p;
}

char *wn_arena_strndup(struct wn_arena *a, const char *s, size_t len)
{
  char *p;

  if (len >= SIZE_MAX / 4) {
    a->failed = 1;
    return NULL;
  }
  p = wn_arena_alloc(a, len + 1);
  if (!p)
    return NULL;
  if (len)
    memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *wn_arena_strdup(struct wn_arena *a, const char *s)
{
  return wn_arena_strndup(a, s, strlen(s));
}

size_t wn_arena_used(const struct wn_arena *a)
{
  return a->handed;
}

int wn_arena_failed(const struct wn_arena *a)
{
  return a->failed;
}
