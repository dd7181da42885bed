/* pam_sm_chauthtok: passwd changes the Cognito password. */
#include "config.h"

#include "module.h"

int pc_chauthtok(struct pc_module *m) {
  pam_syslog(m->pamh, LOG_ERR, "password changes are not implemented yet");
  return PAM_AUTHTOK_ERR;
}
