"""Retry delays: exponential backoff with full jitter.

Full jitter (a uniform draw between zero and the exponential cap) spreads a thundering
herd of retries after an outage, which plain exponential backoff does not: every client
that failed at the same moment would otherwise retry at the same moment too.
"""

from __future__ import annotations

from hub.policy import RetryPolicy
from hub.ports import Rng


def backoff_delay_s(policy: RetryPolicy, attempt: int, rng: Rng) -> float:
    """Delay before retry number `attempt` (1 for the first retry)."""
    # the exponent is capped first: a buffered lane retries without limit, and 2**1024
    # overflows a float
    cap = min(policy.max_delay_s, policy.base_delay_s * 2.0 ** min(attempt - 1, 60))
    # never zero: a retry in the same instant as the failure cannot have changed anything
    return max(0.1, cap * rng.random())
