"""A server that is down, slow, throttling or answering garbage: every case
fails closed (never PAM_SUCCESS), quickly, without a crash."""
import time
import unittest

from pamrun import EmulatorTest, Emulator, Stack, base_config, refused_url


class FaultTest(EmulatorTest):
    config = {"timeout": 2}

    def login(self):
        return self.s.run("alice", ["Alice-Passw0rd!"])

    def assert_unavail(self, r):
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertNotIn("garbage", r.events)  # pam-run printed only JSON
        self.assertTrue(r.syslog, "a syslog line says why")

    def fault(self, kind, op="*", count=1, **extra):
        self.emu.control("SetFault", Operation=op, Kind=kind, Count=count, **extra)

    def test_garbage_reply(self):
        self.fault("garbage", "InitiateAuth")
        self.assert_unavail(self.login())

    def test_truncated_json(self):
        self.fault("truncated", "RespondToAuthChallenge")
        self.assert_unavail(self.login())

    def test_empty_body(self):
        self.fault("empty", "InitiateAuth")
        self.assert_unavail(self.login())

    def test_missing_srp_b(self):
        self.fault("missing_field", "InitiateAuth")
        self.assert_unavail(self.login())

    def test_non_hex_srp_b(self):
        self.fault("bad_srp_b", "InitiateAuth")
        self.assert_unavail(self.login())

    def test_zero_srp_b(self):
        self.emu.control("ResetStats")
        self.fault("zero_srp_b", "InitiateAuth")
        self.assert_unavail(self.login())
        # The client must not answer a B that is 0 mod N.
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)

    def test_srp_b_equal_to_n(self):
        self.emu.control("ResetStats")
        self.fault("n_srp_b", "InitiateAuth")
        self.assert_unavail(self.login())
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)

    def test_oversized_body(self):
        self.fault("oversized", "InitiateAuth")
        self.assert_unavail(self.login())

    def test_http_500_is_retried_then_unavailable(self):
        self.emu.control("ResetStats")
        self.fault("http500", "InitiateAuth", count=10)
        self.assert_unavail(self.login())
        self.assertEqual(self.calls("InitiateAuth"), 3)

    def test_challenge_answer_is_not_replayed_after_a_5xx(self):
        # The server may have used the answer before failing: never send it twice.
        self.emu.control("ResetStats")
        self.fault("http500", "RespondToAuthChallenge", count=10)
        self.assert_unavail(self.login())
        self.assertEqual(self.calls("RespondToAuthChallenge"), 1)

    def test_retries_share_one_timeout(self):
        # Slow 500s: the retries stop when the call's timeout (2 s) is spent,
        # instead of taking retries x timeout.
        self.emu.control("ResetStats")
        self.fault("http500", "InitiateAuth", count=10, DelaySeconds=0.9)
        start = time.monotonic()
        self.assert_unavail(self.login())
        self.assertLess(time.monotonic() - start, 2.8)
        self.assertLessEqual(self.calls("InitiateAuth"), 2)

    def test_proxy_variables_are_ignored(self):
        # Under su the environment is the calling user's: it must not route
        # the login through a proxy of theirs.
        r = self.s.run("alice", ["Alice-Passw0rd!"],
                       extra_env={"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
                                  "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
                                  "NO_PROXY": ""})
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_one_throttle_is_retried_and_succeeds(self):
        self.fault("throttle", "InitiateAuth", count=1)
        self.assertEqual(self.login().code, "PAM_SUCCESS")

    def test_persistent_throttling_is_unavailable(self):
        self.fault("throttle", "InitiateAuth", count=10)
        self.assert_unavail(self.login())

    def test_connection_closed(self):
        self.fault("close", "InitiateAuth", count=10)
        self.assert_unavail(self.login())

    def test_slow_server_times_out(self):
        self.fault("slow", "InitiateAuth", count=1, DelaySeconds=8)
        start = time.monotonic()
        r = self.login()
        self.assert_unavail(r)
        self.assertLess(time.monotonic() - start, 6, "bounded by timeout=2")

    def test_server_down(self):
        # A port where nothing listens: connection refused at once.
        s = Stack(base_config(self.emu, idp_endpoint=refused_url(self), timeout=2))
        try:
            r = s.run("alice", ["Alice-Passw0rd!"])
            self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
            self.assertTrue(any("try again later" in e for e in r.errors), r.errors)
        finally:
            s.cleanup()

    def test_emulator_stopped(self):
        emu = Emulator().start()
        s = Stack(base_config(emu, timeout=2))
        try:
            self.assertEqual(s.run("alice", ["Alice-Passw0rd!"]).code, "PAM_SUCCESS")
            emu.stop()
            start = time.monotonic()
            r = s.run("alice", ["Alice-Passw0rd!"])
            self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
            self.assertLess(time.monotonic() - start, 5)
        finally:
            emu.stop()
            s.cleanup()


if __name__ == "__main__":
    unittest.main()
