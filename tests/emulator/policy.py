"""Password policy checks with Cognito's messages."""

import re

from errors import CognitoError, invalid_parameter

# The characters Cognito counts as "special" in a password policy.
SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")

DEFAULT_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
}

_SHAPE = re.compile(r"^[\S]+.*[\S]+$", re.S)


def check_shape(password, field):
    """API-level constraint on any password parameter (length and edges)."""
    if not isinstance(password, str) or not _SHAPE.match(password) or len(password) > 256:
        raise invalid_parameter(
            "1 validation error detected: Value at '%s' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: "
            "^[\\S]+.*[\\S]+$" % field)


def check(password, policy=None):
    """Raise InvalidPasswordException naming the first rule broken."""
    rules = dict(DEFAULT_POLICY)
    rules.update(policy or {})
    problem = None
    if len(password) < int(rules.get("MinimumLength", 8)):
        problem = "Password not long enough"
    elif rules.get("RequireLowercase") and not any(c.islower() for c in password):
        problem = "Password must have lowercase characters"
    elif rules.get("RequireUppercase") and not any(c.isupper() for c in password):
        problem = "Password must have uppercase characters"
    elif rules.get("RequireNumbers") and not any(c.isdigit() for c in password):
        problem = "Password must have numeric characters"
    elif rules.get("RequireSymbols") and not any(c in SYMBOLS for c in password):
        problem = "Password must have symbol characters"
    if problem:
        raise CognitoError("InvalidPasswordException",
                           "Password did not conform with policy: " + problem)
