"""The error type every emulated operation raises, shaped like Cognito's."""


class CognitoError(Exception):
    """An error answer: HTTP status, `__type` and `message`."""

    def __init__(self, type_, message, status=400):
        super().__init__(message)
        self.type = type_
        self.message = message
        self.status = status

    def body(self):
        return {"__type": self.type, "message": self.message}


def invalid_parameter(message):
    return CognitoError("InvalidParameterException", message)


def not_authorized(message):
    return CognitoError("NotAuthorizedException", message)


def require(body, name, kind=str):
    """Fetch a required top-level parameter or raise InvalidParameterException."""
    value = body.get(name)
    if value is None or (kind is str and value == ""):
        raise invalid_parameter("Missing required parameter %s" % name)
    if not isinstance(value, kind):
        raise invalid_parameter(
            "1 validation error detected: Value at '%s' has an invalid type"
            % (name[:1].lower() + name[1:]))
    return value


def optional(body, name, kind, default=None):
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise invalid_parameter(
            "1 validation error detected: Value at '%s' has an invalid type"
            % (name[:1].lower() + name[1:]))
    return value
