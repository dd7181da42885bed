/* SPDX-License-Identifier: MIT */
/* fleetmaps: the text forms of sudo_rules (pool group -> a sudoers rule
 * body) and local_groups (pool group -> local group names), checked at
 * config load. Both are kept as NULL-terminated lists of "group=value"
 * strings, value a rule body or "name,name,...". */
#ifndef PAM_COGNITO_FLEETMAPS_H
#define PAM_COGNITO_FLEETMAPS_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"

/* Most entries, longest pool group name, longest rule body. */
#define PC_FLEET_MAX 64
#define PC_FLEET_GROUP_MAX 128
#define PC_FLEET_RULE_MAX 1024
/* Local group names as useradd takes them, at most this many per group. */
#define PC_FLEET_LOCAL_MAX 16

enum pc_fleet_map { PC_FLEET_SUDO, PC_FLEET_GROUPS };

/* The text form ("group=value" lines) -> a new NULL-terminated list. A pool
 * group is 1..128 printable characters without blanks or '='; a rule body
 * is printable ASCII without '\\' (no line continuation), at most 1024;
 * local group names are 1..32 of a-z, 0-9, '_', '-' with a letter or '_'
 * first. PC_OK, or PC_ERR_CONFIG with a message naming key and entry in
 * err. */
enum pc_status pc_fleet_map_parse(enum pc_fleet_map kind, const char *text,
                                  char ***out, struct pc_error *err)
    __attribute__((warn_unused_result));

/* The value of group in map (a list of "group=value"), or NULL. */
const char *pc_fleet_map_get(char *const *map, const char *group);

#endif
