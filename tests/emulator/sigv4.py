"""AWS Signature Version 4 verification for the admin operations
pam_cognito-sync calls, with the errors AWS gives for unsigned, badly signed
or unknown-key requests.

Which calls require a signature: only SIGNED_OPERATIONS. The other admin
calls (AdminCreateUser and friends) stay open because the test harness
drives them unsigned to set up users; the sync tool's calls are checked the
way AWS checks them. Keys: the fixture's "AccessKeys" list, DEFAULT_KEYS
when it has none, and EmulatorControl.AddAccessKey."""

import hashlib
import hmac
import re
import time
import urllib.parse

from errors import CognitoError, require, optional

SIGNED_OPERATIONS = {"ListUsersInGroup", "ListGroups", "ListUserPoolClients",
                     "DescribeUserPoolClient"}
SERVICE = "cognito-idp"
ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = 300  # AWS refuses signatures more than 5 minutes off

# Two long-term keys and one temporary key with its session token.
DEFAULT_KEYS = [
    {"AccessKeyId": "AKIAEMULATOR0000SYNC",
     "SecretAccessKey": "emulator/sync/secret/key/0000000000000000"},
    {"AccessKeyId": "ASIAEMULATOR0000TEMP",
     "SecretAccessKey": "emulator/temporary/secret/000000000000000",
     "SessionToken": "emulator-session-token-0000000000000000"},
]

BAD_SIGNATURE = ("The request signature we calculated does not match the signature "
                 "you provided. Check your AWS Secret Access Key and signing method. "
                 "Consult the service documentation for details.")
BAD_TOKEN = "The security token included in the request is invalid."


def keys(st):
    """access key id -> key record, kept on the state object."""
    table = getattr(st, "sigv4_keys", None)
    if table is None or getattr(st, "sigv4_fixture", None) is not st.pools:
        # (Re)built after each reset, which replaces st.pools.
        table = {k["AccessKeyId"]: dict(k)
                 for k in (st.fixture.get("AccessKeys") or DEFAULT_KEYS)}
        st.sigv4_keys = table
        st.sigv4_fixture = st.pools
    return table


def add_access_key(st, body):
    """EmulatorControl.AddAccessKey: AccessKeyId, SecretAccessKey, optional
    SessionToken and Expiration (epoch seconds)."""
    record = {"AccessKeyId": require(body, "AccessKeyId"),
              "SecretAccessKey": require(body, "SecretAccessKey")}
    token = optional(body, "SessionToken", str)
    if token:
        record["SessionToken"] = token
    expiration = optional(body, "Expiration", (int, float))
    if expiration is not None:
        record["Expiration"] = expiration
    keys(st)[record["AccessKeyId"]] = record
    return {}


CONTROL_OPERATIONS = {"AddAccessKey": add_access_key}


def _incomplete(message):
    return CognitoError("IncompleteSignatureException", message)


def _invalid(message=BAD_SIGNATURE):
    return CognitoError("InvalidSignatureException", message)


def parse_authorization(value):
    """{'Credential': ..., 'SignedHeaders': ..., 'Signature': ...} or raise
    IncompleteSignatureException as AWS words it."""
    if not value.startswith(ALGORITHM + " "):
        raise _incomplete("Authorization header requires '%s' algorithm, got: %s"
                          % (ALGORITHM, value.split(" ", 1)[0]))
    parts = {}
    for item in value[len(ALGORITHM) + 1:].split(","):
        name, _, val = item.strip().partition("=")
        parts[name] = val
    missing = [n for n in ("Credential", "SignedHeaders", "Signature") if not parts.get(n)]
    if missing:
        raise _incomplete(" ".join("Authorization header requires '%s' parameter." % n
                                   for n in missing))
    return parts


def _uri_encode(text, keep_slash):
    return urllib.parse.quote(text, safe="/-_.~" if keep_slash else "-_.~")


def canonical_query(query):
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    encoded = sorted((_uri_encode(k, False), _uri_encode(v, False)) for k, v in pairs)
    return "&".join("%s=%s" % kv for kv in encoded)


def canonical_request(method, path, headers, signed, body):
    """headers: list of (name, value) as received; signed: lower-case names."""
    raw_path, _, query = path.partition("?")
    uri = _uri_encode(urllib.parse.unquote(raw_path) or "/", True)
    lines = []
    for name in signed:
        values = [v for k, v in headers if k.lower() == name]
        if not values:
            raise _invalid()
        lines.append("%s:%s" % (name, ",".join(re.sub(r"\s+", " ", v.strip())
                                                for v in values)))
    payload = hashlib.sha256(body).hexdigest()
    return "\n".join([method, uri, canonical_query(query)] + lines +
                     ["", ";".join(signed), payload])


def signing_key(secret, date, region, service):
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signature(secret, amz_date, scope, creq):
    date, region, service, _ = scope.split("/")
    to_sign = "\n".join([ALGORITHM, amz_date, scope,
                         hashlib.sha256(creq.encode()).hexdigest()])
    return hmac.new(signing_key(secret, date, region, service), to_sign.encode(),
                    hashlib.sha256).hexdigest()


def verify(st, method, path, headers, body, now=None):
    """Raise the CognitoError AWS would give, or return the key id."""
    get = {}
    for k, v in headers:
        get.setdefault(k.lower(), v)
    auth = get.get("authorization")
    if not auth:
        raise CognitoError("MissingAuthenticationTokenException",
                           "Missing Authentication Token")
    parts = parse_authorization(auth)
    amz_date = get.get("x-amz-date")
    if not amz_date:
        raise _incomplete("Authorization header requires existence of either a "
                          "'X-Amz-Date' or a 'Date' header.")
    try:
        when = time.mktime(time.strptime(amz_date, "%Y%m%dT%H%M%SZ")) - time.timezone
    except ValueError:
        raise _incomplete("Date must be in ISO-8601 'basic format'. Got '%s'." % amz_date)
    cred = parts["Credential"].split("/")
    if len(cred) != 5 or cred[4] != "aws4_request":
        raise _incomplete("Credential should have 5 parts separated by '/'.")
    key_id, date, region, service = cred[:4]
    record = keys(st).get(key_id)
    if record is None:
        raise CognitoError("UnrecognizedClientException", BAD_TOKEN)
    if record.get("SessionToken") and get.get("x-amz-security-token") != record["SessionToken"]:
        raise CognitoError("UnrecognizedClientException", BAD_TOKEN)
    now = st.now() if now is None else now
    if record.get("Expiration") is not None and now >= record["Expiration"]:
        raise CognitoError("ExpiredTokenException",
                           "The security token included in the request is expired")
    if date != amz_date[:8]:
        raise _invalid("Date in Credential scope does not match YYYYMMDD from "
                       "ISO-8601 version of date from HTTP: '%s' != '%s'"
                       % (date, amz_date[:8]))
    if region != st.region:
        raise _invalid("Credential should be scoped to a valid region. ")
    if service != SERVICE:
        raise _invalid("Credential should be scoped to correct service: '%s'. " % SERVICE)
    if abs(now - when) > MAX_SKEW:
        raise _invalid("Signature expired: %s is now earlier than %s (%s - 5 min.)"
                       % (amz_date, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now - MAX_SKEW)),
                          time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))))
    signed = parts["SignedHeaders"].split(";")
    if "host" not in signed or signed != sorted(signed):
        raise _invalid()
    creq = canonical_request(method, path, headers, signed, body)
    want = signature(record["SecretAccessKey"], amz_date, "/".join(cred[1:]), creq)
    if not hmac.compare_digest(want, parts["Signature"]):
        raise _invalid()
    return key_id
