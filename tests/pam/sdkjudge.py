"""The requests an emulator was sent, judged by the official AWS SDK for
JavaScript v3's model (tests/conformance/judge-requests.js): shared by
tests/pam/test_sdk_requests.py and tests/sync/test_sync_sdk_requests.py."""
import json
import subprocess
from pathlib import Path

JUDGE = Path(__file__).resolve().parents[2] / "tests" / "conformance" / "judge-requests.js"


def judge(test, emu, *operations):
    """Judge (and forget) every request emu kept; fail test on any problem
    or when one of operations was not sent. Returns the verdict."""
    requests = emu.control("Requests", Clear=True)
    p = subprocess.run(["node", str(JUDGE)], input=json.dumps(requests),
                       capture_output=True, text=True, timeout=60)
    test.assertTrue(p.stdout.strip(), p.stderr)
    verdict = json.loads(p.stdout)
    test.assertEqual(verdict["Problems"], [])
    test.assertEqual(p.returncode, 0, p.stderr)
    for op in operations:
        test.assertIn(op, verdict["Operations"], verdict)
    return verdict
