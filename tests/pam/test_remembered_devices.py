"""Remembered devices through a real PAM stack against the emulator: this
host becomes a Cognito device of the user at the first login, later logins
prove the device instead of asking for the second factor, a forgotten
device is registered again (with the code asked again); the device record
is root-only; the helper renews under device tracking and rotation; and
revoke_on_logout ends the refresh token with the user's last session."""
import json
import os
import stat
import subprocess
import unittest

from pamrun import BUILD, IDENTITY_POOL, CacheTest, Stack, base_config, ensure_user

DEV_POOL = "us-east-1_DevAlways"
DEV_CLIENT = "devicesclient000000000000001"
DEV_SECRET_CLIENT = "devicessecret000000000000001"
DEV_CLIENT_SECRET = "d3v1ces-client-secret-for-tests-0123456789"
DEV_ROTATION = "devicesrotation0000000000001"
PASSWORDS = {"devsms": "DevSms-Passw0rd1!", "devplain": "DevPlain-Passw0rd1!"}
HELPER = str(BUILD / "pam_cognito-credentials")
FULL = ("auth", "setcred", "open")


class DeviceTest(CacheTest):
    @classmethod
    def setUpClass(cls):
        for name in PASSWORDS:
            ensure_user(name)
        super().setUpClass()

    def stack(self, **over):
        over.setdefault("user_pool_id", DEV_POOL)
        over.setdefault("client_id", DEV_CLIENT)
        over.setdefault("cache_dir", self.cache)
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        s = Stack(base_config(self.emu, **over), args="debug")
        self.stacks.append(s)
        return s

    def code(self, user="devsms"):
        return lambda prompt: self.emu.control("GetLastCode", UserPoolId=DEV_POOL,
                                               Username=user)["Code"]

    def login(self, s, user="devsms", code=True, stages=FULL):
        answers = [PASSWORDS[user]] + ([self.code(user)] if code else [])
        r = s.run(user, answers, stages=stages)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * len(stages), r)
        return r

    def devices(self, user="devsms"):
        return self.emu.control("GetUserState", UserPoolId=DEV_POOL,
                                Username=user)["Devices"]

    def record_path(self, user="devsms"):
        return os.path.join(self.cache, ".private", user, "device.json")

    def record(self, user="devsms"):
        with open(self.record_path(user)) as f:
            return json.load(f)

    def helper(self, *args, user="devsms"):
        cmd = ["runuser", "-u", user, "--", HELPER, "--cache-dir", self.cache, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30)

    def expire(self, seconds=4000):
        """Past the credentials' and the tokens' lifetime (one hour)."""
        self.emu.control("AdvanceClock", Seconds=seconds)

    # ---- the login ----

    def test_code_asked_first_time_not_second(self):
        s = self.stack()
        r = self.login(s)
        self.assertIn("SMS code: ", r.prompts)
        devs = self.devices()
        self.assertEqual(len(devs), 1, devs)
        self.assertTrue(devs[0]["Confirmed"] and devs[0]["Remembered"], devs)
        self.assertEqual(devs[0]["DeviceName"], os.uname().nodename)
        self.assertEqual(self.record()["device_key"], devs[0]["DeviceKey"])
        r = self.login(s, code=False)
        self.assertEqual(r.prompts, ["Password: "])
        self.assertTrue(any("signed in from a remembered device" in l for l in r.syslog),
                        r.syslog)
        self.assertEqual(len(self.devices()), 1)

    def test_forgotten_device_asks_again_and_registers_again(self):
        s = self.stack()
        self.login(s)
        old = self.record()["device_key"]
        self.emu.idp("AdminForgetDevice", UserPoolId=DEV_POOL, Username="devsms",
                     DeviceKey=old)
        r = self.login(s)
        self.assertEqual(r.prompts, ["Password: ", "SMS code: "])
        self.assertTrue(any("forgotten" in l for l in r.syslog), r.syslog)
        new = self.record()["device_key"]
        self.assertNotEqual(new, old)
        self.assertEqual([d["DeviceKey"] for d in self.devices()], [new])
        r = self.login(s, code=False)
        self.assertEqual(r.prompts, ["Password: "])

    def test_user_password_auth_flow(self):
        s = self.stack(auth_flow="USER_PASSWORD_AUTH")
        self.login(s)
        r = self.login(s, code=False)
        self.assertEqual(r.prompts, ["Password: "])

    def test_client_with_secret(self):
        s = self.stack(client_id=DEV_SECRET_CLIENT, client_secret=DEV_CLIENT_SECRET)
        self.login(s)
        r = self.login(s, code=False)
        self.assertEqual(r.prompts, ["Password: "])

    def test_opt_in_pool_marks_the_device_remembered(self):
        self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL, DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True})
        s = self.stack()
        self.login(s)
        devs = self.devices()
        self.assertTrue(devs[0]["Confirmed"] and devs[0]["Remembered"], devs)
        r = self.login(s, code=False)
        self.assertEqual(r.prompts, ["Password: "])

    def test_remember_device_off(self):
        s = self.stack(remember_device=False)
        self.login(s)
        self.login(s)  # asked again
        self.assertFalse(os.path.exists(self.record_path()))
        self.assertEqual([d for d in self.devices() if d["Confirmed"]], [])

    def test_device_name_setting(self):
        s = self.stack(device_name="bastion-1")
        self.login(s)
        self.assertEqual(self.devices()[0]["DeviceName"], "bastion-1")

    def test_record_is_root_only(self):
        s = self.stack()
        self.login(s)
        st = os.stat(self.record_path())
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))
        p = subprocess.run(["runuser", "-u", "devsms", "--", "cat", self.record_path()],
                           capture_output=True, text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stdout, "")
        # nor is the device password anywhere in the user's own area
        password = self.record()["device_password"]
        for root, _, files in os.walk(os.path.join(self.cache, "devsms")):
            for name in files:
                with open(os.path.join(root, name)) as f:
                    self.assertNotIn(password, f.read())

    def test_wrong_device_secret_registers_again(self):
        s = self.stack()
        self.login(s)
        doc = self.record()
        doc["device_password"] = "not-the-device-password"
        with open(self.record_path(), "w") as f:
            json.dump(doc, f)
        r = self.login(s)
        self.assertEqual(r.prompts, ["Password: ", "SMS code: "])
        self.assertNotEqual(self.record()["device_key"], doc["device_key"])

    def test_user_without_mfa(self):
        s = self.stack()
        r = self.login(s, user="devplain", code=False)
        self.assertEqual(r.prompts, ["Password: "])
        self.assertFalse(self.record("devplain")["mfa"])
        r = self.login(s, user="devplain", code=False)
        self.assertEqual(r.prompts, ["Password: "])

    def test_device_login_counts_as_mfa_offline(self):
        s = self.stack(offline_days=7)
        self.login(s)
        self.login(s, code=False)
        with open(os.path.join(self.cache, ".private", "devsms", "offline.json")) as f:
            self.assertTrue(json.load(f)["mfa"])


if __name__ == "__main__":
    unittest.main()
