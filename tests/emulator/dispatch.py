"""X-Amz-Target -> operation function."""

import account
import admin
import admin_list
import auth
import control_ops
import devices
import identity
import journal
import mfa_setup
import multiregion
import passwords
import refresh
import reply_style
import signout
import sigv4
import usercontext
import webauthn

IDP = "AWSCognitoIdentityProviderService"
IDENTITY = "AWSCognitoIdentityService"
CONTROL = "EmulatorControl"

OPERATIONS = {
    IDP: {
        "InitiateAuth": auth.initiate_auth,
        "RespondToAuthChallenge": auth.respond_to_auth_challenge,
        "AssociateSoftwareToken": mfa_setup.associate_software_token,
        "VerifySoftwareToken": mfa_setup.verify_software_token,
        "ChangePassword": account.change_password,
        "GetUser": account.get_user,
        "AdminCreateUser": admin.admin_create_user,
        "AdminSetUserPassword": admin.admin_set_user_password,
        "AdminGetUser": admin.admin_get_user,
        "AdminDeleteUser": admin.admin_delete_user,
        "AdminDisableUser": admin.admin_disable_user,
        "AdminEnableUser": admin.admin_enable_user,
        "AdminSetUserMFAPreference": admin.admin_set_user_mfa_preference,
        "AdminUpdateUserAttributes": admin.admin_update_user_attributes,
        "AddCustomAttributes": admin.add_custom_attributes,
        "UpdateUserAttributes": account.update_user_attributes,
        "AdminAddUserToGroup": admin.admin_add_user_to_group,
        "AdminRemoveUserFromGroup": admin.admin_remove_user_from_group,
        "AdminListGroupsForUser": admin.admin_list_groups_for_user,
        "CreateGroup": admin.create_group,
        "CreateUserPoolClient": admin.create_user_pool_client,
        "RevokeToken": signout.revoke_token,
        "GlobalSignOut": signout.global_sign_out,
        "AdminUserGlobalSignOut": signout.admin_user_global_sign_out,
        "ForgotPassword": passwords.forgot_password,
        "ConfirmForgotPassword": passwords.confirm_forgot_password,
        "AdminResetUserPassword": passwords.admin_reset_user_password,
        "SetUserMFAPreference": account.set_user_mfa_preference,
        "GetTokensFromRefreshToken": refresh.get_tokens_from_refresh_token,
        "ConfirmDevice": devices.confirm_device,
        "UpdateDeviceStatus": devices.update_device_status,
        "ListDevices": devices.list_devices,
        "GetDevice": devices.get_device,
        "ForgetDevice": devices.forget_device,
        "AdminListDevices": devices.admin_list_devices,
        "AdminGetDevice": devices.admin_get_device,
        "AdminUpdateDeviceStatus": devices.admin_update_device_status,
        "AdminForgetDevice": devices.admin_forget_device,
    },
    IDENTITY: {
        "GetId": identity.get_id,
        "GetCredentialsForIdentity": identity.get_credentials_for_identity,
        "GetOpenIdToken": identity.get_open_id_token,
    },
    CONTROL: control_ops.OPERATIONS,
}
# pam_cognito-sync's calls (SigV4-checked in server.py) and the key control.
OPERATIONS[IDP].update(admin_list.OPERATIONS)
OPERATIONS[IDP].update(webauthn.OPERATIONS)
OPERATIONS[CONTROL] = dict(OPERATIONS[CONTROL], **sigv4.CONTROL_OPERATIONS,
                           **usercontext.CONTROL_OPERATIONS,
                           **reply_style.CONTROL_OPERATIONS,
                           **multiregion.CONTROL_OPERATIONS,
                           **journal.CONTROL_OPERATIONS,
                           **webauthn.CONTROL_OPERATIONS,
                           SetIdentityPoolRoles=identity.set_identity_pool_roles,
                           RefreshRequests=refresh.refresh_requests)


def resolve(target):
    """(service, operation, function) for an X-Amz-Target, or None."""
    if not target or "." not in target:
        return None
    service, op = target.rsplit(".", 1)
    fn = OPERATIONS.get(service, {}).get(op)
    if fn is None:
        return None
    return service, op, fn
