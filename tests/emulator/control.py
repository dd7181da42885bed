"""Python client for tests: start/stop the emulator and call it.

    import sys; sys.path.insert(0, "<repo>/tests/emulator")
    from control import Emulator, EmulatorError

    with Emulator() as emu:
        emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=..., AuthParameters=...)
        code = emu.control("GetLastCode", Username="smsuser")["Code"]
"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENTRY = os.path.join(HERE, "cognito_emulator.py")
DEFAULT_FIXTURE = os.path.join(HERE, "fixtures", "default.json")

IDP = "AWSCognitoIdentityProviderService"
IDENTITY = "AWSCognitoIdentityService"
CONTROL = "EmulatorControl"


class Headers(dict):
    """Response headers; look-ups ignore case."""

    def __init__(self, pairs):
        super().__init__((k.lower(), v) for k, v in pairs)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key):
        return super().__contains__(key.lower())

    def get(self, key, default=None):
        return super().get(key.lower(), default)


class EmulatorError(Exception):
    """An error answer from the emulator: `type`, `message`, `status`."""

    def __init__(self, type_, message, status):
        super().__init__("%s (%s): %s" % (type_, status, message))
        self.type = type_
        self.message = message
        self.status = status


def default_fixture():
    with open(DEFAULT_FIXTURE, encoding="utf-8") as fh:
        return json.load(fh)


class Emulator:
    def __init__(self, fixture=None, codes_file=None, python=sys.executable):
        self.fixture = fixture
        self.codes_file = codes_file
        self.python = python or "python3"
        self.proc = None
        self.port = None
        self.pid = None
        self.url = None
        self.timeout = 30.0
        self._tmpdir = None

    # -- lifecycle -----------------------------------------------------------
    def start(self):
        if self.proc is not None:
            return self
        self._tmpdir = tempfile.mkdtemp(prefix="cognito-emu-")
        port_file = os.path.join(self._tmpdir, "port")
        if isinstance(self.fixture, dict):
            fixture_path = os.path.join(self._tmpdir, "fixture.json")
            with open(fixture_path, "w", encoding="utf-8") as fh:
                json.dump(self.fixture, fh)
        else:
            fixture_path = self.fixture or DEFAULT_FIXTURE
        cmd = [self.python, ENTRY, "--host", "127.0.0.1", "--port", "0",
               "--port-file", port_file, "--fixture", fixture_path]
        if self.codes_file:
            cmd += ["--codes-file", self.codes_file]
        self._log = open(os.path.join(self._tmpdir, "emulator.log"), "w+b")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._log.seek(0)
                out = self._log.read().decode("utf-8", "replace")
                self._cleanup()
                raise RuntimeError("emulator exited with %s: %s" % (self.proc.returncode, out))
            try:
                with open(port_file, encoding="ascii") as fh:
                    text = fh.read().strip()
                if text:
                    self.port = int(text)
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.005)
        if self.port is None:
            self.stop()
            raise RuntimeError("emulator did not come up within 10 s")
        self.url = "http://127.0.0.1:%d" % self.port
        return self

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._cleanup()

    def _cleanup(self):
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
            self._log = None
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- calls ---------------------------------------------------------------
    def call_raw(self, target, body, headers=None):
        """POST one request on a fresh connection: (status, raw bytes, headers)."""
        payload = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            hdrs = {"Content-Type": "application/x-amz-json-1.1"}
            if target is not None:
                hdrs["X-Amz-Target"] = target
            hdrs.update(headers or {})
            conn.request("POST", "/", body=payload, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, data, Headers(resp.getheaders())
        finally:
            conn.close()

    def call(self, target, body):
        """(HTTP status, parsed body, headers); a non-JSON body comes back as
        {"_raw": text}."""
        status, data, headers = self.call_raw(target, body)
        try:
            parsed = json.loads(data.decode("utf-8")) if data else {}
        except (ValueError, UnicodeDecodeError):
            parsed = {"_raw": data.decode("utf-8", "replace")}
        if not isinstance(parsed, dict):
            parsed = {"_raw": parsed}
        return status, parsed, headers

    def _checked(self, target, body):
        status, parsed, _ = self.call(target, body)
        if status != 200:
            kind = str(parsed.get("__type", "HTTP%d" % status)).split("#")[-1]
            raise EmulatorError(kind, parsed.get("message"), status)
        return parsed

    def idp(self, op, **body):
        return self._checked("%s.%s" % (IDP, op), body)

    def identity(self, op, **body):
        return self._checked("%s.%s" % (IDENTITY, op), body)

    def control(self, op, **body):
        return self._checked("%s.%s" % (CONTROL, op), body)

    # -- what tests ask most -------------------------------------------------
    def last_code(self, username, pool=None):
        """The code last "sent" to username (SMS, email or reset)."""
        body = {"Username": username}
        if pool:
            body["UserPoolId"] = pool
        return self.control("GetLastCode", **body)["Code"]

    def calls(self, op):
        """How many times op was called since the last Reset or ResetStats."""
        return self.control("Stats")["ByOperation"].get(op, 0)
