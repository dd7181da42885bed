"""Every row of lib/net/api_errors.c through a real PAM stack: the emulator
answers one Cognito error (type and message) and the test asserts the PAM
result, what the user is told, and the syslog line. Also the lockout and
the disabled account as the emulator produces them, the offline verifier
surviving a lockout, a password-history refusal asking again, and that the
man page's table names every error type."""
import os
import re
import sys
import unittest

from pamrun import IDENTITY_POOL, POOL, CacheTest, EmulatorTest, Stack, base_config, ensure_user

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
import error_catalog  # noqa: E402

ALICE_PW = "Alice-Passw0rd!"
IA, RA = "InitiateAuth", "RespondToAuthChallenge"
ADMIN = "; contact your administrator."
MISCONFIGURED = "The sign-in service is misconfigured" + ADMIN
BUSY = "The sign-in service is busy; try again in a moment."
UNREACHABLE = ("The Cognito sign-in service cannot be reached or answered unexpectedly; "
               "try again later.")
LOCKED = "Too many failed attempts; try again in a few minutes."
REVOKED = "Your session was revoked; please log in again."
NO_CODE = "The code cannot be sent: the user pool is misconfigured" + ADMIN
LAMBDA_BROKEN = "A sign-in check of the user pool failed" + ADMIN
THREAT = "The sign-in was blocked for security reasons" + ADMIN
NO_CREDENTIALS = "AWS credentials cannot be issued for your account" + ADMIN
PASSKEYS_OFF = "Passkeys are not available in this user pool" + ADMIN
PASSKEY_REFUSED = "The user pool refused this passkey" + ADMIN

# (operation, type, message, PAM result, the user's error text or None,
#  words of the syslog note). Operations are where real Cognito sends the
# error in a login; a type the login's calls never return (its flow lives
# in the reset or enrolment code) is injected on InitiateAuth with AnyType.
ROWS = [
    (RA, "NotAuthorizedException", "Password attempts exceeded", "PAM_MAXTRIES", LOCKED,
     "not counted as a wrong password"),
    (IA, "NotAuthorizedException", "User is disabled.", "PAM_AUTH_ERR",
     "Your account is disabled" + ADMIN, "user disabled"),
    (RA, "NotAuthorizedException",
     "Temporary password has expired and must be reset by an administrator.", "PAM_AUTH_ERR",
     "Your temporary password has expired and must be reset by an administrator.",
     "temporary password expired"),
    (IA, "NotAuthorizedException", "Unable to verify secret hash for client 1example",
     "PAM_SERVICE_ERR", MISCONFIGURED, "client_secret does not belong"),
    (IA, "NotAuthorizedException",
     "Client 1example is configured with secret but SECRET_HASH was not received",
     "PAM_SERVICE_ERR", MISCONFIGURED, "set client_secret"),
    (IA, "NotAuthorizedException", "USER_SRP_AUTH flow not enabled for this client",
     "PAM_SERVICE_ERR", MISCONFIGURED, "ExplicitAuthFlows"),
    (RA, "NotAuthorizedException", "Invalid session for the user, session is expired.",
     "PAM_AUTH_ERR", "The sign-in session has expired; please log in again.", "session expired"),
    (IA, "NotAuthorizedException", "Refresh Token has been revoked", "PAM_AUTH_ERR", REVOKED,
     "refresh token revoked"),
    (RA, "NotAuthorizedException", "Access Token has been revoked", "PAM_AUTH_ERR", REVOKED,
     "access token revoked"),
    (RA, "NotAuthorizedException", "Incorrect username or password.", "PAM_AUTH_ERR", None,
     "wrong password"),
    (IA, "UserNotFoundException", "User does not exist.", "PAM_USER_UNKNOWN", None,
     "user unknown to the user pool"),
    (IA, "UserNotConfirmedException", "User is not confirmed.", "PAM_AUTH_ERR",
     "Your account is not confirmed yet.", "not confirmed"),
    # The reset flow (password_reset, default on) takes this status over;
    # the row is what remains with password_reset = false (see ROW_CONFIG).
    (IA, "PasswordResetRequiredException", "Password reset required for the user",
     "PAM_AUTH_ERR", "Your password must be reset before you can log in.",
     "password reset required"),
    (RA, "InvalidPasswordException", "Password does not conform to policy: too short",
     "PAM_AUTH_ERR", "Password does not conform to policy: too short", "policy"),
    (RA, "PasswordHistoryPolicyViolationException", "Password has previously been used",
     "PAM_AUTH_ERR", "Password has previously been used", "password history"),
    (RA, "CodeMismatchException", "Invalid code received for user", "PAM_AUTH_ERR",
     "Wrong code.", "wrong code"),
    (IA, "EnableSoftwareTokenMFAException", "Code mismatch", "PAM_AUTH_ERR", "Wrong code.",
     "refused at enrolment"),
    (RA, "ExpiredCodeException", "Invalid code provided, please request a code again.",
     "PAM_AUTH_ERR", "The code has expired; please log in again.", "code expired"),
    (IA, "TooManyFailedAttemptsException", "Too many failed attempts.", "PAM_MAXTRIES",
     LOCKED, "too many wrong codes"),
    (IA, "LimitExceededException", "Attempt limit exceeded, please try after some time.",
     "PAM_MAXTRIES", "Too many attempts; try again later.", "attempt limit"),
    (IA, "TooManyRequestsException", "Rate exceeded", "PAM_AUTHINFO_UNAVAIL", BUSY,
     "throttled"),
    (IA, "ThrottlingException", "Rate exceeded", "PAM_AUTHINFO_UNAVAIL", BUSY, "throttled"),
    (IA, "ConcurrentModificationException", "Concurrent modification", "PAM_AUTHINFO_UNAVAIL",
     BUSY, "concurrent change"),
    (IA, "InternalErrorException", "Internal server error.", "PAM_AUTHINFO_UNAVAIL",
     UNREACHABLE, "internal error"),
    (IA, "InvalidParameterException", "1 validation error detected", "PAM_SERVICE_ERR",
     MISCONFIGURED, "refused as invalid"),
    (IA, "ResourceNotFoundException", "User pool client 1example does not exist.",
     "PAM_SERVICE_ERR", MISCONFIGURED, "not found"),
    (IA, "UserLambdaValidationException",
     "PreAuthentication failed with error Logins are closed on weekends.", "PAM_AUTH_ERR",
     "Logins are closed on weekends.", "Lambda trigger"),
    (IA, "UnexpectedLambdaException",
     "PreAuthentication invocation failed due to error AccessDeniedException.",
     "PAM_SERVICE_ERR", LAMBDA_BROKEN, "user pool configuration problem"),
    (IA, "InvalidLambdaResponseException", "Invalid lambda response", "PAM_SERVICE_ERR",
     LAMBDA_BROKEN, "user pool configuration problem"),
    (IA, "ForbiddenException", "Request not allowed due to WAF block.", "PAM_AUTH_ERR",
     "The sign-in was blocked by the user pool's firewall" + ADMIN, "WAF"),
    (RA, "MFAMethodNotFoundException", "No MFA mechanism registerd in the account.",
     "PAM_AUTH_ERR", "No second factor is set up for your account" + ADMIN, "no MFA method"),
    (RA, "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled",
     "PAM_AUTH_ERR", "No authenticator app is registered for your account" + ADMIN,
     "software token MFA"),
    (RA, "AliasExistsException", "An account with the email already exists.", "PAM_AUTH_ERR",
     "That email address or phone number belongs to another account.", "alias"),
    (IA, "InvalidUserPoolConfigurationException", "SMS configuration missing",
     "PAM_SERVICE_ERR", MISCONFIGURED, "user pool configuration problem"),
    (IA, "InvalidSmsRoleAccessPolicyException", "Role cannot publish", "PAM_SERVICE_ERR",
     NO_CODE, "user pool configuration problem: the SMS role"),
    (IA, "InvalidSmsRoleTrustRelationshipException", "Role does not trust cognito",
     "PAM_SERVICE_ERR", NO_CODE, "user pool configuration problem: the SMS role"),
    (IA, "InvalidEmailRoleAccessPolicyException", "Cannot use email identity",
     "PAM_SERVICE_ERR", NO_CODE, "user pool configuration problem"),
    (IA, "CodeDeliveryFailureException", "Unable to deliver", "PAM_SERVICE_ERR",
     "The code could not be delivered" + ADMIN, "code delivery failed"),
    (IA, "RefreshTokenReuseException", "Refresh token reused", "PAM_AUTH_ERR", REVOKED,
     "reused"),
    # Threat protection (issue 24): a block, told as one, never a wrong password.
    (RA, "NotAuthorizedException", "Unable to login because of security reasons.",
     "PAM_AUTH_ERR", THREAT, "threat protection"),
    (RA, "NotAuthorizedException", "Request not allowed due to security reasons.",
     "PAM_AUTH_ERR", THREAT, "threat protection"),
    # The app client lacks the configured flow (auth_flow srp here).
    (IA, "InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client",
     "PAM_SERVICE_ERR", MISCONFIGURED, "ExplicitAuthFlows need ALLOW_USER_SRP_AUTH"),
    # The issuer item's row (a secondary Region of a multi-Region pool).
    (IA, "OperationNotEnabledException", "Operation not enabled in this region",
     "PAM_AUTH_ERR", "This is not possible while the sign-in service runs from its "
     "secondary Region; try again later or contact your administrator.", "replica"),
    (IA, "UnsupportedOperationException", "Operation not supported", "PAM_SERVICE_ERR",
     MISCONFIGURED, "not enabled for the app client"),
    (IA, "UnauthorizedException", "Unauthorized", "PAM_SERVICE_ERR", MISCONFIGURED,
     "not authorized for this app client"),
    (IA, "UnsupportedTokenTypeException", "Unsupported token type", "PAM_SERVICE_ERR",
     MISCONFIGURED, "kind of token"),
    (IA, "DeviceKeyExistsException", "Device key already exists", "PAM_AUTH_ERR",
     "This computer is already registered for your account" + ADMIN, "already confirmed"),
    (IA, "UsernameExistsException", "User already exists", "PAM_AUTH_ERR",
     "That user name belongs to another account" + ADMIN, "already exists"),
    # The passkey tool's calls (their words are checked through the tool in
    # test_passkey_errors.py); injected on InitiateAuth, they fail closed.
    (IA, "WebAuthnNotEnabledException", "Passkeys are not enabled", "PAM_SERVICE_ERR",
     PASSKEYS_OFF, "passkeys are not turned on"),
    (IA, "WebAuthnConfigurationMissingException", "No relying party", "PAM_SERVICE_ERR",
     PASSKEYS_OFF, "relying party ID or a domain"),
    (IA, "WebAuthnChallengeNotFoundException", "Challenge not found", "PAM_AUTH_ERR",
     "The passkey registration expired; start it again.", "challenge expired"),
    (IA, "WebAuthnRelyingPartyMismatchException", "Relying party mismatch", "PAM_AUTH_ERR",
     PASSKEY_REFUSED, "another relying party ID"),
    (IA, "WebAuthnClientMismatchException", "Client mismatch", "PAM_AUTH_ERR",
     PASSKEY_REFUSED, "another app client"),
    (IA, "WebAuthnOriginNotAllowedException", "Origin not allowed", "PAM_SERVICE_ERR",
     PASSKEY_REFUSED, "does not match the pool's relying party ID"),
    (IA, "WebAuthnCredentialNotSupportedException", "Credential not supported",
     "PAM_AUTH_ERR", "The user pool does not accept this kind of passkey; try another "
     "authenticator.", "device or provider"),
    (IA, "InvalidIdentityPoolConfigurationException", "Invalid identity pool configuration",
     "PAM_SERVICE_ERR", NO_CREDENTIALS, "identity pool configuration problem"),
    (IA, "ResourceConflictException", "Login already linked", "PAM_AUTH_ERR", NO_CREDENTIALS,
     "linked to another identity"),
    (IA, "ExternalServiceException", "Provider not responding", "PAM_AUTHINFO_UNAVAIL",
     UNREACHABLE, "depends on did not answer"),
    (IA, "IDPRejectedClaim", "Not authorized to perform sts:AssumeRoleWithWebIdentity",
     "PAM_AUTH_ERR", NO_CREDENTIALS, "trust policy refused"),
    (IA, "InvalidIdentityToken", "Couldn't retrieve verification key", "PAM_AUTH_ERR",
     NO_CREDENTIALS, "not valid"),
    (IA, "ExpiredTokenException", "Token expired", "PAM_AUTH_ERR",
     "The sign-in session has expired; please log in again.", "has expired"),
    (IA, "IDPCommunicationError", "Could not reach provider", "PAM_AUTHINFO_UNAVAIL",
     UNREACHABLE, "could not reach"),
    (IA, "MalformedPolicyDocument", "Malformed policy", "PAM_SERVICE_ERR", NO_CREDENTIALS,
     "malformed session policy"),
    (IA, "PackedPolicyTooLarge", "Policy too large", "PAM_SERVICE_ERR", NO_CREDENTIALS,
     "too large"),
    (IA, "RegionDisabledException", "STS is not activated", "PAM_SERVICE_ERR", NO_CREDENTIALS,
     "not activated"),
    # the query protocol's common errors, as STS answers them
    (IA, "Throttling", "Rate exceeded", "PAM_AUTHINFO_UNAVAIL", BUSY, "throttled by STS"),
    (IA, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity",
     "PAM_SERVICE_ERR", NO_CREDENTIALS, "trust policy does not let"),
    (IA, "ExpiredToken", "The security token included in the request is expired",
     "PAM_AUTH_ERR", "The sign-in session has expired; please log in again.",
     "token has expired"),
    (IA, "ValidationError", "1 validation error detected", "PAM_SERVICE_ERR", NO_CREDENTIALS,
     "check role_arn"),
    (IA, "InvalidParameterValue", "Unsupported Version", "PAM_SERVICE_ERR", NO_CREDENTIALS,
     "STS refused the request as invalid"),
    (IA, "MissingParameter", "The request must contain the parameter RoleArn",
     "PAM_SERVICE_ERR", NO_CREDENTIALS, "STS refused the request as invalid"),
    (IA, "InvalidAction", "Could not find operation", "PAM_SERVICE_ERR", NO_CREDENTIALS,
     "sts_endpoint"),
    (IA, "MalformedQueryString", "The query string is malformed.", "PAM_SERVICE_ERR",
     NO_CREDENTIALS, "STS refused the request as invalid"),
    (IA, "InternalFailure", "Internal failure", "PAM_AUTHINFO_UNAVAIL", UNREACHABLE,
     "STS internal error"),
    (IA, "ServiceUnavailable", "Service unavailable", "PAM_AUTHINFO_UNAVAIL", UNREACHABLE,
     "temporarily unavailable"),
    (IA, "SomeFutureException", "A brand new reason", "PAM_AUTH_ERR",
     "The sign-in service refused the login with an unexpected error" + ADMIN,
     "unknown Cognito error type"),
]

# Keys a row needs beyond the class's config.
ROW_CONFIG = {"PasswordResetRequiredException": {"password_reset": False}}

def model_types():
    """Every error type botocore's models list for the calls the module, the
    credentials helper and pam_cognito-sync make (tests/emulator/error_catalog.py)."""
    return error_catalog.called_types()


# A C string literal, character literal or comment, whichever starts first.
LITERAL_OR_COMMENT = re.compile(r"'(?:\\.|[^'\\\n])*'|"
                                r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/|//[^\n]*', re.S)


def sent_operations():
    """The string literals in lib/, sync/, helper/ and pam_cognito/ (comments
    left out) that are operation names of the service models."""
    found = set()
    for top in ("lib", "sync", "helper", "pam_cognito"):
        for base, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if not name.endswith(".c"):
                    continue
                with open(os.path.join(base, name), encoding="utf-8") as fh:
                    tokens = LITERAL_OR_COMMENT.findall(fh.read())
                found.update(t[1:-1] for t in tokens if t.startswith('"'))
    return found & error_catalog.MODEL_OPERATIONS


def table_types():
    """The types lib/net/api_errors.c has a row for."""
    with open(os.path.join(ROOT, "lib", "net", "api_errors.c"), encoding="utf-8") as fh:
        return set(re.findall(r'^\s*\{"(\w+)",', fh.read(), re.M))


class ModelCoverageTest(unittest.TestCase):
    """The table against the checked-in list from the service models."""

    def test_every_model_type_has_a_table_row(self):
        missing = [t for t in model_types() if t not in table_types()]
        self.assertEqual(missing, [], "error types of the called operations without a row "
                         "in lib/net/api_errors.c")

    def test_the_calls_are_the_modules(self):
        # Both ways: every operation in CALLED is named in the C sources,
        # and every operation of the models the C sources name (a string
        # literal outside comments: call sites pass it directly or through
        # a variable) is in CALLED, so a new call cannot come without rows.
        named = sent_operations()
        for op in error_catalog.CALLED:
            self.assertIn(op, named, op)
        known = set(error_catalog.CALLED) | set(error_catalog.STS_ERRORS)
        self.assertEqual(sorted(named - known), [],
                         "operations the C sources send that are not in error_catalog.CALLED")


class ErrorTableTest(EmulatorTest):
    config = {"timeout": 5}

    @classmethod
    def setUpClass(cls):
        # A local account: only then is the name in the log lines (it came
        # from whichever module ran before, which --jobs does not fix).
        ensure_user("alice")
        super().setUpClass()

    def inject(self, op, type_, message):
        extra = {} if error_catalog.allowed(op, type_) else {"AnyType": True}
        # Throttling and 5xx are retried: keep answering the same.
        self.emu.control("SetFault", Operation=op, Kind="error", ErrorType=type_,
                         Message=message, Count=10, **extra)

    def check_row(self, op, type_, message, code, said, note):
        self.inject(op, type_, message)
        s = self.s
        if type_ in ROW_CONFIG:
            s = Stack(base_config(self.emu, **dict(self.config, **ROW_CONFIG[type_])))
            self.addCleanup(s.cleanup)
        r = s.run("alice", [ALICE_PW], rhost="192.0.2.10")
        self.assertEqual(r.code, code, r)
        if said is None:
            self.assertEqual(r.errors, [], "a wrong password gets no words")
        else:
            self.assertIn(said, r.errors, r)
        line = [l for l in r.syslog if "authentication failure" in l]
        self.assertEqual(len(line), 1, r.syslog)
        self.assertIn(note, line[0])
        if type_ != "UserNotFoundException":  # that line names no user or type
            self.assertIn(type_, line[0])
            self.assertRegex(line[0], r"user=\"?alice\"?[ :]")
        self.assertEqual(len(r.errors), len(set(r.errors)), "said once")
        # The server's text never reaches the terminal raw.
        for text in r.errors:
            self.assertNotRegex(text, r"[\x00-\x1f\x7f]")

    def test_every_row(self):
        for row in ROWS:
            with self.subTest(type=row[1], message=row[2]):
                self.emu.control("ClearFaults")
                self.check_row(*row)

    def test_every_model_type_is_a_row(self):
        tested = {row[1] for row in ROWS}
        missing = [t for t in model_types() if t not in tested]
        self.assertEqual(missing, [], "error types of the sign-in calls without a test row")

    def test_man_page_table_names_every_type(self):
        with open(os.path.join(ROOT, "man", "pam_cognito.8"), encoding="utf-8") as fh:
            text = fh.read().replace("\\-", "-").replace("\\&", "").replace("\\:", "")
        missing = [t for t in model_types() if t not in text]
        self.assertEqual(missing, [], "error types missing from pam_cognito(8)")
        for meaning in ("Password attempts exceeded", "User is disabled",
                        "Temporary password has expired", "Unable to verify secret hash",
                        "Refresh Token has been revoked"):
            self.assertIn(meaning, text)

    def test_lambda_message_is_sanitized_and_bounded(self):
        self.inject(IA, "UserLambdaValidationException",
                    "PreAuthentication failed with error \x1b[2Jclosed\x07" + "x" * 600)
        r = self.s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(len(r.errors), 1, r)
        self.assertTrue(r.errors[0].startswith("?[2Jclosed?xxx"), r.errors)
        self.assertLessEqual(len(r.errors[0]), 200)
        self.assertFalse(any("\x1b" in l for l in r.syslog), r.syslog)

    def test_emulator_lockout(self):
        self.emu.control("SetOptions", LockoutThreshold=2)
        for _ in range(2):
            self.assertEqual(self.s.run("alice", ["Wrong-Passw0rd!"]).code, "PAM_AUTH_ERR")
        r = self.s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_MAXTRIES", r)
        self.assertIn(LOCKED, r.errors)
        self.assertTrue(any("Password attempts exceeded" in l for l in r.syslog), r.syslog)

    def test_expired_code_is_told_once(self):
        # The code challenge leaves the words to the table: one message.
        code = self.code("smsuser")
        # The fault is set at the code prompt: PASSWORD_VERIFIER goes through.
        r = self.s.run("smsuser", ["Sms-Passw0rd1!", lambda p: self.expire_then(code(p))])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.errors, ["The code has expired; please log in again."], r)

    def expire_then(self, code):
        self.emu.control("SetFault", Operation=RA, Kind="error", ErrorType="ExpiredCodeException",
                         Message="Invalid code provided, please request a code again.", Count=1)
        return code

    def test_emulator_disabled_user(self):
        r = self.s.run("disabled", ["Disabled-Passw0rd1!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("Your account is disabled" + ADMIN, r.errors)


class LockoutOfflineTest(CacheTest):
    """A lockout is not a wrong password: the offline verifier stays."""

    def test_lockout_keeps_the_offline_verifier(self):
        s = Stack(base_config(self.emu, cache_dir=self.cache, offline_days=7))
        self.stacks.append(s)
        self.assertEqual(s.run("alice", [ALICE_PW]).code, "PAM_SUCCESS")
        record = os.path.join(self.cache, ".private", "alice", "offline.json")
        self.assertTrue(os.path.exists(record))
        self.emu.control("SetFault", Operation=RA, Kind="error",
                         ErrorType="NotAuthorizedException",
                         Message="Password attempts exceeded", Count=1)
        r = s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_MAXTRIES", r)
        self.assertTrue(os.path.exists(record), "the verifier survived the lockout")
        self.assertFalse(any("verifier deleted" in l for l in r.syslog), r.syslog)
        # A refusal of the cached password that is not a lockout still deletes it.
        self.emu.control("SetFault", Operation=RA, Kind="error",
                         ErrorType="NotAuthorizedException",
                         Message="Incorrect username or password.", Count=1)
        r = s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertFalse(os.path.exists(record))


class ExplicitAuthFlowsTest(EmulatorTest):
    """An app client whose ExplicitAuthFlows lack the configured auth_flow:
    Cognito's InvalidParameterException "<FLOW> flow not enabled for this
    client"; syslog names the value the app client needs."""

    def test_syslog_names_the_missing_flow(self):
        for flow, allowed, needed in (
                ("USER_PASSWORD_AUTH", ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                 "ALLOW_USER_PASSWORD_AUTH"),
                ("USER_SRP_AUTH", ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                 "ALLOW_USER_SRP_AUTH"),
                ("USER_AUTH", ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                 "ALLOW_USER_AUTH")):
            with self.subTest(flow=flow):
                client = self.emu.idp("CreateUserPoolClient", UserPoolId=POOL,
                                      ClientName="no-" + flow.lower(),
                                      ExplicitAuthFlows=allowed)["UserPoolClient"]["ClientId"]
                s = Stack(base_config(self.emu, client_id=client, auth_flow=flow))
                self.addCleanup(s.cleanup)
                r = s.run("alice", [ALICE_PW])
                self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
                self.assertEqual(r.errors, [MISCONFIGURED], r)
                line = [l for l in r.syslog if "authentication failure" in l]
                self.assertEqual(len(line), 1, r.syslog)
                self.assertIn("InvalidParameterException", line[0])
                self.assertIn("%s flow not enabled for this client" % flow, line[0])
                self.assertIn("ExplicitAuthFlows need %s]" % needed, line[0])


class ThreatProtectionTest(CacheTest):
    """Issue 24: a threat-protection block is told as one, named in syslog,
    keeps the offline verifier and never opens the offline login."""

    def test_block_keeps_the_verifier_and_logs_in_nowhere(self):
        s = Stack(base_config(self.emu, cache_dir=self.cache, offline_days=7))
        self.stacks.append(s)
        self.assertEqual(s.run("alice", [ALICE_PW]).code, "PAM_SUCCESS")
        record = os.path.join(self.cache, ".private", "alice", "offline.json")
        self.assertTrue(os.path.exists(record))
        for block in ("SignIn", "Request"):
            with self.subTest(block=block):
                self.emu.control("SetThreatProtectionBlock", Username="alice", Block=block)
                r = s.run("alice", [ALICE_PW], rhost="192.0.2.10")
                self.assertEqual(r.code, "PAM_AUTH_ERR", r)
                self.assertEqual(r.errors, [THREAT], r)
                line = [l for l in r.syslog if "authentication failure" in l]
                self.assertEqual(len(line), 1, r.syslog)
                self.assertIn("threat protection", line[0])
                self.assertIn("security reasons", line[0])
                self.assertTrue(os.path.exists(record), "the verifier survived the block")
                self.assertFalse(any("verifier deleted" in l for l in r.syslog), r.syslog)
                self.assertFalse(any("offline authentication" in l for l in r.syslog),
                                 r.syslog)
        # The block lifted, the same password logs in.
        self.emu.control("SetThreatProtectionBlock", Username="alice", Block=None)
        self.assertEqual(s.run("alice", [ALICE_PW]).code, "PAM_SUCCESS")

    def test_block_in_password_auth(self):
        s = Stack(base_config(self.emu, cache_dir=self.cache, auth_flow="USER_PASSWORD_AUTH"))
        self.stacks.append(s)
        self.emu.control("SetThreatProtectionBlock", Username="alice", Block="SignIn")
        r = s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.errors, [THREAT], r)


# What the person is told when credentials_required denies the login for
# an identity-pool error (None: syslog only, as for throttling and outages).
IDENTITY_SAID = {
    "InvalidParameterException": MISCONFIGURED,
    "ResourceNotFoundException": MISCONFIGURED,
    "NotAuthorizedException": None,
    "ResourceConflictException": NO_CREDENTIALS,
    "TooManyRequestsException": None,
    "InternalErrorException": None,
    "LimitExceededException": "Too many attempts; try again later.",
    "ExternalServiceException": None,
    "InvalidIdentityPoolConfigurationException": NO_CREDENTIALS,
}


class IdentityPoolErrorTest(CacheTest):
    """Every error type of the identity pool's calls, answered where the
    module makes the call (credentials_required at auth): PAM result, the
    person's words and the syslog line."""

    def run_op(self, op):
        over = {"identity_pool_id": IDENTITY_POOL, "credentials_required": True,
                "cache_dir": self.cache, "timeout": 5}
        if op == "GetOpenIdToken":
            self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                             AllowClassicFlow=True)
            over.update(identity_flow="basic", sts_endpoint=self.emu.url,
                        role_arn="arn:aws:iam::123456789012:role/CognitoAuthRole")
        s = Stack(base_config(self.emu, **over))
        self.stacks.append(s)
        return s.run("alice", [ALICE_PW])

    def test_every_identity_pool_error(self):
        ensure_user("alice")
        for op in ("GetId", "GetCredentialsForIdentity", "GetOpenIdToken"):
            for type_ in error_catalog.ERRORS[op]:
                with self.subTest(op=op, type=type_):
                    self.emu.control("Reset")
                    self.emu.control("SetFault", Operation=op, Kind="error", ErrorType=type_,
                                     Message="injected " + type_, Count=10)
                    r = self.run_op(op)
                    self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
                    self.assertGreaterEqual(self.calls(op), 1)
                    said = IDENTITY_SAID[type_]
                    self.assertEqual(r.errors, [said] if said else [], r)
                    line = [l for l in r.syslog if "no AWS credentials" in l]
                    self.assertEqual(len(line), 1, r.syslog)
                    self.assertIn(type_, line[0])
                    self.assertTrue(any("credentials_required is set: denying" in l
                                        for l in r.syslog), r.syslog)

    def test_every_type_has_an_expectation(self):
        types = {t for op in ("GetId", "GetCredentialsForIdentity", "GetOpenIdToken")
                 for t in error_catalog.ERRORS[op]}
        self.assertEqual(sorted(types), sorted(IDENTITY_SAID))


class PasswordHistoryTest(EmulatorTest):
    def test_history_refusal_asks_again_in_passwd(self):
        new = "Brand-New-Passw0rd!"
        self.emu.control("SetFault", Operation="ChangePassword", Kind="error",
                         ErrorType="PasswordHistoryPolicyViolationException",
                         Message="Password has previously been used", Count=1)
        r = self.s.run("alice", [ALICE_PW, "Old-Used-Passw0rd!", "Old-Used-Passw0rd!", new, new],
                       stages=("chauthtok",))
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Password has previously been used", r.errors)
        self.assertEqual(r.prompts.count("New password: "), 2, r.prompts)


if __name__ == "__main__":
    unittest.main()
