"""pam_cognito-sync against a pool user who wants someone else's account
(issue 22 item 7): a uid set through an attribute, an attribute an app
client lets users write, an unverified email, a group that grants
privilege on the host, and an export carrying groups the host does not
sync. Real runs of the built tool against the emulator."""
import json
import os
import shutil
import unittest
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import (POOL, SyncCase, expire_client_check, hashed, key_env, make_root,
                        read_entries, run_sync, snapshot_dir, sub, write_config)


class TrustTest(SyncCase):
    prefix = "pc-sync-trust-"

    def config(self, **keys):
        write_config(self.cfg, self.emu, **dict({"nss_dir": self.nss}, **keys))

    def sync_ok(self, *args, **kw):
        r = run_sync(self.cfg, *args, **kw)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def passwd(self):
        return read_entries(os.path.join(self.nss, "passwd"))

    def groups(self):
        return read_entries(os.path.join(self.nss, "group"))

    def set_attr(self, user, name, value):
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username=user,
                     UserAttributes=[{"Name": name, "Value": value}])

    def new_client(self, name, **extra):
        return self.emu.idp("CreateUserPoolClient", UserPoolId=POOL, ClientName=name,
                            **extra)["UserPoolClient"]["ClientId"]

    # --- 1: a uid kept from the last run beats any uid_attribute ---

    def test_uid_attribute_cannot_take_a_kept_uid(self):
        self.config(uid_attribute="custom:uid")
        self.sync_ok()
        ann = self.passwd()["pcs-ann"]
        x = int(ann[2])
        self.assertEqual(x, hashed(sub(1)))
        ben_before = self.passwd()["pcs-ben"][2]
        # Ben (a synced user) and dan (a newcomer) both claim ann's uid.
        self.set_attr("pcs-ben", "custom:uid", str(x))
        self.set_attr("pcs-dan", "custom:uid", str(x))
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-dan",
                     GroupName="pcs-ops")
        r = self.sync_ok()
        pw = self.passwd()
        self.assertEqual(pw["pcs-ann"], ann)  # uid, private group and home unchanged
        self.assertEqual(self.groups()["pcs-ann"][2], str(x))
        self.assertEqual(pw["pcs-ben"][2], ben_before)
        self.assertNotEqual(pw["pcs-dan"][2], str(x))
        self.assertEqual(pw["pcs-dan"][2], str(hashed(sub(6))))
        self.assertEqual([e for e in pw.values() if e[2] == str(x)], [ann])
        self.assertIn("user pcs-dan: custom:uid %d refused: pcs-ann holds that id since "
                      "the last run; uid %d" % (x, hashed(sub(6))), r.stderr)
        self.assertIn("user pcs-ben: custom:uid %d refused: pcs-ann holds that id since "
                      "the last run; uid %s" % (x, ben_before), r.stderr)
        # A free attribute uid is still honoured for a newcomer ...
        self.set_attr("pcs-dan", "custom:uid", "250777")
        shutil.rmtree(self.nss)
        self.sync_ok()
        self.assertEqual(self.passwd()["pcs-dan"][2], "250777")
        # ... and the reserved block is never a uid.
        self.set_attr("pcs-ben", "custom:uid", "65534")
        r = self.sync_ok()
        self.assertIn("custom:uid '65534' is not a uid", r.stderr)

    # --- 2: an attribute an app client lets users write is no identity ---

    def test_writable_uid_attribute_fails_the_run(self):
        self.sync_ok()
        before = snapshot_dir(self.nss)
        self.config(uid_attribute="custom:uid")
        cid = self.new_client("self-service", WriteAttributes=["email", "custom:uid"])
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("app client self-service (%s) lets its users write custom:uid "
                      "(uid_attribute): a pool user could choose their own uid" % cid,
                      r.stderr)
        self.assertIn("left as they were", r.stderr)
        self.assertEqual(snapshot_dir(self.nss), before)
        stats = self.emu.control("Stats")["ByOperation"]
        self.assertGreaterEqual(stats.get("DescribeUserPoolClient", 0), 1)
        self.assertEqual(stats.get("ListUserPoolClients"), 1)
        # No export from such a pool either.
        out = os.path.join(self.tmp, "pool.json")
        r = run_sync(self.cfg, "--export", out)
        self.assertEqual(r.returncode, 1)
        self.assertFalse(os.path.exists(out))

    def test_client_without_write_attributes_writes_everything(self):
        self.config(uid_attribute="custom:uid")
        cid = self.new_client("defaults")
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("app client defaults (%s) lets its users write custom:uid "
                      "(uid_attribute), since it has no WriteAttributes list" % cid, r.stderr)
        self.assertFalse(os.path.exists(self.nss))
        # The same client is harmless when the sync trusts no attribute.
        self.config()
        self.emu.control("ResetStats")
        self.sync_ok()
        self.assertIn("pcs-ann", self.passwd())
        self.assertNotIn("DescribeUserPoolClient", self.emu.control("Stats")["ByOperation"])

    def test_writable_login_claim_fails_the_run(self):
        # login_claim_trusted is the administrator's word that no client
        # writes the claim; the sync checks that word against the pool.
        self.config(login_claim="preferred_username", login_claim_trusted=True)
        cid = self.new_client("profile", WriteAttributes=["preferred_username"])
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("app client profile (%s) lets its users write preferred_username "
                      "(login_claim)" % cid, r.stderr)
        # email as the login claim: the address is writable, its verified
        # flag must not be.
        self.config(login_claim="email", username_suffix="@example.com")
        self.emu.control("Reset")
        self.new_client("defaults")
        self.sync_ok()
        cid = self.new_client("verifier", WriteAttributes=["email", "email_verified"])
        expire_client_check(self.nss)  # caught when the last pass expires
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("app client verifier (%s) lets its users write email_verified "
                      "(login_claim's verified flag)" % cid, r.stderr)

    def test_failed_client_calls_fail_the_run(self):
        self.config(uid_attribute="custom:uid")
        for op, kind, words in (("ListUserPoolClients", "throttle", "TooManyRequestsException"),
                                ("DescribeUserPoolClient", "http500",
                                 "InternalErrorException")):
            with self.subTest(op):
                self.emu.control("ClearFaults")
                self.emu.control("SetFault", Operation=op, Kind=kind, Count=10)
                r = run_sync(self.cfg)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(op, r.stderr)
                self.assertIn(words, r.stderr)
                self.assertFalse(os.path.exists(self.nss))

    # --- 3: names from email only when the email is verified ---

    def test_unverified_email_names_nobody(self):
        self.config(login_claim="email", username_suffix="@example.com")
        self.sync_ok()
        ann = self.passwd()["pcs-ann"]
        # Ben writes ann's address into his own account (Cognito marks it
        # unverified), and cid's twin writes a new name.
        self.set_attr("pcs-ben", "email", "pcs-ann@example.com")
        self.set_attr("pcs-ben", "email_verified", "false")
        self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username="pcs-eve",
                     MessageAction="SUPPRESS",
                     UserAttributes=[{"Name": "email", "Value": "pcs-newname@example.com"}])
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-eve",
                     GroupName="pcs-staff")
        r = self.sync_ok()
        pw = self.passwd()
        self.assertEqual(pw["pcs-ann"], ann)
        self.assertNotIn("pcs-newname", pw)
        self.assertNotIn("pcs-ben", pw)
        self.assertIn("user pcs-ben left out: its email or phone_number is not verified",
                      r.stderr)
        self.assertIn("user pcs-eve left out: its email or phone_number is not verified",
                      r.stderr)
        self.assertNotIn("more than one pool user", r.stderr)
        # The export carries no unverified address.
        out = os.path.join(self.tmp, "pool.json")
        self.sync_ok("--export", out)
        text = Path(out).read_text()
        self.assertNotIn("pcs-newname", text)
        self.assertEqual(text.count("pcs-ann@example.com"), 1)

    # --- 4: no group that grants privilege on the host ---

    def test_privileged_groups_are_never_synced(self):
        # The sudoers of a --root: its sudoers.d, and an absolute include
        # read below the root too, as sudo in that system would read it.
        root = make_root(os.path.join(self.tmp, "root"), self.tmp)
        sudoers = os.path.join(root, "etc", "sudoers.d")
        Path(sudoers, "ops").write_text(
            "# %pcs-commented is not a rule\n"
            "%pcs-ops ALL=(ALL:ALL) ALL\n"
            "@include more\n"
            "@includedir /etc/sudoers.extra\n")
        Path(sudoers, "more").write_text(
            "Runas_Alias DB = %%:pcs-dbas\n"
            "%%#%d ALL=(ALL) NOPASSWD: ALL\n" % hashed(sub(1)))
        os.mkdir(os.path.join(root, "etc", "sudoers.extra"))
        Path(root, "etc", "sudoers.extra", "abs").write_text("%pcs-abs ALL=(ALL) ALL\n")
        for g in ("admin", "docker", "wheel", "pcs-dbas", "pcs-commented", "pcs-abs"):
            self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName=g)
        for name in ("admin", "lxd"):
            self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username=name,
                         MessageAction="SUPPRESS")
            self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username=name,
                         GroupName="pcs-staff")
        for g in ("admin", "docker", "wheel", "pcs-dbas", "pcs-commented", "pcs-ops",
                  "pcs-abs"):
            self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="pcs-ann",
                         GroupName=g)
        self.config(nss_groups=["pcs-staff", "pcs-ops", "admin", "docker", "wheel",
                                "pcs-dbas", "pcs-commented", "pcs-abs"])
        r = self.sync_ok("--root", root)
        gr = read_entries(root + self.nss + "/group")
        pw = read_entries(root + self.nss + "/passwd")
        for g in ("admin", "docker", "wheel", "pcs-ops", "pcs-dbas", "pcs-abs"):
            self.assertNotIn(g, gr)
            self.assertIn("group %s left out: it grants privilege on this host" % g, r.stderr)
        self.assertIn("pcs-commented", gr)
        for name in ("admin", "lxd"):
            self.assertNotIn(name, pw)
            self.assertIn("user %s left out: %s is a group that grants privilege on this host"
                          % (name, name), r.stderr)
        # %#gid of sudoers is never given out: ann's hashed uid moves on.
        self.assertEqual(pw["pcs-ann"][2], str(hashed(sub(1)) + 1))
        self.assertNotIn(str(hashed(sub(1))), [e[2] for e in gr.values()])
        # Without that root (this host's sudoers, which name none of these)
        # the built-in names still hold; pcs-ops and pcs-abs are back.
        self.assertFalse(os.path.exists(self.nss))
        r = self.sync_ok()
        gr = self.groups()
        self.assertIn("pcs-ops", gr)
        self.assertIn("pcs-abs", gr)
        for g in ("admin", "docker", "wheel"):
            self.assertNotIn(g, gr)

    # --- 5: --import applies nss_groups as a live run does ---

    def test_import_keeps_only_nss_groups(self):
        out = os.path.join(self.tmp, "pool.json")
        self.config(nss_groups=["pcs-staff", "pcs-ops", "pcs-other"])
        self.sync_ok("--export", out)
        self.assertIn("pcs-dan", Path(out).read_text())
        self.config(nss_groups=["pcs-staff"])
        env = key_env()
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(k)
        r = run_sync(self.cfg, "--import", out, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(self.passwd()), ["pcs-ann", "pcs-ben"])
        self.assertEqual(sorted(self.groups()), ["pcs-ann", "pcs-ben", "pcs-staff"])
        self.assertIn("group pcs-other of the export left out: not in nss_groups", r.stderr)
        # The same as a live run with that configuration.
        imported = {f: Path(self.nss, f).read_bytes() for f in ("passwd", "group", "shadow")}
        shutil.rmtree(self.nss)
        self.sync_ok()
        self.assertEqual({f: Path(self.nss, f).read_bytes()
                          for f in ("passwd", "group", "shadow")}, imported)
        # A synced group the export lacks is an error, like one the pool lacks.
        before = snapshot_dir(self.nss)
        doc = json.loads(Path(out).read_text())
        doc["Groups"] = [g for g in doc["Groups"] if g["GroupName"] != "pcs-staff"]
        Path(out).write_text(json.dumps(doc))
        r = run_sync(self.cfg, "--import", out, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("group pcs-staff (nss_groups) is not in the export", r.stderr)
        self.assertEqual(snapshot_dir(self.nss), before)


if __name__ == "__main__":
    unittest.main()
