/* SPDX-License-Identifier: MIT */
/* logout_revoke: revoke_on_logout. The sessions of a user on this host are kept
 * root-only (<cache_dir>/.private/<user>/sessions.json) as (pid, process
 * start time) pairs, so that a session whose process died without closing
 * does not count; when the last one closes, the refresh token is revoked
 * (RevokeToken) and the refresh material and credentials are removed from
 * the user's cache. The credential helper's --logout revokes on demand. */
#ifndef PAM_COGNITO_LOGOUT_REVOKE_H
#define PAM_COGNITO_LOGOUT_REVOKE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"
#include "store/user_files.h"

/* Count this process's session of user in (open) or out (close). *live:
 * the sessions still open after it. PC_OK, or PC_ERR_PROTOCOL with why
 * set. */
enum pc_status pc_logout_session_open(const char *base, const char *user,
                                      int *live, struct pc_error *why)
    __attribute__((warn_unused_result));
enum pc_status pc_logout_session_close(const char *base, const char *user,
                                       int *live, struct pc_error *why)
    __attribute__((warn_unused_result));

/* Revoke the refresh token of the store's hand-over and remove it and the
 * credentials. PC_OK also when there was nothing to revoke.
 * root_cfg: the module's configuration (root). refresh.json is the user's
 * file, so only its token is used: the request goes where root_cfg says,
 * with root_cfg's client and secret, and nowhere when the file names
 * another pool or client (PC_ERR_CONFIG, files still removed).
 * NULL (the helper, the user's own process): the file's settings, no
 * secret; a client with a secret then cannot revoke, the files still go,
 * and the result is PC_ERR_CONFIG with a detail that says the token stays
 * valid until it expires. *revoked (revoked may be NULL): 1 when a token
 * was kept and Cognito revoked it, 0 when there was none to revoke. */
enum pc_status pc_logout_revoke(struct pc_store *s,
                                const struct pc_config *root_cfg, int *revoked,
                                struct pc_error *err)
    __attribute__((warn_unused_result));

/* RevokeToken for token with cfg's client (and secret), bounded by
 * login_timeout: root's own copy of a token (the account record's, for
 * pam_cognito-sync's end_sessions). PC_OK, or a status with err. */
enum pc_status pc_logout_revoke_token(const struct pc_config *cfg,
                                      const char *token, struct pc_error *err)
    __attribute__((warn_unused_result));

/* The same for local user from the PAM module (root): the store opened
 * for the user's account, cfg as root_cfg. */
enum pc_status pc_logout_user(const struct pc_config *cfg, const char *user,
                              int *revoked, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
