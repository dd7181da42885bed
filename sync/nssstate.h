/* SPDX-License-Identifier: MIT */
/* nssstate: the sync's state file (config/syncstate.h) written after the
 * account files, and the users an earlier run admitted that this one no
 * longer does (end_sessions). */
#ifndef PAM_COGNITO_NSSSTATE_H
#define PAM_COGNITO_NSSSTATE_H

#include <stddef.h>
#include <time.h>

#include "base/error.h"
#include "config/cfg.h"
#include "config/syncstate.h"
#include "sync/nssfiles.h"
#include "sync/poolsnap.h"

/* The access rule (admit/access.h's pc_access_rules_admit, which the tool
 * passes in: sync/ does not reach admit/). */
typedef int (*pc_admit_fn)(const struct pc_config *cfg, const char *user,
                           char *const *groups);

/* The state of this run: every user of db with uid, synced groups (from s,
 * by sub) and whether admit lets them in. 0, or -1 (no memory). */
int pc_nss_state_make(const struct pc_config *cfg, const struct pc_snap *s,
                      const struct pc_nss_db *db, pc_admit_fn admit, time_t now,
                      struct pc_syncstate *out)
    __attribute__((warn_unused_result));

/* Write st to <nss_dir>/pam_cognito-sync.state (0644 root's, atomically).
 * PC_OK, or the failure with err. */
enum pc_status pc_nss_state_write(const struct pc_config *cfg,
                                  const struct pc_syncstate *st,
                                  struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
