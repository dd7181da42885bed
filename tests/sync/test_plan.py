"""pam_cognito-sync --plan: the fleet budget a person reads before sizing a
fleet (docs/SCALE.md's table comes from these numbers)."""
import re
import subprocess
import unittest
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import TOOL


def plan(*args):
    return subprocess.run([TOOL, "--plan", *map(str, args)], capture_output=True,
                          text=True, timeout=10)


def rate(out, section, what):
    """The req/s of line `what` under the header starting with `section`."""
    part = out.split(section, 1)[1]
    m = re.search(re.escape(what) + r"\s+([0-9.]+) req/s(.*)", part)
    return float(m.group(1)), m.group(2)


TIMER = Path(__file__).resolve().parents[2] / "conf/systemd/pam_cognito-sync.timer"


class TimerTest(unittest.TestCase):
    """--plan's rate assumes the hosts spread over the whole interval, and
    the back-off's first wait assumes a 15-minute interval."""

    def test_timer_spreads_hosts_over_the_whole_interval_each_at_a_fixed_moment(self):
        keys = dict(line.split("=", 1) for line in TIMER.read_text().splitlines()
                    if "=" in line and not line.startswith("#"))
        self.assertEqual(keys["OnCalendar"], "*:0/15")
        self.assertEqual(keys["RandomizedDelaySec"], "15min")
        self.assertEqual(keys["FixedRandomDelay"], "yes")
        self.assertNotIn("OnUnitActiveSec", keys)  # the delay must not add to the interval
        # systemd here (Debian 12: 252) knows every key: no "Unknown key".
        r = subprocess.run(["systemd-analyze", "verify", str(TIMER)], capture_output=True,
                           text=True, timeout=30)
        self.assertNotIn("Unknown", r.stderr)
        self.assertNotIn("nknown key", r.stdout + r.stderr)
        r = subprocess.run(["systemd-analyze", "calendar", "--iterations=2", keys["OnCalendar"]],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("*-*-* *:00/15:00", r.stdout)


class PlanTest(unittest.TestCase):
    def test_ten_thousand_hosts_every_15_minutes_are_over_the_userlist_quota(self):
        r = plan(10000, "15m")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("10 ListUsersInGroup (pages of 60)", r.stdout)
        direct, note = rate(r.stdout, "direct mode", "ListUsersInGroup (UserList category)")
        self.assertAlmostEqual(direct, 111.111, places=3)
        self.assertIn("370.4% of the UserList quota (30 req/s)  OVER QUOTA", note)
        self.assertNotIn("ListGroups", r.stdout)  # the sync no longer calls it
        snap, note = rate(r.stdout, "snapshot mode", "ListUsersInGroup (UserList category)")
        self.assertAlmostEqual(snap, 0.011, places=3)
        self.assertNotIn("OVER", note)
        s3, note = rate(r.stdout, "snapshot mode", "S3 GET of the snapshot")
        self.assertAlmostEqual(s3, 11.111, places=3)
        self.assertIn("of S3's GET rate per prefix (5500 req/s)", note)

    def test_client_reads_are_compared_with_the_userpoolclientread_quota(self):
        # 10,000 hosts every 15 min, 1 client (2 reads a check): a pass is
        # kept at least 3 h, so 20,000 reads per 10,800 s; only the interval
        # after a fleet-wide change (or a fleet's first run) checks every host.
        r = plan(10000, "15m")
        self.assertIn("2 client reads (ListUserPoolClients, DescribeUserPoolClient) when it "
                      "checks the app clients: on a host's first run, after a change of the "
                      "pool, client or trusted attributes, then every 3 to 4 h", r.stdout)
        kept, note = rate(r.stdout, "direct mode", "client reads (UserPoolClientRead), a pass kept")
        self.assertAlmostEqual(kept, 1.852, places=3)
        self.assertEqual(note.strip(), "12.3% of the UserPoolClientRead quota (15 req/s)")
        burst, note = rate(r.stdout, "direct mode", "client reads in the interval after a change")
        self.assertAlmostEqual(burst, 22.222, places=3)
        self.assertIn("148.1% of the UserPoolClientRead quota (15 req/s)  OVER QUOTA", note)
        pub, note = rate(r.stdout, "snapshot mode", "client reads (UserPoolClientRead), every run")
        self.assertAlmostEqual(pub, 0.002, places=3)
        # Runs further apart than a pass is kept check every run.
        r = plan(100, "6h")
        kept, _ = rate(r.stdout, "direct mode", "client reads (UserPoolClientRead), a pass kept")
        self.assertAlmostEqual(kept, 100 * 2 / 21600, places=3)

    def test_hundred_hosts_stay_inside(self):
        r = plan(100, 900)
        self.assertEqual(r.returncode, 0, r.stderr)
        direct, note = rate(r.stdout, "direct mode", "ListUsersInGroup (UserList category)")
        self.assertAlmostEqual(direct, 1.111, places=3)
        self.assertNotIn("OVER", r.stdout)

    def test_members_groups_and_clients_change_the_pages(self):
        # 2 groups of 61 members: 2 pages each; 3 clients: 4 client reads.
        r = plan(60, "1m", 61, 2, 3)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("one direct run: 4 ListUsersInGroup (pages of 60), 4 client reads",
                      r.stdout)
        direct, _ = rate(r.stdout, "direct mode", "ListUsersInGroup (UserList category)")
        self.assertAlmostEqual(direct, 4.0, places=3)
        r = plan(60, "1h", 10, 1, 0)
        self.assertIn("0 client reads", r.stdout)

    def test_bad_numbers_are_refused(self):
        for args in ((0, 900), (100, "15x"), (100, "-5"), ("ten", 900), (100,)):
            r = plan(*args)
            self.assertEqual(r.returncode, 1, args)
            self.assertEqual(r.stdout, "")
            self.assertIn("pam_cognito-sync: ", r.stderr)


if __name__ == "__main__":
    unittest.main()
