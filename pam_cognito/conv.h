/* SPDX-License-Identifier: MIT */
/* The lib/ prompter, implemented with the PAM conversation. */
#ifndef PAM_COGNITO_CONV_H
#define PAM_COGNITO_CONV_H

#include "login/login.h"
#include "module.h"

/* Fill p so that its questions and messages go through m's conversation. */
void pc_conv_prompter(struct pc_module *m, struct pc_prompter *p);

/* Show a message to the user; kind is PC_TELL_* bits (login/login.h). Under
 * PAM_SILENT only a PC_TELL_NEEDED message is shown. */
void pc_conv_tell(struct pc_module *m, int kind, const char *text);

#endif
