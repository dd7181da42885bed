/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <security/pam_modules.h>

#include "result.h"

int pc_pam_result(enum pc_status st) {
  switch (st) {
  case PC_OK:
    return PAM_SUCCESS;
  case PC_ERR_USER_UNKNOWN:
    return PAM_USER_UNKNOWN;
  case PC_ERR_UNAVAIL:
  case PC_ERR_PROTOCOL:
  case PC_ERR_TOO_LARGE:
  case PC_ERR_LIMIT:
    return PAM_AUTHINFO_UNAVAIL;
  case PC_ERR_CONFIG:
  case PC_ERR_INVALID_PARAM:
    return PAM_SERVICE_ERR;
  case PC_ERR_NOMEM:
    return PAM_BUF_ERR;
  case PC_ERR_CONV:
    return PAM_CONV_ERR;
  case PC_ERR_LOCKED:
    return PAM_MAXTRIES;
  case PC_ERR_AUTH:
  case PC_ERR_USER_NOT_CONFIRMED:
  case PC_ERR_PASSWORD_RESET:
  case PC_ERR_INVALID_PASSWORD:
  case PC_ERR_CODE_MISMATCH:
  case PC_ERR_EXPIRED:
  case PC_ERR_UNSUPPORTED:
  case PC_ERR_ABORTED:
  case PC_ERR_DENIED:
  case PC_ABSENT: /* a caller that let "nothing stored" through: fail */
    return PAM_AUTH_ERR;
  }
  return PAM_AUTH_ERR; /* an unknown status is a failure */
}

int pc_pam_result_chauthtok(enum pc_status st, int use_authtok) {
  switch (st) {
  case PC_OK:
    return PAM_SUCCESS;
  case PC_ERR_INVALID_PASSWORD:
    /* The policy's no: another password, unless a module before this one
     * chose it (use_authtok), which cannot be asked again here. */
    return use_authtok ? PAM_AUTHTOK_ERR : PAM_TRY_AGAIN;
  case PC_ERR_UNAVAIL:
  case PC_ERR_PROTOCOL:
  case PC_ERR_TOO_LARGE:
    return PAM_AUTHINFO_UNAVAIL;
  default:
    return PAM_AUTHTOK_ERR; /* a limit, a lockout, a revoked session */
  }
}
