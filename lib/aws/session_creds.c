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
#include "tokens/jwt.h"
#include "tokens/refresh_call.h"
#include "tokens/tokens.h"

/* Save the credentials and, when the login brought a refresh token, the
 * hand-over. user_id is the name Cognito knows the user by. */

static void save_login(struct pc_store *s, const struct pc_config *cfg,
                       const struct pc_aws_creds *cr, const char *identity_id,
                       const struct pc_tokens *t, const char *user_id,
                       struct pc_error *notes) {
  struct pc_error e;
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
  /* Tokens bound to a device refresh only with its key: the key alone
   * (never a device's secret) goes to the helper, with the refresh call
   * root knows works for the client. */
  if (pc_store_save_handover(
          s, cfg, identity_id, user_id, hash, t->device_key, t->refresh_token,
          pc_refresh_call_name(pc_refresh_call_load(cfg)), &e) != 0) {
    pc_error_note(notes, PC_ERR_CONFIG,
                  "refresh data not cached (the helper cannot renew "
                  "credentials): %s",
                  e.detail);
  }
  pc_free_secret(&hash);
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
  /* Decoded once for the whole exchange (the role, STS's session name) and
   * the hand-over. The token came straight from Cognito in this login: its
   * claims are safe to use for naming the user to Cognito again (as
   * USER_ID_FOR_SRP). */
  claims = pc_jwt_claims(t->id_token);
  st = pc_identity_fetch(cl, cfg, store, t->id_token, claims, identity_id,
                         creds, err);
  if (st == PC_OK && store != NULL) {
    uid_claim = pc_jwt_str(claims, "cognito:username");
    save_login(store, cfg, creds, *identity_id, t, uid_claim ? uid_claim : user,
               err);
  }
  json_object_put(claims);
  return st;
}

/* err's detail for a failed call: "what: status: the server's words". */
static int failed(struct pc_error *err, const char *what) {
  char text[sizeof(err->detail)];

  (void)pc_error_text(err, text, sizeof text);
  (void)pc_error_set(err, err->status, "%s: %s: %s", what,
                     pc_status_str(err->status), text);
  return -1;
}

/* The refresh request for hand-over h: the call it names first (the
 * default when it names none, or one this build does not know); ctx fills
 * in client_metadata's %u and %s. */
static struct pc_refresh_req handover_req(const struct pc_handover *h,
                                          const struct pc_usercontext *ctx) {
  struct pc_refresh_req rq = {
      h->refresh_token, h->user_id, h->secret_hash,       NULL,
      h->device_key,    ctx,        PC_REFRESH_GET_TOKENS};

  if (pc_refresh_call_parse(h->refresh_call, &rq.call) != 0)
    rq.call = PC_REFRESH_GET_TOKENS;
  return rq;
}

/* Where renew_tokens looks for a newer token: the hand-over as stored now
 * (another renewal may have rotated it). */
struct stored_handover {
  struct pc_handover *h; /* the one in use; replaced by the newer */
  struct pc_store *s;
  const struct pc_usercontext *ctx;
};

/* A pc_refresh_newer: the stored hand-over, when its token is not h's. */
static int stored_newer(void *p, struct pc_refresh_req *rq) {
  struct stored_handover *n = p;
  struct pc_handover newer;
  struct pc_error e;

  if (pc_store_load_handover(n->s, &newer, &e) != 0)
    return 0;
  if (strcmp(newer.refresh_token, n->h->refresh_token) == 0) {
    pc_handover_free(&newer);
    return 0;
  }
  pc_handover_free(n->h);
  *n->h = newer;
  *rq = handover_req(n->h, n->ctx);
  return 1;
}

/* The refresh; when another renewal rotated the token meanwhile, once more
 * with the newer one it stored (h then holds that hand-over). *learned is
 * set when the call that worked is not the one h names. */
static enum pc_status renew_tokens(struct pc_client *cl, struct pc_handover *h,
                                   struct pc_store *s, struct pc_tokens *t,
                                   int *learned, struct pc_error *err) {
  /* The renewal's circumstances for ClientMetadata: %u the local user, %s
   * this program (no PAM service), no remote host. */
  const struct pc_usercontext ctx = {s->name, "pam_cognito-credentials", NULL};
  struct pc_refresh_req rq = handover_req(h, &ctx);
  struct stored_handover n = {h, s, &ctx};
  enum pc_refresh_call worked;
  enum pc_status st =
      pc_refresh_or_newer(cl, &rq, stored_newer, &n, t, &worked, err);

  *learned = st == PC_OK && worked != rq.call;
  if (*learned) {
    free(h->refresh_call);
    h->refresh_call = pc_strdup(pc_refresh_call_name(worked));
  }
  return st;
}

static enum pc_status exchange(struct pc_handover *h, struct pc_store *s,
                               struct pc_aws_creds *cr, struct pc_error *err) {
  struct pc_client cl;
  struct pc_tokens t = {0};
  struct pc_error e;
  enum pc_status st;
  int rc = -1, learned = 0;

  st = pc_client_init(&cl, &h->cfg, NULL);
  if (st != PC_OK) {
    return pc_error_set(err, st, "cannot set up the HTTP client: %s",
                        pc_status_str(st));
  }
  st = renew_tokens(&cl, h, s, &t, &learned, err);
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
  /* A client with refresh-token rotation sends a new token, Cognito may
   * name a new device, and a refused call gave way to the other: keep what
   * changed once the refresh worked, whatever the identity pool said (the
   * old token stops working after the rotation's grace period). */
  if (t.access_token != NULL &&
      (t.refresh_token != NULL || t.device_key != NULL || learned) &&
      pc_store_save_handover(
          s, &h->cfg, h->identity_id, h->user_id, h->secret_hash,
          t.device_key ? t.device_key : h->device_key,
          t.refresh_token ? t.refresh_token : h->refresh_token, h->refresh_call,
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
