/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/json.h"
#include "config/metadata.h"
#include "net/usercontext.h"

/* Cognito wants an address; a PAM_RHOST that is a host name (sshd with
 * UseDNS) is not resolved here: no DNS lookups on the way to a login. */
static int is_address(const char *s) {
  unsigned char buf[sizeof(struct in6_addr)];

  return s &&
         (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1);
}

/* value with %u %s %h %r %% filled in, cut at PC_METADATA_VALUE_MAX. */
static void expand(const char *value, const struct pc_usercontext *ctx,
                   const char *host, char *out, size_t n) {
  size_t o = 0;
  const char *p, *add;
  char one[2] = {0, 0};

  for (p = value; *p && o + 1 < n; p++) {
    add = one;
    one[0] = *p;
    if (*p == '%' && p[1]) {
      p++;
      switch (*p) {
      case 'u':
        add = ctx && ctx->user ? ctx->user : "";
        break;
      case 's':
        add = ctx && ctx->service ? ctx->service : "";
        break;
      case 'h':
        add = host;
        break;
      case 'r':
        add = ctx && ctx->rhost ? ctx->rhost : "";
        break;
      default:
        one[0] = *p; /* "%%" */
      }
    }
    while (*add && o + 1 < n)
      out[o++] = *add++;
  }
  out[o] = '\0';
}

static int add_metadata(json_object *req, char *const *list,
                        const struct pc_usercontext *ctx) {
  json_object *meta;
  char host[HOST_NAME_MAX + 1], value[PC_METADATA_VALUE_MAX + 1];
  size_t i;

  if (list == NULL || list[0] == NULL)
    return 0;
  if (gethostname(host, sizeof(host)) != 0)
    host[0] = '\0';
  host[sizeof(host) - 1] = '\0';
  if ((meta = json_object_new_object()) == NULL)
    return -1;
  if (json_object_object_add(req, "ClientMetadata", meta) != 0) {
    json_object_put(meta);
    return -1;
  }
  for (i = 0; list[i] != NULL; i++) {
    const char *eq = strchr(list[i], '=');
    char key[PC_METADATA_KEY_MAX + 1];

    if (eq == NULL || (size_t)(eq - list[i]) > PC_METADATA_KEY_MAX)
      continue; /* the parser let no such entry in */
    memcpy(key, list[i], (size_t)(eq - list[i]));
    key[eq - list[i]] = '\0';
    expand(eq + 1, ctx, host, value, sizeof(value));
    if (pc_json_add_str(meta, key, value) != 0)
      return -1;
  }
  return 0;
}

json_object *pc_usercontext_add(json_object *req, const struct pc_config *cfg,
                                const struct pc_usercontext *ctx) {
  json_object *ucd;
  int bad = req == NULL;

  if (!bad && cfg->send_user_context && cfg->client_secret && ctx &&
      is_address(ctx->rhost)) {
    ucd = json_object_new_object();
    bad = ucd == NULL || json_object_object_add(req, "UserContextData", ucd);
    if (bad)
      json_object_put(ucd);
    else
      bad = pc_json_add_str(ucd, "IpAddress", ctx->rhost);
  }
  if (!bad)
    bad = add_metadata(req, cfg->client_metadata, ctx);
  return pc_json_keep(req, bad);
}

json_object *pc_usercontext_metadata(json_object *req,
                                     const struct pc_config *cfg,
                                     const struct pc_usercontext *ctx) {
  return pc_json_keep(req, req == NULL ||
                               add_metadata(req, cfg->client_metadata, ctx));
}
