"""The error types each operation can return, as listed in the botocore
service model for cognito-idp (2016-04-18), for the `error` fault kind."""

ERRORS = {
    "InitiateAuth": (
        "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException",
        "TooManyRequestsException", "UnexpectedLambdaException",
        "InvalidUserPoolConfigurationException", "UserLambdaValidationException",
        "InvalidLambdaResponseException", "PasswordResetRequiredException",
        "UserNotFoundException", "UserNotConfirmedException", "InternalErrorException",
        "InvalidSmsRoleAccessPolicyException", "InvalidSmsRoleTrustRelationshipException",
        "ForbiddenException"),
    "RespondToAuthChallenge": (
        "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException",
        "CodeMismatchException", "ExpiredCodeException", "UnexpectedLambdaException",
        "UserLambdaValidationException", "InvalidPasswordException",
        "InvalidLambdaResponseException", "TooManyRequestsException",
        "InvalidUserPoolConfigurationException", "MFAMethodNotFoundException",
        "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException", "AliasExistsException",
        "InternalErrorException", "SoftwareTokenMFANotFoundException", "ForbiddenException",
        "PasswordHistoryPolicyViolationException"),
    "ChangePassword": (
        "ResourceNotFoundException", "InvalidParameterException", "InvalidPasswordException",
        "NotAuthorizedException", "TooManyRequestsException", "LimitExceededException",
        "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "InternalErrorException", "ForbiddenException",
        "PasswordHistoryPolicyViolationException"),
    "ForgotPassword": (
        "ResourceNotFoundException", "InvalidParameterException", "UnexpectedLambdaException",
        "UserLambdaValidationException", "NotAuthorizedException",
        "InvalidLambdaResponseException", "TooManyRequestsException",
        "LimitExceededException", "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException", "InvalidEmailRoleAccessPolicyException",
        "CodeDeliveryFailureException", "UserNotFoundException", "InternalErrorException",
        "ForbiddenException"),
    "ConfirmForgotPassword": (
        "ResourceNotFoundException", "UnexpectedLambdaException",
        "UserLambdaValidationException", "InvalidParameterException",
        "InvalidPasswordException", "NotAuthorizedException", "CodeMismatchException",
        "ExpiredCodeException", "TooManyFailedAttemptsException",
        "InvalidLambdaResponseException", "TooManyRequestsException",
        "LimitExceededException", "UserNotFoundException", "UserNotConfirmedException",
        "InternalErrorException", "ForbiddenException",
        "PasswordHistoryPolicyViolationException"),
    "AssociateSoftwareToken": (
        "ConcurrentModificationException", "InvalidParameterException",
        "NotAuthorizedException", "ResourceNotFoundException", "InternalErrorException",
        "SoftwareTokenMFANotFoundException", "ForbiddenException"),
    "VerifySoftwareToken": (
        "InvalidParameterException", "ResourceNotFoundException",
        "InvalidUserPoolConfigurationException", "NotAuthorizedException",
        "TooManyRequestsException", "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "InternalErrorException",
        "EnableSoftwareTokenMFAException", "SoftwareTokenMFANotFoundException",
        "CodeMismatchException", "ForbiddenException"),
    "RevokeToken": (
        "TooManyRequestsException", "InternalErrorException", "UnauthorizedException",
        "InvalidParameterException", "UnsupportedOperationException",
        "UnsupportedTokenTypeException", "ForbiddenException"),
    "GlobalSignOut": (
        "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException",
        "TooManyRequestsException", "PasswordResetRequiredException",
        "UserNotConfirmedException", "InternalErrorException", "ForbiddenException"),
    "GetTokensFromRefreshToken": (
        "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException",
        "TooManyRequestsException", "UserNotFoundException", "UnexpectedLambdaException",
        "UserLambdaValidationException", "InvalidLambdaResponseException", "ForbiddenException",
        "RefreshTokenReuseException", "OperationNotEnabledException", "InternalErrorException"),
    "ConfirmDevice": (
        "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException",
        "InvalidPasswordException", "InvalidLambdaResponseException", "UsernameExistsException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "PasswordResetRequiredException", "UserNotFoundException", "UserNotConfirmedException",
        "InternalErrorException", "DeviceKeyExistsException", "ForbiddenException"),
    "UpdateDeviceStatus": (
        "InvalidParameterException", "ResourceNotFoundException", "NotAuthorizedException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "PasswordResetRequiredException", "UserNotFoundException", "UserNotConfirmedException",
        "InternalErrorException", "ForbiddenException"),
    "ListDevices": (
        "InvalidParameterException", "ResourceNotFoundException", "NotAuthorizedException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "PasswordResetRequiredException", "UserNotFoundException", "UserNotConfirmedException",
        "InternalErrorException", "ForbiddenException"),
    "GetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidUserPoolConfigurationException", "NotAuthorizedException",
        "TooManyRequestsException", "PasswordResetRequiredException", "UserNotFoundException",
        "UserNotConfirmedException", "InternalErrorException", "ForbiddenException"),
    "ForgetDevice": (
        "ResourceNotFoundException", "InvalidParameterException", "NotAuthorizedException",
        "TooManyRequestsException", "InvalidUserPoolConfigurationException",
        "PasswordResetRequiredException", "UserNotFoundException", "UserNotConfirmedException",
        "InternalErrorException", "ForbiddenException"),
    "AdminListDevices": (
        "InvalidParameterException", "ResourceNotFoundException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "InternalErrorException", "NotAuthorizedException"),
    "AdminGetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "InternalErrorException", "NotAuthorizedException"),
    "AdminUpdateDeviceStatus": (
        "InvalidParameterException", "ResourceNotFoundException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "NotAuthorizedException", "UserNotFoundException", "InternalErrorException"),
    "AdminForgetDevice": (
        "ResourceNotFoundException", "InvalidParameterException",
        "InvalidUserPoolConfigurationException", "TooManyRequestsException",
        "NotAuthorizedException", "UserNotFoundException", "InternalErrorException"),
}
ANY = frozenset(e for errors in ERRORS.values() for e in errors)

# Cognito answers 400 for everything but these.
STATUS = {"InternalErrorException": 500, "ForbiddenException": 403}


def allowed(operation, error_type):
    """Whether `operation` can return `error_type` ("*": any listed type)."""
    if operation in ERRORS:
        return error_type in ERRORS[operation]
    return error_type in ANY
