/* SPDX-License-Identifier: MIT */
/* claimrule: when a login_claim value may name anyone. The module's access
 * decision and the sync tool's snapshot ask the same question. */
#ifndef PAM_COGNITO_CLAIMRULE_H
#define PAM_COGNITO_CLAIMRULE_H

/* The flag that must be "true" before a login_claim value names anyone (a
 * user writes their own email; Cognito marks it unverified), or NULL when
 * the claim needs none. */
const char *pc_claim_verified_flag(const char *claim);

#endif
