/* SPDX-License-Identifier: MIT */
/* cachefile: the files of one open cache area (cachedir.h opens the area
 * and states the rules): atomic replace, a bounded read that refuses
 * anything but a regular file of the area's owner, remove. */
#ifndef PAM_COGNITO_CACHEFILE_H
#define PAM_COGNITO_CACHEFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/bounds.h"
#include "base/buf.h"
#include "base/error.h"

struct pc_cache {
  int dir_fd; /* O_DIRECTORY fd of the area, -1 when closed */
  uid_t uid;  /* owner every file must have */
  gid_t gid;
  char path[PC_CACHE_PATH_MAX]; /* the area's path, for messages only */
};

/* A closed cache: pc_cache_close on it is a no-op. */
#define PC_CACHE_INIT                                                          \
  {                                                                            \
    -1, 0, 0, {                                                                \
      0                                                                        \
    }                                                                          \
  }

/* Atomically replace <name> with len bytes of data, mode 0600, owned by the
 * area's owner. PC_OK, or PC_ERR_CONFIG (e says why; no temporary file is
 * left). data stays the caller's: it is not wiped here. */
enum pc_status pc_cache_write(const struct pc_cache *c, const char *name,
                              const void *data, size_t len, struct pc_error *e)
    __attribute__((warn_unused_result));

/* Read <name> into out (initialised here; release with pc_buf_free, which
 * wipes). PC_OK (out->data may be NULL for an empty file), PC_ABSENT, or
 * PC_ERR_CONFIG when refused or unreadable (e set; out is empty). */
enum pc_status pc_cache_read(const struct pc_cache *c, const char *name,
                             struct pc_buf *out, struct pc_error *e)
    __attribute__((warn_unused_result));

/* Remove <name> (a symlink there is removed, not followed): 0 when gone or
 * absent, -1 on error (errno set). */
int pc_cache_remove(const struct pc_cache *c, const char *name);

/* Close the directory fd; safe to call twice. */
void pc_cache_close(struct pc_cache *c);

#endif
