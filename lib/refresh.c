/* SPDX-License-Identifier: MIT */
/* One renewal of a user's tokens, and the words for a refusal; see
 * refresh.h. */
#include "config.h"

#include <string.h>

#include "refresh.h"

enum pc_status pc_refresh(struct pc_client *cl, const struct pc_refresh_req *rq,
                          struct pc_tokens *tokens, struct pc_error *err) {
  enum pc_status st;

  st = pc_tokens_refresh(cl, rq->refresh_token, rq->user_for_hash,
                         rq->secret_hash, rq->device_key, tokens, err);
  if (st == PC_OK || !pc_tokens_rotation_refusal(err))
    return st;
  /* The client rotates refresh tokens: Cognito said so. */
  if (rq->secret_hash != NULL && rq->client_secret == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "%s",
                        "this app client rotates refresh tokens and has a "
                        "client secret, which only the PAM module holds: "
                        "renewal needs a new login");
  return pc_tokens_rotate(cl, rq->refresh_token, rq->client_secret,
                          rq->device_key, tokens, err);
}

int pc_refresh_superseded(const struct pc_error *err) {
  return strcmp(err->type, "RefreshTokenReuseException") == 0;
}

const char *pc_refresh_refusal(const struct pc_error *err, int with_device) {
  const char *m = err->message;

  if (pc_refresh_superseded(err))
    return "the refresh token was replaced by a newer one";
  if (strcmp(err->type, "UserNotFoundException") == 0)
    return "your Cognito account no longer exists";
  if (strstr(m, "disabled") != NULL)
    return "your Cognito account is disabled";
  if (strstr(m, "revoked") != NULL)
    return "the refresh token was revoked (logged out)";
  if (strstr(m, "expired") != NULL)
    return "the refresh token has expired";
  if (with_device)
    return "Cognito no longer accepts this host's device or its refresh "
           "token (the device was forgotten, or the token is not valid)";
  return "the refresh token is no longer accepted";
}
