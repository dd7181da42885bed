/* SPDX-License-Identifier: MIT */
/* What every stage of the module shares: the parsed arguments and
 * configuration of one pam_sm_* call. */
#ifndef PAM_COGNITO_MODULE_H
#define PAM_COGNITO_MODULE_H

#include <sys/types.h>
#include <syslog.h>
#include <security/pam_modules.h>
#include <security/pam_ext.h>

#include "base/status.h"
#include "config/cfg.h"
#include "net/fdguard.h"

struct pc_module {
  pam_handle_t *pamh;
  int flags; /* the pam_sm_* flags (PAM_SILENT, ...) */
  int debug;
  int use_authtok;
  const char *config_path;
  struct pc_config cfg;
  int has_local; /* the PAM user has a local account: uid/gid below */
  uid_t uid;
  gid_t gid;
  struct pc_fdguard fds; /* descriptors open when the call began */
  long net_left_ms;      /* network time left in this call (login_timeout) */
  int name_verified;     /* the pool accepted the PAM user's sign-in */
  int passkey;           /* this sign-in is by passkey (WEB_AUTHN) */
  char log_user[520];    /* pc_log_user's and pc_log_rhost's output */
  char log_rhost[520];
};

/* Debug lines carry the function name and never a secret. */
#define pc_debug(m, fmt, ...)                                                  \
  do {                                                                         \
    if ((m)->debug)                                                            \
      pam_syslog((m)->pamh, LOG_DEBUG, "%s: " fmt, __func__, ##__VA_ARGS__);   \
  } while (0)

/* Parse arguments and load the configuration (file first, arguments over
 * it). PAM_SUCCESS, or PAM_SERVICE_ERR after a syslog line naming the
 * problem. Call pc_module_free in every case. */
int pc_module_init(struct pc_module *m, pam_handle_t *pamh, int flags, int argc,
                   const char **argv);
void pc_module_free(struct pc_module *m);

/* Around every call of the application's conversation: the sockets opened
 * since the call began become close-on-exec first (the conversation may
 * run a program), and what the conversation opened is left alone. */
void pc_module_conv_begin(struct pc_module *m);
void pc_module_conv_end(struct pc_module *m);

/* The PAM user, checked: not empty, no leading '-' or '+', no control
 * characters, at most 128 bytes. PAM_SUCCESS or a PAM error. */
int pc_module_user(struct pc_module *m, const char **user);

/* Every stage starts here: the user name, and its local account. System
 * accounts (uid below min_uid), the reserved uids (60000-65535, nobody, the
 * kernel's overflow uid) and uids above max_uid are never Cognito's
 * (uidrule.h): PAM_IGNORE, before any prompt or network call, so pam_unix
 * decides for them. PAM_SUCCESS to go
 * on, PAM_IGNORE, or a PAM error. */
int pc_module_screen(struct pc_module *m);

/* Count ms of network waiting done outside the clients (stopping the
 * warm-up) against this call's login_timeout. */
void pc_module_charge(struct pc_module *m, long ms);

/* The HTTP client for this call, or a PAM error after a syslog line. */
struct pc_client;
int pc_module_client(struct pc_module *m, struct pc_client *cl);

/* The connections of this PAM transaction (kept with pam_set_data, so that
 * later stages in this process reuse them; closed by pam_end), or NULL:
 * each client then keeps its own. */
struct pc_http_pool;
struct pc_http_pool *pc_module_pool(struct pc_module *m);

/* Stage bodies (auth.c, chauthtok.c, session.c). */
int pc_authenticate(struct pc_module *m);
int pc_chauthtok(struct pc_module *m);
int pc_setcred(struct pc_module *m);
int pc_open_session(struct pc_module *m);
int pc_acct_mgmt(struct pc_module *m);
int pc_close_session(struct pc_module *m); /* logout.c */
/* revoke_on_logout: count this session in (logout.c). */
void pc_logout_opened(struct pc_module *m);

/* After Cognito accepted password (r is the login's result): verify the ID
 * token, bind it to the user, apply the access rules, keep the account
 * record and the offline verifier. PAM_SUCCESS or the PAM error to return
 * (account.c). */
struct pc_login_result;
int pc_module_admit(struct pc_module *m, struct pc_client *cl, const char *user,
                    const char *password, const struct pc_login_result *r);

/* Remember for this handle's account stage that auth admitted user. */
int pc_module_mark_admitted(struct pc_module *m, const char *user);

/* The online login failed with status online (err: the login's error):
 * when Cognito is unavailable by lib/net/unavail.h's rule, decide from the
 * offline verifier; when it refused the password, drop a verifier of that
 * password (offline.c). The PAM result, or -1 when the online result
 * stands. */
struct pc_error;
int pc_module_offline(struct pc_module *m, const char *user,
                      const char *password, enum pc_status online,
                      const struct pc_error *err);

/* Names in log lines (the rules: logname.h). */
/* user, quoted and escaped, or "(unverified)" (a string in m, valid until
 * the next call). */
const char *pc_log_user(struct pc_module *m, const char *user);

/* PAM_RHOST escaped the same way without quotes ("" when unset). */
const char *pc_log_rhost(struct pc_module *m);

#endif
