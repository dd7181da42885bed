"""Shared set-up for the pam_cognito-sync tests: an emulator with a pool of
its own (names that no host has), a config writer that knows lists, and a
runner for the built tool."""
import copy
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Appended, not put first: the other suites' test_*.py must never shadow
# the ones of the suite that imports this file (tests/pam does).
for _dir in ("pam", "emulator", "e2e"):
    sys.path.append(str(HERE.parent / _dir))

from control import Emulator, default_fixture  # noqa: E402
import systemstate  # noqa: E402
from pamrun import libconfig_value  # noqa: E402
import sigv4  # noqa: E402

BUILD = Path(os.environ.get("PAM_COGNITO_BUILD", HERE.parent.parent / "build"))
TOOL = str(BUILD / "pam_cognito-sync")
REGION = "us-east-1"
POOL = "us-east-1_Emul4tor"
CLIENT = "publicclient0000000000000001"
KEY = sigv4.DEFAULT_KEYS[0]
TEMP_KEY = sigv4.DEFAULT_KEYS[1]
PASSWORD = "Sync-Passw0rd!"


SAFE_WRITES = ("email", "name", "phone_number")


def sub(n):
    return "5c000000-0000-4000-8000-%012d" % n


def sync_fixture(many=0):
    """The default fixture plus pcs-* groups and users (no host has these
    names), and `many` extra members of pcs-many for pagination."""
    fx = copy.deepcopy(default_fixture())
    pool = fx["UserPools"][0]
    # Clients that let users write only what the sync never trusts (a
    # client without a list lets them write everything; the sync refuses).
    for client in pool["Clients"]:
        client["WriteAttributes"] = list(SAFE_WRITES)
    pool["Groups"] += [{"GroupName": g} for g in
                       ("pcs-staff", "pcs-ops", "pcs-many", "pcs-other", "root")]
    users = [
        ("pcs-ann", ["pcs-staff"], {}),
        ("pcs-ben", ["pcs-staff", "pcs-ops"], {}),
        ("pcs-cid", ["pcs-staff"], {"Enabled": False}),
        ("Pcs-Upper", ["pcs-staff"], {}),
        ("root", ["pcs-staff"], {}),
        ("pcs-dan", ["pcs-other"], {}),
    ]
    for i, (name, groups, extra) in enumerate(users, 1):
        spec = {"Username": name, "Password": PASSWORD, "Groups": groups,
                "Attributes": {"sub": sub(i), "email": name.lower() + "@example.com",
                               "email_verified": "true", "name": name}}
        spec.update(extra)
        pool["Users"].append(spec)
    for i in range(many):
        pool["Users"].append({"Username": "pcs-m%03d" % i, "Password": PASSWORD,
                              "Groups": ["pcs-many"],
                              "Attributes": {"sub": sub(1000 + i), "name": "m"}})
    return fx


def expire_client_check(nss):
    """As if the hours a passed app-client check is remembered for
    (sync/clientcheck.h) had gone by: the next direct run checks again."""
    state = Path(nss, "pam_cognito-sync.clientcheck")
    if state.exists():
        state.unlink()


def write_config(path, emu, **keys):
    """A config at path (0600). cache_dir defaults to "cache" beside path
    (the test's own directory): a run without --root sweeps its cache_dir,
    and the real one (/var/cache/pam_cognito) is this host's; a test that
    means the real one says cache_dir=None (the built-in default)."""
    base = {"region": REGION, "user_pool_id": POOL, "client_id": CLIENT,
            "idp_endpoint": emu.url, "identity_endpoint": emu.url, "timeout": 5,
            "nss_groups": ["pcs-staff", "pcs-ops"],
            "cache_dir": os.path.join(os.path.dirname(os.path.abspath(path)), "cache")}
    base.update(keys)
    text = "".join("%s = %s;\n" % (k, libconfig_value(v)) for k, v in base.items() if v is not None)
    Path(path).write_text(text)
    os.chmod(path, 0o600)
    return path


def key_env(key=KEY, **extra):
    """An environment with exactly these AWS credentials and no IMDS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=key["AccessKeyId"],
               AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"],
               AWS_EC2_METADATA_DISABLED="true")
    if key.get("SessionToken"):
        env["AWS_SESSION_TOKEN"] = key["SessionToken"]
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run_sync(config, *args, env=None, timeout=60):
    return subprocess.run([TOOL, "-c", config, *args], env=env if env is not None else key_env(),
                          capture_output=True, text=True, timeout=timeout)


def run_sync_traced(config, trace, *args, env=None, timeout=60):
    """run_sync under strace -f (trace: its -e trace= list): the result and
    the system calls the run and its children made, one per line."""
    fd, log = tempfile.mkstemp(prefix="pc-sync-strace-")
    os.close(fd)
    try:
        r = subprocess.run(["strace", "-f", "-qq", "-o", log, "-e", "trace=" + trace,
                            TOOL, "-c", config, *args],
                           env=env if env is not None else key_env(),
                           capture_output=True, text=True, timeout=timeout)
        return r, Path(log).read_text().splitlines()
    finally:
        os.unlink(log)


_PRIVATE_DEV_LOG = """set -e
old=$1; sock=$2; shift 2
mount --bind /dev "$old"
mount -t tmpfs -o mode=0755 pcdev /dev
for n in null zero full random urandom tty; do
  touch /dev/$n; mount --bind "$old/$n" /dev/$n
done
touch /dev/log; mount --bind "$sock" /dev/log
exec "$@"
"""


def run_sync_syslog(config, *args, env=None, timeout=60):
    """run_sync in a mount namespace of its own whose /dev/log is a socket
    of this test (nothing of the host's /dev changes): the result and the
    syslog lines the run sent, "<priority>... prog[pid]: text" each."""
    d = tempfile.mkdtemp(prefix="pc-sync-syslog-")
    sock_path = os.path.join(d, "log.sock")
    os.mkdir(os.path.join(d, "olddev"))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        sock.bind(sock_path)
        r = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            _PRIVATE_DEV_LOG, "sh", os.path.join(d, "olddev"), sock_path,
                            TOOL, "-c", config, *args],
                           env=env if env is not None else key_env(),
                           capture_output=True, text=True, timeout=timeout)
        sock.setblocking(False)
        lines = []
        while True:
            try:
                lines.append(sock.recv(65536).decode(errors="replace"))
            except BlockingIOError:
                return r, lines
    finally:
        sock.close()
        shutil.rmtree(d, True)


def hashed(key, lo=200000, hi=299999):
    """The documented hash: SHA-256, first 8 bytes big-endian, mod range."""
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return lo + h % (hi - lo + 1)


def read_entries(path):
    """{name: [fields]} of a colon file."""
    out = {}
    for line in Path(path).read_text().splitlines():
        fields = line.split(":")
        out[fields[0]] = fields
    return out


def snapshot_dir(d):
    """Every file under d (the ssh/ keys too): contents and inode."""
    out = {}
    for top, _dirs, files in os.walk(d):
        for f in files:
            p = Path(top, f)
            out[str(p.relative_to(d))] = (p.read_bytes(), os.stat(p).st_ino)
    return dict(sorted(out.items()))


def tempdir(prefix):
    d = tempfile.mkdtemp(prefix=prefix)
    os.chmod(d, 0o755)
    return d


def make_root(d, *dirs):
    """A directory for --root: etc/ with copies of this host's passwd and
    group (so the system's ids and local groups are the same), an empty
    sudoers.d, as an image with sudo installed has, and var/lib plus dirs
    (absolute, made below d: the parents of an nss_dir)."""
    os.makedirs(os.path.join(d, "etc", "sudoers.d"), 0o755)
    for sub_dir in ("/var/lib",) + dirs:
        os.makedirs(d + sub_dir, 0o755, exist_ok=True)
    etc_from = "/etc"
    for f in ("passwd", "group"):
        shutil.copy(os.path.join(etc_from, f), os.path.join(d, "etc", f))
    return d


_WATCHED_BEFORE = {}


def setUpModule():
    """Every test module of tests/sync imports this pair: the system files
    a sync could touch (systemstate.WATCHED: /etc/passwd, /etc/group,
    /etc/nsswitch.conf, /etc/sudoers.d, the default cache_dir
    /var/cache/pam_cognito) are read before its first test..."""
    _WATCHED_BEFORE.clear()
    _WATCHED_BEFORE.update(systemstate.watched())


def tearDownModule():
    """...and must be byte for byte the same, modes and owners too, after
    its last. (tests/run runs the suites one after the other; run by hand
    beside tests/pam, which adds and removes local users, this can see
    those come and go.)"""
    after = systemstate.watched()
    changed = [p for p in systemstate.WATCHED if after[p] != _WATCHED_BEFORE.get(p)]
    for p in changed:  # a directory: which of its files
        was, now = _WATCHED_BEFORE.get(p), after[p]
        if isinstance(was, dict) and isinstance(now, dict):
            names = sorted(n for n in set(was) | set(now) if was.get(n) != now.get(n))
            changed[changed.index(p)] = "%s (%s)" % (p, ", ".join(names))
    if changed:
        raise AssertionError("this test module left the system's %s changed"
                             % ", ".join(changed))


class SyncCase(unittest.TestCase):
    """One emulator per class with the sync fixture (`many` extra members
    of pcs-many), back to it before each test; each test gets a directory
    of its own (self.tmp) and a config (self.cfg) that writes the files to
    self.nss."""

    many = 0
    prefix = "pc-sync-test-"

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(fixture=sync_fixture(many=cls.many)).start()
        cls.addClassCleanup(cls.emu.stop)

    def setUp(self):
        # A run without --root and without sudo_rules removes this host's
        # sudoers file as its own (pam_cognito-sync(8)): put back as it was,
        # whatever the test does (registered first, so it runs last).
        saved = systemstate.file_state(systemstate.SUDOERS)
        self.addCleanup(systemstate.put_file, systemstate.SUDOERS, saved)
        self.emu.control("Reset")
        self.emu.control("ClearFaults")
        self.tmp = tempdir(self.prefix)
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.nss = os.path.join(self.tmp, "nss")
        self.cfg = os.path.join(self.tmp, "pam_cognito.conf")
        write_config(self.cfg, self.emu, nss_dir=self.nss)
