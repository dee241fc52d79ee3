"""The circuit breaker on the (buffered) ERP lane.

Closed -> open after N consecutive failures; while open nothing is sent and new writes
wait in the lane; after `open_s` one half-open probe goes out; its success closes the
breaker and the buffered writes flow, its failure opens it again for another `open_s`.
"""

from __future__ import annotations

import pytest
from hub_fakes import SKU, FixedRng, Harness, booked, quiet_policy, web_order

from hub.policy import BreakerPolicy
from hub.resilience.breaker import BreakerState, CircuitBreaker

THRESHOLD = 3
OPEN_S = 30.0


def _harness() -> Harness:
    return Harness(
        quiet_policy(breaker=BreakerPolicy(failure_threshold=THRESHOLD, open_s=OPEN_S)),
        rng=FixedRng(0.5),  # retry delays 1 s, 2 s, ...: well inside the open interval
        stock={(SKU, "DC1"): 100},
    )


def _state(h: Harness) -> BreakerState:
    return h.hub.ctx.calls.breaker_state("erp")


def _trip(h: Harness) -> None:
    """THRESHOLD orders, each ERP write answered 503: the breaker opens at t=0."""
    for n in range(THRESHOLD):
        h.deliver("web", web_order(f"W-{n}"))
    assert len(h.erp_creates()) == THRESHOLD
    for n, request in enumerate(h.transport.open("erp")):
        assert _state(h) is BreakerState.CLOSED, f"opened after only {n} failures"
        h.answer(request, 503, {"error": "ERP unavailable"})
    assert _state(h) is BreakerState.OPEN
    assert h.hub.ctx.calls.breaker_opens("erp") == 1


def test_breaker_opens_after_consecutive_failures_and_buffers_calls() -> None:
    h = _harness()
    _trip(h)

    h.deliver("web", web_order("W-new"))  # a new write while the ERP lane is open
    assert len(h.erp_creates()) == THRESHOLD, "nothing may be sent while open"
    assert h.hub.gauges()["erp_queue_depth"] == THRESHOLD + 1

    h.advance(OPEN_S - 0.01)  # retries fall due meanwhile: they wait too
    assert len(h.transport.sent("erp")) == THRESHOLD
    assert _state(h) is BreakerState.OPEN
    assert h.hub.gauges()["erp_queue_depth"] == THRESHOLD + 1
    # the payment lane has its own breaker: unaffected
    assert len(h.transport.sent("payment", "authorize")) == THRESHOLD + 1


def test_a_success_in_between_resets_the_failure_count() -> None:
    h = _harness()
    for n in range(THRESHOLD):
        h.deliver("web", web_order(f"W-{n}"))
    first, second, third = h.transport.open("erp")
    h.answer(first, 503)
    h.answer(second, 201, booked("SO-2"))
    h.answer(third, 503)
    h.fire_next("call_retry")
    h.answer(h.transport.open("erp")[0], 503)
    assert _state(h) is BreakerState.CLOSED  # 3 failures, but never 3 in a row


def test_after_the_open_interval_one_probe_goes_out_and_success_closes() -> None:
    h = _harness()
    _trip(h)
    h.deliver("web", web_order("W-new"))

    h.advance(OPEN_S)
    probes = h.transport.open("erp")
    assert len(probes) == 1, "exactly one half-open probe"
    assert _state(h) is BreakerState.HALF_OPEN

    h.advance(10.0)  # probe timers and retries keep firing: still only the one probe
    assert len(h.transport.open("erp")) == 1
    assert len(h.transport.sent("erp")) == THRESHOLD + 1

    h.answer(probes[0], 201, booked("SO-P"))

    assert _state(h) is BreakerState.CLOSED
    flowing = h.transport.open("erp")
    assert len(flowing) == THRESHOLD, "the buffered writes go out as soon as it closes"
    for n, request in enumerate(flowing):
        h.answer(request, 201, booked(f"SO-{n}"))
    assert all(order.erp_order_no for order in h.hub.ctx.orders.values())
    assert len(h.hub.ctx.orders) == THRESHOLD + 1
    assert h.hub.ctx.calls.lane_depth("erp") == 0
    assert h.hub.ctx.calls.breaker_opens("erp") == 1


def test_a_failed_probe_opens_the_breaker_again() -> None:
    h = _harness()
    _trip(h)
    h.advance(OPEN_S + 5.0)
    probe = h.transport.open("erp")
    assert len(probe) == 1
    reopened_at = h.clock.now()

    h.answer(probe[0], 503, {"error": "ERP unavailable"})

    assert _state(h) is BreakerState.OPEN
    assert h.hub.ctx.calls.breaker_opens("erp") == 2
    h.advance(OPEN_S - 0.01)
    assert len(h.transport.sent("erp")) == THRESHOLD + 1, "no call during the new interval"
    h.advance_to(reopened_at + OPEN_S)
    assert len(h.transport.open("erp")) == 1, "a new probe after the new interval"
    assert _state(h) is BreakerState.HALF_OPEN


def test_a_business_error_from_the_probe_still_closes_the_breaker() -> None:
    """A 4xx says the ERP is up: it answered, it just refused this document."""
    h = _harness()
    _trip(h)
    h.advance(OPEN_S)
    h.answer(h.transport.open("erp")[0], 422, {"error": "unknown material"})
    assert _state(h) is BreakerState.CLOSED
    assert len(h.transport.open("erp")) == THRESHOLD - 1


def test_a_throttled_probe_does_not_wedge_the_lane() -> None:
    h = _harness()
    _trip(h)
    h.advance(OPEN_S)
    probe = h.transport.open("erp")
    assert len(probe) == 1

    h.answer(probe[0], 429, {"error": "ERP busy", "retry_after_s": 5.0})
    h.advance(120.0)  # well past the retry-after and another open interval

    assert len(h.transport.sent("erp")) > THRESHOLD + 1, "the ERP lane never sent again"


def test_breaker_unit_half_open_admits_one_probe_at_a_time() -> None:
    breaker = CircuitBreaker(BreakerPolicy(failure_threshold=2, open_s=10.0))
    states: list[BreakerState] = []
    breaker.record_failure(0.0)
    assert breaker.allows(0.0)
    breaker.record_failure(0.0)
    states.append(breaker.state)
    assert not breaker.allows(9.99)
    assert breaker.reopen_in(4.0) == pytest.approx(6.0)
    assert breaker.allows(10.0)
    states.append(breaker.state)
    assert not breaker.allows(10.0), "a second call while the probe is out"
    assert breaker.record_success() is True
    states.append(breaker.state)
    assert breaker.record_success() is False
    assert states == [BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED]
