"""Issuing and checking the user-pool tokens: ID, access and refresh."""

import uuid

import tokens
import userpool
from errors import CognitoError, invalid_parameter, not_authorized


def _claims_attributes(user):
    out = {}
    for name, value in user.visible_attributes().items():
        if name == "sub":
            continue
        if name in userpool.BOOLEAN_ATTRIBUTES:
            out[name] = value.lower() == "true"
        else:
            out[name] = value
    return out


def preferred_role(groups, roles):
    """cognito:preferred_role as the developer guide sets it: the role of
    the group with the best (lowest) Precedence, the only role when there is
    one, and none when no single role has the best precedence (a group
    without a Precedence ranks last)."""
    if len(roles) == 1:
        return roles[0]
    ranked = [g for g in groups if g.role_arn and g.precedence is not None]
    if not ranked:
        return None
    best = min(g.precedence for g in ranked)
    top = {g.role_arn for g in ranked if g.precedence == best}
    return top.pop() if len(top) == 1 else None


def issue_tokens(st, pool, client, user, auth_time, with_refresh=True, origin=None,
                 device=None, refresh_expires=None):
    """AuthenticationResult for a finished sign-in (or a refresh: then
    `origin` is the refresh token's origin_jti, as Cognito keeps it).
    `device` is the device key the tokens are bound to (refresh then needs it).
    `refresh_expires`: when a rotated refresh token runs out (the one it
    replaces would have then; developer guide, refresh token rotation)."""
    now = int(st.now())
    origin = origin or str(uuid.uuid4())
    event = str(uuid.uuid4())
    groups = pool.user_groups(user)
    idc = {"sub": user.sub}
    if groups:
        idc["cognito:groups"] = [g.name for g in groups]
        roles = []
        for g in groups:
            if g.role_arn and g.role_arn not in roles:
                roles.append(g.role_arn)
        if roles:
            preferred = preferred_role(groups, roles)
            if preferred:
                idc["cognito:preferred_role"] = preferred
            idc["cognito:roles"] = roles
    idc.update({"iss": pool.issuer, "cognito:username": user.username,
                "origin_jti": origin, "aud": client.id, "event_id": event,
                "token_use": "id", "auth_time": int(auth_time)})
    idc.update(_claims_attributes(user))
    idc.update({"exp": now + int(st.opt("IdTokenTtlSeconds")), "iat": now,
                "jti": str(uuid.uuid4())})
    acc = {"sub": user.sub}
    if groups:
        acc["cognito:groups"] = [g.name for g in groups]
    acc.update({"iss": pool.issuer, "client_id": client.id, "origin_jti": origin,
                "event_id": event, "token_use": "access",
                "scope": "aws.cognito.signin.user.admin", "auth_time": int(auth_time),
                "exp": now + int(st.opt("AccessTokenTtlSeconds")), "iat": now,
                "jti": str(uuid.uuid4()), "username": user.username})
    fault = st.faults.take(getattr(st, "current_op", "*"), tokens=True)
    id_fault = acc_fault = None
    if fault is not None:
        id_fault = fault.kind if fault.token in ("IdToken", "Both") else None
        acc_fault = fault.kind if fault.token in ("AccessToken", "Both") else None
        value = fault.value
    else:
        value = None
    form = pool.issuer_type
    result = {"AccessToken": st.keys.sign(acc, "access", acc_fault, value, now, form),
              "ExpiresIn": int(st.opt("AccessTokenTtlSeconds")),
              "TokenType": "Bearer",
              "IdToken": st.keys.sign(idc, "id", id_fault, value, now, form)}
    if with_refresh:
        refresh = tokens.new_refresh_token()
        st.refresh[refresh] = {"pool": pool.id, "client": client.id, "username": user.username,
                               "sub": user.sub, "auth_time": auth_time, "origin": origin,
                               "revoked": False, "device": device,
                               "expires": refresh_expires if refresh_expires is not None
                               else st.now() + st.opt("RefreshTokenTtlSeconds")}
        result["RefreshToken"] = refresh
    st.issued_tokens.append(dict(result))
    return {"AuthenticationResult": result, "ChallengeParameters": {}}


def user_from_access_token(st, token):
    """Validate an AccessToken the emulator issued; returns (pool, user, claims)."""
    if not isinstance(token, str) or not token:
        raise invalid_parameter("Missing required parameter AccessToken")
    try:
        claims = st.keys.decode(token, st.now())
    except tokens.TokenError as exc:
        if exc.reason == "expired" and exc.claims.get("token_use") == "access":
            raise not_authorized("Access Token has expired")
        raise not_authorized("Invalid Access Token")
    if claims.get("token_use") != "access":
        raise not_authorized("Invalid Access Token")
    if claims.get("origin_jti") in st.revoked_origins:
        raise not_authorized("Access Token has been revoked")
    pool = next((p for p in st.pools.values() if p.issuer_form(claims.get("iss"))), None)
    if pool is None or claims.get("client_id") not in pool.clients:
        raise not_authorized("Invalid Access Token")
    user = pool.find_user(claims.get("username", ""))
    if user is None or user.sub != claims.get("sub"):
        raise CognitoError("UserNotFoundException", "User does not exist.")
    if not user.enabled:
        raise not_authorized("User is disabled.")
    return pool, user, claims
