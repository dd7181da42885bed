"""Injected faults: a queue of (operation, kind, remaining count, delay)."""

import threading

from tokens import TOKEN_FAULTS

KINDS = {
    "garbage", "truncated", "missing_field", "bad_srp_b", "zero_srp_b", "n_srp_b",
    "oversized", "slow", "http500", "throttle", "close", "empty",
    # a successful answer replaced by a challenge the emulator does not model
    # (CUSTOM_CHALLENGE needs Lambda triggers, DEVICE_SRP_AUTH remembered
    # devices): ChallengeName names it
    "challenge",
    # a Cognito error of ErrorType with Message, without running the operation
    "error",
    # the fault matrix (tests/FAULTS.md): connection reset before any
    # answer, no answer at all, an answer a byte at a time, a reset half-way
    # through the body, HTTP 429, the real answer as text/html, HTTP 200
    # with an error __type, and HTTP 200 with an error __type and tokens
    "refused", "hang", "trickle", "reset_mid_body", "http429", "wrong_type",
    "error_200", "error_tokens_200",
} | TOKEN_FAULTS
TOKEN_CHOICES = ("IdToken", "AccessToken", "Both")


class Fault:
    def __init__(self, operation, kind, count, delay, challenge=None, value=None,
                 token="IdToken", error_type=None, when=None):
        self.when = when
        self.error_type = error_type
        self.challenge = challenge
        self.value = value
        self.token = token
        self.operation = operation
        self.kind = kind
        self.count = count
        self.delay = delay

    def describe(self):
        out = {"Operation": self.operation, "Kind": self.kind,
               "Count": self.count, "DelaySeconds": self.delay}
        if self.kind in TOKEN_FAULTS:
            out["Token"] = self.token
        if self.value is not None:
            out["Message" if self.kind == "error" else "Value"] = self.value
        if self.error_type:
            out["ErrorType"] = self.error_type
        if self.when:
            out["When"] = self.when
        return out

    def applies(self, request):
        """When names a ChallengeName or AuthFlow: only requests with it."""
        if not self.when:
            return True
        return isinstance(request, dict) and self.when in (
            request.get("ChallengeName"), request.get("AuthFlow"))


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def add(self, operation, kind, count=1, delay=0.0, challenge=None, value=None,
            token="IdToken", error_type=None, when=None):
        if kind not in KINDS:
            raise ValueError(kind)
        with self._lock:
            self._queue.append(Fault(operation, kind, int(count), float(delay or 0), challenge,
                                     value, token, error_type, when))

    def clear(self):
        with self._lock:
            self._queue = []

    def take(self, operation, tokens=False, request=None):
        """The first pending fault for `operation` (or "*") that applies to
        `request`, used up by one. Token faults are used up by issued tokens
        (tokens=True), request faults by requests."""
        with self._lock:
            for fault in self._queue:
                if ((fault.kind in TOKEN_FAULTS) == tokens
                        and fault.operation in ("*", operation) and fault.count > 0
                        and (tokens or fault.applies(request))):
                    fault.count -= 1
                    if fault.count == 0:
                        self._queue.remove(fault)
                    return Fault(fault.operation, fault.kind, 1, fault.delay, fault.challenge,
                                 fault.value, fault.token, fault.error_type, fault.when)
        return None

    def pending(self):
        with self._lock:
            return [f.describe() for f in self._queue]
