"""Connections while the prompt is on screen: the module opens TCP and TLS
to the user pool (and the identity endpoint) before the password arrives,
keeps them across challenge prompts and between the stages of one PAM
transaction, and falls back to a new connection when the warm one failed or
went stale. The emulator is served over real TLS (a test CA made at run
time, given to the module through ca_file) behind tests/pam/delayproxy.py,
which counts connections and the time each was opened."""
import shutil
import tempfile
import time

from delayproxy import DelayProxy, make_test_ca
from pamrun import IDENTITY_POOL, POOL, CacheTest, Stack, base_config

PASSWORD = "Alice-Passw0rd!"
RTT = 0.02       # a short simulated link: the tests stay fast
TYPING = 0.6     # seconds between the prompt and the answer


class LatencyTest(CacheTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pki = tempfile.mkdtemp(prefix="pc-test-ca-")
        cls.ca, cls.cert, cls.key = make_test_ca(cls.pki)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.pki, ignore_errors=True)
        super().tearDownClass()

    def proxy(self, **kw):
        p = DelayProxy(self.emu.port, rtt=RTT, cert=self.cert, key=self.key, **kw).start()
        self.addCleanup(p.stop)
        return p

    def stack(self, proxy, **over):
        cfg = base_config(self.emu, idp_endpoint=proxy.url, identity_endpoint=proxy.url,
                          ca_file=self.ca, **over)
        s = Stack(cfg)
        self.stacks.append(s)
        return s

    def typed(self, answer, delay=TYPING, log=None):
        """An answer that a person gives delay seconds after the prompt; the
        time it was delivered is appended to log."""
        def give(prompt):
            time.sleep(delay)
            if log is not None:
                log.append(time.monotonic())
            return answer
        return give

    def test_no_connection_after_the_password(self):
        px = self.proxy()
        s = self.stack(px, identity_pool_id=IDENTITY_POOL, cache_dir=self.cache)
        entered = []
        r = s.run("alice", [self.typed(PASSWORD, log=entered)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("AWS_ACCESS_KEY_ID", r.env)
        st = px.stats()
        # One connection to the user pool, one to the identity endpoint (the
        # same proxy here), both opened while the prompt was on screen.
        self.assertEqual(st["Connections"], 2, st)
        self.assertTrue(all(t < entered[0] for t in st["Accepted"]), (st, entered))
        ops = self.emu.control("Stats")["ByOperation"]
        self.assertEqual(ops, {"InitiateAuth": 1, "RespondToAuthChallenge": 1,
                               "GetId": 1, "GetCredentialsForIdentity": 1})
        self.assertEqual(st["Requests"], {"GET": 2, "POST": 4}, st)

    def test_password_only_warms_only_the_user_pool(self):
        px = self.proxy()
        entered = []
        r = self.stack(px).run("alice", [self.typed(PASSWORD, log=entered)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        st = px.stats()
        self.assertEqual(st["Connections"], 1, st)
        self.assertLess(st["Accepted"][0], entered[0])
        self.assertEqual(st["Requests"], {"GET": 1, "POST": 2}, st)

    def test_wrong_password_still_fails(self):
        px = self.proxy()
        r = self.stack(px).run("alice", [self.typed("Wrong-Passw0rd!")])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(px.stats()["Connections"], 1)

    def test_stale_warm_connection_is_reopened(self):
        # The server drops the warm connection while the person types.
        px = self.proxy(idle_close=0.2)
        entered = []
        r = self.stack(px).run("alice", [self.typed(PASSWORD, delay=1.0, log=entered)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        st = px.stats()
        self.assertEqual(st["Connections"], 2, st)
        self.assertLess(st["Accepted"][0], entered[0])
        self.assertGreater(st["Accepted"][1], entered[0])
        self.assertEqual(self.emu.control("Stats")["ByOperation"],
                         {"InitiateAuth": 1, "RespondToAuthChallenge": 1})

    def test_failed_warm_up_falls_back(self):
        # The warm-up's connection is refused; the login opens its own and
        # fetches the pool's keys itself (the warm-up could not).
        px = self.proxy(refuse_first=1)
        r = self.stack(px).run("alice", [self.typed(PASSWORD)])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(px.stats()["Connections"], 2)
        self.assertEqual(px.stats()["Requests"], {"POST": 2, "GET": 1})

    def test_unreachable_server_fails_closed(self):
        px = self.proxy(refuse_first=100)
        r = self.stack(px).run("alice", [self.typed(PASSWORD, delay=0.1)])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)

    def test_password_given_at_once(self):
        # No time to type (a scripted answer): the warm-up's connection is
        # not ready, so the login does not wait for it (on a hung server
        # that wait was a whole timeout, tests/pam/test_login_timeout.py
        # HungServerTest) and opens its own. The one left behind, if the
        # worker got as far as opening it, is closed unused.
        px = self.proxy()
        r = self.stack(px).run("alice", [PASSWORD])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn(px.stats()["Connections"], (1, 2), px.stats())
        self.assertEqual(px.stats()["Requests"].get("POST"), 2, px.stats())
        self.assertEqual(self.emu.control("Stats")["ByOperation"],
                         {"InitiateAuth": 1, "RespondToAuthChallenge": 1})

    def test_slow_code_prompt_keeps_the_connection(self):
        px = self.proxy()
        entered = []

        def code(prompt):
            time.sleep(2.0)  # the SMS takes its time
            return self.emu.last_code("smsuser", POOL)
        r = self.stack(px).run("smsuser", [self.typed("Sms-Passw0rd1!", log=entered), code])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(len(r.prompts), 2, r)
        st = px.stats()
        self.assertEqual(st["Connections"], 1, st)
        self.assertLess(st["Accepted"][0], entered[0])
        self.assertEqual(self.calls("RespondToAuthChallenge"), 2)

    def test_stages_of_one_process_share_the_connection(self):
        # auth, then passwd in the same PAM transaction: one connection.
        px = self.proxy()
        new = "Changed-Passw0rd!2"
        r = self.stack(px).run("alice", [self.typed(PASSWORD), PASSWORD, new, new],
                               stages=("auth", "chauthtok"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assertEqual(self.calls("ChangePassword"), 1)
        self.assertEqual(px.stats()["Connections"], 1, px.stats())


if __name__ == "__main__":
    import unittest
    unittest.main()
