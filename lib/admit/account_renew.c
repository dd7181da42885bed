/* SPDX-License-Identifier: MIT */
/* The account stage's refresh; see account_renew.h. */
#include "config.h"

#include <string.h>

#include "admit/account_renew.h"
#include "admit/localuser.h"
#include "base/codec.h"
#include "base/secret.h"
#include "login/device.h"
#include "store/user_files.h"
#include "tokens/refresh_call.h"
#include "tokens/tokens.h"

static int same(const char *a, const char *b) {
  return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The helper's hand-over of user, when there is one for cfg's pool and
 * client: 0, else -1. The file is the user's: only its token is used. */
static int load_handover(const struct pc_config *cfg, const char *user,
                         struct pc_store *s, struct pc_handover *h) {
  struct pc_error e;
  uid_t uid;
  gid_t gid;

  memset(h, 0, sizeof *h);
  if (pc_local_user(user, &uid, &gid) != 0 ||
      pc_store_open(s, cfg->cache_dir, user, uid, gid, 0, &e) != 0 ||
      pc_store_load_handover(s, h, &e) != 0)
    return -1;
  if (same(h->cfg.user_pool_id, cfg->user_pool_id) &&
      same(h->cfg.client_id, cfg->client_id))
    return 0;
  pc_handover_free(h);
  return -1;
}

/* One refresh with rq, the call that works for the client remembered. */
static enum pc_status refresh(struct pc_client *cl, struct pc_refresh_req *rq,
                              struct pc_tokens *tokens, struct pc_error *err) {
  enum pc_refresh_call worked;
  enum pc_status st = pc_refresh(cl, rq, tokens, &worked, err);

  if (st == PC_OK && worked != rq->call) {
    pc_refresh_call_save(cl->cfg, worked);
    rq->call = worked;
  }
  return st;
}

enum pc_status
pc_account_refresh(struct pc_client *cl, const char *user,
                   const char *cognito_user, const char *refresh_token,
                   const char *device_key, const struct pc_usercontext *ctx,
                   struct pc_tokens *tokens, struct pc_error *err) {
  const struct pc_config *cfg = cl->cfg;
  struct pc_store s = PC_STORE_INIT;
  struct pc_handover h;
  struct pc_device dev;
  struct pc_error e;
  struct pc_refresh_req rq;
  char *hash = NULL;
  const char *used = refresh_token;
  enum pc_status st;
  int have_h = -1; /* -1: not read yet */

  memset(tokens, 0, sizeof *tokens);
  if (cfg->client_secret != NULL &&
      (hash = pc_secret_hash(cfg->client_secret, cognito_user,
                             cfg->client_id)) == NULL)
    return pc_error_set(err, PC_ERR_NOMEM, "%s", "out of memory");
  memset(&dev, 0, sizeof dev);
  if (device_key == NULL &&
      pc_device_load(cfg->cache_dir, user, cfg->user_pool_id, &dev, NULL) != 0)
    memset(&dev, 0, sizeof dev);
  rq = (struct pc_refresh_req){refresh_token,
                               cognito_user,
                               hash,
                               cfg->client_secret,
                               device_key ? device_key : dev.key,
                               ctx,
                               pc_refresh_call_load(cfg)};
  st = refresh(cl, &rq, tokens, err);
  /* The hand-over is read only when it is used, at most once. */
  if (st != PC_OK && pc_refresh_superseded(err) &&
      (have_h = load_handover(cfg, user, &s, &h) == 0) &&
      strcmp(h.refresh_token, refresh_token) != 0) {
    /* The helper rotated it: its copy is the newer one. */
    used = rq.refresh_token = h.refresh_token;
    st = refresh(cl, &rq, tokens, err);
  }
  if (st == PC_OK &&
      (tokens->refresh_token != NULL || tokens->device_key != NULL) &&
      (have_h < 0 ? (have_h = load_handover(cfg, user, &s, &h) == 0)
                  : have_h)) {
    /* Rotated here (or a new device named): the helper's copy must follow,
     * written from the configuration as at login (not from the file's
     * settings). */
    if (pc_store_save_handover(
            &s, cfg, h.identity_id, cognito_user, hash,
            tokens->device_key ? tokens->device_key : rq.device_key,
            tokens->refresh_token ? tokens->refresh_token : used,
            pc_refresh_call_name(rq.call), &e) != 0)
      pc_error_clear(&e); /* the helper asks for a login then */
  }
  if (st == PC_OK && tokens->refresh_token == NULL && used != refresh_token &&
      (tokens->refresh_token = pc_strdup(used)) == NULL) {
    pc_tokens_free(tokens);
    st = pc_error_set(err, PC_ERR_NOMEM, "%s", "out of memory");
  }
  if (have_h > 0)
    pc_handover_free(&h);
  pc_store_close(&s);
  pc_device_free(&dev);
  pc_free_secret(&hash);
  return st;
}
