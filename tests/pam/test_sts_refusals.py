"""STS's refusals over STS's own wire: every error code the model lists for
AssumeRoleWithWebIdentity (tests/emulator/error_catalog.py STS_ERRORS),
answered by the emulator as STS answers (an XML ErrorResponse with the
model's HTTP status), reaches the error table's row (lib/net/api_errors.c)
through lib/aws/sts.c: with credentials_required the login is denied, the
person hears the row's words (none for an outage), and syslog names the
code. test_errors.py checks the rows themselves with the types injected on
a JSON call; this is the path a real STS refusal takes."""
import os
import sys
import unittest

from pamrun import IDENTITY_POOL, CacheTest, Stack, base_config, ensure_user

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulator"))
import error_catalog  # noqa: E402

ROLE = "arn:aws:iam::123456789012:role/CognitoAuthRole"
NO_CREDENTIALS = "AWS credentials cannot be issued for your account; contact your administrator."
# The row's words for each code (None: an outage, told in syslog only).
SAID = {
    "IDPRejectedClaim": NO_CREDENTIALS,
    "InvalidIdentityToken": NO_CREDENTIALS,
    "ExpiredTokenException": "The sign-in session has expired; please log in again.",
    "IDPCommunicationError": None,
    "MalformedPolicyDocument": NO_CREDENTIALS,
    "PackedPolicyTooLarge": NO_CREDENTIALS,
    "RegionDisabledException": NO_CREDENTIALS,
}


class StsRefusalTest(CacheTest):
    def test_every_sts_error_code(self):
        ensure_user("alice")
        codes = error_catalog.STS_ERRORS["AssumeRoleWithWebIdentity"]
        self.assertEqual(sorted(codes), sorted(SAID))
        for code in codes:
            with self.subTest(code=code):
                self.emu.control("Reset")
                self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                                 AllowClassicFlow=True, TrustedRoleArns=[ROLE])
                self.emu.control("SetFault", Operation="AssumeRoleWithWebIdentity",
                                 Kind="error", ErrorType=code, Message="injected " + code,
                                 Count=10)
                s = Stack(base_config(self.emu, identity_pool_id=IDENTITY_POOL,
                                      credentials_required=True, cache_dir=self.cache,
                                      identity_flow="basic", sts_endpoint=self.emu.url,
                                      role_arn=ROLE))
                self.stacks.append(s)
                r = s.run("alice", ["Alice-Passw0rd!"])
                self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
                self.assertGreaterEqual(self.calls("AssumeRoleWithWebIdentity"), 1)
                said = SAID[code]
                self.assertEqual(r.errors, [said] if said else [], r)
                line = [l for l in r.syslog if "no AWS credentials" in l]
                self.assertEqual(len(line), 1, r.syslog)
                self.assertIn("STS AssumeRoleWithWebIdentity refused: %s: injected %s"
                              % (code, code), line[0])
                self.assertNotIn("refused by the user pool", line[0])


if __name__ == "__main__":
    unittest.main()
