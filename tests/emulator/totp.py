"""RFC 6238 TOTP (SHA-1, 30 s step, 6 digits) for SOFTWARE_TOKEN_MFA."""

import base64
import hashlib
import hmac
import struct
import time


def _key(secret_b32):
    text = secret_b32.strip().replace(" ", "").upper()
    text += "=" * (-len(text) % 8)
    return base64.b32decode(text)


def code_at(secret_b32, when=None, step=30, digits=6):
    counter = int((time.time() if when is None else when) // step)
    mac = hmac.new(_key(secret_b32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % (10 ** digits)).zfill(digits)


def verify(secret_b32, code, when=None, window=1, step=30):
    """True when `code` matches the current step or one step either side."""
    if not isinstance(code, str) or not code.isdigit() or len(code) != 6:
        return False
    now = time.time() if when is None else when
    for drift in range(-window, window + 1):
        if hmac.compare_digest(code_at(secret_b32, now + drift * step, step), code):
            return True
    return False


def valid_secret(secret_b32):
    try:
        return len(_key(secret_b32)) >= 10
    except (ValueError, TypeError):
        return False
