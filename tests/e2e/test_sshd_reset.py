"""A real sshd (keyboard-interactive, UsePAM) and a real ssh client: a user
whose password must be reset resets it at the prompt, and a user who must
set up MFA adds an authenticator app from the key the prompt shows (the test
computes the code from that key, as a phone would)."""
import re
import unittest

from cognito import POOL, SshdCase
from otp_reference import totp

OLD = "Alice-Passw0rd!"
NEW = "Reset-Passw0rd!9"
SETUP_PW = "Setup-Passw0rd1!"
USERS = ("alice", "setupuser")
UTF8 = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


def shown_key(text):
    """The last authenticator key the terminal showed."""
    keys = re.findall(r"Key: ([A-Z2-7]{16,})", text)
    return keys[-1] if keys else "NO-KEY-SHOWN"


class SshdResetTest(SshdCase):
    users = USERS

    def test_reset_at_the_prompt(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        steps = [(r"Password: ", OLD), (r"reset it\? \[Y/n\] ", "y"),
                 (r"Code: ", self.code("alice")),
                 (r"New password: ", NEW), (r"Retype new password: ", NEW)]
        r = self.sshd.login("alice", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIsNone(r.failed_at)
        self.assertIn("shell-ok", r.output)
        self.assertIn("Your password must be reset.", r.terminal)
        self.assertIn("A code was sent to a***@e***.", r.terminal)
        self.assertEqual(r.echoed[1:3], [True, True], r.echoed)  # the answer, the code
        self.assertEqual(r.echoed[3], False, r.echoed)  # the password is not
        r = self.sshd.login("alice", [(r"Password: ", NEW)], command="echo again")
        self.assertEqual(r.exit_status, 0, r.transcript)
        r = self.sshd.login("alice", [(r"Password: ", OLD)], command="echo should-not-run")
        self.assertNotEqual(r.exit_status, 0)
        self.assertNotIn("should-not-run", r.output)

    def test_wrong_code_then_right(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        steps = [(r"Password: ", OLD), (r"reset it\? \[Y/n\] ", ""),
                 (r"Code: ", "000000"), (r"New password: ", NEW),
                 (r"Retype new password: ", NEW), (r"Code: ", self.code("alice"))]
        r = self.sshd.login("alice", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("Wrong code, try again.", r.terminal)

    def test_totp_enrolment_at_the_prompt(self):
        steps = [(r"Password: ", SETUP_PW),
                 (r"Authenticator app code: ", lambda text: totp(shown_key(text)))]
        r = self.sshd.login("setupuser", steps, command="echo shell-ok", client_env=UTF8)
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)
        key = shown_key(r.terminal)
        self.assertIn(f"URI: otpauth://totp/{POOL}:setupuser?secret={key}&issuer={POOL}",
                      r.terminal)
        self.assertIn("\u2588" * 20, r.terminal)  # the QR code's margin came through
        self.assertIn("Authenticator app set up.", r.terminal)
        # The app is set up: the next login asks for its code.
        steps = [(r"Password: ", SETUP_PW), (r"Authenticator app code: ", lambda: totp(key))]
        r = self.sshd.login("setupuser", steps, command="echo again")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("Key: ", r.terminal)

    def test_password_authentication_cannot_reset(self):
        # sshd answers PAM itself: the Code: prompt (echo on) fails.
        sshd = self.password_sshd()
        try:
            self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
            opts = ("PreferredAuthentications=password",)
            r = sshd.login("alice", [(r"assword: ", OLD)], command="echo should-not-run",
                           ssh_options=opts, timeout=15)
            self.assertNotEqual(r.exit_status, 0, r.transcript)
            self.assertNotIn("should-not-run", r.output)
            self.assertEqual(self.calls("ConfirmForgotPassword"), 0)
            # and no code was sent to the user
            self.assertEqual(self.calls("ForgotPassword"), 0)
            self.assertIn("keyboard-interactive", sshd.log)
            r = sshd.login("setupuser", [(r"assword: ", SETUP_PW)],
                           command="echo should-not-run", ssh_options=opts, timeout=15)
            self.assertNotEqual(r.exit_status, 0, r.transcript)
            self.assertNotIn("should-not-run", r.output)
            self.assertEqual(self.calls("VerifySoftwareToken"), 0)
        finally:
            sshd.cleanup()


if __name__ == "__main__":
    unittest.main()
