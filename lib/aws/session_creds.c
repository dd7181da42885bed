/* SPDX-License-Identifier: MIT */
/* The AWS credentials of a login and their renewal; see session_creds.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/identity_pool.h"
#include "aws/session_creds.h"
#include "base/codec.h"
#include "base/secret.h"
#include "login/device.h"
#include "tokens/jwt.h"
#include "tokens/tokens.h"

/* Save the credentials and, when the login brought a refresh token, the
 * hand-over. user_id is the name Cognito knows the user by. */

static void save_login(struct pc_store *s, const struct pc_config *cfg,
                       const struct pc_aws_creds *cr, const char *identity_id,
                       const struct pc_tokens *t, const char *user_id,
                       struct pc_error *notes) {
  struct pc_error e;
  struct pc_device dev;
  char *hash = NULL;

  if (pc_store_save_creds(s, cr, &e) != 0) {
    pc_error_note(notes, PC_ERR_CONFIG, "AWS credentials not cached: %s",
                  e.detail);
  }
  if (t->refresh_token == NULL)
    return;
  if (cfg->client_secret != NULL &&
      (hash = pc_secret_hash(cfg->client_secret, user_id, cfg->client_id)) ==
          NULL)
    return;
  /* Tokens of a remembered device refresh only with its key: the key alone
   * (never the device's secret) goes to the helper. */
  if (pc_device_load(cfg->cache_dir, s->name, cfg->user_pool_id, &dev, NULL) !=
      0)
    memset(&dev, 0, sizeof dev);
  if (pc_store_save_handover(s, cfg, identity_id, user_id, hash, dev.key,
                             t->refresh_token, &e) != 0) {
    pc_error_note(notes, PC_ERR_CONFIG,
                  "refresh data not cached (the helper cannot renew "
                  "credentials): %s",
                  e.detail);
  }
  pc_free_secret(&hash);
  pc_device_free(&dev);
}

enum pc_status pc_credentials_after_login(
    struct pc_client *cl, const struct pc_config *cfg, struct pc_store *store,
    const char *user, const struct pc_tokens *t, struct pc_aws_creds *creds,
    char **identity_id, struct pc_error *err) {
  json_object *claims;
  const char *uid_claim;
  enum pc_status st;

  memset(creds, 0, sizeof *creds);
  pc_error_clear(err);
  st = pc_identity_fetch(cl, cfg, store, t->id_token, identity_id, creds, err);
  if (st != PC_OK || store == NULL)
    return st;
  /* The token came straight from Cognito in this login: its claims are safe
   * to use for naming the user to Cognito again (as USER_ID_FOR_SRP). */
  claims = pc_jwt_claims(t->id_token);
  uid_claim = pc_jwt_str(claims, "cognito:username");
  save_login(store, cfg, creds, *identity_id, t, uid_claim ? uid_claim : user,
             err);
  json_object_put(claims);
  return PC_OK;
}

/* err's detail for a failed call: "what: status: the server's words". */
static int failed(struct pc_error *err, const char *what) {
  char text[sizeof(err->detail)];

  (void)pc_error_text(err, text, sizeof text);
  (void)pc_error_set(err, err->status, "%s: %s: %s", what,
                     pc_status_str(err->status), text);
  return -1;
}

/* The refresh; when another renewal rotated the token meanwhile, once more
 * with the newer one it stored (h then holds that hand-over). */
static enum pc_status renew_tokens(struct pc_client *cl, struct pc_handover *h,
                                   struct pc_store *s, struct pc_tokens *t,
                                   struct pc_error *err) {
  struct pc_refresh_req rq = {h->refresh_token, h->user_id, h->secret_hash,
                              NULL, h->device_key};
  struct pc_handover newer;
  struct pc_error e;
  enum pc_status st = pc_refresh(cl, &rq, t, err);

  if (st == PC_OK || !pc_refresh_superseded(err) ||
      pc_store_load_handover(s, &newer, &e) != 0)
    return st;
  if (strcmp(newer.refresh_token, h->refresh_token) == 0) {
    pc_handover_free(&newer);
    return st;
  }
  pc_handover_free(h);
  *h = newer;
  rq = (struct pc_refresh_req){h->refresh_token, h->user_id, h->secret_hash,
                               NULL, h->device_key};
  return pc_refresh(cl, &rq, t, err);
}

static enum pc_status exchange(struct pc_handover *h, struct pc_store *s,
                               struct pc_aws_creds *cr, struct pc_error *err) {
  struct pc_client cl;
  struct pc_tokens t = {0};
  struct pc_error e;
  enum pc_status st;
  int rc = -1;

  st = pc_client_init(&cl, &h->cfg, NULL);
  if (st != PC_OK) {
    return pc_error_set(err, st, "cannot set up the HTTP client: %s",
                        pc_status_str(st));
  }
  st = renew_tokens(&cl, h, s, &t, err);
  if (st == PC_ERR_AUTH || st == PC_ERR_USER_UNKNOWN ||
      st == PC_ERR_PASSWORD_RESET || st == PC_ERR_USER_NOT_CONFIRMED ||
      pc_refresh_superseded(err))
    (void)pc_error_set(err, st, "%s: log in again",
                       pc_refresh_refusal(err, h->device_key != NULL));
  else if (st == PC_ERR_CONFIG)
    ; /* the detail says what cannot be done here */
  else if (st == PC_ERR_UNAVAIL || st == PC_ERR_LIMIT)
    (void)failed(err, "cannot reach Cognito");
  else if (st != PC_OK)
    (void)failed(err, "token refresh failed");
  else if ((st = pc_identity_get_credentials(&cl, &h->cfg, h->identity_id,
                                             t.id_token, cr, err)) != PC_OK)
    (void)failed(err, st == PC_ERR_UNAVAIL || st == PC_ERR_LIMIT
                          ? "cannot reach Cognito"
                          : "the identity pool refused credentials");
  else
    rc = 0;
  if (rc == 0 && pc_store_save_creds(s, cr, &e) != 0) {
    pc_error_note(err, PC_ERR_CONFIG, "credentials not cached: %s", e.detail);
  }
  /* A pool with refresh-token rotation sends a new one: keep it. */
  if (rc == 0 && t.refresh_token != NULL &&
      pc_store_save_handover(s, &h->cfg, h->identity_id, h->user_id,
                             h->secret_hash, h->device_key, t.refresh_token,
                             &e) != 0) {
    pc_error_note(err, PC_ERR_CONFIG, "new refresh token not cached: %s",
                  e.detail);
  }
  pc_tokens_free(&t);
  pc_client_free(&cl);
  return rc == 0 ? PC_OK : st; /* st: the step that failed, as in err */
}

enum pc_status pc_credentials_renew(struct pc_store *s,
                                    struct pc_aws_creds *creds,
                                    struct pc_error *err) {
  struct pc_handover h;
  enum pc_status rc;

  memset(creds, 0, sizeof *creds);
  pc_error_clear(err);
  rc = pc_store_load_handover(s, &h, err);
  if (rc == PC_ERR_PROTOCOL) {
    char why[sizeof(err->detail)];
    (void)snprintf(why, sizeof why, "%s", err->detail);
    (void)pc_error_set(err, PC_ERR_PROTOCOL, "%s: log in again", why);
  }
  if (rc != PC_OK)
    return rc; /* PC_ABSENT: no hand-over to renew with */
  rc = exchange(&h, s, creds, err);
  pc_handover_free(&h);
  return rc;
}
