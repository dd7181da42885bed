/* SPDX-License-Identifier: MIT */
/* lib/ status -> PAM return code, in one place (one table per stage). */
#ifndef PAM_COGNITO_RESULT_H
#define PAM_COGNITO_RESULT_H

#include "base/status.h"

/* The PAM code for st in the auth stage. Never PAM_SUCCESS for an error. */
int pc_pam_result(enum pc_status st);

/* The PAM code for the outcome of ChangePassword in the password stage:
 * PAM_TRY_AGAIN for a policy refusal the module may ask again for (not
 * with use_authtok), PAM_AUTHINFO_UNAVAIL when no clear answer came,
 * PAM_AUTHTOK_ERR otherwise. Never PAM_SUCCESS for an error. */
int pc_pam_result_chauthtok(enum pc_status st, int use_authtok);

#endif
