"""Threat protection's block of a sign-in (adaptive authentication or
compromised credentials set to "block"): Cognito answers
NotAuthorizedException with one of the two messages the developer guide
gives for it. Set per user with the control call `SetThreatProtectionBlock`;
checked once the password proved right (a wrong password stays a wrong
password, counted by the lockout)."""

from errors import invalid_parameter, not_authorized, optional

MESSAGES = {
    "SignIn": "Unable to login because of security reasons.",
    "Request": "Request not allowed due to security reasons.",
}


def check(st, pool, user):
    message = st.threat_blocks.get((pool.id, user.username))
    if message:
        raise not_authorized(message)


def set_block(st, body, find_user):
    """{UserPoolId?, Username, Block: "SignIn" | "Request" | null} -> {Block}."""
    pool, user = find_user(st, body)
    block = optional(body, "Block", str)
    key = (pool.id, user.username)
    if block is None:
        st.threat_blocks.pop(key, None)
    elif block in MESSAGES:
        st.threat_blocks[key] = MESSAGES[block]
    else:
        raise invalid_parameter("Block must be one of %s or null" % ", ".join(sorted(MESSAGES)))
    return {"Block": block}
