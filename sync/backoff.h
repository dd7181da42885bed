/* SPDX-License-Identifier: MIT */
/* Backing off across runs after Cognito throttled one: a fleet that keeps
 * asking at the same rate keeps being throttled, so each throttled run
 * doubles the pause before the next direct read (1, 2, 4 ... minutes, at
 * most an hour, with jitter), kept root-only in
 * <nss_dir>/pam_cognito-sync.backoff; a run that reads the pool clears it. */
#ifndef PAM_COGNITO_BACKOFF_H
#define PAM_COGNITO_BACKOFF_H

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"

#define PC_BACKOFF_MAX 3600 /* seconds */

/* PC_OK: read the pool now; PC_ERR_LIMIT: not before *until (seconds since
 * the epoch); another status: the state file is not ours (err). */
enum pc_status pc_backoff_check(const struct pc_config *cfg, long long now,
                                long long *until, struct pc_error *err)
    __attribute__((warn_unused_result));

/* One more throttled run: *until is when the next read may be. PC_OK, or
 * the failure to write the state with err. */
enum pc_status pc_backoff_throttled(const struct pc_config *cfg, long long now,
                                    long long *until, struct pc_error *err)
    __attribute__((warn_unused_result));

/* A run read the pool: no back-off. PC_OK, or the failure with err. */
enum pc_status pc_backoff_clear(const struct pc_config *cfg,
                                struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
