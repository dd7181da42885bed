/* SPDX-License-Identifier: MIT */
/* uidrule: which local uids may be Cognito's. Below min_uid are the
 * system's accounts; the block 60000-65535 is never anyone's to claim
 * (Debian's reserved ids, nobody, systemd's dynamic users), nor is the
 * kernel's overflow uid, wherever it is set; above max_uid is the
 * administrator's own limit. The module answers PAM_IGNORE for all of
 * them before any prompt or request, and the sync tool's uid range must
 * stay clear of them. */
#ifndef PAM_COGNITO_UIDRULE_H
#define PAM_COGNITO_UIDRULE_H

#include <stddef.h>

#include "cfg.h"

#define PC_UID_RESERVED_FIRST 60000L
#define PC_UID_RESERVED_LAST 65535L

/* The kernel's overflow uid (/proc/sys/kernel/overflowuid); 65534 when it
 * cannot be read. */
long long pc_uid_overflow(void);

/* 1 when uid is in the reserved block, is the overflow uid or is the
 * invalid uid (uid_t)-1; else 0. */
int pc_uid_reserved(long long uid);

/* NULL when uid may be Cognito's under cfg; else why not, for a log line
 * ("below min_uid", "reserved", "above max_uid"). */
const char *pc_uid_not_cognitos(const struct pc_config *cfg, long long uid);

/* The sync tool's range uid_min..uid_max clear of the reserved uids (a
 * check for every configuration: the default range is clear of them): 0,
 * or -1 with err saying which bound to move. */
int pc_uid_range_reserved(const struct pc_config *cfg, char *err,
                          size_t errlen);

/* The same, and the range at or below max_uid (the sync tool's check: the
 * module alone never uses the range, so a max_uid below the default range
 * does not stop it): 0 or -1 with err set. */
int pc_uid_range_check(const struct pc_config *cfg, char *err, size_t errlen);

#endif
