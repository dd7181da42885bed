"""pamtester, a PAM application we did not write, drives the module too."""
import os
import subprocess
import unittest

from pamrun import PAM_WRAPPER, EmulatorTest


class PamtesterTest(EmulatorTest):
    def pamtester(self, user, stdin, op="authenticate"):
        env = dict(os.environ, LD_PRELOAD=PAM_WRAPPER, PAM_WRAPPER="1",
                   PAM_WRAPPER_SERVICE_DIR=str(self.s.service_dir))
        return subprocess.run(["pamtester", "-v", self.s.service, user, op], input=stdin,
                              capture_output=True, text=True, timeout=60, env=env)

    def test_right_password(self):
        p = self.pamtester("alice", "Alice-Passw0rd!\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Password: ", p.stdout + p.stderr)
        self.assertIn("successfully authenticated", p.stdout + p.stderr)

    def test_wrong_password(self):
        p = self.pamtester("alice", "wrong-Passw0rd!\n")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("Authentication failure", p.stdout + p.stderr)

    def test_sms_challenge_with_code_on_stdin(self):
        # pamtester reads one line per prompt; the code is known only after
        # the password, so feed it through a pipe as it arrives.
        env = dict(os.environ, LD_PRELOAD=PAM_WRAPPER, PAM_WRAPPER="1",
                   PAM_WRAPPER_SERVICE_DIR=str(self.s.service_dir))
        p = subprocess.Popen(["pamtester", "-v", self.s.service, "smsuser", "authenticate"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, env=env)
        try:
            p.stdin.write("Sms-Passw0rd1!\n")
            p.stdin.flush()
            seen = ""
            while "SMS code: " not in seen:
                ch = p.stdout.read(1)
                if not ch:
                    break
                seen += ch
            code = self.emu.last_code("smsuser")
            out, _ = p.communicate(code + "\n", timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
        self.assertEqual(p.returncode, 0, seen + out)
        self.assertIn("A verification code was sent by SMS to +*******1234.", seen + out)
        self.assertIn("successfully authenticated", out)


if __name__ == "__main__":
    unittest.main()
