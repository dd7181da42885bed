"""Remembered devices and revoke_on_logout over a real sshd: the SMS code
is asked at the first login from this host and not at the second (the
device proved itself in sshd's auth child), again after the administrator
forgets the device; and the refresh token ends with the user's last ssh
session, not before."""
import json
import os
import subprocess
import tempfile
import threading
import time
import unittest

from cognito import SshdCase, config_file
from pamrun import BUILD, IDENTITY_POOL

DEV_POOL = "us-east-1_DevAlways"
DEV_CLIENT = "devicesclient000000000000001"
HELPER = str(BUILD / "pam_cognito-credentials")
USERS = ("devsms", "devplain")


class SshdDevicesTest(SshdCase):
    users = USERS
    per_test_sshd = True

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="pc-e2e-dev-")
        self.addCleanup(subprocess.run, ["rm", "-rf", self.tmp], check=False)
        os.chmod(self.tmp, 0o755)
        self.cache = os.path.join(self.tmp, "c")

    def start(self, **over):
        config = config_file(self.emu, user_pool_id=DEV_POOL, client_id=DEV_CLIENT,
                             cache_dir=self.cache, identity_pool_id=IDENTITY_POOL, **over)
        self.svc, self.sshd = self.start_sshd(config, self.addCleanup)

    def code(self):
        return super().code("devsms", DEV_POOL)

    def helper(self, user):
        return subprocess.run(["runuser", "-u", user, "--", HELPER, "--cache-dir", self.cache,
                               "--min-validity", "43200"],
                              capture_output=True, text=True, timeout=30)

    def test_code_once_per_host(self):
        self.start()
        steps = [(r"Password: ", "DevSms-Passw0rd1!"), (r"SMS code: ", self.code())]
        r = self.sshd.login("devsms", steps, command="echo first-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("first-ok", r.output)
        r = self.sshd.login("devsms", [(r"Password: ", "DevSms-Passw0rd1!")],
                            command="echo second-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("second-ok", r.output)
        self.assertNotIn("SMS code", r.terminal)
        # forgotten by the administrator: the code again
        devs = self.emu.control("GetUserState", UserPoolId=DEV_POOL,
                                Username="devsms")["Devices"]
        self.emu.idp("AdminForgetDevice", UserPoolId=DEV_POOL, Username="devsms",
                     DeviceKey=devs[0]["DeviceKey"])
        r = self.sshd.login("devsms", steps, command="echo third-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("third-ok", r.output)

    def test_opt_in_pool_asks_over_keyboard_interactive(self):
        # Issue 24 item 2: a "User opt-in" pool asks the person; "y" remembers.
        self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL, DeviceConfiguration={
            "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True})
        self.start()
        steps = [(r"Password: ", "DevSms-Passw0rd1!"), (r"SMS code: ", self.code()),
                 (r"Remember this computer\? \[y/N\] ", "y")]
        r = self.sshd.login("devsms", steps, command="echo first-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("first-ok", r.output)
        devs = self.emu.control("GetUserState", UserPoolId=DEV_POOL,
                                Username="devsms")["Devices"]
        self.assertTrue(devs[0]["Confirmed"] and devs[0]["Remembered"], devs)
        r = self.sshd.login("devsms", [(r"Password: ", "DevSms-Passw0rd1!")],
                            command="echo second-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("SMS code", r.terminal)
        self.assertNotIn("Remember this computer", r.terminal)

    def test_revoke_on_logout_after_the_last_session(self):
        self.start(revoke_on_logout=True)
        steps = [(r"Password: ", "DevPlain-Passw0rd1!")]
        held = {}
        # The first session lasts until the test has checked the second one
        # (at most 30 s): not a fixed time.
        release = os.path.join(self.tmp, "release")
        first = threading.Thread(target=lambda: held.update(
            r=self.sshd.login("devplain", steps, command=f"for i in $(seq 300); do "
                              f"[ -e {release} ] && break; sleep 0.1; done; echo first-done",
                              timeout=40)))
        first.start()
        try:
            sessions = os.path.join(self.cache, ".private", "devplain", "sessions.json")
            for _ in range(100):
                if os.path.exists(sessions) and json.load(open(sessions))["sessions"]:
                    break
                time.sleep(0.1)
            r = self.sshd.login("devplain", steps, command="echo second-done")
            self.assertEqual(r.exit_status, 0, r.transcript)
            time.sleep(0.5)  # the monitor closes the session after the command
            p = self.helper("devplain")
            self.assertEqual(p.returncode, 0, p)  # the first session is still open
        finally:
            open(release, "w").close()
            first.join(40)
        self.assertEqual(held["r"].exit_status, 0, held["r"].transcript)
        self.assertIn("first-done", held["r"].output)
        for _ in range(50):
            p = self.helper("devplain")
            if p.returncode != 0:
                break
            time.sleep(0.1)
        self.assertNotEqual(p.returncode, 0, p)
        self.assertIn("logged out", p.stderr)


if __name__ == "__main__":
    unittest.main()
