"""Self-check of tests/e2e/harness.py with stand-in PAM stacks (no pam_cognito).

Run as root:
    python3 -m unittest discover -s tests/e2e -p 'test_harness*.py' -v

Stand-ins: pam_wrapper's pam_matrix.so (password from a passdb file) and
fixtures/pam_twoprompts.c, compiled here into a temporary directory.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (Passwd, PamServiceDir, Sshd, clean_stale_pam_wrapper_dirs,  # noqa: E402
                     descendants, ensure_local_user, find_pam_wrapper_module,
                     pid_alive, remove_local_user)

HERE = os.path.dirname(os.path.abspath(__file__))
USER = "e2ehselfchk"            # local account created for these tests, removed at the end
PASSWORD = "m4trix-Pw"
SERVICE = "sshd-cognito"

_tmp = None
_twoprompts = None
_matrix = None


def _skip_reason():
    if os.geteuid() != 0:
        return "needs root"
    for path in ("/usr/sbin/sshd", "/usr/bin/ssh", "/usr/bin/passwd"):
        if not os.path.exists(path):
            return f"{path} missing"
    try:
        harness.find_pam_wrapper()
        find_pam_wrapper_module("pam_matrix.so")
    except harness.HarnessError as e:
        return str(e)
    if shutil.which("gcc") is None or not os.path.exists("/usr/include/security/pam_modules.h"):
        return "gcc / libpam0g-dev missing"
    return None


def setUpModule():
    global _tmp, _twoprompts, _matrix
    reason = _skip_reason()
    if reason:
        raise unittest.SkipTest(reason)
    _tmp = os.path.realpath(tempfile.mkdtemp(prefix="pam_cognito_e2e.selfcheck."))
    os.chmod(_tmp, 0o755)          # the non-root passwd run must load the module
    _twoprompts = os.path.join(_tmp, "pam_twoprompts.so")
    subprocess.run(["gcc", "-Wall", "-Werror", "-shared", "-fPIC", "-o", _twoprompts,
                    os.path.join(HERE, "fixtures", "pam_twoprompts.c"), "-lpam"],
                   check=True, timeout=60)
    _matrix = find_pam_wrapper_module("pam_matrix.so")
    ensure_local_user(USER)


def tearDownModule():
    remove_local_user(USER)
    if _tmp:
        shutil.rmtree(_tmp, ignore_errors=True)
    clean_stale_pam_wrapper_dirs()


def _stale_pam_dirs():
    """/tmp/pam.<c> dirs whose owner is dead (live ones may belong to other
    test runs on this machine and are left alone)."""
    out = []
    for d in os.listdir("/tmp"):
        if re.fullmatch(r"pam\.[0-9A-Za-z]", d):
            try:
                with open(f"/tmp/{d}/pid") as f:
                    pid = int(f.read().strip() or 0)
            except (OSError, ValueError):
                continue
            if not pid_alive(pid):
                out.append(d)
    return out


class HarnessCase(unittest.TestCase):
    """Tracks every sshd / service dir a test creates and checks, after the
    test, that nothing is left running and no stale /tmp/pam.* remains."""

    def setUp(self):
        self.sshds = []
        self.svcs = []
        self.passwds = []
        self.pids = []

    def svc(self, files):
        s = PamServiceDir(files)
        self.svcs.append(s)
        return s

    def sshd(self, svc, **kw):
        d = Sshd(svc, **kw).start()
        self.sshds.append(d)
        self.pids.append(d.pid)
        return d

    def passwd(self, svc):
        p = Passwd(svc)
        self.passwds.append(p)
        return p

    def tearDown(self):
        try:
            for d in self.sshds:
                d.cleanup()
            for p in self.passwds:
                p.cleanup()
            for s in self.svcs:
                s.cleanup()
        finally:
            for pid in self.pids:
                self.assertFalse(pid_alive(pid), f"sshd {pid} still running")
                self.assertEqual(descendants(pid), [], f"children of sshd {pid} left")
            self.assertEqual(_stale_pam_dirs(), [], "stale /tmp/pam.* left behind")
            for s in self.svcs:
                self.assertFalse(os.path.exists(s.path))
            for d in self.sshds:
                self.assertFalse(os.path.exists(d.tmp))


# ---------------------------------------------------------------------------
# sshd with pam_matrix (one password prompt)
# ---------------------------------------------------------------------------

class SshdMatrixTest(HarnessCase):

    def setUp(self):
        super().setUp()
        self.passdb = os.path.join(_tmp, "passdb-sshd")
        with open(self.passdb, "w") as f:
            f.write(f"{USER}:{PASSWORD}:{SERVICE}\n")
        stack = (f"auth     required {_matrix} passdb={self.passdb}\n"
                 f"account  required {_matrix} passdb={self.passdb}\n"
                 f"session  required pam_env.so\n"
                 f"session  required pam_permit.so\n")
        self.d = self.sshd(self.svc({SERVICE: stack}))

    def test_sshd_config_and_service_name(self):
        self.assertTrue(os.path.islink(os.path.join(self.d.tmp, SERVICE)))
        self.assertIn("Server listening on 127.0.0.1 port %d" % self.d.port, self.d.log)
        with open(self.d.config_path) as f:
            cfg = f.read()
        for line in ("UsePAM yes", "KbdInteractiveAuthentication yes",
                     "PasswordAuthentication no",
                     "AuthenticationMethods keyboard-interactive"):
            self.assertIn(line, cfg)

    def test_right_password_logs_in_and_runs_command(self):
        t0 = time.monotonic()
        r = self.d.login(USER, [(r"[Pp]assword: ", PASSWORD)])
        self.assertEqual(r.exit_status, 0, r.transcript + self.d.log)
        self.assertIsNone(r.failed_at)
        self.assertFalse(r.timed_out)
        self.assertEqual(len(r.prompts_seen), 1)
        self.assertRegex(r.prompts_seen[0], rf"^\({USER}@127\.0\.0\.1\) Password: $")
        self.assertEqual(r.echoed, [False])                 # echo-off prompt
        self.assertIn(f"USER={USER}\n", r.output)
        self.assertEqual(r.env["USER"], USER)
        self.assertEqual(r.env["HOME"], f"/home/{USER}")
        # pam_wrapper's variables do not leak into the user's session
        for var in ("LD_PRELOAD", "PAM_WRAPPER", "PAM_WRAPPER_SERVICE_DIR"):
            self.assertNotIn(var, r.env)
        self.assertNotIn(PASSWORD, r.transcript)
        self.assertIn(f"USER={USER}", r.transcript)          # output is part of transcript
        self.assertNotIn(f"USER={USER}", r.terminal)
        self.assertIn(f"Accepted keyboard-interactive/pam for {USER}", self.d.log)
        self.assertLess(time.monotonic() - t0, 10)

    def test_other_command(self):
        r = self.d.login(USER, [(r"[Pp]assword: ", PASSWORD)],
                         command=["sh", "-c", "echo out; echo err >&2; exit 7"])
        self.assertEqual(r.exit_status, 7)
        self.assertEqual(r.output, "out\n")
        self.assertIn("err\n", r.terminal)                   # remote stderr

    def test_wrong_password_is_denied(self):
        r = self.d.login(USER, [(r"[Pp]assword: ", "not-" + PASSWORD)])
        self.assertEqual(r.exit_status, 255)
        self.assertIsNone(r.failed_at)
        self.assertIn("Permission denied", r.transcript)
        self.assertEqual(r.output, "")
        self.assertIn(f"Failed keyboard-interactive/pam for {USER}", self.d.log)

    def test_stop_is_idempotent_and_kills(self):
        pid = self.d.pid
        self.d.stop()
        self.assertFalse(pid_alive(pid))
        self.d.stop()


# ---------------------------------------------------------------------------
# sshd with the two-prompt test module
# ---------------------------------------------------------------------------

class SshdTwoPromptsTest(HarnessCase):

    def setUp(self):
        super().setUp()
        stack = (f"auth     required {_twoprompts}\n"
                 f"account  required {_twoprompts}\n"
                 f"session  required {_twoprompts}\n")
        self.d = self.sshd(self.svc({SERVICE: stack}), extra_config="MaxAuthTries 3\n")

    def test_two_prompts_in_order_with_info_messages(self):
        r = self.d.login(USER, [(r"First: ", "one"), (r"Second: ", "two")])
        self.assertEqual(r.exit_status, 0, r.transcript + self.d.log)
        self.assertIsNone(r.failed_at)
        self.assertEqual(len(r.prompts_seen), 2)
        self.assertEqual(r.prompts_seen[0], "First: ")
        self.assertRegex(r.prompts_seen[1], rf"^\({USER}@127\.0\.0\.1\) Second: $")
        self.assertEqual(r.echoed, [False, True])           # echo off, echo on
        t = r.terminal
        # PAM_TEXT_INFO before the first prompt is shown in front of it
        self.assertIn(f"({USER}@127.0.0.1) hello from pam\nFirst: ", t)
        self.assertLess(t.index("hello from pam"), t.index("First: "))
        self.assertLess(t.index("First: "), t.index("Second: "))
        # a message with no prompt after it is still printed (LogLevel=INFO)
        self.assertIn("goodbye from pam", t)
        self.assertGreater(t.index("goodbye from pam"), t.index("Second: "))
        # answers are not in the transcript (the echoed "two" is stripped)
        self.assertNotIn("Second: two", t)
        self.assertNotRegex(t, r"(?m)^(one|two)$")
        # pam_putenv from auth reaches the shell; pam_set_data does not
        # survive into the session stage (privilege separation split)
        self.assertEqual(r.env.get("E2E_AUTH_ENV"), "from-auth")
        self.assertEqual(r.env.get("E2E_SESSION_SAW_AUTH_DATA"), "no")

    def test_wrong_second_answer(self):
        r = self.d.login(USER, [(r"First: ", "one"), (r"Second: ", "three")])
        self.assertEqual(r.exit_status, 255)
        self.assertIsNone(r.failed_at)
        self.assertIn("Permission denied", r.transcript)
        self.assertIn("twoprompts: wrong answers", r.transcript)   # PAM_ERROR_MSG

    def test_missing_prompt_is_reported_and_bounded(self):
        t0 = time.monotonic()
        r = self.d.login(USER, [(r"First: ", "one"), (r"Third: ", "x")], timeout=3)
        self.assertLess(time.monotonic() - t0, 6)
        self.assertEqual(r.failed_at, 1)
        self.assertTrue(r.timed_out)
        self.assertEqual(r.prompts_seen, ["First: "])
        self.assertIn("Second: ", r.terminal)               # what came instead

    def test_prompt_missing_because_client_exits(self):
        # a stack that denies: no prompt at all, the client ends -> failed_at 0, not a timeout
        self.svcs[0].write(SERVICE, "auth required pam_deny.so\naccount required pam_deny.so\n")
        r = self.d.login(USER, [(r"First: ", "one")], timeout=5)
        self.assertEqual(r.failed_at, 0)
        self.assertFalse(r.timed_out)
        self.assertEqual(r.exit_status, 255)

    def test_answer_none_waits_without_answering(self):
        r = self.d.login(USER, [(r"hello from pam", None), (r"First: ", "one"),
                                (r"Second: ", "two")])
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertEqual(len(r.prompts_seen), 3)


# ---------------------------------------------------------------------------
# passwd
# ---------------------------------------------------------------------------

class PasswdTest(HarnessCase):

    def test_matrix_success_and_failure(self):
        passdb = os.path.join(_tmp, "passdb-passwd")
        with open(passdb, "w") as f:
            f.write(f"{USER}:{PASSWORD}:passwd\n")
        # NB: pam_matrix's 'verbose' option makes passwd (misc_conv) crash.
        svc = self.svc({"passwd": f"password required {_matrix} passdb={passdb}\n"})
        p = self.passwd(svc)
        r = p.run(USER, [(r"Old password: ", PASSWORD), (r"New Password :", "N3w-pw"),
                         (r"Verify New Password :", "N3w-pw")])
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIsNone(r.failed_at)
        self.assertEqual(r.prompts_seen, ["Old password: ", "New Password :",
                                          "Verify New Password :"])
        self.assertIn("password updated successfully", r.transcript)
        self.assertNotIn("N3w-pw", r.transcript)
        with open(passdb) as f:
            self.assertEqual(f.read(), f"{USER}:N3w-pw:passwd\n")

        r = p.run(USER, [(r"Old password: ", "wrong")])
        self.assertEqual(r.exit_status, 10)   # shadow's E_PAM (PAM call failed)
        self.assertIn("Authentication failure", r.transcript)
        self.assertIn("password unchanged", r.transcript)

    def _twoprompt_svc(self):
        out = os.path.join(_tmp, "chauthtok.out")
        with open(out, "w"):
            pass
        os.chmod(out, 0o666)                   # the non-root run appends too
        svc = self.svc({"passwd": f"password required {_twoprompts} out={out}\n"})
        return svc, out

    def test_twoprompts_as_root(self):
        svc, out = self._twoprompt_svc()
        p = self.passwd(svc)
        r = p.run(USER, [(r"New secret: ", "s3"), (r"Again: ", "s3")])
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertEqual(r.prompts_seen, ["New secret: ", "Again: "])
        self.assertEqual(r.echoed, [False, False])
        self.assertIn("hello from pam\nNew secret: ", r.transcript)
        with open(out) as f:
            self.assertEqual(f.read(), f"uid=0 user={USER} secret=s3\n")

        r = p.run(USER, [(r"New secret: ", "s3"), (r"Again: ", "s4")])
        self.assertNotEqual(r.exit_status, 0)
        self.assertEqual(r.exit_status, 10)
        self.assertIn("twoprompts: secret rejected", r.transcript)
        self.assertIn("password unchanged", r.transcript)

    def test_twoprompts_as_user(self):
        svc, out = self._twoprompt_svc()
        uid, _gid, _home = ensure_local_user(USER)
        p = self.passwd(svc)
        r = p.run(USER, [(r"New secret: ", "u5"), (r"Again: ", "u5")], as_root=False)
        self.assertEqual(r.exit_status, 0, r.transcript)
        with open(out) as f:
            self.assertEqual(f.read(), f"uid={uid} user={USER} secret=u5\n")

    def test_missing_prompt(self):
        svc, _out = self._twoprompt_svc()
        p = self.passwd(svc)
        r = p.run(USER, [(r"Old password: ", "x")], timeout=3)
        self.assertEqual(r.failed_at, 0)
        self.assertTrue(r.timed_out)
        self.assertIn("New secret: ", r.transcript)


# ---------------------------------------------------------------------------
# pieces
# ---------------------------------------------------------------------------

class PiecesTest(HarnessCase):

    def test_service_dir(self):
        s = self.svc({"x": "auth required pam_permit.so"})
        self.assertTrue(os.path.isabs(s.path))
        self.assertTrue(os.path.isfile(os.path.join(s.path, "other")))
        self.assertTrue(os.path.isfile(os.path.join(s.path, "common-auth")))
        with open(os.path.join(s.path, "x")) as f:
            self.assertEqual(f.read(), "auth required pam_permit.so\n")
        e = s.env(debug_level=2)
        self.assertTrue(e["LD_PRELOAD"].endswith("libpam_wrapper.so"))
        self.assertEqual(e["PAM_WRAPPER"], "1")
        self.assertEqual(e["PAM_WRAPPER_SERVICE_DIR"], s.path)
        self.assertEqual(e["PAM_WRAPPER_DEBUGLEVEL"], "2")

    def test_stale_dir_cleanup(self):
        # fake a stale copy owned by a dead pid, using a free name
        free = [c for c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                if not os.path.exists(f"/tmp/pam.{c}")]
        if not free:
            self.skipTest("all /tmp/pam.* names in use")
        p = subprocess.Popen(["true"])
        p.wait()
        d = f"/tmp/pam.{free[-1]}"
        os.mkdir(d)
        with open(f"{d}/pid", "w") as f:
            f.write(str(p.pid))
        self.assertIn(d, clean_stale_pam_wrapper_dirs())
        self.assertFalse(os.path.exists(d))

    def test_ensure_local_user_idempotent(self):
        a = ensure_local_user(USER)
        b = ensure_local_user(USER)
        self.assertEqual(a, b)
        self.assertEqual(a[2], f"/home/{USER}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
