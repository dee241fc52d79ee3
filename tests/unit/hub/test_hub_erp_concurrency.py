"""The bounded ERP write queue: at most `erp_concurrency` writes in flight at once.

The rest wait in the lane, in arrival order, and go out one by one as answers come back.
"""

from __future__ import annotations

from hub_fakes import SKU, FixedRng, Harness, booked, quiet_policy, web_order

from hub.policy import BreakerPolicy

ORDERS = 6


def _harness(**overrides: object) -> Harness:
    return Harness(
        quiet_policy(erp_concurrency=2, **overrides), rng=FixedRng(0.5), stock={(SKU, "DC1"): 100}
    )


def _place_all(h: Harness) -> None:
    for n in range(ORDERS):
        h.deliver("web", web_order(f"W-{n}"))


def test_no_more_than_two_erp_writes_in_flight() -> None:
    h = _harness()
    _place_all(h)

    assert len(h.transport.open("erp")) == 2
    assert h.hub.gauges()["erp_queue_depth"] == ORDERS
    # other lanes are not throttled by the ERP's limit
    assert len(h.transport.open("payment", "authorize")) == ORDERS

    answered = 0
    while h.transport.open("erp"):
        oldest = h.transport.open("erp")[0]
        h.answer(oldest, 201, booked(f"SO-{oldest.body['DocRef']}"))
        answered += 1
        assert len(h.transport.open("erp")) == min(2, ORDERS - answered)

    assert h.transport.max_in_flight["erp"] == 2
    assert answered == ORDERS
    assert [r.body["DocRef"] for r in h.erp_creates()] == [f"W-{n}" for n in range(ORDERS)]
    assert all(o.erp_order_no == f"SO-{o.order_id}" for o in h.hub.ctx.orders.values())
    assert h.hub.ctx.calls.lane_depth("erp") == 0


def test_waiting_writes_go_out_only_as_answers_come_back() -> None:
    h = _harness()
    _place_all(h)
    h.advance(600.0)  # time alone releases nothing
    assert len(h.transport.sent("erp")) == 2

    first = h.transport.open("erp")[0]
    h.answer(first, 201, booked("SO-0"))

    sent = h.transport.sent("erp")
    assert len(sent) == 3
    assert sent[-1].body["DocRef"] == "W-2"
    assert sent[-1].sent_at == h.clock.now()


def test_failed_writes_free_their_slot_and_retries_respect_the_limit() -> None:
    h = _harness(breaker=BreakerPolicy(failure_threshold=100))
    _place_all(h)

    for _ in range(3):  # two failures; the two queued behind take their places
        for request in h.transport.open("erp"):
            h.answer(request, 503, {"error": "ERP unavailable"})
        assert len(h.transport.open("erp")) <= 2
        h.advance(5.0)  # retries fall due and compete for the two slots
        assert len(h.transport.open("erp")) <= 2

    while h.transport.open("erp"):
        request = h.transport.open("erp")[0]
        h.answer(request, 201, booked(f"SO-{request.body['DocRef']}"))
        h.advance(5.0)

    assert h.transport.max_in_flight["erp"] == 2
    assert all(o.erp_order_no for o in h.hub.ctx.orders.values())
    assert h.hub.ctx.calls.lane_depth("erp") == 0


def test_unbuffered_erp_is_not_bounded() -> None:
    """The design the bound is compared against: without the buffer every write goes
    straight to the ERP."""
    h = _harness(erp_buffer=False)
    _place_all(h)
    assert len(h.transport.open("erp")) == ORDERS
