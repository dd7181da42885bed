/* SPDX-License-Identifier: MIT */
/* What auth and passwd share: a Cognito login through the conversation, the
 * words a user gets when it fails, and pam_get_authtok's failures. */
#include "config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config/authflow.h"
#include "conv.h"
#include "fido/passkey_plugin.h"
#include "net/api_errors.h"
#include "logname.h"
#include "module.h"
#include "signin.h"

/* This host as a remembered device of user (lib/login/device.h), when it is
 * one. host: the buffer for the default DeviceName. */
static void device_opts(struct pc_module *m, const char *user, char *host,
                        size_t hostlen, struct pc_login_opts *o) {
  if (!m->cfg.remember_device)
    return;
  (void)gethostname(host, hostlen - 1);
  o->device_dir = m->cfg.cache_dir;
  o->device_user = user;
  o->device_name = m->cfg.device_name ? m->cfg.device_name : host;
}

/* The passkey plugin: in the pam_cognito folder beside this module (root's,
 * like the module itself; see lib/fido/passkey_plugin.h). */
static const char *plugin_path(char *buf, size_t n) {
  Dl_info info;
  const char *slash;

  if (!dladdr((void *)plugin_path, &info) || !info.dli_fname ||
      !(slash = strrchr(info.dli_fname, '/')))
    return NULL;
  if ((size_t)snprintf(buf, n, "%.*s/pam_cognito/%s",
                       (int)(slash - info.dli_fname), info.dli_fname,
                       PC_PASSKEY_FILE) >= n)
    return NULL;
  return buf;
}

static void log_device_notes(struct pc_module *m, const char *user,
                             const struct pc_login_result *r) {
  int i;

  for (i = 0; i < r->err.n_notes && i < PC_NOTES_MAX; i++)
    pam_syslog(m->pamh, LOG_NOTICE, "user=%s: %s", pc_log_user(m, user),
               r->err.note[i].text);
}

enum pc_status pc_signin(struct pc_module *m, struct pc_client *cl,
                         const char *user, const char *password,
                         struct pc_login_result *r) {
  struct pc_login_opts o;
  struct pc_prompter p;
  struct pc_usercontext ctx = {NULL, NULL, NULL};
  char host[256] = "", plugin[4096];
  enum pc_status st;

  memset(&o, 0, sizeof(o));
  o.username = user;
  o.password = password;
  o.max_attempts = (int)m->cfg.max_attempts;
  /* Where the login comes from, for the pool (lib/net/usercontext.h). */
  (void)pam_get_item(m->pamh, PAM_SERVICE, (const void **)&ctx.service);
  (void)pam_get_item(m->pamh, PAM_RHOST, (const void **)&ctx.rhost);
  ctx.user = user;
  o.context = &ctx;
  device_opts(m, user, host, sizeof host, &o);
  if ((o.passkey = m->passkey))
    o.passkey_plugin = plugin_path(plugin, sizeof(plugin));
  pc_conv_prompter(m, &p);
  pc_debug(m, "logging in user=%s with %s%s", pc_log_user(m, user),
           pc_auth_flow_name(m->cfg.auth_flow),
           m->passkey  ? " (a passkey)"
           : *password ? ""
                       : " (a one-time code)");
  st = pc_login(cl, &o, &p, r);
  log_device_notes(m, user, r);
  if (st == PC_OK && r->device_proved)
    pc_debug(m, "user=%s signed in from a remembered device",
             pc_log_user(m, user));
  return st;
}

void pc_signin_remember_device(struct pc_module *m, struct pc_client *cl,
                               const char *user, struct pc_login_result *r) {
  struct pc_login_opts o;
  struct pc_prompter p;
  char host[256] = "";

  memset(&o, 0, sizeof(o));
  device_opts(m, user, host, sizeof host, &o);
  pc_conv_prompter(m, &p); /* a pool where users opt in asks them */
  r->err.n_notes = 0;      /* the login's own notes are logged already */
  pc_login_remember_device(cl, &o, &p, r);
  log_device_notes(m, user, r);
}

/* A wrong password gets no words (they would help an attacker; pam_unix
 * says nothing either); these failures do. */
void pc_signin_tell_failure(struct pc_module *m, enum pc_status st) {
  if (st == PC_ERR_UNAVAIL || st == PC_ERR_PROTOCOL || st == PC_ERR_LIMIT ||
      st == PC_ERR_TOO_LARGE)
    pc_conv_tell(m, PC_TELL_ERROR,
                 "The Cognito sign-in service cannot be reached or "
                 "answered unexpectedly; try again later.");
  else if (st == PC_ERR_PASSWORD_RESET)
    pc_conv_tell(m, PC_TELL_ERROR,
                 "Your password must be reset before you can log in.");
  else if (st == PC_ERR_USER_NOT_CONFIRMED)
    pc_conv_tell(m, PC_TELL_ERROR, "Your account is not confirmed yet.");
}

int pc_signin_tell_error(struct pc_module *m, const struct pc_error *e) {
  char text[PC_ERRTABLE_SAY_MAX + 1];

  if (pc_errtable_say(e, text, sizeof(text))) {
    pc_conv_tell(m, PC_TELL_ERROR, text);
    return 1;
  }
  pc_signin_tell_failure(m, e->status);
  return 0;
}

int pc_signin_authtok_error(struct pc_module *m, int rc, const char *what) {
  pc_debug(m, "no %s: %s", what, pam_strerror(m->pamh, rc));
  if (rc == PAM_CONV_AGAIN)
    return PAM_INCOMPLETE; /* the application may call us again */
  return rc == PAM_CONV_ERR ? PAM_CONV_ERR : PAM_AUTH_ERR;
}
