/* SPDX-License-Identifier: MIT */
/* See curlmem.h. */
#include "config.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "base/secret.h"
#include "net/curlmem.h"

static void wipe_free(void *p) {
  if (p == NULL)
    return;
  pc_wipe(p, malloc_usable_size(p));
  free(p);
}

static void *wipe_malloc(size_t n) {
  return malloc(n);
}

static void *wipe_calloc(size_t nmemb, size_t size) {
  return calloc(nmemb, size);
}

/* Never realloc(): a block that moves would leave its old contents behind.
 * A block that is large enough already is kept. */
static void *wipe_realloc(void *p, size_t n) {
  size_t have;
  void *q;

  if (p == NULL)
    return malloc(n);
  if (n == 0) {
    wipe_free(p);
    return NULL;
  }
  have = malloc_usable_size(p);
  if (n <= have)
    return p;
  q = malloc(n);
  if (q == NULL)
    return NULL;
  memcpy(q, p, have);
  wipe_free(p);
  return q;
}

static char *wipe_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);

  if (p != NULL)
    memcpy(p, s, n);
  return p;
}

CURLcode pc_curlmem_global_init(long flags) {
  return curl_global_init_mem(flags, wipe_malloc, wipe_free, wipe_realloc,
                              wipe_strdup, wipe_calloc);
}
