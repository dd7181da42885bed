/* SPDX-License-Identifier: MIT */
/* nssbuild: a pool snapshot -> the entries of the account files (which
 * users and groups, local names, uids hashed from each user's sub and kept
 * stable across runs); nssfiles.h writes them. */
#ifndef PAM_COGNITO_NSSBUILD_H
#define PAM_COGNITO_NSSBUILD_H

#include <stddef.h>

#include "base/error.h"
#include "config/cfg.h"
#include "sync/nssfiles.h"
#include "sync/poolsnap.h"

/* Where to find what is already there (below --root, or the fuzz target's
 * fixtures). */
struct pc_nss_paths {
  const char *etc_passwd, *etc_group;   /* never shadowed, ids never reused */
  const char *prev_passwd, *prev_group; /* last run's files: stable ids */
  /* sudoers files or directories whose %groups are never created (NULL
   * terminated; NULL: none but the built-in privileged groups) */
  const char *const *sudoers;
  /* where their absolute includes are: pam_cognito-sync --root, or NULL */
  const char *root;
};

/* Reports a user or group left out, and why. */
typedef void (*pc_nss_log_fn)(void *ud, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The sync keys are sane (ranges, absolute paths, no ':' in paths). PC_OK,
 * or PC_ERR_CONFIG with err. */
enum pc_status pc_nss_check_config(const struct pc_config *cfg,
                                   struct pc_error *err)
    __attribute__((warn_unused_result));

/* Apply the rules of pam_cognito-sync(8) to s: local names, filters, ids.
 * PC_OK, or the failure with err (no memory, an unreadable /etc file, the
 * uid range full). */
enum pc_status
pc_nss_build(const struct pc_config *cfg, const struct pc_snap *s,
             const struct pc_nss_paths *paths, pc_nss_log_fn log, void *ud,
             struct pc_nss_db *db, struct pc_error *err)
    __attribute__((warn_unused_result));

void pc_nss_db_free(struct pc_nss_db *db);

/* The uid hash of key in [min, max] before collisions: SHA-256, first 8
 * bytes big-endian, modulo the range. */
long pc_nss_hash_id(const char *key, long min, long max);

#endif
