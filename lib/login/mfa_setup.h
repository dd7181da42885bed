/* SPDX-License-Identifier: MIT */
/* MFA enrolment at the prompt (the MFA_SETUP challenge, `mfa_setup`): an
 * authenticator app (AssociateSoftwareToken, VerifySoftwareToken) or, where
 * the pool offers it, email codes. */
#ifndef PAM_COGNITO_MFA_SETUP_H
#define PAM_COGNITO_MFA_SETUP_H

#include "login/login_internal.h"

/* Answer MFA_SETUP. PC_OK once the challenge was answered (l->resp holds
 * the next step: tokens, or an EMAIL_OTP code to enter); an error status
 * otherwise, the user told why. */
enum pc_status pc_mfa_setup(struct login *l, json_object *params)
    __attribute__((warn_unused_result));

/* "otpauth://totp/ISSUER:USER?secret=SECRET&issuer=ISSUER" with issuer and
 * user percent-encoded; a heap string (it holds the secret) or NULL. */
char *pc_mfa_otpauth_uri(const char *issuer, const char *user,
                         const char *secret);

#endif
