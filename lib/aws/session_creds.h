/* SPDX-License-Identifier: MIT */
/* session_creds: the AWS credentials of a login, as the two callers need them
 * in one call each: the module right after a login (exchange the ID token,
 * save what the session and the helper need), and the helper when the saved
 * credentials ran out (refresh the tokens, exchange again, save). The
 * session stages read the result with pc_store_load_creds. */
#ifndef PAM_COGNITO_SESSION_CREDS_H
#define PAM_COGNITO_SESSION_CREDS_H

#include "base/error.h"
#include "config/cfg.h"
#include "net/api.h"
#include "store/creds_doc.h"
#include "store/user_files.h"
#include "tokens/tokens.h"

/* After a successful login of user: AWS credentials from cfg's identity
 * pool over the login's client, saved with the refresh hand-over into store
 * (NULL: no store, the caller only wants them for the environment). PC_OK
 * with creds filled (pc_aws_creds_free) and *identity_id (free), or the
 * exchange's error in err. What could not be saved: notes in err. */
enum pc_status pc_credentials_after_login(
    struct pc_client *cl, const struct pc_config *cfg, struct pc_store *store,
    const char *user, const struct pc_tokens *t, struct pc_aws_creds *creds,
    char **identity_id, struct pc_error *err)
    __attribute__((warn_unused_result));

/* Renew the stored credentials with the stored refresh hand-over: PC_OK
 * with creds filled (and saved, else a note in err), PC_ABSENT when there
 * is no hand-over to renew with, else the failure with err's detail a
 * one-line reason that says what the user should do. */
enum pc_status pc_credentials_renew(struct pc_store *s,
                                    struct pc_aws_creds *creds,
                                    struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
