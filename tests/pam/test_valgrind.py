"""valgrind over whole logins in one process: no invalid access, no leak."""
import shutil
import subprocess
import tempfile
import unittest

from delayproxy import DelayProxy, make_test_ca
from pamrun import PAM_RUN, EmulatorTest, Stack, base_config

VALGRIND = ["valgrind", "--quiet", "--leak-check=full", "--show-leak-kinds=definite,indirect",
            "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99",
            "--trace-children=no"]


class ValgrindTest(EmulatorTest):
    def run_under_valgrind(self, user, answers, stages):
        answers_file = self.s.dir / "vg-answers"
        answers_file.write_text("".join(a + "\n" for a in answers))
        # pam_start_confdir: the real libpam, no preload under valgrind.
        p = subprocess.run(VALGRIND + [PAM_RUN, "-d", str(self.s.service_dir), "-s", self.s.service,
                                       "-u", user, "-a", str(answers_file)] + list(stages),
                           capture_output=True, text=True, timeout=300)
        return p

    def test_srp_login(self):
        p = self.run_under_valgrind("alice", ["Alice-Passw0rd!"], ["auth", "setcred", "open", "close"])
        self.assertNotEqual(p.returncode, 99, p.stderr)
        self.assertIn('"stage":"auth","code":0', p.stdout)
        self.assertNotIn("==", p.stderr, p.stderr)

    def test_failed_login(self):
        p = self.run_under_valgrind("alice", ["wrong"], ["auth"])
        self.assertNotEqual(p.returncode, 99, p.stderr)
        self.assertIn('"stage":"auth","code":7', p.stdout)
        self.assertNotIn("==", p.stderr, p.stderr)

    def test_new_password_challenge_and_password_change(self):
        new = "Valgrind-Passw0rd!1"
        p = self.run_under_valgrind("newbie", ["Temp-Passw0rd1!", "Val Grind", new, new], ["auth"])
        self.assertIn('"stage":"auth","code":0', p.stdout, p.stderr)
        self.assertNotIn("==", p.stderr, p.stderr)
        p = self.run_under_valgrind("newbie", [new, "short", "short", new + "x", new + "x"], ["chauthtok"])
        self.assertIn('"stage":"chauthtok","code":0', p.stdout, p.stderr)
        self.assertNotIn("==", p.stderr, p.stderr)

    def test_garbage_reply(self):
        self.emu.control("SetFault", Operation="RespondToAuthChallenge", Kind="truncated", Count=1)
        p = self.run_under_valgrind("alice", ["Alice-Passw0rd!"], ["auth"])
        self.emu.control("ClearFaults")
        self.assertIn('"stage":"auth","code":9', p.stdout, p.stderr)
        self.assertNotIn("==", p.stderr, p.stderr)


class ValgrindWarmUpTest(EmulatorTest):
    """The warm-up's connection left behind in the middle of its TLS
    handshake (the password is there at once, the far server takes 2 x 0.3 s
    to answer a handshake): abandoned, closed and freed while the login
    opens its own."""

    def test_warm_up_left_behind_mid_handshake(self):
        pki = tempfile.mkdtemp(prefix="pc-test-ca-")
        self.addCleanup(shutil.rmtree, pki, True)
        ca, cert, key = make_test_ca(pki)
        px = DelayProxy(self.emu.port, rtt=0.3, cert=cert, key=key).start()
        self.addCleanup(px.stop)
        cache = tempfile.mkdtemp(prefix="pc-test-cache-")
        self.addCleanup(shutil.rmtree, cache, True)
        self.s.cleanup()  # setUp's stack; tearDown removes this one
        self.s = Stack(base_config(self.emu, idp_endpoint=px.url, identity_endpoint=px.url,
                                   ca_file=ca, cache_dir=cache))
        p = ValgrindTest.run_under_valgrind(self, "alice", ["Alice-Passw0rd!"], ["auth"])
        self.assertNotEqual(p.returncode, 99, p.stderr)
        self.assertIn('"stage":"auth","code":0', p.stdout, p.stderr)
        self.assertNotIn("==", p.stderr, p.stderr)
        self.assertEqual(px.stats()["Connections"], 2, px.stats())


if __name__ == "__main__":
    unittest.main()
