/* SPDX-License-Identifier: MIT */
/* The account files of libnss-extrausers (passwd, group, shadow): the
 * entries nssbuild.h makes from a pool snapshot, rendered and written
 * atomically. */
#ifndef PAM_COGNITO_NSSFILES_H
#define PAM_COGNITO_NSSFILES_H

#include <stddef.h>
#include <sys/types.h>
#include "base/error.h"
#include "config/cfg.h"

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
  /* local_groups: groups of /etc (their gid) with the synced members to
   * add, merged by glibc ("group: files [SUCCESS=merge] extrausers") */
  struct pc_nss_entry *locals;
  size_t nl;
};

/* Render db and write cfg->nss_dir/{passwd,group,shadow}: each to a
 * temporary file in the directory, fsync, then all three renamed into
 * place. Modes 0644, 0644, 0640 (shadow group "shadow" when root). On error
 * nothing of the old files changes. PC_OK, or the failure with err. */
enum pc_status pc_nss_write(const struct pc_config *cfg,
                            const struct pc_nss_db *db, struct pc_error *err)
    __attribute__((warn_unused_result));

/* dir (nss_dir) made ready for a file of the run: created 0755 when
 * missing; when we are root it must be root's and writable by root only.
 * PC_OK, or PC_ERR_CONFIG with err. */
enum pc_status pc_nss_dir_ready(const char *dir, struct pc_error *err)
    __attribute__((warn_unused_result));

/* One file written the same atomic way (the --export file). group_name:
 * chgrp to it when root, or NULL. PC_OK, or the failure with err. */
enum pc_status pc_nss_write_file(const char *path, const char *text, size_t len,
                                 mode_t mode, const char *group_name,
                                 struct pc_error *err)
    __attribute__((warn_unused_result));

/* The run's own one-line state file (back-off, snapshot serial): PC_OK with
 * its first size-1 bytes in line (NUL-ended), PC_ABSENT when there is none,
 * PC_ERR_CONFIG when it is not a regular file of this user's with mode 0600
 * (a link or a loosened file is never read). */
enum pc_status pc_nss_read_state(const char *path, char *line, size_t size,
                                 struct pc_error *err)
    __attribute__((warn_unused_result));

/* The first half of pc_nss_write_file: text staged in a temporary file
 * beside path (".name.XXXXXX", mode and owner set, fsync'ed), for a check
 * before it goes into place. PC_OK with the temporary path (heap) in *tmp,
 * or a status with err (*tmp NULL). */
enum pc_status pc_nss_stage_file(const char *path, const char *text, size_t len,
                                 mode_t mode, const char *group_name,
                                 char **tmp, struct pc_error *err)
    __attribute__((warn_unused_result));

/* The second half: rename tmp to path and fsync the directory; tmp is
 * removed when the rename fails, and freed. PC_OK, or a status with err. */
enum pc_status pc_nss_commit_file(char *tmp, const char *path,
                                  struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
