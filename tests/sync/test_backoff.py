"""A run Cognito throttles makes the next direct reads wait (issue 28
item 2): the state is root-only in nss_dir, a waiting run makes no request
and keeps the files, a good read clears it; every run says how many
requests it made."""
import os
import re
import time
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import SyncCase, run_sync, snapshot_dir

STATE = "pam_cognito-sync.backoff"


class BackoffTest(SyncCase):
    def test_throttled_run_backs_off_then_recovers(self):
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, r"pam_cognito-sync: 2 requests to http://127\.0\.0\.1:\d+")
        before = snapshot_dir(self.nss)
        self.emu.control("SetFault", Operation="ListUsersInGroup", Kind="throttle", Count=10)
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("TooManyRequestsException", r.stderr)
        m = re.search(r"throttled: no direct read before (\d+) \((\d+) s\)", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        # The first pause covers the next timer run (every 15 min, AccuracySec
        # 1 min): it skips at least that one, and at most two.
        self.assertTrue(15 * 60 + 60 < int(m.group(2)) <= 15 * 60 * 3 // 2 + 120, m.group(2))
        self.assertIn("requests to Cognito before the failure", r.stderr)
        state = Path(self.nss, STATE)
        self.assertEqual(state.stat().st_mode & 0o777, 0o600)
        self.assertEqual(snapshot_dir(self.nss), dict(before, **{STATE: snapshot_dir(self.nss)[STATE]}))

        # The next run waits: no request at all, files kept, and it exits
        # EX_TEMPFAIL (75), saying until when, even with -q: a timer unit
        # must not look healthy while the files age.
        self.emu.control("ClearFaults")
        self.emu.control("Reset")
        kept = snapshot_dir(self.nss)
        until = int(state.read_text().split()[0])
        for quiet in ((), ("-q",)):
            r = run_sync(self.cfg, *quiet)
            self.assertEqual(r.returncode, 75, r.stderr)
            self.assertRegex(r.stderr, r"^pam_cognito-sync: backing off after Cognito throttled "
                             r"an earlier run: no request before %s \(%d, in \d+ s\); the "
                             r"files in place stay as they are \(exit 75\)\n$" % (
                                 re.escape(time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                                         time.gmtime(until))), until))
            self.assertEqual(self.emu.control("Stats")["ByOperation"], {})
            self.assertEqual(snapshot_dir(self.nss), kept)
        # A second throttle doubles the wait (30 min, jittered: 32..47 min).
        until, level = state.read_text().split()
        state.write_text("%d %s\n" % (time.time() - 1, level))
        self.emu.control("SetFault", Operation="ListUsersInGroup", Kind="throttle", Count=10)
        r = run_sync(self.cfg)
        m = re.search(r"throttled: no direct read before \d+ \((\d+) s\)", r.stderr)
        self.assertTrue(30 * 60 + 120 <= int(m.group(1)) <= 45 * 60 + 120, r.stderr)
        self.assertEqual(state.read_text().split()[1], "1")

        # Once the time has come, a good read clears the state.
        self.emu.control("ClearFaults")
        state.write_text("%d 1\n" % (time.time() - 1))
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(state.exists())

    def test_the_pause_stops_doubling_at_six_hours(self):
        # Many throttled runs in a row: the pause is at most 6 h (and, with
        # its jitter below the cap, not under 5 h 15 min), never more.
        os.makedirs(self.nss, mode=0o755)
        state = Path(self.nss, STATE)
        self.emu.control("SetFault", Operation="ListUsersInGroup", Kind="throttle", Count=100)
        for level in (4, 5, 40):
            state.write_text("%d %d\n" % (time.time() - 1, level))
            os.chmod(state, 0o600)
            r = run_sync(self.cfg)
            self.assertEqual(r.returncode, 1, r.stderr)
            m = re.search(r"throttled: no direct read before \d+ \((\d+) s\)", r.stderr)
            self.assertIsNotNone(m, r.stderr)
            self.assertTrue(6 * 3600 - 6 * 3600 // 8 <= int(m.group(1)) <= 6 * 3600, r.stderr)
            self.assertEqual(state.read_text().split()[1], str(level + 1))

    def test_a_state_file_others_can_write_is_refused(self):
        os.makedirs(self.nss, mode=0o755)
        state = Path(self.nss, STATE)
        state.write_text("%d 0\n" % (time.time() + 600))
        os.chmod(state, 0o666)
        r = run_sync(self.cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a file of this user's with mode 0600", r.stderr)
