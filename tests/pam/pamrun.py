"""Drive pam_cognito through a real libpam stack with tests/pam/pam-run.

A Stack is a private PAM service directory (never /etc/pam.d) holding one
service file, plus a pam_cognito.conf pointing at the emulator. run() answers
the prompts from a list and returns what a user or a program would see:
prompts, messages, each stage's PAM result, the PAM environment, and the
module's syslog lines (pam_wrapper sends them to stderr).
"""
import atexit
import fcntl
import glob
import json
import os
import pwd
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "emulator"))

from control import Emulator, EmulatorError  # noqa: E402,F401

BUILD = Path(os.environ.get("PAM_COGNITO_BUILD", REPO / "build"))
MODULE = os.environ.get("PAM_COGNITO_MODULE") or str(BUILD / ".libs" / "pam_cognito.so")
PAM_RUN = os.environ.get("PAM_RUN") or str(BUILD / "tests" / "pam" / "pam-run")
PAM_WRAPPER = "/usr/lib/x86_64-linux-gnu/libpam_wrapper.so"

REGION = "us-east-1"
POOL = "us-east-1_Emul4tor"
PUBLIC_CLIENT = "publicclient0000000000000001"
SECRET_CLIENT = "secretclient0000000000000001"
CLIENT_SECRET = "s3cr3t_client_secret_for_tests_0123456789"
EMAIL_POOL = "us-east-1_EmailPool"
EMAIL_CLIENT = "emailpoolclient000000000000001"
IDENTITY_POOL = "us-east-1:11111111-2222-3333-4444-555555555555"

PAM_CODES = {
    0: "PAM_SUCCESS", 3: "PAM_SERVICE_ERR", 4: "PAM_SYSTEM_ERR",
    5: "PAM_BUF_ERR", 6: "PAM_PERM_DENIED", 7: "PAM_AUTH_ERR",
    9: "PAM_AUTHINFO_UNAVAIL", 10: "PAM_USER_UNKNOWN", 11: "PAM_MAXTRIES",
    12: "PAM_NEW_AUTHTOK_REQD", 13: "PAM_ACCT_EXPIRED", 14: "PAM_SESSION_ERR", 15: "PAM_CRED_UNAVAIL",
    17: "PAM_CRED_ERR", 19: "PAM_CONV_ERR", 20: "PAM_AUTHTOK_ERR",
    21: "PAM_AUTHTOK_RECOVERY_ERR", 24: "PAM_TRY_AGAIN", 25: "PAM_IGNORE",
    26: "PAM_ABORT", 31: "PAM_INCOMPLETE",
}


def libconfig_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(json.dumps(str(x)) for x in v) + "]"
    if isinstance(v, dict):  # a libconfig group (sudo_rules, local_groups)
        return "{ " + " ".join(f"{k} = {libconfig_value(x)};" for k, x in v.items()) + " }"
    return json.dumps(str(v))  # a libconfig string literal


def write_config(path, keys, mode=0o600):
    """Write a pam_cognito.conf (libconfig) with the given keys."""
    text = "".join(f"{k} = {libconfig_value(v)};\n" for k, v in keys.items())
    Path(path).write_text(text)
    os.chmod(path, mode)
    return path


def emulator_cache(emulator):
    """A cache base of this emulator's own: the module keeps the pool's JWKS
    there, and a key one emulator rotated in must not serve another (the
    emulators of a run start with the same keys: tests/emulator/rsa_keys.py)."""
    path = getattr(emulator, "pc_cache_dir", None)
    if path is None:
        root = tempfile.mkdtemp(prefix="pc-test-cache-")
        atexit.register(shutil.rmtree, root, True)
        os.chmod(root, 0o755)  # users reach their directories below it
        path = os.path.join(root, "cache")
        emulator.pc_cache_dir = path
    return path


def base_config(emulator, **over):
    keys = {"region": REGION, "user_pool_id": POOL, "client_id": PUBLIC_CLIENT,
            "idp_endpoint": emulator.url, "identity_endpoint": emulator.url,
            "timeout": 5, "cache_dir": emulator_cache(emulator)}
    keys.update(over)
    return {k: v for k, v in keys.items() if v is not None}


class Result:
    def __init__(self, events, stderr, returncode):
        self.events = events
        self.stderr = stderr
        self.returncode = returncode
        self.results = [e for e in events if e["event"] == "result"]
        env = [e for e in events if e["event"] == "env"]
        self.env = dict(v.split("=", 1) for v in env[0]["vars"]) if env else {}

    @property
    def code(self):
        """The name of the last stage's PAM result."""
        if not self.results:
            return "NO_RESULT"
        return PAM_CODES.get(self.results[-1]["code"], str(self.results[-1]["code"]))

    def codes(self):
        return [PAM_CODES.get(r["code"], str(r["code"])) for r in self.results]

    @property
    def prompts(self):
        return [e["text"] for e in self.events if e["event"].startswith("prompt")]

    @property
    def prompt_styles(self):
        return [(e["event"][7:], e["text"]) for e in self.events
                if e["event"].startswith("prompt")]

    @property
    def children(self):
        return [e["text"] for e in self.events if e["event"] == "child"]

    @property
    def infos(self):
        return [e["text"] for e in self.events if e["event"] == "info"]

    @property
    def errors(self):
        return [e["text"] for e in self.events if e["event"] == "error"]

    @property
    def syslog(self):
        """The module's pam_syslog lines (pam_wrapper prints them to stderr)."""
        return [line.split("SYSLOG(", 1)[1].split("): ", 1)[1]
                for line in self.stderr.splitlines() if "SYSLOG(" in line]

    def __repr__(self):
        return f"Result(codes={self.codes()}, events={self.events}, stderr={self.stderr[-2000:]!r})"


class Stack:
    """A PAM service directory with pam_cognito in it, and its config file."""

    def __init__(self, config=None, args="", service_text=None, service="cognito-test"):
        self.dir = Path(tempfile.mkdtemp(prefix="pc-stack-"))
        self.service_dir = self.dir / "pam.d"  # only service files: pam_wrapper copies it
        self.service_dir.mkdir()
        self.service = service
        self.config_path = self.dir / "pam_cognito.conf"
        if config is not None:
            write_config(self.config_path, config)
        if service_text is None:
            service_text = (f"auth required {MODULE} config={self.config_path} {args}\n"
                            f"account required pam_permit.so\n"
                            f"password required {MODULE} config={self.config_path} {args}\n"
                            f"session required {MODULE} config={self.config_path} {args}\n")
        self.write_service(service, service_text)
        self.write_service("other", "auth required pam_deny.so\naccount required pam_deny.so\n"
                                    "password required pam_deny.so\nsession required pam_deny.so\n")

    def write_service(self, name, text):
        (self.service_dir / name).write_text(text.replace("@MODULE@", MODULE)
                                     .replace("@CONFIG@", str(self.config_path)))

    def run(self, user, answers=(), stages=("auth",), rhost=None, tty=None,
            silent=False, timeout=60, extra_env=None, child=None):
        """Run pam-run under pam_wrapper (for the syslog lines) and parse it.

        answers: strings, or callables called with the prompt text when it
        comes (a code sent during the login); self.live holds the events so
        far (a secret shown before the prompt). Running out of answers makes
        the conversation fail, so nothing waits forever. child: a program
        the conversation runs at every prompt (its output: Result.children).
        stages may hold "user=NAME" (set PAM_USER there) and "auth?" (an
        attempt whose failure does not stop the run)."""
        interactive = any(callable(a) for a in answers)
        afile = self.dir / "answers"
        afile.write_text("" if interactive else "".join(a + "\n" for a in answers))
        cmd = [PAM_RUN, "-s", self.service, "-a", "-" if interactive else str(afile)]
        if user is not None:
            cmd += ["-u", user]
        if rhost:
            cmd += ["-r", rhost]
        if tty:
            cmd += ["-t", tty]
        if silent:
            cmd.append("-q")
        if child:
            cmd += ["-x", child]
        cmd += list(stages)
        env = dict(os.environ, LD_PRELOAD=PAM_WRAPPER, PAM_WRAPPER="1",
                   PAM_WRAPPER_SERVICE_DIR=str(self.service_dir),
                   PAM_WRAPPER_DEBUGLEVEL="2")
        env.update(extra_env or {})
        if interactive:
            self.live = []
            stdout, stderr, rc = self._interactive(cmd, env, list(answers), timeout,
                                                   self.live)
        else:
            p = run_wrapped(cmd, env, timeout)
            stdout, stderr, rc = p.stdout, p.stderr, p.returncode
        afile.unlink()
        events = []
        for line in stdout.splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                events.append({"event": "garbage", "text": line})
        return Result(events, stderr, rc)

    @staticmethod
    def _interactive(cmd, env, answers, timeout, live):
        errfile = tempfile.TemporaryFile(mode="w+")
        p = start_wrapped(cmd, env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=errfile)
        out, pending = [], b""
        fd = p.stdout.fileno()
        try:
            deadline = time.monotonic() + timeout
            sel = selectors.DefaultSelector()
            sel.register(fd, selectors.EVENT_READ)
            done = False
            while not done:
                if time.monotonic() >= deadline or not sel.select(deadline - time.monotonic()):
                    raise TimeoutError(f"pam-run did not finish in {timeout}s")
                chunk = os.read(fd, 65536)
                done = not chunk
                pending += chunk
                # Unbuffered reads: a prompt is answered as soon as its line arrives.
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    text = line.decode()
                    out.append(text + "\n")
                    ev = json.loads(text)
                    live.append(ev)
                    if ev["event"].startswith("prompt"):
                        a = answers.pop(0) if answers else "@FAIL"
                        if callable(a):
                            a = a(ev["text"])
                        p.stdin.write((a + "\n").encode())
                        p.stdin.flush()
        finally:
            if p.poll() is None:
                p.kill()
            rc = p.wait()
            errfile.seek(0)
            err = errfile.read()
            errfile.close()
        return "".join(out), err, rc

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class EmulatorAnswers:
    """What tests ask the emulator most, for a class whose emulator is
    self.emu (the PAM tests here, the real-sshd tests in tests/e2e)."""

    def code(self, user, pool=POOL):
        """An answer to a code prompt: the code the emulator last sent to
        user, read when the prompt comes."""
        return lambda *_prompt: self.emu.last_code(user, pool)

    def calls(self, op):
        """How many times the module called op since the test began."""
        return self.emu.calls(op)


class EmulatorTest(EmulatorAnswers, unittest.TestCase):
    """One emulator per test class, back to its fixture before each test,
    and a fresh Stack (self.s) whose config adds the class's `config`."""

    config = {}

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator().start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.control("Reset")
        self.emu.control("ClearFaults")
        self.s = Stack(base_config(self.emu, **self.config))
        self.cfg = str(self.s.config_path)

    def tearDown(self):
        self.emu.control("ClearFaults")
        self.s.cleanup()


PWRAP_START_LOCK = os.path.join(tempfile.gettempdir(), "pam_cognito-tests-pwrap-start.lock")


def _pwrap_dir_made(pid):
    for d in glob.glob("/tmp/pam.?"):
        try:
            with open(os.path.join(d, "pid")) as f:
                if f.read().strip() == str(pid):
                    return True
        except OSError:
            pass
    return False


def start_wrapped(cmd, env, **popen):
    """subprocess.Popen(cmd) for a process that preloads pam_wrapper, one
    start at a time. pam_wrapper (1.1.4) names its directory /tmp/pam.<c>
    after the pid and looks before it creates: two processes starting at
    once can both find the name free and then share the directory (stderr:
    "Failed to create pam_wrapper config dir ... File exists"; one stack
    then reads the other's service file). Each start holds a lock until the
    child's directory holds its pid file, or the child ended."""
    with open(PWRAP_START_LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.Popen(cmd, env=env, **popen)
        deadline = time.monotonic() + 5
        while (p.poll() is None and time.monotonic() < deadline
               and not _pwrap_dir_made(p.pid)):
            time.sleep(0.0005)
    return p


def run_wrapped(cmd, env, timeout):
    """subprocess.run(cmd, capture_output=True, text=True) through
    start_wrapped."""
    p = start_wrapped(cmd, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def refused_url(test):
    """http://127.0.0.1:PORT/ that refuses every connection for the rest of
    test: the port stays bound and never listens. (A port bound and closed
    again could be taken meanwhile by a server another test starts.)"""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    test.addCleanup(sock.close)
    return "http://127.0.0.1:%d/" % sock.getsockname()[1]


def ensure_user(name):
    """A local account for name (created once, never removed: shared). Under
    a lock: tests/pyrunner.py --jobs runs modules that need the same account
    at once, and useradd refuses while another one holds /etc/passwd."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    with open(os.path.join(tempfile.gettempdir(), "pam_cognito-tests-useradd.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "-m", name], check=True)
            return pwd.getpwnam(name)


class CacheTest(EmulatorTest):
    """EmulatorTest with local accounts alice and bob (the cache needs an
    owner), a fresh cache base for each test (self.cache) and stacks made
    by the test in self.stacks, all removed afterwards."""

    @classmethod
    def setUpClass(cls):
        cls.alice = ensure_user("alice")
        cls.bob = ensure_user("bob")
        super().setUpClass()

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="pc-cache-test-")
        os.chmod(self.tmp, 0o755)  # users must reach the cache below it
        self.cache = os.path.join(self.tmp, "cache")
        self.stacks = []

    def tearDown(self):
        for s in self.stacks:
            s.cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)
        super().tearDown()
