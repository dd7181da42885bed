"""A user's cache area belongs to the account it was made for. After
userdel and a new account that reuses the uid (under the same name, or
another), the new owner never gets the old refresh token or credentials:
not through the module, and not by reading the old directory, which any
call of the module (any stage, any user) and any pam_cognito-sync run
remove first. Runs as root with real useradd/userdel (accounts pctest-*,
removed afterwards)."""
import os
import pwd
import subprocess
import sys
import unittest

from pamrun import BUILD, CacheTest, IDENTITY_POOL, POOL, Stack, base_config, write_config

# tests/sync is on sys.path only while synccommon is imported: its
# test_credentials.py would shadow this suite's.
_path = list(sys.path)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sync"))
from synccommon import key_env  # noqa: E402
sys.path[:] = _path

# tests/pyrunner.py --jobs: the uid an account leaves is taken again here,
# so no other module may add an account meanwhile.
PYRUNNER_ALONE = True

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

    def test_a_loosened_record_does_not_outlive_the_account(self):
        # The record in the area is the user's file: the old account writes
        # one without home evidence (which would match any later account of
        # the same name and uid) before it is deleted.
        uid = self.login_old()
        record = os.path.join(self.cache, OLD, "owner")
        forged = "pam_cognito owner 1\nuser=%s\nuid=%d\nhome=\n" % (OLD, uid)
        p = subprocess.run(["runuser", "-u", OLD, "--", sys.executable, "-c",
                            "import os; p = %r; t = p + '.new'; "
                            "fd = os.open(t, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600); "
                            "os.write(fd, %r.encode()); os.close(fd); os.rename(t, p)"
                            % (record, forged)], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        userdel(OLD)
        self.assertEqual(self.useradd(OLD, uid), uid)
        r = self.s2.run(OLD, [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        keys = self.old_keys()
        self.assertEqual([k for k, v in r.env.items() if v in keys], [], r)
        self.assertEqual(sorted(os.listdir(os.path.join(self.cache, OLD))), ["owner"])

    def test_an_area_from_before_roots_record_is_kept_when_exact(self):
        # Upgrading from a version that kept the record in the user's area
        # only: an exact record of the account now still holds.
        self.login_old()
        os.unlink(os.path.join(self.cache, ".private", OLD, "owner"))
        r = self.s2.run(OLD, [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        self.assertIn(r.env.get("AWS_ACCESS_KEY_ID"), self.old_keys(), r)
        self.assertTrue(os.path.exists(os.path.join(self.cache, ".private", OLD, "owner")))

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


    # ---- the sweep: the old files go before the new account can read them ----

    def cat_as(self, name, path):
        return subprocess.run(["runuser", "-u", name, "--", "cat", path],
                              capture_output=True, text=True, timeout=30)

    def reuse_uid(self):
        """judy (OLD) logs in, is deleted, and zed (NEW) gets her uid: zed
        can read her files with cat until something removes them."""
        uid = self.login_old()
        userdel(OLD)
        self.assertEqual(self.useradd(NEW, uid), uid)
        area = os.path.join(self.cache, OLD)
        for f in ("refresh.json", "credentials.json"):
            p = self.cat_as(NEW, os.path.join(area, f))
            self.assertEqual(p.returncode, 0, p)  # the attack, before any sweep
        return area

    def assert_swept(self, area):
        self.assertFalse(os.path.exists(area), os.listdir(self.cache))
        for f in ("refresh.json", "credentials.json"):
            p = self.cat_as(NEW, os.path.join(area, f))
            self.assertNotEqual(p.returncode, 0, p)

    def test_any_call_for_another_user_sweeps(self):
        area = self.reuse_uid()
        # root is below min_uid: the module ignores the call, but sweeps first.
        s = Stack(base_config(self.emu, cache_dir=self.cache), service_text=(
            "account optional @MODULE@ config=@CONFIG@ debug\n"
            "account required pam_permit.so\n"))
        self.stacks.append(s)
        r = s.run("root", [], stages=("acct",))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"], r)
        self.assertTrue(any("below min_uid" in l for l in r.syslog), r.syslog)
        self.assert_swept(area)

    def test_a_failed_call_sweeps(self):
        area = self.reuse_uid()
        r = self.s2.run("pctest-nobody-here", ["whatever-Passw0rd!"])
        self.assertEqual(r.code, "PAM_USER_UNKNOWN", r)
        self.assert_swept(area)

    def test_the_new_accounts_session_finds_nothing(self):
        area = self.reuse_uid()
        r = self.s2.run(NEW, [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        self.assertEqual([k for k in r.env if k.startswith("AWS_")], [], r)
        self.assert_swept(area)

    def test_live_areas_stay(self):
        self.login_old()
        self.useradd(NEW)
        r = self.s2.run(NEW, [PASSWORD], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        r = self.s2.run("pctest-nobody-here", ["whatever-Passw0rd!"])
        self.assertEqual(r.code, "PAM_USER_UNKNOWN", r)
        self.assertEqual(sorted(os.listdir(self.cache)), [".private", NEW, OLD])
        for name in (OLD, NEW):
            self.assertTrue(os.path.exists(os.path.join(self.cache, name, "refresh.json")))

    def test_a_sync_run_sweeps(self):
        area = self.reuse_uid()
        nss = os.path.join(self.tmp, "nss")
        os.mkdir(nss)
        cfg = write_config(os.path.join(self.tmp, "sync.conf"), base_config(
            self.emu, cache_dir=self.cache, nss_dir=nss, nss_groups=["admins"]))
        p = subprocess.run([str(BUILD / "pam_cognito-sync"), "-c", cfg], env=key_env(),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assert_swept(area)


if __name__ == "__main__":
    unittest.main()
