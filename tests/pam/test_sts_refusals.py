"""STS's refusals over STS's own wire: every error code the model lists for
AssumeRoleWithWebIdentity (tests/emulator/error_catalog.py STS_ERRORS) and
the query protocol's common ones it may answer with (STS_COMMON), answered
by the emulator as STS answers (an XML ErrorResponse with the code's HTTP
status), reaches the error table's row (lib/net/api_errors.c) through
lib/aws/sts.c: with credentials_required the login is denied, the person
hears the row's words (none for throttling or an outage), and syslog names
the code; without it the session opens with no AWS credentials and the
person gets the same words as a note. test_errors.py checks the rows
themselves with the types injected on a JSON call; this is the path a real
STS refusal takes."""
import os
import sys
import unittest

from pamrun import IDENTITY_POOL, CacheTest, Stack, base_config, ensure_user

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulator"))
import error_catalog  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/CognitoAuthRole"
NO_CREDENTIALS = "AWS credentials cannot be issued for your account; contact your administrator."
EXPIRED = "The sign-in session has expired; please log in again."
# The row's words for each code (None: throttling or an outage, told in
# syslog only).
SAID = {
    "IDPRejectedClaim": NO_CREDENTIALS,
    "InvalidIdentityToken": NO_CREDENTIALS,
    "ExpiredTokenException": EXPIRED,
    "IDPCommunicationError": None,
    "MalformedPolicyDocument": NO_CREDENTIALS,
    "PackedPolicyTooLarge": NO_CREDENTIALS,
    "RegionDisabledException": NO_CREDENTIALS,
    # the common errors
    "Throttling": None,
    "AccessDenied": NO_CREDENTIALS,
    "ExpiredToken": EXPIRED,
    "ValidationError": NO_CREDENTIALS,
    "InvalidParameterValue": NO_CREDENTIALS,
    "MissingParameter": NO_CREDENTIALS,
    "InvalidAction": NO_CREDENTIALS,
    "MalformedQueryString": NO_CREDENTIALS,
    "InternalFailure": None,
    "ServiceUnavailable": None,
}
# Codes STS sends with a 5xx: an outage, whatever the code says.
OUTAGE = {"InternalFailure": 500, "ServiceUnavailable": 503}


class StsRefusalTest(CacheTest):
    def all_codes(self):
        codes = (error_catalog.STS_ERRORS["AssumeRoleWithWebIdentity"]
                 + error_catalog.STS_COMMON)
        self.assertEqual(sorted(codes), sorted(SAID))
        return codes

    def refuse_with(self, code, required):
        self.emu.control("Reset")
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                         AllowClassicFlow=True, TrustedRoleArns=[ROLE])
        self.emu.control("SetFault", Operation="AssumeRoleWithWebIdentity",
                         Kind="error", ErrorType=code, Message="injected " + code,
                         Count=10)
        s = Stack(base_config(self.emu, identity_pool_id=IDENTITY_POOL,
                              credentials_required=required, cache_dir=self.cache,
                              identity_flow="basic", sts_endpoint=self.emu.url,
                              role_arn=ROLE))
        self.stacks.append(s)
        return s.run("alice", ["Alice-Passw0rd!"], stages=("auth", "setcred", "open"))

    def assert_logged(self, r, code):
        line = [l for l in r.syslog if "no AWS credentials" in l]
        self.assertEqual(len(line), 1, r.syslog)
        if code in OUTAGE:
            self.assertIn("STS AssumeRoleWithWebIdentity: HTTP %d: %s"
                          % (OUTAGE[code], code), line[0])
        else:
            self.assertIn("STS AssumeRoleWithWebIdentity refused: %s: injected %s"
                          % (code, code), line[0])
        self.assertNotIn("refused by the user pool", line[0])

    def test_every_sts_error_code(self):
        ensure_user("alice")
        for code in self.all_codes():
            with self.subTest(code=code):
                r = self.refuse_with(code, required=True)
                self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r)
                self.assertGreaterEqual(self.calls("AssumeRoleWithWebIdentity"), 1)
                said = SAID[code]
                self.assertEqual(r.errors, [said] if said else [], r)
                self.assertEqual([k for k in r.env if k.startswith("AWS_")], [], r.env)
                self.assert_logged(r, code)

    def test_a_session_without_credentials_is_told_why(self):
        ensure_user("alice")
        for code in self.all_codes():
            with self.subTest(code=code):
                r = self.refuse_with(code, required=False)
                self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
                self.assertEqual([k for k in r.env if k.startswith("AWS_")], [], r.env)
                said = SAID[code]
                self.assertEqual(r.errors, [], r)
                self.assertEqual(r.infos, [said] if said else [], r)
                self.assert_logged(r, code)


if __name__ == "__main__":
    unittest.main()
