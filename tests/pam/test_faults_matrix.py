"""The fault matrix: every network step of the module against every way a
server or network can fail, through a real libpam stack (or the real
credential helper) against the emulator. One test per cell; each asserts
the result a person gets, what they are told, and that nothing succeeds.

tests/FAULTS.md is this file's table: `python3 tests/pam/test_faults_matrix.py
--write` renders it again, and test_faults_md_is_current keeps the two equal.
`--observe` runs every cell and prints what it saw (to fill in EXPECT)."""
import os
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

from pamrun import (REPO, BUILD, IDENTITY_POOL, POOL, CacheTest, Stack, base_config,
                    ensure_user)
from otp_reference import totp

HELPER = str(BUILD / "pam_cognito-credentials")
FAULTS_MD = REPO / "tests" / "FAULTS.md"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
NEW_PW = "Brand-New-Passw0rd!"
# A short timeout where the server never answers in time (hang, trickle:
# each costs one or two); elsewhere a loaded CI host's slow SRP must not
# look like a fault.
WAIT_TIMEOUT = 3
TIMEOUT = 5
WAITING = ("hang", "trickle")
REPEAT = 20          # a fault persists through every retry
# tests/pyrunner.py --jobs: 200 cells, a third of them waiting on a timeout.
PYRUNNER_SHARDS = 3

# Columns: (title, emulator fault kind).
FAULTS = [
    ("refused", "refused"),
    ("hang", "hang"),
    ("trickle", "trickle"),
    ("reset mid-body", "reset_mid_body"),
    ("5xx", "http500"),
    ("429", "http429"),
    ("garbage", "garbage"),
    ("truncated", "truncated"),
    ("oversized", "oversized"),
    ("wrong content type", "wrong_type"),
    ("200 with an error `__type`", "error_200"),
    ("200 with tokens after an error", "error_tokens_200"),
]


def _auth(user, answers):
    def run(test):
        return test.pam(user, answers(test))
    return run


# Choice-based sign-in (auth_flow USER_AUTH) in the emulator's ChoicePool,
# through its ALLOW_USER_AUTH-only client, codes allowed as first factors.
CHOICE_POOL = "us-east-1_ChoicePool"
USER_AUTH = {"user_pool_id": CHOICE_POOL, "client_id": "userauthonly0000000000000001",
             "auth_flow": "USER_AUTH",
             "first_factors": ["PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]}


def _choice(user, answers):
    def run(test):
        return test.pam(user, answers(test), **USER_AUTH)
    return run


def _reset_prepare(test):
    test.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")


def app_code(test):
    """The code of the key the prompt showed (MFA enrolment), like a phone."""
    def answer(prompt):
        text = "\n".join(e["text"] for e in test.stack.live if e["event"] == "info")
        return totp(re.search(r"^Key: ([A-Z2-7]+)$", text, re.M).group(1))
    return answer


def _chauthtok(test):
    return test.pam("alice", ["Alice-Passw0rd!", NEW_PW, NEW_PW], stages=("chauthtok",))


def _credentials(test):
    return test.pam("alice", ["Alice-Passw0rd!"], stages=("auth", "setcred", "open"),
                    identity_pool_id=IDENTITY_POOL, credentials_required=True)


def _helper_prepare(test):
    ensure_user("alice")  # other suites on this host remove and re-add users
    out = test.pam("alice", ["Alice-Passw0rd!"], stages=("auth", "setcred", "open"),
                   identity_pool_id=IDENTITY_POOL)
    test.assertEqual((out.result, out.success), ("PAM_SUCCESS", True), out.message)


def _basic_prepare(test):
    # the identity pool allows the basic flow; the authenticated role trusts it
    test.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                     AllowClassicFlow=True)


def _basic_credentials(test):
    return test.pam("alice", ["Alice-Passw0rd!"], stages=("auth", "setcred", "open"),
                    identity_pool_id=IDENTITY_POOL, credentials_required=True,
                    identity_flow="basic", sts_endpoint=test.emu.url,
                    role_arn="arn:aws:iam::123456789012:role/CognitoAuthRole")


def _helper(test):
    cmd = ["runuser", "-u", "alice", "--", HELPER, "--cache-dir", test.cache,
           "--min-validity", "4000"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return Outcome("exit %d" % p.returncode if p.returncode else "exit 0",
                   p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "",
                   success=p.returncode == 0 or bool(p.stdout.strip()))


def _account_prepare(test):
    ensure_user("alice")
    out = test.pam("alice", ["Alice-Passw0rd!"], stages=("auth",), account=True)
    test.assertEqual((out.result, out.success), ("PAM_SUCCESS", True), out.message)


def _account(test):
    return test.pam("alice", [], stages=("acct",), account=True)


# Rows: name -> (operation, When, prepare, run). prepare runs before the
# fault is set (a login that leaves a cache behind), run is the faulted step.
ROWS = [
    ("InitiateAuth (SRP start)", "InitiateAuth", "USER_SRP_AUTH", None,
     _auth("alice", lambda t: ["Alice-Passw0rd!"])),
    ("PASSWORD_VERIFIER", "RespondToAuthChallenge", "PASSWORD_VERIFIER", None,
     _auth("alice", lambda t: ["Alice-Passw0rd!"])),
    ("SMS_MFA answer", "RespondToAuthChallenge", "SMS_MFA", None,
     _auth("smsuser", lambda t: ["Sms-Passw0rd1!", t.code("smsuser")])),
    ("SOFTWARE_TOKEN_MFA answer", "RespondToAuthChallenge", "SOFTWARE_TOKEN_MFA", None,
     _auth("totpuser", lambda t: ["Totp-Passw0rd1!", lambda p: totp(TOTP_SECRET)])),
    ("EMAIL_OTP answer", "RespondToAuthChallenge", "EMAIL_OTP", None,
     _auth("emailuser", lambda t: ["Email-Passw0rd1!", t.code("emailuser")])),
    ("SELECT_MFA_TYPE answer", "RespondToAuthChallenge", "SELECT_MFA_TYPE", None,
     _auth("chooser", lambda t: ["Choose-Passw0rd1!", "2", lambda p: totp(TOTP_SECRET)])),
    ("NEW_PASSWORD_REQUIRED answer", "RespondToAuthChallenge", "NEW_PASSWORD_REQUIRED", None,
     _auth("newbie", lambda t: ["Temp-Passw0rd1!", "Newbie Name", NEW_PW, NEW_PW])),
    ("MFA_SETUP: AssociateSoftwareToken", "AssociateSoftwareToken", None, None,
     _auth("setupuser", lambda t: ["Setup-Passw0rd1!", app_code(t)])),
    ("MFA_SETUP: VerifySoftwareToken", "VerifySoftwareToken", None, None,
     _auth("setupuser", lambda t: ["Setup-Passw0rd1!", app_code(t)])),
    ("MFA_SETUP answer", "RespondToAuthChallenge", "MFA_SETUP", None,
     _auth("setupuser", lambda t: ["Setup-Passw0rd1!", app_code(t)])),
    ("password reset: ForgotPassword", "ForgotPassword", None, _reset_prepare,
     _auth("alice", lambda t: ["Alice-Passw0rd!", "", t.code("alice"), NEW_PW, NEW_PW])),
    ("password reset: ConfirmForgotPassword", "ConfirmForgotPassword", None, _reset_prepare,
     _auth("alice", lambda t: ["Alice-Passw0rd!", "", t.code("alice"), NEW_PW, NEW_PW])),
    ("ChangePassword (passwd)", "ChangePassword", None, None, _chauthtok),
    ("GetId", "GetId", None, None, _credentials),
    ("GetCredentialsForIdentity", "GetCredentialsForIdentity", None, None, _credentials),
    ("GetOpenIdToken (basic flow)", "GetOpenIdToken", None, _basic_prepare,
     _basic_credentials),
    ("STS AssumeRoleWithWebIdentity (basic flow)", "AssumeRoleWithWebIdentity", None,
     _basic_prepare, _basic_credentials),
    ("refresh (credential helper)", "GetTokensFromRefreshToken", None, _helper_prepare,
     _helper),
    ("USER_AUTH: InitiateAuth (password)", "InitiateAuth", "USER_AUTH", None,
     _choice("alice", lambda t: ["Alice-Choice1!"])),
    ("USER_AUTH: InitiateAuth (a code asked for)", "InitiateAuth", "USER_AUTH", None,
     _choice("bob", lambda t: ["", "", t.code("bob", CHOICE_POOL)])),
    ("USER_AUTH: SELECT_CHALLENGE answer", "RespondToAuthChallenge", "SELECT_CHALLENGE", None,
     _choice("bob", lambda t: ["", "", t.code("bob", CHOICE_POOL)])),
    ("USER_AUTH: EMAIL_OTP first-factor answer", "RespondToAuthChallenge", "EMAIL_OTP", None,
     _choice("bob", lambda t: ["", "", t.code("bob", CHOICE_POOL)])),
    ("USER_AUTH: SMS_OTP first-factor answer", "RespondToAuthChallenge", "SMS_OTP", None,
     _choice("alice", lambda t: ["", "2", t.code("alice", CHOICE_POOL)])),
    ("JWKS fetch", "GetJWKS", None, None, _auth("alice", lambda t: ["Alice-Passw0rd!"])),
    ("account-stage refresh", "GetTokensFromRefreshToken", None, _account_prepare,
     _account),
]


class Outcome:
    """What a person gets from one cell: the result and the message."""

    def __init__(self, result, message, success, env=None, syslog=()):
        self.syslog = list(syslog)
        self.result = result
        self.message = message
        self.success = success
        self.env = env or {}


def slug(text):
    out = "".join(c if c.isalnum() else "_" for c in text.lower())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


# What each cell must give: (result, key of the words the person sees in
# SHOWN, or of the log line in LOGGED when they are told nothing).
SHOWN = {
    "retry": "The Cognito sign-in service cannot be reached or answered unexpectedly; "
             "try again later.",
    "unknown": "No clear answer from the Cognito sign-in service; the password may or may "
               "not have been changed: try the new one at your next login, then the old one.",
    "too-many": "Too many attempts; try again later.",
    "busy": "The sign-in service is busy; try again in a moment.",
    "helper-net": "pam_cognito-credentials: cannot reach Cognito: network unavailable",
    "helper-rate": "pam_cognito-credentials: cannot reach Cognito: rate limit exceeded",
    "helper-bad": "pam_cognito-credentials: token refresh failed: malformed reply",
    "helper-large": "pam_cognito-credentials: token refresh failed: reply too large",
}
LOGGED = {
    "creds-required": 'credentials_required is set: denying the login of user="alice"',
    "grace": "account_grace is 0 s",
    "no-grace": "Cognito gave no yes",
}
READ = {"read": "success: the answer is read by its body, as botocore reads it"}
NETWORK = ("refused", "hang", "trickle", "reset_mid_body", "http500")
MALFORMED = ("garbage", "truncated", "oversized", "wrong_type", "error_200", "error_tokens_200")


def _expect():
    out = {}
    kinds = [k for _, k in FAULTS]
    for name, *_ in ROWS:
        if name == "ChangePassword (passwd)":
            row = {k: ("PAM_AUTHINFO_UNAVAIL", "unknown") for k in kinds}
            row["http429"] = ("PAM_AUTHTOK_ERR", "too-many")
        elif name in ("GetId", "GetCredentialsForIdentity", "GetOpenIdToken (basic flow)",
                      "STS AssumeRoleWithWebIdentity (basic flow)"):
            row = {k: ("PAM_AUTHINFO_UNAVAIL", "creds-required") for k in kinds}
        elif name == "refresh (credential helper)":
            row = {k: ("exit 1", "helper-net") for k in NETWORK}
            row.update({k: ("exit 1", "helper-bad") for k in MALFORMED})
            row["http429"] = ("exit 1", "helper-rate")
            row["oversized"] = ("exit 1", "helper-large")
        elif name == "account-stage refresh":
            # Grace only when Cognito is unavailable in a way no user can
            # fake (lib/net/unavail.h): its 5xx, or a timeout in a process the
            # user cannot signal (pam-run is root-root, like sshd). A reset
            # or cut reply and any answer below 500 are denials.
            row = {k: ("PAM_PERM_DENIED", "no-grace") for k in kinds}
            for k in ("hang", "trickle", "http500"):
                row[k] = ("PAM_PERM_DENIED", "grace")
        else:  # the login's own steps and the key fetch
            row = {k: ("PAM_AUTHINFO_UNAVAIL", "retry") for k in kinds}
            if name != "JWKS fetch":  # Cognito's throttling, by its error table
                row["http429"] = ("PAM_AUTHINFO_UNAVAIL", "busy")
        # The real answer as text/html is read, as botocore reads it (issue
        # 24 item 9): the step succeeds. The key set is a document, not an
        # API answer: its Content-Type must still say JSON.
        if name != "JWKS fetch":
            row["wrong_type"] = (("exit 0" if name == "refresh (credential helper)"
                                  else "PAM_SUCCESS"), "read")
        out[name] = row
    return out


EXPECT = _expect()


class FaultMatrixTest(CacheTest):
    observed = {}

    def pam(self, user, answers, stages=("auth",), account=False, **over):
        over.setdefault("cache_dir", self.cache)
        over.setdefault("timeout", getattr(self, "timeout", TIMEOUT))
        text = None
        if account:
            text = ("auth required @MODULE@ config=@CONFIG@\n"
                    "account required @MODULE@ config=@CONFIG@\n")
            over.setdefault("account_grace", 0)
        s = Stack(base_config(self.emu, **over), service_text=text)
        self.stacks.append(s)
        self.stack = s
        r = s.run(user, answers, stages=stages)
        message = (r.errors or r.infos or [""])[-1]
        aws = {k: v for k, v in r.env.items() if k.startswith("AWS_")}
        return Outcome(r.code, message, success=r.code == "PAM_SUCCESS",
                       env=aws, syslog=r.syslog)

    def cell(self, row, kind):
        name, op, when, prepare, run = row
        if prepare is not None:
            prepare(self)
        extra = {"When": when} if when else {}
        if kind == "trickle":  # slower than the timeout even for "{}"
            extra["Value"] = str(WAIT_TIMEOUT + 0.5)
        self.timeout = WAIT_TIMEOUT if kind in WAITING else TIMEOUT
        self.emu.control("SetFault", Operation=op, Kind=kind, Count=REPEAT, **extra)
        start = time.monotonic()
        out = run(self)
        took = time.monotonic() - start
        self.observed[(name, kind)] = (out.result, out.message, round(took, 1), out.syslog)
        if "--observe" not in sys.argv and EXPECT[name][kind][1] == "read":
            # Not a fault for an AWS JSON client: the answer is read.
            self.assertTrue(out.success, (name, kind, out.result, out.message, out.syslog))
            self.assertEqual(out.result, EXPECT[name][kind][0], (name, kind))
            if name in ("GetId", "GetCredentialsForIdentity") or "basic flow" in name:
                self.assertIn("AWS_SESSION_TOKEN", out.env, (name, kind))
            return
        # Nothing succeeds, nothing hands out credentials, nothing hangs.
        self.assertFalse(out.success, (name, kind, out.result, out.message))
        self.assertEqual(out.env, {}, (name, kind))
        # hang/trickle: bounded by the timeout (twice for the key fetch:
        # the warm-up's and verification's); the rest answer at once.
        bound = 2 * WAIT_TIMEOUT + 3 if kind in WAITING else 2 * TIMEOUT
        self.assertLess(took, bound, (name, kind))
        if "--observe" in sys.argv:
            return
        result, key = EXPECT[name][kind]
        self.assertEqual(out.result, result, (name, kind, out.message, out.syslog))
        if key in SHOWN:
            self.assertIn(SHOWN[key], out.message, (name, kind, out.result))
        else:  # told nothing: the log says why
            self.assertEqual(out.message, "", (name, kind))
            self.assertTrue(any(LOGGED[key] in line for line in out.syslog),
                            (name, kind, out.syslog))

    def test_faults_md_is_current(self):
        self.assertEqual(FAULTS_MD.read_text(), render(),
                         "tests/FAULTS.md is stale: python3 tests/pam/test_faults_matrix.py --write")


def _add_cell(row, kind):
    def test(self):
        self.cell(row, kind)
    test.__doc__ = "%s / %s" % (row[0], kind)
    setattr(FaultMatrixTest, cell_test_name(row[0], kind), test)


def cell_test_name(row_name, kind):
    return "test_%s__%s" % (slug(row_name), kind)


for _row in ROWS:
    for _title, _kind in FAULTS:
        _add_cell(_row, _kind)


def render():
    """tests/FAULTS.md from ROWS, FAULTS and EXPECT."""
    short = {"PAM_AUTHINFO_UNAVAIL": "AUTHINFO_UNAVAIL", "PAM_AUTHTOK_ERR": "AUTHTOK_ERR",
             "PAM_PERM_DENIED": "PERM_DENIED"}
    lines = [
        "# Fault matrix",
        "",
        "Every network step of pam_cognito against every way a server or the",
        "network can fail. Each cell is one test in `tests/pam/test_faults_matrix.py`",
        "(`FaultMatrixTest.<name in the cell>`), run through a real libpam stack (the",
        "credential helper for its row) against the emulator with the fault set on",
        "that step only (`SetFault` with `Operation` and `When`, repeated through",
        "every retry). Each cell asserts: the result below, the words the person",
        "is shown (or, when they are shown nothing, the log line that says why),",
        "no `PAM_SUCCESS`, no `AWS_*` in the PAM environment, and an end within",
        "a bound (config `timeout = %d`, %d for hang and trickle); a cell marked" % (
            TIMEOUT, WAIT_TIMEOUT),
        "`read` asserts the opposite: that step succeeds.",
        "",
        "Generated by `python3 tests/pam/test_faults_matrix.py --write`;",
        "`test_faults_md_is_current` fails when this file and the test differ.",
        "",
        "## Faults (emulator kinds, `tests/emulator/README.md`)",
        "",
        "| column | kind | what the server does |",
        "| --- | --- | --- |",
    ]
    what = {
        "refused": "resets the connection (RST) instead of answering",
        "hang": "never answers",
        "trickle": "sends the real answer one byte every %.1f s" % (WAIT_TIMEOUT + 0.5),
        "reset_mid_body": "sends the headers and half the body, then resets",
        "http500": "HTTP 500 `InternalErrorException` (retried, then given up)",
        "http429": "HTTP 429 `TooManyRequestsException` (retried, then given up)",
        "garbage": "HTTP 200 with an HTML/binary body",
        "truncated": "HTTP 200 with the first half of the real answer",
        "oversized": "HTTP 200 with a 2 MiB JSON body",
        "wrong_type": "the real answer (tokens and all) as `text/html`, as moto "
                      "answers cognito-identity calls",
        "error_200": "HTTP 200 with `{\"__type\": \"NotAuthorizedException\"}`",
        "error_tokens_200": "HTTP 200 with an error `__type` and the real answer "
                            "plus valid tokens for the user",
    }
    for title, kind in FAULTS:
        lines.append("| %s | `%s` | %s |" % (title, kind, what[kind]))
    lines += ["", "## What the person gets", "", "| key | shown to the person |", "| --- | --- |"]
    for key, text in SHOWN.items():
        lines.append("| %s | %s |" % (key, text))
    for key, text in LOGGED.items():
        lines.append("| %s | nothing; syslog: `%s` |" % (key, text))
    for key, text in READ.items():
        lines.append("| %s | %s |" % (key, text))
    lines += ["", "## The matrix", "",
              "Each cell: result, what the person gets (key above), the test.", ""]
    lines.append("| step | " + " | ".join(t for t, _ in FAULTS) + " |")
    lines.append("| --- " * (len(FAULTS) + 1) + "|")
    for name, *_ in ROWS:
        cells = []
        for _, kind in FAULTS:
            result, key = EXPECT[name][kind]
            cells.append("%s, %s: `%s`" % (short.get(result, result), key,
                                          cell_test_name(name, kind)))
        lines.append("| %s | %s |" % (name, " | ".join(cells)))
    lines += [
        "",
        "## Notes",
        "",
        "- Steps: `InitiateAuth` is the SRP start (`USER_SRP_AUTH`); each",
        "  challenge answer is a `RespondToAuthChallenge` picked by its",
        "  `ChallengeName`; ChangePassword runs under `passwd` (chauthtok); GetId and",
        "  GetCredentialsForIdentity run at auth with `credentials_required = true`",
        "  (the basic flow's GetOpenIdToken and STS AssumeRoleWithWebIdentity too,",
        "  with `identity_flow = \"basic\"`; STS answers XML, its faults put on the",
        "  wire the same way)",
        "  (without it the login succeeds with no `AWS_*`, as",
        "  `tests/pam/test_credentials.py` shows); the helper row is",
        "  `pam_cognito-credentials` renewing expired credentials",
        "  (`GetTokensFromRefreshToken`, the call tried first); the account row is",
        "  the account stage alone in",
        "  a new process with `account_grace = 0` (within the grace the last",
        "  verified decision stands, by design: `tests/pam/test_access.py`).",
        "  Only an outage no user can fake reaches the grace (Cognito's 5xx, a",
        "  timeout in a process the user cannot signal: pam-run runs as root",
        "  like sshd); a reset or cut reply, throttling and every malformed",
        "  answer are denials with the reason in syslog",
        "  (`tests/pam/test_unfakeable_offline.py`).",
        "- MFA enrolment at the prompt (`mfa_setup`: AssociateSoftwareToken,",
        "  VerifySoftwareToken, the MFA_SETUP answer) and the password reset at the",
        "  prompt (`password_reset`: ForgotPassword, ConfirmForgotPassword) are rows",
        "  too; after a lost ConfirmForgotPassword answer the password HAS been",
        "  reset, and the person is told that the new password may already be in",
        "  effect (`tests/pam/test_reset.py`).",
        "- The JWKS row faults `GET <pool>/.well-known/jwks.json`, both the",
        "  warm-up's fetch and the one verification makes.",
        "- Faults that run the operation first (trickle, reset mid-body, truncated,",
        "  wrong content type, 200 with tokens after an error) leave its effect on",
        "  the server: after such a ChangePassword fault the password HAS changed.",
        "  The client cannot tell a lost answer from a refused request, so the",
        "  person is told the password may or may not have changed (it said",
        "  \"the password was not changed\" before this matrix).",
        "- Found and fixed by this matrix: a 200 carrying an error `__type` and",
        "  tokens was a successful login at every challenge answer (and a",
        "  successful ChangePassword, a successful JWKS); an answer whose",
        "  Content-Type was not JSON was read like one.",
        "- Issue 24 item 9 undid the last for API answers: botocore reads a",
        "  JSON body whatever its Content-Type, and moto's server answers",
        "  cognito-identity calls as `text/html`; an answer is now judged by its",
        "  body (a JSON object is read, anything else is malformed, the",
        "  garbage column) and its status. The key set is a document, not an",
        "  API answer: its Content-Type must still say JSON.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--write" in sys.argv:
        FAULTS_MD.write_text(render())
        print("wrote", FAULTS_MD)
        sys.exit(0)
    if "--observe" in sys.argv:
        sys.argv.remove("--observe")
        sys.argv.append("--observe")  # kept for cell(); unittest ignores no extra args
        argv = [a for a in sys.argv if a != "--observe"]
        prog = unittest.main(argv=argv, exit=False, verbosity=0)
        for (name, kind), v in sorted(FaultMatrixTest.observed.items()):
            print(repr((name, kind, v)))
    else:
        unittest.main()
