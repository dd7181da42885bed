/* SPDX-License-Identifier: MIT */
/* lib/ status -> PAM return code, in one table. */
#ifndef PAM_COGNITO_RESULT_H
#define PAM_COGNITO_RESULT_H

#include "base/status.h"

/* The PAM code for st in the auth stage. Never PAM_SUCCESS for an error. */
int pc_pam_result(enum pc_status st);

#endif
