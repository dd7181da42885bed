"""Choice-based sign-in (USER_AUTH) as the service model and the developer
guide describe it: AvailableChallenges, PREFERRED_CHALLENGE,
SELECT_CHALLENGE, PASSWORD and PASSWORD_SRP, EMAIL_OTP and SMS_OTP as the
first factor (codes through the control API), ALLOW_USER_AUTH on the app
client, a user without a password, and the errors for what a client or
user cannot use.

Run: python3 -m unittest discover -s tests/emulator -p 'test_choice_signin.py'
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from srp_client import SrpClient, secret_hash  # noqa: E402
from test_emulator import EmulatorCase, totp_now  # noqa: E402

CHOICE = "us-east-1_ChoicePool"
BOTH = "choiceclient0000000000000001"       # ALLOW_USER_AUTH and ALLOW_USER_SRP_AUTH
ONLY = "userauthonly0000000000000001"       # ALLOW_USER_AUTH only
SECRET_ONLY = "choicesecret0000000000000001"
SECRET = "s3cr3t_client_secret_for_tests_0123456789"
MAIN_CLIENT = "publicclient0000000000000001"  # the main pool's: no ALLOW_USER_AUTH


class UserAuthCase(EmulatorCase):
    def start(self, username, client=ONLY, secret=None, **params):
        params["USERNAME"] = username
        if secret:
            params["SECRET_HASH"] = secret_hash(secret, username, client)
        return self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=client,
                            AuthParameters=params)

    def respond(self, name, session, username, client=ONLY, secret=None, **answers):
        answers["USERNAME"] = username
        if secret:
            answers["SECRET_HASH"] = secret_hash(secret, username, client)
        return self.emu.idp("RespondToAuthChallenge", ChallengeName=name, ClientId=client,
                            Session=session, ChallengeResponses=answers)

    def verifier(self, c, r, password, client=ONLY):
        self.assertEqual(r["ChallengeName"], "PASSWORD_VERIFIER")
        answers = c.answer(r["ChallengeParameters"], password)
        return self.emu.idp("RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER",
                            ClientId=client, ChallengeResponses=answers)


class ChoiceTest(UserAuthCase):
    def test_no_preference_lists_what_the_user_can_choose(self):
        r = self.start("alice")
        self.assertEqual(r["ChallengeName"], "SELECT_CHALLENGE")
        self.assertEqual(r["AvailableChallenges"],
                         ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])
        self.assertEqual(r["ChallengeParameters"], {})
        self.assertIn("Session", r)
        # only what the user has: no phone, no email, no password
        self.assertEqual(self.start("bob")["AvailableChallenges"],
                         ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
        self.assertEqual(self.start("smsonly")["AvailableChallenges"],
                         ["PASSWORD", "PASSWORD_SRP", "SMS_OTP"])
        self.assertEqual(self.start("nopass")["AvailableChallenges"], ["EMAIL_OTP"])

    def test_pool_policy_limits_the_factors(self):
        # the main pool allows only PASSWORD as a first factor (no SignInPolicy)
        r = self.emu.idp("CreateUserPoolClient", UserPoolId="us-east-1_Emul4tor",
                         ClientName="ua", ExplicitAuthFlows=["ALLOW_USER_AUTH"])
        cid = r["UserPoolClient"]["ClientId"]
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=cid,
                         AuthParameters={"USERNAME": "alice"})
        self.assertEqual(r["AvailableChallenges"], ["PASSWORD", "PASSWORD_SRP"])

    def test_select_password_srp(self):
        r = self.start("alice")
        c = SrpClient(CHOICE)
        r = self.respond("SELECT_CHALLENGE", r["Session"], "alice", ANSWER="PASSWORD_SRP",
                         SRP_A=c.srp_a())
        done = self.verifier(c, r, "Alice-Choice1!")
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_select_password(self):
        r = self.start("alice")
        done = self.respond("SELECT_CHALLENGE", r["Session"], "alice", ANSWER="PASSWORD",
                            PASSWORD="Alice-Choice1!")
        self.assertIn("AccessToken", done["AuthenticationResult"])
        r = self.start("alice")
        self.assertError("NotAuthorizedException", self.respond, "SELECT_CHALLENGE",
                         r["Session"], "alice", ANSWER="PASSWORD", PASSWORD="wrong",
                         message="Incorrect username or password.")

    def test_select_email_code(self):
        r = self.start("alice")
        r = self.respond("SELECT_CHALLENGE", r["Session"], "alice", ANSWER="EMAIL_OTP")
        self.assertEqual(r["ChallengeName"], "EMAIL_OTP")
        self.assertEqual(r["ChallengeParameters"],
                         {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                          "CODE_DELIVERY_DESTINATION": "a***@e***"})
        sent = self.emu.control("GetLastCode", Username="alice", UserPoolId=CHOICE)
        self.assertEqual((sent["Medium"], sent["Destination"]), ("EMAIL", "alice@example.com"))
        done = self.respond("EMAIL_OTP", r["Session"], "alice", EMAIL_OTP_CODE=sent["Code"])
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_answer_outside_the_choices_is_refused(self):
        r = self.start("bob")
        self.assertError("InvalidParameterException", self.respond, "SELECT_CHALLENGE",
                         r["Session"], "bob", ANSWER="SMS_OTP")
        r = self.start("nopass")
        self.assertError("InvalidParameterException", self.respond, "SELECT_CHALLENGE",
                         r["Session"], "nopass", ANSWER="PASSWORD", PASSWORD="x")


class PreferredTest(UserAuthCase):
    def test_preferred_password_srp_goes_straight_to_the_verifier(self):
        c = SrpClient(CHOICE)
        r = self.start("alice", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=c.srp_a())
        done = self.verifier(c, r, "Alice-Choice1!")
        self.assertIn("RefreshToken", done["AuthenticationResult"])
        self.assertEqual(self.calls("InitiateAuth"), 1)

    def test_preferred_password_is_one_call(self):
        done = self.start("bob", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Bob-Choice1!")
        self.assertIn("IdToken", done["AuthenticationResult"])
        self.assertError("NotAuthorizedException", self.start, "bob",
                         PREFERRED_CHALLENGE="PASSWORD", PASSWORD="nope")
        self.assertError("InvalidParameterException", self.start, "bob",
                         PREFERRED_CHALLENGE="PASSWORD")

    def test_preferred_sms_code(self):
        r = self.start("smsonly", PREFERRED_CHALLENGE="SMS_OTP")
        self.assertEqual(r["ChallengeName"], "SMS_OTP")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"], "+*******0103")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS")
        code = self.code("smsonly", CHOICE)
        done = self.respond("SMS_OTP", r["Session"], "smsonly", SMS_OTP_CODE=code)
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_preference_the_user_cannot_use_returns_the_choice(self):
        r = self.start("nopass", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A="ab")
        self.assertEqual(r["ChallengeName"], "SELECT_CHALLENGE")
        self.assertEqual(r["AvailableChallenges"], ["EMAIL_OTP"])

    def test_unknown_preference_is_invalid(self):
        self.assertError("InvalidParameterException", self.start, "alice",
                         PREFERRED_CHALLENGE="SOFTWARE_TOKEN_MFA")

    def test_secret_client(self):
        done = self.start("bob", client=SECRET_ONLY, secret=SECRET,
                          PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Bob-Choice1!")
        self.assertIn("IdToken", done["AuthenticationResult"])
        self.assertError("NotAuthorizedException", self.start, "bob", client=SECRET_ONLY,
                         PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Bob-Choice1!")


class CodeTest(UserAuthCase):
    def email_challenge(self, username="nopass"):
        r = self.start(username, PREFERRED_CHALLENGE="EMAIL_OTP")
        self.assertEqual(r["ChallengeName"], "EMAIL_OTP")
        return r

    def test_user_without_a_password_signs_in_with_a_code(self):
        r = self.email_challenge()
        done = self.respond("EMAIL_OTP", r["Session"], "nopass",
                            EMAIL_OTP_CODE=self.code("nopass", CHOICE))
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_wrong_code_then_right(self):
        r = self.email_challenge()
        code = self.code("nopass", CHOICE)
        wrong = "000000" if code != "000000" else "111111"
        self.assertError("CodeMismatchException", self.respond, "EMAIL_OTP", r["Session"],
                         "nopass", EMAIL_OTP_CODE=wrong,
                         message="Invalid code or auth state for the user.")
        done = self.respond("EMAIL_OTP", r["Session"], "nopass", EMAIL_OTP_CODE=code)
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_expired_and_reused_codes(self):
        self.emu.control("SetOptions", CodeTtlSeconds=0)
        r = self.email_challenge()
        self.assertError("ExpiredCodeException", self.respond, "EMAIL_OTP", r["Session"],
                         "nopass", EMAIL_OTP_CODE=self.code("nopass", CHOICE))
        self.emu.control("SetOptions", CodeTtlSeconds=180)
        r = self.email_challenge()
        code = self.code("nopass", CHOICE)
        self.respond("EMAIL_OTP", r["Session"], "nopass", EMAIL_OTP_CODE=code)
        self.assertError("NotAuthorizedException", self.respond, "EMAIL_OTP", r["Session"],
                         "nopass", EMAIL_OTP_CODE=code,
                         message="Invalid session for the user, session can only be used once.")

    def test_no_mfa_after_a_code(self):
        # totpuser has TOTP MFA; a code as the first factor ends the sign-in
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=CHOICE, Username="totpuser",
                     UserAttributes=[{"Name": "email", "Value": "t@example.com"},
                                     {"Name": "email_verified", "Value": "true"}])
        r = self.email_challenge("totpuser")
        done = self.respond("EMAIL_OTP", r["Session"], "totpuser",
                            EMAIL_OTP_CODE=self.code("totpuser", CHOICE))
        self.assertIn("IdToken", done["AuthenticationResult"])
        # while the password still asks for the authenticator code
        r = self.start("totpuser", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Totp-Choice1!")
        self.assertEqual(r["ChallengeName"], "SOFTWARE_TOKEN_MFA")
        done = self.respond("SOFTWARE_TOKEN_MFA", r["Session"], "totpuser",
                            SOFTWARE_TOKEN_MFA_CODE=totp_now("JBSWY3DPEHPK3PXP"))
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_send_limit(self):
        self.emu.control("SetOptions", OtpSendLimit=2)
        self.email_challenge()
        self.email_challenge()
        self.assertError("LimitExceededException", self.start, "nopass",
                         PREFERRED_CHALLENGE="EMAIL_OTP")
        r = self.start("nopass")
        self.assertError("LimitExceededException", self.respond, "SELECT_CHALLENGE",
                         r["Session"], "nopass", ANSWER="EMAIL_OTP")


class ClientFlowTest(UserAuthCase):
    def test_user_auth_only_client_refuses_the_other_flows(self):
        for flow, params in (("USER_SRP_AUTH", {"SRP_A": "ab"}),
                             ("USER_PASSWORD_AUTH", {"PASSWORD": "Alice-Choice1!"})):
            params["USERNAME"] = "alice"
            self.assertError("InvalidParameterException", self.emu.idp, "InitiateAuth",
                             AuthFlow=flow, ClientId=ONLY, AuthParameters=params,
                             message="%s flow not enabled for this client" % flow)

    def test_client_without_allow_user_auth_refuses_it(self):
        self.assertError("InvalidParameterException", self.start, "alice",
                         client=MAIN_CLIENT,
                         message="USER_AUTH flow not enabled for this client")

    def test_both_flows_on_one_client(self):
        self.assertEqual(self.start("alice", client=BOTH)["ChallengeName"], "SELECT_CHALLENGE")
        c = SrpClient(CHOICE)
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_SRP_AUTH", ClientId=BOTH,
                         AuthParameters={"USERNAME": "alice", "SRP_A": c.srp_a()})
        done = self.verifier(c, r, "Alice-Choice1!", client=BOTH)
        self.assertIn("IdToken", done["AuthenticationResult"])

    def test_unknown_user(self):
        self.assertError("UserNotFoundException", self.start, "nobody")


if __name__ == "__main__":
    unittest.main()
