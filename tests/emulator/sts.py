"""STS AssumeRoleWithWebIdentity for the identity pool's basic flow: the
AWS query protocol (a form POSTed to /, Action and Version in it) and its
XML answers. It checks the OpenID token of GetOpenIdToken as STS checks a
web identity token against a role's trust policy: signed by a key the
emulator made, iss cognito-identity.amazonaws.com, aud an identity pool
whose TrustedRoleArns holds the role (the trust policy's
cognito-identity.amazonaws.com:aud condition), amr "authenticated", not
expired."""

import base64
import secrets
import string
import time
import uuid
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

import tokens
from identity import OPENID_ISSUER

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
# The STS model's HTTP status of an error code (its awsQueryError), where
# not 400.
STATUS = {"IDPRejectedClaim": 403, "RegionDisabledException": 403, "AccessDenied": 403,
          "MalformedQueryString": 404, "InternalFailure": 500, "ServiceUnavailable": 503}
XML_TYPE = "text/xml"
ACTION = "AssumeRoleWithWebIdentity"
ROLE_ARN_MIN, ROLE_ARN_MAX = 20, 2048


class StsError(Exception):
    def __init__(self, code, message, status=None, sender=True):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.status = STATUS.get(code, 400) if status is None else status
        self.sender = sender

    def xml(self):
        return ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n'
                '    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n'
                '  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
                % (NS, "Sender" if self.sender else "Receiver", escape(self.code),
                   escape(self.message), uuid.uuid4())).encode()


def parse_form(body):
    """The form's fields, each once; StsError for anything else."""
    try:
        text = body.decode("ascii")
        fields = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except (UnicodeDecodeError, ValueError):
        raise StsError("MalformedQueryString", "The query string is malformed.")
    if any(len(v) != 1 for v in fields.values()):
        raise StsError("InvalidParameterValue", "A parameter was given more than once.")
    return {k: v[0] for k, v in fields.items()}


def _check_params(p):
    if p.get("Action") != ACTION:
        raise StsError("InvalidAction", "Could not find operation %s for version %s"
                       % (p.get("Action"), p.get("Version")))
    if p.get("Version") != "2011-06-15":
        raise StsError("InvalidParameterValue", "Unsupported Version %s" % p.get("Version"))
    for name in ("RoleArn", "RoleSessionName", "WebIdentityToken"):
        if not p.get(name):
            raise StsError("MissingParameter",
                           "The request must contain the parameter %s" % name)
    name = p["RoleSessionName"]
    ok = set(string.ascii_letters + string.digits + "_+=,.@-")
    if not 2 <= len(name) <= 64 or not set(name) <= ok:
        raise StsError("ValidationError", "1 validation error detected: Value '%s' at "
                       "'roleSessionName' failed to satisfy constraint" % name)
    if not ROLE_ARN_MIN <= len(p["RoleArn"]) <= ROLE_ARN_MAX:
        raise StsError("ValidationError", "1 validation error detected: Value at "
                       "'roleArn' failed to satisfy constraint")
    duration = p.get("DurationSeconds", "3600")
    if not duration.isdigit() or not 900 <= int(duration) <= 43200:
        raise StsError("ValidationError", "1 validation error detected: Value '%s' at "
                       "'durationSeconds' failed to satisfy constraint" % duration)
    return int(duration)


def _check_token(st, token, role):
    """The identity pool whose identity the token proves; StsError else."""
    try:
        claims = st.keys.decode(token, st.now())
    except tokens.TokenError as exc:
        if exc.reason == "expired":
            raise StsError("ExpiredTokenException", "Token expired: current date/time must "
                           "be before the expiration date/time.")
        raise StsError("InvalidIdentityToken", "Couldn't verify the token's signature"
                       if exc.reason == "signature" else "The token is not a valid JWT.")
    if claims.get("iss") != OPENID_ISSUER:
        raise StsError("InvalidIdentityToken", "No OpenIDConnect provider found in your "
                       "account for %s" % claims.get("iss"))
    ipool = st.identity_pools.get(claims.get("aud"))
    if ipool is None:
        raise StsError("InvalidIdentityToken", "Incorrect token audience")
    amr = claims.get("amr") or []
    if role not in ipool.trusted_roles or "authenticated" not in amr:
        raise StsError("AccessDenied", "Not authorized to perform "
                       "sts:AssumeRoleWithWebIdentity", status=403)
    return ipool, claims


def assume_role_with_web_identity(st, params):
    """(status, XML bytes) of one call."""
    duration = _check_params(params)
    role = params["RoleArn"]
    ipool, claims = _check_token(st, params["WebIdentityToken"], role)
    now = st.now()
    expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + duration))
    akid = "ASIA" + "".join(secrets.choice(string.ascii_uppercase + "234567")
                            for _ in range(16))
    secret = "".join(secrets.choice(string.ascii_letters + string.digits + "+/")
                     for _ in range(40))
    session = "FwoGZXIvYXdzE" + base64.b64encode(secrets.token_bytes(500)).decode()
    name = params["RoleSessionName"]
    st.issued.append({"IdentityId": claims["sub"], "IdentityPoolId": ipool.id,
                      "RoleArn": role, "Sub": None, "Username": None, "IssuedAt": now,
                      "Flow": "basic", "RoleSessionName": name,
                      "Credentials": {"AccessKeyId": akid, "SecretKey": secret,
                                      "SessionToken": session, "Expiration": expiration}})
    account = role.split(":")[4] if role.count(":") >= 5 else "123456789012"
    role_name = role.rsplit("/", 1)[-1]
    xml = ('<AssumeRoleWithWebIdentityResponse xmlns="%s">\n'
           '  <AssumeRoleWithWebIdentityResult>\n'
           '    <Audience>%s</Audience>\n'
           '    <AssumedRoleUser>\n'
           '      <Arn>arn:aws:sts::%s:assumed-role/%s/%s</Arn>\n'
           '      <AssumedRoleId>AROA%s:%s</AssumedRoleId>\n'
           '    </AssumedRoleUser>\n'
           '    <Provider>cognito-identity.amazonaws.com</Provider>\n'
           '    <Credentials>\n'
           '      <AccessKeyId>%s</AccessKeyId>\n'
           '      <SecretAccessKey>%s</SecretAccessKey>\n'
           '      <SessionToken>%s</SessionToken>\n'
           '      <Expiration>%s</Expiration>\n'
           '    </Credentials>\n'
           '    <SubjectFromWebIdentityToken>%s</SubjectFromWebIdentityToken>\n'
           '  </AssumeRoleWithWebIdentityResult>\n'
           '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n  </ResponseMetadata>\n'
           '</AssumeRoleWithWebIdentityResponse>\n'
           % (NS, escape(ipool.id), account, escape(role_name), escape(name),
              "".join(secrets.choice(string.ascii_uppercase) for _ in range(17)),
              escape(name), akid, escape(secret), escape(session), expiration,
              escape(claims["sub"]), uuid.uuid4()))
    return 200, xml.encode()


def with_error(payload):
    """The fault matrix's error_tokens_200 for STS: the real answer, its
    credentials and all, with an Error element beside them."""
    return payload.replace(b"</AssumeRoleWithWebIdentityResult>",
                           b"</AssumeRoleWithWebIdentityResult>\n  <Error><Code>AccessDenied"
                           b"</Code><Message>Not authorized</Message></Error>", 1)
