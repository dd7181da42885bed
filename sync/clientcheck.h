/* SPDX-License-Identifier: MIT */
/* The app-client check of a direct run (no client lets its users write an
 * attribute the sync trusts, adminapi.h's pc_admin_clients_write) made at
 * most every few hours instead of every run: its ListUserPoolClients and
 * DescribeUserPoolClient calls fall in Cognito's UserPoolClientRead
 * category (docs/SCALE.md), whose quota a fleet checking every run passes.
 * A passed check is remembered root-only in
 * <nss_dir>/pam_cognito-sync.clientcheck ("<expires> <fingerprint>") until
 * 3 to 4 hours later (jittered, so a fleet's checks stay spread) or until
 * the configuration it was made for (pool, endpoint, client, the trusted
 * attributes) changes; a failed check forgets it. */
#ifndef PAM_COGNITO_CLIENTCHECK_H
#define PAM_COGNITO_CLIENTCHECK_H

#include "base/error.h"
#include "base/status.h"
#include "config/cfg.h"
#include "net/api.h"

#define PC_CLIENTCHECK_TTL 14400 /* seconds: the longest a pass is kept */

/* The check for attrs/roles (NULL-terminated, as pc_admin_clients_write's)
 * at time now: with keep, *cached 1 with *expires when a remembered pass
 * stands (no request), else made with cl (requests counted in *pages) and,
 * with keep, remembered when it passes (nss_dir created if need be). PC_OK, or
 * pc_admin_clients_write's failure (err). A state that cannot be written costs
 * only the next run's requests: said in *note (err-sized, "" when none). */
enum pc_status pc_clientcheck(struct pc_client *cl, const struct pc_config *cfg,
                              const char *const *attrs,
                              const char *const *roles, int keep, long long now,
                              long *pages, int *cached, long long *expires,
                              struct pc_error *note, struct pc_error *err)
    __attribute__((warn_unused_result));

#endif
