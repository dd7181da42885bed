/* SPDX-License-Identifier: MIT */
/* A host's side of the snapshot mode (snapshot_url): the conditional GET,
 * the signature, no rollback, no stale snapshot. */
#ifndef PAM_COGNITO_SNAPSHOT_FETCH_H
#define PAM_COGNITO_SNAPSHOT_FETCH_H

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "sync/poolsnap.h"
#include "sync/snapshot_state.h"

/* Fetch cfg->snapshot_url at time now. PC_OK: s holds a snapshot signed
 * by snapshot_public_key, no older than snapshot_max_age, with a serial no
 * lower than the last applied; *next is the state to save once its files
 * are written. PC_ABSENT: 304 Not Modified and the snapshot applied last is
 * still young enough (nothing to do). Any other status: refused or failed,
 * with why in err; nothing may be written. */
enum pc_status
pc_snapshot_fetch(const struct pc_config *cfg, long long now, struct pc_snap *s,
                  struct pc_snapshot_state *next, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
