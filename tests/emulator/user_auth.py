"""Choice-based sign-in (USER_AUTH): the first factors a user can choose
(AvailableChallenges), PREFERRED_CHALLENGE at InitiateAuth, SELECT_CHALLENGE,
and one-time codes by email or SMS as the first factor (EMAIL_OTP, SMS_OTP).

What the pool offers is its SignInPolicy.AllowedFirstAuthFactors (PASSWORD
always; EMAIL_OTP, SMS_OTP, WEB_AUTHN when listed); what a user can use
follows from the user: a password for PASSWORD and PASSWORD_SRP, a verified
email for EMAIL_OTP, a verified phone number for SMS_OTP, a passkey for
WEB_AUTHN (registered with webauthn.py). A first factor by code or passkey
ends the sign-in: no MFA follows it."""

import hmac

import auth  # noqa: the sign-in chain (auth imports this module too)
import devices
import lockout
import userpool
import webauthn
from errors import CognitoError, invalid_parameter, not_authorized

FIRST_FACTORS = ("PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
CODE_FACTORS = {"EMAIL_OTP": ("EMAIL", "email", userpool.mask_email),
                "SMS_OTP": ("SMS", "phone_number", userpool.mask_phone)}
SEND_LIMIT = "Exceeded the limit of one-time codes sent to this user; try again later."


def available(pool, user):
    """The first factors `user` can choose in `pool`, in Cognito's order."""
    out = []
    if user.password is not None:
        out += ["PASSWORD", "PASSWORD_SRP"]
    allowed = pool.first_factors
    if "EMAIL_OTP" in allowed and user.attributes.get("email") and \
            user.attributes.get("email_verified") == "true":
        out.append("EMAIL_OTP")
    if "SMS_OTP" in allowed and user.attributes.get("phone_number") and \
            user.attributes.get("phone_number_verified") == "true":
        out.append("SMS_OTP")
    if webauthn.usable(pool, user):
        out.append("WEB_AUTHN")
    return out


def _send_code(st, pool, client, user, factor, login, device_key):
    """Send a one-time code for `factor` and answer with its challenge. More
    than OtpSendLimit codes in OtpSendWindowSeconds: LimitExceededException."""
    medium, attribute, mask = CODE_FACTORS[factor]
    device = devices.presented(st, pool, user, device_key)
    if device is not None and not device.confirmed:
        device = None
    now = st.now()
    key = (pool.id, user.username)
    window = float(st.opt("OtpSendWindowSeconds"))
    sent = [t for t in st.otp_sends.get(key, []) if t > now - window]
    limit = int(st.opt("OtpSendLimit"))
    if limit and len(sent) >= limit:
        raise CognitoError("LimitExceededException", SEND_LIMIT)
    st.otp_sends[key] = sent + [now]
    dest = user.attributes.get(attribute, "")
    code = auth.new_code()
    st.record_code(pool, user, medium, dest, code)
    return auth._challenge(st, pool, client, user, factor,
                           {"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
                            "CODE_DELIVERY_DESTINATION": mask(dest)},
                           int(now), login, code=code, device=device, first_factor=True,
                           code_expires=now + st.opt("CodeTtlSeconds"))


def _password(st, pool, client, user, login, password, device_key):
    lockout.check(st, pool, user)
    if user.password is None or not hmac.compare_digest(
            password.encode("utf-8"), user.password.encode("utf-8")):
        lockout.failed(st, pool, user)
        raise not_authorized(auth.WRONG_PASSWORD)
    lockout.succeeded(st, pool, user)
    device = devices.presented(st, pool, user, device_key)
    return auth.after_password(st, pool, client, user, login, device)


def _select(st, pool, client, user, login, choices, device_key):
    out = auth._challenge(st, pool, client, user, "SELECT_CHALLENGE", {}, 0, login,
                          choices=choices, device_key=device_key)
    out["AvailableChallenges"] = list(choices)
    return out


def _begin(st, pool, client, user, login, factor, params, device_key):
    """Start `factor` (already known to be available) with its parameters."""
    if factor == "PASSWORD":
        return _password(st, pool, client, user, login, auth.need(params, "PASSWORD"),
                         device_key)
    if factor == "PASSWORD_SRP":
        return auth._srp_start(st, pool, client, user, login, auth.need(params, "SRP_A"),
                               device_key)
    if factor == "WEB_AUTHN":
        device = devices.presented(st, pool, user, device_key)
        return webauthn.begin(st, pool, client, user, login,
                              device if device is not None and device.confirmed else None)
    return _send_code(st, pool, client, user, factor, login, device_key)


def initiate(st, pool, client, params):
    """InitiateAuth with AuthFlow USER_AUTH."""
    login = auth.need(params, "USERNAME")
    preferred = params.get("PREFERRED_CHALLENGE")
    if preferred is not None and preferred not in FIRST_FACTORS:
        raise invalid_parameter("Invalid value for PREFERRED_CHALLENGE: %s" % preferred)
    user = pool.find_user(login)
    auth.check_secret_hash(client, params, [login] + ([user.username] if user else []))
    if user is None:
        if client.prevent_user_existence_errors and preferred == "PASSWORD_SRP":
            return auth._srp_start(st, pool, client, None, login, auth.need(params, "SRP_A"))
        if client.prevent_user_existence_errors:
            raise not_authorized(auth.WRONG_PASSWORD)
        raise CognitoError("UserNotFoundException", "User does not exist.")
    auth._usable_user(user)
    if user.status == "UNCONFIRMED":
        raise CognitoError("UserNotConfirmedException", "User is not confirmed.")
    choices = available(pool, user)
    if not choices:
        raise not_authorized("No sign-in method is available to this user.")
    device_key = params.get("DEVICE_KEY")
    if preferred in choices:
        return _begin(st, pool, client, user, login, preferred, params, device_key)
    # no preference, or one this user cannot use: the choice goes back
    return _select(st, pool, client, user, login, choices, device_key)


def select_challenge(st, pool, client, user, session, answers):
    """RespondToAuthChallenge SELECT_CHALLENGE: ANSWER names the factor."""
    factor = auth.need(answers, "ANSWER")
    if factor not in (session.choices or []):
        raise invalid_parameter("Invalid value for ANSWER: %s" % factor)
    session.used = True
    key = answers.get("DEVICE_KEY", getattr(session, "device_key", None))
    return _begin(st, pool, client, user, session.login, factor, answers, key)
