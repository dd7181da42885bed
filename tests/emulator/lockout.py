"""Sign-in lockout as the Cognito developer guide describes it ("Lockout
behavior for failed sign-in attempts"): after `LockoutThreshold` (5) wrong
passwords the user is locked for 1 s, and each further failure doubles it
(2^(n-5) s), up to `LockoutMaxSeconds` (900). Attempts during a lockout
answer NotAuthorizedException "Password attempts exceeded" and are not
counted. The count goes back to 0 only when the user signs in successfully
after a lockout has expired, or makes no sign-in attempt for
`LockoutQuietSeconds` (900, the guide's 15 consecutive minutes); a success
before any lockout leaves the count as it is."""

from errors import not_authorized

LOCKED = "Password attempts exceeded"


def _key(pool, user):
    return (pool.id, user.username)


def _record(st, pool, user):
    """The user's record, forgotten after the quiet time without attempts."""
    key = _key(pool, user)
    record = st.lockouts.get(key)
    if record and st.now() - record["last"] >= float(st.opt("LockoutQuietSeconds")):
        del st.lockouts[key]
        record = None
    return record


def check(st, pool, user):
    """A sign-in attempt with a password: refused while locked."""
    record = _record(st, pool, user)
    if record is None:
        return
    record["last"] = st.now()       # every attempt restarts the quiet time
    if st.now() < record["until"]:
        raise not_authorized(LOCKED)


def failed(st, pool, user):
    threshold = int(st.opt("LockoutThreshold"))
    if threshold <= 0:
        return
    record = _record(st, pool, user) or st.lockouts.setdefault(
        _key(pool, user), {"failures": 0, "until": 0, "last": 0})
    record["failures"] += 1
    record["last"] = st.now()
    if record["failures"] >= threshold:
        seconds = min(2 ** (record["failures"] - threshold), float(st.opt("LockoutMaxSeconds")))
        record["until"] = st.now() + seconds


def succeeded(st, pool, user):
    """A right password: ends the count only once a lockout has expired."""
    record = _record(st, pool, user)
    if record and record["failures"] >= int(st.opt("LockoutThreshold")) > 0:
        del st.lockouts[_key(pool, user)]


def cleared(st, pool, user):
    """A new password (ConfirmForgotPassword) starts the count afresh."""
    st.lockouts.pop(_key(pool, user), None)


def state(st, pool, user):
    record = _record(st, pool, user) or {"failures": 0, "until": 0}
    return {"Failures": record["failures"],
            "LockedSeconds": max(0.0, record["until"] - st.now())}
