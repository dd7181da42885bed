/* SPDX-License-Identifier: MIT */
/* The AWS_* variables this module puts into the PAM environment belong to
 * one user, named by a marker variable set with them. One PAM handle can
 * serve more than one user: sudo authenticates the caller and opens the
 * session of the target user; util-linux login retries pam_authenticate
 * after resetting PAM_USER. The keys of one must never reach the other. */
#ifndef PAM_COGNITO_ENVOWNER_H
#define PAM_COGNITO_ENVOWNER_H

#include <security/pam_modules.h>

/* The marker: PAM_COGNITO_AWS_OWNER=<user>. */
#define PC_ENV_OWNER "PAM_COGNITO_AWS_OWNER"

/* Name user as the owner of the AWS_* variables about to be set.
 * PAM_SUCCESS or the pam_putenv error. */
int pc_envowner_set(pam_handle_t *pamh, const char *user);

/* 1 when the marker names user (the AWS_* there are user's), else 0. */
int pc_envowner_is(pam_handle_t *pamh, const char *user);

/* Start of every auth attempt: remove the AWS_* variables this module set
 * and the marker, whoever they belonged to. Variables that came without
 * the marker are not ours and stay. */
void pc_envowner_drop(pam_handle_t *pamh);

/* setcred and open_session: when the marker names anyone but PAM_USER,
 * drop as above (with a syslog line saying whose keys went). */
void pc_envowner_enforce(pam_handle_t *pamh);

#endif
