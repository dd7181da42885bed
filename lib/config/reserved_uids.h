/* SPDX-License-Identifier: MIT */
/* reserved_uids: the uids that are never Cognito's whatever the
 * configuration says (uidrule.h applies them with min_uid and max_uid;
 * the configuration checks the sync tool's range against them at load). */
#ifndef PAM_COGNITO_RESERVED_UIDS_H
#define PAM_COGNITO_RESERVED_UIDS_H

#include <stddef.h>

#include "base/error.h"

#define PC_UID_RESERVED_FIRST 60000L
#define PC_UID_RESERVED_LAST 65535L

/* The kernel's overflow uid (/proc/sys/kernel/overflowuid); 65534 when it
 * cannot be read. */
long long pc_uid_overflow(void);

/* 1 when uid is in the reserved block, is the overflow uid or is the
 * invalid uid (uid_t)-1; else 0. */
int pc_uid_reserved(long long uid);

/* The sync tool's range uid_min..uid_max clear of the reserved uids (a
 * check for every configuration: the default range is clear of them):
 * PC_OK, or PC_ERR_CONFIG with err saying which bound to move. */
enum pc_status pc_uid_range_reserved(long uid_min, long uid_max,
                                     struct pc_error *err);

#endif
