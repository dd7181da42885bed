"""valgrind over the prompt flows (password reset, MFA enrolment, an
attribute asked again) in one process: no invalid access, no leak. Answers
are computed when the prompt comes (a code just sent, a key just shown)."""
import os
import unittest

from otp_reference import totp
from pamrun import PAM_RUN, POOL, EmulatorTest, Stack, base_config
from test_mfa_setup import shown
from test_valgrind import VALGRIND


class ValgrindFlowsTest(EmulatorTest):
    def run_under_valgrind(self, user, answers):
        cmd = VALGRIND + [PAM_RUN, "-d", str(self.s.service_dir), "-s", self.s.service,
                          "-u", user, "-a", "-", "auth"]
        self.s.live = []
        # pam_start_confdir: the real libpam, no preload under valgrind.
        return Stack._interactive(cmd, dict(os.environ), list(answers), 300, self.s.live)

    def test_reset(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        new = "Valgrind-Reset!1"
        out, err, rc = self.run_under_valgrind(
            # a wrong code, then the right one with a password the policy
            # refuses, then a good password
            "alice", ["Alice-Passw0rd!", "", "000000", "short", "short", self.code("alice"),
                      new, new])
        self.assertNotEqual(rc, 99, err)
        self.assertIn('"stage":"auth","code":0', out, err)
        self.assertNotIn("==", err, err)

    def test_reset_bounded(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        new = "Valgrind-Reset!1"
        out, err, rc = self.run_under_valgrind(
            "alice", ["Alice-Passw0rd!", "", "000000", new, new, "000001", "000002"])
        self.assertIn('"stage":"auth","code":7', out, err)
        self.assertNotIn("==", err, err)

    def test_totp_enrolment(self):
        out, err, rc = self.run_under_valgrind(
            "setupuser", ["Setup-Passw0rd1!", "000000",
                          lambda p: totp(shown(self.s.live)[0])])
        self.assertNotEqual(rc, 99, err)
        self.assertIn('"stage":"auth","code":0', out, err)
        self.assertNotIn("==", err, err)

    def test_user_auth_code_then_password(self):
        # choice-based sign-in: an email code (a wrong one first), then the
        # password through PREFERRED_CHALLENGE=PASSWORD_SRP
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, user_pool_id="us-east-1_ChoicePool",
                                   client_id="userauthonly0000000000000001",
                                   auth_flow="USER_AUTH",
                                   first_factors=["PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]))
        code = self.code("alice", "us-east-1_ChoicePool")
        out, err, rc = self.run_under_valgrind(
            "alice", ["", "1", lambda p: "000000" if code() != "000000" else "111111", code])
        self.assertNotEqual(rc, 99, err)
        self.assertIn('"stage":"auth","code":0', out, err)
        self.assertNotIn("==", err, err)
        out, err, rc = self.run_under_valgrind("alice", ["Alice-Choice1!"])
        self.assertIn('"stage":"auth","code":0', out, err)
        self.assertNotIn("==", err, err)


if __name__ == "__main__":
    unittest.main()
