"""A software FIDO2 security key for the tests: CTAPHID reports over a Unix
socket, CTAP2 GetInfo, MakeCredential, GetAssertion and ClientPIN (PIN
protocol 1, getRetries/getKeyAgreement/getPinToken), ES256 credentials.

It stands in for hardware because none can be attached where the tests run
(and there is no /dev/uhid for a virtual HID device). libfido2 reaches it
through its own I/O hook (lib/fido/passkey_test_io.c, compiled only into the
check-only plugin), so libfido2 does all the CTAP2 work as it would with a
USB key. ECDH and AES go through the openssl command, like the signatures
(softkey.py): Python's standard library has neither.

    key = Authenticator(path, pin="1234").start()   # a thread
    key.touch = False      # never touched: the key answers a timeout
    key.opened             # how many times libfido2 opened the key
    key.stop()
"""

import hashlib
import hmac
import os
import secrets
import socket
import struct
import subprocess
import tempfile
import threading

import softkey
from softkey import cbor

CTAPHID_PING, CTAPHID_INIT, CTAPHID_CBOR, CTAPHID_CANCEL, CTAPHID_ERROR = \
    0x81, 0x86, 0x90, 0x91, 0xBF
OK, ERR_INVALID_CBOR, ERR_CREDENTIAL_EXCLUDED, ERR_UNSUPPORTED_ALGORITHM = 0x00, 0x12, 0x19, 0x26
ERR_NO_CREDENTIALS, ERR_USER_ACTION_TIMEOUT, ERR_PIN_INVALID, ERR_PIN_BLOCKED = \
    0x2E, 0x2F, 0x31, 0x32
ERR_PIN_AUTH_INVALID, ERR_PIN_NOT_SET, ERR_PIN_REQUIRED, ERR_INVALID_COMMAND = \
    0x33, 0x35, 0x36, 0x01
P256_SPKI = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def _openssl(args, data=None):
    return subprocess.run(["openssl"] + args, input=data, capture_output=True,
                          check=True).stdout


def _aes(key, data, decrypt=False):
    args = ["enc", "-aes-256-cbc", "-K", key.hex(), "-iv", "00" * 16, "-nopad"]
    return _openssl(args + (["-d"] if decrypt else []), data)


def _ecdh(pem, x, y):
    with tempfile.TemporaryDirectory() as tmp:
        mine, peer = os.path.join(tmp, "k.pem"), os.path.join(tmp, "p.der")
        with open(mine, "wb") as f:
            f.write(pem)
        with open(peer, "wb") as f:
            f.write(P256_SPKI + b"\x04" + x + y)
        return _openssl(["pkeyutl", "-derive", "-inkey", mine, "-peerkey", peer,
                         "-peerform", "DER"])


class Authenticator:
    def __init__(self, path, pin=None, store=None):
        self.path = path
        self.store = store or softkey.SoftKey()
        self.pin = pin
        self.retries = 8
        self.touch = True          # False: nobody touches it (a timeout)
        self.seen = []             # CTAP2 commands received, for the tests
        self.opened = 0            # connections: each is one open of the key
        self._token = None
        self._agreement = None
        self._stop = threading.Event()

    # -- the socket ------------------------------------------------------------
    def start(self):
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self._stop.set()
        self.thread.join(5)
        self.sock.close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            self.opened += 1
            with conn:
                try:
                    self._session(conn)
                except (OSError, ConnectionError):
                    pass

    @staticmethod
    def _recv(conn, n):
        out = b""
        while len(out) < n:
            chunk = conn.recv(n - len(out))
            if not chunk:
                raise ConnectionError("closed")
            out += chunk
        return out

    def _message(self, conn):
        """(cid, cmd, payload) from the reports libfido2 writes (report ID
        byte, then 64 bytes)."""
        frame = self._recv(conn, 65)[1:]
        cid, cmd = frame[:4], frame[4]
        size = struct.unpack(">H", frame[5:7])[0]
        data = frame[7:]
        while len(data) < size:
            data += self._recv(conn, 65)[1:][5:]
        return cid, cmd, data[:size]

    @staticmethod
    def _send(conn, cid, cmd, payload):
        first = cid + bytes([cmd]) + struct.pack(">H", len(payload)) + payload[:57]
        frames = [first]
        rest, seq = payload[57:], 0
        while rest:
            frames.append(cid + bytes([seq]) + rest[:59])
            rest, seq = rest[59:], seq + 1
        conn.sendall(b"".join(f.ljust(64, b"\0") for f in frames))

    def _session(self, conn):
        while not self._stop.is_set():
            cid, cmd, data = self._message(conn)
            if cmd == CTAPHID_INIT:
                new_cid = secrets.token_bytes(4)
                self._send(conn, cid, cmd, data[:8] + new_cid + bytes([2, 1, 0, 0, 0x0C]))
            elif cmd == CTAPHID_PING:
                self._send(conn, cid, cmd, data)
            elif cmd == CTAPHID_CANCEL:
                continue
            elif cmd == CTAPHID_CBOR:
                self._send(conn, cid, cmd, self._ctap2(data))
            else:
                self._send(conn, cid, CTAPHID_ERROR, bytes([ERR_INVALID_COMMAND]))

    # -- CTAP2 -----------------------------------------------------------------
    def _ctap2(self, data):
        command = data[0]
        try:
            request = cbor.decode(data[1:]) if len(data) > 1 else {}
        except (cbor.CborError, UnicodeDecodeError):
            return bytes([ERR_INVALID_CBOR])
        self.seen.append(command)
        handler = {0x04: self._info, 0x01: self._make, 0x02: self._get,
                   0x06: self._client_pin}.get(command)
        if handler is None:
            return bytes([ERR_INVALID_COMMAND])
        status, reply = handler(request)
        return bytes([status]) + (cbor.encode(reply) if reply is not None else b"")

    def _info(self, _):
        return OK, {1: ["FIDO_2_0"], 3: softkey.AAGUID,
                    4: {"rk": True, "up": True, "plat": False,
                        "clientPin": self.pin is not None},
                    5: 1200, 6: [1]}

    def _pin_ok(self, param, options, client_hash):
        """OK when no PIN was given or the pinUvAuthParam is right."""
        if param is None:
            return ERR_PIN_REQUIRED if self.pin is not None and \
                isinstance(options, dict) and options.get("uv") else OK
        if self._token is None or not hmac.compare_digest(
                hmac.new(self._token, client_hash, hashlib.sha256).digest()[:16], param):
            return ERR_PIN_AUTH_INVALID
        return OK

    def _make(self, request):
        client_hash, rp, user = request.get(1), request.get(2), request.get(3)
        if not isinstance(rp, dict) or not isinstance(user, dict) or \
                not isinstance(client_hash, bytes):
            return ERR_INVALID_CBOR, None
        if not any(p.get("alg") == -7 for p in request.get(4) or []):
            return ERR_UNSUPPORTED_ALGORITHM, None
        excluded = {c.get("id") for c in request.get(5) or []}
        if any(c.id in excluded for c in self.store.find(rp["id"], None)):
            return ERR_CREDENTIAL_EXCLUDED, None
        status = self._pin_ok(request.get(8), request.get(7), client_hash)
        if status != OK:
            return status, None
        if not self.touch:
            return ERR_USER_ACTION_TIMEOUT, None
        uv = request.get(8) is not None
        cred, data, att = self.store.make_credential(rp["id"], client_hash, user["id"],
                                                     user.get("name", ""), uv)
        decoded = cbor.decode(att)
        return OK, {1: decoded["fmt"], 2: decoded["authData"], 3: decoded["attStmt"]}

    def _get(self, request):
        rp_id, client_hash = request.get(1), request.get(2)
        if not isinstance(rp_id, str) or not isinstance(client_hash, bytes):
            return ERR_INVALID_CBOR, None
        allow = [c.get("id") for c in request.get(3) or []]
        status = self._pin_ok(request.get(6), request.get(5), client_hash)
        if status != OK:
            return status, None
        found = self.store.find(rp_id, allow)
        if not found:
            return ERR_NO_CREDENTIALS, None
        if not self.touch:
            return ERR_USER_ACTION_TIMEOUT, None
        cred = found[-1]
        uv = request.get(6) is not None
        data, sig = self.store.get_assertion(cred, client_hash, uv)
        return OK, {1: {"type": "public-key", "id": cred.id}, 2: data, 3: sig,
                    4: {"id": cred.user_id}}

    def _client_pin(self, request):
        sub = request.get(2)
        if sub == 1:
            return OK, {3: self.retries}
        if sub == 2:
            pem, x, y = softkey.new_key()
            self._agreement = pem
            return OK, {1: {1: 2, 3: -25, -1: 1, -2: x, -3: y}}
        if sub == 5:
            return self._pin_token(request)
        return ERR_INVALID_COMMAND, None

    def _pin_token(self, request):
        if self.pin is None:
            return ERR_PIN_NOT_SET, None
        if self.retries <= 0:
            return ERR_PIN_BLOCKED, None
        peer, enc = request.get(3) or {}, request.get(6)
        if self._agreement is None or not isinstance(enc, bytes):
            return ERR_INVALID_CBOR, None
        shared = hashlib.sha256(_ecdh(self._agreement, peer.get(-2), peer.get(-3))).digest()
        want = hashlib.sha256(self.pin.encode()).digest()[:16]
        if not hmac.compare_digest(_aes(shared, enc, decrypt=True), want):
            self.retries -= 1
            self._agreement = None
            return (ERR_PIN_BLOCKED if self.retries <= 0 else ERR_PIN_INVALID), None
        self.retries = 8
        self._token = secrets.token_bytes(32)
        return OK, {2: _aes(shared, self._token)}
