"""Every request the emulator was sent (both Cognito services and STS, not
the control API): target, JSON body (STS: the form's fields) and whether it
was signed, so that a test can judge what a client sent against a model of
the calls (tests/pam/test_sdk_requests.py with
tests/conformance/judge-requests.js). Kept in memory, the latest LIMIT;
emptied by a reset and by EmulatorControl.Requests with Clear."""

from errors import optional

LIMIT = 2000
# STS's service name as a JSON target would spell it (its calls are forms).
STS = "AWSSecurityTokenServiceV20110615"


def _entries(st):
    # (Re)made after each reset, which replaces st.pools (as sigv4.keys does).
    if getattr(st, "journal_of", None) is not st.pools:
        st.journal = []
        st.journal_of = st.pools
    return st.journal


def record(st, service, op, body, signed):
    """Keep one request; body is its parsed JSON (None when it was not JSON)."""
    with st.lock:
        entries = _entries(st)
        entries.append({"Service": service, "Operation": op, "Body": body, "Signed": signed})
        del entries[:-LIMIT]


def requests(st, body):
    """Control: the kept requests, oldest first; Clear empties the journal."""
    with st.lock:
        entries = _entries(st)
        out = {"Requests": list(entries)}
        if optional(body, "Clear", bool, False):
            entries.clear()
    return out


CONTROL_OPERATIONS = {"Requests": requests}
