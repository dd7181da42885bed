/* SPDX-License-Identifier: MIT */
/* offline_login: log in while Cognito cannot be reached, within limits the
 * administrator sets (offline_days, offline_failures, offline_lockout,
 * offline_mfa).
 *
 * After every successful online login the module keeps, root-only in
 * <cache_dir>/.private/<user>/offline.json, a yescrypt verifier of the
 * password (libcrypt, fresh salt, cost PC_OFFLINE_COST), the time of that
 * login, whether it needed a second factor, the verified Cognito groups, and
 * the uid it was made for. It is used only when the online login could not
 * reach Cognito; never when Cognito answered.
 *
 * Every read-change-write of the record happens under an flock on
 * offline.lock beside it, and an offline attempt is counted as a failure
 * before its password is checked, then taken back when the password was
 * right: parallel guesses each count, and a process killed during the
 * check has already paid for its guess. An attempt in flight counts, so
 * more than offline_failures parallel attempts lock even right ones. */
#ifndef PAM_COGNITO_OFFLINE_LOGIN_H
#define PAM_COGNITO_OFFLINE_LOGIN_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "base/error.h"
#include "config/cfg.h"

/* yescrypt cost factor: Debian's default for /etc/shadow (login.defs
 * YESCRYPT_COST_FACTOR 5). */
#define PC_OFFLINE_COST 5

enum pc_offline_result {
  PC_OFFLINE_OK,          /* the password matches: log in */
  PC_OFFLINE_WRONG,       /* it does not (a failure is counted) */
  PC_OFFLINE_LOCKED,      /* too many wrong offline passwords */
  PC_OFFLINE_TOO_OLD,     /* last online login more than offline_days ago */
  PC_OFFLINE_MFA,         /* the user has a second factor; offline_mfa off */
  PC_OFFLINE_NOT_ALLOWED, /* the access rules refuse the cached groups */
  PC_OFFLINE_NONE,        /* nothing cached (or offline_days is 0) */
  PC_OFFLINE_ERROR
};

/* After a successful online login: keep the verifier of password with the
 * facts the offline rules need (groups: NULL-terminated, may be NULL). Does
 * nothing when offline_days is 0. PC_OK, or the failure with why set. */
enum pc_status pc_offline_remember(const struct pc_config *cfg,
                                   const char *user, uid_t uid,
                                   const char *password, int mfa_used,
                                   char *const *groups, time_t now,
                                   struct pc_error *why);

/* Cognito cannot be reached: decide on password. *last_online receives the
 * time of the last online login when a record exists. why is for syslog. */
enum pc_offline_result pc_offline_login(const struct pc_config *cfg,
                                        const char *user, uid_t uid,
                                        const char *password, time_t now,
                                        time_t *last_online,
                                        struct pc_error *why);

/* Cognito refused password (the online answer is final): when it is the
 * cached one, the password was changed or reset elsewhere, so the verifier
 * goes. 1 when it was deleted, else 0. */
int pc_offline_refused(const struct pc_config *cfg, const char *user, uid_t uid,
                       const char *password);

/* After a password change: the verifier becomes one of password, other
 * facts unchanged. 1 replaced, 0 nothing cached, -1 failed (the old
 * verifier is then removed, so the old password no longer works offline). */
int pc_offline_repassword(const struct pc_config *cfg, const char *user,
                          uid_t uid, const char *password);

#endif
