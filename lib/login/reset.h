/* SPDX-License-Identifier: MIT */
/* Self-service password reset at the prompt (`password_reset`): after
 * PasswordResetRequiredException and the user's yes, ForgotPassword sends
 * a code, the user types it and a new password, ConfirmForgotPassword sets
 * it. */
#ifndef PAM_COGNITO_RESET_H
#define PAM_COGNITO_RESET_H

#include "login/login_internal.h"

/* Run the reset for l's user. PC_OK with *new_password (a heap string to
 * wipe) set to the password the account now has; the caller then logs in
 * with it. An error status otherwise, the user told why. */
enum pc_status pc_reset_password(struct login *l, char **new_password)
    __attribute__((warn_unused_result));

#endif
