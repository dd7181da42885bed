"""Server side of the test-only `EmulatorControl.<Op>` API."""

import time

import admin
import userpool
import error_catalog
import faults
import lockout
import threat
import totp
from errors import CognitoError, invalid_parameter, optional, require

SETTABLE = ("SessionTtlSeconds", "SrpTtlSeconds", "CodeTtlSeconds", "CredentialTtlSeconds",
            "IdTokenTtlSeconds", "AccessTokenTtlSeconds", "RefreshTokenTtlSeconds",
            "MaxCodeAttempts", "ChangePasswordAttemptLimit", "ChangePasswordWindowSeconds",
            "TimestampSkewSeconds", "ClockOffsetSeconds", "LockoutThreshold",
            "LockoutMaxSeconds", "LockoutQuietSeconds", "ResetCodeTtlSeconds",
            "MaxResetCodeAttempts", "OtpSendLimit", "OtpSendWindowSeconds")


def _find_user(st, body):
    username = require(body, "Username")
    pool_id = optional(body, "UserPoolId", str)
    pools = [st.pools[pool_id]] if pool_id in st.pools else (
        [] if pool_id else list(st.pools.values()))
    if pool_id and not pools:
        raise CognitoError("ResourceNotFoundException", "User pool %s does not exist." % pool_id)
    for pool in pools:
        user = pool.find_user(username)
        if user is not None:
            return pool, user
    raise CognitoError("UserNotFoundException", "User does not exist.")


def get_last_code(st, body):
    pool, user = _find_user(st, body)
    record = st.last_codes.get((pool.id, user.username))
    if record is None:
        raise CognitoError("ResourceNotFoundException",
                           "No code has been sent to %s." % user.username)
    return dict(record)


def totp_code(st, body):
    """The current TOTP code for a user's authenticator secret (test helper)."""
    pool, user = _find_user(st, body)
    if not user.totp_secret:
        raise invalid_parameter("User %s has no TOTP secret" % user.username)
    offset = optional(body, "OffsetSteps", int, 0)
    return {"Code": totp.code_at(user.totp_secret, time.time() + 30 * offset)}


RESET_STEPS = ("InitiateAuth", "PASSWORD_VERIFIER")


def set_options(st, body):
    for name, value in body.items():
        if name == "PasswordResetStep":
            # Where a RESET_REQUIRED user hears PasswordResetRequiredException
            # in USER_SRP_AUTH: at InitiateAuth, or after PASSWORD_VERIFIER.
            if value not in RESET_STEPS:
                raise invalid_parameter("PasswordResetStep must be one of %s"
                                        % ", ".join(RESET_STEPS))
            st.options[name] = value
            continue
        if name not in SETTABLE:
            raise invalid_parameter("Unknown option %s" % name)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or (
                value < 0 and name != "ClockOffsetSeconds"):
            raise invalid_parameter("Option %s must be a non-negative number" % name)
        st.options[name] = value
    return {"Options": {k: st.options[k] for k in SETTABLE + ("PasswordResetStep",)}}


def advance_clock(st, body):
    seconds = require(body, "Seconds", (int, float))
    st.options["ClockOffsetSeconds"] = float(st.options.get("ClockOffsetSeconds", 0)) + seconds
    return {"ClockOffsetSeconds": st.options["ClockOffsetSeconds"]}


def set_fault(st, body):
    kind = require(body, "Kind")
    if kind not in faults.KINDS:
        raise invalid_parameter("Unknown fault kind %s (known: %s)"
                                % (kind, ", ".join(sorted(faults.KINDS))))
    operation = optional(body, "Operation", str, "*")
    operation = operation.split(".")[-1]
    count = optional(body, "Count", int, 1)
    delay = optional(body, "DelaySeconds", (int, float), 5 if kind == "slow" else 0)
    if count < 1 or delay < 0 or delay > 600:
        raise invalid_parameter("Count must be >= 1 and DelaySeconds within [0, 600]")
    challenge = optional(body, "ChallengeName", str, None)
    if kind == "challenge" and not challenge:
        raise invalid_parameter("Kind challenge needs ChallengeName")
    value = optional(body, "Value", (str, int), None)
    token = optional(body, "Token", str, "IdToken")
    if token not in faults.TOKEN_CHOICES:
        raise invalid_parameter("Token must be one of %s" % ", ".join(faults.TOKEN_CHOICES))
    error_type = None
    if kind == "error":
        error_type = require(body, "ErrorType")
        # AnyType: a type the catalog does not list for the operation (a
        # future type, or one whose own flow a test cannot reach).
        if (not optional(body, "AnyType", bool, False)
                and not error_catalog.allowed(operation, error_type)):
            raise invalid_parameter("%s cannot return %s" % (operation, error_type))
        value = optional(body, "Message", str, "Injected %s" % error_type)
    when = optional(body, "When", str, None)
    st.faults.add(operation, kind, count, delay, challenge, value, token, error_type, when)
    return {"Faults": st.faults.pending()}


def rotate_signing_key(st, body):
    """New ID- and access-token keys (new kids) in the JWKS; KeepOld also
    keeps serving the previous ones."""
    keep = optional(body, "KeepOld", bool, False)
    st.keys.rotate(keep_old=keep)
    return {"IdTokenKid": st.keys.id_key.kid, "AccessTokenKid": st.keys.access_key.kid,
            "Jwks": st.keys.jwks()}


def signing_keys(st, body):
    """The kids in use and the served JWKS (what GET .../jwks.json answers)."""
    return {"IdTokenKid": st.keys.id_key.kid, "AccessTokenKid": st.keys.access_key.kid,
            "Jwks": st.keys.jwks()}


def clear_faults(st, body):
    st.faults.clear()
    return {}


def list_faults(st, body):
    return {"Faults": st.faults.pending()}


def stats(st, body):
    return st.stats.snapshot()


def reset_stats(st, body):
    st.stats.reset()
    return {}


def reset(st, body):
    st.reset()
    return {}


def issued_credentials(st, body):
    return {"Credentials": [dict(c) for c in st.issued]}


def issued_tokens(st, body):
    return {"Tokens": [dict(t) for t in st.issued_tokens]}


def expire_code(st, body):
    """Make the pending code of a user's live challenge session expire now."""
    pool, user = _find_user(st, body)
    n = 0
    for session in st.sessions.values():
        if session.pool_id == pool.id and session.username == user.username and session.code:
            session.code_expires = st.now() - 1
            n += 1
    return {"Expired": n}


def get_user_state(st, body):
    """Inspect a user (status, password, MFA) without going through tokens."""
    pool, user = _find_user(st, body)
    out = user.describe()
    out.update({"UserPoolId": pool.id, "Password": user.password,
                "TotpSecret": user.totp_secret, "Groups": list(user.groups),
                "Lockout": lockout.state(st, pool, user),
                "Devices": [{"DeviceKey": d.key, "DeviceGroupKey": d.group_key,
                             "Confirmed": d.confirmed, "Remembered": d.remembered,
                             "DeviceName": d.name}
                            for d in st.devices.values()
                            if d.pool_id == pool.id and d.username == user.username]})
    return out


def set_device_configuration(st, body):
    """A pool's DeviceConfiguration ({ChallengeRequiredOnNewDevice,
    DeviceOnlyRememberedOnUserPrompt}); null turns device tracking off."""
    pool_id = require(body, "UserPoolId")
    pool = st.pools.get(pool_id)
    if pool is None:
        raise CognitoError("ResourceNotFoundException", "User pool %s does not exist." % pool_id)
    if "DeviceConfiguration" not in body:
        raise invalid_parameter("Missing required parameter DeviceConfiguration")
    try:
        pool.device_config = userpool.check_device_config(body["DeviceConfiguration"])
    except ValueError as exc:
        raise invalid_parameter(str(exc))
    return {"DeviceConfiguration": pool.device_config}


def set_unserved_operations(st, body):
    """Answer these operations as a server that does not have them
    (UnknownOperationException, as for any unknown target): moto and older
    stand-ins have no GetTokensFromRefreshToken, say. Reset serves all."""
    ops = require(body, "Operations", list)
    if not all(isinstance(o, str) and o for o in ops):
        raise invalid_parameter("Operations must be operation names")
    st.unserved = set(ops)
    return {"Operations": sorted(st.unserved)}


def set_refresh_token_rotation(st, body):
    """An app client's RefreshTokenRotation {Feature, RetryGracePeriodSeconds}."""
    client_id = require(body, "ClientId")
    client = userpool.find_client(st.pools, client_id)
    if client is None:
        raise CognitoError("ResourceNotFoundException",
                           "User pool client %s does not exist." % client_id)
    try:
        client.rotation = userpool.check_rotation(body.get("RefreshTokenRotation"))
    except ValueError as exc:
        raise invalid_parameter(str(exc))
    return {"RefreshTokenRotation": dict(client.rotation)}


OPERATIONS = {
    "GetLastCode": get_last_code,
    "TotpCode": totp_code,
    "SetOptions": set_options,
    "AdvanceClock": advance_clock,
    "SetFault": set_fault,
    "ClearFaults": clear_faults,
    "ListFaults": list_faults,
    "Stats": stats,
    "ResetStats": reset_stats,
    "Reset": reset,
    "IssuedCredentials": issued_credentials,
    "IssuedTokens": issued_tokens,
    "SetTotpSecret": admin.set_totp_secret,
    "ExpireCode": expire_code,
    "GetUserState": get_user_state,
    "RotateSigningKey": rotate_signing_key,
    "SigningKeys": signing_keys,
    "SetDeviceConfiguration": set_device_configuration,
    "SetRefreshTokenRotation": set_refresh_token_rotation,
    "SetUnservedOperations": set_unserved_operations,
    "SetThreatProtectionBlock": lambda st, body: threat.set_block(st, body, _find_user),
}
