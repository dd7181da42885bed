/* SPDX-License-Identifier: MIT */
/* pam_sm_authenticate: the password (and any challenge) against the pool. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "net/api.h"
#include "conv.h"
#include "login/login.h"
#include "logname.h"
#include "module.h"
#include "result.h"
#include "session.h"
#include "signin.h"
#include "login/warmup.h"

/* sshd sends this in place of the password of a user it does not know, or
 * when the password is refused by its own rules: fail without a network
 * call. No real password contains these control characters. */
static int placeholder_password(const char *pw) {
  return strpbrk(pw, "\b\n\r\177") != NULL;
}

/* USER_AUTH with a one-time code among first_factors: an empty password
 * asks for a code (lib/login/user_auth.c). */
static int codes_allowed(const struct pc_module *m) {
  return m->cfg.auth_flow == PC_FLOW_USER_AUTH &&
         (m->cfg.first_factors & PC_FACTORS_CODE) != 0;
}

/* WEB_AUTHN among first_factors (USER_AUTH). */
static int passkeys_allowed(const struct pc_module *m) {
  return m->cfg.auth_flow == PC_FLOW_USER_AUTH &&
         (m->cfg.first_factors & PC_FACTOR_WEB_AUTHN) != 0;
}

/* sudo's pam_rhost sets PAM_RHOST to this host's own name (gethostname, or
 * "localhost" when it has none): that is not a remote login. Only an exact
 * match counts; any other name or address is taken as remote. */
static int names_this_host(const char *rhost) {
  char self[256];

  if (strcmp(rhost, "localhost") == 0)
    return 1;
  if (gethostname(self, sizeof(self)) != 0)
    return 0;
  self[sizeof(self) - 1] = '\0';
  return self[0] != '\0' && strcmp(rhost, self) == 0;
}

/* Over SSH the person's security key is on their own computer, out of this
 * host's reach. */
static int remote_login(struct pc_module *m) {
  const char *service = NULL, *rhost = NULL;

  (void)pam_get_item(m->pamh, PAM_SERVICE, (const void **)&service);
  (void)pam_get_item(m->pamh, PAM_RHOST, (const void **)&rhost);
  if (service && strcmp(service, "sshd") == 0)
    return 1;
  return rhost && *rhost && !names_this_host(rhost);
}

static int passkey_offered(struct pc_module *m) {
  return passkeys_allowed(m) && !remote_login(m);
}

/* The password, or "" for a code or a passkey: the prompt says what Enter
 * asks for, and a host that takes no password asks for none. codes and
 * keys: codes_allowed and passkey_offered. */
static int ask_password(struct pc_module *m, int codes, int keys,
                        const char **pw) {
  if (passkeys_allowed(m) && !keys)
    pc_conv_tell(m, PC_TELL_INFO,
                 "Security keys (passkeys) cannot be used over a remote "
                 "login: the key is attached to your own computer.");
  if (!codes && !keys)
    return pam_get_authtok(m->pamh, PAM_AUTHTOK, pw, NULL);
  if (!(m->cfg.first_factors & PC_FACTORS_PASSWORD)) {
    *pw = "";
    return PAM_SUCCESS;
  }
  return pam_get_authtok(
      m->pamh, PAM_AUTHTOK, pw,
      !keys    ? "Password (or Enter for a one-time code): "
      : !codes ? "Password (or Enter for your security key): "
               : "Password (or Enter for a security key or a one-time "
                 "code): ");
}

/* A passkey sign-in that could not be answered (told why): the other first
 * factors, when the host has any, are asked for now. codes and keys:
 * codes_allowed and passkey_offered. */
static enum pc_status passkey_or_other(struct pc_module *m,
                                       struct pc_client *cl, const char *user,
                                       int codes, int keys, const char **pw,
                                       struct pc_login_result *r) {
  enum pc_status st;
  int rc;

  m->passkey = !**pw && keys;
  st = pc_signin(m, cl, user, *pw, r);
  if (!m->passkey || st != PC_ERR_ABORTED ||
      !(m->cfg.first_factors & (PC_FACTORS_PASSWORD | PC_FACTORS_CODE)))
    return st;
  m->passkey = 0;
  pc_login_result_free(r);
  pc_module_conv_begin(m);
  rc = pam_set_item(m->pamh, PAM_AUTHTOK, NULL);
  if (rc == PAM_SUCCESS && !(m->cfg.first_factors & PC_FACTORS_PASSWORD))
    *pw = "";
  else if (rc == PAM_SUCCESS)
    rc = pam_get_authtok(m->pamh, PAM_AUTHTOK, pw,
                         codes ? "Password (or Enter for a one-time code): "
                               : "Password: ");
  pc_module_conv_end(m);
  if (rc != PAM_SUCCESS || !*pw || (!**pw && !codes))
    return PC_ERR_ABORTED;
  return pc_signin(m, cl, user, *pw, r);
}

static void log_failure(struct pc_module *m, const char *user,
                        enum pc_status st, const struct pc_login_result *r) {
  char text[1024];
  int rc = pc_pam_result(st);
  /* The service or its configuration failed: that is an error, not a
   * user's mistake. */
  int prio = rc == PAM_AUTHINFO_UNAVAIL || rc == PAM_SERVICE_ERR ? LOG_ERR
                                                                 : LOG_NOTICE;

  if (st == PC_ERR_USER_UNKNOWN) {
    pam_syslog(m->pamh, LOG_NOTICE,
               "authentication failure; rhost=%s: "
               "user unknown to the user pool",
               pc_log_rhost(m));
    return;
  }
  pam_syslog(m->pamh, prio,
             "authentication failure; rhost=%s user=%s: %s%s%s: %s",
             pc_log_rhost(m), pc_log_user(m, user), pc_status_str(st),
             r->challenge[0] ? " during " : "", r->challenge,
             pc_error_text(&r->err, text, sizeof(text)));
}

int pc_authenticate(struct pc_module *m) {
  struct pc_client cl;
  struct pc_login_result r;
  const char *user = NULL, *pw = NULL;
  const void *known = NULL;
  struct pc_warmup *warm = NULL;
  enum pc_status st;
  int rc, codes, keys;

  memset(&r, 0, sizeof(r));
  if ((rc = pc_module_user(m, &user)) != PAM_SUCCESS)
    return rc;
  codes = codes_allowed(m);
  keys = passkey_offered(m);
  pam_fail_delay(m->pamh, 2000000);
  /* While the prompt is on screen, open the connections the login needs
   * (lib/login/warmup.h); stopped as soon as the password is here, leaving
   * behind what is not ready (the login never waits for it). */
  if (pam_get_item(m->pamh, PAM_AUTHTOK, &known) != PAM_SUCCESS || !known)
    warm = pc_warmup_start(pc_module_pool(m), &m->cfg, PC_WARMUP_NOW);
  pc_module_conv_begin(m);
  rc = ask_password(m, codes, keys, &pw);
  pc_module_charge(m, pc_warmup_stop(warm));
  pc_module_conv_end(m);
  if (rc != PAM_SUCCESS || !pw)
    return pc_signin_authtok_error(m, rc, "password");
  if ((!*pw && !codes && !keys) || placeholder_password(pw)) {
    pam_syslog(
        m->pamh, LOG_NOTICE, "authentication failure; rhost=%s user=%s: %s",
        pc_log_rhost(m), pc_log_user(m, user),
        *pw ? "placeholder password from the application" : "empty password");
    return PAM_AUTH_ERR;
  }
  if ((rc = pc_module_client(m, &cl)) != PAM_SUCCESS)
    return rc;
  st = passkey_or_other(m, &cl, user, codes, keys, &pw, &r);
  if (st == PC_OK && r.new_password) {
    /* Stacked modules see the password the user now has. */
    rc = pam_set_item(m->pamh, PAM_AUTHTOK, r.new_password);
    if (rc != PAM_SUCCESS)
      st = PC_ERR_NOMEM;
  }
  if (st == PC_OK) {
    m->name_verified = 1; /* the pool knows this name: it may be logged */
    rc = pc_module_admit(m, &cl, user, pw, &r);
    if (rc != PAM_SUCCESS)
      goto out;
    /* Before the credentials: their handover names the device's key. */
    pc_signin_remember_device(m, &cl, user, &r);
    /* The tokens are not kept in memory: the session stages read what they
     * need from the cache (sshd runs them in another process anyway). */
    rc = pc_session_after_auth(m, user, &cl, &r.tokens);
    if (rc == PAM_SUCCESS) /* else credentials_required denied it */
      pc_debug(m, "user=%s authenticated", pc_log_user(m, user));
  } else {
    log_failure(m, user, st, &r);
    /* After "reset required" the cached password is void, whatever
     * happened next (a network that went down mid-reset, say). A code
     * login has no password to check offline. */
    rc = !*pw ? -1
              : pc_module_offline(m, user, pw,
                                  r.reset_required ? PC_ERR_PASSWORD_RESET : st,
                                  &r.err);
    if (rc < 0) {
      (void)pc_signin_tell_error(m, &r.err);
      rc = pc_pam_result(st);
    }
  }
out:
  pc_login_result_free(&r);
  pc_client_free(&cl);
  return rc;
}
