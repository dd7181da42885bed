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

#include "base/error.h"

#include "config/cfg.h"
#include "config/reserved_uids.h"

/* NULL when uid may be Cognito's under cfg; else why not, for a log line
 * ("below min_uid", "reserved", "above max_uid"). */
const char *pc_uid_not_cognitos(const struct pc_config *cfg, long long uid);

/* The same, and the range at or below max_uid (the sync tool's check: the
 * module alone never uses the range, so a max_uid below the default range
 * does not stop it): PC_OK, or PC_ERR_CONFIG with err set. */
enum pc_status pc_uid_range_check(const struct pc_config *cfg,
                                  struct pc_error *err);

#endif
