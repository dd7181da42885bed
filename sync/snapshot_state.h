/* SPDX-License-Identifier: MIT */
/* What a host in the snapshot mode remembers between runs, root-only in
 * <nss_dir>/pam_cognito-sync.snapshot: the serial and time of the last
 * snapshot applied (no rollback; the age of a 304's copy) and its ETag
 * (the next GET is conditional); and that snapshot's bytes, as signed, in
 * <nss_dir>/pam_cognito-sync.snapshot.kept: a 304 applies them again, so
 * that a change of the host's own configuration (sudo_rules, local_groups,
 * allowed_groups...) takes effect at the next run. */
#ifndef PAM_COGNITO_SNAPSHOT_STATE_H
#define PAM_COGNITO_SNAPSHOT_STATE_H

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "sync/s3.h"

struct pc_snapshot_state {
  long long serial; /* -1: none applied yet */
  long long when;
  char etag[PC_S3_ETAG_MAX];
  char *kept; /* after a 200: the bytes to keep (heap), else NULL */
  size_t kept_len;
};

/* The last run's state into st; PC_OK, or PC_ABSENT (first run: serial -1,
 * no ETag), or a failure (a file that is not ours) with err. */
enum pc_status pc_snapshot_state_load(const struct pc_config *cfg,
                                      struct pc_snapshot_state *st,
                                      struct pc_error *err)
    __attribute__((warn_unused_result));

/* st written (mode 0600, atomically), after st->kept when that is set.
 * PC_OK, or the failure with err. */
enum pc_status pc_snapshot_state_save(const struct pc_config *cfg,
                                      const struct pc_snapshot_state *st,
                                      struct pc_error *err)
    __attribute__((warn_unused_result));

/* The kept copy into *blob (heap, *len bytes). PC_OK; PC_ABSENT when there
 * is none (a first run, or a state of an older version); PC_ERR_CONFIG
 * when it is not a regular file of this user's with mode 0600 or too big,
 * with err. */
enum pc_status pc_snapshot_kept_read(const struct pc_config *cfg, char **blob,
                                     size_t *len, struct pc_error *err)
    __attribute__((warn_unused_result));

/* st->kept freed. */
void pc_snapshot_state_free(struct pc_snapshot_state *st);

#endif
