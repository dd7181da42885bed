/* SPDX-License-Identifier: MIT */
/* The snapshot's Settings object (snapshot_settings.h). */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sync/snapshot_settings.h"

/* Every key of the configuration that changes what a host writes from the
 * same pool: the pool, and the attributes poolsnap reads users through
 * (login_claim also decides whether a verified flag is needed). */
static const char *const KEYS[] = {"user_pool_id", "login_claim",
                                   "uid_attribute", "ssh_keys_attribute"};
#define NKEYS (sizeof(KEYS) / sizeof(KEYS[0]))

static const char *value(const struct pc_config *cfg, size_t i) {
  const char *v[NKEYS] = {cfg->user_pool_id, cfg->login_claim,
                          cfg->uid_attribute, cfg->ssh_keys_attribute};
  return v[i];
}

json_object *pc_snapshot_settings(const struct pc_config *cfg) {
  json_object *o = json_object_new_object();
  size_t i;

  for (i = 0; o != NULL && i < NKEYS; i++) {
    const char *v = value(cfg, i);
    json_object *j = v != NULL ? json_object_new_string(v) : NULL;

    if ((v != NULL && j == NULL) ||
        json_object_object_add(o, KEYS[i], j) != 0) {
      json_object_put(j);
      json_object_put(o);
      return NULL;
    }
  }
  return o;
}

/* A value as a message shows it: quoted, or "not set". */
static const char *shown(const char *v, char *buf, size_t n) {
  if (v == NULL)
    return "not set";
  (void)snprintf(buf, n, "\"%s\"", v);
  return buf;
}

enum pc_status pc_snapshot_settings_check(json_object *root,
                                          const struct pc_config *cfg,
                                          struct pc_error *err) {
  json_object *set, *v;
  char a[300], b[300];
  size_t i;

  if (!json_object_object_get_ex(root, "Settings", &set) ||
      !json_object_is_type(set, json_type_object))
    return pc_error_set(err, PC_ERR_PROTOCOL,
                        "the snapshot has no Settings object");
  for (i = 0; i < NKEYS; i++) {
    const char *mine = value(cfg, i), *theirs;

    if (!json_object_object_get_ex(set, KEYS[i], &v) ||
        (v != NULL && !json_object_is_type(v, json_type_string)))
      return pc_error_set(err, PC_ERR_PROTOCOL,
                          "the snapshot's Settings: %s is missing or not a "
                          "string or null",
                          KEYS[i]);
    theirs = v != NULL ? json_object_get_string(v) : NULL;
    if ((mine == NULL) != (theirs == NULL) ||
        (mine != NULL && strcmp(mine, theirs) != 0))
      return pc_error_set(
          err, PC_ERR_CONFIG,
          "the snapshot was published with %s %s, this host has %s %s: "
          "refused (a host must have the publisher's user_pool_id, "
          "login_claim, uid_attribute and ssh_keys_attribute)",
          KEYS[i], shown(theirs, a, sizeof(a)), KEYS[i],
          shown(mine, b, sizeof(b)));
  }
  return PC_OK;
}
