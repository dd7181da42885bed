/* SPDX-License-Identifier: MIT */
/* pam_cognito/result.c: the status -> PAM tables of the auth and the
 * password stages. Every error status gets a failure, and the password
 * stage's table is the one chauthtok.c had in its own switch. */
#include "config.h"

#include <security/pam_modules.h>

#include "result.h"
#include "tap.h"

static void test_auth_never_succeeds_on_an_error(void) {
  int st, bad = 0;

  ok(pc_pam_result(PC_OK) == PAM_SUCCESS, "PC_OK is PAM_SUCCESS");
  for (st = PC_OK + 1; st <= PC_ABSENT; st++)
    bad += pc_pam_result((enum pc_status)st) == PAM_SUCCESS;
  ok(bad == 0, "no error status is PAM_SUCCESS in the auth stage");
  ok(pc_pam_result((enum pc_status)999) == PAM_AUTH_ERR,
     "an unknown status is PAM_AUTH_ERR");
}

static void test_chauthtok(void) {
  int st, bad = 0;

  ok(pc_pam_result_chauthtok(PC_OK, 0) == PAM_SUCCESS, "changed: PAM_SUCCESS");
  ok(pc_pam_result_chauthtok(PC_ERR_INVALID_PASSWORD, 0) == PAM_TRY_AGAIN,
     "a policy refusal asks again");
  ok(pc_pam_result_chauthtok(PC_ERR_INVALID_PASSWORD, 1) == PAM_AUTHTOK_ERR,
     "with use_authtok it cannot ask again: PAM_AUTHTOK_ERR");
  ok(pc_pam_result_chauthtok(PC_ERR_UNAVAIL, 0) == PAM_AUTHINFO_UNAVAIL &&
         pc_pam_result_chauthtok(PC_ERR_PROTOCOL, 0) == PAM_AUTHINFO_UNAVAIL &&
         pc_pam_result_chauthtok(PC_ERR_TOO_LARGE, 1) == PAM_AUTHINFO_UNAVAIL,
     "no clear answer: PAM_AUTHINFO_UNAVAIL");
  ok(pc_pam_result_chauthtok(PC_ERR_LIMIT, 0) == PAM_AUTHTOK_ERR &&
         pc_pam_result_chauthtok(PC_ERR_LOCKED, 0) == PAM_AUTHTOK_ERR &&
         pc_pam_result_chauthtok(PC_ERR_AUTH, 0) == PAM_AUTHTOK_ERR &&
         pc_pam_result_chauthtok((enum pc_status)999, 0) == PAM_AUTHTOK_ERR,
     "any other refusal: PAM_AUTHTOK_ERR");
  for (st = PC_OK + 1; st <= PC_ABSENT; st++)
    bad += pc_pam_result_chauthtok((enum pc_status)st, 0) == PAM_SUCCESS ||
           pc_pam_result_chauthtok((enum pc_status)st, 1) == PAM_SUCCESS;
  ok(bad == 0, "no error status is PAM_SUCCESS in the password stage");
}

int main(void) {
  test_auth_never_succeeds_on_an_error();
  test_chauthtok();
  return tap_done();
}
