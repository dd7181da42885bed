/* pam_sm_authenticate: the password (and any challenge) against the pool. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "conv.h"
#include "login.h"
#include "module.h"
#include "result.h"
#include "secret.h"
#include "session.h"

/* sshd sends this in place of the password of a user it does not know, or
 * when the password is refused by its own rules: fail without a network
 * call. No real password contains these control characters. */
static int placeholder_password(const char *pw) {
  return strpbrk(pw, "\b\n\r\177") != NULL;
}

static void log_failure(struct pc_module *m, const char *user,
                        enum pc_status st, const struct pc_login_result *r) {
  const void *rhost = NULL;
  int prio = st == PC_ERR_UNAVAIL || st == PC_ERR_PROTOCOL ||
                     st == PC_ERR_CONFIG || st == PC_ERR_INVALID_PARAM ||
                     st == PC_ERR_LIMIT
                 ? LOG_ERR
                 : LOG_NOTICE;

  pam_get_item(m->pamh, PAM_RHOST, &rhost);
  if (st == PC_ERR_USER_UNKNOWN) {
    pam_syslog(m->pamh, LOG_NOTICE,
               "authentication failure; rhost=%s: "
               "user unknown to the user pool",
               rhost ? (const char *)rhost : "");
    return;
  }
  pam_syslog(m->pamh, prio,
             "authentication failure; user=%s rhost=%s: %s%s%s%s%s", user,
             rhost ? (const char *)rhost : "", pc_status_str(st),
             r->challenge[0] ? " during " : "", r->challenge,
             r->detail[0] ? ": " : "", r->detail);
}

/* A few failures deserve words for the user; a wrong password does not
 * (it would help an attacker and is never said by pam_unix either). */
static void tell_failure(struct pc_module *m, enum pc_status st) {
  if (st == PC_ERR_UNAVAIL || st == PC_ERR_PROTOCOL || st == PC_ERR_LIMIT)
    pc_conv_tell(m, 1,
                 "The Cognito sign-in service cannot be reached or "
                 "answered unexpectedly; try again later.");
  else if (st == PC_ERR_PASSWORD_RESET)
    pc_conv_tell(m, 1, "Your password must be reset before you can log in.");
  else if (st == PC_ERR_USER_NOT_CONFIRMED)
    pc_conv_tell(m, 1, "Your account is not confirmed yet.");
}

int pc_authenticate(struct pc_module *m) {
  struct pc_client cl;
  struct pc_prompter p;
  struct pc_login_result r;
  struct pc_login_opts o;
  const char *user = NULL, *pw = NULL;
  enum pc_status st;
  int rc;

  memset(&r, 0, sizeof(r));
  if ((rc = pc_module_user(m, &user)) != PAM_SUCCESS)
    return rc;
  pam_fail_delay(m->pamh, 2000000);
  rc = pam_get_authtok(m->pamh, PAM_AUTHTOK, &pw, NULL);
  if (rc != PAM_SUCCESS || !pw) {
    pc_debug(m, "no password: %s", pam_strerror(m->pamh, rc));
    return rc == PAM_CONV_AGAIN ? PAM_INCOMPLETE
           : rc == PAM_CONV_ERR ? PAM_CONV_ERR
                                : PAM_AUTH_ERR;
  }
  if (!*pw || placeholder_password(pw)) {
    pam_syslog(m->pamh, LOG_NOTICE, "authentication failure; user=%s: %s", user,
               *pw ? "placeholder password from the application"
                   : "empty password");
    return PAM_AUTH_ERR;
  }
  if ((rc = pc_module_client(m, &cl)) != PAM_SUCCESS)
    return rc;
  pc_conv_prompter(m, &p);
  memset(&o, 0, sizeof(o));
  o.username = user;
  o.password = pw;
  o.max_attempts = (int)m->cfg.max_attempts;
  pc_debug(m, "logging in user=%s with %s", user,
           m->cfg.auth_flow == PC_FLOW_SRP ? "USER_SRP_AUTH"
                                           : "USER_PASSWORD_AUTH");
  st = pc_login(&cl, &o, &p, &r);
  if (st == PC_OK && r.new_password) {
    /* Stacked modules see the password the user now has. */
    rc = pam_set_item(m->pamh, PAM_AUTHTOK, r.new_password);
    if (rc != PAM_SUCCESS)
      st = PC_ERR_NOMEM;
  }
  if (st == PC_OK) {
    /* The tokens are not kept in memory: the session stages read what they
     * need from the cache (sshd runs them in another process anyway). */
    rc = pc_session_after_auth(m, user, &cl, &r.tokens);
    if (rc == PAM_SUCCESS) /* else credentials_required denied it */
      pc_debug(m, "user=%s authenticated", user);
  } else {
    log_failure(m, user, st, &r);
    tell_failure(m, st);
    rc = pc_pam_result(st);
  }
  pc_login_result_free(&r);
  pc_client_free(&cl);
  return rc;
}
