/* SPDX-License-Identifier: MIT */
/* ChangePassword: the user's own password change, authorised by the access
 * token of a login with the current password. */
#ifndef PAM_COGNITO_CHANGE_PASSWORD_H
#define PAM_COGNITO_CHANGE_PASSWORD_H

#include "net/api.h"

/* PC_OK, or PC_ERR_INVALID_PASSWORD (err->message says which rule),
 * PC_ERR_AUTH (wrong current password, bad token), PC_ERR_LIMIT, ... */
enum pc_status
pc_change_password(struct pc_client *cl, const char *access_token,
                   const char *old_password, const char *new_password,
                   struct pc_error *err) __attribute__((warn_unused_result));

#endif
