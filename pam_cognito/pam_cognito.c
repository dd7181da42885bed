/* SPDX-License-Identifier: MIT */
/* The PAM entry points: parse arguments, run the stage, free, return. */
#include "config.h"

#include "envowner.h"
#include "module.h"

#define PAM_SM_AUTH
#define PAM_SM_PASSWORD
#define PAM_SM_SESSION
#define PAM_SM_ACCOUNT

typedef int (*stage_fn)(struct pc_module *m);

static int run(stage_fn stage, pam_handle_t *pamh, int flags, int argc,
               const char **argv) {
  struct pc_module m;
  int rc = pc_module_init(&m, pamh, flags, argc, argv);

  if (rc == PAM_SUCCESS)
    rc = pc_module_screen(&m);
  if (rc == PAM_SUCCESS)
    rc = stage(&m);
  pc_module_free(&m);
  return rc;
}

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
                                   const char **argv) {
  /* A new attempt, perhaps for another user (login's retry). */
  pc_envowner_drop(pamh);
  return run(pc_authenticate, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
                              const char **argv) {
  /* Before the screen: sudo's target may be a system account. */
  pc_envowner_enforce(pamh);
  return run(pc_setcred, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc,
                                const char **argv) {
  return run(pc_chauthtok, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
                                   const char **argv) {
  pc_envowner_enforce(pamh);
  return run(pc_open_session, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc,
                                const char **argv) {
  return run(pc_acct_mgmt, pamh, flags, argc, argv);
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
                                    const char **argv) {
  (void)pamh;
  (void)flags;
  (void)argc;
  (void)argv;
  return PAM_SUCCESS;
}
