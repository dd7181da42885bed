"""User-pool sign-in: InitiateAuth, RespondToAuthChallenge and the
challenge chain that follows a verified password."""

import base64
import calendar
import hashlib
import hmac
import re
import secrets
import time
import uuid

import attributes
import devices
import lockout
import threat
import policy
import refresh
import srp
import totp
import userpool
import device_auth
import user_auth
import webauthn
from grants import issue_tokens
from errors import CognitoError, invalid_parameter, not_authorized, require, optional

AUTH_FLOWS = ("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
              "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH",
              "USER_AUTH")
CHALLENGES = ("SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
              "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE",
              "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH",
              "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP")
CODE_FIELDS = {"SMS_MFA": "SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
               "EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}

WRONG_PASSWORD = "Incorrect username or password."
BAD_SESSION = "Invalid session for the user."
EXPIRED_SESSION = "Invalid session for the user, session is expired."
USED_SESSION = "Invalid session for the user, session can only be used once."

TEMP_EXPIRED = "Temporary password has expired and must be reset by an administrator."

BLOCK_MAGIC = b"EMUSB1"
BLOCK_RANDOM = 1221          # 6 + 16 + 1221 + 32 = 1275 bytes = 1700 base64 chars

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIMESTAMP = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})$")


class Session:
    """State behind one `Session` string handed to the client."""

    def __init__(self, st, pool, client, user, challenge, auth_time, login):
        self.pool_id = pool.id
        self.client_id = client.id
        self.username = user.username
        self.challenge = challenge
        self.auth_time = auth_time
        self.login = login
        self.expires = st.now() + st.opt("SessionTtlSeconds")
        self.code = None
        self.code_expires = None
        self.wrong = 0
        self.used = False
        self.dead = False
        self.choices = None
        self.totp_secret = None
        self.device = None            # the confirmed Device this sign-in presented
        self.token = "AYAB" + base64.b64encode(secrets.token_bytes(690)).decode("ascii")


# -- helpers -------------------------------------------------------------------

def secret_hash(secret, username, client_id):
    mac = hmac.new(secret.encode("utf-8"), (username + client_id).encode("utf-8"),
                   hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def check_secret_hash(client, params, usernames):
    """Cognito's SECRET_HASH rule; `usernames` lists the names it may be
    computed with."""
    given = params.get("SECRET_HASH")
    if not client.secret:
        if given:
            raise invalid_parameter(
                "Client %s is not configured for secret but secret hash was received"
                % client.id)
        return
    if not given:
        raise not_authorized(
            "Client %s is configured with secret but SECRET_HASH was not received" % client.id)
    for name in usernames:
        if name and hmac.compare_digest(str(given), secret_hash(client.secret, name, client.id)):
            return
    raise not_authorized("Unable to verify secret hash for client %s" % client.id)


def get_client(st, body):
    client_id = require(body, "ClientId")
    client = userpool.find_client(st.pools, client_id)
    if client is None:
        raise CognitoError("ResourceNotFoundException",
                           "User pool client %s does not exist." % client_id)
    return client


def string_map(body, name, required=True):
    value = body.get(name)
    if value is None:
        if required:
            raise invalid_parameter("Missing required parameter %s" % name)
        return {}
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()):
        raise CognitoError("SerializationException",
                           "Expected a map of strings for %s" % name)
    # a JSON null is an absent member (the official client sends DEVICE_KEY: null)
    return {k: v for k, v in value.items() if v is not None}


def need(params, name):
    value = params.get(name)
    if value is None or value == "":
        raise invalid_parameter("Missing required parameter %s" % name)
    return value


def parse_timestamp(text):
    """Seconds since the epoch for Cognito's TIMESTAMP, or None if it is not
    exactly `EEE MMM d HH:mm:ss UTC yyyy` (day not zero-padded, weekday right)."""
    m = _TIMESTAMP.match(text or "")
    if not m:
        return None
    wday, mon, day, hh, mm, ss, year = m.groups()
    try:
        tm = time.strptime("%s %s %s %s %s %s" % (year, mon, day, hh, mm, ss),
                           "%Y %b %d %H %M %S")
    except ValueError:
        return None
    if _WEEKDAYS[tm.tm_wday] != wday:
        return None
    return calendar.timegm(tm)


def new_code():
    return str(secrets.randbelow(10 ** 6)).zfill(6)


def issue_block(st, pending):
    """A SECRET_BLOCK naming `pending` (an SRP exchange and what it is for)."""
    block_id = secrets.token_bytes(16)
    raw = BLOCK_MAGIC + block_id + secrets.token_bytes(BLOCK_RANDOM)
    raw += hmac.new(st.block_key, raw, hashlib.sha256).digest()
    pending["expires"] = st.now() + st.opt("SrpTtlSeconds")
    st.srp[block_id] = pending
    st.purge()
    return base64.b64encode(raw).decode("ascii")


def open_block(st, text):
    """(raw bytes, block id) of a SECRET_BLOCK the emulator issued."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise not_authorized(WRONG_PASSWORD)
    head = len(BLOCK_MAGIC)
    if len(raw) != head + 16 + BLOCK_RANDOM + 32 or not raw.startswith(BLOCK_MAGIC):
        raise not_authorized(WRONG_PASSWORD)
    tag = hmac.new(st.block_key, raw[:-32], hashlib.sha256).digest()
    if not hmac.compare_digest(tag, raw[-32:]):
        raise not_authorized(WRONG_PASSWORD)
    return raw, raw[head:head + 16]


def timestamp_ok(st, text):
    """TIMESTAMP well formed and within TimestampSkewSeconds of real time."""
    stamp = parse_timestamp(text)
    skew = float(st.opt("TimestampSkewSeconds"))
    return stamp is not None and not (skew > 0 and abs(stamp - time.time()) > skew)


# -- the challenge chain -------------------------------------------------------

def _challenge(st, pool, client, user, name, params, auth_time, login, **extra):
    session = Session(st, pool, client, user, name, auth_time, login)
    for key, value in extra.items():
        setattr(session, key, value)
    st.sessions[session.token] = session
    st.purge()
    return {"ChallengeName": name, "Session": session.token, "ChallengeParameters": params}


def _start_mfa(st, pool, client, user, method, auth_time, login, device=None):
    if method == "SOFTWARE_TOKEN_MFA":
        return _challenge(st, pool, client, user, method, {}, auth_time, login, device=device)
    if method == "SMS_MFA":
        medium, dest = "SMS", user.attributes.get("phone_number", "")
        masked = userpool.mask_phone(dest)
    else:
        medium, dest = "EMAIL", user.attributes.get("email", "")
        masked = userpool.mask_email(dest)
    code = new_code()
    st.record_code(pool, user, medium, dest, code)
    return _challenge(st, pool, client, user, method,
                      {"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
                       "CODE_DELIVERY_DESTINATION": masked},
                      auth_time, login, code=code, device=device,
                      code_expires=st.now() + st.opt("CodeTtlSeconds"))


def sign_in_tokens(st, pool, client, user, auth_time, device):
    """Tokens for a finished sign-in: bound to the device it authenticated,
    or, in a pool that tracks devices, to a new device announced in
    NewDeviceMetadata."""
    if device is None and pool.device_config is not None:
        device = devices.new_device(st, pool, user)
        out = issue_tokens(st, pool, client, user, auth_time, device=device.key)
        out["AuthenticationResult"]["NewDeviceMetadata"] = devices.metadata(device)
        return out
    return issue_tokens(st, pool, client, user, auth_time,
                        device=device.key if device is not None else None)


def finish(st, pool, client, user, auth_time, login, device):
    """After the last factor: a confirmed device proves itself with
    DEVICE_SRP_AUTH before the tokens."""
    if device is not None:
        return _challenge(st, pool, client, user, "DEVICE_SRP_AUTH", {}, auth_time, login,
                          device=device)
    return sign_in_tokens(st, pool, client, user, auth_time, None)


def after_new_password(st, pool, client, user, auth_time, login, device=None):
    """Second factor, or tokens. A remembered device stands in for the
    second factor when the pool says ChallengeRequiredOnNewDevice."""
    if user.mfa_setup_required or (pool.mfa_configuration == "ON" and not user.enabled_mfa()):
        return _challenge(st, pool, client, user, "MFA_SETUP",
                          {"MFAS_CAN_SETUP": userpool.json_compact(pool.mfa_setup_methods())},
                          auth_time, login, device=device)
    methods = [] if pool.mfa_configuration == "OFF" else user.enabled_mfa()
    if device is not None and device.remembered and \
            pool.device_config.get("ChallengeRequiredOnNewDevice"):
        methods = []
    if not methods:
        return finish(st, pool, client, user, auth_time, login, device)
    if user.preferred_mfa in methods:
        return _start_mfa(st, pool, client, user, user.preferred_mfa, auth_time, login, device)
    if len(methods) == 1:
        return _start_mfa(st, pool, client, user, methods[0], auth_time, login, device)
    return _challenge(st, pool, client, user, "SELECT_MFA_TYPE",
                      {"MFAS_CAN_CHOOSE": userpool.json_compact(methods)},
                      auth_time, login, choices=methods, device=device)


def after_password(st, pool, client, user, login, device=None):
    """Everything that follows a verified password. `device` is the
    confirmed device the sign-in presented (an unconfirmed one counts as
    none: the sign-in gets a new device key)."""
    if device is not None and not device.confirmed:
        device = None
    if user.status == "UNCONFIRMED":
        raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
    auth_time = int(st.now())
    if user.status == "FORCE_CHANGE_PASSWORD":
        days = float(pool.password_policy.get("TemporaryPasswordValidityDays", 7))
        if st.now() > user.temp_set + days * 86400:
            raise not_authorized(TEMP_EXPIRED)
        attrs = {k: v for k, v in user.visible_attributes().items() if k != "sub"}
        required = ["userAttributes." + a for a in pool.missing_required(user)]
        return _challenge(st, pool, client, user, "NEW_PASSWORD_REQUIRED",
                          {"USER_ID_FOR_SRP": user.username,
                           "requiredAttributes": userpool.json_compact(required),
                           "userAttributes": userpool.json_compact(attrs)},
                          auth_time, login, device=device)
    return after_new_password(st, pool, client, user, auth_time, login, device)


def _usable_user(user, reset_here=True):
    if not user.enabled:
        raise not_authorized("User is disabled.")
    if user.status == "RESET_REQUIRED" and reset_here:
        raise CognitoError("PasswordResetRequiredException", "Password reset required for the user")


# -- InitiateAuth --------------------------------------------------------------

def initiate_auth(st, body):
    flow = require(body, "AuthFlow")
    if flow not in AUTH_FLOWS:
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at 'authFlow' failed to satisfy "
            "constraint: Member must satisfy enum value set: [%s]" % (flow, ", ".join(AUTH_FLOWS)))
    client = get_client(st, body)
    pool = client.pool
    params = string_map(body, "AuthParameters", required=False)
    if flow.startswith("ADMIN_"):
        raise invalid_parameter("Initiate Auth method not supported.")
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        refresh.log_request(st, "REFRESH_TOKEN_AUTH", client.id, params.get("DEVICE_KEY"),
                            params.get("SECRET_HASH"), body.get("ClientMetadata"))
    if not client.allows(flow) or flow == "CUSTOM_AUTH":
        raise invalid_parameter("%s flow not enabled for this client" % flow)
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        return refresh.refresh_token_auth(st, pool, client, params)
    if flow == "USER_AUTH":
        return user_auth.initiate(st, pool, client, params)
    login = need(params, "USERNAME")
    if flow == "USER_SRP_AUTH":
        srp_a = need(params, "SRP_A")
    else:
        password = need(params, "PASSWORD")
    user = pool.find_user(login)
    check_secret_hash(client, params, [login] + ([user.username] if user else []))
    if flow == "USER_SRP_AUTH":
        return _srp_start(st, pool, client, user, login, srp_a, params.get("DEVICE_KEY"))
    if user is None:
        if client.prevent_user_existence_errors:
            raise not_authorized(WRONG_PASSWORD)
        raise CognitoError("UserNotFoundException", "User does not exist.")
    _usable_user(user)
    lockout.check(st, pool, user)
    if user.password is None or not hmac.compare_digest(
            password.encode("utf-8"), user.password.encode("utf-8")):
        lockout.failed(st, pool, user)
        raise not_authorized(WRONG_PASSWORD)
    threat.check(st, pool, user)
    lockout.succeeded(st, pool, user)
    device = devices.presented(st, pool, user, params.get("DEVICE_KEY"))
    return after_password(st, pool, client, user, login, device)


def _srp_start(st, pool, client, user, login, srp_a, device_key=None):
    big_a = srp.parse_hex(srp_a)
    if big_a is None or big_a % srp.N == 0:
        raise invalid_parameter("Invalid SRP_A value")
    if user is None:
        if not client.prevent_user_existence_errors:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        # a simulated challenge that looks the same at every try for this name
        fake = pool.key(login)
        user_id = str(uuid.UUID(bytes=_keyed(st, "id", pool.id, fake)[:16], version=4)) \
            if pool.username_attributes else login
        password = secrets.token_hex(16)
        salt = _keyed(st, "fake-salt", pool.id, fake)
    else:
        # PasswordResetStep "PASSWORD_VERIFIER": the demand comes after the
        # password proof (_password_verifier), as RespondToAuthChallenge's.
        _usable_user(user, st.opt("PasswordResetStep") == "InitiateAuth")
        user_id, password = user.username, user.password or secrets.token_hex(16)
        # a verifier is stored with its salt: the same until the password changes
        salt = _keyed(st, "salt", pool.id, user.username, password)
    exchange = srp.Exchange(pool.id, user_id, password, big_a,
                            salt=int.from_bytes(salt[:16], "big") or 1)
    block = issue_block(st, {"exchange": exchange, "pool": pool.id, "client": client.id,
                             "username": user.username if user else None, "user_id": user_id,
                             "login": login, "device_key": device_key})
    return {"ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": exchange.salt_hex(),
                "SECRET_BLOCK": block,
                "USER_ID_FOR_SRP": user_id,
                "USERNAME": user_id,
                "SRP_B": exchange.b_hex()}}


def _keyed(st, *parts):
    """Stable per emulator run: HMAC of the parts under the emulator key."""
    return hmac.new(st.block_key, "\x00".join(parts).encode("utf-8"), hashlib.sha256).digest()


# -- RespondToAuthChallenge ----------------------------------------------------

def respond_to_auth_challenge(st, body):
    name = require(body, "ChallengeName")
    if name not in CHALLENGES:
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at 'challengeName' failed to satisfy "
            "constraint: Member must satisfy enum value set: [%s]" % (name, ", ".join(CHALLENGES)))
    client = get_client(st, body)
    pool = client.pool
    answers = string_map(body, "ChallengeResponses", required=False)
    if name == "PASSWORD_VERIFIER":
        # DEVICE_KEY in the answer, even null, replaces the one InitiateAuth sent
        raw_answers = body.get("ChallengeResponses") or {}
        return _password_verifier(st, pool, client, answers, "DEVICE_KEY" in raw_answers)
    token = optional(body, "Session", str)
    if not token:
        raise invalid_parameter("Missing required parameter Session")
    login = need(answers, "USERNAME")
    session = st.sessions.get(token)
    if session is None or session.client_id != client.id or session.pool_id != pool.id:
        raise not_authorized(BAD_SESSION)
    if session.used:
        raise not_authorized(USED_SESSION)
    if st.now() >= session.expires:
        raise not_authorized(EXPIRED_SESSION)
    if session.dead:
        raise not_authorized(BAD_SESSION)
    user = pool.find_user(login)
    if user is None or user.username != session.username:
        raise not_authorized(BAD_SESSION)
    check_secret_hash(client, answers, [login, user.username])
    if name != session.challenge:
        raise not_authorized(BAD_SESSION)
    if not user.enabled:
        raise not_authorized("User is disabled.")
    if name == "NEW_PASSWORD_REQUIRED":
        return _new_password(st, pool, client, user, session, answers)
    if name in CODE_FIELDS:
        return _mfa_code(st, pool, client, user, session, name, answers)
    if name == "SELECT_CHALLENGE":
        return user_auth.select_challenge(st, pool, client, user, session, answers)
    if name == "WEB_AUTHN":
        return webauthn.answer(st, pool, client, user, session, answers)
    if name == "SELECT_MFA_TYPE":
        choice = need(answers, "ANSWER")
        if choice not in (session.choices or []):
            raise invalid_parameter("Invalid value for ANSWER: %s" % choice)
        session.used = True
        return _start_mfa(st, pool, client, user, choice, session.auth_time, session.login,
                          session.device)
    if name == "MFA_SETUP":
        if answers.get("EMAIL") and not getattr(session, "verified", False):
            return _email_setup(st, pool, client, user, session, answers["EMAIL"])
        if not getattr(session, "verified", False):
            raise not_authorized(BAD_SESSION)
        session.used = True
        return finish(st, pool, client, user, session.auth_time, session.login, session.device)
    if name == "DEVICE_SRP_AUTH":
        return device_auth.start(st, pool, client, user, session, answers)
    if name == "DEVICE_PASSWORD_VERIFIER":
        return device_auth.verify(st, pool, client, user, session, answers)
    raise invalid_parameter("Challenge %s is not supported by the emulator" % name)


def _password_verifier(st, pool, client, answers, answer_names_device):
    for field in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP",
                  "USERNAME"):
        need(answers, field)
    login = answers["USERNAME"]
    user = pool.find_user(login)
    check_secret_hash(client, answers, [login] + ([user.username] if user else []))
    raw, block_id = open_block(st, answers["PASSWORD_CLAIM_SECRET_BLOCK"])
    pending = st.srp.pop(block_id, None)               # single use
    if pending is None or pending["client"] != client.id or "exchange" not in pending \
            or pending.get("device"):
        raise not_authorized(WRONG_PASSWORD)
    if st.now() >= pending["expires"]:
        raise not_authorized(EXPIRED_SESSION)
    if pending["username"] is None:
        raise not_authorized(WRONG_PASSWORD)               # simulated (unknown user)
    if user is None or user.username != pending["username"]:
        raise not_authorized(WRONG_PASSWORD)
    lockout.check(st, pool, user)
    if not timestamp_ok(st, answers["TIMESTAMP"]):
        lockout.failed(st, pool, user)
        raise not_authorized(WRONG_PASSWORD)
    if not pending["exchange"].check_signature(pending["user_id"], raw, answers["TIMESTAMP"],
                                               answers["PASSWORD_CLAIM_SIGNATURE"]):
        lockout.failed(st, pool, user)
        raise not_authorized(WRONG_PASSWORD)
    threat.check(st, pool, user)
    lockout.succeeded(st, pool, user)
    _usable_user(user)
    key = answers.get("DEVICE_KEY") if answer_names_device else pending.get("device_key")
    try:
        device = devices.presented(st, pool, user, key)
    except CognitoError:
        # the official clients answer "Device does not exist." by sending the
        # same PASSWORD_VERIFIER again without DEVICE_KEY: keep the block
        st.srp[block_id] = pending
        raise
    return after_password(st, pool, client, user, pending["login"], device)


def _email_setup(st, pool, client, user, session, address):
    """MFA_SETUP answered with EMAIL: an EMAIL_OTP code goes to that address;
    the right code turns email MFA on for it."""
    if "EMAIL_OTP" not in pool.mfa_setup_methods():
        raise invalid_parameter("EMAIL_OTP is not an MFA method this user pool can set up")
    if "@" not in address or len(address) > 2048:
        raise invalid_parameter("Invalid email address format.")
    session.used = True
    code = new_code()
    st.record_code(pool, user, "EMAIL", address, code)
    return _challenge(st, pool, client, user, "EMAIL_OTP",
                      {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL",
                       "CODE_DELIVERY_DESTINATION": userpool.mask_email(address)},
                      session.auth_time, session.login, code=code, setup_email=address,
                      device=session.device,
                      code_expires=st.now() + st.opt("CodeTtlSeconds"))


def _new_password(st, pool, client, user, session, answers):
    new = need(answers, "NEW_PASSWORD")
    policy.check_shape(new, "challengeResponses")
    policy.check(new, pool.password_policy)
    given = {k[len("userAttributes."):]: v for k, v in answers.items()
             if k.startswith("userAttributes.")}
    if "sub" in given:
        raise invalid_parameter("Invalid attributes given, sub is not writable")
    missing = [a for a in pool.missing_required(user) if not given.get(a)]
    if missing:
        raise invalid_parameter("Invalid attributes given, %s is missing" % ", ".join(missing))
    attributes.check_formats(given)
    user.attributes.update(given)
    user.password = new
    user.status = "CONFIRMED"
    user.touch()
    session.used = True
    return after_new_password(st, pool, client, user, session.auth_time, session.login,
                              session.device)


def _mfa_code(st, pool, client, user, session, name, answers):
    code = need(answers, CODE_FIELDS[name])
    if name == "SOFTWARE_TOKEN_MFA":
        good = bool(user.totp_secret) and totp.verify(user.totp_secret, code, when=time.time())
    else:
        if session.code_expires is not None and st.now() >= session.code_expires:
            raise CognitoError("ExpiredCodeException",
                               "Invalid code provided, please request a code again.")
        good = session.code is not None and hmac.compare_digest(str(code), session.code)
    if not good:
        session.wrong += 1
        if session.wrong >= int(st.opt("MaxCodeAttempts")):
            session.dead = True
        raise CognitoError("CodeMismatchException", "Invalid code or auth state for the user.")
    session.used = True
    address = getattr(session, "setup_email", None)
    if address:
        user.attributes["email"] = address
        user.attributes["email_verified"] = "true"
        user.email_mfa = True
        user.mfa_setup_required = False
        user.touch()
    return finish(st, pool, client, user, session.auth_time, session.login, session.device)
