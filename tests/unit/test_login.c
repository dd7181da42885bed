/* SPDX-License-Identifier: MIT */
/* pc_login and the challenge answers (login.c, challenges.c) over the canned
 * transport of the fuzzers: each case is the server's replies in order, a
 * script of answers, and what the user and the log would see. The flow is
 * USER_PASSWORD_AUTH so that no SRP arithmetic is needed (test_srp covers
 * the verifier). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canned.h"
#include "login/login.h"
#include "net/http.h"
#include "tap.h"

#define TOKENS                                                                 \
  "{\"AuthenticationResult\": {\"AccessToken\": \"acc.ess.tok\", "             \
  "\"IdToken\": \"id.tok.en\", \"RefreshToken\": \"ref\"}}"
#define CHALLENGE(name, params)                                                \
  "{\"ChallengeName\": \"" name "\", \"Session\": \"s1\", "                    \
  "\"ChallengeParameters\": " params "}"

static struct pc_config cfg;

/* A conversation that answers from a script and remembers what it saw. */
struct script {
  const char *const *answers; /* NULL-terminated; past the end: cannot */
  int asked;
  char prompts[1024];
  char told[2048];
};

static int script_ask(void *ctx, enum pc_prompt_style style, const char *prompt,
                      char **answer) {
  struct script *s = ctx;
  size_t n = strlen(s->prompts);

  (void)style;
  (void)snprintf(s->prompts + n, sizeof(s->prompts) - n, "%s|", prompt);
  if (s->answers == NULL || s->answers[s->asked] == NULL)
    return -1;
  *answer = strdup(s->answers[s->asked++]);
  return *answer ? 0 : -1;
}

static void script_tell(void *ctx, int is_error, const char *text) {
  struct script *s = ctx;
  size_t n = strlen(s->told);

  (void)snprintf(s->told + n, sizeof(s->told) - n, "%s%s|",
                 is_error ? "E:" : "", text);
}

/* One login against replies (the canned format: "\n--\n" between replies,
 * a leading '4' for HTTP 400, 'T' for no answer, anything else HTTP 200). */
static enum pc_status run(const char *replies, const char *const *answers,
                          struct script *s, struct pc_login_result *r,
                          size_t *served) {
  struct pc_login_opts o = {.username = "alice",
                            .password = CANNED_PASSWORD,
                            .max_attempts = 3,
                            .max_rounds = 10,
                            .now = NULL};
  struct pc_prompter p = {script_ask, script_tell, s, 0};
  struct pc_client cl;
  struct canned c;
  enum pc_status st;

  memset(s, 0, sizeof(*s));
  s->answers = answers;
  canned_split(&c, (const unsigned char *)replies, strlen(replies));
  if (pc_client_init(&cl, &cfg, canned_http(&c)) != PC_OK)
    return PC_ERR_CONFIG;
  cl.retries = 0;
  st = pc_login(&cl, &o, &p, r);
  pc_client_free(&cl);
  if (served)
    *served = c.next;
  return st;
}

static void test_plain(void) {
  struct pc_login_result r;
  struct script s;
  size_t served;

  ok(run("x" TOKENS, NULL, &s, &r, &served) == PC_OK && served == 1,
     "tokens at once: one call");
  is_str(r.tokens.id_token, "id.tok.en", "ID token kept");
  is_str(r.tokens.refresh_token, "ref", "refresh token kept");
  ok(s.prompts[0] == '\0' && r.new_password == NULL, "nothing asked");
  ok(r.err.status == PC_OK, "err says PC_OK");
  pc_login_result_free(&r);

  ok(run("4{\"__type\": \"NotAuthorizedException\", \"message\": "
         "\"Incorrect username or password.\"}",
         NULL, &s, &r, NULL) == PC_ERR_AUTH,
     "NotAuthorizedException: PC_ERR_AUTH");
  is_str(r.err.type, "NotAuthorizedException", "server type kept");
  is_str(r.err.detail,
         "NotAuthorizedException: Incorrect username or "
         "password. [wrong password, or the sign-in was refused]",
         "detail for syslog, with errtable's note");
  ok(r.err.status == PC_ERR_AUTH && r.err.http_status == 400,
     "status and HTTP status in err");
  ok(r.tokens.id_token == NULL, "no tokens on failure");
  pc_login_result_free(&r);

  ok(run("T", NULL, &s, &r, NULL) == PC_ERR_UNAVAIL,
     "no answer: PC_ERR_UNAVAIL");
  is_str(r.err.detail, "InitiateAuth: network unavailable",
         "detail names the call");
  pc_login_result_free(&r);

  ok(run("x{\"Nothing\": 1}", NULL, &s, &r, NULL) == PC_ERR_PROTOCOL,
     "neither tokens nor a challenge: PC_ERR_PROTOCOL");
  is_str(r.err.detail, "reply has neither tokens nor a challenge", "and why");
  pc_login_result_free(&r);

  ok(run("x{\"AuthenticationResult\": {\"IdToken\": \"a.b.c\"}}", NULL, &s, &r,
         NULL) == PC_ERR_PROTOCOL,
     "AuthenticationResult without an access token: PC_ERR_PROTOCOL");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("PASSWORD_VERIFIER", "{\"USER_ID_FOR_SRP\": \"a\"}"),
         NULL, &s, &r, NULL) == PC_ERR_PROTOCOL,
     "PASSWORD_VERIFIER in USER_PASSWORD_AUTH is refused");
  is_str(r.challenge, "PASSWORD_VERIFIER", "challenge named for the log");
  pc_login_result_free(&r);
}

/* A server (or anything in between) must not turn a failure or a skipped
 * proof into tokens that count. */
static void test_tokens_that_do_not_count(void) {
  struct pc_login_result r;
  struct script s;

  cfg.auth_flow = PC_FLOW_SRP;
  ok(run("x" TOKENS, NULL, &s, &r, NULL) == PC_ERR_PROTOCOL,
     "USER_SRP_AUTH answered with tokens before PASSWORD_VERIFIER: refused");
  ok(strstr(r.err.detail, "PASSWORD_VERIFIER") != NULL, "and why (%s)",
     r.err.detail);
  ok(r.tokens.id_token == NULL, "no tokens kept");
  pc_login_result_free(&r);
  cfg.auth_flow = PC_FLOW_PASSWORD;

  ok(run("3" TOKENS, NULL, &s, &r, NULL) != PC_OK,
     "tokens with HTTP 302: not a success");
  ok(r.tokens.id_token == NULL, "no tokens kept from a 302");
  pc_login_result_free(&r);
  ok(run("4" TOKENS, NULL, &s, &r, NULL) == PC_ERR_PROTOCOL,
     "tokens with HTTP 400 and no error type: a protocol error");
  pc_login_result_free(&r);
  ok(run("5" TOKENS, NULL, &s, &r, NULL) == PC_ERR_UNAVAIL,
     "tokens with HTTP 500: unavailable");
  pc_login_result_free(&r);
  ok(run("x{\"AuthenticationResult\": {\"AccessToken\": \"\", "
         "\"IdToken\": \"\"}}",
         NULL, &s, &r, NULL) == PC_ERR_PROTOCOL,
     "empty tokens: a protocol error");
  pc_login_result_free(&r);
}

static void test_codes(void) {
  static const char *const good[] = {"123456", NULL};
  static const char *const twice[] = {"111111", "123456", NULL};
  static const char *const replay[] = {CANNED_PASSWORD, NULL};
  static const char *const empty[] = {"", NULL};
  struct pc_login_result r;
  struct script s;
  size_t served;

  ok(run("x" CHALLENGE("SMS_MFA", "{\"CODE_DELIVERY_DESTINATION\": "
                                  "\"+*******1234\"}") "\n--\nx" TOKENS,
         good, &s, &r, &served) == PC_OK &&
         served == 2,
     "SMS_MFA answered: tokens");
  is_str(s.prompts, "SMS code: |", "asked for the SMS code once");
  ok(strstr(s.told, "A verification code was sent by SMS to +*******1234.") !=
         NULL,
     "told where the code went: %s", s.told);
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE(
             "SOFTWARE_TOKEN_MFA",
             "{}") "\n--\n4{\"__type\": "
                   "\"CodeMismatchException\", \"message\": \"Invalid code\"}"
                   "\n--\nx" TOKENS,
         twice, &s, &r, &served) == PC_OK &&
         served == 3,
     "a wrong code, then the right one");
  ok(s.asked == 2 && strstr(s.told, "E:Wrong code, try again.|") != NULL,
     "asked twice, told it was wrong: %s", s.told);
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("EMAIL_OTP",
                       "{}") "\n--\n4{\"__type\": "
                             "\"CodeMismatchException\"}\n--\n4{\"__type\": "
                             "\"CodeMismatchException\"}\n--\n4{\"__type\": "
                             "\"CodeMismatchException\"}",
         (const char *const[]){"1", "2", "3", NULL}, &s, &r,
         NULL) == PC_ERR_AUTH,
     "three wrong codes: PC_ERR_AUTH");
  ok(strstr(s.told, "E:Wrong code.|") != NULL, "the last one says so");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE(
             "SMS_MFA",
             "{}") "\n--\n4{\"__type\": "
                   "\"ExpiredCodeException\", \"message\": \"expired\"}",
         good, &s, &r, NULL) == PC_ERR_EXPIRED,
     "an expired code: PC_ERR_EXPIRED");
  ok(strstr(s.told, "expired") == NULL &&
         strcmp(r.err.type, "ExpiredCodeException") == 0,
     "the words are left to errtable, once, at the end");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("SMS_MFA", "{}"), replay, &s, &r, &served) ==
             PC_ERR_CONV &&
         served == 1,
     "the login password as the code: PC_ERR_CONV, nothing sent");
  ok(strstr(s.told, "keyboard-interactive") != NULL, "told what to change");
  ok(strstr(r.err.detail, "repeated the login password") != NULL,
     "logged why: %s", r.err.detail);
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("SMS_MFA", "{}"), empty, &s, &r, NULL) == PC_ERR_ABORTED,
     "an empty code gives up");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("SMS_MFA", "{}"), NULL, &s, &r, NULL) == PC_ERR_CONV,
     "a conversation that cannot answer: PC_ERR_CONV");
  pc_login_result_free(&r);
}

static void test_new_password(void) {
  static const char *const pw[] = {"N3w-Passw0rd!", "N3w-Passw0rd!", NULL};
  static const char *const mismatch[] = {
      "N3w-Passw0rd!", "other", "N3w-Passw0rd!", "N3w-Passw0rd!", NULL};
  static const char *const retry[] = {"weak", "weak", "N3w-Passw0rd!",
                                      "N3w-Passw0rd!", NULL};
  static const char *const attrs[] = {"Alice", "N3w-Passw0rd!", "N3w-Passw0rd!",
                                      NULL};
  struct pc_login_result r;
  struct script s;

  ok(run("x" CHALLENGE("NEW_PASSWORD_REQUIRED", "{}") "\n--\nx" TOKENS, pw, &s,
         &r, NULL) == PC_OK,
     "NEW_PASSWORD_REQUIRED: tokens");
  is_str(r.new_password, "N3w-Passw0rd!", "the new password is handed back");
  is_str(s.prompts, "New password: |Retype new password: |",
         "asked twice, echo off");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("NEW_PASSWORD_REQUIRED", "{}") "\n--\nx" TOKENS,
         mismatch, &s, &r, NULL) == PC_OK &&
         s.asked == 4,
     "a mismatch asks again");
  ok(strstr(s.told, "E:Sorry, passwords do not match.|") != NULL,
     "and says so");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("NEW_PASSWORD_REQUIRED",
                       "{}") "\n--\n4{\"__type\": "
                             "\"InvalidPasswordException\", \"message\": "
                             "\"Password not long "
                             "enough\"}\n--\nx" TOKENS,
         retry, &s, &r, NULL) == PC_OK,
     "a policy rejection asks again");
  ok(strstr(s.told, "E:Password not long enough|") != NULL,
     "the server's policy message is shown: %s", s.told);
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("NEW_PASSWORD_REQUIRED",
                       "{\"requiredAttributes\": "
                       "\"[\\\"userAttributes.name\\\"]\"}") "\n--\nx" TOKENS,
         attrs, &s, &r, NULL) == PC_OK,
     "a required attribute is asked for");
  ok(strncmp(s.prompts, "name: |", 7) == 0, "by its name: %s", s.prompts);
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("NEW_PASSWORD_REQUIRED",
                       "{}") "\n--\n4{\"__type\": "
                             "\"NotAuthorizedException\", \"message\": "
                             "\"User is disabled.\"}",
         pw, &s, &r, NULL) == PC_ERR_AUTH,
     "any other refusal ends the challenge");
  pc_login_result_free(&r);
}

static void test_select_and_unsupported(void) {
  static const char *const pick[] = {"2", "123456", NULL};
  static const char *const bad[] = {"9", "x", "0", NULL};
  struct pc_login_result r;
  struct script s;

  ok(run("x" CHALLENGE("SELECT_MFA_TYPE",
                       "{\"MFAS_CAN_CHOOSE\": "
                       "\"[\\\"SMS_MFA\\\",\\\"SOFTWARE_TOKEN_MFA\\\"]"
                       "\"}") "\n--\nx" CHALLENGE("SOFTWARE_TOKEN_MFA",
                                                  "{}") "\n--"
                                                        "\nx" TOKENS,
         pick, &s, &r, NULL) == PC_OK,
     "SELECT_MFA_TYPE, then the chosen method's code");
  ok(strstr(s.told, "1) SMS code") && strstr(s.told, "2) authenticator app"),
     "the menu lists both methods: %s", s.told);
  is_str(s.prompts, "Method [1-2]: |Authenticator app code: |",
         "the choice, then the code");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("SELECT_MFA_TYPE",
                       "{\"MFAS_CAN_CHOOSE\": \"[\\\"SMS_MFA\\\"]\"}"),
         bad, &s, &r, NULL) == PC_ERR_ABORTED &&
         s.asked == 3,
     "three invalid choices give up");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("SELECT_MFA_TYPE", "{}"), pick, &s, &r, NULL) ==
         PC_ERR_PROTOCOL,
     "SELECT_MFA_TYPE without choices: PC_ERR_PROTOCOL");
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("MFA_SETUP", "{}"), NULL, &s, &r, NULL) ==
         PC_ERR_UNSUPPORTED,
     "MFA_SETUP: PC_ERR_UNSUPPORTED");
  ok(strstr(s.told, "set up multi-factor authentication") != NULL,
     "told what to do");
  is_str(r.err.detail,
         "MFA_SETUP: no method to set up here (MFAS_CAN_SETUP missing)",
         "and logged");
  pc_login_result_free(&r);

  cfg.mfa_setup = 0;
  ok(run("x" CHALLENGE("MFA_SETUP",
                       "{\"MFAS_CAN_SETUP\":\"[\\\"SOFTWARE_TOKEN_MFA\\\"]\"}"),
         NULL, &s, &r, NULL) == PC_ERR_UNSUPPORTED,
     "mfa_setup = false: MFA_SETUP is PC_ERR_UNSUPPORTED");
  is_str(r.err.detail, "unsupported challenge MFA_SETUP", "and logged");
  cfg.mfa_setup = 1;
  pc_login_result_free(&r);

  ok(run("x" CHALLENGE("SOMETHING_NEW\\u001b[2J", "{}"), NULL, &s, &r, NULL) ==
         PC_ERR_UNSUPPORTED,
     "an unknown challenge: PC_ERR_UNSUPPORTED");
  is_str(r.challenge, "SOMETHING_NEW?[2J", "its name sanitized for the log");
  pc_login_result_free(&r);
}

static void test_rounds(void) {
  char replies[4096] = "";
  static const char *const codes[] = {"1", "2", "3",  "4",  "5",  "6", "7",
                                      "8", "9", "10", "11", "12", NULL};
  struct pc_login_result r;
  struct script s;
  int i;

  for (i = 0; i < 12; i++) {
    strncat(replies, "x" CHALLENGE("SMS_MFA", "{}"),
            sizeof(replies) - strlen(replies) - 1);
    if (i < 11)
      strncat(replies, "\n--\n", sizeof(replies) - strlen(replies) - 1);
  }
  ok(run(replies, codes, &s, &r, NULL) == PC_ERR_PROTOCOL,
     "a server that never stops asking: PC_ERR_PROTOCOL");
  ok(strstr(r.err.detail, "too many challenge rounds") != NULL, "bounded: %s",
     r.err.detail);
  pc_login_result_free(&r);
}

/* A transport that answers with an error and a request id. */
static enum pc_status id_post(struct pc_http *h, const char *url,
                              const char *target, const char *body,
                              size_t body_len, long *status,
                              struct pc_buf *resp) {
  static const char reply[] = "{\"__type\": \"InternalErrorException\", "
                              "\"message\": \"boom\"}";

  (void)url, (void)target, (void)body, (void)body_len;
  pc_http_set_request_id(h, "4d1f\x1b-req");
  *status = 400;
  return pc_buf_append(resp, reply, sizeof(reply) - 1) ? PC_ERR_PROTOCOL
                                                       : PC_OK;
}

static void test_request_id(void) {
  static const struct pc_http_ops ops = {.post = id_post};
  struct pc_login_opts o = {.username = "alice",
                            .password = CANNED_PASSWORD,
                            .max_attempts = 3,
                            .max_rounds = 10,
                            .now = NULL};
  struct pc_login_result r;
  struct pc_client cl;
  char text[1024];

  if (pc_client_init(&cl, &cfg, pc_http_new_custom(&ops, NULL)) != PC_OK) {
    ok(0, "client");
    return;
  }
  cl.retries = 0;
  ok(pc_login(&cl, &o, &canned_prompter, &r) == PC_ERR_UNAVAIL,
     "InternalErrorException: PC_ERR_UNAVAIL");
  is_str(r.err.request_id, "4d1f?-req", "request id kept, sanitized");
  is_str(pc_error_text(&r.err, text, sizeof(text)),
         "InternalErrorException: boom [Cognito internal error] (request id "
         "4d1f?-req)",
         "the log text quotes it");
  pc_login_result_free(&r);
  pc_client_free(&cl);
}

int main(void) {
  struct pc_error err;

  if (pc_config_init(&cfg) != 0 ||
      pc_config_set(&cfg, "region", "us-east-1", &err) != 0 ||
      pc_config_set(&cfg, "user_pool_id", "us-east-1_AbC123", &err) != 0 ||
      pc_config_set(&cfg, "client_id", "abc123", &err) != 0 ||
      pc_config_set(&cfg, "client_secret", "s3cret", &err) != 0 ||
      pc_config_set(&cfg, "idp_endpoint", "http://127.0.0.1:9", &err) != 0) {
    printf("Bail out! configuration: %s\n", err.detail);
    return 1;
  }
  cfg.auth_flow = PC_FLOW_PASSWORD;
  test_plain();
  test_tokens_that_do_not_count();
  test_codes();
  test_new_password();
  test_select_and_unsupported();
  test_rounds();
  test_request_id();
  pc_config_free(&cfg);
  return tap_done();
}
