"""JWTs for ID and access tokens (HS256 with an emulator-internal key) and
opaque refresh tokens."""

import base64
import hashlib
import hmac
import json
import secrets


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenError(Exception):
    """Why a token was refused: 'malformed', 'signature' or 'expired'."""

    def __init__(self, reason, claims=None):
        super().__init__(reason)
        self.reason = reason
        self.claims = claims or {}


class Signer:
    def __init__(self, key=None, kid="emulator-hs256"):
        self.key = key or secrets.token_bytes(32)
        self.kid = kid

    def sign(self, claims):
        header = {"kid": self.kid, "alg": "HS256"}
        head = b64url(json.dumps(header, separators=(",", ":")).encode())
        body = b64url(json.dumps(claims, separators=(",", ":")).encode())
        mac = hmac.new(self.key, (head + "." + body).encode(), hashlib.sha256).digest()
        return head + "." + body + "." + b64url(mac)

    def decode(self, token, now):
        """Verify signature and expiry; returns the claims."""
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
        want = hmac.new(self.key, (head + "." + body).encode(), hashlib.sha256).digest()
        if header.get("alg") != "HS256" or not hmac.compare_digest(given, want):
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
