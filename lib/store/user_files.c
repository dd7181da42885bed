/* SPDX-License-Identifier: MIT */
/* The files of a user's store and their formats; see user_files.h. Documents
 * holding secrets are built in wiping buffers and wiped before they are
 * freed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/secret.h"
#include "store/user_files.h"

/* Every file kept for a user: add a kind here, and its reader and writer
 * below. */
enum file_kind { CREDENTIALS, IDENTITY_ID, HANDOVER };

static const struct {
  const char *name;
  int root_only; /* kept in <cache_dir>/.private/<user>/ */
} files[] = {
    [CREDENTIALS] = {"credentials.json", 0},
    [IDENTITY_ID] = {"identity_id", 0},
    [HANDOVER] = {"refresh.json", 0},
};

enum pc_status pc_store_open(struct pc_store *s, const char *base,
                             const char *user, uid_t uid, gid_t gid, int create,
                             struct pc_error *e) {
  enum pc_status st = PC_ERR_CONFIG;
  int tries;

  pc_error_clear(e);
  s->user.dir_fd = -1;
  s->private.dir_fd = -1;
  s->base = base;
  s->create = create;
  (void)snprintf(s->name, sizeof s->name, "%s", user ? user : "");
  for (tries = 0; tries < 2; tries++) {
    st = pc_cache_open(&s->user, base, user, uid, gid, create, e);
    if (st == PC_OK || st == PC_ABSENT || !create)
      break;
    (void)usleep(50000);
  }
  return st;
}

void pc_store_close(struct pc_store *s) {
  pc_cache_close(&s->user);
  pc_cache_close(&s->private);
}

/* The area kind lives in, opening the root-only one on first use. */
static const struct pc_cache *area(struct pc_store *s, enum file_kind kind,
                                   struct pc_error *e) {
  if (!files[kind].root_only)
    return &s->user;
  if (s->private.dir_fd < 0 &&
      pc_cache_open_private(&s->private, s->base, s->name, s->create, e) !=
          PC_OK)
    return NULL;
  return &s->private;
}

static enum pc_status read_file(struct pc_store *s, enum file_kind kind,
                                struct pc_buf *b, struct pc_error *e) {
  const struct pc_cache *c = area(s, kind, e);

  if (c == NULL) {
    pc_buf_init(b, PC_CACHE_MAX_FILE);
    return PC_ERR_CONFIG;
  }
  return pc_cache_read(c, files[kind].name, b, e);
}

/* Write doc (consumed, wiped) as kind; NULL doc means it could not be
 * built. */
static enum pc_status write_file(struct pc_store *s, enum file_kind kind,
                                 char *doc, struct pc_error *e) {
  const struct pc_cache *c;
  enum pc_status st = PC_ERR_CONFIG;

  pc_error_clear(e);
  if (doc == NULL)
    st = pc_error_set(e, PC_ERR_NOMEM, "%s", "out of memory");
  else if ((c = area(s, kind, e)) != NULL)
    st = pc_cache_write(c, files[kind].name, doc, strlen(doc), e);
  pc_buf_string_free(&doc);
  return st;
}

/* ---- credentials.json ---- */

enum pc_status pc_store_save_creds(struct pc_store *s,
                                   const struct pc_aws_creds *cr,
                                   struct pc_error *e) {
  return write_file(s, CREDENTIALS,
                    pc_creds_process_json(cr->access_key_id,
                                          cr->secret_access_key,
                                          cr->session_token, cr->expiration),
                    e);
}

enum pc_store_load pc_store_load_creds(struct pc_store *s, long min_validity,
                                       struct pc_aws_creds *creds,
                                       struct pc_error *e) {
  struct pc_buf b;
  enum pc_store_load st;
  enum pc_status rc = read_file(s, CREDENTIALS, &b, e);

  memset(creds, 0, sizeof *creds);
  if (rc == PC_ABSENT)
    return PC_STORE_ABSENT;
  if (rc != PC_OK)
    return PC_STORE_REFUSED;
  if (b.data == NULL)
    st = PC_STORE_EMPTY;
  else if (pc_creds_process_parse(b.data, creds) != 0)
    st = PC_STORE_MALFORMED;
  else if (creds->expiration - (long long)time(NULL) < min_validity)
    st = PC_STORE_EXPIRED;
  else
    st = PC_STORE_LOADED;
  if (st == PC_STORE_MALFORMED)
    (void)pc_error_set(e, PC_ERR_PROTOCOL,
                       "%s/%s is not a credential_process document",
                       s->user.path, files[CREDENTIALS].name);
  if (st != PC_STORE_LOADED)
    pc_aws_creds_free(creds);
  pc_buf_free(&b);
  return st;
}

/* ---- identity_id ---- */

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

char *pc_store_load_identity(struct pc_store *s, const char *pool_id,
                             struct pc_error *e) {
  struct pc_buf b;
  json_object *o;
  const char *pool, *id;
  char *out = NULL;
  enum pc_status rc = read_file(s, IDENTITY_ID, &b, e);

  if (rc == PC_ABSENT)
    pc_error_clear(e);
  if (rc != PC_OK)
    return NULL;
  o = b.data ? pc_json_parse_object(b.data, b.len) : NULL;
  pool = pc_json_str(o, "IdentityPoolId");
  id = pc_json_str(o, "IdentityId");
  if (pool && pool_id && strcmp(pool, pool_id) == 0 && pc_identity_id_valid(id))
    out = pc_strdup(id);
  json_object_put(o);
  pc_buf_free(&b);
  return out;
}

enum pc_status pc_store_save_identity(struct pc_store *s, const char *pool_id,
                                      const char *identity_id,
                                      struct pc_error *e) {
  struct pc_buf b;

  pc_buf_init(&b, PC_CACHE_MAX_FILE);
  if (pc_buf_appendf(&b, "{\"IdentityPoolId\": ") != 0 ||
      pc_buf_append_json_str(&b, pool_id) != 0 ||
      pc_buf_append_json_member(&b, "IdentityId", identity_id) != 0 ||
      pc_buf_appendf(&b, "}") != 0)
    pc_buf_free(&b);
  return write_file(s, IDENTITY_ID, b.data ? pc_buf_take(&b) : NULL, e);
}

/* ---- refresh.json ---- */

enum pc_status pc_store_save_handover(
    struct pc_store *s, const struct pc_config *cfg, const char *identity_id,
    const char *user_id, const char *secret_hash, const char *device_key,
    const char *refresh_token, const char *refresh_call, struct pc_error *e) {
  return write_file(s, HANDOVER,
                    pc_handover_json(cfg, identity_id, user_id, secret_hash,
                                     device_key, refresh_token, refresh_call),
                    e);
}

enum pc_status pc_store_load_handover(struct pc_store *s, struct pc_handover *h,
                                      struct pc_error *e) {
  struct pc_buf b;
  struct pc_error why;
  enum pc_status st = read_file(s, HANDOVER, &b, e);

  memset(h, 0, sizeof *h);
  if (st != PC_OK || b.data == NULL) {
    pc_buf_free(&b);
    return st == PC_OK ? PC_ABSENT : st; /* an empty file is none */
  }
  st = pc_handover_parse(b.data, b.len, h, &why);
  pc_buf_free(&b);
  if (st != PC_OK)
    return pc_error_set(e, PC_ERR_PROTOCOL, "%s/%s is unusable (%s)",
                        s->user.path, files[HANDOVER].name, why.detail);
  return PC_OK;
}

enum pc_status pc_store_forget_session(struct pc_store *s, struct pc_error *e) {
  static const enum file_kind gone[] = {HANDOVER, CREDENTIALS};
  size_t i;
  enum pc_status st = PC_OK;

  pc_error_clear(e);
  for (i = 0; i < sizeof gone / sizeof *gone; i++)
    if (pc_cache_remove(&s->user, files[gone[i]].name) != 0)
      st = pc_error_set(e, PC_ERR_CONFIG, "cannot remove %s/%s", s->user.path,
                        files[gone[i]].name);
  return st;
}

/* The refresh.json format. */

/* The configuration keys the helper needs; each goes through pc_config_set
 * on the way back, so the same validation applies. Never client_secret.
 * Beside these strings: client_metadata, timeout, and use_fips ("true",
 * written only when set) so that renewals use the FIPS hosts the login
 * used. */
static const char *const handover_keys[] = {
    "region",        "user_pool_id", "client_id",         "identity_pool_id",
    "role_arn",      "idp_endpoint", "identity_endpoint", "ca_file",
    "identity_flow", "sts_endpoint",
};

static const char *cfg_value(const struct pc_config *cfg, size_t i) {
  const char *const v[] = {cfg->region,
                           cfg->user_pool_id,
                           cfg->client_id,
                           cfg->identity_pool_id,
                           cfg->role_arn,
                           cfg->idp_endpoint,
                           cfg->identity_endpoint,
                           cfg->ca_file,
                           cfg->identity_flow,
                           cfg->sts_endpoint};
  return v[i];
}

/* client_metadata in its text form ("key=value" lines), which the parser
 * hands back to pc_config_set: the helper's renewal sends it too. */
static int append_metadata(struct pc_buf *b, char *const *list) {
  struct pc_buf text;
  size_t i;
  int bad = 0;

  if (list == NULL || list[0] == NULL)
    return 0;
  pc_buf_init(&text, PC_CACHE_MAX_FILE);
  for (i = 0; !bad && list[i] != NULL; i++)
    bad = pc_buf_appendf(&text, "%s%s", i ? "\n" : "", list[i]) != 0;
  bad = bad || pc_buf_append_json_member(b, "client_metadata", text.data) != 0;
  pc_buf_free(&text);
  return bad ? -1 : 0;
}

char *pc_handover_json(const struct pc_config *cfg, const char *identity_id,
                       const char *user_id, const char *secret_hash,
                       const char *device_key, const char *refresh_token,
                       const char *refresh_call) {
  struct pc_buf b;
  char timeout[24];
  size_t i;
  int bad;

  if (cfg == NULL || identity_id == NULL || user_id == NULL ||
      refresh_token == NULL)
    return NULL;
  (void)snprintf(timeout, sizeof timeout, "%ld", cfg->timeout);
  pc_buf_init(&b, PC_CACHE_MAX_FILE);
  bad = pc_buf_appendf(&b, "{\"Version\": 1") != 0;
  for (i = 0; !bad && i < sizeof handover_keys / sizeof *handover_keys; i++)
    if (cfg_value(cfg, i) != NULL)
      bad = pc_buf_append_json_member(&b, handover_keys[i], cfg_value(cfg, i));
  bad = bad || append_metadata(&b, cfg->client_metadata) ||
        (cfg->use_fips && pc_buf_append_json_member(&b, "use_fips", "true")) ||
        pc_buf_append_json_member(&b, "timeout", timeout) ||
        pc_buf_append_json_member(&b, "identity_id", identity_id) ||
        pc_buf_append_json_member(&b, "user_id", user_id) ||
        (secret_hash != NULL &&
         pc_buf_append_json_member(&b, "secret_hash", secret_hash)) ||
        (device_key != NULL &&
         pc_buf_append_json_member(&b, "device_key", device_key)) ||
        pc_buf_append_json_member(&b, "refresh_token", refresh_token) ||
        (refresh_call != NULL &&
         pc_buf_append_json_member(&b, "refresh_call", refresh_call)) ||
        pc_buf_appendf(&b, "}\n");
  if (bad) {
    pc_buf_free(&b);
    return NULL;
  }
  return pc_buf_take(&b);
}

void pc_handover_free(struct pc_handover *h) {
  pc_config_free(&h->cfg);
  free(h->identity_id);
  free(h->user_id);
  pc_free_secret(&h->secret_hash);
  pc_free_secret(&h->device_key);
  pc_free_secret(&h->refresh_token);
  free(h->refresh_call);
  memset(h, 0, sizeof *h);
}

static int is_config_key(const char *key) {
  size_t i;

  for (i = 0; i < sizeof handover_keys / sizeof *handover_keys; i++)
    if (strcmp(key, handover_keys[i]) == 0)
      return 1;
  return strcmp(key, "timeout") == 0 || strcmp(key, "client_metadata") == 0 ||
         strcmp(key, "use_fips") == 0;
}

/* Copy the member key when it is a string into *dst. */
static int take(json_object *o, const char *key, char **dst) {
  const char *s = pc_json_str(o, key);

  return s == NULL || (*dst = pc_strdup(s)) == NULL ? -1 : 0;
}

enum pc_status pc_handover_parse(const char *json, size_t len,
                                 struct pc_handover *out, struct pc_error *e) {
  json_object *o;
  long long version;
  struct pc_error sub;
  enum pc_status rc = PC_ERR_PROTOCOL; /* e says what was wrong */

  memset(out, 0, sizeof *out);
  (void)pc_error_set(e, PC_ERR_PROTOCOL, "%s", "not a refresh document");
  if (pc_config_init(&out->cfg) != 0)
    return PC_ERR_PROTOCOL;
  if (json == NULL || (o = pc_json_parse_object(json, len)) == NULL)
    goto done_nojson;
  if (pc_json_int(o, "Version", &version) != 0 || version != 1)
    goto done;
  {
    json_object_object_foreach(o, key, val) {
      if (!is_config_key(key))
        continue;
      if (!json_object_is_type(val, json_type_string) ||
          pc_config_set(&out->cfg, key, json_object_get_string(val), &sub) !=
              0) {
        (void)pc_error_set(e, PC_ERR_PROTOCOL, "bad %s", key);
        goto done;
      }
    }
  }
  if (pc_config_validate(&out->cfg, &sub) != 0) {
    (void)pc_error_set(e, PC_ERR_PROTOCOL, "%s", sub.detail);
    goto done;
  }
  if (out->cfg.identity_pool_id == NULL ||
      take(o, "identity_id", &out->identity_id) ||
      !pc_identity_id_valid(out->identity_id) ||
      take(o, "user_id", &out->user_id) || !*out->user_id ||
      take(o, "refresh_token", &out->refresh_token) || !*out->refresh_token ||
      (pc_json_str(o, "secret_hash") != NULL &&
       take(o, "secret_hash", &out->secret_hash)) ||
      (pc_json_str(o, "device_key") != NULL &&
       take(o, "device_key", &out->device_key)) ||
      (pc_json_str(o, "refresh_call") != NULL &&
       take(o, "refresh_call", &out->refresh_call))) {
    (void)pc_error_set(e, PC_ERR_PROTOCOL, "%s", "incomplete refresh document");
    goto done;
  }
  pc_error_clear(e);
  rc = PC_OK;
done:
  pc_json_put_secret(o);
done_nojson:
  if (rc != 0)
    pc_handover_free(out);
  return rc;
}
