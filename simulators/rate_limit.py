"""An API rate limit as SaaS vendors meter one: a token bucket.

Tokens refill continuously at `rate_per_s` up to a burst of one second's worth (and at
least one token, or a limit under one request a second would refuse everything); a
request that finds less than one token is refused (the backend answers 429 with a
`retry_after_s` of one token's refill time). The ERP and the marketplace's seller API
each have one. A fault changes `rate_per_s` for a window; 0 means no limit.
"""

from __future__ import annotations

import simpy

from simulators.later import now_of


class RateLimit:
    __slots__ = ("_env", "_tokens", "_tokens_at", "rate_per_s")

    def __init__(self, env: simpy.Environment, rate_per_s: float) -> None:
        self._env = env
        self.rate_per_s = rate_per_s
        self._tokens = max(1.0, rate_per_s)
        self._tokens_at = 0.0

    def admit(self) -> bool:
        """Take a token for one request; False when the caller must be refused."""
        rate = self.rate_per_s
        if rate <= 0:
            return True
        now = now_of(self._env)
        self._tokens = min(max(1.0, rate), self._tokens + (now - self._tokens_at) * rate)
        self._tokens_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    @property
    def retry_after_s(self) -> float:
        return 1.0 / self.rate_per_s if self.rate_per_s > 0 else 0.0
