"""The real passwd program changes the Cognito password."""
import unittest

from cognito import Emulator, config_file, harness, passwd_stack
from pamrun import Stack, base_config

OLD = "Bob-Passw0rd!"
NEW = "Bob-Changed-Passw0rd!3"


class PasswdTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator().start()
        cls.config = config_file(cls.emu)
        harness.ensure_local_user("bob")
        cls.svc = harness.PamServiceDir({"passwd": passwd_stack(cls.config)})
        cls.passwd = harness.Passwd(cls.svc)

    @classmethod
    def tearDownClass(cls):
        cls.passwd.cleanup()
        cls.svc.cleanup()
        cls.emu.stop()
        harness.remove_local_user("bob")

    def setUp(self):
        self.emu.control("Reset")

    def login_code(self, pw):
        s = Stack(base_config(self.emu))
        try:
            return s.run("bob", [pw]).code
        finally:
            s.cleanup()

    def test_passwd_changes_the_cognito_password(self):
        r = self.passwd.run("bob", [(r"Current password: ", OLD), (r"New password: ", NEW),
                                    (r"Retype new password: ", NEW)])
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("Your Cognito password has been changed.", r.transcript)
        self.assertIn("password updated successfully", r.transcript)
        self.assertEqual(self.login_code(NEW), "PAM_SUCCESS")
        self.assertEqual(self.login_code(OLD), "PAM_AUTH_ERR")

    def test_wrong_current_password(self):
        r = self.passwd.run("bob", [(r"Current password: ", "not-bobs-password")])
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertIn("The current password is not correct.", r.transcript)
        self.assertEqual(self.login_code(OLD), "PAM_SUCCESS")

    def test_policy_rejection(self):
        steps = [(r"Current password: ", OLD)]
        for _ in range(3):
            steps += [(r"New password: ", "alllowercase1!"), (r"Retype new password: ", "alllowercase1!")]
        r = self.passwd.run("bob", steps)
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertIn("Password must have uppercase characters", r.transcript)
        self.assertIn("Too many failed attempts", r.transcript)
        self.assertEqual(self.login_code(OLD), "PAM_SUCCESS")


if __name__ == "__main__":
    unittest.main()
