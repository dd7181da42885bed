"""The synced files through the real NSS (libnss-extrausers) and a real
sshd: a pool user with no local account logs in, gets a home directory from
pam_mkhomedir, and is gone after removal from the group and the next sync.

These tests write the real /var/lib/extrausers and add extrausers to
/etc/nsswitch.conf; both are put back as they were afterwards."""
import os
import shutil
import subprocess
import unittest
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import PASSWORD, POOL, run_sync, sync_fixture, tempdir, write_config
from pamrun import MODULE
from cognito import SshdCase
import systemstate

NSS_DIR = systemstate.NSS_DIR
NSSWITCH = systemstate.NSSWITCH


class NssAndSshdTest(SshdCase):
    fixture = sync_fixture()

    @classmethod
    def setUpClass(cls):
        cls.saved = systemstate.save()
        cls.addClassCleanup(systemstate.restore, cls.saved)
        super().setUpClass()

    @classmethod
    def make_config(cls):
        cls.tmp = tempdir("pc-sync-sshd-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.homes = os.path.join(cls.tmp, "home")
        os.mkdir(cls.homes, 0o755)
        cls.cfg = cls.config = os.path.join(cls.tmp, "pam_cognito.conf")
        # A cache of this emulator's own: the module keeps the pool's JWKS
        # there (a default cache may hold another emulator's).
        write_config(cls.cfg, cls.emu, nss_dir=NSS_DIR, home_base=cls.homes,
                     cache_dir=os.path.join(cls.tmp, "cache"))
        Path(NSSWITCH).write_text(systemstate.with_nss(cls.saved["nsswitch"].decode()))

    @classmethod
    def stack(cls, config):
        """The account and the home come from the synced files."""
        return (f"auth required {MODULE} config={config}\n"
                "account required pam_unix.so\n"
                "session required pam_mkhomedir.so umask=0077\n"
                "session required pam_permit.so\n")

    def setUp(self):
        super().setUp()
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)

    def getent(self, db, name):
        return subprocess.run(["getent", "-s", "extrausers", db, name], capture_output=True,
                              text=True, timeout=10)

    def test_getent_resolves_synced_users_and_groups(self):
        pw = self.getent("passwd", "pcs-ann")
        self.assertEqual(pw.returncode, 0)
        fields = pw.stdout.strip().split(":")
        self.assertEqual(fields[0], "pcs-ann")
        self.assertEqual(fields[2], fields[3])
        self.assertEqual(fields[5], os.path.join(self.homes, "pcs-ann"))
        gr = self.getent("group", "pcs-staff")
        self.assertEqual(gr.returncode, 0)
        self.assertTrue(gr.stdout.strip().endswith(":pcs-ann,pcs-ben"), gr.stdout)
        self.assertEqual(self.getent("group", "pcs-ann").stdout.split(":")[2], fields[2])
        # Not synced: no entry.
        self.assertEqual(self.getent("passwd", "pcs-dan").returncode, 2)
        self.assertEqual(self.getent("passwd", "pcs-cid").returncode, 2)

    def test_pool_user_logs_in_over_ssh_and_loses_access(self):
        home = os.path.join(self.homes, "pcs-ann")
        shutil.rmtree(home, ignore_errors=True)
        r = self.sshd.login("pcs-ann", [(r"Password: ", PASSWORD)],
                            command='echo "id=$(id -un):$(id -gn) home=$HOME"; pwd')
        self.assertEqual(r.exit_status, 0, r.transcript + self.sshd.log)
        self.assertIn("id=pcs-ann:pcs-ann home=%s" % home, r.output)
        self.assertIn(home + "\n", r.output)
        st = os.stat(home)
        uid = int(self.getent("passwd", "pcs-ann").stdout.split(":")[2])
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (uid, uid, 0o700))
        # A wrong password does not get in.
        r = self.sshd.login("pcs-ann", [(r"Password: ", "Wrong-Passw0rd!")], command="true")
        self.assertNotEqual(r.exit_status, 0)
        # Removed from the group, next sync: no account on this host any more.
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ann",
                     GroupName="pcs-staff")
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.getent("passwd", "pcs-ann").returncode, 2)
        r = self.sshd.login("pcs-ann", [(r"Password: ", PASSWORD)], command="true", timeout=15)
        self.assertNotEqual(r.exit_status, 0)
        self.assertIn("Invalid user pcs-ann", self.sshd.log)


if __name__ == "__main__":
    unittest.main()
