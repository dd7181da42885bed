/* SPDX-License-Identifier: MIT */
/* sudo_rules and local_groups checked and split; see fleetmaps.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/fleetmaps.h"
#include "config/metadata.h"

static const char *key_name(enum pc_fleet_map kind) {
  return kind == PC_FLEET_SUDO ? "sudo_rules" : "local_groups";
}

/* A local group name: what the sync writes into the extrausers group file
 * must be a name useradd would take. */
static int local_name_ok(const char *s, size_t len) {
  size_t i;

  if (len == 0 || len > 32 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
    return 0;
  for (i = 1; i < len; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '_' || s[i] == '-'))
      return 0;
  return 1;
}

/* "name,name": each name checked, at most PC_FLEET_LOCAL_MAX. */
static int locals_ok(const char *v, size_t len) {
  size_t n = 0;
  const char *end = v + len;

  while (v <= end) {
    const char *c = memchr(v, ',', (size_t)(end - v));
    size_t l = c ? (size_t)(c - v) : (size_t)(end - v);

    if (!local_name_ok(v, l) || ++n > PC_FLEET_LOCAL_MAX)
      return 0;
    v += l + 1;
  }
  return 1;
}

/* A sudoers rule body: one line of printable ASCII, no backslash (sudoers
 * would join the next line to it). visudo checks the grammar at sync. */
static int rule_ok(const char *v, size_t len) {
  size_t i;

  if (len == 0 || len > PC_FLEET_RULE_MAX)
    return 0;
  for (i = 0; i < len; i++)
    if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e ||
        v[i] == '\\')
      return 0;
  return 1;
}

static enum pc_status check_entry(enum pc_fleet_map kind, const char *p,
                                  size_t len, struct pc_error *err) {
  const char *eq = memchr(p, '=', len);
  size_t glen = eq ? (size_t)(eq - p) : 0, i;
  int ok;

  if (eq == NULL || glen == 0 || glen > PC_FLEET_GROUP_MAX) {
    return pc_error_set(
        err, PC_ERR_CONFIG,
        "%s: expected pool-group = value, with a group name of 1 to "
        "%d characters",
        key_name(kind), PC_FLEET_GROUP_MAX);
  }
  for (i = 0; i < glen; i++)
    if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f) {
      return pc_error_set(
          err, PC_ERR_CONFIG,
          "%s: expected a pool group name without blanks or control "
          "characters",
          key_name(kind));
    }
  ok = kind == PC_FLEET_SUDO ? rule_ok(eq + 1, len - glen - 1)
                             : locals_ok(eq + 1, len - glen - 1);
  if (!ok) {
    return pc_error_set(
        err, PC_ERR_CONFIG, "%s: %.*s: expected %s", key_name(kind), (int)glen,
        p,
        kind == PC_FLEET_SUDO
            ? "a sudoers rule body of 1 to 1024 printable ASCII "
              "characters without '\\', like \"ALL=(ALL:ALL) ALL\""
            : "a list of 1 to 16 local group names (a-z, 0-9, '_', "
              "'-'; a letter or '_' first; at most 32 characters)");
  }
  return PC_OK;
}

static enum pc_status entry_ok(const void *ctx, const char *line, size_t len,
                               struct pc_error *err) {
  return check_entry(*(const enum pc_fleet_map *)ctx, line, len, err);
}

enum pc_status pc_fleet_map_parse(enum pc_fleet_map kind, const char *text,
                                  char ***out, struct pc_error *err) {
  return pc_config_lines(text, key_name(kind), PC_FLEET_MAX, entry_ok, &kind,
                         out, err);
}

const char *pc_fleet_map_get(char *const *map, const char *group) {
  size_t i, gl = strlen(group);

  for (i = 0; map != NULL && map[i] != NULL; i++)
    if (strncmp(map[i], group, gl) == 0 && map[i][gl] == '=')
      return map[i] + gl + 1;
  return NULL;
}
