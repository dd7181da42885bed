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

#include <stddef.h>

/* s written into dst (n bytes, always terminated) with every byte outside
 * the safe set as \xHH, in double quotes when quote is set. */
void pc_log_escape(char *dst, size_t n, const char *s, int quote);

#endif
