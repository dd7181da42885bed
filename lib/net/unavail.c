/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <unistd.h>

#include "net/unavail.h"

int pc_error_cognito_down(const struct pc_error *e, int user_can_signal) {
  /* Only a failed call that got no answer below 500. */
  if (e == NULL || e->status != PC_ERR_UNAVAIL)
    return 0;
  switch (e->cause) {
  case PC_CAUSE_REFUSED:
  case PC_CAUSE_NO_NAME:
  case PC_CAUSE_SERVER:
    return 1;
  case PC_CAUSE_TIMEOUT:
    return !user_can_signal;
  case PC_CAUSE_NONE:
  case PC_CAUSE_LOCAL:
  case PC_CAUSE_OTHER:
    break;
  }
  return 0;
}

int pc_user_can_signal(void) {
  uid_t r, e, s;

  if (getresuid(&r, &e, &s) != 0)
    return 1; /* unknown: assume the worst */
  return r != 0 || e != 0 || s != 0;
}

const char *pc_error_not_down_why(const struct pc_error *e,
                                  int user_can_signal) {
  if (e == NULL)
    return "no error";
  switch (e->cause) {
  case PC_CAUSE_NONE:
    return "an answer came back (any answer below 500 that is not a yes is "
           "a no)";
  case PC_CAUSE_TIMEOUT:
    return user_can_signal ? "a timeout in a process the user can stop (su, "
                             "sudo) proves nothing"
                           : "";
  case PC_CAUSE_LOCAL:
    return "a shortage on this host (open files, memory) is not an outage";
  case PC_CAUSE_OTHER:
    return "a reset, cut or unreadable reply is not an outage";
  case PC_CAUSE_REFUSED:
  case PC_CAUSE_NO_NAME:
  case PC_CAUSE_SERVER:
    break;
  }
  return e->status != PC_ERR_UNAVAIL ? "the call failed for another reason"
                                     : "";
}
