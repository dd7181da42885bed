"""The passkey tool's Cognito errors as its person sees them: the emulator
answers StartWebAuthnRegistration or CompleteWebAuthnRegistration with each
WebAuthn error type of botocore's model, and pam_cognito-passkey exits 1
with the type and lib/net/api_errors.c's note on standard error (issue 24,
item 6)."""
import unittest

import test_passkey
from test_passkey import PASSWORDS, TEST_PLUGIN, PasskeyCase

START, COMPLETE = "StartWebAuthnRegistration", "CompleteWebAuthnRegistration"

# (operation, type, words of the note)
CASES = [
    (START, "WebAuthnNotEnabledException", "passkeys are not turned on in this user pool"),
    (START, "WebAuthnConfigurationMissingException",
     "passkeys need a relying party ID or a domain of the user pool"),
    (COMPLETE, "WebAuthnChallengeNotFoundException", "challenge expired or was used"),
    (COMPLETE, "WebAuthnRelyingPartyMismatchException", "another relying party ID"),
    (COMPLETE, "WebAuthnClientMismatchException", "started with another app client"),
    (COMPLETE, "WebAuthnOriginNotAllowedException",
     "does not match the pool's relying party ID"),
    (COMPLETE, "WebAuthnCredentialNotSupportedException",
     "does not accept passkeys of this device or provider"),
]


@unittest.skipUnless(TEST_PLUGIN.exists(), "built without libfido2 (no test plugin)")
class PasskeyToolErrorTest(PasskeyCase):
    tool = test_passkey.RegistrationToolTest.tool  # the tool's run, not its tests

    def test_every_webauthn_error_is_told(self):
        for op, type_, note in CASES:
            with self.subTest(type=type_):
                self.emu.control("ClearFaults")
                self.emu.control("SetFault", Operation=op, Kind="error", ErrorType=type_,
                                 Message="Cognito's words", Count=1)
                p = self.tool("--register", "--user", "alice", answers=[PASSWORDS["alice"]])
                self.assertEqual((p.returncode, p.stdout), (1, ""), p.stderr)
                line = p.stderr.splitlines()[-1]
                self.assertIn("%s: Cognito's words [" % type_, line)
                self.assertIn(note, line)
                self.assertNotIn("Passkey registered.", p.stdout)
