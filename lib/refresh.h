/* SPDX-License-Identifier: MIT */
/* refresh: one renewal of a user's tokens as the helper and the account
 * stage need it: REFRESH_TOKEN_AUTH with the device key, or, when Cognito
 * answers that the app client rotates refresh tokens,
 * GetTokensFromRefreshToken (which needs the raw client secret for a
 * client with one: root has it, the helper does not). And the words for a
 * refusal, which say what is true rather than always "log in again". */
#ifndef PAM_COGNITO_REFRESH_H
#define PAM_COGNITO_REFRESH_H

#include "api.h"
#include "error.h"
#include "status.h"
#include "tokens.h"

struct pc_refresh_req {
  const char *refresh_token; /* secret */
  const char *user_for_hash; /* the user's Cognito user name */
  const char *secret_hash;   /* NULL: the client has no secret */
  const char *client_secret; /* the raw secret, root only; else NULL */
  const char *device_key;    /* this host's device, or NULL */
};

/* PC_OK with tokens (tokens->refresh_token set when it rotated), or an
 * error in err. A rotating client with a secret and no client_secret here
 * is PC_ERR_CONFIG with a detail saying so. */
enum pc_status pc_refresh(struct pc_client *cl, const struct pc_refresh_req *rq,
                          struct pc_tokens *tokens, struct pc_error *err)
    __attribute__((warn_unused_result));

/* What Cognito's refusal of a refresh means, for a person: "the refresh
 * token was revoked", "your Cognito account is disabled", ... */
const char *pc_refresh_refusal(const struct pc_error *err, int with_device);

/* 1 when err says the token was replaced by a newer one (rotation): a
 * caller holding a newer copy may try that one. */
int pc_refresh_superseded(const struct pc_error *err);

#endif
