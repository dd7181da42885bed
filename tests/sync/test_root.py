"""pam_cognito-sync --root DIR: every system file the run reads and writes
is the one below DIR (etc/passwd, etc/group, etc/sudoers and sudoers.d,
etc/sudoers.d/pam_cognito, nss_dir), as when an administrator prepares an
image; this host's files are left alone and no session here is ended."""
import os
import subprocess
from pathlib import Path

import systemstate
from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import POOL, SyncCase, hashed, make_root, run_sync, sub, write_config


class RootTest(SyncCase):
    prefix = "pc-sync-root-"

    def setUp(self):
        super().setUp()
        self.root = make_root(os.path.join(self.tmp, "image"))
        # The image's own accounts: a uid this host does not have, and a
        # local group only the image has.
        with open(self.root + "/etc/passwd", "a") as f:
            f.write("imgsvc:x:%d:%d::/nonexistent:/usr/sbin/nologin\n"
                    % (hashed(sub(1)), hashed(sub(1))))
        with open(self.root + "/etc/group", "a") as f:
            f.write("imgtools:x:4242:\n")
        write_config(self.cfg, self.emu, nss_dir="/var/lib/extrausers", end_sessions=True,
                     cache_dir=os.path.join(self.tmp, "cache"),
                     local_groups={"pcs-ops": ["imgtools"]},
                     sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL"})

    def test_an_image_is_prepared_below_root_and_this_host_is_left_alone(self):
        host = systemstate.save()
        pool = os.path.join(self.tmp, "pool.json")
        self.assertEqual(run_sync(self.cfg, "--export", pool).returncode, 0)
        # No network: the image is built from the export.
        r = run_sync(self.cfg, "--import", pool, "--root", self.root, env={})
        self.assertEqual(r.returncode, 0, r.stderr)
        nss = self.root + "/var/lib/extrausers"
        self.assertIn("2 users and 2 groups written to %s\n" % nss, r.stderr)
        sudoers = self.root + "/etc/sudoers.d/pam_cognito"
        self.assertIn("sudo rules written to %s" % sudoers, r.stderr)
        self.assertIn("pcs-ben ALL=(ALL:ALL) ALL\n", Path(sudoers).read_text())
        st = os.stat(sudoers)
        self.assertEqual((st.st_uid, oct(st.st_mode & 0o7777)), (0, "0o440"))
        passwd = {l.split(":")[0]: l.split(":") for l in
                  Path(nss, "passwd").read_text().splitlines()}
        # The image's /etc/passwd holds ann's hashed uid: she gets the next.
        self.assertEqual(passwd["pcs-ann"][2], str(hashed(sub(1)) + 1))
        # The image's /etc/group has imgtools (4242); this host has none.
        self.assertIn("imgtools:x:4242:pcs-ben", Path(nss, "group").read_text().splitlines())
        self.assertEqual(systemstate.save(), host, "this host's files are untouched")

        # A user who loses access: under --root nothing of this host's is
        # ended, and the run says so.
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-ops")
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="pcs-ben",
                     GroupName="pcs-staff")
        r = run_sync(self.cfg, "--root", self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("lost access", r.stderr)
        self.assertIn("--root %s: no session ended and no cache area swept here" % self.root,
                      r.stderr)
        self.assertNotIn("pcs-ben", Path(nss, "passwd").read_text())
        self.assertNotIn("pcs-ben", Path(sudoers).read_text())
        self.assertEqual(systemstate.save(), host, "this host's files are untouched")

    def test_local_groups_without_the_group_merge_warn_naming_the_fix(self):
        # local_groups needs "group: files [SUCCESS=merge] extrausers" in
        # nsswitch.conf (below --root: the image's); without it the run
        # still writes the files but warns, also with -q, naming the fix.
        conf = Path(self.root, "etc/nsswitch.conf")
        fix = ": id, sudo and login do not see the local groups written; run " \
              "pam_cognito-nsswitch merge %s\n" % conf
        warn = "pam_cognito-sync: warning: local_groups is set, but "
        cases = (
            (None, "%s cannot be read: No such file or directory" % conf),
            ("passwd: files\ngroup: files systemd\n",
             "the group line of %s does not name extrausers" % conf),
            ("# group: files [SUCCESS=merge] extrausers\ngroup:  files extrausers\n",
             "the group line of %s has no [SUCCESS=merge] right before extrausers" % conf),
            ("group: files [SUCCESS=merge] systemd extrausers\n",
             "the group line of %s has no [SUCCESS=merge] right before extrausers" % conf),
            ("group: files [SUCCESS=merge] extrausers\n", None),
            ("group:\tfiles [NOTFOUND=return success=merge] extrausers # merged\n", None),
        )
        for text, why in cases:
            with self.subTest(text):
                if text is None:
                    self.assertFalse(conf.exists())
                else:
                    conf.write_text(text)
                r = run_sync(self.cfg, "-q", "--root", self.root)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("imgtools:x:4242:pcs-ben",
                              Path(self.root, "var/lib/extrausers/group").read_text())
                if why is None:
                    self.assertNotIn("warning", r.stderr)
                else:
                    self.assertEqual(r.stderr, warn + why + fix)
        # The fix it names does it.
        conf.write_text("passwd: files\ngroup: files\nshadow: files\n")
        tool = Path(__file__).resolve().parents[2] / "scripts/pam_cognito-nsswitch"
        subprocess.run([str(tool), "merge", str(conf)], check=True)
        r = run_sync(self.cfg, "-q", "--root", self.root)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        # Without local_groups there is nothing to warn about.
        conf.write_text("group: files\n")
        write_config(self.cfg, self.emu, nss_dir="/var/lib/extrausers",
                     cache_dir=os.path.join(self.tmp, "cache"))
        r = run_sync(self.cfg, "-q", "--root", self.root)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_root_must_be_an_absolute_directory(self):
        for root, why in (("image", "--root image: not an absolute path"),
                          (self.root + "/missing", "--root %s/missing: not a directory"
                           % self.root),
                          (self.root + "/etc/passwd", "--root %s/etc/passwd: not a directory"
                           % self.root)):
            r = run_sync(self.cfg, "--root", root)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertEqual(r.stderr, "pam_cognito-sync: %s\n" % why)
        r = run_sync(self.cfg, "--root", self.root, "--export", os.path.join(self.tmp, "x"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("--root is for a run that writes the files: not with --publish or "
                      "--export", r.stderr)
        self.assertFalse(os.path.exists(self.root + "/var/lib/extrausers"))


if __name__ == "__main__":
    import unittest
    unittest.main()
