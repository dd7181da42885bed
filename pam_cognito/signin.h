/* SPDX-License-Identifier: MIT */
/* A Cognito login as auth and passwd run it. */
#ifndef PAM_COGNITO_SIGNIN_H
#define PAM_COGNITO_SIGNIN_H

#include "login/login.h"
#include "net/api.h"
#include "module.h"

/* pc_login for user with password, its questions through m's conversation.
 * r is filled as pc_login fills it (free it with pc_login_result_free). */
enum pc_status pc_signin(struct pc_module *m, struct pc_client *cl,
                         const char *user, const char *password,
                         struct pc_login_result *r);

/* After the host admitted user (access rules): make this host the
 * remembered device the login announced (lib/login/login.h), when
 * remember_device is on. A refused login never gets here. */
void pc_signin_remember_device(struct pc_module *m, struct pc_client *cl,
                               const char *user, struct pc_login_result *r);

/* Tell the user about a failure that deserves words (service unreachable,
 * password reset required, account not confirmed). */
void pc_signin_tell_failure(struct pc_module *m, enum pc_status st);

/* Tell the user what lib/net/api_errors.c says about e (a lockout, a disabled
 * account, a Lambda trigger's words), else pc_signin_tell_failure for
 * e->status. 1 when the table had words for it. */
int pc_signin_tell_error(struct pc_module *m, const struct pc_error *e);

/* The PAM code for a failed pam_get_authtok (what: "password", ...). */
int pc_signin_authtok_error(struct pc_module *m, int rc, const char *what);

#endif
