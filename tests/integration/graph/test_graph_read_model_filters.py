"""The read model's list filters are SQL conditions: orders by payment state, update
time and exceptions, stock by thresholds and totals over locations, returns by their age
and SLA breach from the run's clock; on SQLite and PostgreSQL, over the small world of
tests/read_model_lists_support.py."""

from __future__ import annotations

from typing import Any

from read_model_lists_support import (
    POSITIONS,
    SKUS,
    order,
    returned,
    run,
    write_world,
)

from hub.adapters.read_model import (
    OrderFilter,
    PositionFilter,
    ReadModel,
    ReturnFilter,
    SkuFilter,
    Window,
)


def test_order_filters_are_sql_conditions(database_url: str) -> None:
    extra = [
        order(300, 5.0, payment="authorized", updated_at=900.0),
        order(301, 6.0, payment="failed", exception="payment declined", updated_at=1000.0),
    ]

    async def filtered(rm: ReadModel) -> dict[str, set[str]]:
        await write_world(rm)
        await rm.write_orders(extra)
        asked = {
            "payment": OrderFilter(payment_states=("authorized", "failed")),
            "updated": OrderFilter(updated_from=900.0, updated_to=1000.0),
            "exception": OrderFilter(has_exception=True),
            "no exception": OrderFilter(has_exception=False, updated_from=900.0),
        }
        found = {}
        for name, where in asked.items():
            page = await rm.orders_page(where, Window(100))
            assert page.total == len(page.items)
            found[name] = {o.id for o in page.items}
        return found

    assert run(database_url, filtered) == {
        "payment": {"W-0300", "W-0301"},
        "updated": {"W-0300"},
        "exception": {"W-0301"},
        "no exception": {"W-0300"},
    }


def test_stock_thresholds_and_totals_over_locations(database_url: str) -> None:
    available = {}
    on_hand: dict[str, int] = {}
    for p in POSITIONS:
        available[p.sku] = available.get(p.sku, 0) + p.on_hand - p.reserved - 1
        on_hand[p.sku] = on_hand.get(p.sku, 0) + p.on_hand
    # SKU-08 has no position at all: its totals are 0
    available["SKU-08"] = on_hand["SKU-08"] = 0

    async def low(rm: ReadModel) -> tuple[Any, ...]:
        await write_world(rm)
        skus = await rm.skus_page(SkuFilter(total_available_at_most=0), Window(100))
        held = await rm.skus_page(SkuFilter(total_on_hand_at_most=3), Window(100))
        positions = await rm.positions_page(PositionFilter(available_at_most=-1), Window(100))
        bare = await rm.positions_page(PositionFilter(on_hand_at_most=1), Window(100))
        totals = await rm.sku_totals([s.id for s in SKUS])
        return skus, held, positions, bare, totals

    skus, held, positions, bare, totals = run(database_url, low)
    assert {s.id for s in skus.items} == {s for s, n in available.items() if n <= 0}
    assert {s.id for s in held.items} == {s for s, n in on_hand.items() if n <= 3}
    assert 0 < len(skus.items) < len(SKUS)  # the threshold divides the catalogue
    assert [(p.sku, p.location) for p in positions.items] == [
        (p.sku, p.location) for p in POSITIONS if p.on_hand - p.reserved - 1 <= -1
    ]
    assert [(p.sku, p.location) for p in bare.items] == [
        (p.sku, p.location) for p in POSITIONS if p.on_hand <= 1
    ]
    assert {s: t.available for s, t in totals.items()} == available
    assert {s: t.on_hand for s, t in totals.items()} == on_hand
    assert all(
        t.incoming == 2 * len([p for p in POSITIONS if p.sku == s]) for s, t in totals.items()
    )


def test_a_returns_age_and_sla_breach_come_from_the_run_clock(database_url: str) -> None:
    """The run's SLA is 8 h from receipt to card refund; now is hour 30."""
    hour = 3600.0
    returns = {
        "late refund": returned(1, 0.0, received_at=hour, refunded_at=10 * hour,
                                refund_state="refunded", closed_at=11 * hour),
        "quick refund": returned(2, 0.0, received_at=hour, refunded_at=2 * hour,
                                 refund_state="refunded", closed_at=3 * hour),
        "waiting too long": returned(3, hour, received_at=20 * hour, refund_state="pending"),
        "waiting": returned(4, hour, received_at=25 * hour, refund_state="pending"),
        "not back yet": returned(5, 0.0),
        "till": returned(6, 0.0, received_at=hour, refunded_at=hour, refund_state="at_till"),
        "not charged": returned(7, 0.0, received_at=hour, refund_state="not_charged"),
        # projected after the run document was last written (a live twin writes it last)
        "newer than the clock": returned(8, 31 * hour, updated_at=31.5 * hour),
    }  # fmt: skip
    ids = {name: snapshot.ret.id for name, snapshot in returns.items()}

    async def clocks(rm: ReadModel) -> tuple[Any, ...]:
        await rm.write_returns(list(returns.values()))
        before_any_run = await rm.return_clocks(list(ids.values()))
        await rm.put_document("run", {"sim_time_s": 30 * hour, "return_refund_sla_s": 8 * hour})
        found = await rm.return_clocks(list(ids.values()))
        breached = await rm.returns_page(ReturnFilter(sla_breached=True), Window(100))
        kept = await rm.returns_page(ReturnFilter(sla_breached=False), Window(100))
        return before_any_run, found, breached, kept

    before_any_run, found, breached, kept = run(database_url, clocks)
    assert not any(c.sla_breached for c in before_any_run.values())
    late = {"late refund", "waiting too long"}
    assert {name for name, i in ids.items() if found[i].sla_breached} == late
    assert {r.id for r in breached.items} == {ids[name] for name in late}
    assert {r.id for r in kept.items} == {ids[name] for name in ids.keys() - late}
    assert found[ids["late refund"]].age_s == 11 * hour  # request to closure
    assert found[ids["waiting"]].age_s == 29 * hour  # request to now, still open
    assert found[ids["not back yet"]].age_s == 30 * hour
    assert found[ids["newer than the clock"]].age_s == 0.5 * hour  # never minus seconds
