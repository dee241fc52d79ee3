"""Access tokens on the ERP lane: asked for before the first call, renewed ahead of
expiry, replaced after a 401 without spending a retry, waited for (nothing lost) while
the token endpoint is down; learnt from a 401 when nobody configured them; and the
seeded defect that treats expiry as someone else's problem.
"""

from __future__ import annotations

import random

from hub_fakes import (
    TOPOLOGY,
    FixedRng,
    Harness,
    ManualClock,
    RecordingScheduler,
    RecordingTransport,
    booked,
    quiet_policy,
    web_order,
)

from hub.adapters.instant_store import InstantStore
from hub.bootstrap import recover
from hub.context import Topology
from hub.resilience.credentials import AUTH_TOKEN, TOKEN_REQUEST

LIFETIME_S = 3600.0
MARGIN_S = 300.0
GUARDED = Topology(TOPOLOGY.dcs, TOPOLOGY.stores, TOPOLOGY.region_of, token_systems=("erp",))


def _harness(**policy: object) -> Harness:
    return Harness(
        quiet_policy(token_refresh_margin_s=MARGIN_S, **policy),
        rng=FixedRng(0.5),
        stock={("SKU-A", "DC1"): 100},
        topology=GUARDED,
    )


def _grant(h: Harness, token: str) -> None:
    [request] = h.transport.open("erp", AUTH_TOKEN)
    assert request.body == TOKEN_REQUEST
    assert request.token is None, "the token endpoint takes the client's identity, no token"
    h.answer(request, 200, {"access_token": token, "expires_in": LIFETIME_S})


def test_the_first_call_waits_for_a_token_and_carries_it() -> None:
    h = _harness()
    h.deliver("web", web_order("W-1"))
    assert h.erp_creates() == [], "no ERP call before the hub has a token"
    assert h.hub.gauges()["erp_queue_depth"] == 2  # the order's write and the token call
    _grant(h, "t1")
    [create] = h.erp_creates()
    assert create.token == "t1"
    assert all(r.token is None for r in h.transport.sent("payment")), "payment wants none"


def test_the_token_is_renewed_ahead_of_expiry_while_the_old_one_works() -> None:
    h = _harness()
    h.deliver("web", web_order("W-1"))
    _grant(h, "t1")
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.advance(LIFETIME_S - MARGIN_S - 1)
    h.deliver("web", web_order("W-2"))
    assert h.transport.open("erp", AUTH_TOKEN) == [], "not due yet"
    h.advance(2)
    h.deliver("web", web_order("W-3"))
    assert len(h.transport.open("erp", AUTH_TOKEN)) == 1, "due: a renewal goes out"
    assert [r.token for r in h.erp_creates()] == ["t1", "t1", "t1"], "calls never stopped"
    _grant(h, "t2")
    h.deliver("web", web_order("W-4"))
    assert h.erp_creates()[-1].token == "t2"


def test_an_expired_token_is_never_sent() -> None:
    h = _harness()
    h.deliver("web", web_order("W-1"))
    _grant(h, "t1")
    h.advance(LIFETIME_S)
    h.deliver("web", web_order("W-2"))
    assert len(h.erp_creates()) == 1, "held: the token ran out"
    _grant(h, "t2")
    assert h.erp_creates()[-1].token == "t2"


def test_a_401_gets_a_new_token_and_sends_the_call_again_without_spending_a_retry() -> None:
    h = _harness()
    h.deliver("web", web_order("W-1"))
    _grant(h, "t1")
    [refused] = h.transport.open("erp", "create_sales_order")
    h.answer(refused, 401, {"error": "invalid_token"})  # revoked behind the hub's back
    assert h.scheduler.pending_of("call_retry") == [], "a 401 is no transient failure"
    assert not h.order("W-1").exceptions
    _grant(h, "t2")
    [again] = h.transport.open("erp", "create_sales_order")
    assert (again.call_id, again.token) == (refused.call_id, "t2")
    h.answer(again, 201, booked("SO-1"))
    credential = h.hub.ctx.calls.credential("erp")
    assert credential is not None and (credential.rejected, credential.received) == (1, 2)


def test_calls_wait_while_the_token_endpoint_is_down_and_nothing_is_lost() -> None:
    h = _harness()
    for n in range(3):
        h.deliver("web", web_order(f"W-{n}"))
    for _ in range(4):  # the token call fails, and fails again after each backoff
        h.answer_open("erp", AUTH_TOKEN, 503, {"error": "temporarily_unavailable"})
        assert h.erp_creates() == []
        h.fire_next("call_retry")
    _grant(h, "t1")
    assert len(h.erp_creates()) == 3
    assert h.hub.ctx.dead_letters.total_dead_lettered == 0


def test_a_lane_nobody_configured_learns_from_a_401() -> None:
    h = Harness(quiet_policy(), rng=FixedRng(0.5), stock={("SKU-A", "DC1"): 100})
    h.deliver("web", web_order("W-1"))
    [create] = h.erp_creates()
    assert create.token is None
    h.answer(create, 401, {"error": "invalid_token"})
    _grant(h, "t1")
    assert h.transport.open("erp", "create_sales_order")[0].token == "t1"


def test_the_seeded_defect_never_renews_and_takes_a_401_as_final() -> None:
    h = _harness(defects=frozenset({"ignore_token_expiry"}))
    h.deliver("web", web_order("W-1"))
    _grant(h, "t1")
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.advance(LIFETIME_S + 60)
    h.deliver("web", web_order("W-2"))
    [expired] = h.transport.open("erp", "create_sales_order")
    assert expired.token == "t1", "the defect sends an expired token"
    h.answer(expired, 401, {"error": "invalid_token"})
    assert h.transport.open("erp") == [], "no new token, no second attempt"


def test_a_restarted_hub_keeps_a_token_it_committed_and_asks_again_for_one_in_flight() -> None:
    store = InstantStore()
    h = Harness(quiet_policy(), rng=random.Random(7), topology=GUARDED, store=store)
    h.deliver("web", web_order("W-1"))
    _grant(h, "t1")
    clock = ManualClock(h.clock.now())
    transport, scheduler = RecordingTransport(clock), RecordingScheduler(clock)
    kept = recover(h.policy, clock, scheduler, transport, random.Random(7), GUARDED, store)
    credential = kept.ctx.calls.credential("erp")
    assert credential is not None and credential.current(clock.now()) == "t1"

    h.advance(LIFETIME_S)  # the token ran out: the next order's write asks for another
    h.deliver("web", web_order("W-2"))
    assert len(h.transport.open("erp", AUTH_TOKEN)) == 1
    clock = ManualClock(h.clock.now())
    transport, scheduler = RecordingTransport(clock), RecordingScheduler(clock)
    hub = recover(h.policy, clock, scheduler, transport, random.Random(7), GUARDED, store)
    assert len(scheduler.pending_of("call_retry")) >= 1, "the lost token call goes again"
    while scheduler.pending_of("call_retry"):
        timer = scheduler.pop_next()
        assert timer is not None
        clock.set(timer.due)
        hub.on_timer(timer.timer)
    [again] = transport.open("erp", AUTH_TOKEN)
    hub.on_response("erp", again.call_id, 200, {"access_token": "t2", "expires_in": LIFETIME_S})
    assert [r.token for r in transport.sent("erp", "create_sales_order")][-1] == "t2"


def test_a_call_refused_again_with_a_fresh_token_backs_off_instead_of_spinning() -> None:
    h = _harness()
    h.deliver("web", web_order("W-1"))
    _grant(h, "t1")
    h.answer(h.transport.open("erp", "create_sales_order")[0], 401, {"error": "invalid_token"})
    _grant(h, "t2")
    h.answer(h.transport.open("erp", "create_sales_order")[0], 401, {"error": "invalid_token"})
    assert h.transport.open("erp", "create_sales_order") == [], "not sent again at once"
    assert len(h.scheduler.pending_of("call_retry")) == 1
