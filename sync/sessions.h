/* SPDX-License-Identifier: MIT */
/* end_sessions: every process of a user who lost access ends. With
 * systemd-logind running, loginctl terminate-user first (it ends the
 * user's sessions and their scopes); then, with or without it, every
 * process left with the uid as its real, effective or saved uid gets
 * SIGTERM, and SIGKILL after a grace period. */
#ifndef PAM_COGNITO_SESSIONS_H
#define PAM_COGNITO_SESSIONS_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"

/* Seconds between SIGTERM and SIGKILL. */
#define PC_SESSIONS_GRACE 3

/* End the processes of uid (never this process, never uid 0). *ended: the
 * processes signalled; *logind: 1 when loginctl terminate-user ran and
 * succeeded. PC_OK, or a status with err (/proc unreadable, processes
 * still there after SIGKILL). */
enum pc_status pc_sessions_end(long uid, int *ended, int *logind,
                               struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
