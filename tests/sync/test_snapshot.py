"""The snapshot mode (issue 28): one publisher reads the pool and PUTs a
signed snapshot in an S3-compatible store (tests/sync/s3server.py, which
checks SigV4); hosts with snapshot_url fetch it and write the same files a
live sync writes. Every refusal keeps the files in place and exits 1."""
import base64
import json
import os
import subprocess
import time
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import (POOL, REGION, SyncCase, TEMP_KEY, key_env, make_root, read_entries,
                        run_sync, snapshot_dir, write_config)
from s3server import ConnectProxy, S3Server  # noqa: E402 (synccommon puts sigv4 on the path)

OBJECT = "/fleet-bucket/pam_cognito/snapshot.json"
MAGIC = b"pam_cognito-snapshot 2 ed25519 "


def ed25519_pair(d, name):
    priv, pub = os.path.join(d, name + ".key"), os.path.join(d, name + ".pub")
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", priv], check=True,
                   capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", priv, "-pubout", "-out", pub], check=True,
                   capture_output=True)
    os.chmod(priv, 0o600)
    os.chmod(pub, 0o644)
    return priv, pub


def resign(blob, priv, tmp, magic=MAGIC, **changes):
    """blob's document with changes, signed again with priv (the way a
    publisher would have signed it), under the header magic."""
    doc = json.loads(blob.split(b"\n", 1)[1])
    doc.update(changes)
    raw = json.dumps(doc).encode()
    path = os.path.join(tmp, "doc")
    Path(path).write_bytes(raw)
    sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", priv, "-rawin", "-in", path],
                         check=True, capture_output=True).stdout
    return magic + base64.b64encode(sig) + b"\n" + raw


class SnapshotTest(SyncCase):
    def setUp(self):
        super().setUp()
        self.s3 = S3Server().start()
        self.addCleanup(self.s3.stop)
        self.url = self.s3.url + OBJECT
        self.priv, self.pub = ed25519_pair(self.tmp, "signing")

    def host(self, name, **keys):
        """A host's config and nss_dir: snapshot_url, no usable Cognito
        endpoint (a call to it would fail the run)."""
        nss = os.path.join(self.tmp, name)
        cfg = os.path.join(self.tmp, name + ".conf")
        keys.setdefault("snapshot_public_key", self.pub)
        keys.setdefault("snapshot_url", self.url)
        write_config(cfg, self.emu, nss_dir=nss, **keys)
        text = Path(cfg).read_text().replace(self.emu.url, "http://127.0.0.1:9")
        Path(cfg).write_text(text)
        return cfg, nss

    def publish(self):
        r = run_sync(self.cfg, "--publish", self.url, "--signing-key", self.priv)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"snapshot serial \d+ \(\d+ bytes, 2 groups\) published to ")
        return self.s3.objects[OBJECT][0]

    def run_host(self, cfg, ok=True):
        r = run_sync(cfg)
        if ok:
            self.assertEqual(r.returncode, 0, r.stderr)
        else:
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("the previous files are left as they were", r.stderr)
        return r

    def test_publisher_and_hosts_converge_on_the_live_files(self):
        r = run_sync(self.cfg)  # a live sync, for comparison
        self.assertEqual(r.returncode, 0, r.stderr)
        blob = self.publish()
        self.assertTrue(blob.startswith(MAGIC))
        self.assertNotIn(b"Password", blob)
        for name in ("host1", "host2"):
            cfg, nss = self.host(name)
            r = self.run_host(cfg)
            self.assertIn("(1 request: GET), signature good", r.stderr)
            for f in ("passwd", "group", "shadow"):
                self.assertEqual(Path(nss, f).read_bytes(), Path(self.nss, f).read_bytes(), f)
            state = Path(nss, "pam_cognito-sync.snapshot")
            self.assertEqual(state.stat().st_mode & 0o777, 0o600)
        self.assertNotIn("pam_cognito-sync.snapshot", os.listdir(self.nss))

    def test_ssh_keys_and_sudo_rules_come_from_the_snapshot_as_from_a_live_read(self):
        attr = "custom:ssh_keys"
        self.emu.idp("AddCustomAttributes", UserPoolId=POOL, CustomAttributes=[
            {"Name": "ssh_keys", "AttributeDataType": "String", "Mutable": True}])
        kf = os.path.join(self.tmp, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", kf],
                       check=True, capture_output=True, timeout=60)
        key = " ".join(Path(kf + ".pub").read_text().split()[:2])
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username="pcs-ben",
                     UserAttributes=[{"Name": attr, "Value": key + " ben@laptop"}])
        fleet = dict(ssh_keys_attribute=attr, sudo_rules={"pcs-ops": "ALL=(ALL:ALL) ALL"})
        # Each with a --root of its own: its sudoers file and nss_dir there.
        live_root = make_root(os.path.join(self.tmp, "live-root"), self.tmp)
        live_sudo = live_root + "/etc/sudoers.d/pam_cognito"
        write_config(self.cfg, self.emu, nss_dir=self.nss, **fleet)
        r = run_sync(self.cfg, "--root", live_root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.publish()
        cfg, nss = self.host("host", **fleet)
        host_root = make_root(os.path.join(self.tmp, "host-root"), self.tmp)
        host_sudo = host_root + "/etc/sudoers.d/pam_cognito"
        r = run_sync(cfg, "--root", host_root)
        self.assertEqual(r.returncode, 0, r.stderr)
        live_key, host_key = Path(live_root + self.nss, "ssh", "pcs-ben"), Path(
            host_root + nss, "ssh", "pcs-ben")
        self.assertTrue(live_key.exists(), r.stderr)
        self.assertEqual(host_key.read_text(), live_key.read_text())
        self.assertIn(key, host_key.read_text())
        self.assertEqual(Path(host_sudo).read_text(), Path(live_sudo).read_text())
        self.assertIn("pcs-ben", Path(host_sudo).read_text())

    def test_a_host_with_another_uid_attribute_refuses_the_snapshot(self):
        """The publisher's settings are signed into the snapshot; a host
        whose uid_attribute (or pool, login_claim, ssh_keys_attribute)
        differs would read its uids from another attribute's meaning: it
        refuses, names the key and both values, and keeps its files."""
        for name, uid in (("pcs-ann", "250123"), ("pcs-ben", "250456")):
            self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username=name,
                         UserAttributes=[{"Name": "custom:uid", "Value": uid}])
        write_config(self.cfg, self.emu, nss_dir=self.nss, uid_attribute="custom:uid")
        blob = self.publish()
        doc = json.loads(blob.split(b"\n", 1)[1])
        self.assertEqual(doc["Settings"], {"user_pool_id": POOL, "login_claim": "cognito:username",
                                           "uid_attribute": "custom:uid",
                                           "ssh_keys_attribute": None})
        # Same settings: applied as before, uids from custom:uid.
        cfg, nss = self.host("host", uid_attribute="custom:uid")
        self.run_host(cfg)
        self.assertEqual(read_entries(os.path.join(nss, "passwd"))["pcs-ann"][2], "250123")
        before = snapshot_dir(nss)
        self.publish()  # a new serial: the refusal is not a 304
        for keys, key, theirs, mine in (
                (dict(uid_attribute="custom:employee"), "uid_attribute", '"custom:uid"',
                 '"custom:employee"'),
                ({}, "uid_attribute", '"custom:uid"', "not set"),
                (dict(uid_attribute="custom:uid", login_claim="email"), "login_claim",
                 '"cognito:username"', '"email"'),
                (dict(uid_attribute="custom:uid", ssh_keys_attribute="custom:ssh_keys"),
                 "ssh_keys_attribute", "not set", '"custom:ssh_keys"'),
                (dict(uid_attribute="custom:uid", user_pool_id=REGION + "_0ther9001"),
                 "user_pool_id", '"%s"' % POOL, '"%s_0ther9001"' % REGION)):
            with self.subTest(key=key, mine=mine):
                cfg, _ = self.host("host", **keys)
                r = self.run_host(cfg, ok=False)
                self.assertIn("the snapshot was published with %s %s, this host has %s %s: "
                              "refused" % (key, theirs, key, mine), r.stderr)
                self.assertEqual(snapshot_dir(nss), before)

    def test_a_format_1_snapshot_is_refused(self):
        """Format 1 (a publisher older than the host) names no settings:
        the host cannot tell which attributes its uids came from."""
        blob = self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        before = snapshot_dir(nss)
        doc = json.loads(blob.split(b"\n", 1)[1])
        del doc["Settings"]
        old = resign(b"x\n" + json.dumps(doc).encode(), self.priv, self.tmp,
                     magic=b"pam_cognito-snapshot 1 ed25519 ", Serial=doc["Serial"] + 1)
        self.s3.objects[OBJECT] = (old, '"format-1"')
        r = self.run_host(cfg, ok=False)
        self.assertIn("the snapshot is of format 1, from a publisher older than this host: it "
                      "does not name the settings it was read with; refused (upgrade the "
                      "publisher)", r.stderr)
        self.assertEqual(snapshot_dir(nss), before)
        # Format 2 without Settings, signed: refused as well.
        self.s3.objects[OBJECT] = (resign(b"x\n" + json.dumps(doc).encode(), self.priv,
                                          self.tmp, Serial=doc["Serial"] + 2), '"no-settings"')
        r = self.run_host(cfg, ok=False)
        self.assertIn("the snapshot has no Settings object", r.stderr)
        self.assertEqual(snapshot_dir(nss), before)

    def test_unchanged_snapshot_is_a_304_and_changes_nothing(self):
        """A 304 applies the kept copy again (issue 28 left this host's own
        configuration unapplied until the next publish): same bytes in
        every file, one GET."""
        self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        kept = Path(nss, "pam_cognito-sync.snapshot.kept")
        st = kept.stat()
        self.assertEqual((st.st_mode & 0o777, st.st_uid), (0o600, 0))
        self.assertEqual(kept.read_bytes(), self.s3.objects[OBJECT][0])
        before = snapshot_dir(nss)
        del self.s3.requests[:]
        time.sleep(1.1)  # a later second than the publisher's read
        r = self.run_host(cfg)
        self.assertIn("unchanged (1 request: GET, 304 Not Modified): the kept copy applied "
                      "again, signature good", r.stderr)
        self.assertEqual([(m, s) for m, _p, s in self.s3.requests], [("GET", 304)])
        self.assertEqual({f: b for f, (b, _ino) in snapshot_dir(nss).items()},
                         {f: b for f, (b, _ino) in before.items()})
        # The state says when Cognito was read: the publisher's read, not
        # this host's apply (a kept copy is no fresher the second time).
        doc = json.loads(kept.read_bytes().split(b"\n", 1)[1])
        header = Path(nss, "pam_cognito-sync.state").read_text().splitlines()[0]
        self.assertEqual(header, "# pam_cognito-sync state, written %d" % doc["Time"])

    def test_a_304_applies_the_hosts_changed_configuration(self):
        """The publisher does not change; the host's administrator removes a
        sudo rule and a local group: the next run (a 304) applies both."""
        self.publish()
        rules = {"pcs-ops": "ALL=(ALL:ALL) ALL",
                 "pcs-staff": "ALL=(root) NOPASSWD: /usr/bin/systemctl status"}
        cfg, nss = self.host("host", sudo_rules=rules, local_groups={"pcs-ops": ["users"]})
        root = make_root(os.path.join(self.tmp, "root"), self.tmp)
        sudoers = Path(root + "/etc/sudoers.d/pam_cognito")
        r = run_sync(cfg, "--root", root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("pcs-ann ALL=(root) NOPASSWD: /usr/bin/systemctl status",
                      sudoers.read_text())
        group = Path(root + nss, "group")
        self.assertIn("users:x:100:pcs-ben", group.read_text().splitlines())
        cfg, _ = self.host("host", sudo_rules={"pcs-ops": rules["pcs-ops"]})
        del self.s3.requests[:]
        r = run_sync(cfg, "--root", root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([s for _m, _p, s in self.s3.requests], [304])
        self.assertIn("304 Not Modified): the kept copy applied again", r.stderr)
        self.assertNotIn("pcs-staff", sudoers.read_text())
        self.assertNotIn("systemctl", sudoers.read_text())
        self.assertIn("pcs-ben ALL=(ALL:ALL) ALL", sudoers.read_text())
        self.assertFalse([l for l in group.read_text().splitlines() if l.startswith("users:")])
        # No sudo rule left: the sudoers file goes, still on a 304.
        cfg, _ = self.host("host")
        r = run_sync(cfg, "--root", root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(sudoers.exists())

    def test_a_tampered_kept_copy_is_refused_and_files_stay(self):
        blob = self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        kept = Path(nss, "pam_cognito-sync.snapshot.kept")
        kept.write_bytes(blob.replace(b"pcs-ann", b"pcs-evl"))
        before = snapshot_dir(nss)
        r = self.run_host(cfg, ok=False)
        self.assertIn("304 Not Modified, the kept copy: ", r.stderr)
        self.assertIn("signature does not verify", r.stderr)
        self.assertEqual(snapshot_dir(nss), before)
        # Loosened (or a link): not read at all.
        kept.write_bytes(blob)
        kept.chmod(0o644)
        r = self.run_host(cfg, ok=False)
        self.assertIn("%s: not a file of this user's with mode 0600" % kept, r.stderr)
        # Another snapshot of the same key, not the one applied last: refused.
        doc = json.loads(blob.split(b"\n", 1)[1])
        kept.write_bytes(resign(blob, self.priv, self.tmp, Serial=doc["Serial"] + 5))
        kept.chmod(0o600)
        r = self.run_host(cfg, ok=False)
        self.assertIn("the kept copy in %s has serial %d, not the %d applied last"
                      % (nss, doc["Serial"] + 5, doc["Serial"]), r.stderr)
        # Gone (a state of an older version): the GET is not conditional.
        kept.unlink()
        del self.s3.requests[:]
        r = self.run_host(cfg)
        self.assertEqual([s for _m, _p, s in self.s3.requests], [200])
        self.assertEqual(kept.read_bytes(), blob)

    def test_a_host_whose_uid_attribute_changed_refuses_the_kept_copy(self):
        self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        before = snapshot_dir(nss)
        cfg, _ = self.host("host", uid_attribute="custom:uid")
        r = self.run_host(cfg, ok=False)
        self.assertEqual([s for _m, _p, s in self.s3.requests][-1], 304)
        self.assertIn("304 Not Modified, the kept copy: ", r.stderr)
        self.assertIn("the snapshot was published with uid_attribute not set, this host has "
                      'uid_attribute "custom:uid": refused', r.stderr)
        self.assertEqual(snapshot_dir(nss), before)

    def test_tampered_snapshot_is_refused(self):
        blob = self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        before = snapshot_dir(nss)
        self.s3.objects[OBJECT] = (blob.replace(b"pcs-ann", b"pcs-evl"), '"tampered"')
        r = self.run_host(cfg, ok=False)
        self.assertIn("signature does not verify", r.stderr)
        self.assertEqual(snapshot_dir(nss), before)

    def test_snapshot_signed_with_another_key_is_refused(self):
        self.publish()
        _priv, other = ed25519_pair(self.tmp, "other")
        cfg, nss = self.host("host", snapshot_public_key=other)
        r = self.run_host(cfg, ok=False)
        self.assertIn("signature does not verify with %s" % other, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(nss, "passwd")))

    def test_lower_serial_is_refused(self):
        old = self.publish()
        time.sleep(0.01)
        self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        before = snapshot_dir(nss)
        self.s3.objects[OBJECT] = (old, '"old"')
        r = self.run_host(cfg, ok=False)
        self.assertRegex(r.stderr, r"has serial \d+, lower than the \d+ applied last: "
                                   r"refused \(no rollback\)")
        self.assertEqual(snapshot_dir(nss), before)

    def test_a_publisher_clock_that_went_back_does_not_stall_hosts(self):
        """The serial never goes back: the publisher keeps the last one it
        published in <nss_dir>/pam_cognito-sync.published (root's, 0600)
        and publishes max(clock, last + 1). The clock going back is faked
        by that file: a serial an hour ahead, as a clock an hour fast would
        have published, and hosts that applied it."""
        blob = self.publish()
        first = json.loads(blob.split(b"\n", 1)[1])["Serial"]
        state = Path(self.nss, "pam_cognito-sync.published")
        self.assertEqual(state.read_text(), "%d\n" % first)
        st = state.stat()
        self.assertEqual((st.st_mode & 0o777, st.st_uid), (0o600, 0))
        cfg, nss = self.host("host")
        self.run_host(cfg)
        ahead = first + 3600 * 1000
        state.write_text("%d\n" % ahead)
        Path(nss, "pam_cognito-sync.snapshot").write_text("%d %d -\n" % (ahead, time.time()))
        blob = self.publish()
        self.assertEqual(json.loads(blob.split(b"\n", 1)[1])["Serial"], ahead + 1)
        self.assertEqual(state.read_text(), "%d\n" % (ahead + 1))
        r = self.run_host(cfg)
        self.assertIn("snapshot serial %d of %s (1 request: GET), signature good"
                      % (ahead + 1, self.url), r.stderr)
        # A state file that is not a serial, or not kept private: nothing
        # is read or published.
        for text, mode, why in (("soon\n", 0o600, "malformed (one serial"),
                                ("%d\n" % ahead, 0o644, "not a file of this user's with "
                                                        "mode 0600")):
            state.write_text(text)
            state.chmod(mode)
            self.emu.control("Reset")
            del self.s3.requests[:]
            r = run_sync(self.cfg, "--publish", self.url, "--signing-key", self.priv)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("%s: %s" % (state, why), r.stderr)
            self.assertIn("; nothing was read or published", r.stderr)
            self.assertEqual(self.emu.control("Stats")["ByOperation"], {})
            self.assertEqual(self.s3.requests, [])

    def test_stale_snapshot_is_refused_and_files_stay(self):
        blob = self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        before = snapshot_dir(nss)
        doc = json.loads(blob.split(b"\n", 1)[1])
        stale = resign(blob, self.priv, self.tmp, Serial=doc["Serial"] + 1,
                       Time=int(time.time()) - 86400 - 60)
        self.s3.objects[OBJECT] = (stale, '"stale"')
        r = self.run_host(cfg, ok=False)
        self.assertRegex(r.stderr, r"is 864\d\d seconds old, older than snapshot_max_age "
                                   r"\(86400\): is the publisher running\?")
        self.assertEqual(snapshot_dir(nss), before)

    def test_a_304_copy_also_ages(self):
        blob = self.publish()
        doc = json.loads(blob.split(b"\n", 1)[1])
        self.s3.objects[OBJECT] = (resign(blob, self.priv, self.tmp,
                                          Time=int(time.time()) - 100), '"young"')
        cfg, nss = self.host("host", snapshot_max_age=150)
        self.run_host(cfg)
        before = snapshot_dir(nss)
        cfg2, _ = self.host("host", snapshot_max_age=60)  # same nss_dir, stricter
        r = self.run_host(cfg2, ok=False)
        self.assertIn("older than snapshot_max_age (60)", r.stderr)
        self.assertEqual([s for _m, _p, s in self.s3.requests][-1], 304)
        self.assertEqual(snapshot_dir(nss), before)
        self.assertIn("Serial", doc)

    def test_store_unreachable_or_refusing_keeps_the_files(self):
        self.publish()
        cfg, nss = self.host("host")
        self.run_host(cfg)
        self.publish()  # something new to fetch
        before = snapshot_dir(nss)
        self.s3.down = True
        r = self.run_host(cfg, ok=False)
        self.assertIn("GET answered HTTP 503", r.stderr)
        self.s3.down = False
        r = run_sync(cfg, env=key_env(TEMP_KEY, AWS_SESSION_TOKEN="wrong-token"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("GET answered HTTP 403", r.stderr)
        self.assertEqual(snapshot_dir(nss), before)
        # Nothing listening at all.
        Path(cfg).write_text(Path(cfg).read_text().replace(self.s3.url, "http://127.0.0.1:9"))
        r = self.run_host(cfg, ok=False)
        self.assertIn("http://127.0.0.1:9%s: Couldn't connect to server" % OBJECT, r.stderr)
        self.assertEqual(snapshot_dir(nss), before)

    def test_session_token_is_signed(self):
        r = run_sync(self.cfg, "--publish", self.url, "--signing-key", self.priv,
                     env=key_env(TEMP_KEY))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_signing_key_not_kept_private_is_refused_before_any_request(self):
        """--signing-key is held as ssh holds a private key: a regular file
        of root's (or of whoever runs the tool), no access for group or
        others. A refused key names the file and the mode, and costs no
        request to Cognito or the store."""
        fifo = os.path.join(self.tmp, "fifo.key")
        os.mkfifo(fifo, 0o600)
        keydir = os.path.join(self.tmp, "keydir")
        os.mkdir(keydir, 0o700)
        cases = [
            (0o640, 0, self.priv, "%s: the signing key has mode 0640: group or others may "
                                  "read or write it (chmod 600)" % self.priv),
            (0o604, 0, self.priv, "%s: the signing key has mode 0604" % self.priv),
            (0o620, 0, self.priv, "%s: the signing key has mode 0620" % self.priv),
            (0o600, 65534, self.priv, "%s: the signing key is owned by uid 65534, not by "
                                      "root or by uid 0 who runs this" % self.priv),
            (None, 0, keydir, "%s: the signing key is not a regular file" % keydir),
            (None, 0, fifo, "%s: the signing key is not a regular file" % fifo),
        ]
        for mode, uid, path, why in cases:
            if mode is not None:
                os.chmod(path, mode)
                os.chown(path, uid, 0)
            self.emu.control("Reset")
            del self.s3.requests[:]
            r = run_sync(self.cfg, "--publish", self.url, "--signing-key", path, timeout=20)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("pam_cognito-sync: --signing-key: " + why, r.stderr)
            self.assertIn("; nothing was read or published", r.stderr)
            self.assertEqual(self.emu.control("Stats")["ByOperation"], {})
            self.assertEqual(self.s3.requests, [])
        # Back to 0600 and root's: it signs.
        os.chmod(self.priv, 0o600)
        os.chown(self.priv, 0, 0)
        self.publish()

    def test_an_object_key_that_needs_encoding_is_published_and_fetched(self):
        """A key with a space, '+', '=', '%' and UTF-8: the path is sent as
        SigV4 signs it for S3 (each segment percent-encoded once), so the
        store checks the signature and files the object under that key."""
        key = "/fleet-bucket/pam cognito/snap+shot=1 50% \u00e9~.json"
        wire = "/fleet-bucket/pam%20cognito/snap%2Bshot%3D1%2050%25%20%C3%A9~.json"
        # As an administrator writes it in a URL: space and % escaped, the
        # rest as it is.
        url = self.s3.url + "/fleet-bucket/pam%20cognito/snap+shot=1%2050%25%20\u00e9~.json"
        r = run_sync(self.cfg, "--publish", url, "--signing-key", self.priv)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("published to %s" % url, r.stderr)
        self.assertEqual(self.s3.requests, [("PUT", wire, 200)])
        self.assertEqual(list(self.s3.objects), [key])
        # Hosts: the same URL, and the same key spelt otherwise (lower-case
        # hex, '+' escaped): one object, signature good, then a 304.
        other = self.s3.url + "/fleet-bucket/pam%20cognito/snap%2bshot%3d1%2050%25%20%c3%a9~.json"
        for name, host_url in (("host1", url), ("host2", other)):
            del self.s3.requests[:]
            cfg, nss = self.host(name, snapshot_url=host_url)
            # json.dumps escapes the UTF-8 that libconfig takes as it is.
            Path(cfg).write_text(Path(cfg).read_text().replace("\\u00e9", "\u00e9"))
            r = self.run_host(cfg)
            self.assertIn("signature good", r.stderr)
            self.assertTrue(Path(nss, "passwd").exists())
            r = self.run_host(cfg)
            self.assertIn("304 Not Modified", r.stderr)
            self.assertEqual(self.s3.requests, [("GET", wire, 200), ("GET", wire, 304)])

    def test_an_s3_key_that_needs_encoding_is_published_and_fetched(self):
        """s3://bucket/key with a space, '+', '=', '%' and UTF-8 in the key,
        through the bucket's real name: an HTTPS store (certificate for
        fleet-bucket.s3.us-east-1.amazonaws.com, ca_file) reached through a
        CONNECT proxy (https_proxy), as an administrator's proxy would."""
        host = "fleet-bucket.s3.%s.amazonaws.com" % REGION
        cert, tls_key = os.path.join(self.tmp, "s3.crt"), os.path.join(self.tmp, "s3.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=" + host,
                        "-addext", "subjectAltName=DNS:" + host, "-keyout", tls_key,
                        "-out", cert], check=True, capture_output=True)
        store = S3Server(tls=(cert, tls_key)).start()
        self.addCleanup(store.stop)
        proxy = ConnectProxy(int(store.url.rsplit(":", 1)[1])).start()
        self.addCleanup(proxy.stop)
        env = key_env(https_proxy=proxy.url, HTTPS_PROXY=None, no_proxy=None, NO_PROXY=None)
        url = "s3://fleet-bucket/pam cognito/snap+shot=1 50% \u00e9~.json"
        wire = "/pam%20cognito/snap%2Bshot%3D1%2050%25%20%C3%A9~.json"
        write_config(self.cfg, self.emu, nss_dir=self.nss, ca_file=cert)
        r = run_sync(self.cfg, "--publish", url, "--signing-key", self.priv, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(store.requests, [("PUT", wire, 200)])
        self.assertEqual(list(store.objects), ["/pam cognito/snap+shot=1 50% \u00e9~.json"])
        self.assertEqual(proxy.hosts, [host + ":443"])
        del store.requests[:]
        cfg, nss = self.host("host", snapshot_url=url, ca_file=cert)
        Path(cfg).write_text(Path(cfg).read_text().replace("\\u00e9", "\u00e9"))
        r = run_sync(cfg, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("of %s (1 request: GET), signature good" % url, r.stderr)
        self.assertTrue(Path(nss, "passwd").exists())
        self.assertEqual(store.requests, [("GET", wire, 200)])

    def test_a_publish_url_that_names_no_object_is_refused_before_any_request(self):
        for url in ("s3://fleet-bucket/a/../b.json", "s3://fleet-bucket/a\tb",
                    "s3://fleet-bucket/", "ftp://x/y"):
            self.emu.control("Reset")
            r = run_sync(self.cfg, "--publish", url, "--signing-key", self.priv)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("pam_cognito-sync: --publish %s: expected s3://bucket/key (no . or "
                          ".. segment, no control character)" % url, r.stderr)
            self.assertEqual(self.emu.control("Stats")["ByOperation"], {})
        self.assertEqual(self.s3.requests, [])

    def test_config_needs_the_public_key(self):
        cfg = os.path.join(self.tmp, "nokey.conf")
        write_config(cfg, self.emu, nss_dir=self.nss, snapshot_url=self.url)
        r = run_sync(cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("snapshot_url: needs snapshot_public_key", r.stderr)
        write_config(cfg, self.emu, nss_dir=self.nss, snapshot_url="ftp://x/y",
                     snapshot_public_key=self.pub)
        r = run_sync(cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("snapshot_url", r.stderr)
