"""A user's cache area belongs to the account it was made for. After
userdel and a new account that reuses the uid (under the same name, or
another), the new owner never gets the old refresh token or credentials:
not through the module, and not by reading the old directory. Runs as root
with real useradd/userdel (accounts pctest-*, removed afterwards)."""
import os
import pwd
import subprocess
import unittest

from pamrun import CacheTest, IDENTITY_POOL, POOL, Stack, base_config

OLD, NEW = "pctest-old", "pctest-new"
PASSWORD = "Pctest-Passw0rd!"


def userdel(name):
    subprocess.run(["userdel", "-r", name], capture_output=True)


class CacheOwnerTest(CacheTest):
    def setUp(self):
        super().setUp()
        for name in (OLD, NEW):
            userdel(name)
            self.addCleanup(userdel, name)
            self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username=name,
                         MessageAction="SUPPRESS")
            self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username=name,
                         Password=PASSWORD, Permanent=True)
        self.s2 = Stack(base_config(self.emu, identity_pool_id=IDENTITY_POOL,
                                    cache_dir=self.cache))
        self.stacks.append(self.s2)

    def useradd(self, name, uid=None):
        cmd = ["useradd", "-m", name] + (["-u", str(uid)] if uid else [])
        subprocess.run(cmd, check=True, capture_output=True)
        return pwd.getpwnam(name).pw_uid

    def old_keys(self):
        c = [c for c in self.emu.control("IssuedCredentials")["Credentials"]
             if c["Username"] == OLD][-1]["Credentials"]
        return {c["AccessKeyId"], c["SecretKey"], c["SessionToken"]}

    def login_old(self):
        uid = self.useradd(OLD)
        r = self.s2.run(OLD, [PASSWORD], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        area = os.path.join(self.cache, OLD)
        self.assertTrue(os.path.exists(os.path.join(area, "refresh.json")))
        self.assertTrue(os.path.exists(os.path.join(area, "credentials.json")))
        return uid

    def test_same_name_same_uid_gets_nothing_old(self):
        uid = self.login_old()
        userdel(OLD)
        self.assertEqual(self.useradd(OLD, uid), uid)
        # The new account's session, without a login of its own.
        r = self.s2.run(OLD, [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        keys = self.old_keys()
        self.assertEqual([k for k, v in r.env.items() if v in keys], [], r)
        area = os.path.join(self.cache, OLD)
        self.assertEqual(sorted(os.listdir(area)), ["owner"])
        self.assertTrue(any("earlier account" in l for l in r.syslog), r.syslog)

    def test_new_name_with_the_old_uid_cannot_read_the_old_directory(self):
        uid = self.login_old()
        userdel(OLD)
        self.assertEqual(self.useradd(NEW, uid), uid)
        r = self.s2.run(NEW, [PASSWORD], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        keys = self.old_keys()
        self.assertEqual([k for k, v in r.env.items() if v in keys], [], r)
        # The old area, still owned by the uid, is gone.
        self.assertFalse(os.path.exists(os.path.join(self.cache, OLD)),
                         os.listdir(self.cache))
        self.assertTrue(os.path.exists(os.path.join(self.cache, NEW, "credentials.json")))

    def test_the_same_account_keeps_its_cache(self):
        self.login_old()
        r = self.s2.run(OLD, [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        self.assertIn(r.env.get("AWS_ACCESS_KEY_ID"), self.old_keys(), r)


if __name__ == "__main__":
    unittest.main()
