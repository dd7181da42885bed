/* SPDX-License-Identifier: MIT */
/* The identity-pool exchange (GetId, GetCredentialsForIdentity). Every
 * request that carries a token is dropped with pc_json_put_secret
 * (pc_api_call already wiped its serialised body); every reply too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "aws/identity_pool.h"
#include "aws/role.h"
#include "aws/sts.h"
#include "base/json.h"
#include "base/secret.h"
#include "config/endpoint.h"
#include "store/user_files.h"
#include "tokens/jwt.h"

char *pc_identity_login_key(const struct pc_config *cfg) {
  /* The provider name the identity pool registers the user pool under:
   * the original issuer without its scheme, whichever issuer the pool's
   * tokens carry (endpoint.c; pam_cognito(8), ISSUERS). */
  if (cfg == NULL)
    return NULL;
  return pc_endpoint_issuer_path(cfg->region, cfg->user_pool_id);
}

/* A request {IdentityPoolId?, IdentityId?, Logins: {key: token}}. */
static json_object *identity_request(const struct pc_config *cfg,
                                     const char *identity_id,
                                     const char *id_token, int custom_role) {
  json_object *req = json_object_new_object(), *logins;
  char *key = pc_identity_login_key(cfg);
  int bad = req == NULL || key == NULL;

  if (!bad && identity_id == NULL)
    bad = pc_json_add_str(req, "IdentityPoolId", cfg->identity_pool_id);
  if (!bad && identity_id != NULL)
    bad = pc_json_add_str(req, "IdentityId", identity_id);
  if (!bad) {
    logins = json_object_new_object();
    bad = logins == NULL || json_object_object_add(req, "Logins", logins);
    if (bad)
      json_object_put(logins);
    else
      bad = pc_json_add_str(logins, key, id_token);
  }
  if (!bad && custom_role && cfg->role_arn != NULL)
    bad = pc_json_add_str(req, "CustomRoleArn", cfg->role_arn);
  free(key);
  return pc_json_keep(req, bad);
}

enum pc_status pc_identity_get_id(struct pc_client *cl,
                                  const struct pc_config *cfg,
                                  const char *id_token, char **identity_id,
                                  struct pc_error *err) {
  json_object *req, *resp = NULL;
  const char *id;
  enum pc_status st;

  *identity_id = NULL;
  pc_error_clear(err);
  if (cfg == NULL || cfg->identity_pool_id == NULL || id_token == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "GetId: no identity pool");
  req = identity_request(cfg, NULL, id_token, 0);
  st = pc_api_send(cl, PC_IDENTITY_POOL, "GetId", req, &resp, err);
  if (st != PC_OK)
    return st;
  id = pc_json_str(resp, "IdentityId");
  if (!pc_identity_id_valid(id)) {
    st = pc_error_set(err, PC_ERR_PROTOCOL,
                      "GetId reply without a valid IdentityId");
  } else if ((*identity_id = pc_strdup(id)) == NULL) {
    st = pc_error_set(err, PC_ERR_NOMEM, "GetId: out of memory");
  }
  json_object_put(resp);
  return st;
}

/* Expiration: epoch seconds as a JSON number, integer or fractional. */
static int read_expiration(json_object *c, long long *out) {
  return pc_json_number(c, "Expiration", out) == 0 && *out > 0 &&
                 *out <= PC_EPOCH_MAX
             ? 0
             : -1;
}

/* The enhanced flow: GetCredentialsForIdentity. */
static enum pc_status enhanced(struct pc_client *cl,
                               const struct pc_config *cfg,
                               const char *identity_id, const char *id_token,
                               struct pc_aws_creds *creds,
                               struct pc_error *err) {
  json_object *req, *resp = NULL, *c;
  const char *akid, *secret, *token;
  enum pc_status st;

  req = identity_request(cfg, identity_id, id_token, 1);
  st = pc_api_send(cl, PC_IDENTITY_POOL, "GetCredentialsForIdentity", req,
                   &resp, err);
  if (st != PC_OK)
    return st;
  if (!json_object_object_get_ex(resp, "Credentials", &c) ||
      !json_object_is_type(c, json_type_object) ||
      (akid = pc_json_str(c, "AccessKeyId")) == NULL || !*akid ||
      (secret = pc_json_str(c, "SecretKey")) == NULL || !*secret ||
      (token = pc_json_str(c, "SessionToken")) == NULL || !*token ||
      read_expiration(c, &creds->expiration) != 0) {
    st = pc_error_set(err, PC_ERR_PROTOCOL,
                      "GetCredentialsForIdentity reply without complete "
                      "Credentials (AccessKeyId, SecretKey, SessionToken, "
                      "numeric Expiration)");
  } else {
    creds->access_key_id = pc_strdup(akid);
    creds->secret_access_key = pc_strdup(secret);
    creds->session_token = pc_strdup(token);
    if (!creds->access_key_id || !creds->secret_access_key ||
        !creds->session_token)
      st = pc_error_set(err, PC_ERR_NOMEM,
                        "GetCredentialsForIdentity: out of memory");
  }
  if (st != PC_OK)
    pc_aws_creds_free(creds);
  pc_json_put_secret(resp);
  return st;
}

enum pc_status pc_identity_get_open_id_token(struct pc_client *cl,
                                             const struct pc_config *cfg,
                                             const char *identity_id,
                                             const char *id_token, char **token,
                                             struct pc_error *err) {
  json_object *req, *resp = NULL;
  const char *t;
  enum pc_status st;

  *token = NULL;
  pc_error_clear(err);
  if (cfg == NULL || id_token == NULL || !pc_identity_id_valid(identity_id))
    return pc_error_set(err, PC_ERR_CONFIG,
                        "GetOpenIdToken: no valid identity id");
  req = identity_request(cfg, identity_id, id_token, 0);
  st = pc_api_send(cl, PC_IDENTITY_POOL, "GetOpenIdToken", req, &resp, err);
  if (st != PC_OK)
    return st;
  t = pc_json_str(resp, "Token");
  if (t == NULL || *t == '\0' ||
      !pc_identity_id_valid(pc_json_str(resp, "IdentityId")))
    st = pc_error_set(err, PC_ERR_PROTOCOL,
                      "GetOpenIdToken reply without a Token and IdentityId");
  else if ((*token = pc_strdup(t)) == NULL)
    st = pc_error_set(err, PC_ERR_NOMEM, "GetOpenIdToken: out of memory");
  pc_json_put_secret(resp);
  return st;
}

/* RoleSessionName ([\w+=,.@-]{2,64}): "pam_cognito-" and the user's pool
 * name, other characters as '-'. */
static void session_name(json_object *claims, char *out, size_t n) {
  const char *u = pc_jwt_str(claims, "cognito:username");
  size_t i, at;

  at = (size_t)snprintf(out, n, "pam_cognito-");
  for (i = 0; u != NULL && u[i] && at + 1 < n && at < 64; i++, at++) {
    char c = u[i];
    out[at] = (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || strchr("_+=,.@-", c)
                         ? c
                         : '-');
  }
  out[at] = '\0';
}

/* The basic flow: GetOpenIdToken, then STS AssumeRoleWithWebIdentity for
 * role. *pool_refused: the identity pool (not STS) refused. */
static enum pc_status basic(struct pc_client *cl, const struct pc_config *cfg,
                            const char *identity_id, const char *id_token,
                            json_object *claims, const char *role,
                            struct pc_aws_creds *creds, int *pool_refused,
                            struct pc_error *err) {
  char *token = NULL, name[65];
  enum pc_status st;

  st = pc_identity_get_open_id_token(cl, cfg, identity_id, id_token, &token,
                                     err);
  if (st != PC_OK) {
    *pool_refused = 1;
    return st;
  }
  session_name(claims, name, sizeof name);
  st = pc_sts_assume_role(cl, role, name, token, creds, err);
  pc_free_secret(&token);
  return st;
}

/* Credentials by the configured flow, for the role of pc_role_choose;
 * claims: id_token's, decoded once by the caller. *pool_refused (may be
 * NULL): the identity pool refused this identity id (not a role choice,
 * not STS), so that GetId may help. */
static enum pc_status credentials(struct pc_client *cl,
                                  const struct pc_config *cfg,
                                  const char *identity_id, const char *id_token,
                                  json_object *claims,
                                  struct pc_aws_creds *creds, int *pool_refused,
                                  struct pc_error *err) {
  char *role = NULL;
  int refused = 0;
  enum pc_status st;

  memset(creds, 0, sizeof *creds);
  pc_error_clear(err);
  if (cfg == NULL || id_token == NULL || !pc_identity_id_valid(identity_id))
    return pc_error_set(err, PC_ERR_CONFIG,
                        "GetCredentialsForIdentity: no valid identity id");
  st = pc_role_choose(cfg, claims, pc_config_basic_flow(cfg), &role, err);
  if (st != PC_OK)
    return st;
  if (pc_config_basic_flow(cfg)) {
    st = basic(cl, cfg, identity_id, id_token, claims, role, creds, &refused,
               err);
  } else {
    st = enhanced(cl, cfg, identity_id, id_token, creds, err);
    refused = st != PC_OK && pc_role_explain_refusal(cfg, claims, err) == PC_OK;
  }
  free(role);
  if (pool_refused != NULL)
    *pool_refused = refused;
  return st;
}

enum pc_status
pc_identity_get_credentials(struct pc_client *cl, const struct pc_config *cfg,
                            const char *identity_id, const char *id_token,
                            struct pc_aws_creds *creds, struct pc_error *err) {
  json_object *claims = pc_jwt_claims(id_token);
  enum pc_status st =
      credentials(cl, cfg, identity_id, id_token, claims, creds, NULL, err);

  json_object_put(claims);
  return st;
}

/* pc_identity_fetch, its notes kept in w while the calls clear err. */
static enum pc_status fetch(struct pc_client *cl, const struct pc_config *cfg,
                            struct pc_store *store, const char *id_token,
                            json_object *claims, char **identity_id,
                            struct pc_aws_creds *creds, struct pc_error *w,
                            struct pc_error *err) {
  struct pc_error e;
  char *id = NULL;
  enum pc_status st;

  *identity_id = NULL;
  if (store != NULL) {
    id = pc_store_load_identity(store, cfg->identity_pool_id, &e);
    if (e.status != PC_OK)
      pc_error_note(w, e.status, "%s", e.detail);
  }
  if (id != NULL) {
    int pool_refused = 0;

    st = credentials(cl, cfg, id, id_token, claims, creds, &pool_refused, err);
    if (st == PC_OK) {
      *identity_id = id;
      return st;
    }
    free(id);
    id = NULL;
    /* A role refusal or STS's answer is not about the identity id. */
    if (!pool_refused || st == PC_ERR_UNAVAIL || st == PC_ERR_LIMIT ||
        st == PC_ERR_NOMEM)
      return st;
    /* Another pool, a deleted identity: ask again (a note for debug). */
    (void)pc_error_set(&e, PC_OK,
                       "remembered identity id refused (%s): asking GetId",
                       pc_status_str(st));
    pc_error_note(w, e.status, "%s", e.detail);
  }
  st = pc_identity_get_id(cl, cfg, id_token, &id, err);
  if (st != PC_OK)
    return st;
  if (store != NULL &&
      pc_store_save_identity(store, cfg->identity_pool_id, id, &e) != 0)
    pc_error_note(w, e.status, "%s", e.detail);
  st = credentials(cl, cfg, id, id_token, claims, creds, NULL, err);
  if (st != PC_OK)
    free(id);
  else
    *identity_id = id;
  return st;
}

enum pc_status pc_identity_fetch(struct pc_client *cl,
                                 const struct pc_config *cfg,
                                 struct pc_store *store, const char *id_token,
                                 json_object *claims, char **identity_id,
                                 struct pc_aws_creds *creds,
                                 struct pc_error *err) {
  struct pc_error notes;
  enum pc_status st;

  pc_error_clear(&notes);
  st = fetch(cl, cfg, store, id_token, claims, identity_id, creds, &notes, err);
  pc_error_add_notes(err, &notes);
  return st;
}
