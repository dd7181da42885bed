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

/* Where the account stage looks for a newer token: the helper's
 * hand-over, read at most once. */
struct helper_handover {
  const struct pc_config *cfg;
  const char *user;
  struct pc_store *s;
  struct pc_handover *h;
  int *have_h; /* -1: not read yet; else whether it was loaded */
};

/* A pc_refresh_newer: the helper rotated it, so its copy is the newer one. */
static int helper_newer(void *p, struct pc_refresh_req *rq) {
  struct helper_handover *n = p;

  *n->have_h = load_handover(n->cfg, n->user, n->s, n->h) == 0;
  if (!*n->have_h || strcmp(n->h->refresh_token, rq->refresh_token) == 0)
    return 0;
  rq->refresh_token = n->h->refresh_token;
  return 1;
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
  struct helper_handover n;
  enum pc_refresh_call worked;
  char *hash = NULL;
  const char *used;
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
  n = (struct helper_handover){cfg, user, &s, &h, &have_h};
  /* The hand-over is read only when it is used, at most once. */
  st = pc_refresh_or_newer(cl, &rq, helper_newer, &n, tokens, &worked, err);
  if (st == PC_OK && worked != rq.call) { /* remember the call that works */
    pc_refresh_call_save(cfg, worked);
    rq.call = worked;
  }
  used = rq.refresh_token;
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
