"""Retries with exponential backoff and full jitter, the dead-letter queue, and replay.

Dead-lettering happens on an unbuffered lane (`erp_buffer=False`); the breaker is set
out of reach so these tests see the retry policy alone.
"""

from __future__ import annotations

import random

import pytest
from hub_fakes import FixedRng, Harness, authorised, booked, quiet_policy, web_order

from hub.policy import BreakerPolicy, RetryPolicy
from hub.resilience.retry import backoff_delay_s

NO_BREAKER = BreakerPolicy(failure_threshold=10_000)
SEED = 42


def _unbuffered(max_attempts: int = 4, base: float = 2.0, cap: float = 300.0) -> Harness:
    return Harness(
        quiet_policy(
            erp_buffer=False,
            breaker=NO_BREAKER,
            retry=RetryPolicy(max_attempts=max_attempts, base_delay_s=base, max_delay_s=cap),
        ),
        rng=random.Random(SEED),
    )


def _fail_erp_create(h: Harness, status: int = 503) -> None:
    open_calls = h.transport.open("erp", "create_sales_order")
    assert len(open_calls) == 1
    h.answer(open_calls[0], status, {"error": "ERP unavailable"})


def test_erp_503_is_retried_with_jittered_backoff_then_dead_lettered() -> None:
    h = _unbuffered(max_attempts=4)
    h.deliver("web", web_order("W-1"))
    first = h.erp_creates()[0]

    expected_rng = random.Random(SEED)  # the same stream the hub draws its jitter from
    for attempt in (1, 2, 3):
        _fail_erp_create(h)
        retries = h.scheduler.scheduled("call_retry")
        assert len(retries) == attempt
        delay = retries[-1].delay_s
        cap = 2.0 * 2 ** (attempt - 1)
        assert 0.1 <= delay <= cap, f"retry {attempt}: {delay} outside full-jitter bounds"
        assert delay == pytest.approx(max(0.1, cap * expected_rng.random()))
        assert retries[-1].timer == ("call_retry", first.call_id)
        sent_before = len(h.erp_creates())
        h.advance(delay - 0.01)
        assert len(h.erp_creates()) == sent_before, "retried before its backoff ran out"
        h.advance(0.01)
        assert len(h.erp_creates()) == sent_before + 1

    creates = h.erp_creates()
    assert len(creates) == 4
    assert {r.call_id for r in creates} == {first.call_id}
    assert all(r.body == first.body for r in creates)

    _fail_erp_create(h)  # the 4th and last attempt

    assert len(h.scheduler.scheduled("call_retry")) == 3, "no retry after max_attempts"
    letters = h.hub.ctx.dead_letters.entries()
    assert len(letters) == 1
    assert letters[0].kind == "call"
    assert letters[0].key == "erp:create_sales_order:W-1"
    assert "503" in letters[0].reason and "4 attempts" in letters[0].reason
    assert h.order("W-1").exception.startswith("ERP sales order dead-lettered")
    assert h.hub.gauges()["dead_letter_depth"] == 1
    assert h.hub.ctx.calls.lane_depth("erp") == 0
    h.advance(3600.0)
    assert len(h.erp_creates()) == 4, "a dead letter stays put until replayed"


def test_replay_resubmits_the_dead_letter_and_it_succeeds() -> None:
    h = _unbuffered(max_attempts=2)
    h.deliver("web", web_order("W-1"))
    _fail_erp_create(h)
    h.fire_next("call_retry")
    _fail_erp_create(h)
    assert len(h.hub.ctx.dead_letters) == 1

    assert h.hub.replay_dead_letters() == 1

    assert len(h.hub.ctx.dead_letters) == 0
    replayed = h.transport.open("erp", "create_sales_order")
    assert len(replayed) == 1
    assert replayed[0].body["DocRef"] == "W-1"
    h.answer(replayed[0], 201, booked("SO-77"))

    order = h.order("W-1")
    assert order.erp_order_no == "SO-77"
    assert order.exception == ""
    assert h.hub.ctx.calls.lane_depth("erp") == 0
    assert h.hub.ctx.dead_letters.total_replayed == 1
    assert len(h.erp_creates()) == 3


def test_replayed_call_gets_a_fresh_set_of_attempts() -> None:
    h = _unbuffered(max_attempts=2)
    h.deliver("web", web_order("W-1"))
    _fail_erp_create(h)
    h.fire_next("call_retry")
    _fail_erp_create(h)
    h.hub.replay_dead_letters()

    _fail_erp_create(h)  # first attempt after the replay: retried, not dead-lettered again

    assert len(h.hub.ctx.dead_letters) == 0
    assert len(h.scheduler.pending_of("call_retry")) == 1
    assert h.scheduler.scheduled("call_retry")[-1].delay_s <= 2.0  # attempt 1's cap again


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    h = Harness(
        quiet_policy(
            erp_buffer=False,
            breaker=NO_BREAKER,
            retry=RetryPolicy(max_attempts=8, base_delay_s=2.0, max_delay_s=10.0),
        ),
        rng=FixedRng(0.5),
    )
    h.deliver("web", web_order("W-1"))
    for _ in range(7):
        _fail_erp_create(h)
        h.fire_next("call_retry")

    delays = [t.delay_s for t in h.scheduler.scheduled("call_retry")]
    assert delays == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0]


def test_jitter_spreads_retries_and_is_reproducible_from_the_seed() -> None:
    def delays(seed: int) -> list[float]:
        rng = random.Random(seed)
        policy = RetryPolicy(base_delay_s=2.0, max_delay_s=300.0)
        return [backoff_delay_s(policy, attempt, rng) for attempt in range(1, 13)]

    run = delays(SEED)
    assert run == delays(SEED)
    assert run != delays(SEED + 1)
    for attempt, delay in enumerate(run, start=1):
        assert 0.1 <= delay <= min(300.0, 2.0 * 2 ** (attempt - 1))
    # full jitter: not simply the cap, and not the same fraction of it every time
    fractions = {round(d / min(300.0, 2.0 * 2 ** (a - 1)), 6) for a, d in enumerate(run, 1)}
    assert len(fractions) > 6


def test_backoff_is_never_zero() -> None:
    assert backoff_delay_s(RetryPolicy(), 1, FixedRng(0.0)) == pytest.approx(0.1)


def test_retry_after_from_a_throttled_backend_is_honoured() -> None:
    h = _unbuffered()
    h.deliver("web", web_order("W-1"))
    h.answer(h.transport.open("erp")[0], 429, {"error": "rate limit", "retry_after_s": 45.0})

    assert h.scheduler.scheduled("call_retry")[-1].delay_s == pytest.approx(45.0)
    assert h.hub.ctx.calls.breaker_opens("erp") == 0


def test_a_buffered_erp_lane_never_dead_letters() -> None:
    """With the durable buffer on, a write is retried for as long as it takes."""
    h = Harness(
        quiet_policy(erp_buffer=True, breaker=NO_BREAKER, retry=RetryPolicy(max_attempts=3))
    )
    h.deliver("web", web_order("W-1"))
    for _ in range(10):
        _fail_erp_create(h)
        h.fire_next("call_retry")
    assert len(h.hub.ctx.dead_letters) == 0
    h.answer(h.transport.open("erp", "create_sales_order")[0], 201, booked("SO-1"))
    assert h.order("W-1").erp_order_no == "SO-1"
    assert len(h.erp_creates()) == 11


def test_a_business_rejection_is_not_retried() -> None:
    h = _unbuffered()
    h.deliver("web", web_order("W-1"))
    h.answer(h.transport.open("erp")[0], 422, {"error": "unknown material"})

    assert h.scheduler.scheduled("call_retry") == []
    assert len(h.hub.ctx.dead_letters) == 0
    assert h.order("W-1").exception == "ERP rejected sales order: unknown material"


def test_backoff_survives_very_many_attempts() -> None:
    """Buffered lanes retry without limit, so the attempt number is unbounded."""
    assert backoff_delay_s(RetryPolicy(max_delay_s=300.0), 1025, FixedRng(0.5)) == 150.0


def test_a_long_throttled_call_on_a_buffered_lane_keeps_retrying() -> None:
    h = Harness(quiet_policy(retry=RetryPolicy(max_delay_s=300.0)), rng=FixedRng(0.5))
    h.deliver("web", web_order("W-1"))
    for _ in range(1100):
        request = h.transport.open("erp", "create_sales_order")[0]
        h.answer(request, 429, {"error": "ERP busy", "retry_after_s": 5.0})
        h.fire_next("call_retry")
    assert max(t.delay_s for t in h.scheduler.scheduled("call_retry")) == 150.0


def _dead_letter_behind_an_open_breaker(auto_replay: bool) -> Harness:
    """Unbuffered ERP: W-1's two attempts fail, the 2nd opens the breaker and W-1 is
    dead-lettered; 40 s later W-2's write is the half-open probe and succeeds."""
    h = Harness(
        quiet_policy(
            erp_buffer=False,
            auto_replay=auto_replay,
            breaker=BreakerPolicy(failure_threshold=2, open_s=30.0),
            retry=RetryPolicy(max_attempts=2),
        ),
        rng=FixedRng(0.5),
    )
    h.deliver("web", web_order("W-1"))
    _fail_erp_create(h)
    h.fire_next("call_retry")
    _fail_erp_create(h)
    assert len(h.hub.ctx.dead_letters) == 1
    h.advance(40.0)
    h.deliver("web", web_order("W-2"))
    probe = h.transport.open("erp", "create_sales_order")
    assert [r.body["DocRef"] for r in probe] == ["W-2"]
    h.answer(probe[0], 201, booked("SO-2"))
    return h


def test_dead_letters_are_replayed_automatically_when_the_breaker_closes() -> None:
    h = _dead_letter_behind_an_open_breaker(auto_replay=True)

    assert len(h.hub.ctx.dead_letters) == 0
    replayed = h.transport.open("erp", "create_sales_order")
    assert [r.body["DocRef"] for r in replayed] == ["W-1"]
    h.answer(replayed[0], 201, booked("SO-1"))
    assert h.order("W-1").erp_order_no == "SO-1"
    assert h.order("W-1").exception == ""


def test_without_auto_replay_dead_letters_wait_for_the_operator() -> None:
    h = _dead_letter_behind_an_open_breaker(auto_replay=False)

    assert len(h.hub.ctx.dead_letters) == 1
    assert h.transport.open("erp") == []
    assert h.hub.replay_dead_letters() == 1
    assert [r.body["DocRef"] for r in h.transport.open("erp")] == ["W-1"]


def test_a_payment_success_does_not_clear_an_erp_dead_letter_from_the_exception_queue() -> None:
    h = _unbuffered(max_attempts=1)
    h.deliver("web", web_order("W-1"))
    _fail_erp_create(h)
    assert len(h.hub.ctx.dead_letters) == 1
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))

    order = h.order("W-1")
    assert order.payment_state == "authorised"
    assert order.exception.startswith("ERP sales order dead-lettered")


def test_the_sweep_replays_dead_letters_of_a_healthy_backend() -> None:
    """A call dead-lettered while the ERP was merely busy (its breaker never opened)
    is replayed by the periodic sweep, not left for an operator."""
    h = Harness(
        quiet_policy(
            erp_buffer=False,
            breaker=NO_BREAKER,
            retry=RetryPolicy(max_attempts=1),
            auto_replay_interval_s=600.0,
        )
    )
    h.deliver("web", web_order("W-1"))
    _fail_erp_create(h)
    assert len(h.hub.ctx.dead_letters) == 1
    h.advance(599.0)
    assert len(h.erp_creates()) == 1
    h.advance(1.0)
    assert len(h.hub.ctx.dead_letters) == 0
    assert len(h.erp_creates()) == 2
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    assert h.order("W-1").exception == ""
