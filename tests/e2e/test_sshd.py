"""A real sshd (keyboard-interactive, UsePAM) with pam_cognito, driven by a
real ssh client: the prompts a person sees and whether they get a shell."""
import unittest

import os
import shutil
import tempfile

from cognito import SshdCase, config_file, harness, sshd_stack
from pamrun import IDENTITY_POOL

USER = "newsms"  # local account for the temporary-password + SMS user


class SshdTest(SshdCase):
    users = ("alice", "newsms", "smsuser")

    def test_password_login(self):
        r = self.sshd.login("alice", [(r"Password: ", "Alice-Passw0rd!")], command="echo logged-in-as-$(id -un)")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("logged-in-as-alice", r.output)

    def test_wrong_password(self):
        r = self.sshd.login("alice", [(r"Password: ", "wrong-Passw0rd!")], command="true")
        self.assertNotEqual(r.exit_status, 0)
        self.assertIn("Permission denied", r.transcript)

    def test_new_password_then_sms_code(self):
        new = "Fresh-Passw0rd!9"
        steps = [(r"Password: ", "Temp-Passw0rd2!"),
                 (r"New password: ", new),
                 (r"Retype new password: ", new),
                 (r"SMS code: ", self.code("newsms"))]
        r = self.sshd.login("newsms", steps, command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIsNone(r.failed_at)
        self.assertIn("shell-ok", r.output)
        self.assertIn("You are required to change your password now.", r.terminal)
        self.assertIn("A verification code was sent by SMS to +*******0008.", r.terminal)
        # The new password is now the one that works.
        r = self.sshd.login("newsms", [(r"Password: ", new), (r"SMS code: ", self.code("newsms"))],
                            command="echo again")
        self.assertEqual(r.exit_status, 0, r.transcript)

    def test_wrong_sms_code_fails(self):
        steps = [(r"Password: ", "Sms-Passw0rd1!")] + [(r"SMS code: ", "000000")] * 3
        r = self.sshd.login("smsuser", steps, command="echo should-not-run")
        self.assertNotEqual(r.exit_status, 0)
        self.assertNotIn("should-not-run", r.output)
        self.assertIn("Wrong code, try again.", r.terminal)
        self.assertIn("Permission denied", r.transcript)

    def test_password_authentication_cannot_do_challenges(self):
        # With PasswordAuthentication sshd answers PAM itself: every echo-off
        # prompt gets the one password typed, echo-on prompts fail. A
        # challenge must neither succeed nor receive the password.
        sshd = self.password_sshd()
        try:
            opts = ("PreferredAuthentications=password",)
            r = sshd.login("alice", [(r"assword: ", "Alice-Passw0rd!")], command="echo plain-ok",
                           ssh_options=opts)
            self.assertEqual(r.exit_status, 0, r.transcript)  # no challenge: fine
            self.emu.control("ResetStats")
            for user, pw in (("smsuser", "Sms-Passw0rd1!"), ("newsms", "Temp-Passw0rd2!")):
                r = sshd.login(user, [(r"assword: ", pw)], command="echo should-not-run",
                               ssh_options=opts, timeout=15)
                self.assertNotEqual(r.exit_status, 0, r.transcript)
                self.assertNotIn("should-not-run", r.output)
            # One password check each, and no answer carrying the password.
            self.assertEqual(self.calls("RespondToAuthChallenge"), 2)
            self.assertIn("keyboard-interactive", sshd.log)
        finally:
            sshd.cleanup()

    def test_session_gets_aws_credentials(self):
        # auth runs in sshd's forked child, the session in the monitor: the
        # credentials must reach the shell all the same.
        cache = tempfile.mkdtemp(prefix="pc-e2e-cache-")
        os.chmod(cache, 0o755)
        config = config_file(self.emu, identity_pool_id=IDENTITY_POOL,
                             cache_dir=os.path.join(cache, "c"))
        svc = harness.PamServiceDir({"sshd-cognito": sshd_stack(config)})
        sshd = harness.Sshd(svc).start()
        try:
            r = sshd.login("alice", [(r"Password: ", "Alice-Passw0rd!")], command="env")
            self.assertEqual(r.exit_status, 0, r.transcript)
            issued = [c for c in self.emu.control("IssuedCredentials")["Credentials"]
                      if c["Username"] == "alice"][-1]["Credentials"]
            self.assertEqual(r.env.get("AWS_ACCESS_KEY_ID"), issued["AccessKeyId"])
            self.assertEqual(r.env.get("AWS_SECRET_ACCESS_KEY"), issued["SecretKey"])
            self.assertEqual(r.env.get("AWS_SESSION_TOKEN"), issued["SessionToken"])
            self.assertRegex(r.env.get("AWS_CREDENTIAL_EXPIRATION", ""),
                             r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            self.assertEqual(r.env.get("AWS_REGION"), "us-east-1")
            st = os.stat(os.path.join(cache, "c", "alice", "credentials.json"))
            self.assertEqual(oct(st.st_mode & 0o777), "0o600")
        finally:
            sshd.cleanup()
            svc.cleanup()
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
