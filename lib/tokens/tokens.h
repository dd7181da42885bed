/* SPDX-License-Identifier: MIT */
/* tokens: what a successful sign-in or refresh returns (AuthenticationResult),
 * and the refresh itself (REFRESH_TOKEN_AUTH), which the credential helper
 * runs where the module ran the login.
 *
 * One renewal of a user's tokens as the helper and the account stage need
 * it (pc_refresh): REFRESH_TOKEN_AUTH with the device key, or, when Cognito
 * answers that the app client rotates refresh tokens,
 * GetTokensFromRefreshToken (which needs the raw client secret for a
 * client with one: root has it, the helper does not). And the words for a
 * refusal, which say what is true rather than always "log in again". */
#ifndef PAM_COGNITO_TOKENS_H
#define PAM_COGNITO_TOKENS_H

#include <json-c/json.h>

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"

struct pc_tokens {
  char *access_token;
  char *id_token;
  char *refresh_token; /* NULL when the reply carried none (or "") */
};

void pc_tokens_free(struct pc_tokens *t); /* wipes */

/* Copy AccessToken, IdToken and RefreshToken out of an AuthenticationResult
 * object (ar may be NULL) into t. PC_OK, or PC_ERR_PROTOCOL when the access
 * or ID token is missing, PC_ERR_NOMEM; on error t is released. */
enum pc_status pc_tokens_from_result(json_object *ar, struct pc_tokens *t)
    __attribute__((warn_unused_result));

/* InitiateAuth REFRESH_TOKEN_AUTH. user_for_hash (the user's real user name,
 * as in USER_ID_FOR_SRP) and secret_hash (computed with that name; NULL for a
 * client without a secret) go along as USERNAME and SECRET_HASH, device_key
 * (tokens of a remembered device refresh only with it; NULL: none) as
 * DEVICE_KEY. PC_OK with new ID and access tokens in *tokens (refresh_token
 * set only when the server rotated it; release with pc_tokens_free), or an
 * error in err: an expired or revoked refresh token is PC_ERR_AUTH. */
enum pc_status
pc_tokens_refresh(struct pc_client *cl, const char *refresh_token,
                  const char *user_for_hash, const char *secret_hash,
                  const char *device_key, struct pc_tokens *tokens,
                  struct pc_error *err) __attribute__((warn_unused_result));

/* An app client with refresh-token rotation refuses REFRESH_TOKEN_AUTH:
 * 1 when err is that refusal. */
int pc_tokens_rotation_refusal(const struct pc_error *err);

/* GetTokensFromRefreshToken, the rotating clients' refresh: the new
 * refresh token comes back in tokens->refresh_token. client_secret is the
 * raw secret (root only), NULL for a client without one. */
enum pc_status pc_tokens_rotate(struct pc_client *cl, const char *refresh_token,
                                const char *client_secret,
                                const char *device_key,
                                struct pc_tokens *tokens, struct pc_error *err)
    __attribute__((warn_unused_result));

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
