"""Sign-in rules and password reset: lockout, the PASSWORD_VERIFIER window,
simulated challenges for unknown users, expiring temporary passwords,
injected errors, ForgotPassword/ConfirmForgotPassword, AdminResetUserPassword
and email MFA set-up, over HTTP only.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import copy
import json
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from control import default_fixture  # noqa: E402
from test_emulator import (EmulatorCase, EMAIL_CLIENT, EMAIL_POOL, POOL, PUBLIC,  # noqa: E402
                           SECRET, SECRET_CLIENT, secret_hash, totp_now)
import dispatch  # noqa: E402
import error_catalog  # noqa: E402
import sigv4  # noqa: E402

LOCKED = "Password attempts exceeded"
WRONG = "Incorrect username or password."


class LockoutTest(EmulatorCase):
    def test_lockout_doubles_and_ends(self):
        # Issue 24: a success before any lockout no longer ends the count
        # (the developer guide: only a success after a lockout expired, or
        # 15 minutes without attempts); this test used to expect a reset here.
        for _ in range(4):
            self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                             message=WRONG)
        self.pw_login("alice", "Alice-Passw0rd!")            # the count stays at 4
        self.assertEqual(self.emu.control("GetUserState", Username="alice")["Lockout"]
                         ["Failures"], 4)
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                         message=WRONG)
        # fifth failure: locked for 2^0 = 1 s, even with the right password
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!",
                         message=LOCKED)
        self.assertError("NotAuthorizedException", self.srp_login, "alice", "Alice-Passw0rd!",
                         message=LOCKED)
        self.emu.control("AdvanceClock", Seconds=1.1)
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                         message=WRONG)                        # sixth: 2 s
        self.emu.control("AdvanceClock", Seconds=1.5)
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!",
                         message=LOCKED)
        state = self.emu.control("GetUserState", Username="alice")["Lockout"]
        self.assertEqual(state["Failures"], 6)
        self.assertGreater(state["LockedSeconds"], 0)
        self.emu.control("AdvanceClock", Seconds=0.6)
        self.assertIn("AuthenticationResult", self.srp_login("alice", "Alice-Passw0rd!"))
        # a success after the lockout expired ends the count
        self.assertEqual(self.emu.control("GetUserState", Username="alice")["Lockout"]
                         ["Failures"], 0)
        # other users are not affected
        self.pw_login("bob", "Bob-Passw0rd!")

    def test_fifteen_quiet_minutes_end_the_count(self):
        for _ in range(5):
            self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                             message=WRONG)
        # attempts while locked are not counted, but they are attempts: the
        # quiet time starts again from each
        self.emu.control("AdvanceClock", Seconds=600)
        self.pw_login("alice", "Alice-Passw0rd!")
        self.assertEqual(self.emu.control("GetUserState", Username="alice")["Lockout"]
                         ["Failures"], 0, "a success after the lockout expired")
        for _ in range(4):
            self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                             message=WRONG)
        self.emu.control("AdvanceClock", Seconds=899)
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                         message=WRONG)                        # fifth within 15 min
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!",
                         message=LOCKED)
        self.emu.control("AdvanceClock", Seconds=901)
        self.assertEqual(self.emu.control("GetUserState", Username="alice")["Lockout"],
                         {"Failures": 0, "LockedSeconds": 0.0})
        for _ in range(4):
            self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                             message=WRONG)
        self.pw_login("alice", "Alice-Passw0rd!")              # four again: not locked

    def test_srp_failures_count_and_cap(self):
        self.emu.control("SetOptions", LockoutMaxSeconds=4)
        for n in range(1, 9):
            self.assertError("NotAuthorizedException", self.srp_login, "alice", "wrong",
                             message=WRONG)
            locked = self.emu.control("GetUserState", Username="alice")["Lockout"]
            self.assertEqual(locked["Failures"], n)
            if n < 5:
                self.assertEqual(locked["LockedSeconds"], 0)
            else:   # 2^(n-5) s, capped at 4
                self.assertAlmostEqual(locked["LockedSeconds"], min(2 ** (n - 5), 4), delta=0.5)
            self.emu.control("AdvanceClock", Seconds=5)

    def test_threshold_zero_turns_it_off(self):
        self.emu.control("SetOptions", LockoutThreshold=0)
        for _ in range(7):
            self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                             message=WRONG)
        self.pw_login("alice", "Alice-Passw0rd!")


class ThreatProtectionTest(EmulatorCase):
    def test_a_blocked_user_hears_the_guides_words_after_a_right_password(self):
        for block, message in (("SignIn", "Unable to login because of security reasons."),
                               ("Request", "Request not allowed due to security reasons.")):
            self.assertEqual(self.emu.control("SetThreatProtectionBlock", Username="alice",
                                              Block=block), {"Block": block})
            self.assertError("NotAuthorizedException", self.pw_login, "alice",
                             "Alice-Passw0rd!", message=message)
            self.assertError("NotAuthorizedException", self.srp_login, "alice",
                             "Alice-Passw0rd!", message=message)
            # a wrong password stays a wrong password
            self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                             message=WRONG)
        self.pw_login("bob", "Bob-Passw0rd!")                  # per user
        self.emu.control("SetThreatProtectionBlock", Username="alice", Block=None)
        self.assertIn("AuthenticationResult", self.pw_login("alice", "Alice-Passw0rd!"))
        self.assertError("InvalidParameterException", self.emu.control,
                         "SetThreatProtectionBlock", Username="alice", Block="Maybe")


class ResetStepTest(EmulatorCase):
    def test_reset_demanded_after_password_verifier(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        self.assertError("PasswordResetRequiredException", self.srp_login, "alice",
                         "Alice-Passw0rd!")
        self.assertEqual(self.calls("InitiateAuth"), 1)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)
        self.emu.control("SetOptions", PasswordResetStep="PASSWORD_VERIFIER")
        self.assertError("PasswordResetRequiredException", self.srp_login, "alice",
                         "Alice-Passw0rd!")
        self.assertEqual(self.calls("RespondToAuthChallenge"), 1)
        # a wrong password is still a wrong password there
        self.assertError("NotAuthorizedException", self.srp_login, "alice", "nope",
                         message=WRONG)
        # USER_PASSWORD_AUTH has only InitiateAuth to say it in
        self.assertError("PasswordResetRequiredException", self.pw_login, "alice",
                         "Alice-Passw0rd!")
        self.assertError("InvalidParameterException", self.emu.control, "SetOptions",
                         PasswordResetStep="Later")


class VerifierWindowTest(EmulatorCase):
    def test_default_window_is_a_few_seconds(self):
        opts = self.emu.control("SetOptions")["Options"]
        self.assertEqual(opts["SrpTtlSeconds"], 5)
        c, r = self.srp_start("alice")
        self.emu.control("AdvanceClock", Seconds=6)
        answers = c.answer(r["ChallengeParameters"], "Alice-Passw0rd!")
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
                         ChallengeResponses=answers,
                         message="Invalid session for the user, session is expired.")
        c, r = self.srp_start("alice")
        self.emu.control("AdvanceClock", Seconds=4)
        self.assertIn("AuthenticationResult", self.emu.idp(
            "RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
            ChallengeResponses=c.answer(r["ChallengeParameters"], "Alice-Passw0rd!")))


class SimulatedUserTest(EmulatorCase):
    fixture = copy.deepcopy(default_fixture())
    for pool in fixture["UserPools"]:
        for client in pool["Clients"]:
            client["PreventUserExistenceErrors"] = "ENABLED"

    def test_stable_per_name(self):
        first = self.srp_start("ghost")[1]["ChallengeParameters"]
        again = self.srp_start("ghost")[1]["ChallengeParameters"]
        other = self.srp_start("phantom")[1]["ChallengeParameters"]
        self.assertEqual(first["SALT"], again["SALT"])
        self.assertEqual(first["USER_ID_FOR_SRP"], again["USER_ID_FOR_SRP"])
        self.assertNotEqual(first["SRP_B"], again["SRP_B"])       # fresh, as for real users
        self.assertNotEqual(first["SALT"], other["SALT"])
        self.assertEqual(first["USER_ID_FOR_SRP"], "ghost")
        # email sign-in pools: a stable UUID, shaped like the real user ids
        a = self.srp_start("nobody@example.com", EMAIL_CLIENT, EMAIL_POOL)[1]
        b = self.srp_start("NOBODY@example.com", EMAIL_CLIENT, EMAIL_POOL)[1]
        uid = a["ChallengeParameters"]["USER_ID_FOR_SRP"]
        self.assertRegex(uid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                              r"[0-9a-f]{12}$")
        self.assertEqual(uid, b["ChallengeParameters"]["USER_ID_FOR_SRP"])
        self.assertEqual(a["ChallengeParameters"]["SALT"], b["ChallengeParameters"]["SALT"])
        c, r = self.srp_start("ghost")
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
                         ChallengeResponses=c.answer(r["ChallengeParameters"], "x"),
                         message=WRONG)

    def test_forgot_password_for_unknown_user_is_simulated(self):
        one = self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="ghost")
        two = self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="ghost")
        self.assertEqual(one, two)
        self.assertEqual(set(one["CodeDeliveryDetails"]),
                         {"Destination", "DeliveryMedium", "AttributeName"})
        self.assertError("CodeMismatchException", self.emu.idp, "ConfirmForgotPassword",
                         ClientId=PUBLIC, Username="ghost", ConfirmationCode="123456",
                         Password="New-Passw0rd!1")


class TemporaryPasswordTest(EmulatorCase):
    def test_expires_after_validity_days(self):
        self.emu.control("AdvanceClock", Seconds=6 * 86400)
        r = self.pw_login("newbie", "Temp-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.emu.control("AdvanceClock", Seconds=2 * 86400)
        self.assertError("NotAuthorizedException", self.pw_login, "newbie", "Temp-Passw0rd1!",
                         message="Temporary password has expired and must be reset by an "
                                 "administrator.")
        self.assertError("NotAuthorizedException", self.srp_login, "newbie", "Temp-Passw0rd1!",
                         message="Temporary password has expired and must be reset by an "
                                 "administrator.")
        # a wrong password still says wrong password
        self.assertError("NotAuthorizedException", self.pw_login, "newbie", "nope",
                         message=WRONG)
        # an administrator sets a new temporary password: valid again
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username="newbie",
                     Password="Temp-Passw0rd9!")
        self.assertEqual(self.pw_login("newbie", "Temp-Passw0rd9!")["ChallengeName"],
                         "NEW_PASSWORD_REQUIRED")


class ErrorFaultTest(EmulatorCase):
    def test_every_listed_error_is_injectable(self):
        # The signed calls (pam_cognito-sync's) are in test_admin_clients.
        for op, types in error_catalog.ERRORS.items():
            if op in sigv4.SIGNED_OPERATIONS:
                continue
            service = dispatch.IDENTITY if op in dispatch.OPERATIONS[dispatch.IDENTITY] \
                else dispatch.IDP
            for kind in types:
                self.emu.control("SetFault", Operation=op, Kind="error", ErrorType=kind,
                                 Message="injected " + kind)
                status, body, headers = self.emu.call(service + "." + op, {"ClientId": PUBLIC})
                self.assertEqual(body, {"__type": kind, "message": "injected " + kind})
                self.assertEqual(headers["x-amzn-ErrorType"], kind + ":")
                self.assertEqual(status, {"InternalErrorException": 500,
                                          "ForbiddenException": 403}.get(kind, 400))

    def test_used_up_and_checked_against_the_model(self):
        self.emu.control("SetFault", Operation="InitiateAuth", Kind="error",
                         ErrorType="UserLambdaValidationException",
                         Message="PreAuthentication failed with error Not on weekends.")
        self.assertEqual(self.emu.control("ListFaults")["Faults"][0]["ErrorType"],
                         "UserLambdaValidationException")
        self.assertError("UserLambdaValidationException", self.pw_login, "alice",
                         "Alice-Passw0rd!",
                         message="PreAuthentication failed with error Not on weekends.")
        self.pw_login("alice", "Alice-Passw0rd!")
        self.assertError("InvalidParameterException", self.emu.control, "SetFault",
                         Operation="InitiateAuth", Kind="error",
                         ErrorType="CodeMismatchException")
        self.assertError("InvalidParameterException", self.emu.control, "SetFault",
                         Operation="InitiateAuth", Kind="error")
        # "*" takes any listed type, for the next request of any operation
        self.emu.control("SetFault", Kind="error", ErrorType="ForbiddenException",
                         Message="Request blocked by AWS WAF.")
        self.assertError("ForbiddenException", self.srp_start, "alice",
                         message="Request blocked by AWS WAF.")


class ForgotPasswordTest(EmulatorCase):
    def test_reset_then_sign_in(self):
        r = self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="alice")
        self.assertEqual(r, {"CodeDeliveryDetails": {"Destination": "a***@e***",
                                                     "DeliveryMedium": "EMAIL",
                                                     "AttributeName": "email"}})
        code = self.emu.control("GetLastCode", Username="alice")
        self.assertEqual((code["Medium"], code["Destination"]), ("EMAIL", "alice@example.com"))
        wrong = "000000" if code["Code"] != "000000" else "111111"
        self.assertError("CodeMismatchException", self.emu.idp, "ConfirmForgotPassword",
                         ClientId=PUBLIC, Username="alice", ConfirmationCode=wrong,
                         Password="New-Passw0rd!1",
                         message="Invalid verification code provided, please try again.")
        self.assertError("InvalidPasswordException", self.emu.idp, "ConfirmForgotPassword",
                         ClientId=PUBLIC, Username="alice", ConfirmationCode=code["Code"],
                         Password="weakpassword",
                         message="Password did not conform with policy: Password must have "
                                 "uppercase characters")
        self.assertEqual(self.emu.idp("ConfirmForgotPassword", ClientId=PUBLIC,
                                      Username="alice", ConfirmationCode=code["Code"],
                                      Password="New-Passw0rd!1"), {})
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!")
        self.assertIn("AuthenticationResult", self.srp_login("alice", "New-Passw0rd!1"))
        # the code is used up
        self.assertError("ExpiredCodeException", self.emu.idp, "ConfirmForgotPassword",
                         ClientId=PUBLIC, Username="alice", ConfirmationCode=code["Code"],
                         Password="Other-Passw0rd!1")

    def test_sms_destination_expiry_and_attempt_limit(self):
        r = self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="smsuser")
        self.assertEqual(r["CodeDeliveryDetails"], {"Destination": "+*******1234",
                                                    "DeliveryMedium": "SMS",
                                                    "AttributeName": "phone_number"})
        code = self.code("smsuser")
        self.emu.control("AdvanceClock", Seconds=3601)
        self.assertError("ExpiredCodeException", self.emu.idp, "ConfirmForgotPassword",
                         ClientId=PUBLIC, Username="smsuser", ConfirmationCode=code,
                         Password="New-Passw0rd!1",
                         message="Invalid code provided, please request a code again.")
        self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="smsuser")
        code = self.code("smsuser")
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            self.assertError("CodeMismatchException", self.emu.idp, "ConfirmForgotPassword",
                             ClientId=PUBLIC, Username="smsuser", ConfirmationCode=wrong,
                             Password="New-Passw0rd!1")
        self.assertError("LimitExceededException", self.emu.idp, "ConfirmForgotPassword",
                         ClientId=PUBLIC, Username="smsuser", ConfirmationCode=code,
                         Password="New-Passw0rd!1")

    def test_errors(self):
        self.assertError("UserNotFoundException", self.emu.idp, "ForgotPassword",
                         ClientId=PUBLIC, Username="ghost")
        self.assertError("NotAuthorizedException", self.emu.idp, "ForgotPassword",
                         ClientId=PUBLIC, Username="disabled", message="User is disabled.")
        self.assertError("InvalidParameterException", self.emu.idp, "ForgotPassword",
                         ClientId=PUBLIC, Username="totpuser")      # no email, no phone
        self.assertError("NotAuthorizedException", self.emu.idp, "ForgotPassword",
                         ClientId=SECRET_CLIENT, Username="alice")
        self.emu.idp("ForgotPassword", ClientId=SECRET_CLIENT, Username="alice",
                     SecretHash=secret_hash(SECRET, "alice", SECRET_CLIENT))

    def test_admin_reset_requires_a_reset(self):
        self.assertEqual(self.emu.idp("AdminResetUserPassword", UserPoolId=POOL,
                                      Username="alice"), {})
        self.assertEqual(self.emu.control("GetUserState", Username="alice")["UserStatus"],
                         "RESET_REQUIRED")
        self.assertError("PasswordResetRequiredException", self.pw_login, "alice",
                         "Alice-Passw0rd!", message="Password reset required for the user")
        self.assertError("PasswordResetRequiredException", self.srp_start, "alice")
        self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="alice")
        code = self.code("alice")
        self.emu.idp("ConfirmForgotPassword", ClientId=PUBLIC, Username="alice",
                     ConfirmationCode=code, Password="Reset-Passw0rd!1")
        self.assertEqual(self.emu.control("GetUserState", Username="alice")["UserStatus"],
                         "CONFIRMED")
        self.assertIn("AuthenticationResult", self.srp_login("alice", "Reset-Passw0rd!1"))


class EmailMfaSetupTest(EmulatorCase):
    fixture = copy.deepcopy(default_fixture())
    fixture["UserPools"][0]["EmailMfa"] = True

    def test_email_otp_enrolment(self):
        r = self.pw_login("setupuser", "Setup-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "MFA_SETUP")
        self.assertEqual(json.loads(r["ChallengeParameters"]["MFAS_CAN_SETUP"]),
                         ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
        r = self.answer("MFA_SETUP", r["Session"], "setupuser", EMAIL="setup@example.com")
        self.assertEqual(r["ChallengeName"], "EMAIL_OTP")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"], "s***@e***")
        code = self.emu.control("GetLastCode", Username="setupuser")
        self.assertEqual(code["Destination"], "setup@example.com")
        done = self.answer("EMAIL_OTP", r["Session"], "setupuser", EMAIL_OTP_CODE=code["Code"])
        self.assertIn("AuthenticationResult", done)
        state = self.emu.control("GetUserState", Username="setupuser")
        self.assertIn("EMAIL_OTP", state["UserMFASettingList"])
        r = self.pw_login("setupuser", "Setup-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "EMAIL_OTP")

    def test_totp_enrolment_still_works(self):
        r = self.pw_login("setupuser", "Setup-Passw0rd1!")
        assoc = self.emu.idp("AssociateSoftwareToken", Session=r["Session"])
        self.assertError("EnableSoftwareTokenMFAException", self.emu.idp,
                         "VerifySoftwareToken", Session=assoc["Session"], UserCode="000000"
                         if totp_now(assoc["SecretCode"]) != "000000" else "111111")
        ver = self.emu.idp("VerifySoftwareToken", Session=assoc["Session"],
                           UserCode=totp_now(assoc["SecretCode"]))
        self.assertIn("AuthenticationResult", self.answer("MFA_SETUP", ver["Session"],
                                                          "setupuser"))


class UserMfaPreferenceTest(EmulatorCase):
    def test_signed_in_totp_enrolment(self):
        access = self.tokens()["AccessToken"]
        self.assertError("InvalidParameterException", self.emu.idp, "SetUserMFAPreference",
                         AccessToken=access,
                         SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
        secret = self.emu.idp("AssociateSoftwareToken", AccessToken=access)["SecretCode"]
        self.assertEqual(self.emu.idp("VerifySoftwareToken", AccessToken=access,
                                      UserCode=totp_now(secret))["Status"], "SUCCESS")
        self.assertEqual(self.pw_login("alice", "Alice-Passw0rd!")["ChallengeParameters"], {})
        self.assertEqual(self.emu.idp("SetUserMFAPreference", AccessToken=access,
                                      SoftwareTokenMfaSettings={"Enabled": True,
                                                                "PreferredMfa": True}), {})
        self.assertEqual(self.pw_login("alice", "Alice-Passw0rd!")["ChallengeName"],
                         "SOFTWARE_TOKEN_MFA")


class EmailNotOfferedTest(EmulatorCase):
    def test_refused(self):
        r = self.pw_login("setupuser", "Setup-Passw0rd1!")
        self.assertEqual(json.loads(r["ChallengeParameters"]["MFAS_CAN_SETUP"]),
                         ["SOFTWARE_TOKEN_MFA"])
        self.assertError("InvalidParameterException", self.answer, "MFA_SETUP", r["Session"],
                         "setupuser", EMAIL="setup@example.com")


if __name__ == "__main__":
    unittest.main()
