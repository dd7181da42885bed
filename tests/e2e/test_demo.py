"""The README's demo command works and shows what it promises."""
import os
import subprocess
import unittest
from pathlib import Path

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


if __name__ == "__main__":
    unittest.main()
