"""A real sshd (keyboard-interactive, UsePAM) and a real ssh client with
choice-based sign-in (auth_flow = "USER_AUTH") through an app client that
allows ALLOW_USER_AUTH only: the password as PASSWORD_SRP and as PASSWORD,
an email code and an SMS code as the first factor, a factor the host does
not accept refused, and sshd's PasswordAuthentication (passwords work, no
code is ever sent)."""
import unittest

from cognito import SshdCase, config_file

CHOICE = "us-east-1_ChoicePool"
ONLY = "userauthonly0000000000000001"
USERS = ("alice", "bob", "smsonly", "nopass")
PW_CODE = r"Password \(or Enter for a one-time code\): "


def choice_config(emu, factors):
    return config_file(emu, user_pool_id=CHOICE, client_id=ONLY, auth_flow="USER_AUTH",
                       first_factors=factors)


class SshdCodeTest(SshdCase):
    users = USERS

    @classmethod
    def make_config(cls):
        cls.config = choice_config(cls.emu, ["PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])

    def code(self, user, pool=CHOICE):
        return super().code(user, pool)

    def test_password_srp(self):
        r = self.sshd.login("alice", [(PW_CODE, "Alice-Choice1!")], command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 1)  # PASSWORD_VERIFIER
        r = self.sshd.login("alice", [(PW_CODE, "Wrong-Choice1!")], command="echo no")
        self.assertNotEqual(r.exit_status, 0)
        self.assertNotIn("no\n", r.output)

    def test_email_code(self):
        steps = [(PW_CODE, ""), (r"Send a code by email\? \[Y/n\] ", "y"),
                 (r"Email code: ", self.code("bob"))]
        r = self.sshd.login("bob", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)
        self.assertIn("A code was sent to b***@e***.", r.terminal)
        self.assertEqual(r.echoed[1:], [True, True], r.echoed)  # the answer, the code

    def test_sms_code_chosen(self):
        steps = [(PW_CODE, ""), (r"1\) email or 2\) SMS\? \[1-2\] ", "2"),
                 (r"SMS code: ", self.code("alice"))]
        r = self.sshd.login("alice", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("A code was sent to +*******0101.", r.terminal)
        self.assertIn("shell-ok", r.output)

    def test_user_without_a_password(self):
        steps = [(PW_CODE, ""), (r"Send a code by email\? \[Y/n\] ", "y"),
                 (r"Email code: ", self.code("nopass"))]
        r = self.sshd.login("nopass", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)

    def test_wrong_code_then_right(self):
        steps = [(PW_CODE, ""), (r"Send a code by email\? \[Y/n\] ", ""),
                 (r"Email code: ", lambda: "000000" if self.code("bob")() != "000000"
                  else "111111"),
                 (r"Email code: ", self.code("bob"))]
        r = self.sshd.login("bob", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("Invalid code or auth state for the user.", r.terminal)

    def test_password_authentication_sends_no_code(self):
        sshd = self.password_sshd()
        try:
            opts = ("PreferredAuthentications=password",)
            r = sshd.login("alice", [(r"assword: ", "Alice-Choice1!")], command="echo pw-ok",
                           ssh_options=opts, timeout=15)
            self.assertEqual(r.exit_status, 0, r.transcript)
            self.assertIn("pw-ok", r.output)
        finally:
            sshd.cleanup()


class SshdCodesOnlyTest(SshdCase):
    """A host that takes email codes only, behind PasswordAuthentication:
    the code question cannot be asked, so nothing is sent, and syslog says
    that keyboard-interactive is needed."""
    users = ("bob",)

    @classmethod
    def make_config(cls):
        cls.config = choice_config(cls.emu, ["EMAIL_OTP"])

    def test_codes_need_keyboard_interactive(self):
        sshd = self.password_sshd()
        try:
            r = sshd.login("bob", [(r"assword: ", "anything")], command="echo no",
                           ssh_options=("PreferredAuthentications=password",), timeout=15)
            self.assertNotEqual(r.exit_status, 0, r.transcript)
            self.assertNotIn("no\n", r.output)
            self.assertIn("keyboard-interactive", sshd.log)
            self.assertEqual(self.calls("RespondToAuthChallenge"), 0)
        finally:
            sshd.cleanup()
        # keyboard-interactive: no password is asked for, the code is
        steps = [(r"Send a code by email\? \[Y/n\] ", ""),
                 (r"Email code: ", self.code("bob", CHOICE))]
        r = self.sshd.login("bob", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)


class SshdPasswordFactorTest(SshdCase):
    """first_factors = ["PASSWORD"]: one call after Enter; no code offered."""
    users = ("bob",)

    @classmethod
    def make_config(cls):
        cls.config = choice_config(cls.emu, ["PASSWORD"])

    def test_password_and_no_code(self):
        r = self.sshd.login("bob", [(r"Password: ", "Bob-Choice1!")], command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 0))
        # an empty password is no request for a code on this host
        r = self.sshd.login("bob", [(r"Password: ", "")], command="echo no")
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("Email code", r.terminal)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)


if __name__ == "__main__":
    unittest.main()
