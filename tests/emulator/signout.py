"""Ending sign-ins: RevokeToken (one refresh token and the access tokens
from the same sign-in), GlobalSignOut and AdminUserGlobalSignOut (every
sign-in of a user). Revoked refresh tokens answer NotAuthorizedException
"Refresh Token has been revoked"; revoked access tokens "Access Token has
been revoked"."""

import hmac

import admin
import userpool
from errors import CognitoError, invalid_parameter, optional, require
from grants import user_from_access_token


def revoke_grants(st, pool, username, only=None):
    """Revoke the grants of a user (or just `only`); returns how many."""
    n = 0
    for token, grant in st.refresh.items():
        if grant["pool"] != pool.id or grant["username"] != username:
            continue
        if only is not None and token != only:
            continue
        grant["revoked"] = True
        if grant.get("origin"):
            st.revoked_origins.add(grant["origin"])
        n += 1
    return n


def revoke_token(st, body):
    token = require(body, "Token")
    client_id = require(body, "ClientId")
    client = userpool.find_client(st.pools, client_id)
    if client is None:
        raise invalid_parameter("Invalid client id %s" % client_id)
    secret = optional(body, "ClientSecret", str)
    if client.secret and (not secret or not hmac.compare_digest(
            secret.encode("utf-8"), client.secret.encode("utf-8"))):
        raise CognitoError("UnauthorizedException", "Invalid client credentials")
    if not client.token_revocation:
        raise CognitoError("UnsupportedOperationException",
                           "Token revocation is not enabled for the client.")
    if token.count(".") == 2:
        raise CognitoError("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.")
    grant = st.refresh.get(token)
    if grant is None:
        return {}                      # like OAuth revocation: unknown tokens are no error
    if grant["client"] != client.id:
        raise CognitoError("UnauthorizedException", "Invalid client credentials")
    # the whole sign-in: a rotated token and the one it replaced share origin_jti
    for other, g in st.refresh.items():
        if g["client"] == client.id and g.get("origin") == grant.get("origin"):
            revoke_grants(st, client.pool, g["username"], only=other)
    return {}


def global_sign_out(st, body):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    revoke_grants(st, pool, user.username)
    return {}


def admin_user_global_sign_out(st, body):
    pool, user = admin.find_pool_user(st, body)
    revoke_grants(st, pool, user.username)
    return {}
