"""UserContextData and ClientMetadata checked and recorded
(EmulatorControl.GetLastContext), and SetFault's AnyType, over HTTP.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from test_emulator import EmulatorCase, PUBLIC  # noqa: E402

PW = "Alice-Passw0rd!"


class UserContextTest(EmulatorCase):
    def login(self, **extra):
        return self.emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=PUBLIC,
                            AuthParameters={"USERNAME": "alice", "PASSWORD": PW}, **extra)

    def test_records_the_last_context(self):
        self.assertFalse(self.emu.control("GetLastContext")["Seen"])
        self.login(UserContextData={"IpAddress": "192.0.2.1"}, ClientMetadata={"a": "b"})
        ctx = self.emu.control("GetLastContext", Operation="InitiateAuth")
        self.assertEqual(ctx["UserContextData"], {"IpAddress": "192.0.2.1"})
        self.assertEqual(ctx["ClientMetadata"], {"a": "b"})
        self.login()
        ctx = self.emu.control("GetLastContext")
        self.assertTrue(ctx["Seen"])
        self.assertIsNone(ctx["UserContextData"])
        self.emu.control("Reset")
        self.assertFalse(self.emu.control("GetLastContext")["Seen"])

    def test_shapes_are_checked(self):
        self.assertError("InvalidParameterException", self.login,
                         UserContextData={"IpAddress": 7})
        self.assertError("InvalidParameterException", self.login,
                         UserContextData={"Other": "x"})
        self.assertError("InvalidParameterException", self.login, ClientMetadata={"a": 1})
        self.assertError("InvalidParameterException", self.login, ClientMetadata=["a"])
        self.assertError("InvalidParameterException", self.emu.control, "GetLastContext",
                         Operation="ChangePassword")

    def test_any_type_injects_what_the_catalog_does_not_list(self):
        self.assertError("InvalidParameterException", self.emu.control, "SetFault",
                         Operation="InitiateAuth", Kind="error", ErrorType="FutureException")
        self.emu.control("SetFault", Operation="InitiateAuth", Kind="error",
                         ErrorType="FutureException", Message="new", AnyType=True)
        err = self.assertError("FutureException", self.login, message="new")
        self.assertEqual(err.status, 400)


if __name__ == "__main__":
    unittest.main()
