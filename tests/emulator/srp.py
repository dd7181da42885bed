"""Server side of Cognito's SRP-6a variant (USER_SRP_AUTH, and device SRP).

Only the arithmetic lives here; no I/O and no emulator state.
Conventions (see /work/shared/cognito-protocol.md): 3072-bit MODP group
(RFC 3526), g = 2, H = SHA-256, numbers hashed as the bytes of their
"padded hex" form, k = H(pad(N) | pad(g)), HKDF info "Caldera Derived Key".
"""

import base64
import hashlib
import hmac
import secrets

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO = b"Caldera Derived Key"


def pad_hex(value):
    """Even-length hex with a leading 00 when the top bit would be set."""
    digits = format(value, "x")
    if len(digits) % 2:
        digits = "0" + digits
    if digits[0] in "89abcdef":
        digits = "00" + digits
    return digits


def pad_bytes(value):
    return bytes.fromhex(pad_hex(value))


def _h(data):
    return hashlib.sha256(data).digest()


def _h_int(data):
    return int.from_bytes(_h(data), "big")


K = _h_int(pad_bytes(N) + pad_bytes(G))


def pool_name(user_pool_id):
    """`us-east-1_AbC123` -> `AbC123`."""
    return user_pool_id.split("_", 1)[1]


def compute_x(salt, pool, user_id, password):
    inner = _h((pool + user_id + ":" + password).encode("utf-8"))
    return _h_int(pad_bytes(salt) + inner)


def compute_u(big_a, big_b):
    return _h_int(pad_bytes(big_a) + pad_bytes(big_b))


def hkdf16(ikm, salt):
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, INFO + b"\x01", hashlib.sha256).digest()[:16]


def parse_hex(text):
    """A hex string as the client sent it -> int, or None when not hex."""
    if not isinstance(text, str) or not text or len(text) > 4096:
        return None
    try:
        return int(text, 16)
    except ValueError:
        return None


class Exchange:
    """One server-side SRP exchange for one sign-in attempt.

    A fresh secret exponent b is drawn for every exchange; the salt is the
    caller's (stored with the verifier) or fresh; the verifier is derived
    from the stored password.
    """

    def __init__(self, user_pool_id, user_id, password, big_a, salt=None, verifier=None,
                 name=None):
        if big_a % N == 0:
            raise ValueError("A mod N is zero")
        # a device exchange passes the device group key as `name` and the
        # stored device verifier instead of a password
        self.pool = name if name is not None else pool_name(user_pool_id)
        self.user_id = user_id
        self.big_a = big_a
        self.salt = salt or 0
        while self.salt == 0:
            self.salt = int.from_bytes(secrets.token_bytes(16), "big")
        if verifier is None:
            verifier = pow(G, compute_x(self.salt, self.pool, user_id, password), N)
        while True:
            b = int.from_bytes(secrets.token_bytes(128), "big")
            big_b = (K * verifier + pow(G, b, N)) % N
            if big_b == 0:
                continue
            u = compute_u(big_a, big_b)
            if u != 0:
                break
        self.big_b = big_b
        premaster = pow(big_a * pow(verifier, u, N) % N, b, N)
        self._key = hkdf16(pad_bytes(premaster), pad_bytes(u))

    def salt_hex(self):
        return format(self.salt, "x")

    def b_hex(self):
        return format(self.big_b, "x")

    def expected_signature(self, user_id, secret_block_raw, timestamp):
        msg = (self.pool.encode("utf-8") + user_id.encode("utf-8")
               + secret_block_raw + timestamp.encode("utf-8"))
        return hmac.new(self._key, msg, hashlib.sha256).digest()

    def check_signature(self, user_id, secret_block_raw, timestamp, signature_b64):
        try:
            given = base64.b64decode(signature_b64, validate=True)
        except (ValueError, TypeError):
            return False
        want = self.expected_signature(user_id, secret_block_raw, timestamp)
        return hmac.compare_digest(given, want)
