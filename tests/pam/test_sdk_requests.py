"""What pam_cognito sends, judged by the official AWS SDK for JavaScript v3:
each flow runs through a real PAM stack against the emulator, which keeps
every request (EmulatorControl.Requests); tests/conformance/judge-requests.js
then checks each body against the SDK's input shape of its operation (only
modeled members, the model's types, required members present) and that no
operation the model signs went unsigned (STS's form too, for the identity
pool's basic flow). Each test also asserts which
operations the flow sent, so a judge of nothing cannot pass."""
import subprocess
import unittest

from otp_reference import totp
from pamrun import (BUILD, CLIENT_SECRET, IDENTITY_POOL, POOL, SECRET_CLIENT, CacheTest, Stack,
                    base_config, ensure_user)
from sdkjudge import judge
from test_mfa_setup import shown

HELPER = str(BUILD / "pam_cognito-credentials")
DEV_POOL = "us-east-1_DevAlways"
DEV_CLIENT = "devicesclient000000000000001"
DEV_ROTATION = "devicesrotation0000000000001"
FULL = ("auth", "setcred", "open")
AUTH_ROLE = "arn:aws:iam::123456789012:role/CognitoAuthRole"
ADMIN_ROLE = "arn:aws:iam::123456789012:role/CognitoAdminRole"


class SdkRequestsTest(CacheTest):
    @classmethod
    def setUpClass(cls):
        ensure_user("devsms")
        super().setUpClass()

    def stack(self, **over):
        over.setdefault("cache_dir", self.cache)
        s = Stack(base_config(self.emu, **over))
        self.stacks.append(s)
        return s

    def forget_requests(self):
        """Drop what the test's own set-up sent (unsigned admin calls)."""
        self.emu.control("Requests", Clear=True)

    def judge(self, *operations):
        """The module's requests since the last forget_requests, judged;
        operations: those the flow must have sent."""
        return judge(self, self.emu, *operations)

    def login(self, s, user, answers, stages=("auth",)):
        r = s.run(user, answers, stages=stages)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * len(stages), r)
        return r

    def test_srp_login_credentials_and_logout(self):
        s = self.stack(identity_pool_id=IDENTITY_POOL, revoke_on_logout=True)
        self.login(s, "alice", ["Alice-Passw0rd!"], stages=FULL + ("close",))
        self.judge("InitiateAuth", "RespondToAuthChallenge", "GetId",
                   "GetCredentialsForIdentity", "RevokeToken")

    def test_password_auth_with_a_client_secret(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET,
                       auth_flow="USER_PASSWORD_AUTH", identity_pool_id=IDENTITY_POOL)
        self.login(s, "bob", ["Bob-Passw0rd!"], stages=FULL)
        verdict = self.judge("InitiateAuth", "GetId", "GetCredentialsForIdentity")
        self.assertNotIn("RespondToAuthChallenge", verdict["Operations"])

    def test_challenges(self):
        s = self.stack()
        self.login(s, "smsuser", ["Sms-Passw0rd1!", self.code("smsuser")])
        self.login(s, "totpuser", ["Totp-Passw0rd1!", lambda p: totp("JBSWY3DPEHPK3PXP")])
        self.login(s, "chooser", ["Choose-Passw0rd1!", "2", lambda p: totp("JBSWY3DPEHPK3PXP")])
        self.login(s, "newbie", ["Temp-Passw0rd1!", "Newbie Name", "Brand-New-Passw0rd!",
                                 "Brand-New-Passw0rd!"])
        verdict = self.judge("InitiateAuth", "RespondToAuthChallenge")
        self.assertGreaterEqual(verdict["Operations"]["RespondToAuthChallenge"], 9, verdict)

    def test_mfa_setup(self):
        s = self.stack()
        self.login(s, "setupuser", ["Setup-Passw0rd1!", lambda p: totp(shown(s.live)[0])])
        self.judge("InitiateAuth", "AssociateSoftwareToken", "VerifySoftwareToken",
                   "RespondToAuthChallenge")

    def test_password_change(self):
        s = self.stack()
        new = "Changed-Passw0rd!1"
        self.login(s, "alice", ["Alice-Passw0rd!", new, new], stages=("chauthtok",))
        self.judge("InitiateAuth", "ChangePassword")

    def test_password_reset_at_the_prompt(self):
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        self.forget_requests()
        s = self.stack()
        new = "Reset-Passw0rd!9"
        self.login(s, "alice", ["Alice-Passw0rd!", "", self.code("alice"), new, new])
        self.judge("InitiateAuth", "ForgotPassword", "ConfirmForgotPassword")

    def test_basic_flow_and_a_role(self):
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                         AllowClassicFlow=True, TrustedRoleArns=[AUTH_ROLE, ADMIN_ROLE])
        self.forget_requests()
        s = self.stack(identity_pool_id=IDENTITY_POOL, identity_flow="basic",
                       sts_endpoint=self.emu.url, role_arn=ADMIN_ROLE)
        self.login(s, "bob", ["Bob-Passw0rd!"], stages=FULL)
        verdict = self.judge("GetId", "GetOpenIdToken", "AssumeRoleWithWebIdentity")
        self.assertNotIn("GetCredentialsForIdentity", verdict["Operations"])

    def test_enhanced_flow_with_a_custom_role(self):
        s = self.stack(identity_pool_id=IDENTITY_POOL, role_arn=ADMIN_ROLE)
        self.login(s, "bob", ["Bob-Passw0rd!"], stages=FULL)
        self.judge("GetId", "GetCredentialsForIdentity")
        issued = self.emu.control("IssuedCredentials")["Credentials"]
        self.assertEqual([c["RoleArn"] for c in issued], [ADMIN_ROLE])

    def device_stack(self, **over):
        return self.stack(user_pool_id=DEV_POOL, client_id=over.pop("client_id", DEV_CLIENT),
                          identity_pool_id=IDENTITY_POOL, **over)

    def test_devices_and_renewal(self):
        self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL, DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True})
        self.forget_requests()
        s = self.device_stack()
        # an opt-in pool asks the person (issue 24 item 2): "y"
        self.login(s, "devsms", ["DevSms-Passw0rd1!", self.code("devsms", DEV_POOL), "y"],
                   stages=FULL)
        self.login(s, "devsms", ["DevSms-Passw0rd1!"], stages=FULL)
        self.emu.control("AdvanceClock", Seconds=4000)
        p = subprocess.run(["runuser", "-u", "devsms", "--", HELPER, "--cache-dir", self.cache,
                            "--min-validity", "43200"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p)
        self.judge("InitiateAuth", "RespondToAuthChallenge", "ConfirmDevice",
                   "UpdateDeviceStatus", "GetId", "GetCredentialsForIdentity",
                   "GetTokensFromRefreshToken")

    def test_renewal_under_rotation(self):
        s = self.device_stack(client_id=DEV_ROTATION)
        self.login(s, "devsms", ["DevSms-Passw0rd1!", self.code("devsms", DEV_POOL)],
                   stages=FULL)
        self.emu.control("AdvanceClock", Seconds=4000)
        p = subprocess.run(["runuser", "-u", "devsms", "--", HELPER, "--cache-dir", self.cache,
                            "--min-validity", "43200"], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p)
        self.judge("InitiateAuth", "ConfirmDevice", "GetTokensFromRefreshToken")


if __name__ == "__main__":
    unittest.main()
