/* SPDX-License-Identifier: MIT */
/* tokens: what a successful sign-in or refresh returns (AuthenticationResult),
 * and the refresh itself (REFRESH_TOKEN_AUTH), which the credential helper
 * runs where the module ran the login. */
#ifndef PAM_COGNITO_TOKENS_H
#define PAM_COGNITO_TOKENS_H

#include <json-c/json.h>

#include "api.h"
#include "error.h"
#include "status.h"

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

#endif
