"""Sign-in lockout as Cognito does it: after `LockoutThreshold` (5) wrong
passwords in a row the user is locked for 1 s, and each further failure
doubles it (2^(n-5) s), up to `LockoutMaxSeconds` (900). Attempts during a
lockout answer NotAuthorizedException "Password attempts exceeded" and are
not counted; a right password ends the count."""

from errors import not_authorized

LOCKED = "Password attempts exceeded"


def _key(pool, user):
    return (pool.id, user.username)


def check(st, pool, user):
    record = st.lockouts.get(_key(pool, user))
    if record and st.now() < record["until"]:
        raise not_authorized(LOCKED)


def failed(st, pool, user):
    threshold = int(st.opt("LockoutThreshold"))
    if threshold <= 0:
        return
    record = st.lockouts.setdefault(_key(pool, user), {"failures": 0, "until": 0})
    record["failures"] += 1
    if record["failures"] >= threshold:
        seconds = min(2 ** (record["failures"] - threshold), float(st.opt("LockoutMaxSeconds")))
        record["until"] = st.now() + seconds


def succeeded(st, pool, user):
    st.lockouts.pop(_key(pool, user), None)


def state(st, pool, user):
    record = st.lockouts.get(_key(pool, user)) or {"failures": 0, "until": 0}
    return {"Failures": record["failures"],
            "LockedSeconds": max(0.0, record["until"] - st.now())}
