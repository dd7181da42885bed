"""End-to-end harness: drive real applications (OpenSSH sshd + ssh, passwd)
through a PAM stack of our choosing, without touching /etc/pam.d.

PAM stacks are supplied through pam_wrapper (LD_PRELOAD=libpam_wrapper.so,
PAM_WRAPPER=1, PAM_WRAPPER_SERVICE_DIR=<absolute dir>). Clients are driven
with pexpect. Every wait is bounded and every process we start is stopped by
PID (explicitly, in ``finally`` blocks, and from an atexit hook).

Must run as root (sshd, useradd, passwd for another user). See README.md.
"""

import atexit
import glob
import inspect
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import List, Optional

import pexpect

__all__ = [
    "PamServiceDir", "Sshd", "SshResult", "Passwd", "PasswdResult",
    "ensure_local_user", "remove_local_user", "find_pam_wrapper",
    "find_pam_wrapper_module", "clean_stale_pam_wrapper_dirs",
    "pid_alive", "HarnessError",
]

SSHD_BINARY = "/usr/sbin/sshd"
SSH_BINARY = shutil.which("ssh") or "/usr/bin/ssh"
PASSWD_BINARY = shutil.which("passwd", path="/usr/bin:/bin") or "/usr/bin/passwd"
TMP_PREFIX = "pam_cognito_e2e."

# Environment variables that must never reach the clients we spawn
# (the client must not load pam_wrapper itself).
_WRAPPER_VARS = ("LD_PRELOAD", "PAM_WRAPPER", "PAM_WRAPPER_SERVICE_DIR",
                 "PAM_WRAPPER_DEBUGLEVEL", "PAM_WRAPPER_USE_SYSLOG",
                 "PAM_WRAPPER_DISABLE_DEEPBIND", "PAM_WRAPPER_RUNTIME_DIR")


class HarnessError(RuntimeError):
    pass


# --------------------------------------------------------------------------
# process helpers
# --------------------------------------------------------------------------

def pid_alive(pid: int) -> bool:
    """True if pid exists and is not a zombie."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        state = stat[stat.rindex(")") + 2]
        return state not in ("Z", "X")
    except (OSError, ValueError, IndexError):
        return False


def _children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


def descendants(pid: int) -> List[int]:
    """All live descendant PIDs of pid (children first-level first)."""
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop(0)
        for c in kids.get(p, []):
            if c not in out:
                out.append(c)
                todo.append(c)
    return out


def _kill_pids(pids, grace: float = 3.0):
    """SIGTERM the given pids, wait up to grace seconds, then SIGKILL."""
    pids = [p for p in pids if pid_alive(p)]
    for p in pids:
        try:
            os.kill(p, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(pid_alive(p) for p in pids):
        for p in pids:          # reap our own children so they don't linger as zombies
            try:
                os.waitpid(p, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.05)
    for p in pids:
        if pid_alive(p):
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass


# --------------------------------------------------------------------------
# pam_wrapper
# --------------------------------------------------------------------------

_PWRAP_LIB = None


def find_pam_wrapper() -> str:
    """Absolute path of libpam_wrapper.so."""
    global _PWRAP_LIB
    if _PWRAP_LIB:
        return _PWRAP_LIB
    candidates = ["/usr/lib/x86_64-linux-gnu/libpam_wrapper.so",
                  "/lib/x86_64-linux-gnu/libpam_wrapper.so"]
    candidates += glob.glob("/usr/lib/*/libpam_wrapper.so")   # other multiarch dirs
    candidates += ["/usr/lib64/libpam_wrapper.so", "/usr/lib/libpam_wrapper.so"]
    for c in candidates:
        if os.path.isfile(c):
            _PWRAP_LIB = c
            return c
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True,
                             timeout=10).stdout
        m = re.search(r"libpam_wrapper\.so(?:\.\d+)* .*=> (\S+)", out)
        if m and os.path.isfile(m.group(1)):
            _PWRAP_LIB = m.group(1)
            return _PWRAP_LIB
    except (OSError, subprocess.TimeoutExpired):
        pass
    raise HarnessError("libpam_wrapper.so not found (apt-get install libpam-wrapper)")


def find_pam_wrapper_module(name: str) -> str:
    """Absolute path of one of pam_wrapper's test modules, e.g. 'pam_matrix.so'."""
    d = os.path.join(os.path.dirname(find_pam_wrapper()), "pam_wrapper")
    for c in [os.path.join(d, name), f"/usr/lib/x86_64-linux-gnu/pam_wrapper/{name}"]:
        if os.path.isfile(c):
            return c
    raise HarnessError(f"pam_wrapper module {name} not found")


_PWRAP_DIR_RE = re.compile(r"^/tmp/pam\.[0-9A-Za-z]$")


def clean_stale_pam_wrapper_dirs(min_age_without_pidfile: float = 60.0) -> List[str]:
    """Remove /tmp/pam.<c> copies left by dead pam_wrapper processes.

    pam_wrapper copies the service dir to /tmp/pam.<c> per process (only 62
    names exist) and processes that _exit() (sshd's connection children)
    never remove theirs. pam_wrapper's own stale check ignores pids > 65535.
    A dir is removed when the pid in its 'pid' file is dead; a dir without a
    pid file only when older than min_age_without_pidfile seconds (it may be
    in the middle of being created). Returns the removed paths.
    """
    removed = []
    for d in glob.glob("/tmp/pam.?"):
        if not _PWRAP_DIR_RE.match(d) or os.path.islink(d) or not os.path.isdir(d):
            continue
        pidfile = os.path.join(d, "pid")
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip() or "0")
        except FileNotFoundError:
            try:
                age = time.time() - os.stat(d).st_mtime
            except OSError:
                continue
            if age < min_age_without_pidfile:
                continue
            pid = 0
        except (OSError, ValueError):
            pid = 0
        if pid and pid_alive(pid):
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d)
    return removed


class PamServiceDir:
    """An absolute temporary directory of PAM service files for pam_wrapper.

    files: {service_name: file_text}. An 'other' file (deny everything) is
    added unless given, and /etc/pam.d/common-* are copied (unless given) so
    that '@include common-auth' etc. work: Debian's libpam resolves @include
    inside the wrapper's directory. Module paths in the stack should be
    absolute unless the module lives in the system module dir.
    """

    OTHER = ("auth     required pam_deny.so\n"
             "account  required pam_deny.so\n"
             "password required pam_deny.so\n"
             "session  required pam_deny.so\n")

    def __init__(self, files: dict):
        self.path = os.path.realpath(tempfile.mkdtemp(prefix=TMP_PREFIX + "svc."))
        os.chmod(self.path, 0o755)   # readable by non-root users (Passwd as_root=False)
        for src in sorted(glob.glob("/etc/pam.d/common-*")):
            if os.path.basename(src) not in files:
                shutil.copy(src, os.path.join(self.path, os.path.basename(src)))
        if "other" not in files:
            files = dict(files, other=self.OTHER)
        for name, text in files.items():
            self.write(name, text)
        _register_cleanup(self)

    def write(self, name: str, text: str):
        """(Re)write one service file; applications started afterwards see it."""
        if "/" in name or name in ("", ".", "..", "pid", "lib"):
            raise ValueError(f"bad service name {name!r}")
        if not text.endswith("\n"):
            text += "\n"
        p = os.path.join(self.path, name)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, 0o644)

    def env(self, debug_level: Optional[int] = None, use_syslog: bool = False) -> dict:
        """Variables to add to the environment of the PAM application.

        debug_level 0..3 makes pam_wrapper (and pam_syslog() of modules)
        print PWRAP_* lines on stderr; use_syslog=True sends them to syslog.
        """
        e = {"LD_PRELOAD": find_pam_wrapper(), "PAM_WRAPPER": "1",
             "PAM_WRAPPER_SERVICE_DIR": self.path}
        if debug_level is not None:
            e["PAM_WRAPPER_DEBUGLEVEL"] = str(int(debug_level))
        if use_syslog:
            e["PAM_WRAPPER_USE_SYSLOG"] = "1"
        return e

    def cleanup(self):
        if self.path and os.path.isdir(self.path):
            shutil.rmtree(self.path, ignore_errors=True)
        clean_stale_pam_wrapper_dirs()
        _unregister_cleanup(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


# --------------------------------------------------------------------------
# local users
# --------------------------------------------------------------------------

def ensure_local_user(name: str, shell: str = "/bin/sh"):
    """Create local account `name` (useradd -m) if missing. Idempotent.

    The password is left locked ('!'): the PAM stack under test is the
    password authority. Returns (uid, gid, home).
    """
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "-m", "-s", shell, name], check=True,
                       capture_output=True, text=True, timeout=30)
        pw = pwd.getpwnam(name)
    else:
        if pw.pw_shell != shell:
            subprocess.run(["usermod", "-s", shell, name], check=True,
                           capture_output=True, text=True, timeout=30)
            pw = pwd.getpwnam(name)
    return pw.pw_uid, pw.pw_gid, pw.pw_dir


def remove_local_user(name: str):
    """Remove the account and its home (userdel -r -f); no error if missing.
    Processes still owned by the user are killed by PID first."""
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    if uid != 0:
        pids = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    if os.stat(f"/proc/{d}").st_uid == uid:
                        pids.append(int(d))
                except OSError:
                    pass
        _kill_pids(pids)
    subprocess.run(["userdel", "-r", "-f", name], capture_output=True, text=True,
                   timeout=30)


# --------------------------------------------------------------------------
# driving an interactive client
# --------------------------------------------------------------------------

def _client_env(extra: Optional[dict] = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in _WRAPPER_VARS}
    env.update({"LC_ALL": "C", "LANG": "C", "TERM": "dumb"})
    if extra:
        env.update(extra)
    return env


@dataclass
class _Driven:
    exit_status: Optional[int] = None
    terminal: str = ""
    prompts_seen: List[str] = field(default_factory=list)
    echoed: List[Optional[bool]] = field(default_factory=list)
    failed_at: Optional[int] = None
    timed_out: bool = False


def _drive(child: "pexpect.spawn", steps, timeout: float) -> _Driven:
    """Answer steps [(prompt_regex, answer), ...] in order on child's terminal.

    Prompts are matched unanchored. answer None = only wait for the text, send
    nothing. Answers are not part of the transcript: an echoed answer (echo-on
    prompt) is stripped and recorded as echoed[i] = True (False if the tty did
    not echo it, None if undeterminable, i.e. empty answer or no answer sent).
    """
    res = _Driven()
    parts: List[str] = []
    deadline = time.monotonic() + timeout
    pending = None   # answer just sent, whose echo may start the next chunk

    def remaining():
        return max(0.05, deadline - time.monotonic())

    def take(chunk: str) -> str:
        nonlocal pending
        if pending is not None:
            ans, idx = pending
            pending = None
            if ans:
                if re.match(re.escape(ans) + r"(\r?\n|$)", chunk):
                    res.echoed[idx] = True
                    chunk = chunk[len(ans):]     # keep the newline after it
                else:
                    res.echoed[idx] = False
        return chunk

    for i, (prompt, answer) in enumerate(steps):
        pattern = prompt if hasattr(prompt, "search") else re.compile(prompt)
        idx = child.expect([pattern, pexpect.EOF, pexpect.TIMEOUT], timeout=remaining())
        before = take(child.before or "")
        parts.append(before)
        if idx != 0:
            res.failed_at = i
            res.timed_out = idx == 2
            break
        after = child.after if isinstance(child.after, str) else ""
        parts.append(after)
        text = "".join(parts)
        line_start = text.rfind("\n", 0, len(text) - len(after)) + 1
        res.prompts_seen.append(text[line_start:].strip("\r\n"))
        res.echoed.append(None)
        if callable(answer):  # computed when the prompt comes (a code just sent)
            # one that takes an argument gets the terminal text so far (a
            # secret shown before the prompt)
            takes_text = len(inspect.signature(answer).parameters) > 0
            answer = answer(text) if takes_text else answer()
        if answer is not None:
            child.sendline(answer)
            pending = (answer, i)

    if not res.timed_out:
        idx = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=remaining())
        parts.append(take(child.before or ""))
        res.timed_out = idx == 1
    res.terminal = "".join(parts).replace("\r\n", "\n").replace("\r", "")

    # Reap the child (bounded), killing it if it did not finish.
    try:
        if res.timed_out or child.isalive():
            child.close(force=True)
        else:
            child.close()
    except Exception:
        try:
            os.kill(child.pid, signal.SIGKILL)
        except (ProcessLookupError, TypeError):
            pass
    if child.exitstatus is not None:
        res.exit_status = child.exitstatus
    elif child.signalstatus is not None:
        res.exit_status = -child.signalstatus
    return res


# --------------------------------------------------------------------------
# sshd
# --------------------------------------------------------------------------

@dataclass
class SshResult:
    exit_status: Optional[int]       # ssh's exit status: remote command's, 255 on auth failure; -N if killed by signal N
    transcript: str                  # everything the client printed: terminal text (prompts, PAM messages, errors, remote stderr) followed by remote stdout; answers NOT included
    output: str                      # remote command's stdout only (exact)
    prompts_seen: List[str]          # the full line of each matched prompt, e.g. "(alice@127.0.0.1) First: "
    failed_at: Optional[int]         # index of the first step whose prompt never came, else None
    terminal: str = ""               # the terminal/stderr part of transcript alone
    echoed: List[Optional[bool]] = field(default_factory=list)   # per matched step: did the tty echo the answer (echo-on prompt)?
    timed_out: bool = False

    @property
    def env(self) -> dict:
        """output parsed as `env` output (NAME=value per line)."""
        d = {}
        for line in self.output.splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                d[k] = v
        return d


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    """A private sshd on a loopback port with its own config and host key.

    The PAM service name is the basename of argv[0]: sshd is started through
    a symlink <tmp>/<service_name> -> /usr/sbin/sshd, with pam_wrapper in
    its environment, so it reads <service_dir>/<service_name>.
    extra_config: sshd_config text. Plain keywords are placed BEFORE the
    harness defaults (sshd keeps the first value it reads, so they override
    them); anything from the first 'Match' line on goes at the end.
    """

    def __init__(self, service_dir: PamServiceDir, service_name: str = "sshd-cognito",
                 extra_config: str = "", log_path: Optional[str] = None,
                 debug_level: Optional[int] = None, start_timeout: float = 10.0,
                 port: Optional[int] = None, address: str = "127.0.0.1"):
        self.fixed_port = port          # None: a free port is picked
        self.address = address          # tests stay on loopback; the demo image needs 0.0.0.0
        self.service_dir = service_dir
        self.service_name = service_name
        self.extra_config = extra_config or ""
        self.debug_level = debug_level
        self.start_timeout = start_timeout
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix=TMP_PREFIX + "sshd."))
        self.log_path = log_path or os.path.join(self.tmp, "sshd.log")
        self.config_path = os.path.join(self.tmp, "sshd_config")
        self.host_key = os.path.join(self.tmp, "ssh_host_ed25519_key")
        self.port: Optional[int] = None
        self.pid: Optional[int] = None
        self._proc: Optional[subprocess.Popen] = None
        self._log_file = None
        _register_cleanup(self)         # tmp dir removed at exit even if never started

    # -- config ---------------------------------------------------------
    def _config_text(self, port: int) -> str:
        lines = self.extra_config.splitlines()
        split = next((i for i, l in enumerate(lines)
                      if l.strip().lower().startswith("match ")), len(lines))
        head, tail = lines[:split], lines[split:]
        base = [
            f"ListenAddress {self.address}:{port}",
            f"HostKey {self.host_key}",
            f"PidFile {os.path.join(self.tmp, 'sshd.pid')}",
            "UsePAM yes",
            "KbdInteractiveAuthentication yes",
            "PasswordAuthentication no",
            "AuthenticationMethods keyboard-interactive",
            "PubkeyAuthentication no",
            "HostbasedAuthentication no",
            "GSSAPIAuthentication no",
            "PermitRootLogin no",
            "PermitEmptyPasswords no",
            "AuthorizedKeysFile none",
            "UseDNS no",
            "PrintMotd no",
            "PrintLastLog no",
            "X11Forwarding no",
            "StrictModes no",
            "LoginGraceTime 30",
            "MaxAuthTries 6",
            "LogLevel VERBOSE",
        ]
        return "\n".join(["# generated by tests/e2e/harness.py", *head, *base, *tail]) + "\n"

    # -- lifecycle ------------------------------------------------------
    def start(self) -> "Sshd":
        if self.pid and pid_alive(self.pid):
            return self
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        if not os.path.exists(self.host_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e2e",
                            "-f", self.host_key], check=True, capture_output=True,
                           timeout=30)
        link = os.path.join(self.tmp, self.service_name)
        if not os.path.islink(link):
            os.symlink(SSHD_BINARY, link)
        env = dict(_client_env(), **self.service_dir.env(self.debug_level))

        last_err = ""
        for _attempt in range(5):           # retry if another process grabbed the port
            port = self.fixed_port or _free_port()
            with open(self.config_path, "w") as f:
                f.write(self._config_text(port))
            t = subprocess.run([SSHD_BINARY, "-t", "-f", self.config_path],
                               capture_output=True, text=True, timeout=30)
            if t.returncode != 0:
                raise HarnessError(f"sshd -t rejected the config: {t.stderr}\n"
                                   f"{open(self.config_path).read()}")
            self._log_file = open(self.log_path, "ab", buffering=0)
            start_off = self._log_file.tell()
            self._proc = subprocess.Popen(
                [link, "-D", "-e", "-f", self.config_path], env=env,
                stdin=subprocess.DEVNULL, stdout=self._log_file,
                stderr=self._log_file, start_new_session=True, close_fds=True)
            self.pid = self._proc.pid
            self.port = port
            _register_cleanup(self)
            if self._wait_listening(port, start_off):
                return self
            last_err = self._read_log(start_off)
            self.stop()
            if "Bind to port" not in last_err and "Address already in use" not in last_err:
                break
        raise HarnessError(f"sshd did not start; log:\n{last_err}")

    def _read_log(self, offset: int = 0) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _wait_listening(self, port: int, offset: int) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            if f"Server listening on {self.address} port {port}" in self._read_log(offset):
                return True
            time.sleep(0.05)
        return False

    @property
    def log(self) -> str:
        """Everything sshd (and pam_wrapper / modules' pam_syslog) wrote so far."""
        return self._read_log()

    def stop(self):
        """Stop sshd and every process it started (by PID). Idempotent."""
        try:
            if self.pid:
                victims = descendants(self.pid)
                _kill_pids([self.pid])
                if self._proc is not None:
                    try:
                        self._proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        pass
                # connection children call setsid(): not in our process group;
                # collect again in case new ones appeared, then stop them too
                victims += [p for p in descendants(self.pid) if p not in victims]
                _kill_pids(victims)
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None
            clean_stale_pam_wrapper_dirs()

    def cleanup(self):
        """stop() and remove the temporary directory (the log goes with it
        unless log_path was given)."""
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
        _unregister_cleanup(self)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # -- client ---------------------------------------------------------
    def ssh_command(self, user: str, command=None, ssh_options=()) -> List[str]:
        args = [SSH_BINARY, "-F", "/dev/null"]
        # ssh keeps the first value it reads for an option: callers' first.
        for o in ssh_options:
            args += ["-o", o]
        args += ["-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null",
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "PreferredAuthentications=keyboard-interactive",
                "-o", "KbdInteractiveAuthentication=yes",
                "-o", "NumberOfPasswordPrompts=1",
                "-o", "BatchMode=no",
                "-o", "ConnectTimeout=5",
                "-o", "ControlMaster=no", "-o", "ControlPath=none",
                "-o", "LogLevel=INFO"]
        args += ["-p", str(self.port), f"{user}@127.0.0.1"]
        if command is not None:
            args.append(command if isinstance(command, str) else shlex.join(command))
        return args

    def login(self, user: str, steps: list, command="env", timeout: float = 10,
              ssh_options=(), client_env: Optional[dict] = None) -> SshResult:
        """Log in as user with keyboard-interactive, answering steps in order.

        steps: [(prompt_regex, answer), ...]; regexes match unanchored (the
        client prefixes prompts with "(user@127.0.0.1) "); answer None = wait
        for the text without answering. command: remote command (str or list;
        None = no command, i.e. a login shell with nothing to read: avoid).
        client_env: variables over the client's (LC_ALL=C by default).
        The whole call is bounded by timeout; the client is killed by PID
        when it expires (result.timed_out).
        """
        if not self.pid or not pid_alive(self.pid):
            raise HarnessError("sshd is not running")
        out_fd, out_path = tempfile.mkstemp(prefix=TMP_PREFIX + "sshout.")
        os.close(out_fd)
        try:
            argv = self.ssh_command(user, command, ssh_options)
            # ssh's stdout -> file (remote stdout, exact); the pty gets the
            # prompts (/dev/tty), PAM messages and errors (stderr).
            child = pexpect.spawn("/bin/sh", ["-c", 'exec "$@" >"$0"', out_path, *argv],
                                  env=_client_env(client_env), encoding="utf-8",
                                  codec_errors="replace", timeout=timeout,
                                  dimensions=(24, 500))
            try:
                d = _drive(child, steps, timeout)
            finally:
                if child.isalive():
                    child.close(force=True)
            with open(out_path, "rb") as f:
                output = f.read().decode("utf-8", "replace")
        finally:
            os.unlink(out_path)
        return SshResult(exit_status=d.exit_status, transcript=d.terminal + output,
                         output=output, prompts_seen=d.prompts_seen,
                         failed_at=d.failed_at, terminal=d.terminal,
                         echoed=d.echoed, timed_out=d.timed_out)


# --------------------------------------------------------------------------
# passwd
# --------------------------------------------------------------------------

@dataclass
class PasswdResult:
    exit_status: Optional[int]       # passwd's exit status (0 ok; -N if killed by signal N)
    transcript: str                  # everything passwd printed (answers NOT included)
    prompts_seen: List[str]
    failed_at: Optional[int]
    echoed: List[Optional[bool]] = field(default_factory=list)
    timed_out: bool = False


class Passwd:
    """Run `passwd USER` with the service dir's 'passwd' stack."""

    def __init__(self, service_dir: PamServiceDir, debug_level: Optional[int] = None):
        self.service_dir = service_dir
        self.debug_level = debug_level
        self._tmp: Optional[str] = None

    def _nonsetuid_copy(self) -> str:
        # passwd is setuid root: run by a user, ld.so drops LD_PRELOAD. A
        # plain copy keeps pam_wrapper (it cannot write /etc/shadow, which the
        # module under test does not need).
        if self._tmp is None:
            self._tmp = os.path.realpath(tempfile.mkdtemp(prefix=TMP_PREFIX + "passwd."))
            os.chmod(self._tmp, 0o755)
            dst = os.path.join(self._tmp, "passwd")
            shutil.copy(PASSWD_BINARY, dst)
            os.chmod(dst, 0o755)
            _register_cleanup(self)
        return os.path.join(self._tmp, "passwd")

    def run(self, user: str, steps: list, as_root: bool = True, timeout: float = 10,
            args=()) -> PasswdResult:
        """as_root=True: root runs `passwd USER`. as_root=False: USER runs a
        non-setuid copy of passwd as themself (uid/gid/groups of USER)."""
        env = dict(_client_env(), **self.service_dir.env(self.debug_level))
        if as_root:
            argv, preexec = [PASSWD_BINARY, *args, user], None
        else:
            pw = pwd.getpwnam(user)
            argv = [self._nonsetuid_copy(), *args]
            env.update(HOME=pw.pw_dir, USER=user, LOGNAME=user)

            def preexec():
                os.setgroups(os.getgrouplist(user, pw.pw_gid))
                os.setgid(pw.pw_gid)
                os.setuid(pw.pw_uid)
        child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8",
                              codec_errors="replace", timeout=timeout,
                              dimensions=(24, 500), preexec_fn=preexec,
                              cwd="/")
        try:
            d = _drive(child, steps, timeout)
        finally:
            if child.isalive():
                child.close(force=True)
            clean_stale_pam_wrapper_dirs()
        return PasswdResult(exit_status=d.exit_status, transcript=d.terminal,
                            prompts_seen=d.prompts_seen, failed_at=d.failed_at,
                            echoed=d.echoed, timed_out=d.timed_out)

    def cleanup(self):
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        _unregister_cleanup(self)


# --------------------------------------------------------------------------
# last-resort cleanup
# --------------------------------------------------------------------------

_live = []


def _register_cleanup(obj):
    if not any(o is obj for o in _live):
        _live.append(obj)


def _unregister_cleanup(obj):
    _live[:] = [o for o in _live if o is not obj]


@atexit.register
def _cleanup_everything():
    # sshds first (they use the service dirs), then the rest
    for obj in sorted(list(_live), key=lambda o: not isinstance(o, Sshd)):
        try:
            obj.cleanup()
        except Exception:
            pass
    clean_stale_pam_wrapper_dirs()
