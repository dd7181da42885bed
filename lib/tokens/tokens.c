/* SPDX-License-Identifier: MIT */
/* The tokens of a sign-in, and their refresh; see tokens.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/secret.h"
#include "tokens/tokens.h"

void pc_tokens_free(struct pc_tokens *t) {
  pc_free_secret(&t->access_token);
  pc_free_secret(&t->id_token);
  pc_free_secret(&t->refresh_token);
  free(t->device_key);
  t->device_key = NULL;
}

enum pc_status pc_tokens_from_result(json_object *ar, struct pc_tokens *t) {
  const char *a = pc_json_str(ar, "AccessToken");
  const char *id = pc_json_str(ar, "IdToken");
  const char *rt = pc_json_str(ar, "RefreshToken");
  const char *dk =
      pc_json_str(json_object_object_get(ar, "NewDeviceMetadata"), "DeviceKey");

  memset(t, 0, sizeof(*t));
  if (!a || !id || !*a || !*id)
    return PC_ERR_PROTOCOL;
  /* "" is no token: a refresh without rotation must keep the old one. */
  if (rt && !*rt)
    rt = NULL;
  t->access_token = pc_strdup(a);
  t->id_token = pc_strdup(id);
  t->refresh_token = pc_strdup(rt);
  t->device_key = dk && *dk ? pc_strdup(dk) : NULL;
  if (!t->access_token || !t->id_token || (rt && !t->refresh_token) ||
      (dk && *dk && !t->device_key)) {
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

/* InitiateAuth REFRESH_TOKEN_AUTH; see pc_tokens_refresh. */
static enum pc_status initiate_auth(struct pc_client *cl,
                                    const struct pc_refresh_req *rq,
                                    struct pc_tokens *tokens,
                                    struct pc_error *err) {
  json_object *req, *params;
  int bad;

  memset(tokens, 0, sizeof *tokens);
  pc_error_clear(err);
  if (cl == NULL || cl->cfg == NULL || rq->refresh_token == NULL ||
      !*rq->refresh_token)
    return pc_error_set(err, PC_ERR_CONFIG, "no refresh token");
  req = json_object_new_object();
  params = json_object_new_object();
  /* Cognito checks a refresh SECRET_HASH against the user's real user name
   * (or sub); the module computed it at login with USER_ID_FOR_SRP. */
  bad = req == NULL || params == NULL ||
        pc_json_add_str(params, "REFRESH_TOKEN", rq->refresh_token) ||
        (rq->secret_hash != NULL &&
         pc_json_add_str(params, "SECRET_HASH", rq->secret_hash)) ||
        (rq->secret_hash != NULL && rq->user_for_hash != NULL &&
         pc_json_add_str(params, "USERNAME", rq->user_for_hash)) ||
        (rq->device_key != NULL &&
         pc_json_add_str(params, "DEVICE_KEY", rq->device_key)) ||
        pc_json_add_str(req, "AuthFlow", "REFRESH_TOKEN_AUTH") ||
        pc_json_add_str(req, "ClientId", cl->cfg->client_id);
  if (!bad && json_object_object_add(req, "AuthParameters", params) == 0)
    params = NULL; /* now owned by req */
  else
    bad = 1;
  pc_json_put_secret(params);
  req = pc_usercontext_add(pc_json_keep(req, bad), cl->cfg, rq->context);
  return send_refresh(cl, "InitiateAuth", req, tokens, err);
}

enum pc_status
pc_tokens_refresh(struct pc_client *cl, const char *refresh_token,
                  const char *user_for_hash, const char *secret_hash,
                  const char *device_key, struct pc_tokens *tokens,
                  struct pc_error *err) {
  struct pc_refresh_req rq = {
      refresh_token, user_for_hash,           secret_hash, NULL, device_key,
      NULL,          PC_REFRESH_INITIATE_AUTH};

  return initiate_auth(cl, &rq, tokens, err);
}

enum pc_status pc_tokens_get(struct pc_client *cl,
                             const struct pc_refresh_req *rq,
                             struct pc_tokens *tokens, struct pc_error *err) {
  json_object *req = json_object_new_object();

  memset(tokens, 0, sizeof *tokens);
  pc_error_clear(err);
  if (cl == NULL || cl->cfg == NULL || rq->refresh_token == NULL ||
      !*rq->refresh_token) {
    json_object_put(req);
    return pc_error_set(err, PC_ERR_CONFIG, "no refresh token");
  }
  req = pc_json_keep(
      req, !req || pc_json_add_str(req, "RefreshToken", rq->refresh_token) ||
               pc_json_add_str(req, "ClientId", cl->cfg->client_id) ||
               (rq->client_secret &&
                pc_json_add_str(req, "ClientSecret", rq->client_secret)) ||
               (rq->device_key &&
                pc_json_add_str(req, "DeviceKey", rq->device_key)));
  /* ClientMetadata, for the pre token generation trigger; the call has no
   * UserContextData. */
  req = pc_usercontext_metadata(req, cl->cfg, rq->context);
  return send_refresh(cl, "GetTokensFromRefreshToken", req, tokens, err);
}

/* ---- one renewal, and the words for a refusal ---- */

const char *pc_refresh_call_name(enum pc_refresh_call c) {
  return c == PC_REFRESH_INITIATE_AUTH ? "REFRESH_TOKEN_AUTH"
                                       : "GetTokensFromRefreshToken";
}

int pc_refresh_call_parse(const char *name, enum pc_refresh_call *c) {
  if (name != NULL && strcmp(name, "GetTokensFromRefreshToken") == 0)
    *c = PC_REFRESH_GET_TOKENS;
  else if (name != NULL && strcmp(name, "REFRESH_TOKEN_AUTH") == 0)
    *c = PC_REFRESH_INITIATE_AUTH;
  else
    return -1;
  return 0;
}

static int is_type(const struct pc_error *err, const char *type) {
  return strcmp(err->type, type) == 0;
}

/* The refusal says, by its type, that this call is not served for this
 * client here (AWS API reference: UnsupportedOperationException is an
 * operation not enabled for the app client, OperationNotEnabledException
 * one not available in the region or pool configuration; a server without
 * the operation answers UnknownOperationException; an auth flow the client
 * does not allow, as rotation requires of REFRESH_TOKEN_AUTH, is
 * InvalidParameterException). */
static int not_served(enum pc_refresh_call c, const struct pc_error *err) {
  if (err->status == PC_ERR_UNAVAIL || err->status == PC_ERR_LIMIT ||
      err->status == PC_ERR_NOMEM)
    return 0;
  if (is_type(err, "UnsupportedOperationException"))
    return 1;
  if (c == PC_REFRESH_GET_TOKENS)
    return is_type(err, "UnknownOperationException") ||
           is_type(err, "OperationNotEnabledException");
  return is_type(err, "InvalidParameterException");
}

static enum pc_status refresh_by(struct pc_client *cl,
                                 const struct pc_refresh_req *rq,
                                 enum pc_refresh_call c,
                                 struct pc_tokens *tokens,
                                 struct pc_error *err) {
  return c == PC_REFRESH_GET_TOKENS ? pc_tokens_get(cl, rq, tokens, err)
                                    : initiate_auth(cl, rq, tokens, err);
}

enum pc_status pc_refresh(struct pc_client *cl, const struct pc_refresh_req *rq,
                          struct pc_tokens *tokens,
                          enum pc_refresh_call *worked, struct pc_error *err) {
  /* GetTokensFromRefreshToken takes the raw secret, not SECRET_HASH. */
  int can_get = rq->secret_hash == NULL || rq->client_secret != NULL;
  enum pc_refresh_call c = can_get ? rq->call : PC_REFRESH_INITIATE_AUTH;
  enum pc_status st;

  *worked = c;
  st = refresh_by(cl, rq, c, tokens, err);
  if (st == PC_OK || !not_served(c, err))
    return st;
  c = c == PC_REFRESH_GET_TOKENS ? PC_REFRESH_INITIATE_AUTH
                                 : PC_REFRESH_GET_TOKENS;
  if (!can_get)
    return pc_error_set(err, PC_ERR_CONFIG, "%s",
                        "this app client rotates refresh tokens and has a "
                        "client secret, which only the PAM module holds: "
                        "renewal needs a new login");
  *worked = c;
  return refresh_by(cl, rq, c, tokens, err);
}

int pc_refresh_superseded(const struct pc_error *err) {
  return strcmp(err->type, "RefreshTokenReuseException") == 0;
}

enum pc_status
pc_refresh_or_newer(struct pc_client *cl, struct pc_refresh_req *rq,
                    pc_refresh_newer newer, void *ctx, struct pc_tokens *tokens,
                    enum pc_refresh_call *worked, struct pc_error *err) {
  enum pc_status st = pc_refresh(cl, rq, tokens, worked, err);

  /* Another renewal rotated the token meanwhile: its copy is the newer. */
  if (st != PC_OK && pc_refresh_superseded(err) && newer(ctx, rq))
    st = pc_refresh(cl, rq, tokens, worked, err);
  return st;
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
