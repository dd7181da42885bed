"""Self-service password reset at the prompt (password_reset): a user whose
password must be reset (PasswordResetRequiredException) gets a code, types it
and a new password, and is logged in with it; every wrong answer, bound and
refusal, through a real PAM stack."""
import os
import time
import unittest

from pamrun import (CLIENT_SECRET, POOL, SECRET_CLIENT, CacheTest, EmulatorTest,
                    Stack, base_config, refused_url)

OLD = "Alice-Passw0rd!"
NEW = "Reset-Passw0rd!9"
SENT = "A code was sent to a***@e***."
ASK = "Send a code to reset it? [Y/n] "


class ResetTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")

    def code(self, user="alice"):
        return super().code(user)

    def assert_new_password_works(self, user="alice", old=OLD, new=NEW):
        self.assertEqual(self.s.run(user, [new]).code, "PAM_SUCCESS")
        self.assertEqual(self.s.run(user, [old]).code, "PAM_AUTH_ERR")

    def assert_reset_seen(self, r):
        """A reset at the prompt as the person sees it, ending logged in."""
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", "Password: "), ("echo_on", ASK),
                                           ("echo_on", "Code: "),
                                           ("echo_off", "New password: "),
                                           ("echo_off", "Retype new password: ")])
        self.assertEqual(r.infos, ["Your password must be reset.", SENT,
                                   "Your password has been reset."])
        self.assertEqual(r.errors, [])

    def test_reset_then_login(self):
        r = self.s.run("alice", [OLD, "", self.code(), NEW, NEW])
        self.assert_reset_seen(r)
        self.assert_new_password_works()

    def test_reset_demanded_after_password_verifier(self):
        # Issue 24: in USER_SRP_AUTH the demand can come from
        # RespondToAuthChallenge, after the password proof: the same reset.
        self.emu.control("SetOptions", PasswordResetStep="PASSWORD_VERIFIER")
        r = self.s.run("alice", [OLD, "", self.code(), NEW, NEW])
        self.assert_reset_seen(r)
        # The refused proof, then the new password's sign-in.
        self.assertEqual(self.calls("InitiateAuth"), 2)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 2)
        self.assertEqual(self.calls("ConfirmForgotPassword"), 1)
        self.assert_new_password_works()

    def test_after_password_verifier_without_password_reset(self):
        self.emu.control("SetOptions", PasswordResetStep="PASSWORD_VERIFIER")
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, password_reset=False))
        r = self.s.run("alice", [OLD])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.errors, ["Your password must be reset before you can log in."])
        self.assertEqual(self.calls("RespondToAuthChallenge"), 1)
        self.assertEqual(self.calls("ForgotPassword"), 0)

    def test_client_with_secret_sends_secret_hash(self):
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, client_id=SECRET_CLIENT,
                                   client_secret=CLIENT_SECRET))
        r = self.s.run("alice", [OLD, "", self.code(), NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assert_new_password_works()

    def test_new_password_reaches_stacked_modules(self):
        out = self.s.dir / "authtok.out"
        probe = self.s.dir / "probe.sh"
        probe.write_text(f"#!/bin/sh\ncat > {out}\n")
        os.chmod(probe, 0o700)
        self.s.write_service(self.s.service,
                             "auth required @MODULE@ config=@CONFIG@\n"
                             f"auth required pam_exec.so expose_authtok quiet {probe}\n")
        r = self.s.run("alice", [OLD, "", self.code(), NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(out.read_text().rstrip("\0"), NEW)

    def test_wrong_code_asks_again(self):
        r = self.s.run("alice", [OLD, "", "000000", NEW, NEW, self.code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.errors, ["Wrong code, try again."])
        # The code is asked again; the new password is kept.
        self.assertEqual(r.prompts, ["Password: ", ASK, "Code: ", "New password: ",
                                     "Retype new password: ", "Code: "])
        self.assert_new_password_works()

    def test_wrong_codes_are_bounded(self):
        r = self.s.run("alice", [OLD, "", "000000", NEW, NEW, "000001", "000002", "000003"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("Code: "), 3)
        self.assertIn("Too many failed attempts; the password was not reset.", r.errors)
        self.assertTrue(any("password reset: too many attempts" in l for l in r.syslog), r.syslog)
        self.assertEqual(self.calls("ConfirmForgotPassword"), 3)
        # Still to be reset: the next login starts over.
        r = self.s.run("alice", [OLD, "@FAIL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertIn("Your password must be reset.", r.infos)

    def test_expired_code_sends_a_new_one(self):
        self.emu.control("SetOptions", ResetCodeTtlSeconds=2)

        def late_code(prompt):
            time.sleep(2.2)
            return self.code()(prompt)
        r = self.s.run("alice", [OLD, "", late_code, NEW, NEW, self.code()])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("The code has expired; a new one is on its way.", r.errors)
        self.assertEqual(r.infos.count(SENT), 2)
        self.assertEqual(self.calls("ForgotPassword"), 2)
        self.assert_new_password_works()

    def test_policy_failure_shows_cognito_message_and_asks_again(self):
        r = self.s.run("alice", [OLD, "", self.code(), "short", "short", NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("Password did not conform with policy" in e for e in r.errors),
                        r.errors)
        self.assertEqual(r.prompts.count("Code: "), 1)
        self.assertEqual(r.prompts.count("New password: "), 2)
        self.assert_new_password_works()

    def test_password_history_violation_asks_again(self):
        self.emu.control("SetFault", Operation="ConfirmForgotPassword", Kind="error",
                         ErrorType="PasswordHistoryPolicyViolationException",
                         Message="The password was used recently.")
        r = self.s.run("alice", [OLD, "", self.code(), OLD, OLD, NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("The password was used recently.", r.errors)
        self.assert_new_password_works()

    def test_mismatched_retype_asks_again(self):
        r = self.s.run("alice", [OLD, "", self.code(), NEW, "Other-Passw0rd!1", NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Sorry, passwords do not match.", r.errors)
        self.assertEqual(self.calls("ConfirmForgotPassword"), 1)

    def test_limit_exceeded_says_so(self):
        self.emu.control("SetFault", Operation="ForgotPassword", Kind="error",
                         ErrorType="LimitExceededException",
                         Message="Attempt limit exceeded, please try after some time.")
        r = self.s.run("alice", [OLD, ""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts, ["Password: ", ASK])
        self.assertIn("Too many password reset attempts; wait a while, then log in again.",
                      r.errors)
        self.assertTrue(any("ForgotPassword: LimitExceededException" in l for l in r.syslog),
                        r.syslog)

    def test_no_verified_address(self):
        self.emu.control("SetFault", Operation="ForgotPassword", Kind="error",
                         ErrorType="InvalidParameterException",
                         Message="Cannot reset password for the user as there is no "
                                 "registered/verified email or phone_number")
        r = self.s.run("alice", [OLD, "y"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts, ["Password: ", ASK])
        self.assertIn("Your password must be reset, but no code can be sent to you; "
                      "ask your administrator.", r.errors)
        self.assertTrue(any("no registered/verified email" in l for l in r.syslog), r.syslog)

    def test_limit_exceeded_at_confirm(self):
        self.emu.control("SetOptions", MaxResetCodeAttempts=1)
        r = self.s.run("alice", [OLD, "", "000000", NEW, NEW, "000001"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("Too many password reset attempts; wait a while, then log in again.",
                      r.errors)

    def test_empty_code_aborts(self):
        r = self.s.run("alice", [OLD, "", ""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("No code given; the password was not reset.", r.errors)
        self.assertEqual(self.calls("ConfirmForgotPassword"), 0)

    def test_no_echo_on_prompts_ends_with_a_message(self):
        # sshd with PasswordAuthentication fails every echo-on prompt.
        r = self.s.run("alice", [OLD, "@FAIL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertTrue(any("keyboard-interactive" in e for e in r.errors), r.errors)
        self.assertTrue(any("password reset: the conversation could not answer" in l
                            for l in r.syslog), r.syslog)
        # Nothing was sent: no code reaches the user's mail on every attempt.
        self.assertEqual(self.calls("ForgotPassword"), 0)

    def test_declining_sends_nothing(self):
        for answer in ("n", "no", "later"):
            r = self.s.run("alice", [OLD, answer])
            self.assertEqual(r.code, "PAM_AUTH_ERR", r)
            self.assertEqual(r.prompt_styles, [("echo_off", "Password: "), ("echo_on", ASK)])
            self.assertEqual(r.infos, ["Your password must be reset."])
            self.assertEqual(r.errors, ["No code sent; the password was not reset."])
            self.assertTrue(any("password reset: the user sent no code" in l
                                for l in r.syslog), r.syslog)
        self.assertEqual(self.calls("ForgotPassword"), 0)

    def test_yes_in_any_case_sends(self):
        r = self.s.run("alice", [OLD, "Y", self.code(), NEW, NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(self.calls("ForgotPassword"), 1)

    def test_silent_does_not_reset(self):
        self.emu.control("ResetStats")
        r = self.s.run("alice", [OLD], silent=True)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts, ["Password: "])
        self.assertEqual(r.infos + r.errors, [])
        self.assertEqual(self.calls("ForgotPassword"), 0)
        self.assertTrue(any("PAM_SILENT" in l for l in r.syslog), r.syslog)

    def test_reset_off_only_tells(self):
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, password_reset=False))
        self.emu.control("ResetStats")
        r = self.s.run("alice", [OLD])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("Your password must be reset before you can log in.", r.errors)
        self.assertEqual(self.calls("ForgotPassword"), 0)

    def test_login_after_reset_meets_mfa(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="smsuser")
        r = self.s.run("smsuser", ["Sms-Passw0rd1!", "", self.code("smsuser"), NEW, NEW,
                                   self.code("smsuser")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("A code was sent to +*******1234.", r.infos)
        self.assertEqual(r.prompts[-1], "SMS code: ")

    def test_lost_answer_says_the_password_may_be_set(self):
        # The connection breaks after Cognito has set the password.
        self.emu.control("SetFault", Operation="ConfirmForgotPassword", Kind="reset_mid_body")
        r = self.s.run("alice", [OLD, "", self.code(), NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertIn("Cognito's answer was lost; the new password may already be in "
                      "effect: try it first at the next login.", r.errors)
        self.assertEqual(self.calls("ConfirmForgotPassword"), 1)
        self.assert_new_password_works()

    def test_unreachable_mid_reset_fails(self):
        self.emu.control("SetFault", Operation="ConfirmForgotPassword", Kind="http500", Count=5)
        r = self.s.run("alice", [OLD, "", self.code(), NEW, NEW])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertEqual(self.s.run("alice", [OLD, "@FAIL"]).code, "PAM_CONV_ERR")


class ResetOfflineTest(CacheTest):
    """No offline login with a password Cognito said must be reset."""

    def test_reset_required_voids_the_offline_verifier(self):
        online = Stack(base_config(self.emu, cache_dir=self.cache, offline_days=7))
        dead = refused_url(self)
        down = Stack(base_config(self.emu, cache_dir=self.cache, offline_days=7,
                                 idp_endpoint=dead, identity_endpoint=dead))
        self.stacks += [online, down]
        self.assertEqual(online.run("alice", [OLD]).code, "PAM_SUCCESS")
        verifier = os.path.join(self.cache, ".private", "alice", "offline.json")
        self.assertTrue(os.path.exists(verifier))
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        # Cognito stops answering in the middle of the reset.
        self.emu.control("SetFault", Operation="ForgotPassword", Kind="http500", Count=5)
        r = online.run("alice", [OLD, "yes"])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertFalse(any("logged in with cached credentials" in i for i in r.infos), r)
        self.assertFalse(os.path.exists(verifier))
        self.assertEqual(down.run("alice", [OLD]).code, "PAM_AUTHINFO_UNAVAIL")


if __name__ == "__main__":
    unittest.main()
