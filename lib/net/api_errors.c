/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "config/authflow.h"
#include "net/api_errors.h"

#define ADMIN "; contact your administrator."
#define MISCONFIGURED "The sign-in service is misconfigured" ADMIN
#define NO_CODE "The code cannot be sent: the user pool is misconfigured" ADMIN
#define BUSY "The sign-in service is busy; try again in a moment."
#define UNREACHABLE                                                            \
  "The Cognito sign-in service cannot be reached or answered unexpectedly; "   \
  "try again later."
#define LOCKED "Too many failed attempts; try again in a few minutes."
#define POOL_CONFIG "user pool configuration problem: "
#define IDENTITY_CONFIG "identity pool configuration problem: "
#define THREAT "The sign-in was blocked for security reasons" ADMIN
#define THREAT_NOTE                                                            \
  "blocked by the user pool's threat protection (adaptive authentication or "  \
  "compromised credentials): not a wrong password"
#define NO_CREDENTIALS "AWS credentials cannot be issued for your account" ADMIN
#define STS_INVALID "STS refused the request as invalid"
#define PASSKEYS_OFF "Passkeys are not available in this user pool" ADMIN
#define PASSKEY_REFUSED "The user pool refused this passkey" ADMIN

/* Rows of one type with a meaning come before its row without one: the
 * first match wins. */
static const struct pc_errtable_row rows[] = {
    /* NotAuthorizedException: one type, many truths. */
    {"NotAuthorizedException", "Password attempts exceeded", PC_ERR_LOCKED,
     PC_SAY_FIXED, LOCKED,
     "Cognito locked the sign-in after repeated failures (not counted as a "
     "wrong password)",
     0},
    {"NotAuthorizedException", "User is disabled", PC_ERR_AUTH, PC_SAY_FIXED,
     "Your account is disabled" ADMIN, "user disabled in the user pool", 0},
    {"NotAuthorizedException", "Temporary password has expired", PC_ERR_AUTH,
     PC_SAY_FIXED,
     "Your temporary password has expired and must be reset by an "
     "administrator.",
     "temporary password expired", 0},
    {"NotAuthorizedException", "Unable to verify secret hash", PC_ERR_CONFIG,
     PC_SAY_FIXED, MISCONFIGURED,
     "client_secret does not belong to the app client (SECRET_HASH refused)",
     0},
    {"NotAuthorizedException", "SECRET_HASH was not received", PC_ERR_CONFIG,
     PC_SAY_FIXED, MISCONFIGURED,
     "the app client has a secret: set client_secret", 0},
    {"NotAuthorizedException", PC_ERRTABLE_FLOW_OFF, PC_ERR_CONFIG,
     PC_SAY_FIXED, MISCONFIGURED,
     "the app client does not allow this auth_flow (ExplicitAuthFlows)", 0},
    /* Threat protection's words (developer guide, threat protection): a
     * block, never a wrong password, so the offline verifier stays. */
    {"NotAuthorizedException", "Unable to login because of security reasons",
     PC_ERR_DENIED, PC_SAY_FIXED, THREAT, THREAT_NOTE, 0},
    {"NotAuthorizedException", "Request not allowed due to security reasons",
     PC_ERR_DENIED, PC_SAY_FIXED, THREAT, THREAT_NOTE, 0},
    /* A challenge session Cognito no longer takes: past the app client's
     * AuthSessionValidity, used once already, or dead after too many wrong
     * codes ("Invalid session for the user[, ...]"). The API reference
     * names only the type; this row is the one place that tells it from a
     * plain no, and user_auth.c's code rounds send a new code on it. */
    {"NotAuthorizedException", "Invalid session", PC_ERR_EXPIRED, PC_SAY_FIXED,
     "The sign-in session has expired; please log in again.",
     "challenge session expired", 0},
    {"NotAuthorizedException", "Refresh Token has been revoked", PC_ERR_AUTH,
     PC_SAY_FIXED, "Your session was revoked; please log in again.",
     "refresh token revoked (signed out, or revoked by an administrator)", 0},
    {"NotAuthorizedException", "Access Token has been revoked", PC_ERR_AUTH,
     PC_SAY_FIXED, "Your session was revoked; please log in again.",
     "access token revoked", 0},
    {"NotAuthorizedException", NULL, PC_ERR_AUTH, PC_SAY_NOTHING, NULL,
     "wrong password, or the sign-in was refused", 0},
    {"UserNotFoundException", NULL, PC_ERR_USER_UNKNOWN, PC_SAY_NOTHING, NULL,
     "user unknown to the user pool", 0},
    {"UserNotConfirmedException", NULL, PC_ERR_USER_NOT_CONFIRMED, PC_SAY_FIXED,
     "Your account is not confirmed yet.",
     "user not confirmed (sign-up not completed)", 0},
    /* The reset flow (password_reset) acts on this status before a user
     * hears of it; what is said here is for a reset that cannot run. */
    {"PasswordResetRequiredException", NULL, PC_ERR_PASSWORD_RESET,
     PC_SAY_FIXED, "Your password must be reset before you can log in.",
     "password reset required", 0},
    {"InvalidPasswordException", NULL, PC_ERR_INVALID_PASSWORD, PC_SAY_SERVER,
     "The new password was rejected.", "new password refused by the policy", 0},
    {"PasswordHistoryPolicyViolationException", NULL, PC_ERR_INVALID_PASSWORD,
     PC_SAY_SERVER, "That password was used before; choose another.",
     "new password refused: used before (password history)", 0},
    {"CodeMismatchException", NULL, PC_ERR_CODE_MISMATCH, PC_SAY_FIXED,
     "Wrong code.", "wrong code", 0},
    {"EnableSoftwareTokenMFAException", NULL, PC_ERR_CODE_MISMATCH,
     PC_SAY_FIXED, "Wrong code.", "authenticator code refused at enrolment", 0},
    {"ExpiredCodeException", NULL, PC_ERR_EXPIRED, PC_SAY_FIXED,
     "The code has expired; please log in again.", "code expired", 0},
    {"TooManyFailedAttemptsException", NULL, PC_ERR_LOCKED, PC_SAY_FIXED,
     LOCKED, "too many wrong codes", 0},
    {"LimitExceededException", NULL, PC_ERR_LOCKED, PC_SAY_FIXED,
     "Too many attempts; try again later.", "attempt limit exceeded", 0},
    {"TooManyRequestsException", NULL, PC_ERR_LIMIT, PC_SAY_FIXED, BUSY,
     "throttled by Cognito (request rate quota)", 1},
    {"ThrottlingException", NULL, PC_ERR_LIMIT, PC_SAY_FIXED, BUSY,
     "throttled by Cognito", 1},
    {"ConcurrentModificationException", NULL, PC_ERR_LIMIT, PC_SAY_FIXED, BUSY,
     "concurrent change of the same user", 0},
    {"InternalErrorException", NULL, PC_ERR_UNAVAIL, PC_SAY_FIXED, UNREACHABLE,
     "Cognito internal error", 0},
    /* "USER_PASSWORD_AUTH flow not enabled for this client": pc_api_call
     * adds the ExplicitAuthFlows value the request's AuthFlow needs. */
    {"InvalidParameterException", PC_ERRTABLE_FLOW_OFF, PC_ERR_CONFIG,
     PC_SAY_FIXED, MISCONFIGURED,
     "the app client does not allow this auth_flow (ExplicitAuthFlows)", 0},
    {"InvalidParameterException", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     MISCONFIGURED, "request refused as invalid", 0},
    {"ResourceNotFoundException", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     MISCONFIGURED,
     "user pool or app client not found: check region, user_pool_id, "
     "client_id",
     0},
    /* Lambda triggers: a refusal is the pool's rule, not an outage. */
    {"UserLambdaValidationException", NULL, PC_ERR_DENIED, PC_SAY_TRIGGER,
     "The sign-in was refused by the user pool's rules.",
     "refused by a Lambda trigger of the user pool", 0},
    {"UnexpectedLambdaException", NULL, PC_ERR_CONFIG, PC_SAY_TRIGGER,
     "A sign-in check of the user pool failed" ADMIN,
     POOL_CONFIG "a Lambda trigger failed", 0},
    {"InvalidLambdaResponseException", NULL, PC_ERR_CONFIG, PC_SAY_TRIGGER,
     "A sign-in check of the user pool failed" ADMIN,
     POOL_CONFIG "a Lambda trigger answered invalidly", 0},
    {"ForbiddenException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "The sign-in was blocked by the user pool's firewall" ADMIN,
     "blocked by the user pool's AWS WAF web ACL", 0},
    {"MFAMethodNotFoundException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "No second factor is set up for your account" ADMIN,
     "MFA required but the user has no MFA method", 0},
    /* MFA_SETUP enrolment (mfa_setup) handles a missing authenticator where
     * it can; this row is for what reaches the user anyway. */
    {"SoftwareTokenMFANotFoundException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "No authenticator app is registered for your account" ADMIN,
     "software token MFA not enabled for the pool or the user", 0},
    {"AliasExistsException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "That email address or phone number belongs to another account.",
     "alias already used by another user", 0},
    {"InvalidUserPoolConfigurationException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     MISCONFIGURED, POOL_CONFIG "invalid pool configuration", 0},
    {"InvalidSmsRoleAccessPolicyException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     NO_CODE, POOL_CONFIG "the SMS role may not publish with SNS", 0},
    {"InvalidSmsRoleTrustRelationshipException", NULL, PC_ERR_CONFIG,
     PC_SAY_FIXED, NO_CODE, POOL_CONFIG "the SMS role does not trust Cognito",
     0},
    {"InvalidEmailRoleAccessPolicyException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     NO_CODE, POOL_CONFIG "Cognito may not use the SES email identity", 0},
    {"CodeDeliveryFailureException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     "The code could not be delivered" ADMIN,
     POOL_CONFIG "code delivery failed (SNS or SES)", 0},
    {"RefreshTokenReuseException", NULL, PC_ERR_AUTH, PC_SAY_FIXED,
     "Your session was revoked; please log in again.",
     "refresh token reused after rotation", 0},
    /* A multi-Region pool's secondary Region refuses what writes to the
     * user (issue 24 item 1): a refusal, never an outage. */
    {"OperationNotEnabledException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "This is not possible while the sign-in service runs from its "
     "secondary Region; try again later or contact your administrator.",
     "the user pool's secondary (replica) Region refuses this call: "
     "password changes and resets, MFA set-up and sign-up work only in the "
     "primary Region",
     0},
    {"UnsupportedOperationException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     MISCONFIGURED,
     "operation not enabled for the app client (token revocation turned "
     "off, or a flow the user pool does not offer)",
     0},
    {"UnauthorizedException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED, MISCONFIGURED,
     "request not authorized for this app client (client_secret, or a token "
     "of another app client)",
     0},
    {"UnsupportedTokenTypeException", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     MISCONFIGURED, "the operation does not take this kind of token", 0},
    {"DeviceKeyExistsException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "This computer is already registered for your account" ADMIN,
     "device key already confirmed (ConfirmDevice)", 0},
    {"UsernameExistsException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "That user name belongs to another account" ADMIN,
     "user name already exists in the user pool", 0},
    /* Passkey registration and management (pam_cognito-passkey): its
     * person reads the note, after the type and Cognito's message. */
    {"WebAuthnNotEnabledException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     PASSKEYS_OFF, "passkeys are not turned on in this user pool", 0},
    {"WebAuthnConfigurationMissingException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     PASSKEYS_OFF,
     POOL_CONFIG "passkeys need a relying party ID or a domain of the user "
                 "pool",
     0},
    {"WebAuthnChallengeNotFoundException", NULL, PC_ERR_EXPIRED, PC_SAY_FIXED,
     "The passkey registration expired; start it again.",
     "the registration's challenge expired or was used: start again", 0},
    {"WebAuthnRelyingPartyMismatchException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     PASSKEY_REFUSED,
     "the passkey was made for another relying party ID than the user "
     "pool's",
     0},
    {"WebAuthnClientMismatchException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     PASSKEY_REFUSED,
     "the registration was started with another app client: start again", 0},
    {"WebAuthnOriginNotAllowedException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     PASSKEY_REFUSED,
     POOL_CONFIG "the registration's origin (https:// and the relying party "
                 "ID Cognito sent) does not match the pool's relying party ID",
     0},
    {"WebAuthnCredentialNotSupportedException", NULL, PC_ERR_DENIED,
     PC_SAY_FIXED,
     "The user pool does not accept this kind of passkey; try another "
     "authenticator.",
     "the user pool does not accept passkeys of this device or provider", 0},
    /* The identity pool (GetId, GetCredentialsForIdentity, GetOpenIdToken). */
    {"InvalidIdentityPoolConfigurationException", NULL, PC_ERR_CONFIG,
     PC_SAY_FIXED, NO_CREDENTIALS,
     IDENTITY_CONFIG "no authenticated role, or STS refused to assume it "
                     "(the role's trust policy)",
     0},
    {"ResourceConflictException", NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     NO_CREDENTIALS, "the login is linked to another identity", 0},
    {"ExternalServiceException", NULL, PC_ERR_LIMIT, PC_SAY_FIXED, UNREACHABLE,
     "a service the identity pool depends on did not answer", 0},
    /* STS AssumeRoleWithWebIdentity (query protocol: the wire codes; the
     * statuses as lib/aws/sts.c judges them). */
    {"IDPRejectedClaim", NULL, PC_ERR_AUTH, PC_SAY_FIXED, NO_CREDENTIALS,
     "STS: the role's trust policy refused the token", 0},
    {"InvalidIdentityToken", NULL, PC_ERR_AUTH, PC_SAY_FIXED, NO_CREDENTIALS,
     "STS: the web identity token is not valid", 0},
    {"ExpiredTokenException", NULL, PC_ERR_AUTH, PC_SAY_FIXED,
     "The sign-in session has expired; please log in again.",
     "STS: the web identity token has expired", 0},
    {"IDPCommunicationError", NULL, PC_ERR_LIMIT, PC_SAY_FIXED, UNREACHABLE,
     "STS could not reach the identity provider", 0},
    {"MalformedPolicyDocument", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     NO_CREDENTIALS, "STS: malformed session policy", 0},
    {"PackedPolicyTooLarge", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     NO_CREDENTIALS, "STS: session policy too large", 0},
    {"RegionDisabledException", NULL, PC_ERR_CONFIG, PC_SAY_FIXED,
     NO_CREDENTIALS,
     "STS is not activated in this region (IAM account settings)", 0},
    /* The query protocol's common errors, which STS answers any action
     * with (the AWS API reference's common errors): not in the model. */
    {"Throttling", NULL, PC_ERR_LIMIT, PC_SAY_FIXED, BUSY,
     "throttled by STS (request rate)", 1},
    {"AccessDenied", NULL, PC_ERR_CONFIG, PC_SAY_FIXED, NO_CREDENTIALS,
     "STS: the role's trust policy does not let this identity pool's token "
     "assume it",
     0},
    {"ExpiredToken", NULL, PC_ERR_AUTH, PC_SAY_FIXED,
     "The sign-in session has expired; please log in again.",
     "STS: the token has expired", 0},
    {"ValidationError", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     NO_CREDENTIALS, STS_INVALID " (check role_arn)", 0},
    {"InvalidParameterValue", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     NO_CREDENTIALS, STS_INVALID, 0},
    {"MissingParameter", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     NO_CREDENTIALS, STS_INVALID, 0},
    {"InvalidAction", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED, NO_CREDENTIALS,
     STS_INVALID " (is sts_endpoint an STS endpoint?)", 0},
    {"MalformedQueryString", NULL, PC_ERR_INVALID_PARAM, PC_SAY_FIXED,
     NO_CREDENTIALS, STS_INVALID, 0},
    /* Outages, also when they come with a status below 500. */
    {"InternalFailure", NULL, PC_ERR_UNAVAIL, PC_SAY_FIXED, UNREACHABLE,
     "STS internal error", 0},
    {"ServiceUnavailable", NULL, PC_ERR_UNAVAIL, PC_SAY_FIXED, UNREACHABLE,
     "STS temporarily unavailable", 0},
    /* A type this table does not know (a future one): never success, never
     * an outage that would open the offline login. */
    {NULL, NULL, PC_ERR_DENIED, PC_SAY_FIXED,
     "The sign-in service refused the login with an unexpected error" ADMIN,
     "unknown Cognito error type: refused", 0},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The bare name: after the last '#', cut at the first ':'. */
static size_t bare(const char *raw, const char **start) {
  const char *p = strrchr(raw, '#');

  *start = p ? p + 1 : raw;
  return strcspn(*start, ":");
}

const struct pc_errtable_row *pc_errtable_find(const char *type,
                                               const char *message) {
  const char *name;
  size_t len, i;

  if (type == NULL)
    return &rows[NROWS - 1];
  len = bare(type, &name);
  for (i = 0; i + 1 < NROWS; i++) {
    if (strlen(rows[i].type) != len || strncmp(rows[i].type, name, len) != 0)
      continue;
    if (rows[i].meaning == NULL ||
        (message != NULL && strstr(message, rows[i].meaning) != NULL))
      return &rows[i];
  }
  return &rows[NROWS - 1];
}

const char *pc_errtable_allow_flow(const struct pc_errtable_row *row,
                                   const char *auth_flow) {
  if (row == NULL || row->meaning == NULL || auth_flow == NULL ||
      strcmp(row->meaning, PC_ERRTABLE_FLOW_OFF) != 0)
    return NULL;
  return pc_auth_flow_allow(auth_flow);
}

const struct pc_errtable_row *pc_errtable_rows(size_t *n) {
  *n = NROWS;
  return rows;
}

/* "PreAuthentication failed with error Not during office hours." -> the
 * trigger's words, or NULL when the message has no such shape. */
static const char *trigger_words(const char *msg) {
  static const char marker[] = " failed with error ";
  const char *p = strstr(msg, marker);

  return p && p[sizeof(marker) - 1] ? p + sizeof(marker) - 1 : NULL;
}

int pc_errtable_say(const struct pc_error *e, char *out, size_t n) {
  const struct pc_errtable_row *row;
  const char *text;
  char shown[PC_ERRTABLE_SAY_MAX + 1];

  if (n > 0)
    out[0] = '\0';
  if (e == NULL || e->type[0] == '\0' || n == 0)
    return 0;
  row = pc_errtable_find(e->type, e->message);
  if (row->status != e->status || row->say == PC_SAY_NOTHING)
    return 0;
  text = row->text;
  if (row->say == PC_SAY_SERVER && e->message[0])
    text = e->message;
  else if (row->say == PC_SAY_TRIGGER && trigger_words(e->message))
    text = trigger_words(e->message);
  /* e->message is sanitized already; bound it for a terminal line. */
  pc_sanitize(shown, sizeof(shown), text);
  (void)snprintf(out, n, "%s", shown);
  return 1;
}
