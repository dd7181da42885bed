/* SPDX-License-Identifier: MIT */
/* localuser: the local account behind a PAM user name (NSS), without PAM. */
#ifndef PAM_COGNITO_LOCALUSER_H
#define PAM_COGNITO_LOCALUSER_H

#include <sys/types.h>

/* 0 with *uid and *gid set when name has a local account, 1 when it has
 * none, -1 when the lookup itself failed (NSS error, no memory). */
int pc_local_user(const char *name, uid_t *uid, gid_t *gid)
    __attribute__((warn_unused_result));

#endif
