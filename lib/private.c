/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>

#include "cache.h"
#include "error.h"
#include "private.h"

static void explain(const struct pc_error *e, char *why, size_t whylen) {
  char text[1024];

  if (why != NULL && whylen > 0)
    (void)snprintf(why, whylen, "%s", pc_error_text(e, text, sizeof text));
}

int pc_private_read(const char *base, const char *user, const char *name,
                    struct pc_buf *out, char *why, size_t whylen) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;
  int rc;

  pc_buf_init(out, PC_CACHE_MAX_FILE);
  rc = pc_cache_open_private(&c, base, user, 0, &e);
  if (rc == 0)
    rc = pc_cache_read(&c, name, out, &e);
  if (rc < 0)
    explain(&e, why, whylen);
  pc_cache_close(&c);
  return rc;
}

int pc_private_write(const char *base, const char *user, const char *name,
                     const void *data, size_t len, char *why, size_t whylen) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;
  int rc;

  rc = pc_cache_open_private(&c, base, user, 1, &e);
  if (rc == 0)
    rc = pc_cache_write(&c, name, data, len, &e);
  if (rc != 0) {
    explain(&e, why, whylen);
    rc = -1;
  }
  pc_cache_close(&c);
  return rc;
}

void pc_private_remove(const char *base, const char *user, const char *name) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;

  if (pc_cache_open_private(&c, base, user, 0, &e) == 0)
    (void)pc_cache_remove(&c, name);
  pc_cache_close(&c);
}
