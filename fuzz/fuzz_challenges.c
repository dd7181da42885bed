/* SPDX-License-Identifier: MIT */
/* fuzz_challenges: a server answering a USER_PASSWORD_AUTH login with
 * challenges (new password, required attributes, MFA choice, SMS, TOTP,
 * e-mail codes, MFA setup, anything else).
 *
 * The input is HTTP answers as in fuzz_api_reply; no SRP, so no bignum
 * work per input (fuzz_api_reply covers the SRP flow). Runs the login
 * twice, with and without a client secret. Besides crashes it checks that
 * a PC_OK login has both tokens, that the failure record is terminated, and
 * that no answer the user typed (password, new password, code) reaches the
 * one-line reason kept for syslog unless the server itself sent it. Then
 * twice more with auth_flow USER_AUTH (first_factors PASSWORD, EMAIL_OTP,
 * SMS_OTP; no SRP work): the password in InitiateAuth, and the empty
 * password that asks for a one-time code (SELECT_CHALLENGE,
 * AvailableChallenges, EMAIL_OTP/SMS_OTP, the resend limit). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canned.h"
#include "fixture.h"
#include "login/login.h"

static struct pc_config with_secret, without_secret, user_auth;

static time_t fixed_now(void) {
  return FIXTURE_NOW;
}

static void run(const struct pc_config *cfg, struct canned *c,
                const uint8_t *data, size_t size, const char *password) {
  struct pc_login_opts o = {.username = FIXTURE_USER,
                            .password = password,
                            .max_attempts = 2,
                            .max_rounds = 6,
                            .now = fixed_now};
  struct pc_prompter p = canned_prompter;
  struct pc_login_result r;
  struct pc_client cl;
  enum pc_status st;
  int asked = 0;

  c->next = 0;
  p.ctx = &asked;
  if (pc_client_init(&cl, cfg, canned_http(c)) != PC_OK)
    return;
  cl.retries = 0;
  st = pc_login(&cl, &o, &p, &r);
  canned_check_login(st, &r, data, size);
  pc_login_result_free(&r);
  pc_client_free(&cl);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  fixture_config(&with_secret);
  fixture_config(&without_secret);
  free(without_secret.client_secret);
  without_secret.client_secret = NULL;
  with_secret.auth_flow = without_secret.auth_flow = PC_FLOW_PASSWORD;
  fixture_config(&user_auth);
  user_auth.auth_flow = PC_FLOW_USER_AUTH;
  user_auth.first_factors =
      PC_FACTOR_PASSWORD | PC_FACTOR_EMAIL_OTP | PC_FACTOR_SMS_OTP;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct canned c;

  canned_split(&c, data, size);
  run(&with_secret, &c, data, size, CANNED_PASSWORD);
  run(&without_secret, &c, data, size, CANNED_PASSWORD);
  run(&user_auth, &c, data, size, CANNED_PASSWORD);
  run(&user_auth, &c, data, size, "");
  return 0;
}
