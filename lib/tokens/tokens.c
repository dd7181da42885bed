/* SPDX-License-Identifier: MIT */
/* The tokens of a sign-in, and their refresh; see tokens.h. */
#include "config.h"

#include <string.h>

#include "base/json.h"
#include "base/secret.h"
#include "tokens/tokens.h"

void pc_tokens_free(struct pc_tokens *t) {
  pc_free_secret(&t->access_token);
  pc_free_secret(&t->id_token);
  pc_free_secret(&t->refresh_token);
}

enum pc_status pc_tokens_from_result(json_object *ar, struct pc_tokens *t) {
  const char *a = pc_json_str(ar, "AccessToken");
  const char *id = pc_json_str(ar, "IdToken");
  const char *rt = pc_json_str(ar, "RefreshToken");

  memset(t, 0, sizeof(*t));
  if (!a || !id || !*a || !*id)
    return PC_ERR_PROTOCOL;
  /* "" is no token: a refresh without rotation must keep the old one. */
  if (rt && !*rt)
    rt = NULL;
  t->access_token = pc_strdup(a);
  t->id_token = pc_strdup(id);
  t->refresh_token = pc_strdup(rt);
  if (!t->access_token || !t->id_token || (rt && !t->refresh_token)) {
    pc_tokens_free(t);
    return PC_ERR_NOMEM;
  }
  return PC_OK;
}

/* Send a refresh request (consumed; NULL when building it ran out of
 * memory) and take the new tokens from its AuthenticationResult. */
static enum pc_status send_refresh(struct pc_client *cl, const char *action,
                                   json_object *req, struct pc_tokens *tokens,
                                   struct pc_error *err) {
  json_object *resp = NULL;
  enum pc_status st;

  st = pc_api_send(cl, PC_USER_POOL, action, req, &resp, err);
  if (st != PC_OK)
    return st;
  st = pc_tokens_from_result(
      json_object_object_get(resp, "AuthenticationResult"), tokens);
  if (st != PC_OK)
    (void)pc_error_set(err, st, "%s",
                       st == PC_ERR_PROTOCOL ? "refresh reply without tokens"
                                             : "out of memory");
  pc_json_put_secret(resp);
  return st;
}

enum pc_status
pc_tokens_refresh(struct pc_client *cl, const char *refresh_token,
                  const char *user_for_hash, const char *secret_hash,
                  const char *device_key, struct pc_tokens *tokens,
                  struct pc_error *err) {
  json_object *req, *params;
  int bad;

  memset(tokens, 0, sizeof *tokens);
  pc_error_clear(err);
  if (cl == NULL || cl->cfg == NULL || refresh_token == NULL || !*refresh_token)
    return pc_error_set(err, PC_ERR_CONFIG, "no refresh token");
  req = json_object_new_object();
  params = json_object_new_object();
  /* Cognito checks a refresh SECRET_HASH against the user's real user name
   * (or sub); the module computed it at login with USER_ID_FOR_SRP. */
  bad = req == NULL || params == NULL ||
        pc_json_add_str(params, "REFRESH_TOKEN", refresh_token) ||
        (secret_hash != NULL &&
         pc_json_add_str(params, "SECRET_HASH", secret_hash)) ||
        (secret_hash != NULL && user_for_hash != NULL &&
         pc_json_add_str(params, "USERNAME", user_for_hash)) ||
        (device_key != NULL &&
         pc_json_add_str(params, "DEVICE_KEY", device_key)) ||
        pc_json_add_str(req, "AuthFlow", "REFRESH_TOKEN_AUTH") ||
        pc_json_add_str(req, "ClientId", cl->cfg->client_id);
  if (!bad && json_object_object_add(req, "AuthParameters", params) == 0)
    params = NULL; /* now owned by req */
  else
    bad = 1;
  pc_json_put_secret(params);
  return send_refresh(cl, "InitiateAuth", pc_json_keep(req, bad), tokens, err);
}

int pc_tokens_rotation_refusal(const struct pc_error *err) {
  /* Cognito: "REFRESH_TOKEN_AUTH flow not enabled for this client". */
  return strcmp(err->type, "InvalidParameterException") == 0 &&
         strstr(err->message, "REFRESH_TOKEN") != NULL;
}

enum pc_status pc_tokens_rotate(struct pc_client *cl, const char *refresh_token,
                                const char *client_secret,
                                const char *device_key,
                                struct pc_tokens *tokens,
                                struct pc_error *err) {
  json_object *req = json_object_new_object();

  memset(tokens, 0, sizeof *tokens);
  pc_error_clear(err);
  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "RefreshToken", refresh_token) ||
               pc_json_add_str(req, "ClientId", cl->cfg->client_id) ||
               (client_secret &&
                pc_json_add_str(req, "ClientSecret", client_secret)) ||
               (device_key && pc_json_add_str(req, "DeviceKey", device_key)));
  return send_refresh(cl, "GetTokensFromRefreshToken", req, tokens, err);
}

/* ---- one renewal, and the words for a refusal ---- */

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
