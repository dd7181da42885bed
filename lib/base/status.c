/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "base/status.h"

const char *pc_status_str(enum pc_status st) {
  switch (st) {
  case PC_OK:
    return "success";
  case PC_ERR_AUTH:
    return "authentication failed";
  case PC_ERR_USER_UNKNOWN:
    return "user unknown";
  case PC_ERR_USER_NOT_CONFIRMED:
    return "user not confirmed";
  case PC_ERR_PASSWORD_RESET:
    return "password reset required";
  case PC_ERR_INVALID_PASSWORD:
    return "password rejected by policy";
  case PC_ERR_CODE_MISMATCH:
    return "wrong code";
  case PC_ERR_EXPIRED:
    return "code or session expired";
  case PC_ERR_LIMIT:
    return "rate limit exceeded";
  case PC_ERR_UNAVAIL:
    return "network unavailable";
  case PC_ERR_PROTOCOL:
    return "malformed reply";
  case PC_ERR_TOO_LARGE:
    return "reply too large";
  case PC_ERR_CONFIG:
    return "bad configuration";
  case PC_ERR_NOMEM:
    return "out of memory";
  case PC_ERR_CONV:
    return "conversation failed";
  case PC_ERR_UNSUPPORTED:
    return "unsupported challenge";
  case PC_ERR_INVALID_PARAM:
    return "invalid parameter";
  case PC_ERR_ABORTED:
    return "aborted";
  case PC_ERR_LOCKED:
    return "sign-in locked";
  case PC_ERR_DENIED:
    return "refused by the user pool";
  case PC_ABSENT:
    return "nothing stored";
  }
  /* Not a member of the enum: still a fixed string, never NULL. */
  return "unknown error";
}

int pc_status_no_answer(enum pc_status st) {
  return st == PC_ERR_UNAVAIL || st == PC_ERR_PROTOCOL ||
         st == PC_ERR_TOO_LARGE;
}
