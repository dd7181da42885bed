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
typedef void (*before_fn)(pam_handle_t *pamh);

static int run(before_fn before, stage_fn stage, pam_handle_t *pamh, int flags,
               int argc, const char **argv) {
  struct pc_module m;
  int rc;

  if (before != NULL)
    before(pamh);
  rc = pc_module_init(&m, pamh, flags, argc, argv);
  if (rc == PAM_SUCCESS)
    rc = pc_module_screen(&m);
  if (rc == PAM_SUCCESS)
    rc = stage(&m);
  pc_module_free(&m);
  return rc;
}

/* One entry point: what must happen before the configuration is read
 * (NULL: nothing), then its stage. */
#define PC_ENTRY(name, before, stage)                                          \
  PAM_EXTERN int name(pam_handle_t *pamh, int flags, int argc,                 \
                      const char **argv) {                                     \
    return run(before, stage, pamh, flags, argc, argv);                        \
  }

/* A new attempt, perhaps for another user (login's retry). */
PC_ENTRY(pam_sm_authenticate, pc_envowner_drop, pc_authenticate)
/* Before the screen: sudo's target may be a system account. */
PC_ENTRY(pam_sm_setcred, pc_envowner_enforce, pc_setcred)
PC_ENTRY(pam_sm_chauthtok, NULL, pc_chauthtok)
PC_ENTRY(pam_sm_open_session, pc_envowner_enforce, pc_open_session)
PC_ENTRY(pam_sm_acct_mgmt, NULL, pc_acct_mgmt)
PC_ENTRY(pam_sm_close_session, NULL, pc_close_session)
