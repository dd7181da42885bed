/* creds: AWS credentials from a Cognito identity pool (GetId,
 * GetCredentialsForIdentity), token refresh (REFRESH_TOKEN_AUTH), and the
 * hand-over document (refresh.json) that lets the unprivileged credential
 * helper renew credentials without the root-only configuration file. */
#ifndef PAM_COGNITO_CREDS_H
#define PAM_COGNITO_CREDS_H

#include <stddef.h>

#include "api.h"
#include "cfg.h"
#include "credfile.h"
#include "status.h"
#include "tokens.h"

/* Longest identity id accepted ("<region>:<uuid>" is 46). */
#define PC_IDENTITY_ID_MAX 55

/* 1 when id looks like an identity id: [A-Za-z0-9_-]+:[0-9a-f-]+, at most
 * PC_IDENTITY_ID_MAX characters; 0 otherwise. */
int pc_identity_id_valid(const char *id);

/* The Logins key "cognito-idp.<region>.amazonaws.com/<user_pool_id>" as a
 * heap string, or NULL (no memory, incomplete cfg). */
char *pc_identity_login_key(const struct pc_config *cfg);

/* GetId: the identity id of the user behind id_token in cfg's identity pool.
 * PC_OK with a heap string in *identity_id (free it), or an error status with
 * err filled (err may be NULL). */
enum pc_status pc_identity_get_id(struct pc_client *cl,
                                  const struct pc_config *cfg,
                                  const char *id_token, char **identity_id,
                                  struct pc_api_error *err)
    __attribute__((warn_unused_result));

/* GetCredentialsForIdentity, with CustomRoleArn when cfg->role_arn is set.
 * PC_OK with creds filled (release with pc_aws_creds_free), or an error with
 * creds zeroed. A reply without the three keys or with an Expiration that
 * is not an epoch number (fractions are truncated) is PC_ERR_PROTOCOL. */
enum pc_status pc_identity_get_credentials(
    struct pc_client *cl, const struct pc_config *cfg, const char *identity_id,
    const char *id_token, struct pc_aws_creds *creds, struct pc_api_error *err)
    __attribute__((warn_unused_result));

/* InitiateAuth REFRESH_TOKEN_AUTH. user_for_hash (the user's real user name,
 * as in USER_ID_FOR_SRP) and secret_hash (computed with that name; NULL for a
 * client without a secret) go along as USERNAME and SECRET_HASH. PC_OK with
 * new ID and access tokens in *tokens (refresh_token set only when the server
 * rotated it; release with pc_tokens_free), or an error: an expired or
 * revoked refresh token is PC_ERR_AUTH. */
enum pc_status
pc_refresh_tokens(struct pc_client *cl, const char *refresh_token,
                  const char *user_for_hash, const char *secret_hash,
                  struct pc_tokens *tokens, struct pc_api_error *err)
    __attribute__((warn_unused_result));

/* What refresh.json carries from the module (root) to the helper (user):
 * the pool settings of the configuration (never the client secret) and the
 * user's refresh material. */
struct pc_handover {
  struct pc_config cfg; /* region, pools, client, endpoints, timeout, ... */
  char *identity_id;
  char *user_id;       /* user name for SECRET_HASH */
  char *secret_hash;   /* secret; NULL for a client without a secret */
  char *refresh_token; /* secret */
};

/* The refresh.json document, built without json-c so that no copy of the
 * secrets is left in freed memory: a heap string for pc_free_secret, or
 * NULL (no memory, missing input). */
char *pc_handover_json(const struct pc_config *cfg, const char *identity_id,
                       const char *user_id, const char *secret_hash,
                       const char *refresh_token);

/* Parse and validate such a document (the endpoints must pass the same
 * https-or-loopback rule as the configuration file). 0, or -1 with a reason
 * in err and out released. */
int pc_handover_parse(const char *json, size_t len, struct pc_handover *out,
                      char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* Wipe and free everything; safe on a zeroed struct. */
void pc_handover_free(struct pc_handover *h);

#endif
