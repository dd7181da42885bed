/* SPDX-License-Identifier: MIT */
/* The refresh call that worked for an app client; see refresh_call.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "store/cachedir.h"
#include "tokens/refresh_call.h"

static int file_name(const struct pc_config *cfg, char *name, size_t n) {
  int len;

  if (cfg->client_id == NULL)
    return -1;
  /* client_id is letters and digits (lib/config/cfg.c checks it). */
  len = snprintf(name, n, "refresh-call-%s.json", cfg->client_id);
  return len < 0 || (size_t)len >= n ? -1 : 0;
}

enum pc_refresh_call pc_refresh_call_load(const struct pc_config *cfg) {
  struct pc_cache c = PC_CACHE_INIT;
  struct pc_buf raw;
  struct pc_error err;
  char name[PC_CACHE_NAME_MAX];
  enum pc_refresh_call call = PC_REFRESH_GET_TOKENS, found;
  json_object *doc = NULL;
  const char *client;

  if (file_name(cfg, name, sizeof name) != 0 ||
      pc_cache_open_private_root(&c, cfg->cache_dir, 0, &err) != 0)
    return call;
  if (pc_cache_read(&c, name, &raw, &err) == 0) {
    doc = raw.data ? pc_json_parse_object(raw.data, raw.len) : NULL;
    client = pc_json_str(doc, "client_id");
    if (client != NULL && strcmp(client, cfg->client_id) == 0 &&
        pc_refresh_call_parse(pc_json_str(doc, "call"), &found) == 0)
      call = found;
    json_object_put(doc);
    pc_buf_free(&raw);
  }
  pc_cache_close(&c);
  return call;
}

void pc_refresh_call_save(const struct pc_config *cfg, enum pc_refresh_call c) {
  struct pc_cache dir = PC_CACHE_INIT;
  struct pc_buf b;
  struct pc_error err;
  char name[PC_CACHE_NAME_MAX];

  if (file_name(cfg, name, sizeof name) != 0)
    return;
  pc_buf_init(&b, 1024);
  if (pc_buf_appendf(&b, "{\"client_id\": ") == 0 &&
      pc_buf_append_json_str(&b, cfg->client_id) == 0 &&
      pc_buf_append_json_member(&b, "call", pc_refresh_call_name(c)) == 0 &&
      pc_buf_appendf(&b, "}\n") == 0 &&
      pc_cache_open_private_root(&dir, cfg->cache_dir, 1, &err) == 0) {
    if (pc_cache_write(&dir, name, b.data, b.len, &err) != 0)
      pc_error_clear(&err); /* the next renewal learns it again */
    pc_cache_close(&dir);
  }
  pc_buf_free(&b);
}
