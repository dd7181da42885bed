"""valgrind over whole logins in one process: no invalid access, no leak."""
import subprocess
import unittest

from pamrun import PAM_RUN, EmulatorTest

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


if __name__ == "__main__":
    unittest.main()
