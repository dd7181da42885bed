"""User-pool model: pools, app clients, groups and users, built from the
fixture, with the look-ups the operations need."""

import copy
import json
import time
import uuid

MFA_NAMES = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
ALL_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
TOTP_ATTRIBUTE = "custom:emulator_totp_secret"
# Attributes that never appear in tokens or challenge parameters.
HIDDEN_ATTRIBUTES = {TOTP_ATTRIBUTE}
BOOLEAN_ATTRIBUTES = {"email_verified", "phone_number_verified"}


def mask_phone(number):
    """`+15555551234` -> `+*******1234`."""
    if not number:
        return ""
    keep = number[-4:]
    lead = "+" if number.startswith("+") else ""
    return lead + "*" * max(0, len(number) - len(lead) - 4) + keep


def mask_email(address):
    """`emailuser@example.com` -> `e***@e***`."""
    if not address or "@" not in address:
        return "***"
    local, domain = address.split("@", 1)
    return (local[:1] or "*") + "***@" + (domain[:1] or "*") + "***"


class User:
    def __init__(self, spec, pool):
        self.username = spec["Username"]
        self.attributes = {str(k): str(v) for k, v in (spec.get("Attributes") or {}).items()}
        self.attributes.setdefault("sub", str(uuid.uuid4()))
        if spec.get("TemporaryPassword") is not None:
            self.password = spec["TemporaryPassword"]
            self.status = spec.get("UserStatus", "FORCE_CHANGE_PASSWORD")
        else:
            self.password = spec.get("Password")
            self.status = spec.get("UserStatus", "CONFIRMED")
        self.enabled = bool(spec.get("Enabled", True))
        self.groups = list(spec.get("Groups") or [])
        mfa = spec.get("Mfa") or {}
        self.sms_mfa = bool(mfa.get("SMS", False))
        self.totp_mfa = bool(mfa.get("SoftwareToken", False))
        self.email_mfa = bool(mfa.get("Email", False))
        self.preferred_mfa = mfa.get("Preferred")
        self.totp_secret = spec.get("TotpSecret") or self.attributes.pop(TOTP_ATTRIBUTE, None)
        self.mfa_setup_required = bool(spec.get("MfaSetupRequired", False))
        self.passkeys = []   # registered WebAuthn credentials (webauthn.py)
        now = time.time()
        self.temp_set = spec.get("TemporaryPasswordSetAt", now)   # when an admin set it
        self.created = spec.get("Created", now)
        self.modified = now

    @property
    def sub(self):
        return self.attributes["sub"]

    def enabled_mfa(self):
        out = []
        if self.sms_mfa:
            out.append("SMS_MFA")
        if self.totp_mfa:
            out.append("SOFTWARE_TOKEN_MFA")
        if self.email_mfa:
            out.append("EMAIL_OTP")
        return out

    def visible_attributes(self):
        return {k: v for k, v in self.attributes.items() if k not in HIDDEN_ATTRIBUTES}

    def attribute_list(self):
        return [{"Name": k, "Value": v} for k, v in self.visible_attributes().items()]

    def describe(self):
        """Shape of AdminGetUser / AdminCreateUser's User."""
        out = {
            "Username": self.username,
            "UserAttributes": self.attribute_list(),
            "UserCreateDate": self.created,
            "UserLastModifiedDate": self.modified,
            "Enabled": self.enabled,
            "UserStatus": self.status,
            "UserMFASettingList": self.enabled_mfa(),
        }
        if self.preferred_mfa in self.enabled_mfa():
            out["PreferredMfaSetting"] = self.preferred_mfa
        return out

    def touch(self):
        self.modified = time.time()


class Client:
    def __init__(self, spec, pool):
        self.id = spec["ClientId"]
        self.name = spec.get("ClientName", self.id)
        self.secret = spec.get("ClientSecret")
        self.flows = set(spec.get("ExplicitAuthFlows") or ALL_FLOWS)
        self.prevent_user_existence_errors = (
            str(spec.get("PreventUserExistenceErrors", "LEGACY")).upper() == "ENABLED")
        self.token_revocation = bool(spec.get("EnableTokenRevocation", True))
        self.rotation = check_rotation(spec.get("RefreshTokenRotation")
                                       or {"Feature": "DISABLED"})
        # Cognito returns these lists only when they were set: a client
        # with the default set has neither in DescribeUserPoolClient.
        self.write_attributes = list(spec["WriteAttributes"]) if spec.get("WriteAttributes") else None
        self.read_attributes = list(spec["ReadAttributes"]) if spec.get("ReadAttributes") else None
        self.created = time.time()
        self.pool = pool

    def rotation_enabled(self):
        return self.rotation.get("Feature") == "ENABLED"

    def rotation_grace(self):
        return int(self.rotation.get("RetryGracePeriodSeconds", 0))

    def allows(self, flow):
        name = "ALLOW_REFRESH_TOKEN_AUTH" if flow == "REFRESH_TOKEN" else "ALLOW_" + flow
        if name == "ALLOW_REFRESH_TOKEN_AUTH" and self.rotation_enabled():
            return False          # rotation works through GetTokensFromRefreshToken only
        return name in self.flows

    def describe(self):
        out = {
            "UserPoolId": self.pool.id,
            "ClientName": self.name,
            "ClientId": self.id,
            "ExplicitAuthFlows": sorted(self.flows),
            "PreventUserExistenceErrors":
                "ENABLED" if self.prevent_user_existence_errors else "LEGACY",
        }
        if self.secret:
            out["ClientSecret"] = self.secret
        if self.read_attributes is not None:
            out["ReadAttributes"] = list(self.read_attributes)
        if self.write_attributes is not None:
            out["WriteAttributes"] = list(self.write_attributes)
        out["RefreshTokenRotation"] = dict(self.rotation)
        out["CreationDate"] = out["LastModifiedDate"] = self.created
        return out


class Group:
    def __init__(self, spec):
        self.name = spec["GroupName"]
        self.role_arn = spec.get("RoleArn")
        self.precedence = spec.get("Precedence")
        self.description = spec.get("Description", "")
        self.created = self.modified = time.time()


class Pool:
    def __init__(self, spec, region):
        self.id = spec["Id"]
        self.region = region
        self.name = spec.get("Name", self.id)
        self.username_attributes = list(spec.get("UsernameAttributes") or [])
        self.case_sensitive = bool(spec.get("UsernameCaseSensitive", False))
        self.mfa_configuration = spec.get("MfaConfiguration", "OPTIONAL")
        self.required_attributes = list(spec.get("RequiredAttributes") or [])
        # The custom attributes of the schema (names without "custom:"):
        # None when the fixture declares none, and then any custom:* is
        # taken (fixtures written before the schema); a set once the
        # fixture lists CustomAttributes or AddCustomAttributes was called.
        declared = spec.get("CustomAttributes")
        self.custom_attributes = (None if declared is None else
                                  {str(a.get("Name") if isinstance(a, dict) else a)
                                   for a in declared})
        self.password_policy = dict(spec.get("PasswordPolicy") or {})
        self.email_mfa = bool(spec.get("EmailMfa", False))
        # SignInPolicy.AllowedFirstAuthFactors: USER_AUTH's first factors
        # (PASSWORD is always among them)
        policy = spec.get("SignInPolicy") or {}
        self.first_factors = ["PASSWORD"] + [
            f for f in policy.get("AllowedFirstAuthFactors") or []
            if f in ("EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")]
        # WebAuthnConfiguration {RelyingPartyId, UserVerification}: passkeys
        webauthn = spec.get("WebAuthnConfiguration") or {}
        self.rp_id = webauthn.get("RelyingPartyId")
        self.user_verification = webauthn.get("UserVerification", "preferred")
        # DeviceConfiguration {ChallengeRequiredOnNewDevice,
        # DeviceOnlyRememberedOnUserPrompt}; None: the pool tracks no devices
        self.device_config = check_device_config(spec.get("DeviceConfiguration"))
        # IssuerConfiguration.Type: which issuer the pool's tokens carry.
        self.issuer_type = check_issuer_type(
            (spec.get("IssuerConfiguration") or {}).get("Type", "ORIGINAL"))
        # The provider name an identity pool registers the pool under, the
        # same for either issuer.
        self.provider_name = "cognito-idp.%s.amazonaws.com/%s" % (region, self.id)
        self.clients = {}
        for c in spec.get("Clients") or []:
            client = Client(c, self)
            self.clients[client.id] = client
        self.groups = {}
        for g in spec.get("Groups") or []:
            group = Group(g)
            self.groups[group.name] = group
        self.users = {}
        for u in spec.get("Users") or []:
            self.add_user(User(u, self))

    def issuer_of(self, form):
        host = "issuer-cognito-idp" if form == "UPDATED" else "cognito-idp"
        return "https://%s.%s.amazonaws.com/%s" % (host, self.region, self.id)

    @property
    def issuer(self):
        """The issuer the pool writes into its tokens now."""
        return self.issuer_of(self.issuer_type)

    def issuer_form(self, iss):
        """'ORIGINAL' or 'UPDATED' when iss is one of the pool's two
        issuers, else None."""
        return next((f for f in ISSUER_TYPES if iss == self.issuer_of(f)), None)

    def key(self, username):
        return username if self.case_sensitive else username.lower()

    def add_user(self, user):
        self.users[self.key(user.username)] = user

    def remove_user(self, user):
        self.users.pop(self.key(user.username), None)

    def find_user(self, login):
        """A user by user name, or by email / phone when the pool signs in
        with those attributes (sign-in aliases)."""
        if not isinstance(login, str) or not login:
            return None
        user = self.users.get(self.key(login))
        if user is not None:
            return user
        for attr in self.username_attributes:
            for candidate in self.users.values():
                value = candidate.attributes.get(attr)
                if value is None:
                    continue
                if attr == "email" and value.lower() == login.lower():
                    return candidate
                if attr == "phone_number" and value == login:
                    return candidate
        return None

    def mfa_setup_methods(self):
        """What MFA_SETUP offers (MFAS_CAN_SETUP)."""
        return ["SOFTWARE_TOKEN_MFA"] + (["EMAIL_OTP"] if self.email_mfa else [])

    def missing_required(self, user):
        return [a for a in self.required_attributes if not user.attributes.get(a)]

    def user_groups(self, user):
        groups = [self.groups[g] for g in user.groups if g in self.groups]
        groups.sort(key=lambda g: (g.precedence is None, g.precedence or 0, g.name))
        return groups


def check_device_config(value):
    """A DeviceConfiguration as the API takes it (None turns tracking off)."""
    if value is None:
        return None
    known = ("ChallengeRequiredOnNewDevice", "DeviceOnlyRememberedOnUserPrompt")
    if not isinstance(value, dict) or any(k not in known or not isinstance(v, bool)
                                          for k, v in value.items()):
        raise ValueError("DeviceConfiguration takes the booleans %s" % ", ".join(known))
    return {k: bool(value.get(k, False)) for k in known}


def check_rotation(value):
    """A RefreshTokenRotation {Feature, RetryGracePeriodSeconds} as the API takes it."""
    if not isinstance(value, dict) or value.get("Feature") not in ("ENABLED", "DISABLED"):
        raise ValueError("RefreshTokenRotation needs Feature ENABLED or DISABLED")
    grace = value.get("RetryGracePeriodSeconds", 0)
    if not isinstance(grace, int) or isinstance(grace, bool) or not 0 <= grace <= 60:
        raise ValueError("RetryGracePeriodSeconds must be an integer from 0 to 60")
    return {"Feature": value["Feature"], "RetryGracePeriodSeconds": grace}


ISSUER_TYPES = ("ORIGINAL", "UPDATED")


def check_issuer_type(value):
    if value not in ISSUER_TYPES:
        raise ValueError("IssuerConfiguration Type must be ORIGINAL or UPDATED, not %r"
                         % (value,))
    return value


def load_pools(fixture):
    region = fixture.get("Region", "us-east-1")
    pools = {}
    for spec in fixture.get("UserPools") or []:
        pool = Pool(copy.deepcopy(spec), region)
        pools[pool.id] = pool
    return pools


def find_client(pools, client_id):
    for pool in pools.values():
        if client_id in pool.clients:
            return pool.clients[client_id]
    return None


def json_compact(value):
    return json.dumps(value, separators=(",", ":"))
