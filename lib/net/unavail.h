/* SPDX-License-Identifier: MIT */
/* unavail: the one rule for "Cognito is unavailable", which alone opens
 * offline login and the account stage's grace. It counts only what a local
 * user cannot fake: a connection refused or a network or host reported
 * unreachable, a resolver's answer that the name does not exist, Cognito's
 * own 5xx after the retries. A timeout counts only in a process the user
 * cannot signal (sshd, login): in su or sudo the user can stop the process
 * until any request times out. A local shortage (EMFILE, ENOMEM), a cut or
 * reset reply and any answer below 500 never count. */
#ifndef PAM_COGNITO_UNAVAIL_H
#define PAM_COGNITO_UNAVAIL_H

#include "base/error.h"

/* 1 when e (a failed call) shows Cognito unavailable by the rule above;
 * user_can_signal from pc_user_can_signal(). */
int pc_error_cognito_down(const struct pc_error *e, int user_can_signal);

/* 1 unless the real, effective and saved uids of this process are all root
 * (kill(2) lets a user signal a process whose real or saved uid is theirs:
 * su and sudo keep the caller's real uid). */
int pc_user_can_signal(void);

/* Why e does not count as Cognito unavailable, for a log line. */
const char *pc_error_not_down_why(const struct pc_error *e,
                                  int user_can_signal);

#endif
