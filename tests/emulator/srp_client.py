"""A small, independent client side of Cognito's SRP for the tests.

Deliberately written apart from the emulator's srp.py (different code,
same published arithmetic), so that a mistake in one is not silently
mirrored in the other. The official-client conformance test in
tests/conformance/ is the second, independent check.
"""

import base64
import datetime
import hashlib
import hmac
import secrets

PRIME = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
    "955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226"
    "1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)
_GEN = 2
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def signed_bytes(n):
    """Big-endian bytes of a positive integer with room for a sign bit
    (what Java's BigInteger.toByteArray gives); same as the padded hex."""
    length = n.bit_length() // 8 + 1
    return n.to_bytes(length, "big")


def sha(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


_K = int.from_bytes(sha(signed_bytes(PRIME), signed_bytes(_GEN)), "big")


def timestamp(now=None, pad_day=False):
    t = now or datetime.datetime.now(datetime.timezone.utc)
    day = ("%02d" if pad_day else "%d") % t.day
    return "%s %s %s %02d:%02d:%02d UTC %d" % (_DAYS[t.weekday()], _MONS[t.month - 1], day,
                                              t.hour, t.minute, t.second, t.year)


def secret_hash(secret, username, client_id):
    return base64.b64encode(hmac.new(secret.encode(), (username + client_id).encode(),
                                     hashlib.sha256).digest()).decode()


def device_secret(group_key, device_key):
    """What a client registers with ConfirmDevice: (device password,
    DeviceSecretVerifierConfig), the verifier over group key + device key."""
    password = base64.b64encode(secrets.token_bytes(40)).decode()
    salt = secrets.randbits(128) | (1 << 127)
    inner = sha((group_key + device_key + ":" + password).encode())
    x = int.from_bytes(sha(signed_bytes(salt), inner), "big")
    verifier = pow(_GEN, x, PRIME)
    config = {"Salt": base64.b64encode(signed_bytes(salt)).decode(),
              "PasswordVerifier": base64.b64encode(signed_bytes(verifier)).decode()}
    return password, config


class SrpClient:
    def __init__(self, pool_id, device_group=None):
        # device SRP: the device group key takes the pool name's place
        self.pool_part = device_group if device_group is not None else pool_id.split("_", 1)[1]
        self.a = secrets.randbits(1024) | 1
        self.A = pow(_GEN, self.a, PRIME)

    def srp_a(self):
        return format(self.A, "x")

    def answer(self, params, password, stamp=None, user_id=None):
        """ChallengeResponses for a PASSWORD_VERIFIER challenge."""
        user_id = user_id or params["USER_ID_FOR_SRP"]
        B = int(params["SRP_B"], 16)
        salt = int(params["SALT"], 16)
        if B % PRIME == 0:
            raise ValueError("B mod N is zero")
        u = int.from_bytes(sha(signed_bytes(self.A), signed_bytes(B)), "big")
        if u == 0:
            raise ValueError("u is zero")
        inner = sha((self.pool_part + user_id + ":" + password).encode())
        x = int.from_bytes(sha(signed_bytes(salt), inner), "big")
        S = pow(B - _K * pow(_GEN, x, PRIME), self.a + u * x, PRIME)
        prk = hmac.new(signed_bytes(u), signed_bytes(S), hashlib.sha256).digest()
        key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
        stamp = stamp or timestamp()
        block = params["SECRET_BLOCK"]
        msg = self.pool_part.encode() + user_id.encode() + base64.b64decode(block) + stamp.encode()
        sig = base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
        return {"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": block,
                "TIMESTAMP": stamp, "PASSWORD_CLAIM_SIGNATURE": sig}

    def device_answer(self, params, device_password, username, stamp=None):
        """ChallengeResponses for DEVICE_PASSWORD_VERIFIER."""
        out = self.answer(params, device_password, stamp=stamp, user_id=params["DEVICE_KEY"])
        out.update({"USERNAME": username, "DEVICE_KEY": params["DEVICE_KEY"]})
        return out
