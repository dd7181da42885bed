"""Injected faults: a queue of (operation, kind, remaining count, delay)."""

import threading

KINDS = {
    "garbage", "truncated", "missing_field", "bad_srp_b", "zero_srp_b", "n_srp_b",
    "oversized", "slow", "http500", "throttle", "close", "empty",
    # a successful answer replaced by a challenge the emulator does not model
    # (CUSTOM_CHALLENGE needs Lambda triggers, DEVICE_SRP_AUTH remembered
    # devices): ChallengeName names it
    "challenge",
}


class Fault:
    def __init__(self, operation, kind, count, delay, challenge=None):
        self.challenge = challenge
        self.operation = operation
        self.kind = kind
        self.count = count
        self.delay = delay

    def describe(self):
        return {"Operation": self.operation, "Kind": self.kind,
                "Count": self.count, "DelaySeconds": self.delay}


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def add(self, operation, kind, count=1, delay=0.0, challenge=None):
        if kind not in KINDS:
            raise ValueError(kind)
        with self._lock:
            self._queue.append(Fault(operation, kind, int(count), float(delay or 0), challenge))

    def clear(self):
        with self._lock:
            self._queue = []

    def take(self, operation):
        """The first pending fault for `operation` (or "*"), used up by one."""
        with self._lock:
            for fault in self._queue:
                if fault.operation in ("*", operation) and fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self._queue.remove(fault)
                    return Fault(fault.operation, fault.kind, 1, fault.delay, fault.challenge)
        return None

    def pending(self):
        with self._lock:
            return [f.describe() for f in self._queue]
