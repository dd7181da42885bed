/* SPDX-License-Identifier: MIT */
/* revoke_on_logout in the session stages: open_session counts the session
 * in, close_session counts it out, and the user's last session out revokes
 * the refresh token and clears the cached credentials
 * (lib/admit/logout_revoke.h). */
#include "config.h"

#include "admit/logout_revoke.h"
#include "logname.h"
#include "module.h"

void pc_logout_opened(struct pc_module *m) {
  const char *user = NULL;
  struct pc_error why;
  int live = 0;

  if (!m->cfg.revoke_on_logout || pc_module_user(m, &user) != PAM_SUCCESS)
    return;
  if (pc_logout_session_open(m->cfg.cache_dir, user, &live, &why))
    pam_syslog(m->pamh, LOG_WARNING,
               "session of user=%s not counted for revoke_on_logout: %s",
               pc_log_user(m, user), why.detail);
  else
    pc_debug(m, "user=%s has %d open session(s) here", pc_log_user(m, user),
             live);
}

int pc_close_session(struct pc_module *m) {
  const char *user = NULL;
  struct pc_error err;
  struct pc_error why;
  int live = 0, revoked = 0, rc;

  if (!m->cfg.revoke_on_logout)
    return PAM_SUCCESS;
  if ((rc = pc_module_user(m, &user)) != PAM_SUCCESS)
    return rc;
  /* Without the count, other sessions may still be open: keep the token. */
  if (pc_logout_session_close(m->cfg.cache_dir, user, &live, &why)) {
    pam_syslog(m->pamh, LOG_WARNING,
               "user=%s: sessions not counted, refresh token kept: %s",
               pc_log_user(m, user), why.detail);
    return PAM_SESSION_ERR;
  }
  if (live > 0) {
    pc_debug(m, "user=%s: %d other session(s) open, refresh token kept",
             pc_log_user(m, user), live);
    return PAM_SUCCESS;
  }
  if (pc_logout_user(&m->cfg, user, &revoked, &err) != PC_OK) {
    pam_syslog(m->pamh, LOG_WARNING, "logout of user=%s: %s",
               pc_log_user(m, user), err.detail);
    return PAM_SESSION_ERR;
  }
  pam_syslog(m->pamh, LOG_INFO,
             "user=%s logged out: %s, cached credentials "
             "removed",
             pc_log_user(m, user),
             revoked ? "refresh token revoked"
                     : "no refresh token was kept here");
  return PAM_SUCCESS;
}
