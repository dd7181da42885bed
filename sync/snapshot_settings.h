/* SPDX-License-Identifier: MIT */
/* The publisher's settings a snapshot is only right under: which pool, and
 * which attributes the names, uids and SSH keys were read from. They are
 * signed with the snapshot (a "Settings" object in its document), and a
 * host whose own configuration says otherwise refuses it: a host with
 * another uid_attribute would otherwise give users uids that mean
 * something else. The groups need no entry: the snapshot names the groups
 * it holds and a host refuses one that lacks a group it syncs. */
#ifndef PAM_COGNITO_SNAPSHOT_SETTINGS_H
#define PAM_COGNITO_SNAPSHOT_SETTINGS_H

#include <json-c/json.h>
#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"

/* cfg's settings as the object the publisher signs: each key with its
 * value, or null when unset. NULL when out of memory. */
json_object *pc_snapshot_settings(const struct pc_config *cfg);

/* The document's Settings (root's "Settings" member) against cfg, the
 * host's configuration. PC_OK when every key is there and equal;
 * PC_ERR_PROTOCOL when Settings is missing or malformed; PC_ERR_CONFIG
 * naming the first key that differs and both values. */
enum pc_status pc_snapshot_settings_check(json_object *root,
                                          const struct pc_config *cfg,
                                          struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
