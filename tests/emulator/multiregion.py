"""The multi-Region side of a user pool: which issuer its tokens carry
(IssuerConfiguration: ORIGINAL or UPDATED) and, when this emulator answers
as a secondary replica Region, the calls such a Region refuses with
OperationNotEnabledException.

The refused calls follow the developer guide's "Multi-Region replication
for user pools" (limitations): a secondary pool creates no users, lets
nobody reset a password or change their profile, and has no TOTP MFA;
UserPoolReplicaType's SECONDARY role: only end-user operations that create
or change nothing of a user."""

from errors import CognitoError, invalid_parameter, optional, require
import userpool

# Where the emulator serves the updated issuer's JWKS: the module's
# issuer_endpoint points at http://<emulator>/issuer-cognito-idp/.
ISSUER_PATH = "issuer-cognito-idp"

ROLES = ("PRIMARY", "SECONDARY")

REFUSED_ON_SECONDARY = frozenset({
    # users are created in the primary Region only
    "SignUp", "AdminCreateUser",
    # passwords are reset or changed in the primary Region only
    "ForgotPassword", "ConfirmForgotPassword", "ChangePassword",
    "AdminResetUserPassword", "AdminSetUserPassword",
    # the profile and the MFA settings are the user's: primary only
    "UpdateUserAttributes", "AdminUpdateUserAttributes", "VerifyUserAttribute",
    "SetUserMFAPreference", "AdminSetUserMFAPreference",
    "DeleteUser", "AdminDeleteUser",
    # no TOTP MFA in a secondary Region
    "AssociateSoftwareToken", "VerifySoftwareToken",
})


def check_replica(st, op):
    """Raise what a secondary Region answers for op, if it refuses it."""
    if getattr(st, "replica_role", "PRIMARY") == "SECONDARY" and op in REFUSED_ON_SECONDARY:
        raise CognitoError("OperationNotEnabledException",
                           "%s is not enabled in a secondary Region of this user pool; "
                           "use the primary Region." % op)


def set_replica_role(st, body):
    """EmulatorControl.SetReplicaRole {Role: PRIMARY|SECONDARY}."""
    role = require(body, "Role")
    if role not in ROLES:
        raise invalid_parameter("Role must be PRIMARY or SECONDARY")
    st.replica_role = role
    return {"Role": role}


def set_issuer_type(st, body):
    """EmulatorControl.SetIssuerType {Type: ORIGINAL|UPDATED, UserPoolId?}:
    the issuer the pool's next tokens carry (every pool without
    UserPoolId)."""
    kind = require(body, "Type")
    if kind not in userpool.ISSUER_TYPES:
        raise invalid_parameter("Type must be ORIGINAL or UPDATED")
    pool_id = optional(body, "UserPoolId", str)
    pools = [st.pools[pool_id]] if pool_id in st.pools else (
        [] if pool_id else list(st.pools.values()))
    if not pools:
        raise CognitoError("ResourceNotFoundException", "User pool %s does not exist." % pool_id)
    for pool in pools:
        pool.issuer_type = kind
    return {"Issuers": {p.id: p.issuer for p in pools}}


CONTROL_OPERATIONS = {
    "SetReplicaRole": set_replica_role,
    "SetIssuerType": set_issuer_type,
}
