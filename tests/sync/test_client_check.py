"""The app-client check (no client lets its users write an attribute the
sync trusts) is remembered for 3 to 4 hours instead of being made every
run: ListUserPoolClients and DescribeUserPoolClient fall in Cognito's
UserPoolClientRead category, whose quota a fleet checking every run
passes (docs/SCALE.md). Real runs of the built tool against the
emulator, counting the requests it receives."""
import os
import re
import time
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import POOL, SyncCase, run_sync, snapshot_dir, write_config

STATE = "pam_cognito-sync.clientcheck"
TTL = 4 * 3600
CLIENT_OPS = ("ListUserPoolClients", "DescribeUserPoolClient")


class ClientCheckTest(SyncCase):
    prefix = "pc-sync-clientcheck-"

    def config(self, **keys):
        write_config(self.cfg, self.emu, **dict({"nss_dir": self.nss}, **keys))

    def run_counted(self):
        self.emu.control("ResetStats")
        r = run_sync(self.cfg)
        ops = self.emu.control("Stats")["ByOperation"]
        return r, {op: ops.get(op, 0) for op in CLIENT_OPS + ("ListUsersInGroup",)}

    def state(self):
        return Path(self.nss, STATE)

    def test_second_run_makes_no_client_reads(self):
        self.config(uid_attribute="custom:uid")
        before = time.time()
        r, ops = self.run_counted()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(ops["ListUserPoolClients"], 1)
        self.assertGreaterEqual(ops["DescribeUserPoolClient"], 1)
        m = re.search(r"pam_cognito-sync: app clients checked; not again before (\d+)\n",
                      r.stderr)
        self.assertIsNotNone(m, r.stderr)
        expires = int(m.group(1))
        # Between 3 and 4 hours from now, jittered.
        self.assertTrue(before + TTL * 3 // 4 - 1 <= expires <= time.time() + TTL, expires)
        st = self.state().stat()
        self.assertEqual(st.st_mode & 0o777, 0o600)
        self.assertEqual(st.st_uid, os.geteuid())
        self.assertEqual(int(self.state().read_text().split()[0]), expires)

        r, ops = self.run_counted()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(ops, {"ListUserPoolClients": 0, "DescribeUserPoolClient": 0,
                               "ListUsersInGroup": 2})
        self.assertIn("app clients: the check that passed earlier stands until %d (no client "
                      "read this run)" % expires, r.stderr)
        self.assertRegex(r.stderr, r"pam_cognito-sync: 2 requests to http://")

    def test_a_config_change_checks_again(self):
        self.config(uid_attribute="custom:uid")
        self.assertEqual(self.run_counted()[0].returncode, 0)
        for keys in ({"uid_attribute": "custom:id"},
                     {"uid_attribute": "custom:id", "ssh_keys_attribute": "custom:ssh"},
                     {"uid_attribute": "custom:id", "ssh_keys_attribute": "custom:ssh",
                      "client_id": "otherclient0000000000000001"}):
            with self.subTest(keys):
                self.config(**keys)
                r, ops = self.run_counted()
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(ops["ListUserPoolClients"], 1, r.stderr)
                # ... and remembered again for the new settings.
                r, ops = self.run_counted()
                self.assertEqual(ops["ListUserPoolClients"], 0, r.stderr)

    def test_a_client_made_writable_is_caught_when_the_pass_expires(self):
        self.config(uid_attribute="custom:uid")
        self.assertEqual(self.run_counted()[0].returncode, 0)
        before = snapshot_dir(self.nss)
        cid = self.emu.idp("CreateUserPoolClient", UserPoolId=POOL, ClientName="self-service",
                           WriteAttributes=["email", "custom:uid"])["UserPoolClient"]["ClientId"]
        # At most 4 hours later (the pass written said when), the check
        # is made again and refuses the run; files as they were.
        expires, fp = self.state().read_text().split()
        self.assertLessEqual(int(expires), time.time() + TTL)
        self.state().write_text("%d %s\n" % (time.time() - 1, fp))
        r, ops = self.run_counted()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("app client self-service (%s) lets its users write custom:uid "
                      "(uid_attribute)" % cid, r.stderr)
        self.assertEqual(ops["ListUserPoolClients"], 1)
        self.assertEqual(ops["ListUsersInGroup"], 0)
        self.assertFalse(self.state().exists())  # a failed check leaves no pass
        self.assertEqual(snapshot_dir(self.nss), dict(
            (k, v) for k, v in before.items() if k != STATE))
        # Every later run checks again and fails until the client is fixed.
        r, ops = self.run_counted()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(ops["ListUserPoolClients"], 1)

    def test_a_pass_from_a_clock_set_back_is_not_trusted(self):
        self.config(uid_attribute="custom:uid")
        self.assertEqual(self.run_counted()[0].returncode, 0)
        _, fp = self.state().read_text().split()
        self.state().write_text("%d %s\n" % (time.time() + TTL + 3600, fp))
        r, ops = self.run_counted()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(ops["ListUserPoolClients"], 1)

    def test_an_export_checks_every_time_and_keeps_nothing(self):
        # An export (and a publisher, which every host trusts) checks on
        # every run and leaves nss_dir alone.
        self.config(uid_attribute="custom:uid")
        out = os.path.join(self.tmp, "pool.json")
        for _ in range(2):
            self.emu.control("ResetStats")
            r = run_sync(self.cfg, "--export", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(self.emu.control("Stats")["ByOperation"]["ListUserPoolClients"], 1)
        self.assertFalse(os.path.exists(self.nss))
