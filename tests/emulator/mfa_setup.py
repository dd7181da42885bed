"""MFA_SETUP: AssociateSoftwareToken and VerifySoftwareToken, during sign-in
(with the challenge Session) or for a signed-in user (with AccessToken)."""

import base64
import secrets

import totp
from auth import BAD_SESSION, EXPIRED_SESSION, USED_SESSION, Session
from errors import CognitoError, invalid_parameter, not_authorized, require
from grants import user_from_access_token


def _base32_secret():
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def associate_software_token(st, body):
    if body.get("AccessToken"):
        pool, user, _ = user_from_access_token(st, body["AccessToken"])
        user.pending_totp = _base32_secret()
        return {"SecretCode": user.pending_totp}
    session = _setup_session(st, body)
    session.totp_secret = _base32_secret()
    return {"SecretCode": session.totp_secret, "Session": session.token}


def verify_software_token(st, body):
    code = require(body, "UserCode")
    if body.get("AccessToken"):
        pool, user, _ = user_from_access_token(st, body["AccessToken"])
        secret = getattr(user, "pending_totp", None)
        if not secret:
            raise invalid_parameter("User has not set up software token mfa")
        if not totp.verify(secret, code):
            raise CognitoError("EnableSoftwareTokenMFAException", "Code mismatch")
        user.totp_secret = secret
        user.touch()
        return {"Status": "SUCCESS"}
    session = _setup_session(st, body)
    if not session.totp_secret:
        raise invalid_parameter("User has not set up software token mfa")
    if not totp.verify(session.totp_secret, code):
        raise CognitoError("EnableSoftwareTokenMFAException", "Code mismatch")
    pool = st.pools[session.pool_id]
    user = pool.find_user(session.username)
    user.totp_secret = session.totp_secret
    user.totp_mfa = True
    user.mfa_setup_required = False
    user.touch()
    session.used = True
    nxt = Session(st, pool, pool.clients[session.client_id], user, "MFA_SETUP",
                  session.auth_time, session.login)
    nxt.verified = True
    nxt.device = session.device
    st.sessions[nxt.token] = nxt
    return {"Status": "SUCCESS", "Session": nxt.token}


def _setup_session(st, body):
    token = body.get("Session")
    if not token:
        raise invalid_parameter("Missing required parameter Session")
    session = st.sessions.get(token)
    if session is None or session.challenge != "MFA_SETUP" or session.dead:
        raise not_authorized(BAD_SESSION)
    if session.used:
        raise not_authorized(USED_SESSION)
    if st.now() >= session.expires:
        raise not_authorized(EXPIRED_SESSION)
    return session
