"""EmulatorControl.Requests: every request to the two Cognito services and
STS is kept (target, body, signed or not), control calls are not, Clear and a
reset empty the journal."""
import unittest

from control import Emulator

POOL = "us-east-1_Emul4tor"


class JournalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator().start()
        cls.addClassCleanup(cls.emu.stop)

    def setUp(self):
        self.emu.control("Reset")

    def test_requests_are_kept_in_order(self):
        self.emu.idp("AdminGetUser", UserPoolId=POOL, Username="alice")
        self.emu.call_raw("AWSCognitoIdentityService.GetId", {"IdentityPoolId": "x"},
                          headers={"Authorization": "AWS4-HMAC-SHA256 Credential=x"})
        self.emu.call_raw("AWSCognitoIdentityProviderService.GetUser", b"not json")
        got = self.emu.control("Requests")["Requests"]
        self.assertEqual(got, [
            {"Service": "AWSCognitoIdentityProviderService", "Operation": "AdminGetUser",
             "Body": {"UserPoolId": POOL, "Username": "alice"}, "Signed": False},
            {"Service": "AWSCognitoIdentityService", "Operation": "GetId",
             "Body": {"IdentityPoolId": "x"}, "Signed": True},
            {"Service": "AWSCognitoIdentityProviderService", "Operation": "GetUser",
             "Body": None, "Signed": False}])

    def test_sts_forms_are_kept_as_their_fields(self):
        self.emu.call_raw(None, b"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&"
                          b"RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(self.emu.control("Requests")["Requests"], [
            {"Service": "AWSSecurityTokenServiceV20110615",
             "Operation": "AssumeRoleWithWebIdentity",
             "Body": {"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
                      "RoleArn": "arn:aws:iam::1:role/x"}, "Signed": False}])

    def test_clear_and_reset_empty_it(self):
        self.emu.idp("AdminGetUser", UserPoolId=POOL, Username="alice")
        self.assertEqual(len(self.emu.control("Requests", Clear=True)["Requests"]), 1)
        self.assertEqual(self.emu.control("Requests")["Requests"], [])
        self.emu.idp("AdminGetUser", UserPoolId=POOL, Username="alice")
        self.emu.control("Reset")
        self.assertEqual(self.emu.control("Requests")["Requests"], [])


if __name__ == "__main__":
    unittest.main()
