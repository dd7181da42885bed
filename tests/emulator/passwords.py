"""Password reset: ForgotPassword and ConfirmForgotPassword (self-service,
with a code sent to the user's email or phone) and AdminResetUserPassword
(the user must reset before the next sign-in: PasswordResetRequiredException)."""

import hmac

import admin
import lockout
import policy
import userpool
from auth import check_secret_hash, get_client, new_code
from errors import CognitoError, invalid_parameter, not_authorized, require

MISMATCH = "Invalid verification code provided, please try again."
EXPIRED = "Invalid code provided, please request a code again."
LIMIT = "Attempt limit exceeded, please try after some time."


def _delivery(user):
    """(medium, attribute, destination) for a reset code, or None."""
    if user.attributes.get("email"):
        return "EMAIL", "email", user.attributes["email"]
    if user.attributes.get("phone_number"):
        return "SMS", "phone_number", user.attributes["phone_number"]
    return None


def _details(medium, attribute, destination):
    masked = userpool.mask_email(destination) if medium == "EMAIL" else \
        userpool.mask_phone(destination)
    return {"Destination": masked, "DeliveryMedium": medium, "AttributeName": attribute}


def send_reset_code(st, pool, user):
    """Record a reset code for the user; returns CodeDeliveryDetails or None."""
    where = _delivery(user)
    if where is None:
        return None
    code = new_code()
    st.record_code(pool, user, where[0], where[2], code)
    user.reset_code = {"code": code, "expires": st.now() + st.opt("ResetCodeTtlSeconds"),
                       "wrong": 0}
    return _details(*where)


def _secret_hash(client, body, names):
    check_secret_hash(client, {"SECRET_HASH": body["SecretHash"]} if body.get("SecretHash")
                      else {}, names)


def forgot_password(st, body):
    client = get_client(st, body)
    pool = client.pool
    login = require(body, "Username")
    user = pool.find_user(login)
    _secret_hash(client, body, [login] + ([user.username] if user else []))
    if user is None:
        if client.prevent_user_existence_errors:
            # simulated delivery, the same at every try for this name
            return {"CodeDeliveryDetails": _details("EMAIL", "email",
                                                    pool.key(login)[:1] + "@example.com")}
        raise CognitoError("UserNotFoundException", "Username/client id combination not found.")
    if not user.enabled:
        raise not_authorized("User is disabled.")
    details = send_reset_code(st, pool, user)
    if details is None:
        raise invalid_parameter("Cannot reset password for the user as there is no registered/"
                                "verified email or phone_number")
    return {"CodeDeliveryDetails": details}


def confirm_forgot_password(st, body):
    client = get_client(st, body)
    pool = client.pool
    login = require(body, "Username")
    code = require(body, "ConfirmationCode")
    password = require(body, "Password")
    policy.check_shape(password, "password")
    user = pool.find_user(login)
    _secret_hash(client, body, [login] + ([user.username] if user else []))
    if user is None:
        if client.prevent_user_existence_errors:
            raise CognitoError("CodeMismatchException", MISMATCH)
        raise CognitoError("UserNotFoundException", "Username/client id combination not found.")
    pending = getattr(user, "reset_code", None)
    if pending is None:
        raise CognitoError("ExpiredCodeException", EXPIRED)
    if pending["wrong"] >= int(st.opt("MaxResetCodeAttempts")):
        raise CognitoError("LimitExceededException", LIMIT)
    if st.now() >= pending["expires"]:
        raise CognitoError("ExpiredCodeException", EXPIRED)
    if not hmac.compare_digest(str(code), pending["code"]):
        pending["wrong"] += 1
        raise CognitoError("CodeMismatchException", MISMATCH)
    policy.check(password, pool.password_policy)
    user.password = password
    if user.status in ("RESET_REQUIRED", "FORCE_CHANGE_PASSWORD"):
        user.status = "CONFIRMED"
    user.reset_code = None
    lockout.cleared(st, pool, user)
    user.touch()
    return {}


def admin_reset_user_password(st, body):
    pool, user = admin.find_pool_user(st, body)
    if not user.enabled:
        raise not_authorized("User is disabled.")
    if send_reset_code(st, pool, user) is None:
        raise invalid_parameter("Cannot reset password for the user as there is no registered/"
                                "verified email or phone_number")
    user.status = "RESET_REQUIRED"
    user.touch()
    return {}
