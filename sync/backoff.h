/* SPDX-License-Identifier: MIT */
/* Backing off across runs after Cognito throttled one: a fleet that keeps
 * asking at the same rate keeps being throttled, so each throttled run
 * doubles the pause before the next direct read, kept root-only in
 * <nss_dir>/pam_cognito-sync.backoff; a run that reads the pool clears it.
 * The first pause is longer than the timer's interval, so the next timer
 * run is skipped: a shorter one would change nothing at the fleet's rate.
 * Pause n (from 0) is FIRST x 2^n plus SLACK plus up to half of FIRST x 2^n
 * of jitter (hosts throttled together come back apart), at most MAX. */
#ifndef PAM_COGNITO_BACKOFF_H
#define PAM_COGNITO_BACKOFF_H

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"

/* The shipped timer's interval (conf/systemd/pam_cognito-sync.timer,
 * OnCalendar every 15 minutes): the sync cannot know a local override. */
#define PC_BACKOFF_FIRST 900 /* seconds */
/* The timer's AccuracySec (1 min) and a run's own time: a pause of FIRST
 * alone could end just before the next run starts. */
#define PC_BACKOFF_SLACK 120 /* seconds */
/* 6 h: a backing-off host keeps its files, so a user removed from the
 * pool keeps a key login here that long (plus an interval); well inside a
 * day, the default of snapshot_max_age and account_grace, the other limits
 * on how stale the pool's word may be, so a throttled host still tries
 * several times before either runs out. */
#define PC_BACKOFF_MAX 21600 /* seconds */

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
