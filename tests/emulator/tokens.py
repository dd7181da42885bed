"""JWTs for ID and access tokens (RS256, keys made at start and served as a
JWKS), the test-only token faults, and opaque refresh tokens."""

import base64
import hashlib
import hmac
import json
import secrets

from rsa_keys import KeyStock

# Faults that make the next issued token wrong in one way (SetFault Kind).
TOKEN_FAULTS = {
    "token_other_key",            # signed with a key the JWKS does not hold, unknown kid
    "token_other_key_known_kid",  # signed with another key, header names a served kid
    "token_alg_none",             # header alg "none", empty signature
    "token_alg_hs256",            # HS256 keyed with the served public key's PEM
    "token_bad_signature",        # one signature byte flipped
    "token_wrong_iss",            # iss of another pool (or Value)
    "token_wrong_aud",            # aud/client_id of another client (or Value)
    "token_expired",              # exp an hour ago (or Value seconds ago)
    "token_use_access",           # token_use "access" in the ID token
    "token_other_issuer_key",     # signed with the key the pool's other issuer serves
}
WRONG_ISS_POOL = "us-east-1_0therPool"
WRONG_AUD = "otherclient00000000000000001"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_part(obj):
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


class TokenError(Exception):
    """Why a token was refused: 'malformed', 'signature' or 'expired'."""

    def __init__(self, reason, claims=None):
        super().__init__(reason)
        self.reason = reason
        self.claims = claims or {}


class KeyRing:
    """The pool's signing keys: one for ID tokens and one for access tokens,
    as Cognito has, both in the JWKS. Rotation replaces them; the emulator
    still accepts tokens from any key it ever signed with. Every key comes
    from the stock, new to this ring (a rotation never brings back a kid
    the module may have cached). The updated issuer (issuer-cognito-idp)
    signs with a pair of its own, served only at its own JWKS, so that a
    client that mixes up the two key sets is caught."""

    def __init__(self, stock=None):
        self.stock = stock or KeyStock()
        self.start = (self.stock.take(), self.stock.take())
        self._other = None
        self._updated = None
        self.reset()

    def reset(self):
        self.id_key, self.access_key = self.start
        self.served = [self.id_key, self.access_key]
        self.known = {k.kid: k for k in self.served + list(self._updated or ())}

    def updated(self):
        """The updated issuer's (ID, access) keys (made on first use)."""
        if self._updated is None:
            self._updated = (self.stock.take(), self.stock.take())
            for key in self._updated:
                self.known[key.kid] = key
        return self._updated

    def pair(self, form):
        return self.updated() if form == "UPDATED" else (self.id_key, self.access_key)

    def other(self):
        """A key outside the JWKS (made on first use)."""
        if self._other is None:
            self._other = self.stock.take()
        return self._other

    def rotate(self, keep_old=False):
        self.id_key, self.access_key = self.stock.take(), self.stock.take()
        fresh = [self.id_key, self.access_key]
        self.served = fresh + (self.served if keep_old else [])
        for key in fresh:
            self.known[key.kid] = key
        return self.id_key.kid

    def jwks(self, form="ORIGINAL"):
        """The JWKS the issuer of `form` serves."""
        keys = list(self.updated()) if form == "UPDATED" else self.served
        return {"keys": [k.jwk() for k in keys]}

    # -- signing -------------------------------------------------------------
    def sign(self, claims, use, fault=None, value=None, now=0, form="ORIGINAL"):
        """A token for `use` ("id" or "access") by the issuer of `form`
        ("ORIGINAL" or "UPDATED"), bent by `fault` if given."""
        if fault == "token_other_issuer_key":
            form = "ORIGINAL" if form == "UPDATED" else "UPDATED"
        key = self.pair(form)[0 if use == "id" else 1]
        claims = dict(claims)
        header = {"kid": key.kid, "alg": "RS256"}
        if fault == "token_wrong_iss":
            claims["iss"] = value or claims["iss"].rsplit("/", 1)[0] + "/" + WRONG_ISS_POOL
        elif fault == "token_wrong_aud":
            claims["aud" if use == "id" else "client_id"] = value or WRONG_AUD
        elif fault == "token_expired":
            ago = int(value) if value else 3600
            life = claims["exp"] - claims["iat"]
            claims["exp"] = int(now) - ago
            claims["iat"] = claims["auth_time"] = claims["exp"] - life
        elif fault == "token_use_access":
            claims["token_use"] = "access"
        elif fault == "token_other_key":
            key = self.other()
            header["kid"] = key.kid
        elif fault == "token_other_key_known_kid":
            key = self.other()
        head = _json_part(dict(header, alg="none") if fault == "token_alg_none"
                          else dict(header, alg="HS256") if fault == "token_alg_hs256"
                          else header)
        signing_input = (head + "." + _json_part(claims)).encode("ascii")
        if fault == "token_alg_none":
            return signing_input.decode() + "."
        if fault == "token_alg_hs256":
            secret = key.public_pem().encode()
            return signing_input.decode() + "." + b64url(
                hmac.new(secret, signing_input, hashlib.sha256).digest())
        sig = bytearray(key.sign(signing_input))
        if fault == "token_bad_signature":
            sig[len(sig) // 2] ^= 0x01
        return signing_input.decode() + "." + b64url(bytes(sig))

    def decode(self, token, now):
        """Verify an RS256 signature by a key this ring made, and expiry;
        returns the claims."""
        if not isinstance(token, str) or token.count(".") != 2 or len(token) > 16384:
            raise TokenError("malformed")
        head, body, sig = token.split(".")
        try:
            header = json.loads(unb64url(head))
            claims = json.loads(unb64url(body))
            given = unb64url(sig)
        except (ValueError, TypeError):
            raise TokenError("malformed")
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise TokenError("malformed")
        key = self.known.get(header.get("kid"))
        if header.get("alg") != "RS256" or key is None or not key.verify(
                (head + "." + body).encode("ascii"), given):
            raise TokenError("signature", claims)
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)) or now >= exp:
            raise TokenError("expired", claims)
        return claims


def new_refresh_token():
    """Opaque, shaped like Cognito's five-part encrypted refresh token."""
    head = b64url(json.dumps({"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"},
                             separators=(",", ":")).encode())
    return ".".join([head, b64url(secrets.token_bytes(256)), b64url(secrets.token_bytes(12)),
                     b64url(secrets.token_bytes(600)), b64url(secrets.token_bytes(16))])
