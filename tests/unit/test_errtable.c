/* SPDX-License-Identifier: MIT */
/* errtable: every error type of the sign-in calls has its own row, the
 * meanings of NotAuthorizedException are told apart, unknown types fail
 * closed, and what a user is shown is the right text, sanitized and
 * bounded. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "net/api_errors.h"
#include "tap.h"

/* The union of the error types that the service model lists for
 * InitiateAuth, RespondToAuthChallenge, ChangePassword, ForgotPassword,
 * ConfirmForgotPassword, AssociateSoftwareToken and VerifySoftwareToken
 * (tests/emulator/error_catalog.py holds them per operation). */
static const char *const model_types[] = {
    "AliasExistsException",
    "CodeDeliveryFailureException",
    "CodeMismatchException",
    "ConcurrentModificationException",
    "EnableSoftwareTokenMFAException",
    "ExpiredCodeException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "InvalidUserPoolConfigurationException",
    "LimitExceededException",
    "MFAMethodNotFoundException",
    "NotAuthorizedException",
    "PasswordHistoryPolicyViolationException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "SoftwareTokenMFANotFoundException",
    "TooManyFailedAttemptsException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
};

static struct pc_error server_error(enum pc_status st, const char *type,
                                    const char *msg) {
  struct pc_error e;

  memset(&e, 0, sizeof(e));
  e.status = st;
  (void)snprintf(e.type, sizeof(e.type), "%s", type);
  pc_sanitize(e.message, sizeof(e.message), msg);
  return e;
}

/* The status api.c gives the error, and what the user is told. */
static int say(const char *type, const char *msg, char *out, size_t n) {
  struct pc_error e =
      server_error(pc_errtable_find(type, msg)->status, type, msg);

  return pc_errtable_say(&e, out, n);
}

static void test_every_model_type_has_a_row(void) {
  const struct pc_errtable_row *rows, *fallback;
  size_t i, n;

  rows = pc_errtable_rows(&n);
  fallback = &rows[n - 1];
  ok(fallback->type == NULL && fallback->status == PC_ERR_DENIED,
     "the last row is the fallback, and it refuses");
  for (i = 0; i < sizeof(model_types) / sizeof(model_types[0]); i++) {
    const struct pc_errtable_row *r = pc_errtable_find(model_types[i], "x");
    ok(r != fallback && strcmp(r->type, model_types[i]) == 0,
       "%s has its own row", model_types[i]);
    ok(r->status != PC_OK && r->note && *r->note, "%s: a status and a note",
       model_types[i]);
    ok((r->say == PC_SAY_NOTHING) == (r->text == NULL),
       "%s: words unless it is said nothing", model_types[i]);
  }
  for (i = 0; i < n; i++) {
    int throttle = rows[i].type &&
                   (strcmp(rows[i].type, "TooManyRequestsException") == 0 ||
                    strcmp(rows[i].type, "ThrottlingException") == 0 ||
                    strcmp(rows[i].type, "Throttling") == 0); /* STS */
    ok(rows[i].retry == throttle, "row %zu: only throttling is retried", i);
  }
}

static void test_not_authorized_meanings(void) {
  const struct pc_errtable_row *r;
  char out[256];

  r = pc_errtable_find("NotAuthorizedException", "Password attempts exceeded");
  ok(r->status == PC_ERR_LOCKED, "lockout -> locked");
  ok(say("NotAuthorizedException", "Password attempts exceeded", out,
         sizeof(out)),
     "lockout is told");
  is_str(out, "Too many failed attempts; try again in a few minutes.",
         "lockout words");

  r = pc_errtable_find("NotAuthorizedException",
                       "Incorrect username or password.");
  ok(r->status == PC_ERR_AUTH && r->say == PC_SAY_NOTHING,
     "wrong password: auth error");
  ok(!say("NotAuthorizedException", "Incorrect username or password.", out,
          sizeof(out)) &&
         out[0] == '\0',
     "wrong password stays silent");

  ok(say("NotAuthorizedException", "User is disabled.", out, sizeof(out)) &&
         strstr(out, "disabled") != NULL,
     "disabled user is told: %s", out);
  ok(pc_errtable_find("NotAuthorizedException", "User is disabled.")->status ==
         PC_ERR_AUTH,
     "disabled -> auth error");
  ok(say("NotAuthorizedException",
         "Temporary password has expired and must be reset by an "
         "administrator.",
         out, sizeof(out)) &&
         strstr(out, "temporary password has expired") != NULL,
     "expired temporary password is told: %s", out);
  r = pc_errtable_find("NotAuthorizedException",
                       "Unable to verify secret hash for client abc");
  ok(r->status == PC_ERR_CONFIG && strstr(r->note, "client_secret"),
     "secret hash -> configuration, syslog names client_secret");
  r = pc_errtable_find("NotAuthorizedException",
                       "Refresh Token has been revoked");
  ok(r->status == PC_ERR_AUTH && strstr(r->note, "revoked"),
     "revoked refresh token");
  r = pc_errtable_find("com.amazonaws.cognito#NotAuthorizedException:http://x",
                       "Password attempts exceeded");
  ok(r->status == PC_ERR_LOCKED, "namespace and suffix stripped");
  ok(pc_errtable_find("NotAuthorizedException", NULL)->status == PC_ERR_AUTH,
     "no message: auth error");
}

static void test_unknown_fails_closed(void) {
  char out[256];

  ok(pc_errtable_find("SomeFutureException", "whatever")->status ==
         PC_ERR_DENIED,
     "unknown type -> denied");
  ok(pc_errtable_find(NULL, NULL)->status == PC_ERR_DENIED,
     "no type -> denied");
  ok(pc_errtable_find("notauthorizedexception", NULL)->status == PC_ERR_DENIED,
     "types are matched exactly");
  ok(say("SomeFutureException", "x", out, sizeof(out)) &&
         strstr(out, "unexpected error"),
     "unknown type is told: %s", out);
}

static void test_words(void) {
  struct pc_error e;
  char out[256], longmsg[600];

  ok(say("UserLambdaValidationException",
         "PreAuthentication failed with error Not during office hours.", out,
         sizeof(out)),
     "lambda refusal is told");
  is_str(out, "Not during office hours.", "the trigger's own words");
  ok(say("UserLambdaValidationException", "odd shape", out, sizeof(out)) &&
         strstr(out, "refused by the user pool's rules"),
     "lambda without the usual shape: fixed words");
  ok(pc_errtable_find("UnexpectedLambdaException", "x")->status ==
         PC_ERR_CONFIG,
     "broken trigger: configuration");
  ok(strstr(pc_errtable_find("InvalidSmsRoleAccessPolicyException", "x")->note,
            "pool configuration") != NULL,
     "SMS role: pool configuration problem in syslog");
  ok(say("InvalidPasswordException",
         "Password does not conform to policy: Password not long enough", out,
         sizeof(out)),
     "policy failure is told");
  is_str(out, "Password does not conform to policy: Password not long enough",
         "in the server's words");
  ok(pc_errtable_find("PasswordHistoryPolicyViolationException", "x")->status ==
         PC_ERR_INVALID_PASSWORD,
     "password history: like a policy failure");

  ok(say("UserLambdaValidationException",
         "PreAuthentication failed with error bad\x1b[2Jterm\n", out,
         sizeof(out)) &&
         strchr(out, '\x1b') == NULL && strchr(out, '\n') == NULL,
     "control characters do not reach the terminal: %s", out);
  memset(longmsg, 'a', sizeof(longmsg) - 1);
  longmsg[sizeof(longmsg) - 1] = '\0';
  memcpy(longmsg, "X failed with error ", 20);
  ok(say("UserLambdaValidationException", longmsg, out, sizeof(out)) &&
         strlen(out) <= PC_ERRTABLE_SAY_MAX,
     "long server text is cut to %d bytes (%zu)", PC_ERRTABLE_SAY_MAX,
     strlen(out));

  /* The server error is not what ended the call: no words from it. */
  e = server_error(PC_ERR_ABORTED, "InvalidPasswordException", "policy");
  ok(!pc_errtable_say(&e, out, sizeof(out)), "status differs: nothing said");
  memset(&e, 0, sizeof(e));
  e.status = PC_ERR_UNAVAIL;
  ok(!pc_errtable_say(&e, out, sizeof(out)), "no server error: nothing said");
  ok(!pc_errtable_say(NULL, out, sizeof(out)), "NULL: nothing said");
}

/* Issue 24: threat protection's two messages are blocks, and an app
 * client that lacks the flow is named by its ExplicitAuthFlows value. */
static void test_blocks_and_flows(void) {
  const struct pc_errtable_row *r;
  char out[PC_ERRTABLE_SAY_MAX + 1];

  r = pc_errtable_find("NotAuthorizedException",
                       "Unable to login because of security reasons.");
  ok(r->status == PC_ERR_DENIED && strstr(r->note, "threat protection"),
     "adaptive authentication block: denied, not a wrong password");
  r = pc_errtable_find("NotAuthorizedException",
                       "Request not allowed due to security reasons.");
  ok(r->status == PC_ERR_DENIED && strstr(r->note, "threat protection"),
     "request block: denied");
  ok(say("NotAuthorizedException",
         "Unable to login because of security reasons.", out, sizeof(out)) &&
         strstr(out, "security reasons") && strstr(out, "administrator"),
     "the block is told: %s", out);
  r = pc_errtable_find("InvalidParameterException",
                       "USER_PASSWORD_AUTH flow not enabled for this client");
  ok(r->status == PC_ERR_CONFIG, "InvalidParameter flow refusal: config");
  ok(pc_errtable_allow_flow(r, "USER_PASSWORD_AUTH") != NULL &&
         strcmp(pc_errtable_allow_flow(r, "USER_PASSWORD_AUTH"),
                "ALLOW_USER_PASSWORD_AUTH") == 0,
     "USER_PASSWORD_AUTH needs ALLOW_USER_PASSWORD_AUTH");
  ok(strcmp(pc_errtable_allow_flow(r, "USER_SRP_AUTH"),
            "ALLOW_USER_SRP_AUTH") == 0 &&
         strcmp(pc_errtable_allow_flow(r, "REFRESH_TOKEN_AUTH"),
                "ALLOW_REFRESH_TOKEN_AUTH") == 0,
     "SRP and refresh flows");
  ok(pc_errtable_allow_flow(r, NULL) == NULL &&
         pc_errtable_allow_flow(r, "NO_SUCH_FLOW") == NULL,
     "no AuthFlow, no hint");
  r = pc_errtable_find("InvalidParameterException", "1 validation error");
  ok(r->status == PC_ERR_INVALID_PARAM &&
         pc_errtable_allow_flow(r, "USER_SRP_AUTH") == NULL,
     "another invalid parameter gets no hint");
}

int main(void) {
  test_every_model_type_has_a_row();
  test_blocks_and_flows();
  test_not_authorized_meanings();
  test_unknown_fails_closed();
  test_words();
  return tap_done();
}
