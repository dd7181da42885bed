"""pam_cognito-sync against the emulator: the files it writes, their ids and
modes, what it leaves out, and what a failed run leaves behind."""
import grp
import os
import subprocess
import unittest
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import (KEY, POOL, SyncCase, hashed, key_env, read_entries, run_sync,
                        snapshot_dir, sub, write_config)


ETC_HELD = 70004


def etc_gid(gid):
    """A group of /etc with this gid (created once, never removed: shared)."""
    try:
        grp.getgrgid(gid)
    except KeyError:
        subprocess.run(["groupadd", "-g", str(gid), "pcs-etc-held"], check=True)
    return gid


class SyncTest(SyncCase):
    many = 130  # three pages of ListUsersInGroup for pcs-many

    def sync_ok(self, *args, **kw):
        r = run_sync(self.cfg, *args, **kw)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def test_writes_expected_entries(self):
        r = self.sync_ok()
        pw = read_entries(os.path.join(self.nss, "passwd"))
        gr = read_entries(os.path.join(self.nss, "group"))
        sh = read_entries(os.path.join(self.nss, "shadow"))
        self.assertEqual(sorted(pw), ["pcs-ann", "pcs-ben"])
        for n, name in ((1, "pcs-ann"), (2, "pcs-ben")):
            uid = hashed(sub(n))
            self.assertEqual(pw[name], [name, "x", str(uid), str(uid), sub(n),
                                        "/home/" + name, "/bin/bash"])
            self.assertEqual(gr[name], [name, "x", str(uid), ""])  # private group
            self.assertEqual(sh[name], [name, "!*", "", "", "", "", "", "", ""])
        self.assertEqual(gr["pcs-staff"], ["pcs-staff", "x", str(hashed("group:pcs-staff")),
                                           "pcs-ann,pcs-ben"])
        self.assertEqual(gr["pcs-ops"], ["pcs-ops", "x", str(hashed("group:pcs-ops")),
                                         "pcs-ben"])
        self.assertEqual(sorted(gr), ["pcs-ann", "pcs-ben", "pcs-ops", "pcs-staff"])
        modes = {f: os.stat(os.path.join(self.nss, f)) for f in ("passwd", "group", "shadow")}
        self.assertEqual(oct(modes["passwd"].st_mode & 0o7777), "0o644")
        self.assertEqual(oct(modes["group"].st_mode & 0o7777), "0o644")
        self.assertEqual(oct(modes["shadow"].st_mode & 0o7777), "0o640")
        self.assertEqual(modes["shadow"].st_gid, grp.getgrnam("shadow").gr_gid)
        self.assertEqual(modes["passwd"].st_uid, 0)
        # Why each one is left out, in the log.
        self.assertIn("user pcs-cid left out: disabled in the pool", r.stderr)
        self.assertIn("user Pcs-Upper left out: does not start with a lower-case letter",
                      r.stderr)
        self.assertIn("user root left out: root is a local user of /etc; it is never shadowed",
                      r.stderr)
        self.assertNotIn("pcs-dan", Path(self.nss, "passwd").read_text())
        # The state file the account stage and the next run read (issue 27).
        self.assertEqual(sorted(os.listdir(self.nss)),
                         ["group", "pam_cognito-sync.state", "passwd", "shadow"])

    def test_uids_stable_across_runs(self):
        self.sync_ok()
        first = {f: Path(self.nss, f).read_bytes() for f in ("passwd", "group", "shadow")}
        self.sync_ok()
        again = {f: Path(self.nss, f).read_bytes() for f in ("passwd", "group", "shadow")}
        self.assertEqual(first, again)

    def test_collisions_are_resolved_and_etc_ids_never_reused(self):
        # 70000..70007 holds a group of /etc (70004): 7 free ids for 2
        # users, their private groups and 2 Cognito groups. (A range over
        # nobody's 65534 is refused outright: the reserved uids.)
        held = etc_gid(ETC_HELD)
        write_config(self.cfg, self.emu, nss_dir=self.nss, uid_min=70000, uid_max=70007)
        self.sync_ok()
        pw = read_entries(os.path.join(self.nss, "passwd"))
        gr = read_entries(os.path.join(self.nss, "group"))
        ids = [int(pw[n][2]) for n in pw] + [int(gr[g][2]) for g in ("pcs-staff", "pcs-ops")]
        self.assertEqual(len(set(ids)), 4, ids)
        self.assertNotIn(held, ids)
        self.assertTrue(all(70000 <= i <= 70007 for i in ids), ids)
        before = {n: pw[n][2] for n in pw}
        # A newcomer never moves anyone already placed.
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-dan",
                     GroupName="pcs-ops")
        self.sync_ok()
        pw2 = read_entries(os.path.join(self.nss, "passwd"))
        self.assertEqual({n: pw2[n][2] for n in before}, before)
        self.assertIn("pcs-dan", pw2)
        self.assertNotIn(pw2["pcs-dan"][2], [str(i) for i in ids])
        # A range that is full fails the run and keeps the files.
        snap = snapshot_dir(self.nss)
        write_config(self.cfg, self.emu, nss_dir=self.nss, uid_min=70003, uid_max=70005)
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no free id left in uid_min..uid_max", r.stderr)
        self.assertEqual(snapshot_dir(self.nss), snap)

    def test_uid_range_over_reserved_ids_or_above_max_uid_is_refused(self):
        # Issue 22, item 4: the range never reaches nobody, systemd's
        # dynamic users or above max_uid, and a refused run writes nothing.
        write_config(self.cfg, self.emu, nss_dir=self.nss, uid_min=65530, uid_max=65537)
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("uid_min..uid_max (65530..65537) overlaps the reserved uids "
                      "60000..65535", r.stderr)
        write_config(self.cfg, self.emu, nss_dir=self.nss, max_uid=99999)
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("uid_max (299999) is above max_uid (99999)", r.stderr)
        self.assertFalse(os.path.exists(self.nss))

    def test_removed_user_disappears_on_next_run(self):
        self.sync_ok()
        self.assertIn("pcs-ann", read_entries(os.path.join(self.nss, "passwd")))
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ann",
                     GroupName="pcs-staff")
        self.sync_ok()
        pw = read_entries(os.path.join(self.nss, "passwd"))
        gr = read_entries(os.path.join(self.nss, "group"))
        self.assertNotIn("pcs-ann", pw)
        self.assertNotIn("pcs-ann", gr)
        self.assertNotIn("pcs-ann", read_entries(os.path.join(self.nss, "shadow")))
        self.assertEqual(gr["pcs-staff"][3], "pcs-ben")
        # A user disabled in the pool goes too.
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username="pcs-ben")
        self.sync_ok()
        self.assertEqual(Path(self.nss, "passwd").read_text(), "")

    def test_failed_run_leaves_the_old_files(self):
        self.sync_ok()
        snap = snapshot_dir(self.nss)
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ann",
                     GroupName="pcs-staff")
        cases = [
            ("server error", {"Operation": "ListUsersInGroup", "Kind": "http500", "Count": 10},
             "InternalErrorException"),
            ("garbage", {"Operation": "ListUsersInGroup", "Kind": "garbage", "Count": 10},
             "not a JSON object"),
            ("throttled", {"Operation": "ListUsersInGroup", "Kind": "throttle", "Count": 10},
             "TooManyRequestsException"),
        ]
        for name, fault, words in cases:
            with self.subTest(name):
                self.emu.control("ClearFaults")
                self.emu.control("SetFault", **fault)
                r = run_sync(self.cfg)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(words, r.stderr)
                self.assertIn("left as they were", r.stderr)
                # A throttled run leaves its back-off state (issue 28),
                # removed here so the next case reads the pool again.
                backoff = Path(self.nss, "pam_cognito-sync.backoff")
                self.assertEqual(backoff.exists(), name == "throttled")
                backoff.unlink(missing_ok=True)
                self.assertEqual(snapshot_dir(self.nss), snap)
        self.emu.control("ClearFaults")
        bad = dict(KEY, SecretAccessKey="not-the-secret")
        r = run_sync(self.cfg, env=key_env(bad))
        self.assertEqual(r.returncode, 1)
        self.assertIn("InvalidSignatureException", r.stderr)
        self.assertEqual(snapshot_dir(self.nss), snap)
        # A group that is not in the pool is an error, not an empty group.
        write_config(self.cfg, self.emu, nss_dir=self.nss, nss_groups=["pcs-staff", "pcs-typo"])
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no such group in the pool: pcs-typo (ListUsersInGroup: Group not "
                      "found.) (nss_groups)", r.stderr)
        self.assertEqual(snapshot_dir(self.nss), snap)

    def test_pagination_of_a_large_group(self):
        write_config(self.cfg, self.emu, nss_dir=self.nss, nss_groups=["pcs-many"])
        self.sync_ok()
        pw = read_entries(os.path.join(self.nss, "passwd"))
        self.assertEqual(len(pw), self.many)
        self.assertEqual(read_entries(os.path.join(self.nss, "group"))["pcs-many"][3].count(",")
                         + 1, self.many)
        stats = self.emu.control("Stats")["ByOperation"]
        self.assertEqual(stats.get("ListUsersInGroup"), 3)  # 60 + 60 + 10
        self.assertIsNone(stats.get("ListGroups"))  # ListUsersInGroup tells a missing group

    def test_default_groups_are_allowed_groups(self):
        write_config(self.cfg, self.emu, nss_dir=self.nss, nss_groups=None,
                     allowed_groups=["pcs-ops"])
        self.sync_ok()
        self.assertEqual(sorted(read_entries(os.path.join(self.nss, "passwd"))), ["pcs-ben"])

    def test_login_claim_suffix_uid_attribute_home_and_shell(self):
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username="pcs-ann",
                     UserAttributes=[{"Name": "custom:uid", "Value": "250123"}])
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username="pcs-ben",
                     UserAttributes=[{"Name": "custom:uid", "Value": "12"}])
        write_config(self.cfg, self.emu, nss_dir=self.nss, login_claim="email",
                     username_suffix="@example.com", uid_attribute="custom:uid",
                     home_base="/srv/people", default_shell="/bin/sh")
        r = self.sync_ok()
        pw = read_entries(os.path.join(self.nss, "passwd"))
        self.assertEqual(pw["pcs-ann"][2:4], ["250123", "250123"])
        self.assertEqual(pw["pcs-ann"][5:], ["/srv/people/pcs-ann", "/bin/sh"])
        # Below min_uid: not a uid for a pool user; hashed instead.
        self.assertEqual(pw["pcs-ben"][2], str(hashed(sub(2))))
        self.assertIn("custom:uid '12' is not a uid", r.stderr)

    def test_uid_attribute_in_the_reserved_block_is_hashed(self):
        # Issue 22, item 4: systemd's dynamic users (61184-65519) are in no
        # /etc file, so only the reserved-block rule keeps a pool user from
        # taking one of their uids.
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username="pcs-ann",
                     UserAttributes=[{"Name": "custom:uid", "Value": "61200"}])
        write_config(self.cfg, self.emu, nss_dir=self.nss, uid_attribute="custom:uid")
        r = self.sync_ok()
        pw = read_entries(os.path.join(self.nss, "passwd"))
        self.assertEqual(pw["pcs-ann"][2], str(hashed(sub(1))))
        self.assertIn("custom:uid '61200' is not a uid", r.stderr)

    def test_export_then_import_writes_the_same_files(self):
        self.sync_ok()
        direct = {f: Path(self.nss, f).read_bytes() for f in ("passwd", "group", "shadow")}
        export = os.path.join(self.tmp, "pool.json")
        self.sync_ok("--export", export)
        other = os.path.join(self.tmp, "other")
        cfg2 = os.path.join(self.tmp, "other.conf")
        # The importing host has no network path to Cognito and no keys.
        write_config(cfg2, self.emu, nss_dir=other, idp_endpoint="http://127.0.0.1:9")
        env = key_env()
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(k)
        r = run_sync(cfg2, "--import", export, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual({f: Path(other, f).read_bytes() for f in ("passwd", "group", "shadow")},
                         direct)
        self.assertNotIn("Alice", Path(export).read_text())  # only what the files need
        Path(export).write_text('{"Format": "something else"}')
        r = run_sync(cfg2, "--import", export, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a pam_cognito-sync export", r.stderr)

    def test_bad_config_fails_before_any_request(self):
        for keys, words in (({"uid_min": 300000, "uid_max": 200000}, "uid_min (300000) is above"),
                            ({"uid_min": 500, "min_uid": 1000}, "uid_min: expected an integer"),
                            ({"nss_dir": "relative"}, "absolute paths"),
                            ({"nss_groups": None}, "no groups to sync")):
            with self.subTest(keys):
                write_config(self.cfg, self.emu, **dict({"nss_dir": self.nss}, **keys))
                r = run_sync(self.cfg)
                self.assertEqual(r.returncode, 1)
                self.assertIn(words, r.stderr)
                self.assertFalse(os.path.exists(self.nss))


if __name__ == "__main__":
    unittest.main()
