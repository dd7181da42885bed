/* Identity-pool exchange, token refresh and the refresh.json hand-over.
 * Every request that carries a token is dropped with pc_json_put_secret
 * (pc_api_call already wiped its serialised body); every reply too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "cache.h"
#include "creds.h"
#include "json.h"
#include "secret.h"

#define IDENTITY 1 /* pc_api_call: identity-pool service */
#define IDP 0

/* 9999-12-31T23:59:59Z, the last instant pc_iso8601 can write. */
#define EPOCH_MAX 253402300799.0

int pc_identity_id_valid(const char *id) {
  const char *colon;
  size_t i, n;

  if (id == NULL || (n = strlen(id)) == 0 || n > PC_IDENTITY_ID_MAX ||
      (colon = strchr(id, ':')) == NULL || colon == id || colon[1] == '\0')
    return 0;
  for (i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)id[i];
    int word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
               (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    int hex = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || ch == '-';
    if (id + i < colon ? !word : id + i > colon ? !hex : 0)
      return 0;
  }
  return 1;
}

char *pc_identity_login_key(const struct pc_config *cfg) {
  char *key;
  size_t n;

  if (cfg == NULL || cfg->region == NULL || cfg->user_pool_id == NULL)
    return NULL;
  n = strlen(cfg->region) + strlen(cfg->user_pool_id) + 40;
  key = malloc(n);
  if (key != NULL && snprintf(key, n, "cognito-idp.%s.amazonaws.com/%s",
                              cfg->region, cfg->user_pool_id) >= (int)n) {
    free(key);
    key = NULL;
  }
  return key;
}

/* A request {IdentityPoolId?, IdentityId?, Logins: {key: token}}. */
static json_object *identity_request(const struct pc_config *cfg,
                                     const char *identity_id,
                                     const char *id_token) {
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
  if (!bad && identity_id != NULL && cfg->role_arn != NULL)
    bad = pc_json_add_str(req, "CustomRoleArn", cfg->role_arn);
  free(key);
  if (bad) {
    pc_json_put_secret(req);
    return NULL;
  }
  return req;
}

static void set_detail(struct pc_api_error *err, const char *msg) {
  if (err != NULL)
    (void)snprintf(err->message, sizeof err->message, "%s", msg);
}

enum pc_status pc_identity_get_id(struct pc_client *cl,
                                  const struct pc_config *cfg,
                                  const char *id_token, char **identity_id,
                                  struct pc_api_error *err) {
  json_object *req, *resp = NULL;
  const char *id;
  enum pc_status st;

  *identity_id = NULL;
  if (err != NULL)
    memset(err, 0, sizeof *err);
  if (cfg == NULL || cfg->identity_pool_id == NULL || id_token == NULL)
    return PC_ERR_CONFIG;
  if ((req = identity_request(cfg, NULL, id_token)) == NULL)
    return PC_ERR_NOMEM;
  st = pc_api_call(cl, IDENTITY, "GetId", req, &resp, err);
  pc_json_put_secret(req);
  if (st != PC_OK)
    return st;
  id = pc_json_str(resp, "IdentityId");
  if (!pc_identity_id_valid(id)) {
    set_detail(err, "GetId reply without a valid IdentityId");
    st = PC_ERR_PROTOCOL;
  } else if ((*identity_id = pc_strdup(id)) == NULL) {
    st = PC_ERR_NOMEM;
  }
  json_object_put(resp);
  return st;
}

/* Expiration: epoch seconds as a JSON number, integer or fractional. */
static int read_expiration(json_object *c, long long *out) {
  json_object *v;
  double d;

  if (!json_object_object_get_ex(c, "Expiration", &v))
    return -1;
  if (json_object_is_type(v, json_type_int)) {
    *out = (long long)json_object_get_int64(v);
    return *out > 0 && (double)*out <= EPOCH_MAX ? 0 : -1;
  }
  if (!json_object_is_type(v, json_type_double))
    return -1;
  d = json_object_get_double(v);
  if (!(d >= 1.0 && d <= EPOCH_MAX)) /* also NaN and infinities */
    return -1;
  *out = (long long)d; /* truncation: a fraction of a second is not worth it */
  return 0;
}

enum pc_status pc_identity_get_credentials(struct pc_client *cl,
                                           const struct pc_config *cfg,
                                           const char *identity_id,
                                           const char *id_token,
                                           struct pc_aws_creds *creds,
                                           struct pc_api_error *err) {
  json_object *req, *resp = NULL, *c;
  const char *akid, *secret, *token;
  enum pc_status st;

  memset(creds, 0, sizeof *creds);
  if (err != NULL)
    memset(err, 0, sizeof *err);
  if (cfg == NULL || id_token == NULL || !pc_identity_id_valid(identity_id))
    return PC_ERR_CONFIG;
  if ((req = identity_request(cfg, identity_id, id_token)) == NULL)
    return PC_ERR_NOMEM;
  st = pc_api_call(cl, IDENTITY, "GetCredentialsForIdentity", req, &resp, err);
  pc_json_put_secret(req);
  if (st != PC_OK)
    return st;
  if (!json_object_object_get_ex(resp, "Credentials", &c) ||
      !json_object_is_type(c, json_type_object) ||
      (akid = pc_json_str(c, "AccessKeyId")) == NULL || !*akid ||
      (secret = pc_json_str(c, "SecretKey")) == NULL || !*secret ||
      (token = pc_json_str(c, "SessionToken")) == NULL || !*token ||
      read_expiration(c, &creds->expiration) != 0) {
    set_detail(err, "GetCredentialsForIdentity reply without complete "
                    "Credentials (AccessKeyId, SecretKey, SessionToken, "
                    "numeric Expiration)");
    st = PC_ERR_PROTOCOL;
  } else {
    creds->access_key_id = pc_strdup(akid);
    creds->secret_access_key = pc_strdup(secret);
    creds->session_token = pc_strdup(token);
    if (!creds->access_key_id || !creds->secret_access_key ||
        !creds->session_token)
      st = PC_ERR_NOMEM;
  }
  if (st != PC_OK)
    pc_aws_creds_free(creds);
  pc_json_put_secret(resp);
  return st;
}

enum pc_status
pc_refresh_tokens(struct pc_client *cl, const char *refresh_token,
                  const char *user_for_hash, const char *secret_hash,
                  struct pc_tokens *tokens, struct pc_api_error *err) {
  json_object *req, *params, *resp = NULL, *ar;
  enum pc_status st;
  int bad;

  memset(tokens, 0, sizeof *tokens);
  if (err != NULL)
    memset(err, 0, sizeof *err);
  if (cl == NULL || cl->cfg == NULL || refresh_token == NULL || !*refresh_token)
    return PC_ERR_CONFIG;
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
        pc_json_add_str(req, "AuthFlow", "REFRESH_TOKEN_AUTH") ||
        pc_json_add_str(req, "ClientId", cl->cfg->client_id);
  if (!bad && json_object_object_add(req, "AuthParameters", params) == 0)
    params = NULL; /* now owned by req */
  else
    bad = 1;
  pc_json_put_secret(params);
  if (bad) {
    pc_json_put_secret(req);
    return PC_ERR_NOMEM;
  }
  st = pc_api_call(cl, IDP, "InitiateAuth", req, &resp, err);
  pc_json_put_secret(req);
  if (st != PC_OK)
    return st;
  ar = json_object_object_get(resp, "AuthenticationResult");
  st = pc_tokens_from_result(ar, tokens);
  if (st == PC_ERR_PROTOCOL)
    set_detail(err, "refresh reply without tokens");
  pc_json_put_secret(resp);
  return st;
}

/* ---- refresh.json ---- */

/* The configuration keys the helper needs; each goes through pc_config_set
 * on the way back, so the same validation applies. Never client_secret. */
static const char *const handover_keys[] = {
    "region",   "user_pool_id", "client_id",         "identity_pool_id",
    "role_arn", "idp_endpoint", "identity_endpoint", "ca_file",
};

/* Append "key": "value" as JSON (value escaped), with a leading ", ". */
static int append_member(struct pc_buf *b, const char *key, const char *val) {
  if (pc_buf_append(b, ", \"", 3) || pc_buf_append(b, key, strlen(key)) ||
      pc_buf_append(b, "\": ", 3))
    return -1;
  return pc_buf_append_json_str(b, val);
}

static const char *cfg_value(const struct pc_config *cfg, size_t i) {
  const char *const v[] = {cfg->region,
                           cfg->user_pool_id,
                           cfg->client_id,
                           cfg->identity_pool_id,
                           cfg->role_arn,
                           cfg->idp_endpoint,
                           cfg->identity_endpoint,
                           cfg->ca_file};
  return v[i];
}

char *pc_handover_json(const struct pc_config *cfg, const char *identity_id,
                       const char *user_id, const char *secret_hash,
                       const char *refresh_token) {
  struct pc_buf b;
  char timeout[24];
  size_t i;
  int bad;

  if (cfg == NULL || identity_id == NULL || user_id == NULL ||
      refresh_token == NULL)
    return NULL;
  (void)snprintf(timeout, sizeof timeout, "%ld", cfg->timeout);
  pc_buf_init(&b, PC_CACHE_MAX_FILE);
  bad = pc_buf_append(&b, "{\"Version\": 1", 13) != 0;
  for (i = 0; !bad && i < sizeof handover_keys / sizeof *handover_keys; i++)
    if (cfg_value(cfg, i) != NULL)
      bad = append_member(&b, handover_keys[i], cfg_value(cfg, i));
  bad =
      bad || append_member(&b, "timeout", timeout) ||
      append_member(&b, "identity_id", identity_id) ||
      append_member(&b, "user_id", user_id) ||
      (secret_hash != NULL && append_member(&b, "secret_hash", secret_hash)) ||
      append_member(&b, "refresh_token", refresh_token) ||
      pc_buf_append(&b, "}\n", 2);
  if (bad) {
    pc_buf_free(&b);
    return NULL;
  }
  return b.data;
}

void pc_handover_free(struct pc_handover *h) {
  pc_config_free(&h->cfg);
  free(h->identity_id);
  free(h->user_id);
  pc_free_secret(&h->secret_hash);
  pc_free_secret(&h->refresh_token);
  memset(h, 0, sizeof *h);
}

static int is_config_key(const char *key) {
  size_t i;

  for (i = 0; i < sizeof handover_keys / sizeof *handover_keys; i++)
    if (strcmp(key, handover_keys[i]) == 0)
      return 1;
  return strcmp(key, "timeout") == 0;
}

/* Copy the member key when it is a string into *dst. */
static int take(json_object *o, const char *key, char **dst) {
  const char *s = pc_json_str(o, key);

  return s == NULL || (*dst = pc_strdup(s)) == NULL ? -1 : 0;
}

int pc_handover_parse(const char *json, size_t len, struct pc_handover *out,
                      char *err, size_t errlen) {
  json_object *o, *v;
  char sub[192];
  int rc = -1;

  memset(out, 0, sizeof *out);
  (void)snprintf(err, errlen, "%s", "not a refresh document");
  if (pc_config_init(&out->cfg) != 0)
    return -1;
  if (json == NULL || (o = pc_json_parse_object(json, len)) == NULL)
    goto done_nojson;
  if (!json_object_object_get_ex(o, "Version", &v) ||
      !json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 1)
    goto done;
  {
    json_object_object_foreach(o, key, val) {
      if (!is_config_key(key))
        continue;
      if (!json_object_is_type(val, json_type_string) ||
          pc_config_set(&out->cfg, key, json_object_get_string(val), sub,
                        sizeof sub) != 0) {
        (void)snprintf(err, errlen, "bad %s", key);
        goto done;
      }
    }
  }
  if (pc_config_validate(&out->cfg, sub, sizeof sub) != 0) {
    (void)snprintf(err, errlen, "%s", sub);
    goto done;
  }
  if (out->cfg.identity_pool_id == NULL ||
      take(o, "identity_id", &out->identity_id) ||
      !pc_identity_id_valid(out->identity_id) ||
      take(o, "user_id", &out->user_id) || !*out->user_id ||
      take(o, "refresh_token", &out->refresh_token) || !*out->refresh_token ||
      (pc_json_str(o, "secret_hash") != NULL &&
       take(o, "secret_hash", &out->secret_hash))) {
    (void)snprintf(err, errlen, "%s", "incomplete refresh document");
    goto done;
  }
  if (errlen > 0)
    err[0] = '\0';
  rc = 0;
done:
  pc_json_put_secret(o);
done_nojson:
  if (rc != 0)
    pc_handover_free(out);
  return rc;
}
