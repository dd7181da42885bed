"""Fleet access from the pool on this machine (issue 27), through the real
programs: sshd logs a pool user in with a key from ssh_keys_attribute and
pam_cognito's account stage decides from the synced state; the next sync
after the pool takes the access away, the key no longer logs in.

These tests write the real /var/lib/extrausers and /etc/nsswitch.conf; both
are put back exactly afterwards (systemstate.py)."""
import grp
import os
import shutil
import subprocess
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import PASSWORD, POOL, SyncCase, run_sync, sync_fixture, tempdir, write_config
from pamrun import MODULE, Stack
from cognito import SshdCase
import systemstate

ATTR = "custom:ssh_keys"


class KeysFromThePoolTest(SshdCase):
    """A key in the pool, sshd with AuthorizedKeysFile on the synced files
    (StrictModes on), pam_cognito in the account stage only."""
    fixture = sync_fixture()
    sshd_debug = 2
    sshd_config = ("PubkeyAuthentication yes\n"
                   f"AuthorizedKeysFile {systemstate.NSS_DIR}/ssh/%u\n"
                   "AuthenticationMethods publickey\n"
                   "StrictModes yes\n")

    @classmethod
    def setUpClass(cls):
        cls.saved = systemstate.save()
        cls.addClassCleanup(systemstate.restore, cls.saved)
        super().setUpClass()

    @classmethod
    def make_config(cls):
        cls.tmp = tempdir("pc-fleet-sshd-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.homes = os.path.join(cls.tmp, "home")
        os.mkdir(cls.homes, 0o755)
        cls.key = os.path.join(cls.tmp, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "laptop",
                        "-f", cls.key], check=True, capture_output=True, timeout=30)
        cls.cfg = cls.config = os.path.join(cls.tmp, "pam_cognito.conf")
        write_config(cls.cfg, cls.emu, nss_dir=systemstate.NSS_DIR, home_base=cls.homes,
                     cache_dir=os.path.join(cls.tmp, "cache"), ssh_keys_attribute=ATTR,
                     allowed_groups=["pcs-ops"], end_sessions=True)
        Path(systemstate.NSSWITCH).write_text(
            systemstate.with_nss(cls.saved["nsswitch"].decode()))

    @classmethod
    def stack(cls, config):
        """No auth stage runs for a key: the account stage decides."""
        return (f"auth required {MODULE} config={config}\n"
                f"account required {MODULE} config={config}\n"
                "session required pam_mkhomedir.so umask=0077\n"
                "session required pam_permit.so\n")

    def setUp(self):
        super().setUp()
        self.emu.idp("AddCustomAttributes", UserPoolId=POOL, CustomAttributes=[
            {"Name": "ssh_keys", "AttributeDataType": "String", "Mutable": True}])
        pub = Path(self.key + ".pub").read_text()
        for user in ("pcs-ann", "pcs-ben"):
            self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username=user,
                         UserAttributes=[{"Name": ATTR, "Value": pub}])
        self.sync()

    def sync(self):
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)

    def key_login(self, user):
        opts = ("PreferredAuthentications=publickey", f"IdentityFile={self.key}",
                "IdentitiesOnly=yes")
        return self.sshd.login(user, [], command="echo key-shell-$(id -un)", ssh_options=opts)

    def test_a_key_from_the_pool_logs_in_until_the_pool_takes_access_away(self):
        r = self.key_login("pcs-ben")
        self.assertEqual(r.exit_status, 0, r.transcript + self.sshd.log[-3000:])
        self.assertIn("key-shell-pcs-ben", r.output)
        self.assertIn("Accepted publickey for pcs-ben", self.sshd.log)
        # Out of the allowed group, still synced through pcs-staff: the
        # account stage refuses from the synced state.
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.sync()
        r = self.key_login("pcs-ben")
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("key-shell", r.output)
        self.assertIn("account denied; rhost=127.0.0.1 user=\"pcs-ben\": by the groups "
                      "pam_cognito-sync saw", self.sshd.log)
        # Out of every synced group: no account and no key here any more.
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-staff")
        self.sync()
        self.assertFalse(os.path.exists(os.path.join(systemstate.NSS_DIR, "ssh", "pcs-ben")))
        r = self.key_login("pcs-ben")
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertIn("Invalid user pcs-ben", self.sshd.log)

    def test_the_open_session_ends_with_the_sync_that_takes_access_away(self):
        argv = self.sshd.ssh_command("pcs-ben", "echo started; exec sleep 120",
                                     ("PreferredAuthentications=publickey",
                                      f"IdentityFile={self.key}", "IdentitiesOnly=yes",
                                      "BatchMode=yes"))
        ssh = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: ssh.poll() is None and ssh.kill())
        self.assertEqual(ssh.stdout.readline(), "started\n", self.sshd.log[-2000:])
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"user pcs-ben \(uid \d+\) lost access \(no longer in "
                         r"allowed_users or allowed_groups\): [1-9]\d* processes ended")
        self.assertNotEqual(ssh.wait(timeout=15), 0)
        self.assertEqual(ssh.stdout.read(), "")

    def test_a_key_only_user_outside_the_allowed_groups_is_refused(self):
        r = self.key_login("pcs-ann")
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("key-shell", r.output)
        self.assertIn("account denied; rhost=127.0.0.1 user=\"pcs-ann\": by the groups "
                      "pam_cognito-sync saw", self.sshd.log)
        self.assertNotIn("never logged in here", self.sshd.log)


class SystemCase(SyncCase):
    """The real /var/lib/extrausers, nsswitch.conf with extrausers (group
    merging with merge=True) and the real /etc/sudoers.d/pam_cognito, all
    put back exactly after each test."""
    merge = False

    def setUp(self):
        super().setUp()
        saved = systemstate.save()
        self.addCleanup(systemstate.restore, saved)
        Path(systemstate.NSSWITCH).write_text(
            systemstate.with_nss(saved["nsswitch"].decode(), group_merge=self.merge))

    def config(self, **keys):
        write_config(self.cfg, self.emu, **dict({"nss_dir": systemstate.NSS_DIR}, **keys))

    def sync(self):
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r


class SudoFromThePoolTest(SystemCase):
    def sudo_l(self, user):
        return subprocess.run(["sudo", "-n", "-l", "-U", user], capture_output=True,
                              text=True, timeout=30)

    def test_sudo_shows_the_rule_after_a_sync_and_not_after_removal(self):
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL:ALL) /usr/bin/id"})
        self.sync()
        st = os.stat(systemstate.SUDOERS)
        self.assertEqual((st.st_uid, oct(st.st_mode & 0o7777)), (0, "0o440"))
        r = self.sudo_l("pcs-ben")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("User pcs-ben may run the following commands", r.stdout)
        self.assertIn("(ALL : ALL) /usr/bin/id", r.stdout)
        self.assertIn("is not allowed to run sudo", self.sudo_l("pcs-ann").stdout)
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.sync()
        r = self.sudo_l("pcs-ben")
        self.assertIn("User pcs-ben is not allowed to run sudo", r.stdout)
        self.assertNotIn("/usr/bin/id", r.stdout)
        # A bad rule: the run fails, sudo still reads the previous file.
        before = Path(systemstate.SUDOERS).read_bytes()
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL:ALL /usr/bin/id"})
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(Path(systemstate.SUDOERS).read_bytes(), before)
        self.assertEqual(subprocess.run(["visudo", "-c", "-q"], timeout=30).returncode, 0)


class LocalGroupsThroughNssTest(SystemCase):
    """`id` through glibc: group: files [SUCCESS=merge] extrausers."""
    merge = True

    def setUp(self):
        super().setUp()
        try:
            grp.getgrnam("docker")
        except KeyError:  # made for the test, removed after it
            subprocess.run(["groupadd", "docker"], check=True, timeout=30)
            self.addCleanup(subprocess.run, ["groupdel", "docker"], timeout=30)

    def id_groups(self, user):
        r = subprocess.run(["id", "-nG", user], capture_output=True, text=True, timeout=30)
        return r.returncode, r.stdout.split()

    def test_id_lists_docker_after_a_sync_and_not_after_removal(self):
        self.config(local_groups={"pcs-ops": ["docker"]})
        self.sync()
        rc, groups = self.id_groups("pcs-ben")
        self.assertEqual(rc, 0)
        self.assertEqual(sorted(groups), ["docker", "pcs-ben", "pcs-ops", "pcs-staff"])
        # The merged entry: /etc's members (none here) and the synced ones.
        gr = grp.getgrnam("docker")
        self.assertEqual(gr.gr_mem, ["pcs-ben"])
        self.assertNotIn("docker", self.id_groups("pcs-ann")[1])
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.sync()
        self.assertEqual(sorted(self.id_groups("pcs-ben")[1]), ["pcs-ben", "pcs-staff"])


class RevokeOnLostAccessTest(SystemCase):
    """end_sessions revokes the refresh token a password login left in the
    root-only account record."""

    def test_the_refresh_token_is_revoked_and_the_record_removed(self):
        cache = os.path.join(self.tmp, "cache")
        self.config(end_sessions=True, cache_dir=cache)
        self.sync()
        stack = Stack(service_text=f"auth required {MODULE} config={self.cfg}\n")
        self.addCleanup(stack.cleanup)
        r = stack.run("pcs-ben", [PASSWORD])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        record = Path(cache, ".private", "pcs-ben", "account.json")
        self.assertTrue(record.exists())
        before = self.emu.calls("RevokeToken")
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-staff")
        r = self.sync()
        self.assertIn("lost access (disabled, deleted or out of every synced group): "
                      "0 processes ended; refresh token revoked", r.stderr)
        self.assertEqual(self.emu.calls("RevokeToken"), before + 1)
        self.assertFalse(record.exists())


class FleetAccessEndToEndTest(KeysFromThePoolTest):
    """The issue's 'done when': one pool user in an allowed group logs in
    with a key from the pool, has the sudo rule and the local group, and
    loses all three, and the open session, after removal and one run."""

    @classmethod
    def make_config(cls):
        super().make_config()
        write_config(cls.cfg, cls.emu, nss_dir=systemstate.NSS_DIR, home_base=cls.homes,
                     cache_dir=os.path.join(cls.tmp, "cache"), ssh_keys_attribute=ATTR,
                     allowed_groups=["pcs-ops"], end_sessions=True,
                     sudo_rules={"pcs-ops": "ALL=(ALL:ALL) /usr/bin/id"},
                     local_groups={"pcs-ops": ["docker"]})
        Path(systemstate.NSSWITCH).write_text(systemstate.with_nss(
            cls.saved["nsswitch"].decode(), group_merge=True))
        try:
            grp.getgrnam("docker")
        except KeyError:  # made for the test, removed after it
            subprocess.run(["groupadd", "docker"], check=True, timeout=30)
            cls.addClassCleanup(subprocess.run, ["groupdel", "docker"], timeout=30)

    # The inherited tests run here too, with every fleet key on.

    def test_key_sudo_group_and_session_all_end_with_one_run(self):
        r = self.key_login("pcs-ben")
        self.assertEqual(r.exit_status, 0, r.transcript + self.sshd.log[-2000:])
        sudo = subprocess.run(["sudo", "-n", "-l", "-U", "pcs-ben"], capture_output=True,
                              text=True, timeout=30)
        self.assertIn("(ALL : ALL) /usr/bin/id", sudo.stdout)
        ids = subprocess.run(["id", "-nG", "pcs-ben"], capture_output=True, text=True,
                             timeout=30)
        self.assertIn("docker", ids.stdout.split())
        argv = self.sshd.ssh_command("pcs-ben", "echo started; exec sleep 120",
                                     ("PreferredAuthentications=publickey",
                                      f"IdentityFile={self.key}", "IdentitiesOnly=yes",
                                      "BatchMode=yes"))
        ssh = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: ssh.poll() is None and ssh.kill())
        self.assertEqual(ssh.stdout.readline(), "started\n", self.sshd.log[-2000:])
        for g in ("pcs-ops", "pcs-staff"):
            self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                         GroupName=g)
        self.sync()
        self.assertNotEqual(ssh.wait(timeout=15), 0)
        r = self.key_login("pcs-ben")
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertNotIn("key-shell", r.output)
        sudo = subprocess.run(["sudo", "-n", "-l", "-U", "pcs-ben"], capture_output=True,
                              text=True, timeout=30)
        self.assertNotIn("/usr/bin/id", sudo.stdout + sudo.stderr)
        self.assertNotIn("pcs-ben", Path(systemstate.SUDOERS).read_text())
        self.assertNotEqual(subprocess.run(["id", "pcs-ben"], capture_output=True,
                                           timeout=30).returncode, 0)
        self.assertNotIn("pcs-ben", grp.getgrnam("docker").gr_mem)
