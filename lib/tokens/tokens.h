/* SPDX-License-Identifier: MIT */
/* tokens: what a successful sign-in or refresh returns (AuthenticationResult),
 * and the refresh itself, which the account stage (root) and the credential
 * helper (the user) run long after the login.
 *
 * One renewal of a user's tokens (pc_refresh), as Amplify v6 does it:
 * GetTokensFromRefreshToken, which serves app clients with and without
 * refresh-token rotation, with the device key, the raw client secret (root
 * has it, the helper does not) and ClientMetadata. InitiateAuth
 * REFRESH_TOKEN_AUTH is the other call: for a server, region or pool that
 * does not offer GetTokensFromRefreshToken, and for the helper of a client
 * with a secret. Each call gives way to the other only on a refusal whose
 * error type says the call is not available (never on message text), and
 * the caller remembers per app client which call worked
 * (tokens/refresh_call.h). And the words for a refusal, which say what is
 * true rather than always "log in again". */
#ifndef PAM_COGNITO_TOKENS_H
#define PAM_COGNITO_TOKENS_H

#include <json-c/json.h>

#include "base/error.h"
#include "base/status.h"
#include "net/api.h"
#include "net/usercontext.h"

struct pc_tokens {
  char *access_token;
  char *id_token;
  char *refresh_token; /* NULL when the reply carried none (or "") */
  /* The device the tokens are bound to, which their refresh must name in
   * a pool that tracks devices: NewDeviceMetadata's DeviceKey (confirmed
   * or not), or the remembered device the login presented; NULL: none. */
  char *device_key;
};

void pc_tokens_free(struct pc_tokens *t); /* wipes */

/* Copy AccessToken, IdToken, RefreshToken and NewDeviceMetadata's DeviceKey
 * out of an AuthenticationResult object (ar may be NULL) into t. PC_OK, or
 * PC_ERR_PROTOCOL when the access or ID token is missing, PC_ERR_NOMEM; on
 * error t is released. */
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

/* The two refresh calls. */
enum pc_refresh_call {
  PC_REFRESH_GET_TOKENS,    /* GetTokensFromRefreshToken: the default */
  PC_REFRESH_INITIATE_AUTH, /* InitiateAuth REFRESH_TOKEN_AUTH */
};

/* The call's name as records keep it (its operation or flow name), and
 * back: 0, or -1 for a name that is neither. */
const char *pc_refresh_call_name(enum pc_refresh_call c);
int pc_refresh_call_parse(const char *name, enum pc_refresh_call *c)
    __attribute__((warn_unused_result));

struct pc_refresh_req {
  const char *refresh_token; /* secret */
  const char *user_for_hash; /* the user's Cognito user name */
  const char *secret_hash;   /* NULL: the client has no secret */
  const char *client_secret; /* the raw secret, root only; else NULL */
  const char *device_key;    /* the device the token is bound to, or NULL */
  /* %u %s %r of the client_metadata setting (ClientMetadata); NULL: the
   * setting's values without them. */
  const struct pc_usercontext *context;
  enum pc_refresh_call call; /* the call that worked last for this client */
};

/* GetTokensFromRefreshToken alone: the new refresh token (rotation) comes
 * back in tokens->refresh_token. */
enum pc_status pc_tokens_get(struct pc_client *cl,
                             const struct pc_refresh_req *rq,
                             struct pc_tokens *tokens, struct pc_error *err)
    __attribute__((warn_unused_result));

/* PC_OK with tokens (tokens->refresh_token set when it rotated,
 * tokens->device_key when Cognito named a new device) and *worked the call
 * that gave them; or an error in err (*worked the call that answered it).
 * rq->call goes first; the other call follows only when the first was
 * refused by a type that says it is not available (GetTokensFromRefresh-
 * Token: UnknownOperationException, OperationNotEnabledException,
 * UnsupportedOperationException; REFRESH_TOKEN_AUTH: the client does not
 * take the flow, InvalidParameterException or UnsupportedOperation-
 * Exception). Without the raw secret of a client that has one only
 * REFRESH_TOKEN_AUTH can be sent: its refusal is then PC_ERR_CONFIG with a
 * detail saying so. */
enum pc_status pc_refresh(struct pc_client *cl, const struct pc_refresh_req *rq,
                          struct pc_tokens *tokens,
                          enum pc_refresh_call *worked, struct pc_error *err)
    __attribute__((warn_unused_result));

/* What Cognito's refusal of a refresh means, for a person: "the refresh
 * token was revoked", "your Cognito account is disabled", ... */
const char *pc_refresh_refusal(const struct pc_error *err, int with_device);

/* 1 when err says the token was replaced by a newer one (rotation): a
 * caller holding a newer copy may try that one. */
int pc_refresh_superseded(const struct pc_error *err);

/* Where a caller keeps a newer copy of the refresh token (the hand-over a
 * concurrent renewal rewrote): 1 with rq updated to use it, 0 when there
 * is none, or it holds the token rq already used. */
typedef int (*pc_refresh_newer)(void *ctx, struct pc_refresh_req *rq);

/* pc_refresh with rq; when Cognito says the token was superseded
 * (pc_refresh_superseded) and newer(ctx, rq) finds a newer one, once more
 * with it (rq then is the request that was sent last). */
enum pc_status
pc_refresh_or_newer(struct pc_client *cl, struct pc_refresh_req *rq,
                    pc_refresh_newer newer, void *ctx, struct pc_tokens *tokens,
                    enum pc_refresh_call *worked, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
