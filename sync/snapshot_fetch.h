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
 * are written, with the bytes to keep in next->kept (free with
 * pc_snapshot_state_free). PC_ABSENT: 304 Not Modified, and s holds the
 * kept copy of the snapshot applied last, checked again as a fetched one
 * (signature, settings, snapshot_max_age), to apply again: the host's own
 * configuration may have changed. Any other status: refused or failed,
 * with why in err; nothing may be written. */
enum pc_status
pc_snapshot_fetch(const struct pc_config *cfg, long long now, struct pc_snap *s,
                  struct pc_snapshot_state *next, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
