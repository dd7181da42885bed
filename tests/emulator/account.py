"""Operations a signed-in user makes with its AccessToken: ChangePassword
and GetUser."""

import hmac

import policy
from grants import user_from_access_token
from errors import CognitoError, not_authorized, require


def change_password(st, body):
    previous = require(body, "PreviousPassword")
    proposed = require(body, "ProposedPassword")
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    policy.check_shape(proposed, "proposedPassword")
    key = (pool.id, user.username)
    now = st.now()
    window = float(st.opt("ChangePasswordWindowSeconds"))
    failures = [t for t in st.pw_failures.get(key, []) if t > now - window]
    st.pw_failures[key] = failures
    if len(failures) >= int(st.opt("ChangePasswordAttemptLimit")):
        raise CognitoError("LimitExceededException",
                           "Attempt limit exceeded, please try after some time.")
    if user.password is None or not hmac.compare_digest(
            previous.encode("utf-8"), user.password.encode("utf-8")):
        failures.append(now)
        raise not_authorized("Incorrect username or password.")
    policy.check(proposed, pool.password_policy)
    user.password = proposed
    user.touch()
    st.pw_failures.pop(key, None)
    return {}


def get_user(st, body):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    out = {"Username": user.username, "UserAttributes": user.attribute_list(),
           "UserMFASettingList": user.enabled_mfa()}
    if user.preferred_mfa in user.enabled_mfa():
        out["PreferredMfaSetting"] = user.preferred_mfa
    return out


def update_user_attributes(st, body):
    """UpdateUserAttributes: the user of the AccessToken writes their own
    attributes, and only those the token's app client lists in
    WriteAttributes (a client without the list writes every one)."""
    import admin
    import attributes
    pool, user, claims = user_from_access_token(st, require(body, "AccessToken"))
    attrs = admin._attributes(body)
    client = pool.clients[claims["client_id"]]
    if client.write_attributes is not None and any(
            name not in client.write_attributes for name in attrs):
        raise not_authorized("A client attempted to write unauthorized attribute")
    if "sub" in attrs:
        raise CognitoError("InvalidParameterException",
                           "Cannot modify the non-mutable attribute sub")
    attributes.check_schema(pool, attrs)
    attributes.check_formats(attrs)
    user.attributes.update(attrs)
    user.touch()
    return {"CodeDeliveryDetailsList": []}


def set_user_mfa_preference(st, body):
    """SetUserMFAPreference: AdminSetUserMFAPreference's rules, for the user
    of the AccessToken."""
    import admin
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    request = dict(body, UserPoolId=pool.id, Username=user.username)
    request.pop("AccessToken")
    admin.admin_set_user_mfa_preference(st, request)
    return {}
