/* SPDX-License-Identifier: MIT */
/* issued_record: the root-only record that this module's auth obtained AWS
 * credentials for a user, <cache_dir>/.private/<user>/issued.json
 * {"uid", "expiration"}. credentials.json is in the user's own area and
 * the user can write anything there, so the session stages decide
 * credentials_required on this record, never on that file (issue 22,
 * item 9). */
#ifndef PAM_COGNITO_ISSUED_RECORD_H
#define PAM_COGNITO_ISSUED_RECORD_H

#include <stddef.h>
#include <time.h>

#include "base/error.h"

/* After auth got credentials valid until expiration for user (uid: the
 * local account's, -1 without one). PC_OK, or the failure with why set. */
enum pc_status pc_issued_save(const char *base, const char *user, long long uid,
                              long long expiration, struct pc_error *why)
    __attribute__((warn_unused_result));

/* PC_OK when the record says credentials were issued to user (uid) that
 * stay valid for min_validity more seconds from now; else why not, in why
 * as well: PC_ABSENT none, PC_ERR_EXPIRED run out, PC_ERR_DENIED made for
 * another uid, PC_ERR_PROTOCOL unusable, PC_ERR_CONFIG unreadable. */
enum pc_status pc_issued_valid(const char *base, const char *user,
                               long long uid, time_t now, long min_validity,
                               struct pc_error *why)
    __attribute__((warn_unused_result));

#endif
