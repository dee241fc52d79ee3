"""Model features the library's scenarios rely on: a slow payment gateway whose answers
come after the caller's timeout, a metered marketplace seller API, click-and-collect
orders in a flash sale, a marketplace cancellation rate of its own, a sync lag that
a duplicated feed message does not count twice, and channels that give each return of
an order its own id."""

from __future__ import annotations

import random
from typing import Any

import simpy

from scenarios.spec.loader import scenario_from_dict
from scenarios.spec.scenario import FaultSpec
from scenarios.twin.faults import toggle_for
from scenarios.twin.runtime import run
from simulators.marketplace import Marketplace
from simulators.payment import PaymentConfig, PaymentGateway
from simulators.rate_limit import RateLimit
from simulators.stockroom import Stockroom
from simulators.storefront import Storefront
from simulators.sync_lag import SourceRoom, SyncLagMeter

Answer = tuple[float, int, dict[str, Any]]


def _answers(env: simpy.Environment, into: list[Answer]) -> Any:
    def reply(status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None:
        into.append((env.now + delay_s, status, answer))

    return reply


def test_a_slow_gateway_answers_late_but_has_done_the_work(tiny_estate: Any) -> None:
    gateway = tiny_estate.payment
    start, end = toggle_for(tiny_estate, FaultSpec("payment", "slow", 0.0, 60.0, 1000.0))
    answers: list[Answer] = []
    reply = _answers(tiny_estate.erp._env, answers)
    body = {"reference": "W-1", "amount": 1000, "idempotency_key": "auth:W-1"}
    start()
    gateway.handle("authorize", body, reply)
    end()
    gateway.handle("authorize", body, reply)
    slow, normal = answers
    # median 0.3 s x 1000: far beyond a 30 s timeout, yet the authorisation exists at once
    assert slow[0] > 30.0 and normal[0] < 30.0
    assert len(gateway.authorizations) == 1
    # the retry with the same key got the first answer again: one hold on the card
    assert slow[2] == normal[2]


def test_the_slow_factor_multiplies_every_latency() -> None:
    delays = {}
    for factor in (1.0, 10.0):
        env = simpy.Environment()
        gateway = PaymentGateway(env, random.Random(5), PaymentConfig(0.0, 0.0, 0.3, 3600.0))
        gateway.slow_factor = factor
        answers: list[Answer] = []
        for n in range(50):
            gateway.handle("authorize", {"reference": f"R{n}", "amount": 1}, _answers(env, answers))
        delays[factor] = [at for at, _, _ in answers]
    assert all(
        abs(slow - 10 * fast) < 1e-9 for fast, slow in zip(delays[1.0], delays[10.0], strict=True)
    )


def test_the_marketplace_meters_its_seller_api() -> None:
    env = simpy.Environment()
    marketplace = Marketplace(env, lambda kind, body: None, 900.0, 300.0, rate_limit_per_s=2.0)
    answers: list[Answer] = []
    for _ in range(5):
        marketplace.handle("acknowledge", {"mpOrderId": "MP-1"}, _answers(env, answers))
    statuses = [status for _, status, _ in answers]
    assert statuses == [404, 404, 429, 429, 429]  # a burst of two, then refused
    assert answers[2][2]["retry_after_s"] == 0.5
    assert marketplace.throttled == 3
    env.run(until=1.0)
    marketplace.handle("acknowledge", {"mpOrderId": "MP-1"}, _answers(env, answers))
    assert answers[-1][1] == 404  # tokens came back


def test_a_throttle_fault_meters_an_unmetered_marketplace(tiny_estate: Any) -> None:
    marketplace = tiny_estate.marketplace
    start, end = toggle_for(tiny_estate, FaultSpec("marketplace", "throttle", 0.0, 60.0, 1.0))
    assert marketplace.rate_limit.rate_per_s == 0.0
    start()
    assert marketplace.rate_limit.rate_per_s == 1.0
    end()
    assert marketplace.rate_limit.rate_per_s == 0.0


def _small(**sections: Any) -> Any:
    raw: dict[str, Any] = {
        "scenario": {"name": "m", "description": "A small world.", "duration": "6h", "drain": "2h"},
        "world": {"skus": 40, "stores": 4, "customers": 400},
        "demand": {
            "hourly_profile": [1.0] * 24,
            "web_orders_per_hour": 20,
            "marketplace_orders_per_hour": 20,
            "click_collect_orders_per_hour": 20,
            "store_sales_per_hour": 20,
        },
    }
    for name, table in sections.items():
        raw[name] = {**raw.get(name, {}), **table}
    return run(scenario_from_dict(raw))


def test_a_click_and_collect_flash_sale_adds_collection_orders_for_hot_skus() -> None:
    sale = {"start": "2h", "end": "4h", "hot_skus": 3, "multiplier": 6.0}
    without = _small()
    with_sale = _small(demand={"flash_sales": [{**sale, "channels": ["click_collect"]}]})

    def collection_orders(result: Any) -> int:
        return sum(
            1 for o in result.estate.storefront.orders.values() if o.channel == "click_collect"
        )

    extra = collection_orders(with_sale) - collection_orders(without)
    assert extra > 20  # 20/h base x 5 extra x the hot SKUs' share x 2 h, about 60
    hot = {sku.sku_id for sku in with_sale.estate.world.skus[:3]}
    in_window = [
        o
        for o in with_sale.estate.storefront.orders.values()
        if o.channel == "click_collect" and 2 * 3600 <= o.placed_at < 4 * 3600
    ]
    one_hot_line = [o for o in in_window if len(o.lines) == 1 and o.lines[0][0] in hot]
    assert len(one_hot_line) >= extra
    assert all(o.pickup_store for o in in_window)
    # the web's and the marketplace's orders are not touched by a collection-only sale
    assert len(with_sale.estate.marketplace.orders) == len(without.estate.marketplace.orders)


def test_marketplace_buyers_can_cancel_at_a_rate_of_their_own() -> None:
    result = _small(demand={"cancel_rate": 0.0, "cancel_rate_marketplace": 0.5})
    marketplace = list(result.estate.marketplace.orders.values())
    web = list(result.estate.storefront.orders.values())
    cancelled = sum(1 for o in marketplace if o.cancel_requested_at >= 0)
    assert 0.35 < cancelled / len(marketplace) < 0.65
    assert all(o.cancel_requested_at < 0 for o in web)


def test_a_duplicated_feed_push_is_applied_but_reflects_nothing_new() -> None:
    env = simpy.Environment()
    web = Storefront(env, lambda kind, body: None)
    meter = web.sync_lag = SyncLagMeter()
    meter.add_channel(web, tuple(SourceRoom))
    dc = Stockroom(clock=lambda: env.now, sync_lag=meter, room=SourceRoom.DC)
    store = Stockroom(clock=lambda: env.now, sync_lag=meter, room=SourceRoom.STORE)
    env.run(until=1.0)
    for _ in range(3):
        dc.move(("SKU-1", "DC-1"), -1)
    store.move(("SKU-1", "ST-1"), -1)
    push = {
        "items": [("SKU-1", 5, (("DC-1", 3),))],
        "store_items": [("SKU-1", "ST-1", 2, 1)],
        "sent_at": 1.0,
    }
    env.run(until=2.0)
    web.receive("inventory", push)
    web.ship_view["SKU-1"] = 4  # an order took one unit from the view
    env.run(until=600.0)
    web.receive("inventory", push)  # the broker's second copy, ten minutes late
    assert web.ship_view["SKU-1"] == 5  # applied again, as a naive consumer does
    # the view learned of the DC's movements 1..3 and the store's first once, at 2 s
    assert dict(web.reflected_seq.items()) == {("SKU-1", "DC-1"): 3, ("SKU-1", "ST-1"): 1}
    assert web.moved_back == []
    assert (meter.tally("web").count, meter.tally("web").max_s) == (4, 1.0)
    dc.move(("SKU-1", "DC-1"), -1)  # at 600 s, as the newer push arrives
    newer = {"items": [("SKU-1", 3, (("DC-1", 4),))], "store_items": [], "sent_at": 550.0}
    web.receive("inventory", newer)
    web.receive("inventory", push)  # a copy of the older push no longer applies
    assert web.ship_view["SKU-1"] == 3
    assert web.reflected_seq.find(("SKU-1", "DC-1")) == 4
    assert web.moved_back == []
    assert (meter.tally("web").count, meter.tally("web").max_s) == (5, 1.0)
    assert list(meter.pending(600.0)) == []


def test_a_limit_under_one_request_a_second_still_admits_requests() -> None:
    """A burst of one second's worth is less than one token below 1 req/s: the bucket
    holds at least one token, or a 0.5/s limit would refuse every request for ever."""
    env = simpy.Environment()
    limit = RateLimit(env, 0.5)
    admitted = []
    for t in range(0, 10):
        env.run(until=t + 0.5)
        admitted.append(limit.admit())
    assert admitted == [True, False] * 5  # one request every two seconds
    assert limit.retry_after_s == 2.0


def test_each_return_of_an_order_gets_its_own_id_and_the_first_keeps_the_old_one() -> None:
    env = simpy.Environment()
    sent: list[tuple[str, dict[str, Any]]] = []
    web = Storefront(env, lambda kind, body: sent.append((kind, body)))
    market = Marketplace(env, lambda kind, body: sent.append((kind, body)), 900.0, 300.0)
    ids = [
        web.request_return("W-1", [("SKU-1", 1)]),
        web.request_return("W-1", [("SKU-2", 2)]),
        web.request_return("W-2", [("SKU-1", 1)]),
        web.request_return("W-1", [("SKU-1", 1)]),
        market.request_return("MP-1", [("SKU-1", 1)]),
        market.request_return("MP-1", [("SKU-1", 1)]),
    ]
    assert ids == ["RMA-W-1", "RMA-W-1-2", "RMA-W-2", "RMA-W-1-3", "MPR-MP-1", "MPR-MP-1-2"]
    assert [body.get("rma", body.get("returnId")) for _, body in sent] == ids
    assert [(r.id, r.lines) for r in web.returns_opened["W-1"]] == [
        ("RMA-W-1", (("SKU-1", 1),)),
        ("RMA-W-1-2", (("SKU-2", 2),)),
        ("RMA-W-1-3", (("SKU-1", 1),)),
    ]


def test_a_feed_that_takes_a_view_back_to_an_older_source_state_is_recorded() -> None:
    """The checker judges an external hub's stock feeds from this record: a view may
    only ever move forward through its source's movements."""
    env = simpy.Environment()
    web = Storefront(env, lambda kind, body: None)
    web.receive(
        "inventory", {"items": [("SKU-1", 5, (("DC-1", 3),))], "store_items": [], "sent_at": 1.0}
    )
    env.run(until=10.0)
    web.receive(
        "inventory", {"items": [("SKU-1", 4, (("DC-1", 3),))], "store_items": [], "sent_at": 9.0}
    )
    assert web.moved_back == []  # the same source state, another value: no step back
    env.run(until=20.0)
    web.receive(
        "inventory", {"items": [("SKU-1", 6, (("DC-1", 2),))], "store_items": [], "sent_at": 19.0}
    )
    assert [(m.position, m.from_seq, m.to_seq, m.at) for m in web.moved_back] == [
        (("SKU-1", "DC-1"), 3, 2, 20.0)
    ]


def test_return_notices_keep_the_time_the_hub_sent_them() -> None:
    env = simpy.Environment()
    market = Marketplace(env, lambda kind, body: None, 900.0, 300.0)
    env.run(until=50.0)
    market.receive("return_status", {"rma": "MPR-1", "status": "refunded", "at": 40.0})
    market.receive("return_status", {"rma": "MPR-1", "status": "received", "at": 30.0})
    assert [(n.status, n.sent_at, n.received_at) for n in market.return_statuses["MPR-1"]] == [
        ("refunded", 40.0, 50.0),
        ("received", 30.0, 50.0),
    ]
