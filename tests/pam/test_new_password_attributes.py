"""NEW_PASSWORD_REQUIRED with required attributes Cognito checks: a value it
refuses (a phone number without +country code, a malformed email address)
is asked for again, with Cognito's message, instead of failing the login."""
import unittest

from pamrun import POOL, EmulatorTest, Stack, base_config
from control import Emulator, default_fixture  # noqa: E402 (pamrun sets the path)

TEMP = "Temp-Passw0rd1!"
NEW = "Brand-New-Passw0rd!"


def pool_requiring_phone():
    fixture = default_fixture()
    fixture["UserPools"][0]["RequiredAttributes"] = ["name", "phone_number"]
    return fixture


class NewPasswordAttributesTest(EmulatorTest):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(fixture=pool_requiring_phone()).start()

    def attrs(self, user="newbie"):
        u = self.emu.idp("AdminGetUser", UserPoolId=POOL, Username=user)
        return {a["Name"]: a["Value"] for a in u["UserAttributes"]}

    def test_phone_without_country_code_is_asked_again(self):
        r = self.s.run("newbie", [TEMP, "Newbie Name", "5555550100", NEW, NEW,
                                  "+15555550100"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", "Password: "), ("echo_on", "name: "),
                                           ("echo_on", "phone_number: "),
                                           ("echo_off", "New password: "),
                                           ("echo_off", "Retype new password: "),
                                           ("echo_on", "phone_number: ")])
        self.assertEqual(r.errors, ["Invalid phone number format."])
        self.assertEqual(self.attrs()["phone_number"], "+15555550100")
        self.assertEqual(self.s.run("newbie", [NEW]).code, "PAM_SUCCESS")

    def test_policy_then_attribute(self):
        r = self.s.run("newbie", [TEMP, "N", "555", "short", "short", NEW, NEW,
                                  "+15555550100"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("Password did not conform with policy" in e for e in r.errors),
                        r.errors)
        self.assertIn("Invalid phone number format.", r.errors)

    def test_attribute_retries_are_bounded(self):
        r = self.s.run("newbie", [TEMP, "N", "1", NEW, NEW, "2", "3", "4"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("phone_number: "), 3)
        self.assertIn("Too many failed attempts; the password was not changed.", r.errors)
        self.assertEqual(self.s.run("newbie", [NEW]).code, "PAM_AUTH_ERR")

    def test_refusal_naming_no_attribute_fails_closed(self):
        # USER_PASSWORD_AUTH: the first answer is the new password's.
        self.s.cleanup()
        self.s = Stack(base_config(self.emu, auth_flow="USER_PASSWORD_AUTH"))
        self.emu.control("SetFault", Operation="RespondToAuthChallenge", Kind="error",
                         ErrorType="InvalidParameterException",
                         Message="Something else is wrong.")
        r = self.s.run("newbie", [TEMP, "N", "+15555550100", NEW, NEW])
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertEqual(r.prompts.count("New password: "), 1)

    def test_unanswered_attribute_prompt(self):
        r = self.s.run("newbie", [TEMP, "N", "555", NEW, NEW, "@FAIL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)


class EmailAttributeTest(EmulatorTest):
    @classmethod
    def setUpClass(cls):
        fixture = default_fixture()
        fixture["UserPools"][0]["RequiredAttributes"] = ["email"]
        for u in fixture["UserPools"][0]["Users"]:
            if u["Username"] == "newbie":
                u["Attributes"].pop("email", None)
        cls.emu = Emulator(fixture=fixture).start()

    def test_malformed_email_is_asked_again(self):
        r = self.s.run("newbie", [TEMP, "newbie-at-example", NEW, NEW, "newbie@example.com"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.errors, ["Invalid email address format."])
        self.assertEqual(r.prompts.count("email: "), 2)


if __name__ == "__main__":
    unittest.main()
