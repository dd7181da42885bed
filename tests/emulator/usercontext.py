"""UserContextData and ClientMetadata as Cognito takes them on InitiateAuth
and RespondToAuthChallenge: checked for shape (an invalid one is an
InvalidParameterException, as the service answers), and the last of each
operation kept so that tests can see what the module sent
(EmulatorControl.GetLastContext)."""

from errors import invalid_parameter, optional

OPERATIONS = ("InitiateAuth", "RespondToAuthChallenge")


def _check_context(ctx):
    if ctx is None:
        return None
    if not isinstance(ctx, dict) or set(ctx) - {"IpAddress", "EncodedData"}:
        raise invalid_parameter("1 validation error detected: Value at 'userContextData' "
                                "failed to satisfy constraint")
    for key, value in ctx.items():
        if not isinstance(value, str) or len(value) > 131072:
            raise invalid_parameter("1 validation error detected: Value at "
                                    "'userContextData.%s' failed to satisfy constraint"
                                    % (key[:1].lower() + key[1:]))
    return dict(ctx)


def _check_metadata(meta):
    if meta is None:
        return None
    if not isinstance(meta, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and 0 < len(k) <= 131072
            and len(v) <= 131072 for k, v in meta.items()):
        raise invalid_parameter("1 validation error detected: Value at 'clientMetadata' "
                                "failed to satisfy constraint")
    return dict(meta)


def record(st, op, body):
    """Check and keep the context of one request of `op`."""
    if op not in OPERATIONS:
        return
    entry = {"UserContextData": _check_context(body.get("UserContextData")),
             "ClientMetadata": _check_metadata(body.get("ClientMetadata"))}
    with st.lock:
        st.contexts[op] = entry


def get_last_context(st, body):
    """Control: what the last request of Operation carried (null: nothing)."""
    op = optional(body, "Operation", str, "InitiateAuth")
    if op not in OPERATIONS:
        raise invalid_parameter("Operation must be one of %s" % ", ".join(OPERATIONS))
    with st.lock:
        entry = st.contexts.get(op)
    if entry is None:
        return {"Seen": False, "UserContextData": None, "ClientMetadata": None}
    return dict(entry, Seen=True)


CONTROL_OPERATIONS = {"GetLastContext": get_last_context}
