"""Token refresh: InitiateAuth REFRESH_TOKEN_AUTH and
GetTokensFromRefreshToken, with device binding and refresh-token rotation.

- Tokens issued to a device (pools that track devices) refresh only with
  that device's key (AuthParameters.DEVICE_KEY / DeviceKey) while the
  device is confirmed and not forgotten; otherwise NotAuthorizedException
  "Invalid Refresh Token." (the text real Cognito answers).
- An app client with RefreshTokenRotation {Feature: ENABLED} refuses
  REFRESH_TOKEN_AUTH (AWS: rotation needs that flow turned off in the
  client); GetTokensFromRefreshToken then returns a new refresh token and
  the one it replaced stops working RetryGracePeriodSeconds later
  (RefreshTokenReuseException). The new token runs out when the one it
  replaced would have.
- Every refresh request is logged (EmulatorControl.RefreshRequests): the
  call, and whether it named a device key, a client secret and
  ClientMetadata, so tests can see what a client sent."""

import hmac
import json

import devices
import userpool
from errors import CognitoError, invalid_parameter, not_authorized, optional, require
from grants import issue_tokens

INVALID = "Invalid Refresh Token."
REUSED = "Refresh Token has been rotated and is no longer valid."


def _grant(st, pool, client, token):
    grant = st.refresh.get(token)
    if grant is None or grant["client"] != client.id:
        raise not_authorized(INVALID)
    user = pool.find_user(grant["username"])
    if user is None or user.sub != grant["sub"]:
        raise not_authorized(INVALID)
    return grant, user


def _check(st, pool, grant, user, device_key):
    if grant.get("revoked"):
        raise not_authorized("Refresh Token has been revoked")
    replaced = grant.get("replaced_at")
    if replaced is not None and st.now() >= replaced:
        raise CognitoError("RefreshTokenReuseException", REUSED)
    if st.now() >= grant["expires"]:
        raise not_authorized("Refresh Token has expired")
    if not user.enabled:
        raise not_authorized("User is disabled.")
    if not devices.usable_for_refresh(st, pool, user, grant, device_key):
        raise not_authorized(INVALID)


def log_request(st, op, client_id, device_key, secret, metadata):
    st.refresh_log.append({"Operation": op, "ClientId": client_id,
                           "DeviceKey": device_key, "ClientSecretSent": bool(secret),
                           "ClientMetadata": metadata})
    del st.refresh_log[:-100]


def log_unserved(st, op, raw):
    """A GetTokensFromRefreshToken the server answered as unknown."""
    if op != "GetTokensFromRefreshToken":
        return
    try:
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        body = None
    body = body if isinstance(body, dict) else {}
    with st.lock:
        log_request(st, op, body.get("ClientId"), body.get("DeviceKey"),
                    body.get("ClientSecret"), body.get("ClientMetadata"))


def refresh_requests(st, body):
    """Control: the refresh requests since the last Reset, oldest first."""
    return {"Requests": [dict(r) for r in st.refresh_log]}


def refresh_token_auth(st, pool, client, params):
    """InitiateAuth with REFRESH_TOKEN_AUTH (or REFRESH_TOKEN); auth.py logs
    the request before it checks the client allows the flow."""
    from auth import check_secret_hash, need      # auth imports this module
    token = need(params, "REFRESH_TOKEN")
    grant, user = _grant(st, pool, client, token)
    names = [user.username, user.sub]
    if params.get("USERNAME") and pool.find_user(params["USERNAME"]) is user:
        names.append(params["USERNAME"])
    check_secret_hash(client, params, names)
    _check(st, pool, grant, user, params.get("DEVICE_KEY"))
    return issue_tokens(st, pool, client, user, grant["auth_time"], with_refresh=False,
                        origin=grant.get("origin"), device=grant.get("device"))


def get_tokens_from_refresh_token(st, body):
    log_request(st, "GetTokensFromRefreshToken", body.get("ClientId"), body.get("DeviceKey"),
         body.get("ClientSecret"), body.get("ClientMetadata"))
    token = require(body, "RefreshToken")
    client_id = require(body, "ClientId")
    client = userpool.find_client(st.pools, client_id)
    if client is None:
        raise CognitoError("ResourceNotFoundException",
                           "User pool client %s does not exist." % client_id)
    secret = optional(body, "ClientSecret", str)
    if client.secret:
        if not secret:
            raise not_authorized("Client %s is configured with secret but ClientSecret was "
                                 "not received" % client.id)
        if not hmac.compare_digest(secret.encode("utf-8"), client.secret.encode("utf-8")):
            raise not_authorized("Unable to verify client secret for client %s" % client.id)
    elif secret:
        raise invalid_parameter("Client %s is not configured for secret but ClientSecret "
                                "was received" % client.id)
    device_key = optional(body, "DeviceKey", str)
    optional(body, "ClientMetadata", dict)
    pool = client.pool
    grant, user = _grant(st, pool, client, token)
    _check(st, pool, grant, user, device_key)
    rotate = client.rotation_enabled()
    out = issue_tokens(st, pool, client, user, grant["auth_time"], with_refresh=rotate,
                       origin=grant.get("origin"), device=grant.get("device"),
                       refresh_expires=grant["expires"])
    if rotate:
        grace = client.rotation_grace()
        first = st.now() + grace
        grant["replaced_at"] = min(grant.get("replaced_at") or first, first)
    # GetTokensFromRefreshTokenResponse has AuthenticationResult only (no
    # ChallengeParameters, unlike InitiateAuth's answer).
    return {"AuthenticationResult": out["AuthenticationResult"]}
