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
import threading
import time
import unittest

from pamrun import BUILD, IDENTITY_POOL, PAM_RUN, CacheTest, Stack, base_config, ensure_user
from test_valgrind import VALGRIND

DEV_POOL = "us-east-1_DevAlways"
DEV_CLIENT = "devicesclient000000000000001"
DEV_SECRET_CLIENT = "devicessecret000000000000001"
DEV_CLIENT_SECRET = "d3v1ces_client_secret_for_tests_0123456789"
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
        return super().code(user, DEV_POOL)

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

    # ---- a pool where users opt in (issue 24 item 2): the person is asked ----

    ASK = "Remember this computer? [y/N] "

    def opt_in(self):
        self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL, DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True})

    def test_opt_in_pool_asks_and_yes_remembers(self):
        # Before issue 24 the device was marked remembered without asking.
        self.opt_in()
        s = self.stack()
        r = s.run("devsms", [PASSWORDS["devsms"], self.code(), "y"], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(r.prompts, ["Password: ", "SMS code: ", self.ASK])
        self.assertEqual(r.prompt_styles[-1], ("echo_on", self.ASK))
        devs = self.devices()
        self.assertTrue(devs[0]["Confirmed"] and devs[0]["Remembered"], devs)
        self.assertEqual(self.calls("UpdateDeviceStatus"), 1)
        r = self.login(s, code=False)
        self.assertEqual(r.prompts, ["Password: "])

    def test_opt_in_pool_no_leaves_it_not_remembered(self):
        self.opt_in()
        s = self.stack()
        r = s.run("devsms", [PASSWORDS["devsms"], self.code(), "n"], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(r.prompts, ["Password: ", "SMS code: ", self.ASK])
        devs = self.devices()
        self.assertTrue(devs[0]["Confirmed"] and not devs[0]["Remembered"], devs)
        self.assertEqual(self.calls("UpdateDeviceStatus"), 0)
        # the code is asked again, the question is not (this device was asked)
        r = self.login(s)
        self.assertEqual(r.prompts, ["Password: ", "SMS code: "])
        # and the tokens of the device still renew
        self.expire()
        self.assert_renews()

    def test_opt_in_pool_empty_answer_is_no(self):
        self.opt_in()
        s = self.stack()
        r = s.run("devsms", [PASSWORDS["devsms"], self.code(), ""], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertFalse(self.devices()[0]["Remembered"])

    def test_opt_in_pool_conversation_that_cannot_answer_does_not_remember(self):
        self.opt_in()
        s = self.stack()
        # the conversation has no answer for the question (pam-run's answers
        # run out; sshd with PasswordAuthentication fails echo-on prompts)
        r = s.run("devsms", [PASSWORDS["devsms"], self.code()], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertFalse(self.devices()[0]["Remembered"])
        self.assertEqual(self.calls("UpdateDeviceStatus"), 0)

    def test_opt_in_pool_silent_asks_nothing(self):
        self.opt_in()
        s = self.stack()
        r = s.run("devsms", [PASSWORDS["devsms"], self.code()], stages=FULL, silent=True)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(r.prompts, ["Password: ", "SMS code: "])
        self.assertFalse(self.devices()[0]["Remembered"])

    def test_refused_login_leaves_no_device(self):
        # The password and the SMS code are right, but this host admits
        # only admins: no device in the pool, no device secret on the host.
        s = self.stack(allowed_groups=["admins"])
        r = s.run("devsms", [PASSWORDS["devsms"], self.code()], stages=("auth",))
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("SMS code: ", r.prompts)
        self.assertTrue(any("access refused" in l for l in r.syslog), r.syslog)
        self.assertEqual([d for d in self.devices() if d["Confirmed"]], [])
        self.assertFalse(os.path.exists(self.record_path()))
        self.assertEqual(self.calls("ConfirmDevice"), 0)

    def test_passwd_registers_no_device(self):
        s = self.stack()
        new = "DevSms-Changed1!"
        r = s.run("devsms", [PASSWORDS["devsms"], self.code(), new, new],
                  stages=("chauthtok",))
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Your Cognito password has been changed.", r.infos)
        self.assertEqual([d for d in self.devices() if d["Confirmed"]], [])
        self.assertFalse(os.path.exists(self.record_path()))

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

    # ---- the helper: refresh with the device key, rotation ----

    def refresh_doc(self, user="devsms"):
        with open(os.path.join(self.cache, user, "refresh.json")) as f:
            return json.load(f)

    def assert_renews(self, user="devsms"):
        before = len(self.emu.control("IssuedCredentials")["Credentials"])
        p = self.helper("--min-validity", "43200", user=user)
        self.assertEqual(p.returncode, 0, p)
        issued = self.emu.control("IssuedCredentials")["Credentials"]
        self.assertEqual(len(issued), before + 1)
        self.assertEqual(json.loads(p.stdout)["AccessKeyId"],
                         issued[-1]["Credentials"]["AccessKeyId"])

    def assert_helper_fails(self, text, user="devsms"):
        p = self.helper("--min-validity", "4000", user=user)
        self.assertNotEqual(p.returncode, 0, p)
        self.assertEqual(p.stdout, "")
        self.assertIn(text, p.stderr)

    def test_helper_renews_under_device_tracking(self):
        s = self.stack()
        self.login(s)
        doc = self.refresh_doc()
        self.assertEqual(doc["device_key"], self.record()["device_key"])
        self.assertNotIn("device_password", doc)
        self.expire()
        self.assert_renews()
        self.assert_renews()

    def test_helper_renews_under_rotation(self):
        s = self.stack(client_id=DEV_ROTATION)
        self.login(s)
        first = self.refresh_doc()["refresh_token"]
        self.expire()
        self.assert_renews()
        second = self.refresh_doc()["refresh_token"]
        self.assertNotEqual(first, second)
        st = os.stat(os.path.join(self.cache, "devsms", "refresh.json"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
        self.emu.control("AdvanceClock", Seconds=60)  # past the grace period
        self.assert_renews()
        self.assertNotEqual(self.refresh_doc()["refresh_token"], second)

    def test_account_stage_under_rotation_keeps_the_helper_working(self):
        s = self.stack(client_id=DEV_ROTATION)
        self.login(s)
        self.expire()
        self.assert_renews()                     # the helper rotates
        self.emu.control("AdvanceClock", Seconds=60)
        r = s.run("devsms", [], stages=("acct",))   # another process
        self.assertEqual(r.codes(), ["PAM_SUCCESS"], r)
        self.emu.control("AdvanceClock", Seconds=60)
        self.assert_renews()                     # the account stage's rotation reached it

    def test_helper_after_device_forgotten(self):
        s = self.stack()
        self.login(s)
        self.emu.idp("AdminForgetDevice", UserPoolId=DEV_POOL, Username="devsms",
                     DeviceKey=self.record()["device_key"])
        self.assert_helper_fails("this host's device")

    def test_helper_after_revocation(self):
        s = self.stack()
        self.login(s)
        self.emu.idp("RevokeToken", ClientId=DEV_CLIENT,
                     Token=self.refresh_doc()["refresh_token"])
        self.assert_helper_fails("the refresh token was revoked")

    def test_helper_user_disabled(self):
        s = self.stack()
        self.login(s)
        self.emu.idp("AdminDisableUser", UserPoolId=DEV_POOL, Username="devsms")
        self.assert_helper_fails("your Cognito account is disabled")

    def test_helper_refresh_token_expired(self):
        self.emu.control("SetOptions", RefreshTokenTtlSeconds=60)
        s = self.stack()
        self.login(s)
        self.emu.control("AdvanceClock", Seconds=120)
        self.assert_helper_fails("the refresh token has expired: log in again")

    def test_helper_rotation_with_client_secret_says_what_happens(self):
        s = self.stack(user_pool_id="us-east-1_Emul4tor",
                       client_id="rotationsecret00000000000001",
                       client_secret="r0tat1ng_client_secret_for_tests_0123456789")
        r = s.run("alice", ["Alice-Passw0rd!"], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        p = self.helper("--min-validity", "43200", user="alice")
        self.assertNotEqual(p.returncode, 0, p)
        self.assertIn("rotates refresh tokens and has a client secret", p.stderr)
        # the account stage (root, with the secret) still renews
        r = s.run("alice", [], stages=("acct",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"], r)

    # ---- revoke_on_logout and --logout ----

    def assert_revoked(self, token, device_key, client=DEV_CLIENT):
        with self.assertRaises(Exception) as cm:
            self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=client,
                         AuthParameters={"REFRESH_TOKEN": token, "DEVICE_KEY": device_key})
        self.assertIn("revoked", str(cm.exception))

    def test_revoke_on_logout_waits_for_the_last_session(self):
        s = self.stack(revoke_on_logout=True)
        release = os.path.join(self.tmp, "release")
        held = {}
        first = threading.Thread(target=lambda: held.update(r=s.run(
            "devplain", [PASSWORDS["devplain"]], stages=FULL + ("wait", "close"),
            extra_env={"PAM_RUN_WAIT": release})))
        first.start()
        try:
            for _ in range(300):
                if os.path.exists(release + ".ready"):
                    break
                time.sleep(0.1)
            self.assertTrue(os.path.exists(release + ".ready"), "first session never opened")
            other = self.stack(revoke_on_logout=True)  # its own answers file
            r = other.run("devplain", [PASSWORDS["devplain"]], stages=FULL + ("close",))
            self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 4, r)
            # the first session is still open: the helper keeps renewing
            self.expire()
            self.assert_renews(user="devplain")
            token = self.refresh_doc("devplain")["refresh_token"]
            key = self.refresh_doc("devplain")["device_key"]
        finally:
            open(release, "w").close()
            first.join(60)
        self.assertEqual(held["r"].codes(), ["PAM_SUCCESS"] * 5, held["r"])
        self.assertTrue(any("logged out: refresh token revoked" in l
                            for l in held["r"].syslog), held["r"].syslog)
        self.assert_helper_fails("logged out", user="devplain")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "devplain", "refresh.json")))
        self.assertFalse(os.path.exists(os.path.join(self.cache, "devplain",
                                                     "credentials.json")))
        self.assert_revoked(token, key)

    def test_dead_sessions_do_not_count(self):
        s = self.stack(revoke_on_logout=True)
        # a session whose process ended without close_session
        r = s.run("devplain", [PASSWORDS["devplain"]], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        r = s.run("devplain", [PASSWORDS["devplain"]], stages=FULL + ("close",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 4, r)
        self.assert_helper_fails("logged out", user="devplain")
        sessions = os.path.join(self.cache, ".private", "devplain", "sessions.json")
        self.assertEqual(stat.S_IMODE(os.stat(sessions).st_mode), 0o600)
        self.assertEqual(os.stat(sessions).st_uid, 0)

    def test_no_revocation_by_default(self):
        s = self.stack()
        r = s.run("devplain", [PASSWORDS["devplain"]], stages=FULL + ("close",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 4, r)
        self.expire()
        self.assert_renews(user="devplain")

    def test_helper_logout(self):
        s = self.stack()
        self.login(s, user="devplain", code=False)
        doc = self.refresh_doc("devplain")
        p = self.helper("--logout", user="devplain")
        self.assertEqual(p.returncode, 0, p)
        self.assertIn("logged out: refresh token revoked", p.stdout)
        self.assert_helper_fails("logged out", user="devplain")
        self.assert_revoked(doc["refresh_token"], doc["device_key"])

    def test_helper_logout_with_client_secret_says_it_could_not_revoke(self):
        s = self.stack(client_id=DEV_SECRET_CLIENT, client_secret=DEV_CLIENT_SECRET)
        self.login(s, user="devplain", code=False)
        p = self.helper("--logout", user="devplain")
        self.assertNotEqual(p.returncode, 0, p)
        self.assertIn("was not revoked", p.stderr)
        self.assert_helper_fails("logged out", user="devplain")

    def test_revoke_on_logout_with_client_secret(self):
        s = self.stack(client_id=DEV_SECRET_CLIENT, client_secret=DEV_CLIENT_SECRET,
                       revoke_on_logout=True)
        r = s.run("devplain", [PASSWORDS["devplain"]], stages=FULL)
        doc = self.refresh_doc("devplain")
        r = s.run("devplain", [], stages=("open", "close"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        self.assert_helper_fails("logged out", user="devplain")
        with self.assertRaises(Exception) as cm:
            self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH",
                         ClientId=DEV_SECRET_CLIENT,
                         AuthParameters={"REFRESH_TOKEN": doc["refresh_token"],
                                         "DEVICE_KEY": doc["device_key"],
                                         "SECRET_HASH": "x", "USERNAME": "devplain"})
        self.assertIn("NotAuthorized", str(cm.exception))

    # ---- memory ----

    def test_valgrind_device_logins_and_logout(self):
        """ConfirmDevice, device SRP, a forgotten device's retry, the helper's
        handover and the revocation at close: no invalid access, no leak."""
        s = self.stack(revoke_on_logout=True)
        answers = s.dir / "vg-answers"
        answers.write_text(PASSWORDS["devplain"] + "\n")

        def run(stages):
            p = subprocess.run(VALGRIND + [PAM_RUN, "-d", str(s.service_dir), "-s", s.service,
                                           "-u", "devplain", "-a", str(answers)] + stages,
                               capture_output=True, text=True, timeout=300)
            self.assertNotEqual(p.returncode, 99, p.stderr)
            self.assertNotIn("==", p.stderr, p.stderr)
            return p

        run(["auth", "setcred", "open"])                     # registers the device
        key = self.record("devplain")["device_key"]
        run(["auth"])                                        # proves it
        p = run(["acct"])                                    # refresh with the device key
        self.assertIn('"stage":"acct","code":0', p.stdout)
        self.emu.idp("AdminForgetDevice", UserPoolId=DEV_POOL, Username="devplain",
                     DeviceKey=key)
        p = run(["auth", "setcred", "open", "close"])        # retry as new; revoke at close
        self.assertIn('"stage":"close","code":0', p.stdout)
        self.assertNotEqual(self.record("devplain")["device_key"], key)


if __name__ == "__main__":
    unittest.main()
