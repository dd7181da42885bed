"""pam_cognito-sync's fleet keys (issue 27) through real runs of the built
tool against the emulator: SSH keys from ssh_keys_attribute checked line by
line and written root-owned for sshd, and the state file the account stage
reads. (The real sshd, sudo and id tests are in test_fleet_system.py.)"""
import base64
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import (POOL, SyncCase, expire_client_check, make_root, run_sync,
                        run_sync_syslog, run_sync_traced, snapshot_dir, write_config)

ATTR = "custom:ssh_keys"


def keygen(tmp, kind, bits=None):
    """A fresh public key line "type base64 comment" of ssh-keygen's."""
    path = os.path.join(tmp, "id_%s_%s" % (kind, bits or 0))
    args = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "me@laptop", "-f", path]
    if bits:
        args[4:4] = ["-b", str(bits)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    return Path(path + ".pub").read_text().strip()


def ssh_string(b):
    return struct.pack(">I", len(b)) + b


def blob_line(kind, *fields):
    """A key line whose blob holds these fields (bytes), for the kinds
    ssh-keygen cannot make without hardware (sk-*) and for lies."""
    return kind + " " + base64.b64encode(b"".join(ssh_string(f) for f in fields)).decode()


class SshKeysTest(SyncCase):
    prefix = "pc-sync-keys-"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keydir = tempfile.mkdtemp(prefix="pc-sync-keygen-")
        cls.addClassCleanup(shutil.rmtree, cls.keydir, True)
        cls.ed = keygen(cls.keydir, "ed25519")
        cls.ec = keygen(cls.keydir, "ecdsa", 384)
        cls.rsa = keygen(cls.keydir, "rsa", 2048)
        cls.rsa_short = keygen(cls.keydir, "rsa", 1024)

    def setUp(self):
        super().setUp()
        # The attribute in the pool's schema, as an administrator adds it.
        self.emu.idp("AddCustomAttributes", UserPoolId=POOL, CustomAttributes=[
            {"Name": "ssh_keys", "AttributeDataType": "String", "Mutable": True}])
        write_config(self.cfg, self.emu, nss_dir=self.nss, ssh_keys_attribute=ATTR)

    def set_keys(self, user, text):
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username=user,
                     UserAttributes=[{"Name": ATTR, "Value": text}])

    def sync_ok(self):
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def keyfile(self, user):
        return Path(self.nss, "ssh", user)

    def test_keys_are_checked_line_by_line_and_written_root_owned(self):
        ed_type, ed_b64, _ = self.ed.split(" ", 2)
        sk_ed = blob_line("sk-ssh-ed25519@openssh.com", b"sk-ssh-ed25519@openssh.com",
                          os.urandom(32), b"ssh:")
        point = b"\x04" + os.urandom(64)
        sk_ec = blob_line("sk-ecdsa-sha2-nistp256@openssh.com",
                          b"sk-ecdsa-sha2-nistp256@openssh.com", b"nistp256", point, b"ssh:")
        lines = [
            self.ed,                                            # 1 kept, comment dropped
            "",                                                 # 2 blank
            "# a comment",                                      # 3
            "restrict,no-pty " + self.ec,                       # 4 kept with options
            self.rsa,                                           # 5 kept
            self.rsa_short,                                     # 6 too short
            'command="/bin/sh" ' + self.ed,                     # 7 option not allowed
            'from="10.0.0.0/8" ' + self.ed,                     # 8 option not allowed
            "ssh-rsa " + ed_b64,                                # 9 type inside differs
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP",                   # 10 type not allowed
            "ssh-ed25519 not-base64!",                          # 11
            sk_ed,                                              # 12 kept
            sk_ec,                                              # 13 kept
            "no-agent-forwarding,permitopen=\"x:1\" " + self.ed,  # 14 option not allowed
            blob_line("ssh-ed25519", b"ssh-ed25519", os.urandom(31)),  # 15 short key
        ]
        self.set_keys("pcs-ann", "\n".join(lines) + "\n")
        r = self.sync_ok()
        want = [ed_type + " " + ed_b64,
                "restrict,no-pty " + " ".join(self.ec.split(" ")[:2]),
                " ".join(self.rsa.split(" ")[:2]), sk_ed, sk_ec]
        f = self.keyfile("pcs-ann")
        self.assertEqual(f.read_text(), "\n".join(want) + "\n")
        st, dst = os.stat(f), os.stat(f.parent)
        self.assertEqual((st.st_uid, st.st_gid, oct(st.st_mode & 0o7777)), (0, 0, "0o644"))
        self.assertEqual((dst.st_uid, oct(dst.st_mode & 0o7777)), (0, "0o755"))
        for no, why in ((6, "an RSA key shorter than 2048 bits"),
                        (7, "an option other than restrict"),
                        (8, "an option other than restrict"),
                        (9, "the type inside the key is not the one the line names"),
                        (10, "not a key of an allowed type"),
                        (11, "the key is not base64"),
                        (14, "an option other than restrict"),
                        (15, "the Ed25519 key is not 32 bytes")):
            self.assertIn("user pcs-ann: SSH key on line %d left out: %s" % (no, why), r.stderr)
        for no in (1, 2, 3, 4, 5, 12, 13):
            self.assertNotIn("SSH key on line %d left out" % no, r.stderr)
        # No keys, no file; and no temporary file left behind.
        self.assertEqual(os.listdir(f.parent), ["pcs-ann"])

    def test_keys_go_when_the_user_or_the_key_goes(self):
        self.set_keys("pcs-ann", self.ed)
        self.set_keys("pcs-ben", self.rsa)
        self.sync_ok()
        self.assertTrue(self.keyfile("pcs-ann").exists())
        self.assertTrue(self.keyfile("pcs-ben").exists())
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ann",
                     GroupName="pcs-staff")
        self.set_keys("pcs-ben", self.rsa_short)
        r = self.sync_ok()
        self.assertFalse(self.keyfile("pcs-ann").exists())
        self.assertFalse(self.keyfile("pcs-ben").exists())
        self.assertIn("user pcs-ben: SSH key on line 1 left out", r.stderr)
        # The key switched off: no key of an earlier run stays in force.
        self.set_keys("pcs-ben", self.ed)
        self.sync_ok()
        self.assertTrue(self.keyfile("pcs-ben").exists())
        write_config(self.cfg, self.emu, nss_dir=self.nss)
        self.sync_ok()
        self.assertEqual(os.listdir(Path(self.nss, "ssh")), [])

    def test_an_unchanged_run_leaves_the_key_files_alone(self):
        """A key file is written only when what it should hold differs: an
        unchanged run keeps its inode and mtime; a change in the pool, a
        loosened mode or edited bytes make the next run write it again."""
        self.set_keys("pcs-ann", self.ed)
        self.set_keys("pcs-ben", self.rsa)
        self.sync_ok()

        def stamp(user):
            st = os.stat(self.keyfile(user))
            return (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)

        before = {u: stamp(u) for u in ("pcs-ann", "pcs-ben")}
        self.sync_ok()
        self.assertEqual({u: stamp(u) for u in before}, before)
        # ben's key changes in the pool: his file alone is written.
        self.set_keys("pcs-ben", self.ec)
        self.sync_ok()
        self.assertEqual(stamp("pcs-ann"), before["pcs-ann"])
        self.assertNotEqual(stamp("pcs-ben"), before["pcs-ben"])
        self.assertEqual(self.keyfile("pcs-ben").read_text(),
                         " ".join(self.ec.split(" ")[:2]) + "\n")
        # The owner and mode checks hold: a loosened file is put right...
        os.chmod(self.keyfile("pcs-ann"), 0o666)
        self.sync_ok()
        st = os.stat(self.keyfile("pcs-ann"))
        self.assertEqual((st.st_uid, st.st_gid, oct(st.st_mode & 0o7777)), (0, 0, "0o644"))
        # ...and so is one whose bytes someone edited, at the same mode.
        with open(self.keyfile("pcs-ann"), "a") as f:
            f.write(self.rsa + "\n")
        self.sync_ok()
        self.assertEqual(self.keyfile("pcs-ann").read_text(),
                         " ".join(self.ed.split(" ")[:2]) + "\n")

    def test_a_disabled_user_has_no_keys(self):
        self.set_keys("pcs-cid", self.ed)
        self.sync_ok()
        self.assertFalse(self.keyfile("pcs-cid").exists())

    def test_writable_keys_attribute_fails_the_run_and_changes_nothing(self):
        self.set_keys("pcs-ann", self.ed)
        self.sync_ok()
        before = snapshot_dir(self.nss)
        cid = self.emu.idp("CreateUserPoolClient", UserPoolId=POOL, ClientName="profile",
                           WriteAttributes=["email", ATTR])["UserPoolClient"]["ClientId"]
        self.set_keys("pcs-ann", self.rsa)
        expire_client_check(self.nss)  # caught when the last pass expires
        before.pop("pam_cognito-sync.clientcheck")
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("app client profile (%s) lets its users write %s (ssh_keys_attribute): "
                      "a pool user could choose their own SSH keys" % (cid, ATTR), r.stderr)
        self.assertEqual(snapshot_dir(self.nss), before)
        self.assertEqual(self.keyfile("pcs-ann").read_text(),
                         " ".join(self.ed.split(" ")[:2]) + "\n")

    def test_export_carries_the_keys(self):
        self.set_keys("pcs-ann", self.ed)
        exp = os.path.join(self.tmp, "pool.json")
        r = run_sync(self.cfg, "--export", exp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(self.nss))
        r = run_sync(self.cfg, "--import", exp, env={})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.keyfile("pcs-ann").read_text(),
                         " ".join(self.ed.split(" ")[:2]) + "\n")

    def test_bad_ssh_keys_attribute_is_a_config_error(self):
        write_config(self.cfg, self.emu, nss_dir=self.nss, ssh_keys_attribute="ssh keys")
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("ssh_keys_attribute: expected custom:<name>", r.stderr)
        self.assertFalse(os.path.exists(self.nss))


class StateFileTest(SyncCase):
    prefix = "pc-sync-state-"

    def test_state_names_each_synced_user_with_uid_groups_and_admission(self):
        write_config(self.cfg, self.emu, nss_dir=self.nss, allowed_groups=["pcs-ops"],
                     nss_groups=["pcs-staff", "pcs-ops"])
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        pw = {l.split(":")[0]: l.split(":")[2]
              for l in Path(self.nss, "passwd").read_text().splitlines()}
        path = Path(self.nss, "pam_cognito-sync.state")
        lines = path.read_text().splitlines()
        self.assertRegex(lines[0], r"^# pam_cognito-sync state, written \d+$")
        self.assertEqual(lines[1:], ["pcs-ann:%s:0:pcs-staff" % pw["pcs-ann"],
                                     "pcs-ben:%s:1:pcs-staff,pcs-ops" % pw["pcs-ben"]])
        st = os.stat(path)
        self.assertEqual((st.st_uid, oct(st.st_mode & 0o7777)), (0, "0o644"))


if __name__ == "__main__":
    unittest.main()


class SudoRulesTest(SyncCase):
    """sudo_rules into <root>/etc/sudoers.d/pam_cognito of a --root of the
    test's own: the real visudo checks it."""
    prefix = "pc-sync-sudo-"

    def setUp(self):
        super().setUp()
        self.root = make_root(os.path.join(self.tmp, "root"))
        self.sudoers = os.path.join(self.root, "etc", "sudoers.d", "pam_cognito")
        self.nss = self.root + "/var/lib/extrausers"

    def config(self, **keys):
        write_config(self.cfg, self.emu, **dict({"nss_dir": "/var/lib/extrausers"}, **keys))

    def run_sync(self):
        return run_sync(self.cfg, "--root", self.root)

    def test_rules_go_to_the_admitted_members_of_each_group(self):
        self.config(allowed_groups=["pcs-staff"],
                    sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL",
                                "pcs-staff": "ALL=(root) NOPASSWD: /usr/bin/systemctl status"})
        r = self.run_sync()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(Path(self.sudoers).read_text(),
                         "# Written by pam_cognito-sync from sudo_rules in pam_cognito.conf;\n"
                         "# every run replaces this file.\n"
                         "# pool group pcs-ops\n"
                         "pcs-ben ALL=(ALL:ALL) ALL\n"
                         "# pool group pcs-staff\n"
                         "pcs-ann ALL=(root) NOPASSWD: /usr/bin/systemctl status\n"
                         "pcs-ben ALL=(root) NOPASSWD: /usr/bin/systemctl status\n")
        st = os.stat(self.sudoers)
        self.assertEqual((st.st_uid, st.st_gid, oct(st.st_mode & 0o7777)), (0, 0, "0o440"))
        self.assertIn("sudo rules written to %s" % self.sudoers, r.stderr)
        self.assertEqual(os.listdir(os.path.dirname(self.sudoers)), ["pam_cognito"])
        # Out of the group in the pool: the rule goes with the next run.
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.assertEqual(self.run_sync().returncode, 0)
        self.assertNotIn("pcs-ben ALL=(ALL:ALL) ALL", Path(self.sudoers).read_text())
        # Only admitted users get rules: pcs-ops alone does not let in.
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-dan",
                     GroupName="pcs-ops")
        self.assertEqual(self.run_sync().returncode, 0)
        self.assertNotIn("pcs-dan", Path(self.sudoers).read_text())

    def test_a_rule_visudo_refuses_fails_the_run_and_changes_nothing(self):
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL"})
        self.assertEqual(self.run_sync().returncode, 0)
        before = snapshot_dir(self.tmp)
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-ann",
                     GroupName="pcs-ops")
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL:ALL ALL"})
        r = self.run_sync()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("sudo_rules: visudo -cf refused the rules (", r.stderr)
        self.assertIn("%s is left as it was; the previous files are left as they were"
                      % self.sudoers, r.stderr)
        self.assertEqual({k: v for k, v in snapshot_dir(self.tmp).items()
                          if k != "pam_cognito.conf"},
                         {k: v for k, v in before.items() if k != "pam_cognito.conf"})

    def test_visudo_runs_once_a_run(self):
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL",
                                "pcs-staff": "ALL=(root) NOPASSWD: /usr/bin/systemctl status"})
        r, calls = run_sync_traced(self.cfg, "execve", "--root", self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        visudo = [c for c in calls if 'execve("/usr/sbin/visudo"' in c and c.endswith("= 0")]
        self.assertEqual(len(visudo), 1, calls)
        self.assertIn("pcs-ben ALL=(ALL:ALL) ALL\n", Path(self.sudoers).read_text())
        self.assertNotIn("root ", Path(self.sudoers).read_text())

    def test_a_rule_of_a_group_without_members_is_checked_too(self):
        # visudo sees every rule body even when no member would get it.
        self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName="pcs-empty")
        self.config(nss_groups=["pcs-staff", "pcs-ops", "pcs-empty"],
                    sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL"})
        self.assertEqual(self.run_sync().returncode, 0)
        before = snapshot_dir(self.root)
        self.config(nss_groups=["pcs-staff", "pcs-ops", "pcs-empty"],
                    sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL", "pcs-empty": "ALL=(ALL:ALL ALL"})
        r = self.run_sync()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("sudo_rules: visudo -cf refused the rules (", r.stderr)
        self.assertEqual(snapshot_dir(self.root), before)

    def test_a_group_this_host_does_not_sync_is_a_config_error(self):
        self.config(sudo_rules={"pcs-other": "ALL=(ALL:ALL) ALL"})
        r = self.run_sync()
        self.assertEqual(r.returncode, 1)
        self.assertIn("sudo_rules: group pcs-other is not synced on this host (add it to "
                      "nss_groups)", r.stderr)
        self.assertFalse(os.path.exists(self.nss))

    def test_a_rule_body_with_a_backslash_is_a_config_error(self):
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL) ALL \\"})
        r = self.run_sync()
        self.assertEqual(r.returncode, 1)
        self.assertIn("sudo_rules: pcs-ops: expected a sudoers rule body", r.stderr)

    def test_without_sudo_rules_an_earlier_file_is_removed(self):
        self.config(sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL"})
        self.assertEqual(self.run_sync().returncode, 0)
        self.config()
        r = self.run_sync()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(self.sudoers))
        self.assertIn("sudo_rules is not set: removed %s" % self.sudoers, r.stderr)


class LocalGroupsTest(SyncCase):
    """local_groups into the extrausers group file: entries with the /etc
    group's name and gid, for glibc's group merging."""
    prefix = "pc-sync-local-"

    def config(self, **keys):
        write_config(self.cfg, self.emu, **dict({"nss_dir": self.nss}, **keys))

    def group_lines(self):
        return Path(self.nss, "group").read_text().splitlines()

    def test_admitted_members_join_the_named_local_groups(self):
        self.config(local_groups={"pcs-ops": ["users", "staff"],
                                  "pcs-staff": ["users"]})
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = self.group_lines()
        self.assertIn("users:x:100:pcs-ann,pcs-ben", lines)
        self.assertIn("staff:x:50:pcs-ben", lines)
        self.assertIn("local group staff grants privilege on this host; given to the "
                      "admitted members of pcs-ops because local_groups names it", r.stderr)
        # Removed from the pool group: gone from the local group next run.
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.assertEqual(run_sync(self.cfg).returncode, 0)
        lines = self.group_lines()
        self.assertIn("users:x:100:pcs-ann,pcs-ben", lines)
        self.assertFalse([l for l in lines if l.startswith("staff:")], lines)

    def test_members_only_when_admitted(self):
        self.config(allowed_groups=["pcs-ops"], local_groups={"pcs-staff": ["users"]})
        self.assertEqual(run_sync(self.cfg).returncode, 0)
        self.assertIn("users:x:100:pcs-ben", self.group_lines())

    def test_the_group_file_is_read_once_for_all_local_groups(self):
        # Below a --root, so that only this run opens that etc/group: once
        # for the ids /etc holds (nssbuild), once for every local group
        # name together (it was once per name: 4 opens here).
        root = make_root(os.path.join(self.tmp, "root"))
        self.config(nss_dir="/var/lib/extrausers",
                    local_groups={"pcs-ops": ["users", "staff"], "pcs-staff": ["users"]})
        r, calls = run_sync_traced(self.cfg, "openat", "--root", root)
        self.assertEqual(r.returncode, 0, r.stderr)
        opens = [c for c in calls if '"%s/etc/group"' % root in c]
        self.assertEqual(len(opens), 2, opens)
        lines = Path(root, "var/lib/extrausers/group").read_text().splitlines()
        self.assertIn("users:x:100:pcs-ann,pcs-ben", lines)
        self.assertIn("staff:x:50:pcs-ben", lines)

    def test_unknown_or_root_local_group_fails_the_run_and_changes_nothing(self):
        self.config(local_groups={"pcs-ops": ["users"]})
        self.assertEqual(run_sync(self.cfg).returncode, 0)
        before = snapshot_dir(self.nss)
        for bad, why in ((["users", "pcs-no-such-group"],
                          "local_groups: pcs-ops: group pcs-no-such-group does not exist "
                          "on this host (/etc/group)"),
                         (["root"], "local_groups: pcs-ops: group root has gid 0, which is "
                                    "never given")):
            self.config(local_groups={"pcs-ops": bad})
            self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-ann",
                         GroupName="pcs-ops")
            r = run_sync(self.cfg)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(why + "; the previous files are left as they were", r.stderr)
            self.assertEqual(snapshot_dir(self.nss), before)

    def test_a_pool_group_name_alone_grants_no_local_group(self):
        # A pool group called like a privileged local group is never
        # synced, and joins nobody to the local one.
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-ann",
                     GroupName="root")
        self.config(nss_groups=["pcs-staff", "root"])
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse([l for l in self.group_lines() if l.startswith("root:")])
        self.assertIn("group root left out", r.stderr)

    def test_bad_local_group_names_are_config_errors(self):
        self.config(local_groups={"pcs-ops": ["Docker"]})
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("local_groups: pcs-ops: expected a list of 1 to 16 local group names",
                      r.stderr)
        self.config(local_groups={"pcs-other": ["users"]})
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("local_groups: group pcs-other is not synced on this host", r.stderr)


class EndSessionsTest(SyncCase):
    """end_sessions: the processes of a user the last run admitted and this
    one does not are ended. No systemd-logind runs here, so this is the
    signal path (SIGTERM, SIGKILL after 3 s)."""
    prefix = "pc-sync-end-"

    def config(self, **keys):
        write_config(self.cfg, self.emu, **dict(
            {"nss_dir": self.nss, "cache_dir": os.path.join(self.tmp, "cache")}, **keys))

    def sync_ok(self):
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def uid(self, user):
        for line in Path(self.nss, "passwd").read_text().splitlines():
            f = line.split(":")
            if f[0] == user:
                return int(f[2])
        raise KeyError(user)

    def process_as(self, uid, script="exec sleep 300"):
        p = subprocess.Popen(["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid,
                              "--clear-groups", "sh", "-c", script])
        self.addCleanup(lambda: p.poll() is None and p.kill())
        return p

    def remove(self, user, *groups):
        for g in groups:
            self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username=user,
                         GroupName=g)

    def test_a_removed_users_processes_end(self):
        self.config(end_sessions=True)
        self.sync_ok()
        uid = self.uid("pcs-ben")
        p = self.process_as(uid)
        other = self.process_as(self.uid("pcs-ann"))
        self.remove("pcs-ben", "pcs-ops", "pcs-staff")
        r, syslog = run_sync_syslog(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(p.wait(timeout=10), -15)
        self.assertIn("pam_cognito-sync: user pcs-ben (uid %d) lost access (disabled, deleted "
                      "or out of every synced group): 1 processes ended; refresh token none "
                      "kept\n" % uid, r.stderr)
        # The same, once, in syslog (authpriv.notice: <85>), with the pid.
        self.assertEqual(len(syslog), 1, syslog)
        self.assertRegex(syslog[0], r"^<85>.* pam_cognito-sync\[\d+\]: user pcs-ben \(uid "
                         r"%d\) lost access \(disabled, deleted or out of every synced "
                         r"group\): 1 processes ended; refresh token none kept$" % uid)
        self.assertIsNone(other.poll(), "another user's process is left alone")
        # Once: the next run has nothing more to end.
        self.assertNotIn("lost access", self.sync_ok().stderr)

    def test_a_disabled_users_processes_end_even_when_they_ignore_sigterm(self):
        self.config(end_sessions=True)
        self.sync_ok()
        uid = self.uid("pcs-ann")
        p = self.process_as(uid, "trap '' TERM; sleep 300 & wait; sleep 300")
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username="pcs-ann")
        r = self.sync_ok()
        self.assertEqual(p.wait(timeout=10), -9)
        self.assertIn("user pcs-ann (uid %d) lost access (disabled, deleted or out of every "
                      "synced group): 2 processes ended" % uid, r.stderr)

    def test_out_of_every_allowed_group_while_still_synced(self):
        self.config(end_sessions=True, allowed_groups=["pcs-ops"])
        self.sync_ok()
        uid = self.uid("pcs-ben")
        p = self.process_as(uid)
        self.remove("pcs-ben", "pcs-ops")
        r = self.sync_ok()
        self.assertEqual(self.uid("pcs-ben"), uid, "still synced through pcs-staff")
        self.assertEqual(p.wait(timeout=10), -15)
        self.assertIn("user pcs-ben (uid %d) lost access (no longer in allowed_users or "
                      "allowed_groups): 1 processes ended" % uid, r.stderr)

    def test_without_end_sessions_the_processes_stay(self):
        self.config()
        self.sync_ok()
        p = self.process_as(self.uid("pcs-ben"))
        self.remove("pcs-ben", "pcs-ops", "pcs-staff")
        r = self.sync_ok()
        self.assertIn("user pcs-ben lost access; end_sessions is off: sessions left open",
                      r.stderr)
        self.assertIsNone(p.poll())


class NsswitchScriptTest(unittest.TestCase):
    """scripts/pam_cognito-nsswitch on a copy: enable, merge (the group line
    local_groups needs), disable, each idempotent."""
    SCRIPT = str(Path(__file__).resolve().parent.parent.parent / "scripts" /
                 "pam_cognito-nsswitch")

    def run_on(self, text, *actions):
        d = tempfile.mkdtemp(prefix="pc-nsswitch-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "nsswitch.conf")
        Path(path).write_text(text)
        for action in actions:
            r = subprocess.run([self.SCRIPT, action, path], capture_output=True, text=True,
                               timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
        return Path(path).read_text()

    DEBIAN = ("passwd:         files systemd\ngroup:          files systemd\n"
              "shadow:         files\nhosts:          files dns\n")

    def test_merge_puts_group_merging_before_extrausers(self):
        want = ("passwd:         files extrausers systemd\n"
                "group:          files [SUCCESS=merge] extrausers systemd\n"
                "shadow:         files extrausers\nhosts:          files dns\n")
        self.assertEqual(self.run_on(self.DEBIAN, "merge"), want)
        self.assertEqual(self.run_on(self.DEBIAN, "merge", "merge"), want)
        self.assertEqual(self.run_on(self.DEBIAN, "enable", "merge"), want)

    def test_enable_and_disable_round_trip(self):
        enabled = self.run_on(self.DEBIAN, "enable")
        self.assertIn("shadow:         files extrausers\n", enabled)  # "files" last
        self.assertIn("group:          files extrausers systemd\n", enabled)
        self.assertEqual(self.run_on(self.DEBIAN, "merge", "disable"), self.DEBIAN)
        self.assertEqual(self.run_on(self.DEBIAN, "enable", "disable"), self.DEBIAN)
