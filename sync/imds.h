/* SPDX-License-Identifier: MIT */
/* imds: EC2 instance metadata (IMDSv2 only), the instance role's keys, the
 * last source of the sync tool's credential chain (aws_chain.c). */
#ifndef PAM_COGNITO_IMDS_H
#define PAM_COGNITO_IMDS_H

#include <stddef.h>

#include "base/error.h"
#include "base/status.h"
#include "sync/aws_keys.h"

/* IMDSv2: token, role name, role credentials. */
enum pc_status pc_imds_fetch(const char *endpoint, long timeout,
                             struct pc_chain_creds *c, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
