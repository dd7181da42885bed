/* SPDX-License-Identifier: MIT */
/* The JWKS between logins: {"fetched_at": N, "jwks": {...}} in the
 * root-only part of the cache, one file per issuer of the pool. Public keys
 * are not secret; the file is root's so that no user can plant keys of
 * their own. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "base/json.h"
#include "store/cachedir.h"
#include "tokens/jwks.h"
#include "tokens/jwks_cache.h"

/* jwks-<pool>.json for the original issuer (the name it always had), and
 * jwks-updated-<pool>.json for the updated one: the keys of one issuer
 * never verify a token of the other. */
static int file_name(const struct pc_config *cfg, enum pc_issuer_form form,
                     char *name, size_t n) {
  int len;

  if (cfg->user_pool_id == NULL)
    return -1;
  len =
      snprintf(name, n, "jwks-%s%s.json",
               form == PC_ISSUER_UPDATED ? "updated-" : "", cfg->user_pool_id);
  return len < 0 || (size_t)len >= n ? -1 : 0;
}

int pc_jwks_store_load_form(const struct pc_config *cfg,
                            enum pc_issuer_form form, struct pc_buf *out,
                            time_t *fetched) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_buf raw;
  char name[PC_CACHE_NAME_MAX];
  struct pc_error err;
  json_object *doc = NULL, *jwks, *at;
  const char *text;
  int rc = -1;

  pc_buf_init(out, PC_JWKS_MAX);
  pc_buf_init(&raw, PC_CACHE_MAX_FILE);
  if (file_name(cfg, form, name, sizeof name) != 0 ||
      pc_cache_open_private_root(&c, cfg->cache_dir, 0, &err) != 0)
    return -1;
  if (pc_cache_read(&c, name, &raw, &err) != 0)
    goto out;
  doc = pc_json_parse_object(raw.data, raw.len);
  if (doc == NULL || !json_object_object_get_ex(doc, "fetched_at", &at) ||
      !json_object_is_type(at, json_type_int) ||
      !json_object_object_get_ex(doc, "jwks", &jwks) ||
      !json_object_is_type(jwks, json_type_object))
    goto out;
  text = json_object_to_json_string_ext(jwks, JSON_C_TO_STRING_PLAIN);
  if (text == NULL || pc_buf_append(out, text, strlen(text)) != 0)
    goto out;
  *fetched = (time_t)json_object_get_int64(at);
  rc = 0;
out:
  if (rc != 0)
    pc_buf_free(out);
  json_object_put(doc);
  pc_buf_free(&raw);
  pc_cache_close(&c);
  return rc;
}

int pc_jwks_store_save_form(const struct pc_config *cfg,
                            enum pc_issuer_form form, const char *jwks,
                            size_t len, time_t fetched) {
  struct pc_cache c = PC_CACHE_INIT;
  char name[PC_CACHE_NAME_MAX];
  struct pc_error err;
  json_object *doc = NULL, *keys;
  const char *text;
  int rc = -1;

  if (file_name(cfg, form, name, sizeof name) != 0 ||
      (keys = pc_json_parse_object(jwks, len)) == NULL)
    return -1;
  doc = json_object_new_object();
  if (doc == NULL ||
      json_object_object_add(doc, "fetched_at",
                             json_object_new_int64((int64_t)fetched)) != 0 ||
      json_object_object_add(doc, "jwks", keys) != 0) {
    json_object_put(keys);
    goto out;
  }
  text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
  if (text == NULL ||
      pc_cache_open_private_root(&c, cfg->cache_dir, 1, &err) != 0)
    goto out;
  rc = pc_cache_write(&c, name, text, strlen(text), &err) == PC_OK ? 0 : -1;
out:
  json_object_put(doc);
  pc_cache_close(&c);
  return rc;
}

int pc_jwks_store_load(const struct pc_config *cfg, struct pc_buf *out,
                       time_t *fetched) {
  return pc_jwks_store_load_form(cfg, PC_ISSUER_ORIGINAL, out, fetched);
}

int pc_jwks_store_save(const struct pc_config *cfg, const char *jwks,
                       size_t len, time_t fetched) {
  return pc_jwks_store_save_form(cfg, PC_ISSUER_ORIGINAL, jwks, len, fetched);
}
