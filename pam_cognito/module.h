/* SPDX-License-Identifier: MIT */
/* What every stage of the module shares: the parsed arguments and
 * configuration of one pam_sm_* call. */
#ifndef PAM_COGNITO_MODULE_H
#define PAM_COGNITO_MODULE_H

#include <syslog.h>
#include <security/pam_modules.h>
#include <security/pam_ext.h>

#include "cfg.h"

struct pc_module {
  pam_handle_t *pamh;
  int flags; /* the pam_sm_* flags (PAM_SILENT, ...) */
  int debug;
  int use_authtok;
  const char *config_path;
  struct pc_config cfg;
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

/* The PAM user, checked: not empty, no leading '-' or '+', no control
 * characters, at most 128 bytes. PAM_SUCCESS or a PAM error. */
int pc_module_user(struct pc_module *m, const char **user);

/* The HTTP client for this call, or a PAM error after a syslog line. */
struct pc_client;
int pc_module_client(struct pc_module *m, struct pc_client *cl);

/* Stage bodies (auth.c, chauthtok.c, session.c). */
int pc_authenticate(struct pc_module *m);
int pc_chauthtok(struct pc_module *m);
int pc_setcred(struct pc_module *m);
int pc_open_session(struct pc_module *m);

#endif
