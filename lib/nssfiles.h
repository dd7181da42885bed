/* SPDX-License-Identifier: MIT */
/* The account files of libnss-extrausers (passwd, group, shadow): built from
 * a pool snapshot with uids hashed from each user's sub, and written
 * atomically. */
#ifndef PAM_COGNITO_NSSFILES_H
#define PAM_COGNITO_NSSFILES_H

#include <stddef.h>
#include <sys/types.h>
#include "cfg.h"
#include "poolsnap.h"

struct pc_nss_entry {
  char *name;
  long id;        /* uid (and private gid) of a user; gid of a group */
  char *key;      /* users: sub; groups: NULL */
  char **members; /* Cognito groups: sorted member names, NULL-terminated */
  long fixed;     /* uid from uid_attribute, or -1 */
  long prev;      /* id in the previous files, or -1 */
};

struct pc_nss_db {
  struct pc_nss_entry *users, *groups; /* groups: Cognito groups only */
  size_t nu, ng;
};

/* Where to find what is already there (tests point etc elsewhere). */
struct pc_nss_paths {
  const char *etc_passwd, *etc_group;   /* never shadowed, ids never reused */
  const char *prev_passwd, *prev_group; /* last run's files: stable ids */
  /* sudoers files or directories whose %groups are never created (NULL
   * terminated; NULL: none but the built-in privileged groups) */
  const char *const *sudoers;
};

/* Reports a user or group left out, and why. */
typedef void (*pc_nss_log_fn)(void *ud, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The sync keys are sane (ranges, absolute paths, no ':' in paths). 0 or
 * -1 with err. */
int pc_nss_check_config(const struct pc_config *cfg, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Apply the rules of pam_cognito-sync(8) to s: local names, filters, ids.
 * 0, or -1 with err (no memory, an unreadable /etc file, the uid range
 * full). */
int pc_nss_build(const struct pc_config *cfg, const struct pc_snap *s,
                 const struct pc_nss_paths *paths, pc_nss_log_fn log, void *ud,
                 struct pc_nss_db *db, char *err, size_t errlen)
    __attribute__((warn_unused_result));

void pc_nss_db_free(struct pc_nss_db *db);

/* The uid hash of key in [min, max] before collisions: SHA-256, first 8
 * bytes big-endian, modulo the range. */
long pc_nss_hash_id(const char *key, long min, long max);

/* Render db and write cfg->nss_dir/{passwd,group,shadow}: each to a
 * temporary file in the directory, fsync, then all three renamed into
 * place. Modes 0644, 0644, 0640 (shadow group "shadow" when root). On error
 * nothing of the old files changes. 0 or -1 with err. */
int pc_nss_write(const struct pc_config *cfg, const struct pc_nss_db *db,
                 char *err, size_t errlen) __attribute__((warn_unused_result));

/* One file written the same atomic way (the --export file). group_name:
 * chgrp to it when root, or NULL. 0 or -1 with err. */
int pc_nss_write_file(const char *path, const char *text, size_t len,
                      mode_t mode, const char *group_name, char *err,
                      size_t errlen) __attribute__((warn_unused_result));

#endif
