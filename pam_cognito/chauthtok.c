/* SPDX-License-Identifier: MIT */
/* pam_sm_chauthtok: passwd changes the Cognito password.
 *
 * Linux-PAM calls this twice. PAM_PRELIM_CHECK proves the current password
 * with a full login (which may meet MFA challenges) and keeps the access
 * token; PAM_UPDATE_AUTHTOK asks for the new password and calls
 * ChangePassword with that token. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/api.h"
#include "conv.h"
#include "login/login.h"
#include "logname.h"
#include "module.h"
#include "admit/offline_login.h"
#include "login/change_password.h"
#include "result.h"
#include "base/secret.h"
#include "signin.h"

#define ACCESS_DATA "pam_cognito_chauthtok_access"

static void cleanup_secret(pam_handle_t *pamh, void *data, int status) {
  char *s = data;
  (void)pamh;
  (void)status;
  pc_free_secret(&s);
}

/* Log in with the current password; on success keep the access token for
 * the update phase. */
static int prove_current(struct pc_module *m, const char *user,
                         struct pc_client *cl) {
  struct pc_login_result r;
  const char *old = NULL;
  enum pc_status st;
  char *token, text[1024];
  int rc;

  if (getuid() == 0 && strcmp(user, "root") != 0)
    pc_conv_tell(m, PC_TELL_INFO,
                 "Changing a Cognito password needs the user's current "
                 "password: this host holds no administrator keys.");
  pc_module_conv_begin(m);
  rc = pam_get_authtok(m->pamh, PAM_OLDAUTHTOK, &old, "Current password: ");
  pc_module_conv_end(m);
  if (rc != PAM_SUCCESS || !old || !*old)
    return pc_signin_authtok_error(m, rc, "current password");
  st = pc_signin(m, cl, user, old, &r);
  if (st != PC_OK) {
    pam_syslog(m->pamh, st == PC_ERR_AUTH ? LOG_NOTICE : LOG_ERR,
               "password change refused; user=%s: current password not "
               "accepted: %s: %s",
               pc_log_user(m, user), pc_status_str(st),
               pc_error_text(&r.err, text, sizeof(text)));
    if (!pc_signin_tell_error(m, &r.err) && st == PC_ERR_AUTH)
      pc_conv_tell(m, PC_TELL_ERROR, "The current password is not correct.");
    rc = pc_pam_result(st);
  } else if (r.new_password) {
    /* A temporary password: the login itself set the new one. */
    pc_conv_tell(m, PC_TELL_INFO, "Your Cognito password has been changed.");
    rc = pam_set_item(m->pamh, PAM_AUTHTOK, r.new_password);
    if (rc == PAM_SUCCESS)
      rc = pam_set_data(m->pamh, ACCESS_DATA, NULL, NULL);
  } else if (!(token = strdup(r.tokens.access_token))) {
    rc = PAM_BUF_ERR;
  } else {
    rc = pam_set_data(m->pamh, ACCESS_DATA, token, cleanup_secret);
  }
  pc_login_result_free(&r);
  return rc;
}

/* One attempt at the new password: PAM_SUCCESS, PAM_TRY_AGAIN (ask again)
 * or a final error. */
static int try_new(struct pc_module *m, const char *user, struct pc_client *cl,
                   const char *token) {
  struct pc_error err;
  const char *old = NULL, *new = NULL;
  char text[1024];
  enum pc_status st;
  int rc;

  rc = pam_get_item(m->pamh, PAM_OLDAUTHTOK, (const void **)&old);
  if (rc != PAM_SUCCESS || !old)
    return PAM_AUTHTOK_ERR;
  pc_module_conv_begin(m);
  rc = pam_get_authtok(m->pamh, PAM_AUTHTOK, &new, NULL);
  pc_module_conv_end(m);
  if (rc == PAM_TRY_AGAIN || rc == PAM_AUTHTOK_RECOVERY_ERR)
    return PAM_TRY_AGAIN; /* the two entries differed */
  if (rc != PAM_SUCCESS || !new)
    return rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE : PAM_AUTHTOK_ERR;
  if (!*new) {
    pc_conv_tell(m, PC_TELL_ERROR,
                 "No password given; the password was not changed.");
    return PAM_AUTHTOK_ERR;
  }
  st = pc_change_password(cl, token, old, new, &err);
  if (st == PC_OK) {
    pam_syslog(m->pamh, LOG_NOTICE, "Cognito password changed for user=%s",
               pc_log_user(m, user));
    pc_conv_tell(m, PC_TELL_INFO, "Your Cognito password has been changed.");
    /* The offline verifier follows the new password. */
    if (m->has_local && pc_offline_repassword(&m->cfg, user, m->uid, new) < 0)
      pam_syslog(m->pamh, LOG_WARNING,
                 "user=%s: offline verifier not updated; offline login "
                 "accepts neither password until the next login",
                 pc_log_user(m, user));
    return PAM_SUCCESS;
  }
  pam_syslog(m->pamh, LOG_NOTICE, "password change refused; user=%s: %s",
             pc_log_user(m, user), pc_error_text(&err, text, sizeof(text)));
  pam_set_item(m->pamh, PAM_AUTHTOK, NULL);
  rc = pc_pam_result_chauthtok(st, m->use_authtok);
  if (st == PC_ERR_INVALID_PASSWORD)
    pc_conv_tell(
        m, 1, err.message[0] ? err.message : "The new password was rejected.");
  else if (rc == PAM_AUTHINFO_UNAVAIL)
    /* The request may have reached Cognito before the answer was lost
     * (a timeout, a reset, a garbled reply): say so, do not guess. */
    pc_conv_tell(m, PC_TELL_ERROR,
                 "No clear answer from the Cognito sign-in service; the "
                 "password may or may not have been changed: try the new "
                 "one at your next login, then the old one.");
  else if (st == PC_ERR_LIMIT)
    pc_conv_tell(m, PC_TELL_ERROR, "Too many attempts; try again later.");
  else {
    (void)pc_signin_tell_error(m, &err); /* a lockout, a revoked session */
    pc_conv_tell(m, PC_TELL_ERROR, "The password was not changed.");
  }
  return rc;
}

static int update(struct pc_module *m, const char *user, struct pc_client *cl) {
  const void *token = NULL;
  int rc, try;

  if (pam_get_data(m->pamh, ACCESS_DATA, &token) != PAM_SUCCESS) {
    /* No preliminary check ran in this process: do it now. */
    rc = prove_current(m, user, cl);
    if (rc != PAM_SUCCESS)
      return rc;
    pam_get_data(m->pamh, ACCESS_DATA, &token);
  }
  if (!token)
    return PAM_SUCCESS; /* changed during the login (temporary password) */
  for (try = 1; try <= m->cfg.max_attempts; try++) {
    rc = try_new(m, user, cl, token);
    if (rc != PAM_TRY_AGAIN)
      return rc;
    if (m->use_authtok)
      return PAM_AUTHTOK_ERR;
  }
  pc_conv_tell(m, PC_TELL_ERROR,
               "Too many failed attempts; the password was not "
               "changed.");
  return PAM_AUTHTOK_ERR;
}

int pc_chauthtok(struct pc_module *m) {
  struct pc_client cl;
  const char *user = NULL;
  int rc;

  /* Cognito passwords do not age: an "expired only" change has nothing to do
   * here (a temporary password is handled at login). */
  if (m->flags & PAM_CHANGE_EXPIRED_AUTHTOK) {
    pc_debug(m, "PAM_CHANGE_EXPIRED_AUTHTOK: Cognito passwords do not expire");
    return PAM_IGNORE;
  }
  if ((rc = pc_module_user(m, &user)) != PAM_SUCCESS)
    return rc;
  if ((rc = pc_module_client(m, &cl)) != PAM_SUCCESS)
    return rc;
  if (m->flags & PAM_PRELIM_CHECK)
    rc = prove_current(m, user, &cl);
  else if (m->flags & PAM_UPDATE_AUTHTOK)
    rc = update(m, user, &cl);
  else
    rc = PAM_SERVICE_ERR;
  pc_client_free(&cl);
  return rc;
}
