"""The error types each operation can return, as listed in botocore's service
models (botocore 1.43.67, commit 0e6e240: cognito-idp 2016-04-18,
cognito-identity 2014-06-30, sts 2011-06-15), taken from each operation's
"errors" list. The emulator's `error` fault answers only these per operation;
tests/pam/test_errors.py holds lib/net/api_errors.c to every type of the
operations in CALLED. To refresh: read the "errors" of each operation in
botocore/data/<service>/<version>/service-2.json and update the lists and the
version above."""

ERRORS = {
    "InitiateAuth": (
        "UnsupportedOperationException", "ResourceNotFoundException",
        "InvalidParameterException", "NotAuthorizedException",
        "TooManyRequestsException", "UnexpectedLambdaException",
        "InvalidUserPoolConfigurationException", "UserLambdaValidationException",
        "InvalidLambdaResponseException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException", "InternalErrorException",
        "InvalidSmsRoleAccessPolicyException", "InvalidEmailRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException", "OperationNotEnabledException",
        "ForbiddenException"),
    "RespondToAuthChallenge": (
        "ResourceNotFoundException", "InvalidParameterException",
        "NotAuthorizedException", "CodeMismatchException", "ExpiredCodeException",
        "UnexpectedLambdaException", "UserLambdaValidationException",
        "InvalidPasswordException", "PasswordHistoryPolicyViolationException",
        "InvalidLambdaResponseException", "TooManyRequestsException",
        "InvalidUserPoolConfigurationException", "MFAMethodNotFoundException",
        "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException",
        "InvalidEmailRoleAccessPolicyException", "AliasExistsException",
        "InternalErrorException", "SoftwareTokenMFANotFoundException",
        "ForbiddenException", "OperationNotEnabledException"),
    "ChangePassword": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidPasswordException", "PasswordHistoryPolicyViolationException",
        "NotAuthorizedException", "TooManyRequestsException", "LimitExceededException",
        "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "OperationNotEnabledException",
        "InternalErrorException", "ForbiddenException"),
    "ForgotPassword": (
        "ResourceNotFoundException", "InvalidParameterException",
        "UnexpectedLambdaException", "UserLambdaValidationException",
        "NotAuthorizedException", "InvalidLambdaResponseException",
        "TooManyRequestsException", "LimitExceededException",
        "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException",
        "InvalidEmailRoleAccessPolicyException", "CodeDeliveryFailureException",
        "UserNotFoundException", "OperationNotEnabledException",
        "InternalErrorException", "ForbiddenException"),
    "ConfirmForgotPassword": (
        "ResourceNotFoundException", "UnexpectedLambdaException",
        "UserLambdaValidationException", "InvalidParameterException",
        "InvalidPasswordException", "PasswordHistoryPolicyViolationException",
        "NotAuthorizedException", "CodeMismatchException", "ExpiredCodeException",
        "TooManyFailedAttemptsException", "InvalidLambdaResponseException",
        "TooManyRequestsException", "LimitExceededException", "UserNotFoundException",
        "UserNotConfirmedException", "OperationNotEnabledException",
        "InternalErrorException", "ForbiddenException"),
    "AssociateSoftwareToken": (
        "ConcurrentModificationException", "InvalidParameterException",
        "NotAuthorizedException", "ResourceNotFoundException", "InternalErrorException",
        "SoftwareTokenMFANotFoundException", "ForbiddenException",
        "OperationNotEnabledException"),
    "VerifySoftwareToken": (
        "InvalidParameterException", "ResourceNotFoundException",
        "InvalidUserPoolConfigurationException", "NotAuthorizedException",
        "TooManyRequestsException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException", "InternalErrorException",
        "EnableSoftwareTokenMFAException", "SoftwareTokenMFANotFoundException",
        "CodeMismatchException", "ForbiddenException", "OperationNotEnabledException"),
    "RevokeToken": (
        "TooManyRequestsException", "InternalErrorException", "UnauthorizedException",
        "InvalidParameterException", "UnsupportedOperationException",
        "UnsupportedTokenTypeException", "ForbiddenException",
        "OperationNotEnabledException"),
    "GlobalSignOut": (
        "ResourceNotFoundException", "InvalidParameterException",
        "NotAuthorizedException", "TooManyRequestsException",
        "PasswordResetRequiredException", "UserNotConfirmedException",
        "OperationNotEnabledException", "InternalErrorException", "ForbiddenException"),
    "GetTokensFromRefreshToken": (
        "ResourceNotFoundException", "InvalidParameterException",
        "NotAuthorizedException", "TooManyRequestsException", "UserNotFoundException",
        "UnexpectedLambdaException", "UserLambdaValidationException",
        "InvalidLambdaResponseException", "ForbiddenException",
        "RefreshTokenReuseException", "OperationNotEnabledException",
        "InternalErrorException"),
    "ConfirmDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "NotAuthorizedException", "InvalidPasswordException",
        "InvalidLambdaResponseException", "UsernameExistsException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "InternalErrorException",
        "OperationNotEnabledException", "DeviceKeyExistsException", "ForbiddenException"),
    "UpdateDeviceStatus": (
        "InvalidParameterException", "ResourceNotFoundException",
        "NotAuthorizedException", "InvalidUserPoolConfigurationException",
        "TooManyRequestsException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException",
        "OperationNotEnabledException", "InternalErrorException", "ForbiddenException"),
    "ListDevices": (
        "InvalidParameterException", "ResourceNotFoundException",
        "NotAuthorizedException", "InvalidUserPoolConfigurationException",
        "TooManyRequestsException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException",
        "OperationNotEnabledException", "InternalErrorException", "ForbiddenException"),
    "GetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidUserPoolConfigurationException", "NotAuthorizedException",
        "TooManyRequestsException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException",
        "OperationNotEnabledException", "InternalErrorException", "ForbiddenException"),
    "ForgetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "NotAuthorizedException", "TooManyRequestsException",
        "InvalidUserPoolConfigurationException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException",
        "OperationNotEnabledException", "InternalErrorException", "ForbiddenException"),
    "AdminListDevices": (
        "InvalidParameterException", "ResourceNotFoundException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "OperationNotEnabledException", "InternalErrorException",
        "NotAuthorizedException"),
    "AdminGetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "OperationNotEnabledException", "InternalErrorException",
        "NotAuthorizedException"),
    "AdminUpdateDeviceStatus": (
        "InvalidParameterException", "ResourceNotFoundException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "NotAuthorizedException", "OperationNotEnabledException",
        "UserNotFoundException", "InternalErrorException"),
    "AdminForgetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "NotAuthorizedException", "OperationNotEnabledException",
        "UserNotFoundException", "InternalErrorException"),
    "ListGroups": (
        "InvalidParameterException", "ResourceNotFoundException",
        "TooManyRequestsException", "NotAuthorizedException",
        "OperationNotEnabledException", "InternalErrorException"),
    "ListUsersInGroup": (
        "InvalidParameterException", "ResourceNotFoundException",
        "TooManyRequestsException", "NotAuthorizedException",
        "OperationNotEnabledException", "InternalErrorException"),
    "ListUserPoolClients": (
        "InvalidParameterException", "ResourceNotFoundException",
        "TooManyRequestsException", "NotAuthorizedException",
        "OperationNotEnabledException", "InternalErrorException"),
    "DescribeUserPoolClient": (
        "ResourceNotFoundException", "InvalidParameterException",
        "TooManyRequestsException", "OperationNotEnabledException",
        "NotAuthorizedException", "InternalErrorException"),
    # The passkey tool (pam_cognito-passkey: lib/login/passkey_register.c).
    "StartWebAuthnRegistration": (
        "ForbiddenException", "InternalErrorException", "InvalidParameterException",
        "LimitExceededException", "NotAuthorizedException",
        "TooManyRequestsException", "WebAuthnNotEnabledException",
        "PasswordResetRequiredException", "WebAuthnConfigurationMissingException",
        "OperationNotEnabledException"),
    "CompleteWebAuthnRegistration": (
        "ForbiddenException", "InternalErrorException", "InvalidParameterException",
        "LimitExceededException", "NotAuthorizedException",
        "TooManyRequestsException", "WebAuthnNotEnabledException",
        "WebAuthnChallengeNotFoundException",
        "WebAuthnRelyingPartyMismatchException", "WebAuthnClientMismatchException",
        "WebAuthnOriginNotAllowedException", "PasswordResetRequiredException",
        "WebAuthnCredentialNotSupportedException", "OperationNotEnabledException"),
    "ListWebAuthnCredentials": (
        "ForbiddenException", "InternalErrorException", "InvalidParameterException",
        "TooManyRequestsException", "LimitExceededException",
        "PasswordResetRequiredException", "NotAuthorizedException",
        "OperationNotEnabledException"),
    "DeleteWebAuthnCredential": (
        "ForbiddenException", "InternalErrorException", "InvalidParameterException",
        "TooManyRequestsException", "LimitExceededException",
        "PasswordResetRequiredException", "NotAuthorizedException",
        "ResourceNotFoundException", "OperationNotEnabledException"),
    "GetId": (
        "InvalidParameterException", "ResourceNotFoundException",
        "NotAuthorizedException", "ResourceConflictException",
        "TooManyRequestsException", "InternalErrorException", "LimitExceededException",
        "ExternalServiceException"),
    "GetCredentialsForIdentity": (
        "InvalidParameterException", "ResourceNotFoundException",
        "NotAuthorizedException", "ResourceConflictException",
        "TooManyRequestsException", "InvalidIdentityPoolConfigurationException",
        "InternalErrorException", "ExternalServiceException"),
    "GetOpenIdToken": (
        "InvalidParameterException", "ResourceNotFoundException",
        "NotAuthorizedException", "ResourceConflictException",
        "TooManyRequestsException", "InternalErrorException", "ExternalServiceException"),
}
ANY = frozenset(e for errors in ERRORS.values() for e in errors)

# What pam_cognito, pam_cognito-sync and the credentials helper call (grep
# lib/, sync/, helper/ for the operation names); STS when identity_flow is
# "basic".
CALLED = (
    "InitiateAuth", "RespondToAuthChallenge", "ChangePassword", "ForgotPassword",
    "ConfirmForgotPassword", "AssociateSoftwareToken", "VerifySoftwareToken",
    "ConfirmDevice", "UpdateDeviceStatus", "GetTokensFromRefreshToken", "RevokeToken",
    "ListUsersInGroup", "ListUserPoolClients", "DescribeUserPoolClient",
    "GetId", "GetCredentialsForIdentity", "GetOpenIdToken",
    "StartWebAuthnRegistration", "CompleteWebAuthnRegistration",
    "ListWebAuthnCredentials", "DeleteWebAuthnCredential",
)

# Every operation of the three models (same botocore version), so that
# tests/pam/test_errors.py can find each one the C sources name and hold it
# to CALLED (or STS_ERRORS): a new call cannot arrive without its rows.
MODEL_OPERATIONS = frozenset("""
    AddCustomAttributes AddUserPoolClientSecret AdminAddUserToGroup
    AdminConfirmSignUp AdminCreateUser AdminDeleteUser
    AdminDeleteUserAttributes AdminDisableProviderForUser AdminDisableUser
    AdminEnableUser AdminForgetDevice AdminGetDevice AdminGetUser
    AdminGetUserAuthFactors AdminInitiateAuth AdminLinkProviderForUser
    AdminListDevices AdminListGroupsForUser AdminListUserAuthEvents
    AdminRemoveUserFromGroup AdminResetUserPassword
    AdminRespondToAuthChallenge AdminSetUserMFAPreference AdminSetUserPassword
    AdminSetUserSettings AdminUpdateAuthEventFeedback AdminUpdateDeviceStatus
    AdminUpdateUserAttributes AdminUserGlobalSignOut AssociateSoftwareToken
    ChangePassword CompleteWebAuthnRegistration ConfirmDevice
    ConfirmForgotPassword ConfirmSignUp CreateGroup CreateIdentityProvider
    CreateManagedLoginBranding CreateResourceServer CreateTerms
    CreateUserImportJob CreateUserPool CreateUserPoolClient
    CreateUserPoolDomain CreateUserPoolReplica DeleteGroup
    DeleteIdentityProvider DeleteManagedLoginBranding DeleteResourceServer
    DeleteTerms DeleteUser DeleteUserAttributes DeleteUserPool
    DeleteUserPoolClient DeleteUserPoolClientSecret DeleteUserPoolDomain
    DeleteUserPoolReplica DeleteWebAuthnCredential DescribeIdentityProvider
    DescribeManagedLoginBranding DescribeManagedLoginBrandingByClient
    DescribeResourceServer DescribeRiskConfiguration DescribeTerms
    DescribeUserImportJob DescribeUserPool DescribeUserPoolClient
    DescribeUserPoolDomain ForgetDevice ForgotPassword GetCSVHeader GetDevice
    GetGroup GetIdentityProviderByIdentifier GetLogDeliveryConfiguration
    GetProvisionedLimit GetSigningCertificate GetTokensFromRefreshToken
    GetUICustomization GetUser GetUserAttributeVerificationCode
    GetUserAuthFactors GetUserPoolMfaConfig GlobalSignOut InitiateAuth
    ListDevices ListGroups ListIdentityProviders ListResourceServers
    ListTagsForResource ListTerms ListUserImportJobs ListUserPoolClientSecrets
    ListUserPoolClients ListUserPoolReplicas ListUserPools ListUsers
    ListUsersInGroup ListWebAuthnCredentials ResendConfirmationCode
    RespondToAuthChallenge RevokeToken SetLogDeliveryConfiguration
    SetRiskConfiguration SetUICustomization SetUserMFAPreference
    SetUserPoolMfaConfig SetUserSettings SignUp StartUserImportJob
    StartWebAuthnRegistration StopUserImportJob TagResource UntagResource
    UpdateAuthEventFeedback UpdateDeviceStatus UpdateGroup
    UpdateIdentityProvider UpdateManagedLoginBranding UpdateProvisionedLimit
    UpdateResourceServer UpdateTerms UpdateUserAttributes UpdateUserPool
    UpdateUserPoolClient UpdateUserPoolDomain UpdateUserPoolReplica
    VerifySoftwareToken VerifyUserAttribute
    CreateIdentityPool DeleteIdentities DeleteIdentityPool DescribeIdentity
    DescribeIdentityPool GetCredentialsForIdentity GetId GetIdentityPoolRoles
    GetOpenIdToken GetOpenIdTokenForDeveloperIdentity
    GetPrincipalTagAttributeMap ListIdentities ListIdentityPools
    ListTagsForResource LookupDeveloperIdentity MergeDeveloperIdentities
    SetIdentityPoolRoles SetPrincipalTagAttributeMap TagResource
    UnlinkDeveloperIdentity UnlinkIdentity UntagResource UpdateIdentityPool
    AssumeRole AssumeRoleWithSAML AssumeRoleWithWebIdentity AssumeRoot
    DecodeAuthorizationMessage GetAccessKeyInfo GetCallerIdentity
    GetDelegatedAccessToken GetFederationToken GetSessionToken
    GetWebIdentityToken
""".split())

# STS AssumeRoleWithWebIdentity, for identity_flow = basic (issue 24, item
# 8). STS speaks the query protocol:
# an error arrives as its wire code (the model's "error": {"code"}), which
# is what the module's table matches.
STS_ERRORS = {
    "AssumeRoleWithWebIdentity": (
        "MalformedPolicyDocument", "PackedPolicyTooLarge", "IDPRejectedClaim",
        "IDPCommunicationError", "InvalidIdentityToken", "ExpiredTokenException",
        "RegionDisabledException"),
}

# The query protocol's common errors (the AWS API reference's "Common
# Errors"), which STS may answer AssumeRoleWithWebIdentity with although the
# model does not list them: those of a request that needs no signature.
STS_COMMON = ("Throttling", "AccessDenied", "ExpiredToken", "ValidationError",
              "InvalidParameterValue", "MissingParameter", "InvalidAction",
              "MalformedQueryString", "InternalFailure", "ServiceUnavailable")

# Cognito answers 400 for everything but these.
STATUS = {"InternalErrorException": 500, "ForbiddenException": 403}


def allowed(operation, error_type):
    """Whether `operation` can return `error_type` ("*": any listed type)."""
    if operation in STS_ERRORS:
        return error_type in STS_ERRORS[operation] or error_type in STS_COMMON
    if operation in ERRORS:
        return error_type in ERRORS[operation]
    return error_type in ANY


def called_types():
    """Every error type (wire code for STS) of the operations in CALLED."""
    types = {t for op in CALLED for t in ERRORS[op]}
    return sorted(types | {t for errors in STS_ERRORS.values() for t in errors}
                  | set(STS_COMMON))
