"""Part (c) of bench/run: round trips after Enter over a simulated link.

The emulator is served over real TLS (a test CA made now with the openssl
CLI, given to the module through ca_file) behind tests/pam/delayproxy.py,
which adds RTT per round trip and 2 RTT per new connection. A login is one
pam-run process; the password is typed TYPING seconds after its prompt
appears. Measured: from the moment the answer is written to pam-run until
the stage's result arrives. Round trips after Enter = (median at RTT -
median at zero RTT) / RTT, so the emulator's own work cancels out.
"""
import os
import selectors
import shutil
import statistics
import subprocess
import tempfile
import time

from delayproxy import DelayProxy, make_test_ca
from pamrun import (IDENTITY_POOL, PAM_RUN, POOL, Emulator, Stack, base_config,
                    ensure_user)

PASSWORDS = {"alice": "Alice-Passw0rd!", "smsuser": "Sms-Passw0rd1!"}

# Choice-based sign-in (auth_flow USER_AUTH) in the emulator's ChoicePool,
# through a client that allows ALLOW_USER_AUTH only.
CHOICE_POOL = "us-east-1_ChoicePool"
USER_AUTH = {"user_pool_id": CHOICE_POOL, "client_id": "userauthonly0000000000000001",
             "auth_flow": "USER_AUTH"}
USER_AUTH_CODES = dict(USER_AUTH, first_factors=["PASSWORD_SRP", "EMAIL_OTP"])


def last_code(emu, pool, user):
    return lambda: emu.control("GetLastCode", UserPoolId=pool, Username=user)["Code"]


# name, user, identity pool?, keep the cache between logins?, protocol
# minimum, what it is, config over the default, answers(emu)
SCENARIOS = (
    ("password only", "alice", False, False, 2,
     "InitiateAuth, PASSWORD_VERIFIER", {}, None),
    ("password + AWS credentials, first login", "alice", True, False, 4,
     "+ GetId, GetCredentialsForIdentity", {}, None),
    ("password + AWS credentials, later login", "alice", True, True, 3,
     "+ GetCredentialsForIdentity (identity id cached)", {}, None),
    ("password, then SMS code (time after the code)", "smsuser", False, False, 1,
     "RespondToAuthChallenge SMS_MFA_CODE", {},
     lambda emu: [PASSWORDS["smsuser"], last_code(emu, POOL, "smsuser")]),
    ("USER_AUTH password (PASSWORD_SRP)", "alice", False, False, 2,
     "InitiateAuth with PREFERRED_CHALLENGE + SRP_A, PASSWORD_VERIFIER", USER_AUTH,
     lambda emu: ["Alice-Choice1!"]),
    ("USER_AUTH email code, first factor (after the code)", "bob", False, False, 1,
     "RespondToAuthChallenge EMAIL_OTP_CODE", USER_AUTH_CODES,
     lambda emu: ["", "", last_code(emu, CHOICE_POOL, "bob")]),
)


def timed_run(stack, user, answers, typing):
    """Run pam-run's auth stage; answers are strings or callables(prompt).
    Returns (seconds from the last answer to the result, time of that
    answer)."""
    cmd = [PAM_RUN, "-d", str(stack.service_dir), "-s", stack.service, "-a", "-",
           "-u", user, "auth"]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    pending, answered, code = b"", None, None
    deadline = time.monotonic() + 120
    try:
        while code is None:
            if not sel.select(max(0, deadline - time.monotonic())):
                raise TimeoutError("pam-run did not finish")
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending and code is None:
                line, pending = pending.split(b"\n", 1)
                now = time.monotonic()
                if line.startswith(b'{"event":"prompt'):
                    a = answers.pop(0) if answers else "@FAIL"
                    time.sleep(typing)
                    if callable(a):
                        a = a()
                    answered = time.monotonic()  # before pam-run can act on it
                    p.stdin.write((a + "\n").encode())
                    p.stdin.flush()
                elif line.startswith(b'{"event":"result"'):
                    code = line.split(b'"code":', 1)[1].split(b",", 1)[0].decode()
                    elapsed = now - answered if answered else float("nan")
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stdout.close()
        p.stdin.close()
    if code != "0":
        raise RuntimeError("login failed with PAM code %s" % code)
    return elapsed, answered


def measure(emu, pki, cache, rtt, scenario, logins, typing):
    """Logins alternating between a zero-RTT proxy and an RTT proxy (so
    both see the same machine load). Returns the median times (s) at 0 and
    at rtt, and per login at rtt: connections, GETs, POSTs, and the round
    trips after Enter that the proxy saw (2 per connection accepted after
    the answer, 1 per request sent after it)."""
    name, user, idpool, keep, _, _, config, answers_of = scenario
    ca, cert, key = pki
    proxies = [DelayProxy(emu.port, rtt=r, cert=cert, key=key).start() for r in (0.0, rtt)]
    stacks = []
    try:
        for px in proxies:
            over = dict(config, idp_endpoint=px.url, identity_endpoint=px.url, ca_file=ca)
            if idpool:
                over.update(identity_pool_id=IDENTITY_POOL, cache_dir=cache)
            st = Stack(base_config(emu, **over))
            # pam-run -d reads the service file itself, without pam_wrapper
            st.write_service(st.service, "auth required @MODULE@ config=@CONFIG@\n")
            stacks.append(st)
        times = ([], [])
        conns = gets = posts = wire = 0
        for i in range(logins + 1):  # the first round warms the caches
            for k in (0, 1):
                if idpool and not keep:
                    shutil.rmtree(os.path.join(cache, user), ignore_errors=True)
                answers = answers_of(emu) if answers_of else [PASSWORDS[user]]
                proxies[k].reset()
                t, answered = timed_run(stacks[k], user, answers, typing)
                if i == 0:
                    continue
                times[k].append(t)
                if k == 1:
                    st = proxies[k].stats()
                    conns += st["Connections"]
                    gets += st["Requests"].get("GET", 0)
                    posts += st["Requests"].get("POST", 0)
                    wire += (2 * sum(1 for a in st["Accepted"] if a > answered)
                             + sum(1 for a in st["RequestTimes"] if a > answered))
    finally:
        for st in stacks:
            st.cleanup()
        for px in proxies:
            px.stop()
    n = logins
    return (statistics.median(times[0]), statistics.median(times[1]),
            conns / n, gets / n, posts / n, wire / n)


def run(rtt_ms=100, logins=5, typing=1.0, only=None):  # noqa: C901
    rtt = rtt_ms / 1000.0
    ensure_user("alice")
    ensure_user("bob")
    tmp = tempfile.mkdtemp(prefix="pc-bench-lat-")
    try:
        os.chmod(tmp, 0o755)
        pki = make_test_ca(os.path.join(tmp, "pki"))
        cache = os.path.join(tmp, "cache")
        print("(c) latency over TLS through a delay proxy: %d ms per round trip, "
              "2 round trips per new connection; %d logins per case (median), "
              "password typed %.1f s after its prompt" % (rtt_ms, logins, typing))
        print("    %-52s %9s %9s %6s %6s %8s  %s" % ("case", "0 RTT", "%d ms" % rtt_ms,
                                                      "RTTs", "wire", "minimum", "per login"))
        with Emulator() as emu:
            for sc in SCENARIOS:
                if only and only not in sc[0]:
                    continue
                t0, t1, c, g, p, w = measure(emu, pki, cache, rtt, sc, logins, typing)
                print("    %-52s %6.1f ms %6.1f ms %6.2f %6.1f %8d  %.1f connections, "
                      "%.1f requests (%.1f GET warm-up, %.1f POST)"
                      % (sc[0], t0 * 1000, t1 * 1000, (t1 - t0) / rtt, w, sc[4],
                         c, g + p, g, p))
        print("    RTTs = (median at %d ms - median at 0) / RTT; wire = round trips after "
              "Enter counted at the proxy (2 per new connection, 1 per request)" % rtt_ms)
        print("    minimum: the protocol's own requests after Enter")
        for sc in SCENARIOS:
            print("      %-50s %d: %s" % (sc[0], sc[4], sc[5]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
