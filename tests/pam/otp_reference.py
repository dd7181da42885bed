"""RFC 6238 TOTP for the tests (SHA-1, 30 s, 6 digits), written apart from
the emulator's own so that a shared mistake cannot hide."""
import base64
import hashlib
import hmac
import struct
import time


def totp(secret_b32, at=None, step=30, digits=6):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)
