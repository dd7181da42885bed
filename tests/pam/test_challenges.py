"""Cognito's challenges met through PAM prompts: forced new password, SMS,
TOTP and email codes, MFA choice; every wrong answer and every bound."""
import os
import time
import unittest

from pamrun import POOL, EmulatorTest, Stack, base_config
from otp_reference import totp

TOTP_SECRET = "JBSWY3DPEHPK3PXP"
GOOD_NEW = "Brand-New-Passw0rd!"


class ChallengeTest(EmulatorTest):
    def login(self, user, answers, **kw):
        return self.s.run(user, answers, **kw)

    # ---- NEW_PASSWORD_REQUIRED ----

    def test_new_password_required(self):
        r = self.login("newbie", ["Temp-Passw0rd1!", "Newbie Name", GOOD_NEW, GOOD_NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("You are required to change your password now.", r.infos)
        self.assertEqual(r.prompt_styles, [("echo_off", "Password: "), ("echo_on", "name: "),
                                           ("echo_off", "New password: "),
                                           ("echo_off", "Retype new password: ")])
        # The new password is now the password; the temporary one is gone.
        self.assertEqual(self.login("newbie", [GOOD_NEW]).code, "PAM_SUCCESS")
        self.assertEqual(self.login("newbie", ["Temp-Passw0rd1!"]).code, "PAM_AUTH_ERR")
        user = self.emu.idp("AdminGetUser", UserPoolId=POOL, Username="newbie")
        attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
        self.assertEqual(attrs.get("name"), "Newbie Name")

    def test_new_password_reaches_stacked_modules(self):
        out = self.s.dir / "authtok.out"
        probe = self.s.dir / "probe.sh"
        probe.write_text(f"#!/bin/sh\ncat > {out}\n")
        os.chmod(probe, 0o700)
        self.s.write_service(self.s.service,
                             "auth required @MODULE@ config=@CONFIG@\n"
                             f"auth required pam_exec.so expose_authtok quiet {probe}\n")
        r = self.login("newbie", ["Temp-Passw0rd1!", "N", GOOD_NEW, GOOD_NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(out.read_text().rstrip("\0"), GOOD_NEW)

    def test_new_password_mismatch_asks_again(self):
        r = self.login("newbie", ["Temp-Passw0rd1!", "N", GOOD_NEW, "Other-Passw0rd!1",
                                  GOOD_NEW, GOOD_NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Sorry, passwords do not match.", r.errors)
        self.assertEqual(r.prompts.count("New password: "), 2)

    def test_policy_rejection_shows_cognito_message_and_asks_again(self):
        r = self.login("newbie", ["Temp-Passw0rd1!", "N", "short", "short", GOOD_NEW, GOOD_NEW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("Password did not conform with policy" in e for e in r.errors), r.errors)

    def test_new_password_attempts_are_bounded(self):
        r = self.login("newbie", ["Temp-Passw0rd1!", "N"] + ["weakpassword"] * 6)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("New password: "), 3)
        self.assertTrue(any("Too many failed attempts" in e for e in r.errors), r.errors)
        self.assertEqual(self.login("newbie", ["Temp-Passw0rd1!", "@FAIL"]).code, "PAM_CONV_ERR")

    def test_replayed_password_is_not_sent_as_new_password(self):
        # sshd with PasswordAuthentication answers every echo-off prompt with
        # the one password the user typed.
        self.emu.control("ResetStats")
        r = self.login("newbie", ["Temp-Passw0rd1!", "N", "Temp-Passw0rd1!", "Temp-Passw0rd1!"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertTrue(any("keyboard-interactive" in e for e in r.errors), r.errors)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 1)

    def test_echo_on_prompt_unanswerable(self):
        r = self.login("newbie", ["Temp-Passw0rd1!", "@FAIL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertTrue(any("NEW_PASSWORD_REQUIRED" in l for l in r.syslog), r.syslog)

    # ---- SMS_MFA ----

    def test_sms_code(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!", self.code("smsuser")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("A verification code was sent by SMS to +*******1234.", r.infos)
        self.assertEqual(r.prompt_styles[1], ("echo_on", "SMS code: "))

    def test_wrong_sms_code_then_right(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!", "000000", self.code("smsuser")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Wrong code, try again.", r.errors)

    def test_code_that_is_not_digits_is_a_wrong_code(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!", "abc!def", self.code("smsuser")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Wrong code, try again.", r.errors)

    def test_wrong_sms_codes_are_bounded(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!", "000000", "000001", "000002", "000003"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("SMS code: "), 3)
        self.assertIn("Wrong code.", r.errors)

    def test_expired_session(self):
        self.emu.control("SetOptions", SessionTtlSeconds=1)

        def late(prompt):
            time.sleep(2.2)
            return self.code("smsuser")(prompt)
        r = self.login("smsuser", ["Sms-Passw0rd1!", late])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any("expired" in e for e in r.errors), r.errors)

    def test_empty_code_aborts(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!", ""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)

    def test_code_prompt_null_answer(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!", "@NULL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertTrue(any("SMS_MFA" in l for l in r.syslog), r.syslog)

    def test_answers_run_out(self):
        r = self.login("smsuser", ["Sms-Passw0rd1!"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)

    # ---- TOTP, email, choice ----

    def test_totp(self):
        r = self.login("totpuser", ["Totp-Passw0rd1!", lambda p: totp(TOTP_SECRET)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts[1], "Authenticator app code: ")
        r = self.login("totpuser", ["Totp-Passw0rd1!"] + ["123456"] * 3)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)

    def test_email_otp(self):
        r = self.login("emailuser", ["Email-Passw0rd1!", self.code("emailuser")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any(i.startswith("A verification code was sent by email to ") for i in r.infos), r.infos)

    def test_select_mfa_type(self):
        r = self.login("chooser", ["Choose-Passw0rd1!", "2", lambda p: totp(TOTP_SECRET)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        menu = [i for i in r.infos if i.startswith("Choose how to verify")]
        self.assertEqual(menu, ["Choose how to verify this login:\n  1) SMS code\n  2) authenticator app code"])
        self.assertEqual(r.prompts[1], "Method [1-2]: ")

    def test_select_mfa_type_sms_after_bad_choice(self):
        r = self.login("chooser", ["Choose-Passw0rd1!", "9", "SMS_MFA", self.code("chooser")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Please answer with one of the numbers shown.", r.errors)

    # ---- sequences and unsupported ----

    def test_new_password_then_sms(self):
        r = self.login("newsms", ["Temp-Passw0rd2!", GOOD_NEW, GOOD_NEW, self.code("newsms")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual([p for p in r.prompts],
                         ["Password: ", "New password: ", "Retype new password: ", "SMS code: "])

    def test_mfa_setup_off_is_refused_with_a_message(self):
        # mfa_setup = true (the default) is tests/pam/test_mfa_setup.py's.
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, mfa_setup=False))
        r = self.login("setupuser", ["Setup-Passw0rd1!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any("set up multi-factor" in e for e in r.errors), r.errors)
        self.assertTrue(any("MFA_SETUP" in l for l in r.syslog), r.syslog)


    def test_challenges_a_login_cannot_complete(self):
        cases = {"CUSTOM_CHALLENGE": "custom sign-in challenge",
                 "DEVICE_SRP_AUTH": "remembered devices",
                 "SOME_FUTURE_CHALLENGE": "cannot complete"}
        for name, words in cases.items():
            self.emu.control("SetFault", Operation="RespondToAuthChallenge", Kind="challenge",
                             ChallengeName=name)
            r = self.login("alice", ["Alice-Passw0rd!"])
            self.assertEqual(r.code, "PAM_AUTH_ERR", (name, r))
            self.assertTrue(any(words in e for e in r.errors), (name, r.errors))
            self.assertTrue(any(f"unsupported challenge {name}" in l for l in r.syslog), r.syslog)

    def test_challenge_without_its_parameters_fails_closed(self):
        self.emu.control("SetFault", Operation="RespondToAuthChallenge", Kind="challenge",
                         ChallengeName="SELECT_MFA_TYPE")
        r = self.login("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertTrue(any("MFAS_CAN_CHOOSE" in l for l in r.syslog), r.syslog)


if __name__ == "__main__":
    unittest.main()
