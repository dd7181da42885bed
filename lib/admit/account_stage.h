/* SPDX-License-Identifier: MIT */
/* account_stage: the account stage's decision for a login this process did not
 * authenticate (an SSH key, say), and the root-only record it decides from.
 *
 * After every verified password login the module keeps, root-only in
 * <cache_dir>/.private/account-<user>.json: the local uid it was made for,
 * the Cognito user name, a copy of the refresh token that the user can
 * neither read nor replace (the user-readable hand-over to the credential
 * helper is never trusted here), and the last verified decision (when,
 * admitted or not, the groups). The account stage refreshes with that
 * token, verifies the new ID token and applies the rules again; when Cognito
 * cannot be reached, the last decision holds for account_grace seconds. */
#ifndef PAM_COGNITO_ACCOUNT_STAGE_H
#define PAM_COGNITO_ACCOUNT_STAGE_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "base/error.h"
#include "admit/authorize.h"
#include "net/api.h"
#include "net/usercontext.h"

enum pc_account_result {
  PC_ACCOUNT_OK,          /* admitted (now, or within account_grace) */
  PC_ACCOUNT_NOT_ALLOWED, /* verified, but the rules refuse the user */
  PC_ACCOUNT_EXPIRED,     /* Cognito refused: disabled, revoked, deleted */
  PC_ACCOUNT_UNKNOWN,     /* never seen on this host */
  PC_ACCOUNT_STALE,       /* Cognito unreachable, last decision too old */
  PC_ACCOUNT_DENIED,      /* Cognito gave no yes and is not unavailable by
                             lib/net/unavail.h's rule (throttling, a refusal) */
  PC_ACCOUNT_ERROR        /* out of memory, broken configuration, a record
                             that cannot be read or written */
};

/* Keep the record after a verified, admitted login of user (local uid).
 * refresh_token may be NULL (nothing to refresh with later); device_key is
 * the device it is bound to (tokens.h), kept with it for its refresh, or
 * NULL. PC_OK, or the failure with why set (the login stands; only later
 * key logins are affected). */
enum pc_status pc_account_remember(const struct pc_config *cfg,
                                   const char *user, uid_t uid,
                                   const char *refresh_token,
                                   const char *device_key,
                                   const struct pc_verdict *v, time_t now,
                                   struct pc_error *why);

/* Decide for user (local uid) at now, refreshing through cl (ctx: the
 * PAM service and remote host for ClientMetadata; may be NULL). why says
 * what decided (for syslog); *graced is set when a remembered decision was
 * used because Cognito is unavailable (lib/net/unavail.h; user_can_signal
 * from pc_user_can_signal()). */
enum pc_account_result pc_account_check(struct pc_client *cl, const char *user,
                                        uid_t uid, time_t now,
                                        const struct pc_usercontext *ctx,
                                        int user_can_signal, int *graced,
                                        struct pc_error *why);

/* Forget user's record (after the password was refused, say). */
void pc_account_forget(const struct pc_config *cfg, const char *user);

/* User (local uid) lost access (pam_cognito-sync's end_sessions): revoke
 * the refresh token of the record (RevokeToken) and remove the record.
 * *revoked: 1 when a token was kept and Cognito revoked it. PC_OK (also
 * with no record), or a status with err (the record is removed anyway). */
enum pc_status pc_account_revoke(const struct pc_config *cfg, const char *user,
                                 uid_t uid, int *revoked, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
