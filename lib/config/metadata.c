/* SPDX-License-Identifier: MIT */
/* client_metadata's text form checked and split, and the line splitting
 * every key of one entry a line shares; see metadata.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/metadata.h"

static int printable(const char *s, size_t len) {
  size_t i;

  for (i = 0; i < len; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 0;
  return 1;
}

/* One "key=value" line: 0, or -1 with err set. */
static int check_pair(const char *p, size_t len, struct pc_error *err) {
  const char *eq = memchr(p, '=', len), *q;
  size_t klen;

  if (eq == NULL || eq == p) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "client_metadata: expected key = \"value\"");
    return -1;
  }
  klen = (size_t)(eq - p);
  if (klen > PC_METADATA_KEY_MAX || !printable(p, len)) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "client_metadata: a key longer than %d characters, or control "
                 "characters",
                 PC_METADATA_KEY_MAX);
    return -1;
  }
  if (len - klen - 1 > PC_METADATA_VALUE_MAX) {
    pc_error_set(err, PC_ERR_CONFIG,
                 "client_metadata: %.*s: longer than %d characters", (int)klen,
                 p, PC_METADATA_VALUE_MAX);
    return -1;
  }
  for (q = eq + 1; q < p + len; q++) {
    if (*q != '%')
      continue;
    if (q + 1 >= p + len || !strchr("ushr%", q[1])) {
      pc_error_set(err, PC_ERR_CONFIG,
                   "client_metadata: %.*s: '%%' must be followed by u, s, h, r "
                   "or %%",
                   (int)klen, p);
      return -1;
    }
    q++;
  }
  return 0;
}

static enum pc_status pair_ok(const void *ctx, const char *line, size_t len,
                              struct pc_error *err) {
  (void)ctx;
  return check_pair(line, len, err) == 0 ? PC_OK : PC_ERR_CONFIG;
}

enum pc_status pc_metadata_parse(const char *text, char ***out,
                                 struct pc_error *err) {
  return pc_config_lines(text, "client_metadata", PC_METADATA_MAX, pair_ok,
                         NULL, out, err);
}

enum pc_status pc_config_lines(const char *text, const char *key, size_t max,
                               pc_line_check_fn check, const void *ctx,
                               char ***out, struct pc_error *err) {
  char **l;
  const char *p, *nl;
  size_t n = 0, len;

  *out = NULL;
  if ((l = calloc(max + 1, sizeof(*l))) == NULL)
    return pc_error_set(err, PC_ERR_CONFIG, "%s: out of memory", key);
  for (p = text; *p; p = *nl ? nl + 1 : nl) {
    nl = strchr(p, '\n');
    if (nl == NULL)
      nl = p + strlen(p);
    len = (size_t)(nl - p);
    if (len == 0)
      continue;
    if (n >= max) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: more than %zu entries", key, max);
      goto fail;
    }
    if (check(ctx, p, len, err) != PC_OK)
      goto fail;
    if ((l[n++] = strndup(p, len)) == NULL) {
      pc_error_set(err, PC_ERR_CONFIG, "%s: out of memory", key);
      goto fail;
    }
  }
  *out = l;
  return PC_OK;
fail:
  for (n = 0; l[n]; n++)
    free(l[n]);
  free(l);
  return PC_ERR_CONFIG; /* err says which entry */
}
