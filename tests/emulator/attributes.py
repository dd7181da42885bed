"""Formats Cognito checks in user attributes: a phone number in E.164
(`+` and the country code, as `+15555550100`) and an email address. The
messages are Cognito's own (InvalidParameterException)."""

import re

from errors import invalid_parameter

PHONE = re.compile(r"^\+[1-9][0-9]{4,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def check_formats(attrs):
    """Raise InvalidParameterException for the first malformed value."""
    phone = attrs.get("phone_number")
    if phone is not None and not PHONE.match(phone):
        raise invalid_parameter("Invalid phone number format.")
    email = attrs.get("email")
    if email is not None and (len(email) > 2048 or not EMAIL.match(email)):
        raise invalid_parameter("Invalid email address format.")


def check_schema(pool, attrs):
    """InvalidParameterException for a custom:* attribute the pool's schema
    lacks (once the pool has a declared schema: userpool.Pool)."""
    if pool.custom_attributes is None:
        return
    for name in attrs:
        if (name.startswith("custom:") and name != "custom:emulator_totp_secret"
                and name[len("custom:"):] not in pool.custom_attributes):
            raise invalid_parameter("Attribute does not exist in the schema.")
