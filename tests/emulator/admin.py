"""The administrative user-pool API (AdminCreateUser and friends), shaped
like Cognito's. The emulator does not check AWS credentials."""

import base64
import secrets
import uuid

import attributes
import policy
import totp
import userpool
from errors import CognitoError, invalid_parameter, optional, require


def _pool(st, body):
    pool_id = require(body, "UserPoolId")
    pool = st.pools.get(pool_id)
    if pool is None:
        raise CognitoError("ResourceNotFoundException", "User pool %s does not exist." % pool_id)
    return pool


def find_pool_user(st, body):
    return _user(st, body)


def _user(st, body):
    pool = _pool(st, body)
    user = pool.find_user(require(body, "Username"))
    if user is None:
        raise CognitoError("UserNotFoundException", "User does not exist.")
    return pool, user


def _attributes(body, name="UserAttributes"):
    items = optional(body, name, list, [])
    out = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
            raise invalid_parameter("Invalid attribute list in %s" % name)
        out[item["Name"]] = str(item.get("Value", ""))
    return out


def admin_create_user(st, body):
    pool = _pool(st, body)
    name = require(body, "Username")
    attrs = _attributes(body)
    if "sub" in attrs:
        raise invalid_parameter("Cannot modify the non-mutable attribute sub")
    attributes.check_schema(pool, attrs)
    action = optional(body, "MessageAction", str)
    if action not in (None, "SUPPRESS", "RESEND"):
        raise invalid_parameter("Invalid MessageAction %s" % action)
    temporary = optional(body, "TemporaryPassword", str)
    if temporary is not None:
        policy.check_shape(temporary, "temporaryPassword")
        policy.check(temporary, pool.password_policy)
    else:
        temporary = "Tmp-" + secrets.token_urlsafe(9) + "1a!"
    if "email" in pool.username_attributes and "@" in name:
        attrs.setdefault("email", name)
        username = str(uuid.uuid4())
        if pool.find_user(name) is not None:
            raise CognitoError("UsernameExistsException",
                               "An account with the given email already exists.")
    else:
        username = name
    if pool.find_user(username) is not None and action != "RESEND":
        raise CognitoError("UsernameExistsException", "User account already exists.")
    if action == "RESEND":
        user = pool.find_user(username)
        if user is None:
            raise CognitoError("UserNotFoundException", "User does not exist.")
        return {"User": _describe_created(user)}
    attrs.setdefault("sub", username if username != name else str(uuid.uuid4()))
    user = userpool.User({"Username": username, "TemporaryPassword": temporary,
                          "Attributes": attrs, "TemporaryPasswordSetAt": st.now()}, pool)
    pool.add_user(user)
    return {"User": _describe_created(user)}


def _describe_created(user):
    d = user.describe()
    d["Attributes"] = d.pop("UserAttributes")
    d.pop("UserMFASettingList", None)
    d.pop("PreferredMfaSetting", None)
    d["MFAOptions"] = []
    return d


def admin_set_user_password(st, body):
    pool, user = _user(st, body)
    password = require(body, "Password")
    policy.check_shape(password, "password")
    policy.check(password, pool.password_policy)
    user.password = password
    user.status = "CONFIRMED" if body.get("Permanent") else "FORCE_CHANGE_PASSWORD"
    user.temp_set = st.now()
    user.touch()
    return {}


def admin_get_user(st, body):
    pool, user = _user(st, body)
    return user.describe()


def admin_delete_user(st, body):
    pool, user = _user(st, body)
    pool.remove_user(user)
    for token in [t for t, g in st.refresh.items()
                  if g["pool"] == pool.id and g["username"] == user.username]:
        del st.refresh[token]
    return {}


def admin_disable_user(st, body):
    pool, user = _user(st, body)
    user.enabled = False
    user.touch()
    return {}


def admin_enable_user(st, body):
    pool, user = _user(st, body)
    user.enabled = True
    user.touch()
    return {}


def admin_set_user_mfa_preference(st, body):
    pool, user = _user(st, body)
    settings = (("SMSMfaSettings", "sms_mfa", "SMS_MFA"),
                ("SoftwareTokenMfaSettings", "totp_mfa", "SOFTWARE_TOKEN_MFA"),
                ("EmailMfaSettings", "email_mfa", "EMAIL_OTP"))
    for field, attr, name in settings:
        value = optional(body, field, dict)
        if value is None:
            continue
        if "Enabled" in value:
            on = bool(value["Enabled"])
            if on and attr == "sms_mfa" and not user.attributes.get("phone_number"):
                raise invalid_parameter("User does not have delivery config set to turn on SMS_MFA")
            if on and attr == "totp_mfa" and not user.totp_secret:
                raise invalid_parameter("User has not verified software token mfa")
            if on and attr == "email_mfa" and not user.attributes.get("email"):
                raise invalid_parameter("User does not have delivery config set to turn on EMAIL_OTP")
            setattr(user, attr, on)
            if not on and user.preferred_mfa == name:
                user.preferred_mfa = None
        if value.get("PreferredMfa"):
            if not getattr(user, attr):
                raise invalid_parameter("Cannot set %s as preferred when it is not enabled" % name)
            user.preferred_mfa = name
        elif value.get("PreferredMfa") is False and user.preferred_mfa == name:
            user.preferred_mfa = None
    user.touch()
    return {}


def admin_update_user_attributes(st, body):
    pool, user = _user(st, body)
    attrs = _attributes(body)
    if "sub" in attrs:
        raise invalid_parameter("Cannot modify the non-mutable attribute sub")
    attributes.check_schema(pool, attrs)
    secret = attrs.pop(userpool.TOTP_ATTRIBUTE, None)
    if secret:
        user.totp_secret = secret
    user.attributes.update(attrs)
    user.touch()
    return {}


def admin_add_user_to_group(st, body):
    pool, user = _user(st, body)
    group = require(body, "GroupName")
    if group not in pool.groups:
        raise CognitoError("ResourceNotFoundException", "Group not found.")
    if group not in user.groups:
        user.groups.append(group)
    return {}


def admin_remove_user_from_group(st, body):
    pool, user = _user(st, body)
    group = require(body, "GroupName")
    if group not in pool.groups:
        raise CognitoError("ResourceNotFoundException", "Group not found.")
    if group in user.groups:
        user.groups.remove(group)
    return {}


def group_type(pool, group):
    """GroupType, leaving out the members a group does not have."""
    out = {"GroupName": group.name, "UserPoolId": pool.id, "Description": group.description,
           "CreationDate": group.created, "LastModifiedDate": group.modified}
    if group.role_arn:
        out["RoleArn"] = group.role_arn
    if group.precedence is not None:
        out["Precedence"] = group.precedence
    return out


def paginate(items, body):
    """One page of `items` for Limit (1..60) and NextToken; (page, next token)."""
    limit = optional(body, "Limit", int, 60)
    if limit < 0 or limit > 60:
        raise invalid_parameter("1 validation error detected: Value '%d' at 'limit' failed to "
                                "satisfy constraint: Member must have value less than or "
                                "equal to 60" % limit)
    limit = limit or 60
    start = 0
    token = optional(body, "NextToken", str)
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise invalid_parameter("Invalid pagination token")
    page = items[start:start + limit]
    nxt = None
    if start + limit < len(items):
        nxt = base64.urlsafe_b64encode(("page:%d" % (start + limit)).encode()).decode()
    return page, nxt


def admin_list_groups_for_user(st, body):
    pool, user = _user(st, body)
    page, nxt = paginate(pool.user_groups(user), body)
    out = {"Groups": [group_type(pool, g) for g in page]}
    if nxt:
        out["NextToken"] = nxt
    return out


def create_group(st, body):
    pool = _pool(st, body)
    name = require(body, "GroupName")
    if name in pool.groups:
        raise CognitoError("GroupExistsException", "A group with the name %s already exists." % name)
    group = userpool.Group({"GroupName": name, "RoleArn": body.get("RoleArn"),
                            "Precedence": body.get("Precedence"),
                            "Description": body.get("Description", "")})
    pool.groups[name] = group
    return {"Group": group_type(pool, group)}


def create_user_pool_client(st, body):
    pool = _pool(st, body)
    name = require(body, "ClientName")
    client_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(26))
    spec = {"ClientId": client_id, "ClientName": name,
            "ExplicitAuthFlows": body.get("ExplicitAuthFlows") or list(userpool.ALL_FLOWS),
            "PreventUserExistenceErrors": body.get("PreventUserExistenceErrors", "LEGACY")}
    if body.get("RefreshTokenRotation") is not None:
        try:
            spec["RefreshTokenRotation"] = userpool.check_rotation(body["RefreshTokenRotation"])
        except ValueError as exc:
            raise invalid_parameter(str(exc))
    for key in ("ReadAttributes", "WriteAttributes"):
        value = optional(body, key, list)
        if value is not None:
            if not all(isinstance(a, str) and a for a in value):
                raise invalid_parameter("Invalid %s: expected a list of attribute names"
                                        % ("read attributes" if key[0] == "R"
                                           else "write attributes"))
            spec[key] = value
    if body.get("GenerateSecret"):
        spec["ClientSecret"] = "".join(
            secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(51))
    client = userpool.Client(spec, pool)
    pool.clients[client.id] = client
    return {"UserPoolClient": client.describe()}


def set_totp_secret(st, body):
    """EmulatorControl.SetTotpSecret: give a user an authenticator secret."""
    pool, user = _user(st, body)
    secret = require(body, "Secret")
    if not totp.valid_secret(secret):
        raise invalid_parameter("Secret is not valid base32")
    user.totp_secret = secret
    if body.get("Enable", True):
        user.totp_mfa = True
    user.touch()
    return {}


def add_custom_attributes(st, body):
    """AddCustomAttributes: SchemaAttributeType items, each Name 1 to 20
    characters (stored without the custom: prefix the users' attributes
    carry). From then on the pool takes only declared custom attributes."""
    pool = _pool(st, body)
    items = require(body, "CustomAttributes", list)
    if not items:
        raise invalid_parameter("CustomAttributes must be a non-empty list")
    names = []
    for item in items:
        name = item.get("Name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 20:
            raise invalid_parameter("Invalid custom attribute name")
        if pool.custom_attributes is not None and name in pool.custom_attributes:
            raise invalid_parameter("Existing attribute already has name custom:%s." % name)
        names.append(name)
    if pool.custom_attributes is None:
        pool.custom_attributes = set()
    pool.custom_attributes.update(names)
    return {}
