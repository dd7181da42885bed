/* SPDX-License-Identifier: MIT */
/* Sessions of a user on this host, and the revocation at the last one's
 * end; see logout_revoke.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <json-c/json.h>

#include "admit/localuser.h"
#include "admit/logout_revoke.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/secret.h"
#include "store/cachedir.h"

#define SESSIONS_FILE "sessions.json"
#define MAX_SESSIONS 256

struct session {
  long long pid, start;
};

/* The start time of pid (clock ticks since boot, /proc/PID/stat field 22),
 * or -1 when it is gone: a reused pid has another start time. */
static long long start_time(long long pid) {
  char path[64], buf[1024], *p, *end;
  long long v = -1;
  size_t n;
  FILE *f;
  int field;

  (void)snprintf(path, sizeof path, "/proc/%lld/stat", pid);
  if ((f = fopen(path, "re")) == NULL)
    return -1;
  n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  /* The command name may hold spaces and parentheses: count after the last
   * ')', which ends field 2. */
  if ((p = strrchr(buf, ')')) == NULL)
    return -1;
  for (field = 2; field < 22 && p != NULL; field++)
    p = strchr(p + 1, ' ');
  if (p != NULL) {
    v = strtoll(p + 1, &end, 10);
    if (end == p + 1)
      v = -1;
  }
  return v;
}

static int load(const struct pc_cache *c, struct session *out, int *n) {
  struct pc_buf b;
  struct pc_error e;
  json_object *o, *list;
  size_t i, len;
  enum pc_status st = pc_cache_read(c, SESSIONS_FILE, &b, &e);

  *n = 0;
  if (st != PC_OK || b.data == NULL) {
    pc_buf_free(&b);
    return st == PC_OK || st == PC_ABSENT ? 0 : -1;
  }
  o = pc_json_parse_object(b.data, b.len);
  pc_buf_free(&b);
  list = json_object_object_get(o, "sessions");
  len = json_object_is_type(list, json_type_array)
            ? json_object_array_length(list)
            : 0;
  for (i = 0; i < len && *n < MAX_SESSIONS; i++) {
    json_object *pair = json_object_array_get_idx(list, i);
    if (!json_object_is_type(pair, json_type_array) ||
        json_object_array_length(pair) != 2)
      continue;
    out[*n].pid = json_object_get_int64(json_object_array_get_idx(pair, 0));
    out[*n].start = json_object_get_int64(json_object_array_get_idx(pair, 1));
    (*n)++;
  }
  json_object_put(o);
  return 0;
}

static int save(const struct pc_cache *c, const struct session *s, int n,
                struct pc_error *e) {
  struct pc_buf b;
  int i, bad, rc;

  pc_buf_init(&b, PC_CACHE_MAX_FILE);
  bad = pc_buf_appendf(&b, "{\"Version\": 1, \"sessions\": [");
  for (i = 0; !bad && i < n; i++)
    bad = pc_buf_appendf(&b, "%s[%lld, %lld]", i ? ", " : "", s[i].pid,
                         s[i].start);
  bad = bad || pc_buf_appendf(&b, "]}\n");
  if (bad) {
    pc_buf_free(&b);
    return pc_error_set(e, PC_ERR_NOMEM, "%s", "out of memory"), -1;
  }
  rc = pc_cache_write(c, SESSIONS_FILE, b.data, b.len, e) == PC_OK ? 0 : -1;
  pc_buf_free(&b);
  return rc;
}

/* Add (open) or remove this process's session under the area's lock;
 * dead sessions are dropped on the way. */
static int update(const char *base, const char *user, int open, int *live,
                  struct pc_error *why) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_error e;
  struct session *s = calloc(MAX_SESSIONS + 1, sizeof *s);
  long long me = (long long)getpid(), my_start = start_time(me);
  int n = 0, kept = 0, i, rc = -1;

  *live = 0;
  if (s == NULL) {
    pc_error_set(why, PC_ERR_PROTOCOL, "%s", "out of memory");
    return -1;
  }
  if (pc_cache_open_private(&c, base, user, 1, &e) != 0 ||
      flock(c.dir_fd, LOCK_EX) != 0) {
    char text[512];
    pc_error_set(why, PC_ERR_PROTOCOL, "%s",
                 pc_error_text(&e, text, sizeof text));
    goto out;
  }
  if (load(&c, s, &n) != 0) {
    pc_error_set(why, PC_ERR_PROTOCOL, "%s/%s is unreadable", c.path,
                 SESSIONS_FILE);
    goto out;
  }
  for (i = 0; i < n; i++) {
    int mine = s[i].pid == me && s[i].start == my_start;
    if (mine || start_time(s[i].pid) != s[i].start)
      continue; /* re-added below when opening; dead ones go */
    s[kept++] = s[i];
  }
  if (open && kept < MAX_SESSIONS)
    s[kept++] = (struct session){me, my_start};
  *live = kept;
  rc = save(&c, s, kept, &e);
  if (rc != 0) {
    char text[512];
    pc_error_set(why, PC_ERR_PROTOCOL, "%s",
                 pc_error_text(&e, text, sizeof text));
  }
out:
  pc_cache_close(&c); /* releases the lock */
  free(s);
  return rc;
}

enum pc_status pc_logout_session_open(const char *base, const char *user,
                                      int *live, struct pc_error *why) {
  return update(base, user, 1, live, why) == 0 ? PC_OK : PC_ERR_PROTOCOL;
}

enum pc_status pc_logout_session_close(const char *base, const char *user,
                                       int *live, struct pc_error *why) {
  return update(base, user, 0, live, why) == 0 ? PC_OK : PC_ERR_PROTOCOL;
}

/* RevokeToken over the settings in cfg: the token is the only thing the
 * request takes from the hand-over. */
static enum pc_status revoke_token(const struct pc_config *cfg,
                                   const char *token, const char *client_secret,
                                   struct pc_error *err) {
  struct pc_client cl;
  json_object *req = json_object_new_object(), *resp = NULL;
  enum pc_status st = pc_client_init(&cl, cfg, NULL);
  /* The only request of close_session: login_timeout bounds it, as it
   * bounds all network waiting of a PAM call. */
  long left_ms = cfg->login_timeout * 1000L;

  if (st != PC_OK) {
    json_object_put(req);
    return pc_error_set(err, st, "cannot set up the HTTP client: %s",
                        pc_status_str(st));
  }
  if (left_ms > 0)
    pc_http_share_budget(cl.http, &left_ms);
  req = pc_json_keep(req,
                     !req || pc_json_add_str(req, "Token", token) ||
                         pc_json_add_str(req, "ClientId", cfg->client_id) ||
                         (client_secret &&
                          pc_json_add_str(req, "ClientSecret", client_secret)));
  st = pc_api_send(&cl, PC_USER_POOL, "RevokeToken", req, &resp, err);
  json_object_put(resp);
  pc_client_free(&cl);
  return st;
}

enum pc_status pc_logout_revoke_token(const struct pc_config *cfg,
                                      const char *token, struct pc_error *err) {
  return revoke_token(cfg, token, cfg->client_secret, err);
}

static int same(const char *a, const char *b) {
  return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Revoke h's token: root with its own configuration (root_cfg), or the
 * helper with the hand-over's settings and no secret. */
static enum pc_status revoke_handover(const struct pc_handover *h,
                                      const struct pc_config *root_cfg,
                                      struct pc_error *err) {
  char text[512];
  enum pc_status st;

  if (root_cfg == NULL && h->secret_hash != NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "%s",
                        "the app client has a secret, which only the PAM "
                        "module holds: the refresh token was not revoked and "
                        "stays valid at Cognito until it expires (local copies "
                        "removed)");
  /* The file is the user's: for root it names no server, CA or client.
   * A token of another pool or client goes nowhere (the secret would
   * vouch for it). */
  if (root_cfg != NULL && (!same(h->cfg.user_pool_id, root_cfg->user_pool_id) ||
                           !same(h->cfg.client_id, root_cfg->client_id)))
    return pc_error_set(err, PC_ERR_CONFIG, "%s",
                        "the cached refresh token names another user pool or "
                        "app client than the configuration: nothing was sent "
                        "to Cognito (local copies removed)");
  st = root_cfg != NULL ? revoke_token(root_cfg, h->refresh_token,
                                       root_cfg->client_secret, err)
                        : revoke_token(&h->cfg, h->refresh_token, NULL, err);
  if (st != PC_OK)
    (void)pc_error_set(err, st, "RevokeToken failed: %s (local copies removed)",
                       pc_error_text(err, text, sizeof text));
  return st;
}

enum pc_status pc_logout_revoke(struct pc_store *s,
                                const struct pc_config *root_cfg, int *revoked,
                                struct pc_error *err) {
  struct pc_handover h;
  struct pc_error e;
  enum pc_status st = PC_OK;
  enum pc_status loaded = pc_store_load_handover(s, &h, err);

  pc_error_clear(err);
  if (revoked != NULL)
    *revoked = 0;
  if (loaded == PC_OK) {
    st = revoke_handover(&h, root_cfg, err);
    pc_handover_free(&h);
    if (st == PC_OK && revoked != NULL)
      *revoked = 1;
  }
  if (pc_store_forget_session(s, &e) != 0 && st == PC_OK)
    st = pc_error_set(err, PC_ERR_CONFIG, "%s", e.detail);
  return st;
}

enum pc_status pc_logout_user(const struct pc_config *cfg, const char *user,
                              int *revoked, struct pc_error *err) {
  struct pc_store s = PC_STORE_INIT;
  enum pc_status st;
  uid_t uid;
  gid_t gid;

  pc_error_clear(err);
  *revoked = 0;
  if (pc_local_user(user, &uid, &gid) != 0)
    return PC_OK; /* no local account: no cache to clear */
  st = pc_store_open(&s, cfg->cache_dir, user, uid, gid, 0, err);
  if (st != PC_OK)
    return st == PC_ABSENT ? PC_OK : st; /* no cache: nothing to clear */
  st = pc_logout_revoke(&s, cfg, revoked, err);
  pc_store_close(&s);
  return st;
}
