/* SPDX-License-Identifier: MIT */
/* Names in log lines. fail2ban and its kind read `rhost=` out of our
 * syslog lines, so the remote host comes first and nothing a user chose
 * can look like it: the user name is quoted, and every byte outside a
 * small safe set is written \xHH (a user named `mallory rhost=203.0.113.9`
 * is logged as "mallory\x20rhost\x3d203.0.113.9"). A name is shown only
 * once it is known to be a name: the PAM user has a local account, or the
 * pool accepted the sign-in. A password typed at the login prompt is
 * neither, and never reaches syslog. */
#ifndef PAM_COGNITO_LOGNAME_H
#define PAM_COGNITO_LOGNAME_H

#include "module.h"

/* user, quoted and escaped, or "(unverified)" (a string in m, valid until
 * the next call). */
const char *pc_log_user(struct pc_module *m, const char *user);

/* PAM_RHOST escaped the same way without quotes ("" when unset). */
const char *pc_log_rhost(struct pc_module *m);

#endif
