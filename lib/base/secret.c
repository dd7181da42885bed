/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "base/secret.h"

#include <stdlib.h>
#include <string.h>

#ifndef HAVE_EXPLICIT_BZERO
#include <openssl/crypto.h>
#endif

void pc_wipe(void *p, size_t len) {
  if (p == NULL || len == 0)
    return;
#ifdef HAVE_EXPLICIT_BZERO
  explicit_bzero(p, len);
#else
  /* OpenSSL's cleanse goes through a volatile function pointer, so the
   * store survives dead-store elimination just like explicit_bzero. */
  OPENSSL_cleanse(p, len);
#endif
}

void pc_free_secret(char **p) {
  if (p == NULL || *p == NULL)
    return;
  pc_wipe(*p, strlen(*p));
  free(*p);
  *p = NULL;
}

char *pc_strdup(const char *s) {
  size_t len;
  char *copy;

  if (s == NULL)
    return NULL;
  len = strlen(s);
  copy = malloc(len + 1);
  if (copy == NULL)
    return NULL;
  memcpy(copy, s, len + 1);
  return copy;
}
