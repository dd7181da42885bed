/* SPDX-License-Identifier: MIT */
/* Who may log in: the admission after a successful login (auth), and
 * pam_sm_acct_mgmt, which also serves logins this module did not
 * authenticate (SSH keys). The decisions themselves are lib/'s
 * (authorize.h, admit/account_stage.h); this file maps them to PAM. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admit/account_stage.h"
#include "admit/authorize.h"
#include "conv.h"
#include "login/login.h"
#include "logname.h"
#include "module.h"
#include "admit/offline_login.h"
#include "result.h"
#include "signin.h"
#include "net/unavail.h"

/* pam_set_data key: the user this process's auth admitted. The account
 * stage of the same process (sshd's auth child, login, su) trusts it only
 * for the same PAM_USER. */
#define ADMITTED_KEY "pam_cognito_admitted"

static void free_name(pam_handle_t *pamh, void *data, int status) {
  (void)pamh;
  (void)status;
  free(data);
}

int pc_module_mark_admitted(struct pc_module *m, const char *user) {
  char *copy = strdup(user);
  int rc;

  if (copy == NULL)
    return PAM_BUF_ERR;
  rc = pam_set_data(m->pamh, ADMITTED_KEY, copy, free_name);
  if (rc != PAM_SUCCESS)
    free(copy);
  return rc;
}

int pc_module_admit(struct pc_module *m, struct pc_client *cl, const char *user,
                    const char *password, const struct pc_login_result *r) {
  const struct pc_tokens *t = &r->tokens;
  struct pc_verdict v;
  enum pc_status st;
  time_t now = time(NULL);
  struct pc_error why;
  int rc;

  st = pc_authorize(cl, user, t->id_token, now, &v);
  if (st != PC_OK) {
    pam_syslog(m->pamh, LOG_ERR,
               "authentication failure; rhost=%s user=%s: password accepted "
               "but %s",
               pc_log_rhost(m), pc_log_user(m, user),
               v.why.detail[0] ? v.why.detail : pc_status_str(st));
    pc_verdict_free(&v);
    rc = pc_pam_result(st);
    if (rc == PAM_AUTHINFO_UNAVAIL)
      pc_signin_tell_failure(m, st);
    return rc == PAM_SUCCESS ? PAM_AUTH_ERR : rc;
  }
  if (v.access != PC_ACCESS_ALLOWED) {
    /* Like a wrong password to the user; syslog says which rule. */
    pam_syslog(m->pamh, LOG_NOTICE,
               "authentication failure; rhost=%s user=%s: password accepted "
               "but access refused: %s",
               pc_log_rhost(m), pc_log_user(m, user), v.why.detail);
    pc_verdict_free(&v);
    return v.access == PC_ACCESS_NOMEM ? PAM_BUF_ERR : PAM_AUTH_ERR;
  }
  if (m->has_local &&
      pc_account_remember(&m->cfg, user, m->uid, t->refresh_token,
                          t->device_key, &v, now, &why) != 0)
    pam_syslog(m->pamh, LOG_WARNING,
               "user=%s: cannot keep the account record (%s); key logins "
               "will not be admitted until it can be written",
               pc_log_user(m, user), why.detail);
  /* The password the user has now (a forced change set a new one). */
  /* A code login proved no password: nothing to keep for offline. */
  if (m->has_local && !r->code_login &&
      pc_offline_remember(&m->cfg, user, m->uid,
                          r->new_password ? r->new_password : password,
                          r->mfa_used, v.groups, now, &why) != 0)
    pam_syslog(m->pamh, LOG_WARNING,
               "user=%s: cannot keep the offline verifier (%s)",
               pc_log_user(m, user), why.detail);
  pc_verdict_free(&v);
  return pc_module_mark_admitted(m, user);
}

static int admitted_here(struct pc_module *m, const char *user) {
  const void *data = NULL;

  return pam_get_data(m->pamh, ADMITTED_KEY, &data) == PAM_SUCCESS &&
         data != NULL && strcmp((const char *)data, user) == 0;
}

static int unknown_user(struct pc_module *m, const char *user,
                        const char *why) {
  if (m->cfg.account_required) {
    pam_syslog(m->pamh, LOG_NOTICE,
               "account denied; rhost=%s user=%s: %s (account_required)",
               pc_log_rhost(m), pc_log_user(m, user), why);
    return PAM_PERM_DENIED;
  }
  pc_debug(m, "user=%s: %s", pc_log_user(m, user), why);
  return PAM_USER_UNKNOWN;
}

int pc_acct_mgmt(struct pc_module *m) {
  struct pc_usercontext ctx = {NULL, NULL, NULL};
  struct pc_client cl;
  const char *user = NULL;
  enum pc_account_result res;
  struct pc_error why;
  int rc, graced = 0;

  if ((rc = pc_module_user(m, &user)) != PAM_SUCCESS)
    return rc;
  if (admitted_here(m, user)) {
    pc_debug(m, "user=%s admitted by this process's authentication",
             pc_log_user(m, user));
    return PAM_SUCCESS;
  }
  if (!m->has_local)
    return unknown_user(m, user, "no local account");
  if ((rc = pc_module_client(m, &cl)) != PAM_SUCCESS)
    return rc;
  pc_error_clear(&why);
  /* Who renews, from where: for the pool's ClientMetadata. */
  ctx.user = user;
  (void)pam_get_item(m->pamh, PAM_SERVICE, (const void **)&ctx.service);
  (void)pam_get_item(m->pamh, PAM_RHOST, (const void **)&ctx.rhost);
  res = pc_account_check(&cl, user, m->uid, time(NULL), &ctx,
                         pc_user_can_signal(), &graced, &why);
  pc_client_free(&cl);
  switch (res) {
  case PC_ACCOUNT_OK:
    if (graced)
      pam_syslog(m->pamh, LOG_WARNING, "account admitted; user=%s: %s",
                 pc_log_user(m, user), why.detail);
    else
      pc_debug(m, "user=%s: %s", pc_log_user(m, user), why.detail);
    return PAM_SUCCESS;
  case PC_ACCOUNT_NOT_ALLOWED:
    pam_syslog(m->pamh, LOG_NOTICE, "account denied; rhost=%s user=%s: %s",
               pc_log_rhost(m), pc_log_user(m, user), why.detail);
    return PAM_PERM_DENIED;
  case PC_ACCOUNT_EXPIRED:
    pam_syslog(m->pamh, LOG_NOTICE, "account expired; rhost=%s user=%s: %s",
               pc_log_rhost(m), pc_log_user(m, user), why.detail);
    pc_conv_tell(m, PC_TELL_ERROR,
                 "Your Cognito sign-in is no longer valid (account disabled "
                 "or sign-in revoked).");
    return PAM_ACCT_EXPIRED;
  case PC_ACCOUNT_STALE:
  case PC_ACCOUNT_DENIED:
    pam_syslog(m->pamh, LOG_ERR, "account denied; rhost=%s user=%s: %s",
               pc_log_rhost(m), pc_log_user(m, user), why.detail);
    return PAM_PERM_DENIED;
  case PC_ACCOUNT_UNKNOWN:
    return unknown_user(m, user, why.detail);
  case PC_ACCOUNT_ERROR:
    break;
  }
  pam_syslog(m->pamh, LOG_ERR, "account stage failed for user=%s: %s",
             pc_log_user(m, user),
             why.detail[0] ? why.detail : "internal error");
  return PAM_SYSTEM_ERR;
}
