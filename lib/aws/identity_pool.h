/* SPDX-License-Identifier: MIT */
/* identity_pool: AWS credentials from a Cognito identity pool for the user
 * behind an ID token (GetId, GetCredentialsForIdentity), remembering the
 * identity id in the user's store so that later logins skip GetId. */
#ifndef PAM_COGNITO_IDENTITY_POOL_H
#define PAM_COGNITO_IDENTITY_POOL_H

#include <stddef.h>

#include <json-c/json.h>

#include "base/bounds.h"
#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "net/api.h"
#include "store/creds_doc.h"
#include "store/user_files.h"

struct pc_store;

/* The Logins key "cognito-idp.<region>.<suffix>/<user_pool_id>" (the
 * provider name an identity pool registers the user pool under, for tokens
 * of either issuer) as a heap string, or NULL (no memory, incomplete cfg). */
char *pc_identity_login_key(const struct pc_config *cfg);

/* GetId: the identity id of the user behind id_token in cfg's identity pool.
 * PC_OK with a heap string in *identity_id (free it), or an error status with
 * err filled (err may be NULL). */
enum pc_status pc_identity_get_id(struct pc_client *cl,
                                  const struct pc_config *cfg,
                                  const char *id_token, char **identity_id,
                                  struct pc_error *err)
    __attribute__((warn_unused_result));

/* GetOpenIdToken: the identity pool's OpenID token for identity_id (the
 * basic flow's first step). PC_OK with a heap string in *token (a secret:
 * pc_free_secret), or an error. */
enum pc_status
pc_identity_get_open_id_token(struct pc_client *cl, const struct pc_config *cfg,
                              const char *identity_id, const char *id_token,
                              char **token, struct pc_error *err)
    __attribute__((warn_unused_result));

/* The credentials of identity_id by cfg's identity_flow, for the role of
 * pc_role_choose (role.h: a role refusal comes before any call, an
 * ambiguous-role refusal is explained). Enhanced: GetCredentialsForIdentity,
 * with CustomRoleArn when cfg->role_arn is set. Basic: GetOpenIdToken, then
 * STS AssumeRoleWithWebIdentity (sts.h). PC_OK with creds filled (release
 * with pc_aws_creds_free), or an error with creds zeroed. A reply without
 * the three keys or with an Expiration that is not an epoch number
 * (fractions are truncated) is PC_ERR_PROTOCOL. */
enum pc_status
pc_identity_get_credentials(struct pc_client *cl, const struct pc_config *cfg,
                            const char *identity_id, const char *id_token,
                            struct pc_aws_creds *creds, struct pc_error *err)
    __attribute__((warn_unused_result));

/* The whole exchange: GetCredentialsForIdentity with the identity id the
 * store remembers for cfg's pool, GetId first when there is none or the
 * server refuses it (another pool, a deleted identity); a new id is
 * remembered. claims: id_token's (pc_jwt_claims), decoded once by the
 * caller for the role and the session name. store may be NULL (no cache).
 * PC_OK with a heap string in *identity_id and creds filled, or an error
 * in err. Cache trouble and the GetId fallback: notes in err. */
enum pc_status
pc_identity_fetch(struct pc_client *cl, const struct pc_config *cfg,
                  struct pc_store *store, const char *id_token,
                  json_object *claims, char **identity_id,
                  struct pc_aws_creds *creds, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
