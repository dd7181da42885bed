"""Passkeys (WebAuthn) as a user pool serves them: the WEB_AUTHN first factor
of choice-based sign-in (CREDENTIAL_REQUEST_OPTIONS out, CREDENTIAL back) and
the registration API (StartWebAuthnRegistration, CompleteWebAuthnRegistration,
ListWebAuthnCredentials, DeleteWebAuthnCredential).

Every answer is checked as a relying party must (WebAuthn level 3, 7.1 and
7.2): the client data's type, challenge and origin (https://<RelyingPartyId>),
the authenticator data's rpIdHash, UP and (when the pool requires it) UV
flags, the signature counter, and the ES256 signature, which OpenSSL checks
with the registered public key. Each failed check refuses the answer."""

import base64
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import tempfile
import time

import auth  # noqa: the sign-in chain (auth imports user_auth, which imports us)
import cbor
from errors import CognitoError, invalid_parameter, not_authorized, optional, require
from grants import user_from_access_token

TIMEOUT_MS = 180000          # what the options give the authenticator
REGISTRATION_TTL = 300       # seconds a StartWebAuthnRegistration challenge lives
MAX_CREDENTIALS = 20         # passkeys per user
# SubjectPublicKeyInfo of a P-256 key, up to the uncompressed point
P256_SPKI = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")
FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


def b64u(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64u(text, what):
    if not isinstance(text, str) or not text or "=" in text:
        raise invalid_parameter("%s is not base64url" % what)
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise invalid_parameter("%s is not base64url" % what)


def es256_verify(x, y, data, signature):
    """1 when signature (DER) is x,y's ES256 signature of data (OpenSSL)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("key.der", "data", "sig")}
        for name, raw in (("key.der", P256_SPKI + b"\x04" + x + y), ("data", data),
                          ("sig", signature)):
            with open(paths[name], "wb") as f:
                f.write(raw)
        run = subprocess.run(["openssl", "dgst", "-sha256", "-keyform", "DER", "-verify",
                              paths["key.der"], "-signature", paths["sig"], paths["data"]],
                             capture_output=True)
        return run.returncode == 0


def _enabled(pool):
    if "WEB_AUTHN" not in pool.first_factors:
        raise CognitoError("WebAuthnNotEnabledException",
                           "Passkeys are not enabled in this user pool.")
    if not pool.rp_id:
        raise CognitoError("WebAuthnConfigurationMissingException",
                           "The user pool has no relying party ID for passkeys.")


def usable(pool, user):
    return "WEB_AUTHN" in pool.first_factors and bool(pool.rp_id) and bool(user.passkeys)


def _client_data(raw_b64, kind, challenge, pool, errors):
    """Parse and check clientDataJSON; returns its raw bytes."""
    raw = unb64u(raw_b64, "clientDataJSON")
    try:
        data = json.loads(raw)
    except ValueError:
        raise invalid_parameter("clientDataJSON is not JSON")
    if not isinstance(data, dict) or data.get("type") != kind:
        raise errors("challenge", "clientDataJSON type is not %s." % kind)
    if not isinstance(data.get("challenge"), str) or not hmac.compare_digest(
            data["challenge"].encode(), b64u(challenge).encode()):
        raise errors("challenge", "The challenge does not match.")
    if data.get("origin") != "https://" + pool.rp_id:
        raise errors("origin", "The origin is not allowed for this relying party.")
    return raw


def _auth_data(raw, pool, errors):
    """Check rpIdHash and flags; returns (flags, sign count)."""
    if len(raw) < 37:
        raise invalid_parameter("authenticatorData is too short")
    if not hmac.compare_digest(raw[:32], hashlib.sha256(pool.rp_id.encode()).digest()):
        raise errors("rp", "The relying party ID hash does not match.")
    flags = raw[32]
    if not flags & FLAG_UP:
        raise errors("flags", "User presence was not asserted.")
    if pool.user_verification == "required" and not flags & FLAG_UV:
        raise errors("flags", "User verification is required.")
    return flags, int.from_bytes(raw[33:37], "big")


def _registration_error(kind, message):
    return CognitoError({"challenge": "WebAuthnChallengeNotFoundException",
                         "origin": "WebAuthnOriginNotAllowedException",
                         "rp": "WebAuthnRelyingPartyMismatchException",
                         "flags": "InvalidParameterException",
                         "key": "WebAuthnCredentialNotSupportedException"}[kind], message)


def _sign_in_error(kind, message):
    return not_authorized(message)


# -- registration --------------------------------------------------------------

def start_registration(st, body):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    _enabled(pool)
    if len(user.passkeys) >= MAX_CREDENTIALS:
        raise CognitoError("LimitExceededException",
                           "The user has the most passkeys a user can register.")
    challenge = secrets.token_bytes(32)
    st.webauthn_pending[(pool.id, user.username)] = (challenge, st.now() + REGISTRATION_TTL)
    name = user.attributes.get("email") or user.username
    return {"CredentialCreationOptions": {
        "challenge": b64u(challenge),
        "rp": {"id": pool.rp_id, "name": pool.rp_id},
        "user": {"id": b64u(user.sub.encode()), "name": user.username, "displayName": name},
        "pubKeyCredParams": [{"type": "public-key", "alg": -7},
                             {"type": "public-key", "alg": -257}],
        "timeout": TIMEOUT_MS,
        "excludeCredentials": [{"type": "public-key", "id": c["id"]} for c in user.passkeys],
        "authenticatorSelection": {"residentKey": "required", "requireResidentKey": True,
                                   "userVerification": pool.user_verification},
        "extensions": {"credProps": True}}}


def _cose_p256(key):
    if not isinstance(key, dict) or key.get(1) != 2 or key.get(3) != -7 or \
            key.get(-1) != 1 or not isinstance(key.get(-2), bytes) or \
            not isinstance(key.get(-3), bytes) or len(key[-2]) != 32 or len(key[-3]) != 32:
        raise _registration_error("key", "Only ES256 (P-256) passkeys are supported.")
    return key[-2], key[-3]


def _attested(auth_data):
    """(credential id, x, y) from authenticator data with AT set."""
    if not auth_data[32] & FLAG_AT or len(auth_data) < 55:
        raise invalid_parameter("attestationObject has no attested credential data")
    length = int.from_bytes(auth_data[53:55], "big")
    cred_id = auth_data[55:55 + length]
    if len(cred_id) != length:
        raise invalid_parameter("attestationObject is truncated")
    try:
        key, _ = cbor.decode_prefix(auth_data[55 + length:])
    except (cbor.CborError, UnicodeDecodeError):
        raise invalid_parameter("credentialPublicKey is not CBOR")
    x, y = _cose_p256(key)
    return cred_id, x, y


def _attestation_ok(fmt, stmt, auth_data, client_hash, x, y):
    """"none", or "packed" self attestation (signed with the credential's key)."""
    if fmt == "none":
        return stmt == {}
    if fmt == "packed" and isinstance(stmt, dict) and stmt.get("alg") == -7 and \
            isinstance(stmt.get("sig"), bytes) and "x5c" not in stmt:
        return es256_verify(x, y, auth_data + client_hash, stmt["sig"])
    return False


def complete_registration(st, body):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    _enabled(pool)
    cred = require(body, "Credential", dict)
    response = cred.get("response")
    if cred.get("type") != "public-key" or not isinstance(response, dict):
        raise invalid_parameter("Credential is not a public-key credential")
    pending = st.webauthn_pending.pop((pool.id, user.username), None)
    if pending is None or st.now() >= pending[1]:
        raise CognitoError("WebAuthnChallengeNotFoundException",
                           "No passkey registration was started, or it expired.")
    client_raw = _client_data(response.get("clientDataJSON"), "webauthn.create",
                              pending[0], pool, _registration_error)
    try:
        att = cbor.decode(unb64u(response.get("attestationObject"), "attestationObject"))
    except (cbor.CborError, UnicodeDecodeError):
        raise invalid_parameter("attestationObject is not CBOR")
    auth_data = att.get("authData") if isinstance(att, dict) else None
    if not isinstance(auth_data, bytes):
        raise invalid_parameter("attestationObject has no authData")
    _, count = _auth_data(auth_data, pool, _registration_error)
    cred_id, x, y = _attested(auth_data)
    if unb64u(cred.get("rawId") or cred.get("id"), "rawId") != cred_id or \
            cred.get("id") != b64u(cred_id):
        raise invalid_parameter("Credential id does not match the attested credential")
    if not _attestation_ok(att.get("fmt"), att.get("attStmt"), auth_data,
                           hashlib.sha256(client_raw).digest(), x, y):
        raise invalid_parameter("The attestation statement does not verify.")
    if any(c["raw"] == cred_id for c in user.passkeys):
        raise invalid_parameter("This passkey is already registered.")
    transports = response.get("transports")
    user.passkeys.append({
        "id": b64u(cred_id), "raw": cred_id, "x": x, "y": y, "count": count,
        "rp": pool.rp_id, "created": time.time(),
        "name": "Passkey %d" % (len(user.passkeys) + 1),
        "transports": [t for t in transports if isinstance(t, str)]
        if isinstance(transports, list) else [],
        "attachment": cred.get("authenticatorAttachment")})
    user.touch()
    return {}


def _describe(c):
    out = {"CredentialId": c["id"], "FriendlyCredentialName": c["name"],
           "RelyingPartyId": c["rp"], "AuthenticatorTransports": c["transports"],
           "CreatedAt": c["created"]}
    if c["attachment"] in ("platform", "cross-platform"):
        out["AuthenticatorAttachment"] = c["attachment"]
    return out


def list_credentials(st, body):
    _, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    limit = optional(body, "MaxResults", int, 20)
    if not 0 <= limit <= 20:
        raise invalid_parameter("1 validation error detected: Value at 'maxResults' failed "
                                "to satisfy constraint: Member must be between 0 and 20")
    start = 0
    token = optional(body, "NextToken", str)
    if token:
        if not token.isdigit() or int(token) > len(user.passkeys):
            raise invalid_parameter("Invalid NextToken")
        start = int(token)
    page = user.passkeys[start:start + (limit or 20)]
    out = {"Credentials": [_describe(c) for c in page]}
    if start + len(page) < len(user.passkeys):
        out["NextToken"] = str(start + len(page))
    return out


def delete_credential(st, body):
    _, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    wanted = require(body, "CredentialId")
    for c in user.passkeys:
        if c["id"] == wanted:
            user.passkeys.remove(c)
            user.touch()
            return {}
    raise CognitoError("ResourceNotFoundException", "The passkey does not exist.")


# -- sign-in: the WEB_AUTHN challenge ------------------------------------------

def begin(st, pool, client, user, login, device):
    challenge = secrets.token_bytes(32)
    options = {"challenge": b64u(challenge), "timeout": TIMEOUT_MS, "rpId": pool.rp_id,
               "allowCredentials": [dict({"type": "public-key", "id": c["id"]},
                                         **({"transports": c["transports"]}
                                            if c["transports"] else {}))
                                    for c in user.passkeys],
               "userVerification": pool.user_verification}
    return auth._challenge(st, pool, client, user, "WEB_AUTHN",
                           {"CREDENTIAL_REQUEST_OPTIONS": json.dumps(options)}, int(st.now()),
                           login, webauthn_challenge=challenge, device=device)


def _assertion(st, pool, user, session, text):
    """Check the AuthenticationResponseJSON; returns the credential used."""
    try:
        cred = json.loads(text)
    except ValueError:
        raise invalid_parameter("CREDENTIAL is not JSON")
    response = cred.get("response") if isinstance(cred, dict) else None
    if cred is None or not isinstance(response, dict) or cred.get("type") != "public-key":
        raise invalid_parameter("CREDENTIAL is not a public-key credential")
    raw_id = unb64u(cred.get("rawId") or cred.get("id"), "rawId")
    stored = next((c for c in user.passkeys if c["raw"] == raw_id), None)
    if stored is None or cred.get("id") != stored["id"]:
        raise not_authorized("The passkey is not registered to this user.")
    client_raw = _client_data(response.get("clientDataJSON"), "webauthn.get",
                              session.webauthn_challenge, pool, _sign_in_error)
    auth_data = unb64u(response.get("authenticatorData"), "authenticatorData")
    _, count = _auth_data(auth_data, pool, _sign_in_error)
    if (count or stored["count"]) and count <= stored["count"]:
        raise not_authorized("The signature counter did not increase.")
    handle = response.get("userHandle")
    if handle and unb64u(handle, "userHandle") != user.sub.encode():
        raise not_authorized("The user handle does not match.")
    signature = unb64u(response.get("signature"), "signature")
    if not es256_verify(stored["x"], stored["y"],
                        auth_data + hashlib.sha256(client_raw).digest(), signature):
        raise not_authorized("The passkey signature does not verify.")
    stored["count"] = count
    return stored


def answer(st, pool, client, user, session, answers):
    """RespondToAuthChallenge WEB_AUTHN: CREDENTIAL. One answer per challenge."""
    text = auth.need(answers, "CREDENTIAL")
    session.used = True
    _assertion(st, pool, user, session, text)
    return auth.finish(st, pool, client, user, session.auth_time, session.login,
                       session.device)


def set_pool_webauthn(st, body):
    """Control: change a pool's WebAuthnConfiguration (RelyingPartyId,
    UserVerification) as UpdateUserPool would."""
    pool = st.pools.get(require(body, "UserPoolId"))
    if pool is None:
        raise CognitoError("ResourceNotFoundException", "User pool does not exist.")
    uv = optional(body, "UserVerification", str, pool.user_verification)
    if uv not in ("required", "preferred"):
        raise invalid_parameter("UserVerification must be required or preferred")
    pool.user_verification = uv
    pool.rp_id = optional(body, "RelyingPartyId", str, pool.rp_id)
    return {}


CONTROL_OPERATIONS = {"SetPoolWebAuthn": set_pool_webauthn}

OPERATIONS = {
    "StartWebAuthnRegistration": start_registration,
    "CompleteWebAuthnRegistration": complete_registration,
    "ListWebAuthnCredentials": list_credentials,
    "DeleteWebAuthnCredential": delete_credential,
}
