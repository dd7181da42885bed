/* The credential files of the per-user cache; see credcache.h. Documents
 * holding secrets are wiped before they are freed. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "credcache.h"
#include "creds.h"
#include "json.h"
#include "secret.h"

/* Write doc (consumed, wiped) as name; NULL doc means it could not be built. */
static int store_doc(const struct pc_cache *c, const char *name, char *doc,
                     char *err, size_t errlen) {
  int rc = -1;

  if (doc == NULL)
    (void)snprintf(err, errlen, "%s", "out of memory");
  else
    rc = pc_cache_write(c, name, doc, strlen(doc), err, errlen) == 0 ? 0 : -1;
  pc_free_secret(&doc);
  return rc;
}

int pc_cache_store_creds(const struct pc_cache *c,
                         const struct pc_aws_creds *cr, char *err,
                         size_t errlen) {
  return store_doc(c, PC_CACHE_CREDENTIALS,
                   pc_creds_process_json(cr->access_key_id,
                                         cr->secret_access_key,
                                         cr->session_token, cr->expiration),
                   err, errlen);
}

int pc_cache_store_handover(const struct pc_cache *c,
                            const struct pc_config *cfg,
                            const char *identity_id, const char *user_id,
                            const char *secret_hash, const char *refresh_token,
                            char *err, size_t errlen) {
  return store_doc(
      c, PC_CACHE_REFRESH,
      pc_handover_json(cfg, identity_id, user_id, secret_hash, refresh_token),
      err, errlen);
}

enum pc_cache_load pc_cache_load_creds(const struct pc_cache *c,
                                       long min_validity,
                                       struct pc_aws_creds *creds, char *err,
                                       size_t errlen) {
  struct pc_buf b;
  enum pc_cache_load st;
  int rc = pc_cache_read(c, PC_CACHE_CREDENTIALS, &b, err, errlen);

  memset(creds, 0, sizeof *creds);
  if (rc < 0)
    return PC_CACHE_REFUSED;
  if (rc > 0)
    return PC_CACHE_ABSENT;
  if (b.data == NULL)
    st = PC_CACHE_EMPTY;
  else if (pc_creds_process_parse(b.data, creds) != 0)
    st = PC_CACHE_MALFORMED;
  else if (creds->expiration - (long long)time(NULL) < min_validity)
    st = PC_CACHE_EXPIRED;
  else
    st = PC_CACHE_LOADED;
  if (st == PC_CACHE_MALFORMED)
    (void)snprintf(err, errlen, "%s/%s is not a credential_process document",
                   c->path, PC_CACHE_CREDENTIALS);
  if (st != PC_CACHE_LOADED)
    pc_aws_creds_free(creds);
  pc_buf_free(&b);
  return st;
}

static void note(const struct pc_log *log, int priority, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(const struct pc_log *log, int priority, const char *fmt, ...) {
  char text[768];
  va_list ap;

  if (log == NULL || log->log == NULL)
    return;
  va_start(ap, fmt);
  (void)vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  log->log(log->ctx, priority, text);
}

/* The identity id remembered for this identity pool, or NULL. */
static char *cached_identity(const struct pc_config *cfg,
                             const struct pc_cache *c,
                             const struct pc_log *log) {
  struct pc_buf b;
  json_object *o;
  const char *pool, *id;
  char err[512], *out = NULL;
  int rc = pc_cache_read(c, PC_CACHE_IDENTITY, &b, err, sizeof err);

  if (rc < 0)
    note(log, LOG_WARNING, "%s", err);
  if (rc != 0)
    return NULL;
  o = b.data ? pc_json_parse_object(b.data, b.len) : NULL;
  pool = pc_json_str(o, "IdentityPoolId");
  id = pc_json_str(o, "IdentityId");
  if (pool && strcmp(pool, cfg->identity_pool_id) == 0 &&
      pc_identity_id_valid(id))
    out = pc_strdup(id);
  json_object_put(o);
  pc_buf_free(&b);
  return out;
}

static void store_identity(const struct pc_config *cfg,
                           const struct pc_cache *c, const char *id,
                           const struct pc_log *log) {
  json_object *o = json_object_new_object();
  const char *text = NULL;
  char err[512];

  if (o && pc_json_add_str(o, "IdentityPoolId", cfg->identity_pool_id) == 0 &&
      pc_json_add_str(o, "IdentityId", id) == 0)
    text = json_object_to_json_string(o);
  if (text &&
      pc_cache_write(c, PC_CACHE_IDENTITY, text, strlen(text), err, sizeof err))
    note(log, LOG_WARNING, "%s", err);
  json_object_put(o);
}

enum pc_status pc_creds_fetch(struct pc_client *cl, const struct pc_config *cfg,
                              const struct pc_cache *c, const char *id_token,
                              const struct pc_log *log, char **identity_id,
                              struct pc_aws_creds *creds,
                              struct pc_api_error *err) {
  char *id = c ? cached_identity(cfg, c, log) : NULL;
  enum pc_status st;

  *identity_id = NULL;
  if (id != NULL) {
    st = pc_identity_get_credentials(cl, cfg, id, id_token, creds, err);
    if (st == PC_OK) {
      *identity_id = id;
      return st;
    }
    free(id);
    id = NULL;
    if (st == PC_ERR_UNAVAIL || st == PC_ERR_LIMIT || st == PC_ERR_NOMEM)
      return st;
    note(log, LOG_DEBUG, "remembered identity id refused (%s): asking GetId",
         pc_status_str(st));
  }
  st = pc_identity_get_id(cl, cfg, id_token, &id, err);
  if (st != PC_OK)
    return st;
  if (c != NULL)
    store_identity(cfg, c, id, log);
  st = pc_identity_get_credentials(cl, cfg, id, id_token, creds, err);
  if (st != PC_OK)
    free(id);
  else
    *identity_id = id;
  return st;
}
