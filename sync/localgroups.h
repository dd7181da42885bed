/* SPDX-License-Identifier: MIT */
/* local_groups: the admitted members of a pool group added to groups of
 * /etc (docker, say) through entries of the extrausers group file with the
 * same name and gid, which glibc merges with /etc/group's when
 * nsswitch.conf says "group: files [SUCCESS=merge] extrausers". */
#ifndef PAM_COGNITO_LOCALGROUPS_H
#define PAM_COGNITO_LOCALGROUPS_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "config/syncstate.h"
#include "sync/nssbuild.h"
#include "sync/nssfiles.h"

/* Fill db->locals from cfg->local_groups and st (admitted users only),
 * each local group looked up in etc_group: a name that is not there, or
 * the group of gid 0, is refused (PC_ERR_CONFIG with err naming it); a
 * group that grants privilege is given because local_groups names it,
 * with a line through log saying so. A local group with no member gets no
 * entry. PC_OK, or a status with err. */
enum pc_status pc_local_groups_build(const struct pc_config *cfg,
                                     const struct pc_syncstate *st,
                                     const char *etc_group, pc_nss_log_fn log,
                                     void *ud, struct pc_nss_db *db,
                                     struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
