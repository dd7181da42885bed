"""login_timeout: one budget of network time for a whole pam_sm_* call. A
server that answers every request just inside `timeout` cannot hold a login
for several timeouts; time spent at a prompt is the user's, not the
network's."""
import shutil
import tempfile
import time
import unittest

from delayproxy import DelayProxy, make_test_ca
from pamrun import IDENTITY_POOL, POOL, CacheTest, EmulatorTest, Stack, base_config

PASSWORD = "Alice-Passw0rd!"


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


class HungServerTest(EmulatorTest):
    """login_timeout and timeout are bounds on the wall clock after the
    answer, warm-up included: the connection the warm-up opened while the
    prompt was on screen is used only when it is ready; one still being
    opened or still waiting for its answer is left behind and the login goes
    on at once on a connection of its own. Served through
    tests/pam/delayproxy.py (a server slow to answer each request, or one
    that accepts and never answers)."""

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
        p = DelayProxy(self.emu.port, cert=self.cert, key=self.key, **kw).start()
        self.addCleanup(p.stop)
        return p

    def stack(self, proxy, **over):
        # A cache of its own: the warm-up then also fetches the pool's keys.
        cache = tempfile.mkdtemp(prefix="pc-test-cache-")
        self.addCleanup(shutil.rmtree, cache, True)
        s = Stack(base_config(self.emu, idp_endpoint=proxy.url, identity_endpoint=proxy.url,
                              ca_file=self.ca, cache_dir=cache, **over))
        self.addCleanup(s.cleanup)
        return s

    def login(self, stack, user, answers, typing):
        """Run auth, each answer given typing seconds after its prompt.
        Returns the result and the seconds from the first answer to the
        end of the pam-run process."""
        given = []

        def typed(answer):
            def give(prompt):
                time.sleep(typing)
                given.append(time.monotonic())
                return answer() if callable(answer) else answer
            return give
        r = stack.run(user, [typed(a) for a in answers])
        return r, time.monotonic() - given[0]

    def test_slow_server_is_cut_at_login_timeout_warm_up_included(self):
        # Every request answered after 2.5 s: each inside timeout = 3; the
        # warm-up's GET is still waiting when the password arrives. Before,
        # the login waited for it (2.5 s), then InitiateAuth (2.5 s), then
        # PASSWORD_VERIFIER until login_timeout: 6.5 s after Enter.
        px = self.proxy(answer_delay=2.5)
        r, took = self.login(self.stack(px, timeout=3, login_timeout=4), "alice",
                             [PASSWORD], typing=0.3)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertLess(took, 5.5, "login_timeout = 4 bounds the wait after Enter")
        self.assertTrue(any("login_timeout" in l for l in r.syslog), r.syslog)

    def test_hung_server_fails_after_one_timeout(self):
        # Connections accepted, never answered (no TLS handshake either).
        # Before, the login waited for the warm-up's connection until its
        # timeout, then for its own: two timeouts after Enter.
        px = self.proxy(silent=True)
        r, took = self.login(self.stack(px, timeout=3), "alice", [PASSWORD], typing=0.3)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertLess(took, 4.5, "one timeout (3 s) after Enter, not two")
        self.assertGreater(took, 2.5, "the login's own request had its timeout")
        self.assertTrue(any("InitiateAuth" in l and "authentication failure" in l
                            for l in r.syslog), r.syslog)
        self.assertGreaterEqual(px.stats()["Connections"], 2, px.stats())

    def test_time_at_the_prompts_is_not_network_time(self):
        # A far server (0.7 s per request) and a slow person (3 s at each
        # prompt): the network needs 2.1 s of login_timeout = 3, the prompts
        # 6 s more. The warm connection, ready long before the answer, is
        # the one the login uses.
        px = self.proxy(answer_delay=0.7)
        code = lambda: self.emu.control("GetLastCode", UserPoolId=POOL,
                                        Username="smsuser")["Code"]
        r, took = self.login(self.stack(px, timeout=3, login_timeout=3), "smsuser",
                             ["Sms-Passw0rd1!", code], typing=3.0)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(len(r.prompts), 2, r)
        self.assertEqual(px.stats()["Connections"], 1, px.stats())


class LogoutTimeoutTest(CacheTest):
    """close_session's RevokeToken (revoke_on_logout) is network waiting of
    a PAM call too: login_timeout bounds it, not only timeout."""

    def test_revoke_at_logout_is_cut_at_login_timeout(self):
        # The refresh token is kept for the identity pool's credentials.
        s = Stack(base_config(self.emu, revoke_on_logout=True, cache_dir=self.cache,
                              identity_pool_id=IDENTITY_POOL))
        self.stacks.append(s)
        r = s.run("alice", [PASSWORD], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        hung = DelayProxy(self.emu.port, silent=True).start()
        self.addCleanup(hung.stop)
        # pam_permit first: open_session's PAM_IGNORE does not end the run.
        s2 = Stack(base_config(self.emu, idp_endpoint=hung.url, revoke_on_logout=True,
                               cache_dir=self.cache, timeout=10, login_timeout=2),
                   service_text="session required pam_permit.so\n"
                                "session required @MODULE@ config=@CONFIG@\n")
        self.stacks.append(s2)
        start = time.monotonic()
        r = s2.run("alice", [], stages=("open", "close"))
        took = time.monotonic() - start
        # A failed revoke is a warning: the local copies are gone anyway.
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assertLess(took, 4.5, "login_timeout = 2 bounds close_session, not timeout = 10")
        self.assertTrue(any("RevokeToken" in l and "login_timeout" in l for l in r.syslog),
                        r.syslog)
        self.assertEqual(hung.stats()["Connections"], 1, hung.stats())


if __name__ == "__main__":
    unittest.main()
