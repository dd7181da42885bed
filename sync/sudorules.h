/* SPDX-License-Identifier: MIT */
/* sudo_rules: the host's rule bodies given to the synced, admitted members
 * of pool groups, as one sudoers file (/etc/sudoers.d/pam_cognito, 0440
 * root's) that visudo checks before it goes into place. The pool decides
 * who is a member; only this host's configuration says what a member may
 * do. */
#ifndef PAM_COGNITO_SUDORULES_H
#define PAM_COGNITO_SUDORULES_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "config/syncstate.h"

#define PC_SUDOERS_FILE "/etc/sudoers.d/pam_cognito"
#define PC_VISUDO "/usr/sbin/visudo"

/* Every group of sudo_rules and local_groups is one this host syncs
 * (synced: nss_groups, or allowed_groups). PC_OK, or PC_ERR_CONFIG with
 * err. */
enum pc_status pc_fleet_check_groups(const struct pc_config *cfg,
                                     char *const *synced, struct pc_error *err)
    __attribute__((warn_unused_result));

/* Stage the sudoers file for st at path (a temporary file beside it, 0440
 * root's) and check it with visudo -cf. PC_OK with the temporary path
 * (heap, for pc_nss_commit_file) in *tmp, or NULL there when sudo_rules is
 * not set; a status with err (what visudo said) otherwise. */
enum pc_status pc_sudo_stage(const struct pc_config *cfg,
                             const struct pc_syncstate *st, const char *path,
                             char **tmp, struct pc_error *err)
    __attribute__((warn_unused_result));

/* Without sudo_rules: remove an earlier run's file at path, so that no rule
 * stays in force. PC_OK (*removed: 1 when there was one), or a status with
 * err. */
enum pc_status pc_sudo_remove(const char *path, int *removed,
                              struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
