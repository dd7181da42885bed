"""How answers go on the wire: like AWS (application/x-amz-json-1.1,
keep-alive), or like moto's server, the emulator most teams run in CI: its
cognito-identity answers say `Content-Type: text/html; charset=utf-8` over a
JSON body and it closes the connection after every answer. botocore reads
the body whatever the Content-Type, and so must a client of "any server that
speaks the AWS JSON protocol".

Control: `SetReplyStyle {Style: "aws" | "moto", Services: "identity" | "all"}`
(Services defaults to "identity", as moto does it); the fixture's
`ReplyStyle` object sets the same at start and at `Reset`."""

from errors import invalid_parameter, optional

MOTO_TYPE = "text/html; charset=utf-8"
STYLES = ("aws", "moto")
SERVICES = ("identity", "all")


def from_fixture(fixture):
    spec = fixture.get("ReplyStyle") or {}
    return _check(spec.get("Style", "aws"), spec.get("Services", "identity"))


def _check(style, services):
    if style not in STYLES:
        raise invalid_parameter("Style must be one of %s" % ", ".join(STYLES))
    if services not in SERVICES:
        raise invalid_parameter("Services must be one of %s" % ", ".join(SERVICES))
    return {"Style": style, "Services": services}


def set_reply_style(st, body):
    st.reply_style = _check(optional(body, "Style", str, "aws"),
                            optional(body, "Services", str, "identity"))
    return {"ReplyStyle": dict(st.reply_style)}


def applies(st, service):
    """True when an answer of `service` (a dispatch service name; None for
    a GET of the JWKS, a control call or a request no service claimed,
    which answer as before) goes out moto's way."""
    style = getattr(st, "reply_style", None) or {}
    if style.get("Style") != "moto" or service is None:
        return False
    return style.get("Services") == "all" or service == "AWSCognitoIdentityService"


CONTROL_OPERATIONS = {"SetReplyStyle": set_reply_style}
