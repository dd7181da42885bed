/* SPDX-License-Identifier: MIT */
/* The lib/ prompter, implemented with the PAM conversation. */
#ifndef PAM_COGNITO_CONV_H
#define PAM_COGNITO_CONV_H

#include "login/login.h"
#include "module.h"

/* Fill p so that its questions and messages go through m's conversation. */
void pc_conv_prompter(struct pc_module *m, struct pc_prompter *p);

/* Show a message to the user (suppressed under PAM_SILENT). */
void pc_conv_tell(struct pc_module *m, int is_error, const char *text);

#endif
