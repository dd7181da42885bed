"""The README's demo command works and shows what it promises."""
import os
import signal
import socket
import subprocess
import sys
import time
import unittest
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parents[2]


class DemoTest(unittest.TestCase):
    def test_demo_logs_in_and_shows_credentials(self):
        p = subprocess.run([str(REPO / "scripts" / "demo"), "--no-wait", "--port", "0"],
                           capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                           env=dict(os.environ))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("prompt shown: '(alice@127.0.0.1) Password: '", p.stdout)
        self.assertIn("ssh exit status: 0", p.stdout)
        self.assertRegex(p.stdout, r"AWS_ACCESS_KEY_ID=ASIA[A-Z0-9]{16}")
        self.assertIn("AWS_REGION=us-east-1", p.stdout)


    def test_a_newcomer_logs_in_to_the_waiting_demo_and_ctrl_c_stops_it(self):
        demo = pexpect.spawn(sys.executable, [str(REPO / "scripts" / "demo.py"), "--port", "0"],
                             encoding="utf-8", timeout=120)
        try:
            demo.expect(r"sshd with pam_cognito: 127\.0\.0\.1 port (\d+)")
            port = int(demo.match.group(1))
            demo.expect("Ctrl-C stops the demo.")
            ssh = ["-p", str(port), "-o", "PreferredAuthentications=keyboard-interactive",
                   "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                   "-F", "/dev/null"]
            # The user with SMS codes, reading the code from the demo's window.
            cli = pexpect.spawn("ssh", ssh + ["smsuser@127.0.0.1", "echo", "newcomer-in"],
                                encoding="utf-8", timeout=30)
            cli.expect("Password: ")
            cli.sendline("Sms-Passw0rd1!")
            cli.expect("SMS code: ")
            demo.expect(r"code (\d{6})\]")
            cli.sendline(demo.match.group(1))
            cli.expect("newcomer-in")
            cli.expect(pexpect.EOF)
            cli.close()
            self.assertEqual(cli.exitstatus, 0)
            demo.kill(signal.SIGINT)
            demo.expect("stopping")
            demo.expect(pexpect.EOF)
            demo.close()
            self.assertEqual(demo.exitstatus, 0)
            # Everything it started is gone: nothing listens on the port.
            time.sleep(0.5)
            with socket.socket() as s:
                self.assertNotEqual(s.connect_ex(("127.0.0.1", port)), 0)
        finally:
            if demo.isalive():
                demo.kill(signal.SIGKILL)


if __name__ == "__main__":
    unittest.main()
