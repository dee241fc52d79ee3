"""A circuit breaker per backend.

Closed: calls flow. After `failure_threshold` consecutive failures it opens: calls wait
instead of hammering a backend that is down. After `open_s` it lets a single probe through
(half-open); the probe's success closes it, its failure opens it again.
"""

from __future__ import annotations

from enum import Enum

from hub.policy import BreakerPolicy


class BreakerState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    __slots__ = ("consecutive_failures", "opened_at", "opens", "policy", "probe_in_flight", "state")

    def __init__(self, policy: BreakerPolicy) -> None:
        self.policy = policy
        self.state = BreakerState.CLOSED
        self.consecutive_failures = 0
        self.opened_at = 0.0
        self.opens = 0
        self.probe_in_flight = False

    def allows(self, now: float) -> bool:
        """Whether a call may be sent now. In half-open, only one probe at a time."""
        if self.state is BreakerState.CLOSED:
            return True
        if self.state is BreakerState.OPEN and now >= self.opened_at + self.policy.open_s:
            self.state = BreakerState.HALF_OPEN
        if self.state is BreakerState.HALF_OPEN and not self.probe_in_flight:
            self.probe_in_flight = True
            return True
        return False

    def record_success(self) -> bool:
        """Returns True when this success closed a breaker that was not closed."""
        self.consecutive_failures = 0
        self.probe_in_flight = False
        if self.state is not BreakerState.CLOSED:
            self.state = BreakerState.CLOSED
            return True
        return False

    def record_failure(self, now: float) -> None:
        self.consecutive_failures += 1
        was_probe = self.probe_in_flight
        self.probe_in_flight = False
        if was_probe or (
            self.state is BreakerState.CLOSED
            and self.consecutive_failures >= self.policy.failure_threshold
        ):
            self.state = BreakerState.OPEN
            self.opened_at = now
            self.opens += 1

    def record_throttled(self) -> None:
        """A 429 proves the backend is up but busy: neither success nor failure, but a
        probe answered so must free the half-open slot, or the lane would wait forever."""
        self.probe_in_flight = False

    def reopen_in(self, now: float) -> float:
        """Seconds until an open breaker will let a probe through."""
        return max(0.0, self.opened_at + self.policy.open_s - now)
