"""The credential store and signatures of a software FIDO2 authenticator:
ES256 (P-256) key pairs made and used through the openssl command (Python's
standard library has no ECDSA), a PIN, a signature counter. It stands in for
a security key because no hardware can be attached where the tests run; the
CTAPHID/CTAP2 side that libfido2 talks to is in authenticator.py."""

import hashlib
import os
import secrets
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emulator"))
import cbor  # noqa: E402

AAGUID = bytes.fromhex("70616d636f676e69746f2d736f66746b")  # "pamcognito-softk"
FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


def _openssl(args, data=None):
    run = subprocess.run(["openssl"] + args, input=data, capture_output=True, check=True)
    return run.stdout


def new_key():
    """(PEM private key, x, y) of a fresh P-256 key."""
    pem = _openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
    der = _openssl(["pkey", "-pubout", "-outform", "DER"], pem)
    point = der[-65:]
    assert point[0] == 4
    return pem, point[1:33], point[33:]


def sign(pem, data):
    """DER ES256 signature of data."""
    with tempfile.NamedTemporaryFile() as key:
        key.write(pem)
        key.flush()
        return _openssl(["dgst", "-sha256", "-sign", key.name], data)


def cose_key(x, y):
    return cbor.encode({1: 2, 3: -7, -1: 1, -2: x, -3: y})


class Credential:
    def __init__(self, rp_id, user_id, user_name, pem, x, y, cred_id=None):
        self.rp_id, self.user_id, self.user_name = rp_id, user_id, user_name
        self.pem, self.x, self.y = pem, x, y
        self.id = cred_id or secrets.token_bytes(32)


class SoftKey:
    """What a key holds: credentials, PIN, counter."""

    def __init__(self, pin=None):
        self.creds = []
        self.pin = pin
        self.counter = 0

    def auth_data(self, rp_id, flags, attested=None):
        self.counter += 1
        out = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + \
            self.counter.to_bytes(4, "big")
        if attested is not None:
            out += AAGUID + len(attested.id).to_bytes(2, "big") + attested.id + \
                cose_key(attested.x, attested.y)
        return out

    def make_credential(self, rp_id, client_hash, user_id, user_name, uv, fmt="packed"):
        pem, x, y = new_key()
        cred = Credential(rp_id, user_id, user_name, pem, x, y)
        flags = FLAG_UP | FLAG_AT | (FLAG_UV if uv else 0)
        data = self.auth_data(rp_id, flags, cred)
        if fmt == "packed":
            stmt = {"alg": -7, "sig": sign(pem, data + client_hash)}
        else:
            stmt = {}
        self.creds = [c for c in self.creds
                      if not (c.rp_id == rp_id and c.user_id == user_id)] + [cred]
        return cred, data, cbor.encode({"fmt": fmt, "attStmt": stmt, "authData": data})

    def find(self, rp_id, allow):
        """Credentials for rp_id, limited to the allow list when one is given."""
        return [c for c in self.creds if c.rp_id == rp_id and (not allow or c.id in allow)]

    def get_assertion(self, cred, client_hash, uv, up=True):
        data = self.auth_data(cred.rp_id, (FLAG_UP if up else 0) | (FLAG_UV if uv else 0))
        return data, sign(cred.pem, data + client_hash)
