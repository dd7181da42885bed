"""What the module's prompt flows rely on, over HTTP: attribute formats in
NEW_PASSWORD_REQUIRED (a refusal leaves the session usable), a wrong
VerifySoftwareToken code during MFA_SETUP (the session stays usable), and
PasswordResetRequiredException before the password is proved.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from control import default_fixture  # noqa: E402
from test_emulator import EmulatorCase, POOL, totp_now  # noqa: E402

NEW = "Brand-New-Passw0rd!"


def phone_pool():
    fixture = default_fixture()
    fixture["UserPools"][0]["RequiredAttributes"] = ["name", "phone_number", "email"]
    for u in fixture["UserPools"][0]["Users"]:
        if u["Username"] == "newbie":
            u["Attributes"].pop("email", None)
    return fixture


class AttributeFormatTest(EmulatorCase):
    fixture = phone_pool()

    def new_password(self, session, **attrs):
        answers = {"NEW_PASSWORD": NEW}
        answers.update({"userAttributes." + k: v for k, v in attrs.items()})
        return self.answer("NEW_PASSWORD_REQUIRED", session, "newbie", **answers)

    def test_formats_are_checked_and_the_session_survives(self):
        r = self.pw_login("newbie", "Temp-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        session = r["Session"]
        good = {"name": "N", "phone_number": "+15555550100", "email": "n@example.com"}
        for attr, bad, message in (("phone_number", "5555550100", "Invalid phone number format."),
                                   ("phone_number", "+1 555", "Invalid phone number format."),
                                   ("email", "n-at-example.com", "Invalid email address format.")):
            self.assertError("InvalidParameterException", self.new_password, session,
                             message=message, **dict(good, **{attr: bad}))
        done = self.new_password(session, **good)
        self.assertIn("AuthenticationResult", done)
        user = self.emu.idp("AdminGetUser", UserPoolId=POOL, Username="newbie")
        attrs = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
        self.assertEqual(attrs["phone_number"], "+15555550100")


class MfaSetupRetryTest(EmulatorCase):
    def test_wrong_code_keeps_the_session(self):
        r = self.pw_login("setupuser", "Setup-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "MFA_SETUP")
        self.assertEqual(r["ChallengeParameters"]["MFAS_CAN_SETUP"], '["SOFTWARE_TOKEN_MFA"]')
        assoc = self.emu.idp("AssociateSoftwareToken", Session=r["Session"])
        self.assertError("EnableSoftwareTokenMFAException", self.emu.idp,
                         "VerifySoftwareToken", Session=assoc["Session"], UserCode="000000"
                         if totp_now(assoc["SecretCode"]) != "000000" else "111111")
        ver = self.emu.idp("VerifySoftwareToken", Session=assoc["Session"],
                           UserCode=totp_now(assoc["SecretCode"]))
        self.assertEqual(ver["Status"], "SUCCESS")
        done = self.answer("MFA_SETUP", ver["Session"], "setupuser")
        self.assertIn("AuthenticationResult", done)


class ResetRequiredTest(EmulatorCase):
    def test_reset_required_before_the_password_is_proved(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        self.assertError("PasswordResetRequiredException", self.pw_login, "alice",
                         "Alice-Passw0rd!")
        self.assertError("PasswordResetRequiredException", self.srp_start, "alice")


if __name__ == "__main__":
    unittest.main()
