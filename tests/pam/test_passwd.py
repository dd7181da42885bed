"""pam_sm_chauthtok through a real libpam stack: both phases, every result."""
import unittest

from pamrun import EmulatorTest

OLD = "Alice-Passw0rd!"
NEW = "Changed-Passw0rd!2"


class PasswdTest(EmulatorTest):
    def chauthtok(self, answers, user="alice", stages=("chauthtok",)):
        return self.s.run(user, answers, stages=stages)

    def login(self, user, pw):
        return self.s.run(user, [pw]).code

    def test_change_succeeds_and_new_password_works(self):
        r = self.chauthtok([OLD, NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", "Current password: "),
                                           ("echo_off", "New password: "),
                                           ("echo_off", "Retype new password: ")])
        self.assertIn("Your Cognito password has been changed.", r.infos)
        # pam-run runs as root: the module says why it still asks.
        self.assertTrue(any("needs the user's current password" in i for i in r.infos), r.infos)
        self.assertEqual(self.login("alice", NEW), "PAM_SUCCESS")
        self.assertEqual(self.login("alice", OLD), "PAM_AUTH_ERR")

    def test_wrong_current_password(self):
        self.emu.control("ResetStats")
        r = self.chauthtok(["not-the-password", NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("The current password is not correct.", r.errors)
        self.assertEqual(r.prompts, ["Current password: "])
        self.assertEqual(self.calls("ChangePassword"), 0)
        self.assertEqual(self.login("alice", OLD), "PAM_SUCCESS")

    def test_mismatch_asks_again(self):
        r = self.chauthtok([OLD, NEW, "Typo-Passw0rd!2", NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts.count("New password: "), 2)
        self.assertTrue(any("do not match" in e for e in r.errors), r.errors)

    def test_policy_rejection_shows_message_and_asks_again(self):
        r = self.chauthtok([OLD, "short", "short", NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("Password did not conform with policy" in e for e in r.errors), r.errors)
        self.assertEqual(self.login("alice", NEW), "PAM_SUCCESS")

    def test_policy_rejections_are_bounded(self):
        r = self.chauthtok([OLD] + ["nouppercase1!"] * 8)
        self.assertEqual(r.code, "PAM_AUTHTOK_ERR", r)
        self.assertEqual(r.prompts.count("New password: "), 3)
        self.assertTrue(any("uppercase" in e for e in r.errors), r.errors)
        self.assertEqual(self.login("alice", OLD), "PAM_SUCCESS")

    def test_limit_exceeded(self):
        self.emu.control("SetOptions", ChangePasswordAttemptLimit=0)
        r = self.chauthtok([OLD, NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTHTOK_ERR", r)
        self.assertIn("Too many attempts; try again later.", r.errors)

    def test_throttled(self):
        self.emu.control("SetFault", Operation="ChangePassword", Kind="throttle", Count=10)
        r = self.chauthtok([OLD, NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTHTOK_ERR", r)
        self.assertIn("Too many attempts; try again later.", r.errors)

    def test_server_unreachable_during_change(self):
        self.emu.control("SetFault", Operation="ChangePassword", Kind="close", Count=10)
        r = self.chauthtok([OLD, NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        # The request may have been used before the answer was lost: the
        # person is told so, not that nothing changed.
        self.assertTrue(any("may or may not have been changed" in e for e in r.errors), r.errors)
        self.assertEqual(self.login("alice", OLD), "PAM_SUCCESS")

    def test_server_unreachable_before_change(self):
        self.emu.control("SetFault", Operation="InitiateAuth", Kind="close", Count=10)
        r = self.chauthtok([OLD, NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)

    def test_mfa_user_answers_code_while_proving_current_password(self):
        r = self.chauthtok(["Sms-Passw0rd1!", self.code("smsuser"), NEW, NEW], user="smsuser")
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Current password: ", "SMS code: ", "New password: ",
                                     "Retype new password: "])

    def test_empty_new_password(self):
        r = self.chauthtok([OLD, "", ""])
        self.assertEqual(r.code, "PAM_AUTHTOK_ERR", r)
        self.assertEqual(self.login("alice", OLD), "PAM_SUCCESS")

    def test_change_expired_only_is_ignored(self):
        # Cognito passwords do not age: nothing to do, nothing asked.
        self.s.write_service(self.s.service, "password required pam_permit.so\n"
                                             "password required @MODULE@ config=@CONFIG@\n")
        r = self.chauthtok([], stages=("chauthtok-expired",))
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, [])


if __name__ == "__main__":
    unittest.main()
