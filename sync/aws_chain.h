/* SPDX-License-Identifier: MIT */
/* AWS credentials for the admin API (pam_cognito-sync), from the standard
 * chain: environment, shared credentials file, EC2 instance metadata
 * (IMDSv2). */
#ifndef PAM_COGNITO_AWS_CHAIN_H
#define PAM_COGNITO_AWS_CHAIN_H

#include <stddef.h>
#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "sync/aws_keys.h"

/* Fill c from the first source that has credentials:
 *  1. AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN);
 *  2. the profile AWS_PROFILE (default "default") of
 *     AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials);
 *  3. IMDSv2 at cfg->imds_endpoint (default http://169.254.169.254), unless
 *     AWS_EC2_METADATA_DISABLED=true.
 * A source that is present but broken (half the keys, an unreadable file, a
 * metadata answer that is not Success) is an error, not a reason to try the
 * next one: the tool must not run as someone unexpected. PC_OK, or a status
 * with a message in err. */
enum pc_status pc_chain_creds_load(const struct pc_config *cfg,
                                   struct pc_chain_creds *c,
                                   struct pc_error *err)
    __attribute__((warn_unused_result));

/* The profile of a shared credentials file (INI text) into c: PC_OK found,
 * PC_ABSENT no such profile, else malformed (message in err). Exposed for
 * unit tests. */
enum pc_status pc_chain_creds_parse_ini(const char *text, const char *profile,
                                        struct pc_chain_creds *c,
                                        struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
