/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "json.h"
#include "usercontext.h"

#define PC_METADATA_KEY_MAX 128

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

static int printable(const char *s, size_t len) {
  size_t i;

  for (i = 0; i < len; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 0;
  return 1;
}

/* One "key=value" line: 0, or -1 with err set. */
static int check_pair(const char *p, size_t len, char *err, size_t errlen) {
  const char *eq = memchr(p, '=', len), *q;
  size_t klen;

  if (eq == NULL || eq == p) {
    pc_setf(err, errlen, "client_metadata: expected key = \"value\"");
    return -1;
  }
  klen = (size_t)(eq - p);
  if (klen > PC_METADATA_KEY_MAX || !printable(p, len)) {
    pc_setf(err, errlen,
            "client_metadata: a key longer than %d characters, or control "
            "characters",
            PC_METADATA_KEY_MAX);
    return -1;
  }
  if (len - klen - 1 > PC_METADATA_VALUE_MAX) {
    pc_setf(err, errlen, "client_metadata: %.*s: longer than %d characters",
            (int)klen, p, PC_METADATA_VALUE_MAX);
    return -1;
  }
  for (q = eq + 1; q < p + len; q++) {
    if (*q != '%')
      continue;
    if (q + 1 >= p + len || !strchr("ushr%", q[1])) {
      pc_setf(err, errlen,
              "client_metadata: %.*s: '%%' must be followed by u, s, h, r "
              "or %%",
              (int)klen, p);
      return -1;
    }
    q++;
  }
  return 0;
}

int pc_usercontext_parse_metadata(const char *text, char ***out, char *err,
                                  size_t errlen) {
  char **l;
  const char *p, *nl;
  size_t n = 0, len;

  *out = NULL;
  if ((l = calloc(PC_METADATA_MAX + 1, sizeof(*l))) == NULL) {
    pc_setf(err, errlen, "client_metadata: out of memory");
    return -1;
  }
  for (p = text; *p; p = *nl ? nl + 1 : nl) {
    nl = strchr(p, '\n');
    if (nl == NULL)
      nl = p + strlen(p);
    len = (size_t)(nl - p);
    if (len == 0)
      continue;
    if (n >= PC_METADATA_MAX) {
      pc_setf(err, errlen, "client_metadata: more than %d entries",
              PC_METADATA_MAX);
      goto fail;
    }
    if (check_pair(p, len, err, errlen) != 0)
      goto fail;
    if ((l[n++] = strndup(p, len)) == NULL) {
      pc_setf(err, errlen, "client_metadata: out of memory");
      goto fail;
    }
  }
  *out = l;
  return 0;
fail:
  for (n = 0; l[n]; n++)
    free(l[n]);
  free(l);
  return -1;
}
