/* SPDX-License-Identifier: MIT */
/* Offline login at the PAM layer: when the online login could not reach
 * Cognito, try the cached verifier (lib/admit/offline_login.h) and say what
 * happened, to the user and to syslog. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "admit/access.h"
#include "conv.h"
#include "logname.h"
#include "module.h"
#include "admit/offline_login.h"
#include "net/unavail.h"

int pc_module_offline(struct pc_module *m, const char *user,
                      const char *password, enum pc_status online,
                      const struct pc_error *err) {
  enum pc_offline_result res;
  time_t last = 0;
  struct tm tm;
  struct pc_error why;
  char when[64], msg[160];
  int can_signal = pc_user_can_signal();

  if (m->cfg.offline_days <= 0 || !m->has_local)
    return -1;
  if (online == PC_ERR_AUTH || online == PC_ERR_USER_UNKNOWN ||
      online == PC_ERR_PASSWORD_RESET) {
    /* Cognito answered no. If it refused the very password we cached, the
     * password was changed or reset elsewhere: the verifier goes. */
    if (pc_offline_refused(&m->cfg, user, m->uid, password))
      pam_syslog(m->pamh, LOG_NOTICE,
                 "user=%s: Cognito refused the cached password; offline "
                 "verifier deleted",
                 pc_log_user(m, user));
    return -1;
  }
  if (online != PC_ERR_UNAVAIL || !pc_error_cognito_down(err, can_signal)) {
    /* Only an outage the user cannot fake opens the verifier. */
    if (pc_status_no_answer(online))
      pam_syslog(m->pamh, LOG_NOTICE, "user=%s: no offline login: %s",
                 pc_log_user(m, user), pc_error_not_down_why(err, can_signal));
    return -1;
  }
  pc_error_clear(&why);
  res = pc_offline_login(&m->cfg, user, m->uid, password, time(NULL), &last,
                         &why);
  if (res == PC_OFFLINE_NONE) {
    pc_debug(m, "user=%s: no offline login: %s", pc_log_user(m, user),
             why.detail);
    return -1;
  }
  if (res != PC_OFFLINE_OK) {
    pam_syslog(m->pamh, LOG_NOTICE,
               "offline authentication failure; rhost=%s user=%s: %s",
               pc_log_rhost(m), pc_log_user(m, user), why.detail);
    if (res == PC_OFFLINE_LOCKED)
      pc_conv_tell(m, PC_TELL_ERROR,
                   "Cognito cannot be reached, and offline login is locked "
                   "after too many wrong passwords.");
    else if (res == PC_OFFLINE_TOO_OLD || res == PC_OFFLINE_MFA)
      pc_conv_tell(m, PC_TELL_ERROR,
                   "Cognito cannot be reached, and offline login is not "
                   "allowed for this account.");
    return res == PC_OFFLINE_ERROR ? PAM_AUTHINFO_UNAVAIL : PAM_AUTH_ERR;
  }
  if (gmtime_r(&last, &tm) == NULL ||
      strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm) == 0)
    (void)snprintf(when, sizeof when, "%lld", (long long)last);
  (void)snprintf(msg, sizeof msg,
                 "Cognito cannot be reached; logged in with cached "
                 "credentials (last online login: %s).",
                 when);
  pc_conv_tell(m, PC_TELL_INFO, msg);
  pam_syslog(m->pamh, LOG_WARNING,
             "offline authentication; rhost=%s user=%s: Cognito unreachable "
             "(%s); %s",
             pc_log_rhost(m), pc_log_user(m, user), pc_cause_str(err->cause),
             why.detail);
  return pc_module_mark_admitted(m, user);
}
