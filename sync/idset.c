/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sync/idset.h"

void pc_idset_init(struct pc_idset *s) {
  memset(s, 0, sizeof(*s));
}

static size_t slot_of(long id, size_t cap) {
  unsigned long long x = (unsigned long long)id * 0x9E3779B97F4A7C15ULL;

  return (size_t)(x >> 17) & (cap - 1);
}

int pc_idset_has(const struct pc_idset *s, long id) {
  size_t i;

  if (s->cap == 0)
    return 0;
  for (i = slot_of(id, s->cap); s->slots[i] != -1; i = (i + 1) & (s->cap - 1))
    if (s->slots[i] == id)
      return 1;
  return 0;
}

static int grow(struct pc_idset *s) {
  size_t cap = s->cap ? s->cap * 2 : 1024, i, j;
  long *slots = malloc(cap * sizeof(*slots));

  if (slots == NULL)
    return -1;
  for (i = 0; i < cap; i++)
    slots[i] = -1;
  for (i = 0; i < s->cap; i++) {
    if (s->slots[i] == -1)
      continue;
    for (j = slot_of(s->slots[i], cap); slots[j] != -1; j = (j + 1) & (cap - 1))
      ;
    slots[j] = s->slots[i];
  }
  free(s->slots);
  s->slots = slots;
  s->cap = cap;
  return 0;
}

int pc_idset_add(struct pc_idset *s, long id) {
  size_t i;

  if (id < 0 || pc_idset_has(s, id))
    return 0;
  if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
    return -1;
  for (i = slot_of(id, s->cap); s->slots[i] != -1; i = (i + 1) & (s->cap - 1))
    ;
  s->slots[i] = id;
  s->n++;
  return 0;
}

void pc_idset_free(struct pc_idset *s) {
  free(s->slots);
  memset(s, 0, sizeof(*s));
}
