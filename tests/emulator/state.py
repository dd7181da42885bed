"""All mutable emulator state in one place, resettable to the fixture."""

import copy
import os
import secrets
import threading
import time

import faults
import tokens
import userpool
import identity
import reply_style

DEFAULT_OPTIONS = {
    "SessionTtlSeconds": 180,
    "SrpTtlSeconds": 5,              # the window for the PASSWORD_VERIFIER answer
    "CodeTtlSeconds": 180,
    "CredentialTtlSeconds": 3600,
    "IdTokenTtlSeconds": 3600,
    "AccessTokenTtlSeconds": 3600,
    "RefreshTokenTtlSeconds": 30 * 24 * 3600,
    "MaxCodeAttempts": 3,
    "ChangePasswordAttemptLimit": 5,
    "ChangePasswordWindowSeconds": 900,
    "TimestampSkewSeconds": 900,
    "ClockOffsetSeconds": 0,
    "LockoutThreshold": 5,
    "LockoutMaxSeconds": 900,
    "LockoutQuietSeconds": 900,     # no attempt this long: the count starts again
    "PasswordResetStep": "InitiateAuth",   # or "PASSWORD_VERIFIER" (USER_SRP_AUTH)
    "ResetCodeTtlSeconds": 3600,
    "MaxResetCodeAttempts": 5,
    "OtpSendLimit": 0,               # one-time codes (USER_AUTH) per user and window; 0: none
    "OtpSendWindowSeconds": 3600,
}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.connections = 0
            self.requests = 0
            self.expect_continue = 0
            self.by_operation = {}
            self.http_requests = 0     # every HTTP request but control calls
            self.jwks_fetches = 0

    def snapshot(self):
        with self.lock:
            return {"Connections": self.connections, "Requests": self.requests,
                    "ExpectContinue": self.expect_continue,
                    "HttpRequests": self.http_requests,
                    "JwksFetches": self.jwks_fetches,
                    "ByOperation": dict(self.by_operation)}


class State:
    def __init__(self, fixture, codes_file=None):
        self.lock = threading.RLock()
        self.fixture = copy.deepcopy(fixture)
        self.codes_file = codes_file
        self.keys = tokens.KeyRing()
        self.block_key = secrets.token_bytes(32)
        self.stats = Stats()
        self.faults = faults.Faults()
        self.reset()

    def reset(self):
        with self.lock:
            self.region = self.fixture.get("Region", "us-east-1")
            # "SECONDARY": answer as a replica Region (multiregion.py)
            self.replica_role = self.fixture.get("ReplicaRole", "PRIMARY")
            self.options = dict(DEFAULT_OPTIONS)
            self.options.update(self.fixture.get("Options") or {})
            self.pools = userpool.load_pools(self.fixture)
            self.identity_pools = identity.load_identity_pools(self.fixture)
            self.srp = {}            # secret-block id -> pending SRP exchange
            self.sessions = {}       # Session string -> challenge session
            self.refresh = {}        # refresh token -> grant
            self.last_codes = {}     # (pool id, username) -> code record
            self.otp_sends = {}      # (pool id, username) -> times USER_AUTH sent a code
            self.webauthn_pending = {}  # (pool id, username) -> registration challenge
            self.identities = {}     # identity id -> (identity pool id, sub)
            self.issued = []         # credentials handed out
            self.issued_tokens = []  # AuthenticationResults handed out (tests look for them)
            self.pw_failures = {}    # (pool id, username) -> [failure times]
            self.lockouts = {}       # (pool id, username) -> failures, locked until, last try
            self.threat_blocks = {}  # (pool id, username) -> threat protection's message
            self.revoked_origins = set()   # origin_jti of revoked sign-ins
            self.devices = {}        # device key -> devices.Device
            self.device_groups = {}  # (pool id, username) -> device group key
            self.contexts = {}       # operation -> its last context (usercontext.py)
            self.reply_style = reply_style.from_fixture(self.fixture)
            self.refresh_log = []    # refresh requests as sent (refresh.py)
            self.unserved = set()    # operations answered as unknown (control_ops.py)
            self.keys.reset()
            self.faults.clear()
            self.stats.reset()

    # -- time -------------------------------------------------------------
    def now(self):
        return time.time() + float(self.options.get("ClockOffsetSeconds", 0))

    def opt(self, name):
        return self.options[name]

    # -- codes ------------------------------------------------------------
    def record_code(self, pool, user, medium, destination, code):
        record = {"Code": code, "Medium": medium, "Destination": destination,
                  "UserPoolId": pool.id, "Username": user.username,
                  "Time": self.now()}
        self.last_codes[(pool.id, user.username)] = record
        if self.codes_file:
            line = "%s %s %s %s %s\n" % (pool.id, user.username, medium, destination, code)
            with open(self.codes_file, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        return record

    def purge(self):
        """Forget expired exchanges and sessions so memory stays bounded."""
        now = self.now()
        for key in [k for k, v in self.srp.items() if v["expires"] < now - 60]:
            del self.srp[key]
        for key in [k for k, v in self.sessions.items() if v.expires < now - 600]:
            del self.sessions[key]
