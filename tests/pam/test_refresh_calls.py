"""Renewal through a real PAM stack against the emulator (issue 24 items 2
and 3): the key of the device Cognito bound the tokens to is kept with the
refresh token even when this host does not remember the device, and sent;
GetTokensFromRefreshToken first (as Amplify v6), REFRESH_TOKEN_AUTH when a
refusal's type says the other call is not served, and the call that worked
remembered per app client, so the next renewal makes one call.

The account stage runs alone in its own process, as for an SSH-key login
(sshd's account stage after publickey authentication)."""
import json
import os
import stat
import subprocess
import unittest

from pamrun import BUILD, IDENTITY_POOL, CacheTest, Stack, base_config, ensure_user
from sdkjudge import judge

DEV_POOL = "us-east-1_DevAlways"
DEV_CLIENT = "devicesclient000000000000001"
DEV_ROTATION = "devicesrotation0000000000001"
PASSWORD = "DevSms-Passw0rd1!"
HELPER = str(BUILD / "pam_cognito-credentials")
FULL = ("auth", "setcred", "open")


class RefreshCallTest(CacheTest):
    @classmethod
    def setUpClass(cls):
        ensure_user("devsms")
        super().setUpClass()

    def stack(self, **over):
        over.setdefault("user_pool_id", DEV_POOL)
        over.setdefault("client_id", DEV_CLIENT)
        over.setdefault("cache_dir", self.cache)
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        text = ("auth required @MODULE@ config=@CONFIG@ debug\n"
                "account required @MODULE@ config=@CONFIG@ debug\n"
                "password required @MODULE@ config=@CONFIG@ debug\n"
                "session required @MODULE@ config=@CONFIG@ debug\n")
        s = Stack(base_config(self.emu, **over), service_text=text)
        self.stacks.append(s)
        return s

    def login(self, s, stages=FULL, extra=()):
        r = s.run("devsms", [PASSWORD, self.code("devsms", DEV_POOL), *extra], stages=stages)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * len(stages), r)
        return r

    def key_login(self, s):
        """The account stage alone, in another process (an SSH-key login)."""
        r = s.run("devsms", [], stages=("acct",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"], r)
        return r

    def refreshes(self):
        return [(q["Operation"], q["DeviceKey"])
                for q in self.emu.control("RefreshRequests")["Requests"]]

    def devices(self):
        return self.emu.control("GetUserState", UserPoolId=DEV_POOL,
                                Username="devsms")["Devices"]

    def private(self, name):
        return os.path.join(self.cache, ".private", name)

    def account_record(self):
        with open(self.private(os.path.join("devsms", "account.json"))) as f:
            return json.load(f)

    def handover(self):
        with open(os.path.join(self.cache, "devsms", "refresh.json")) as f:
            return json.load(f)

    def helper(self):
        cmd = ["runuser", "-u", "devsms", "--", HELPER, "--cache-dir", self.cache,
               "--min-validity", "43200"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30)

    def no_gettokens(self, kind="UnknownOperationException"):
        """A server that does not serve GetTokensFromRefreshToken: one
        without the operation (moto, older stand-ins) answers
        UnknownOperationException; a region or pool configuration without
        it, OperationNotEnabledException (botocore's model lists it)."""
        if kind == "UnknownOperationException":
            self.emu.control("SetUnservedOperations", Operations=["GetTokensFromRefreshToken"])
        else:
            self.emu.control("SetFault", Operation="GetTokensFromRefreshToken", Kind="error",
                             ErrorType=kind, Message="not served here", Count=100)

    # ---- 24.2: the device key is kept for the refresh ----

    def test_remember_device_off_key_logins_still_renew(self):
        s = self.stack(remember_device=False)
        self.login(s)
        devs = self.devices()
        self.assertEqual(len(devs), 1, devs)
        self.assertFalse(devs[0]["Confirmed"], devs)      # never registered ...
        key = devs[0]["DeviceKey"]
        self.assertFalse(os.path.exists(self.private("devsms/device.json")))
        rec = self.account_record()                       # ... but its key is kept
        self.assertEqual(rec["device_key"], key)
        st = os.stat(self.private("devsms/account.json"))
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))
        self.assertEqual(self.handover()["device_key"], key)
        r = self.key_login(s)
        self.assertTrue(any("admitted by a fresh token" in l for l in r.syslog), r.syslog)
        self.assertEqual(self.refreshes(), [("GetTokensFromRefreshToken", key)])
        # the helper renews with it too
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(self.refreshes()[-1], ("GetTokensFromRefreshToken", key))

    def test_without_the_key_the_pool_refuses(self):
        # What the kept key prevents: the same token sent without it.
        s = self.stack(remember_device=False)
        self.login(s)
        token = self.account_record()["refresh_token"]
        with self.assertRaises(Exception) as cm:
            self.emu.idp("GetTokensFromRefreshToken", RefreshToken=token, ClientId=DEV_CLIENT)
        self.assertIn("NotAuthorizedException", str(cm.exception))

    def test_failed_confirm_device_keeps_the_key(self):
        s = self.stack()
        self.emu.control("SetFault", Operation="ConfirmDevice", Kind="error",
                         ErrorType="InvalidParameterException", Message="not now")
        r = self.login(s)
        self.assertTrue(any("cannot remember this host as a device" in l for l in r.syslog),
                        r.syslog)
        key = self.devices()[0]["DeviceKey"]
        self.assertEqual(self.account_record()["device_key"], key)
        self.key_login(s)
        self.assertEqual(self.refreshes(), [("GetTokensFromRefreshToken", key)])

    def test_remembered_device_key_is_sent(self):
        s = self.stack(client_metadata={"host": "%h", "via": "%s"})
        self.login(s)
        key = self.devices()[0]["DeviceKey"]
        self.assertTrue(self.devices()[0]["Remembered"])
        self.key_login(s)
        last = self.emu.control("RefreshRequests")["Requests"][-1]
        self.assertEqual((last["Operation"], last["DeviceKey"]),
                         ("GetTokensFromRefreshToken", key))
        self.assertEqual(last["ClientMetadata"], {"host": os.uname().nodename,
                                                  "via": "cognito-test"})
        # the official AWS SDK v3's model takes the request as it was sent
        judge(self, self.emu, "GetTokensFromRefreshToken")

    def test_fallback_request_as_the_sdk_models_it(self):
        s = self.stack(client_metadata={"host": "%h"})
        self.no_gettokens()
        self.login(s)
        self.emu.control("Requests", Clear=True)
        self.key_login(s)
        verdict = judge(self, self.emu, "InitiateAuth")
        self.assertEqual(verdict["Operations"]["InitiateAuth"], 1, verdict)
        self.assertEqual(self.refreshes()[-1][0], "REFRESH_TOKEN_AUTH")

    # ---- 24.3: which call, and remembering it ----

    def test_rotation_client_one_call_and_the_token_replaced(self):
        s = self.stack(client_id=DEV_ROTATION)
        self.login(s)
        first = self.account_record()["refresh_token"]
        self.key_login(s)
        second = self.account_record()["refresh_token"]
        self.assertNotEqual(second, first)
        self.assertEqual(self.handover()["refresh_token"], second)
        self.emu.control("AdvanceClock", Seconds=60)      # past the grace period
        self.key_login(s)
        self.assertNotEqual(self.account_record()["refresh_token"], second)
        self.assertEqual([op for op, _ in self.refreshes()],
                         ["GetTokensFromRefreshToken"] * 2)

    def test_non_rotation_client_one_call(self):
        s = self.stack()
        self.login(s)
        token = self.account_record()["refresh_token"]
        self.key_login(s)
        self.key_login(s)
        self.assertEqual([op for op, _ in self.refreshes()],
                         ["GetTokensFromRefreshToken"] * 2)
        self.assertEqual(self.account_record()["refresh_token"], token)

    def test_server_without_gettokens_falls_back_once_then_remembers(self):
        for kind in ("UnknownOperationException", "OperationNotEnabledException"):
            with self.subTest(kind=kind):
                self.emu.control("Reset")
                self.emu.control("ClearFaults")
                s = self.stack(cache_dir=os.path.join(self.tmp, kind))
                self.cache = os.path.join(self.tmp, kind)
                self.no_gettokens(kind)
                self.login(s)
                self.key_login(s)
                # the emulator's call log: one refused call, then the other
                self.assertEqual(self.calls("GetTokensFromRefreshToken"), 1)
                self.assertEqual([op for op, _ in self.refreshes()][-1:],
                                 ["REFRESH_TOKEN_AUTH"])
                path = self.private("refresh-call-%s.json" % DEV_CLIENT)
                with open(path) as f:
                    self.assertEqual(json.load(f), {"client_id": DEV_CLIENT,
                                                    "call": "REFRESH_TOKEN_AUTH"})
                st = os.stat(path)
                self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))
                self.key_login(s)                      # one call only
                self.assertEqual(self.calls("GetTokensFromRefreshToken"), 1)
                self.assertEqual([op for op, _ in self.refreshes()][-2:],
                                 ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN_AUTH"])
                self.assertEqual(len([1 for op, _ in self.refreshes()
                                      if op == "REFRESH_TOKEN_AUTH"]), 2)

    def test_client_turned_to_rotation_falls_back_the_other_way(self):
        s = self.stack()
        self.no_gettokens()
        self.login(s)
        self.key_login(s)                              # learns REFRESH_TOKEN_AUTH
        self.emu.control("SetUnservedOperations", Operations=[])
        self.emu.control("SetRefreshTokenRotation", ClientId=DEV_CLIENT,
                         RefreshTokenRotation={"Feature": "ENABLED",
                                               "RetryGracePeriodSeconds": 0})
        self.key_login(s)         # REFRESH_TOKEN_AUTH refused by type: the other call
        self.key_login(s)         # remembered: one call
        self.assertEqual([op for op, _ in self.refreshes()],
                         ["GetTokensFromRefreshToken", "REFRESH_TOKEN_AUTH",
                          "REFRESH_TOKEN_AUTH", "GetTokensFromRefreshToken",
                          "GetTokensFromRefreshToken"])

    def test_message_text_alone_changes_nothing(self):
        # A refusal whose words talk of the flow but whose type says nothing
        # of the call being unavailable: no second call, and a denial.
        s = self.stack()
        self.login(s)
        self.emu.control("SetFault", Operation="GetTokensFromRefreshToken", Kind="error",
                         ErrorType="NotAuthorizedException",
                         Message="GetTokensFromRefreshToken is not supported; use "
                                 "REFRESH_TOKEN_AUTH")
        r = s.run("devsms", [], stages=("acct",))
        self.assertEqual(r.code, "PAM_ACCT_EXPIRED", r)
        self.assertTrue(any("Cognito refused the refresh: NotAuthorizedException" in l
                            for l in r.syslog), r.syslog)
        self.assertEqual(self.calls("GetTokensFromRefreshToken"), 1)
        self.assertEqual(self.refreshes(), [])      # no REFRESH_TOKEN_AUTH either

    def test_helper_falls_back_once_then_remembers(self):
        s = self.stack()
        self.no_gettokens()
        self.login(s)
        self.assertEqual(self.handover()["refresh_call"], "GetTokensFromRefreshToken")
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(self.handover()["refresh_call"], "REFRESH_TOKEN_AUTH")
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual([op for op, _ in self.refreshes()],
                         ["GetTokensFromRefreshToken", "REFRESH_TOKEN_AUTH",
                          "REFRESH_TOKEN_AUTH"])

    def test_login_hands_the_known_call_to_the_helper(self):
        s = self.stack()
        self.no_gettokens()
        self.login(s)
        self.key_login(s)                              # root learns it
        self.login(s)                                  # the next login passes it on
        self.assertEqual(self.handover()["refresh_call"], "REFRESH_TOKEN_AUTH")
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual([op for op, _ in self.refreshes()][-1], "REFRESH_TOKEN_AUTH")
        self.assertEqual(len(self.refreshes()), 3)

    def test_helper_sends_client_metadata(self):
        s = self.stack(client_metadata={"who": "%u via %s", "pct": "5%%"})
        self.login(s)
        self.assertEqual(self.handover()["client_metadata"], "who=%u via %s\npct=5%%")
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        last = self.emu.control("RefreshRequests")["Requests"][-1]
        self.assertEqual(last["Operation"], "GetTokensFromRefreshToken")
        self.assertEqual(last["ClientMetadata"],
                         {"who": "devsms via pam_cognito-credentials", "pct": "5%"})

    def test_helper_rotation(self):
        s = self.stack(client_id=DEV_ROTATION)
        self.login(s)
        first = self.handover()["refresh_token"]
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        self.assertNotEqual(self.handover()["refresh_token"], first)
        self.assertEqual([op for op, _ in self.refreshes()], ["GetTokensFromRefreshToken"])


if __name__ == "__main__":
    unittest.main()
