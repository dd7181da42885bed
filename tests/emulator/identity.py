"""Identity-pool service (AWSCognitoIdentityService): GetId and
GetCredentialsForIdentity, authorised by a user-pool ID token."""

import base64
import copy
import re
import secrets
import string
import uuid

import tokens
from errors import CognitoError, invalid_parameter, not_authorized, optional, require

_POOL_ID = re.compile(r"^[\w-]+:[0-9a-f-]+$")
_NAMESPACE = uuid.UUID("6f1c2a3e-0b7d-4c55-9a51-5e6d0c0ffee1")
NOT_SUPPORTED = "Token is not from a supported provider of this identity pool."
UNAUTH = "Unauthenticated access is not supported for this identity pool."


class IdentityPool:
    def __init__(self, spec):
        self.id = spec["IdentityPoolId"]
        self.name = spec.get("IdentityPoolName", self.id)
        self.allow_unauthenticated = bool(spec.get("AllowUnauthenticatedIdentities", False))
        # provider name -> set of allowed client ids
        self.providers = {}
        for p in spec.get("CognitoIdentityProviders") or []:
            self.providers.setdefault(p["ProviderName"], set()).add(p["ClientId"])
        self.authenticated_role = spec.get("AuthenticatedRoleArn")
        self.allowed_roles = list(spec.get("AllowedRoleArns") or [])
        if self.authenticated_role and self.authenticated_role not in self.allowed_roles:
            self.allowed_roles.insert(0, self.authenticated_role)
        # "<provider>:<client id>" -> {Type: "Token", AmbiguousRoleResolution:
        # "AuthenticatedRole" | "Deny"} (SetIdentityPoolRoles' RoleMappings)
        self.role_mappings = dict(spec.get("RoleMappings") or {})
        # The roles whose trust policy lets this pool's authenticated
        # identities in (STS AssumeRoleWithWebIdentity, sts.py).
        self.trusted_roles = list(spec.get("TrustedRoleArns") or self.allowed_roles)
        # The basic flow (GetOpenIdToken) is off unless the pool allows it.
        self.allow_classic = bool(spec.get("AllowClassicFlow", False))


def load_identity_pools(fixture):
    out = {}
    for spec in fixture.get("IdentityPools") or []:
        pool = IdentityPool(copy.deepcopy(spec))
        out[pool.id] = pool
    return out


def _identity_pool(st, body):
    pool_id = require(body, "IdentityPoolId")
    if not _POOL_ID.match(pool_id) or len(pool_id) > 55:
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at 'identityPoolId' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
            % pool_id)
    pool = st.identity_pools.get(pool_id)
    if pool is None:
        raise CognitoError("ResourceNotFoundException", "IdentityPool '%s' not found." % pool_id)
    return pool


def _issuer_matches(st, provider, iss):
    """The key names the user pool as its provider name (cognito-idp...,
    whichever issuer the pool uses) and the token is from that pool, under
    either of its issuers; for a provider that is no user pool here, the
    key is the issuer without its scheme."""
    upool = next((p for p in st.pools.values() if p.provider_name == provider), None)
    if upool is None:
        return iss == "https://" + provider
    return upool.issuer_form(iss) is not None


def _check_login(st, ipool, logins):
    """Validate the Logins map; returns the ID token's claims."""
    if not logins:
        raise not_authorized(UNAUTH)
    if not isinstance(logins, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in logins.items()):
        raise CognitoError("SerializationException", "Expected a map of strings for Logins")
    if len(logins) != 1:
        raise not_authorized("Logins don't match. Please include at least one valid login "
                             "for this identity or identity pool.")
    provider, token = next(iter(logins.items()))
    try:
        claims = st.keys.decode(token, st.now())
    except tokens.TokenError as exc:
        if exc.reason == "malformed":
            raise not_authorized("Invalid login token. Not a valid OpenId Connect identity token.")
        if exc.reason == "signature":
            raise not_authorized("Invalid login token. Couldn't verify signed token.")
        claims = exc.claims
        if not _issuer_matches(st, provider, claims.get("iss")):
            raise not_authorized("Invalid login token. Issuer doesn't match providerName")
        raise not_authorized("Invalid login token. Token expired: %d >= %s"
                             % (int(st.now()), claims.get("exp")))
    if not _issuer_matches(st, provider, claims.get("iss")):
        raise not_authorized("Invalid login token. Issuer doesn't match providerName")
    if claims.get("token_use") != "id" or "aud" not in claims:
        raise not_authorized("Invalid login token. Missing a required claim: aud")
    if provider not in ipool.providers or claims["aud"] not in ipool.providers[provider]:
        raise not_authorized(NOT_SUPPORTED)
    upool = next((p for p in st.pools.values() if p.provider_name == provider), None)
    user = upool.find_user(claims.get("cognito:username", "")) if upool else None
    if user is None or user.sub != claims.get("sub"):
        raise not_authorized("Invalid login token. Couldn't verify signed token.")
    if not user.enabled:
        raise not_authorized("Invalid login token. User is disabled.")
    return claims


def identity_id_for(st, ipool, sub):
    return "%s:%s" % (st.region, uuid.uuid5(_NAMESPACE, ipool.id + "|" + sub))


def get_id(st, body):
    ipool = _identity_pool(st, body)
    claims = _check_login(st, ipool, optional(body, "Logins", dict, {}))
    identity_id = identity_id_for(st, ipool, claims["sub"])
    st.identities[identity_id] = (ipool.id, claims["sub"])
    return {"IdentityId": identity_id}


def _random(alphabet, n):
    return "".join(secrets.choice(alphabet) for _ in range(n))


def _roles_claim(claims):
    """cognito:roles as a list (Cognito sends an array; a comma-separated
    string is read too)."""
    roles = claims.get("cognito:roles") or []
    if isinstance(roles, str):
        roles = [r.strip() for r in roles.split(",") if r.strip()]
    return [r for r in roles if isinstance(r, str)]


def _choose_role(ipool, claims, custom, provider):
    """The role GetCredentialsForIdentity gives, as the developer guide's
    role-based access control says for token-based mapping: CustomRoleArn
    when it is in cognito:roles (else denied), else cognito:preferred_role,
    else AmbiguousRoleResolution. Without a mapping: the authenticated role,
    or CustomRoleArn when the pool allows it."""
    mapping = ipool.role_mappings.get("%s:%s" % (provider, claims.get("aud")))
    if mapping and mapping.get("Type") == "Token":
        roles = _roles_claim(claims)
        if custom is not None:
            if custom not in roles:
                raise not_authorized("Invalid CustomRoleArn: %s is not one of the roles in "
                                     "the token's cognito:roles." % custom)
            return custom
        if claims.get("cognito:preferred_role"):
            return claims["cognito:preferred_role"]
        if mapping.get("AmbiguousRoleResolution") == "AuthenticatedRole" and \
                ipool.authenticated_role:
            return ipool.authenticated_role
        raise not_authorized("The ambiguous role mapping rules for: %s denied this request."
                             % provider)
    allowed = list(ipool.allowed_roles) + _roles_claim(claims)
    if custom is None:
        if ipool.authenticated_role is None:
            raise CognitoError("InvalidIdentityPoolConfigurationException",
                               "Invalid identity pool configuration. Check assigned IAM "
                               "roles for this pool.")
        return ipool.authenticated_role
    if custom not in allowed:
        raise invalid_parameter("CustomRoleArn %s is not one of the roles allowed for this "
                                "identity." % custom)
    return custom


def _owner(st, identity_id, body):
    """(identity pool id, sub) of a valid identity id, as GetId made it."""
    if not _POOL_ID.match(identity_id) or len(identity_id) > 55:
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at 'identityId' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
            % identity_id)
    owner = st.identities.get(identity_id)
    if owner is None:
        # Identity ids are derived from (pool, sub): accept one that matches the token
        # even after a restart of the emulator.
        logins = optional(body, "Logins", dict, {})
        for ipool in st.identity_pools.values():
            try:
                claims = _check_login(st, ipool, logins)
            except CognitoError:
                continue
            if identity_id_for(st, ipool, claims["sub"]) == identity_id:
                owner = (ipool.id, claims["sub"])
                st.identities[identity_id] = owner
                break
        if owner is None:
            raise CognitoError("ResourceNotFoundException",
                               "Identity '%s' not found." % identity_id)
    return owner


def _owned_identity(st, identity_id, owner, body):
    """(identity pool, claims) when the Logins prove the identity's owner."""
    ipool = st.identity_pools[owner[0]]
    claims = _check_login(st, ipool, optional(body, "Logins", dict, {}))
    if claims["sub"] != owner[1]:
        raise not_authorized("Logins don't match. Please include at least one valid login "
                             "for this identity or identity pool.")
    return ipool, claims


OPENID_ISSUER = "https://cognito-identity.amazonaws.com"
OPENID_TTL = 600  # GetOpenIdToken: "The OpenID token is valid for 10 minutes."


def get_open_id_token(st, body):
    """The basic flow's first step: an OpenID Connect token for the identity,
    signed by the emulator (STS in sts.py checks it): iss
    cognito-identity.amazonaws.com, aud the identity pool, sub the identity,
    amr ["authenticated", provider, ...]."""
    identity_id = require(body, "IdentityId")
    owner = _owner(st, identity_id, body)
    ipool, claims = _owned_identity(st, identity_id, owner, body)
    if not ipool.allow_classic:
        raise invalid_parameter("Basic (classic) flow is not enabled, please use enhanced "
                                "flow.")
    if ipool.role_mappings:
        raise invalid_parameter("Basic (classic) flow is not supported with RoleMappings, "
                                "please use enhanced flow.")
    provider = next(iter(body["Logins"]))
    now = int(st.now())
    oid = {"iss": OPENID_ISSUER, "sub": identity_id, "aud": ipool.id,
           "amr": ["authenticated", provider,
                   "%s:CognitoSignIn:%s" % (provider, claims["sub"])],
           "iat": now, "exp": now + OPENID_TTL, "auth_time": now}
    fault = st.faults.take("GetOpenIdToken", tokens=True)
    token = st.keys.sign(oid, "id", fault.kind if fault else None,
                         fault.value if fault else None, now)
    return {"IdentityId": identity_id, "Token": token}


def set_identity_pool_roles(st, body):
    """SetIdentityPoolRoles' shape (Roles.authenticated, RoleMappings; an
    empty RoleMappings removes them), plus the emulator's TrustedRoleArns
    (which roles trust the pool, for STS) and UpdateIdentityPool's
    AllowClassicFlow."""
    ipool = _identity_pool(st, body)
    roles = optional(body, "Roles", dict, {})
    if "authenticated" in roles:
        ipool.authenticated_role = roles["authenticated"]
    mappings = optional(body, "RoleMappings", dict, None)
    if mappings is not None:
        for key, m in mappings.items():
            if not isinstance(m, dict) or m.get("Type") not in ("Token", "Rules") or \
                    m.get("AmbiguousRoleResolution") not in ("AuthenticatedRole", "Deny"):
                raise invalid_parameter("RoleMapping for %s needs Type Token or Rules and "
                                        "AmbiguousRoleResolution AuthenticatedRole or Deny"
                                        % key)
        ipool.role_mappings = dict(mappings)
    trusted = optional(body, "TrustedRoleArns", list, None)
    if trusted is not None:
        ipool.trusted_roles = list(trusted)
    classic = optional(body, "AllowClassicFlow", bool, None)
    if classic is not None:  # UpdateIdentityPool's setting
        ipool.allow_classic = classic
    return {"IdentityPoolId": ipool.id, "Roles": {"authenticated": ipool.authenticated_role},
            "RoleMappings": ipool.role_mappings, "TrustedRoleArns": ipool.trusted_roles,
            "AllowClassicFlow": ipool.allow_classic}


def get_credentials_for_identity(st, body):
    identity_id = require(body, "IdentityId")
    owner = _owner(st, identity_id, body)
    return _credentials_reply(st, identity_id, owner, body)


def _credentials_reply(st, identity_id, owner, body):
    ipool, claims = _owned_identity(st, identity_id, owner, body)
    role = _choose_role(ipool, claims, optional(body, "CustomRoleArn", str),
                        next(iter(body["Logins"])))
    now = st.now()
    expiration = round(now + float(st.opt("CredentialTtlSeconds")), 3)
    creds = {
        "AccessKeyId": "ASIA" + _random(string.ascii_uppercase + "234567", 16),
        "SecretKey": _random(string.ascii_letters + string.digits + "+/", 40),
        "SessionToken": "IQoJb3JpZ2luX2VjE" + base64.b64encode(
            secrets.token_bytes(600)).decode("ascii"),
        "Expiration": expiration,
    }
    st.issued.append({"IdentityId": identity_id, "IdentityPoolId": ipool.id,
                      "LoginsKey": next(iter(optional(body, "Logins", dict, {}))),
                      "RoleArn": role, "Sub": claims["sub"],
                      "Username": claims.get("cognito:username"), "IssuedAt": now,
                      "Credentials": dict(creds)})
    return {"IdentityId": identity_id, "Credentials": creds}
