"""login_timeout: one budget of network time for a whole pam_sm_* call. A
server that answers every request just inside `timeout` cannot hold a login
for several timeouts; time spent at a prompt is the user's, not the
network's."""
import time
import unittest

from pamrun import EmulatorTest, POOL


class LoginTimeoutTest(EmulatorTest):
    def trickle(self, delay, count=20):
        # Every request answered after `delay` seconds, inside timeout=2.
        self.emu.control("SetFault", Operation="*", Kind="slow", Count=count,
                         DelaySeconds=delay)

    def stack(self, **over):
        from pamrun import Stack, base_config
        s = Stack(base_config(self.emu, **over))
        self.addCleanup(s.cleanup)
        return s

    def test_trickling_server_is_cut_at_login_timeout(self):
        # InitiateAuth and RespondToAuthChallenge take 1.2 s each: each is
        # inside timeout=2, together past login_timeout=2.
        self.trickle(1.2)
        start = time.monotonic()
        r = self.stack(timeout=2, login_timeout=2).run("alice", ["Alice-Passw0rd!"])
        took = time.monotonic() - start
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertLess(took, 5, "bounded by login_timeout, not 2 x timeout")
        self.assertTrue(any("login_timeout" in l for l in r.syslog), r.syslog)

    def test_same_trickle_within_a_larger_budget_succeeds(self):
        self.trickle(1.2)
        r = self.stack(timeout=2, login_timeout=10).run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_time_at_a_prompt_is_not_network_time(self):
        # The code prompt waits 3 s for the person; the network took well
        # under login_timeout=3.
        def slow_code(prompt):
            time.sleep(3)
            return self.emu.control("GetLastCode", UserPoolId=POOL, Username="smsuser")["Code"]
        r = self.stack(timeout=2, login_timeout=3).run("smsuser", ["Sms-Passw0rd1!", slow_code])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_default_is_30_seconds(self):
        # Documented default; a config without the key accepts it.
        r = self.stack().run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_out_of_range_is_refused(self):
        r = self.stack(login_timeout=0).run("alice", ["Alice-Passw0rd!"])
        self.assertEqual(r.code, "PAM_SERVICE_ERR", r)
        self.assertTrue(any("login_timeout" in l for l in r.syslog), r.syslog)


if __name__ == "__main__":
    unittest.main()
