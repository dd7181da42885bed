/* SPDX-License-Identifier: MIT */
/* Whether nsswitch.conf lets glibc merge the extrausers group entries
 * with /etc/group's, as local_groups needs ("group: files [SUCCESS=merge]
 * extrausers", which pam_cognito-nsswitch merge writes). Read only, for a
 * warning: the sync writes the entries either way. */
#ifndef PAM_COGNITO_NSSWITCH_H
#define PAM_COGNITO_NSSWITCH_H

#include "base/error.h"
#include "base/status.h"

/* PC_OK when the first group line of path names extrausers right after an
 * action list with SUCCESS=merge; PC_ABSENT with err saying what is
 * missing (the file, the group line, extrausers, the merge). */
enum pc_status pc_nsswitch_group_merges(const char *path, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
