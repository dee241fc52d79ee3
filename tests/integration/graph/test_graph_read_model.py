"""The read model a finished run writes: complete, faithful to the hub and the estate,
and paginated without gaps or overlaps, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
from typing import Any

from graph_support import OVERRIDES, SCENARIO, finished_run
from read_model_support import Projected, read

from hub.adapters.read_model import OrderFilter, ReadModel, Window
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run


def test_every_hub_order_and_return_is_in_the_read_model(projected: Projected) -> None:
    hub = projected.run.result.estate.hub.ctx

    async def load(rm: ReadModel) -> tuple[Any, Any]:
        return await rm.orders_by_id(list(hub.orders)), await rm.returns_by_id(list(hub.returns))

    orders, returns = read(projected.url, load)
    assert set(orders) == set(hub.orders)
    assert set(returns) == set(hub.returns)
    for order_id, record in orders.items():
        assert record.status == hub.orders[order_id].status.label
        assert record.payment_state == hub.orders[order_id].payment_state


def test_observing_the_timeline_leaves_the_digest_unchanged() -> None:
    observed, _ = finished_run()
    plain = run(load_scenario(SCENARIO, OVERRIDES))
    assert plain.seal.digest == observed.seal.digest


def test_an_order_timeline_starts_with_its_placement_and_is_in_delivery_order(
    projected: Projected,
) -> None:
    result = projected.run.result
    order_id = next(
        o
        for o, order in result.estate.hub.ctx.orders.items()
        if order.channel == "web" and order.status.label == "shipped"
    )
    timeline = read(projected.url, lambda rm: rm.timeline_by_order([order_id]))[order_id]
    assert timeline[0].kind == "order.created" and timeline[0].source == "web"
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    assert all(e.delay_s >= 0 for e in timeline)
    kinds = {e.kind for e in timeline}
    assert {
        "authorize",
        "create_sales_order",
        "release_order",
        "SHIPMENT_CONFIRMED",
        "capture",
        "post_delivery_invoice",
    } <= kinds
    # every answer from a backend is tied to this order, not only the requests
    assert any(e.source == "erp" and e.detail.startswith("answered 2") for e in timeline)


def test_keyset_pages_cover_every_order_once_newest_first(projected: Projected) -> None:
    result = projected.run.result

    async def walk(rm: ReadModel) -> tuple[list[str], int]:
        seen: list[str] = []
        after = None
        total = 0
        while True:
            page = await rm.orders_page(OrderFilter(), Window(40, after=after))
            total = page.total
            seen += [o.id for o in page.items]
            if not page.has_next:
                return seen, total
            after = page.keys[-1]

    seen, total = read(projected.url, walk)
    assert total == len(result.estate.hub.ctx.orders) == len(seen) == len(set(seen))
    placed = {o: order.placed_at for o, order in result.estate.hub.ctx.orders.items()}
    assert [placed[o] for o in seen] == sorted(placed.values(), reverse=True)


def test_a_finished_run_is_in_sync_across_systems(projected: Projected) -> None:
    ids = list(projected.run.result.estate.hub.ctx.orders)
    syncs = read(projected.url, lambda rm: rm.order_sync(ids))
    assert set(syncs) == set(ids)
    out_of_sync = [s for s in syncs.values() if not s.in_sync]
    assert not out_of_sync, out_of_sync[:3]


def test_the_cross_system_view_sees_orders_the_erp_never_booked() -> None:
    """Negative control: with the seeded defect that drops some ERP sales orders, those
    orders must show up out of sync, naming the ERP."""
    from scenarios.twin.projection.cross_system import GatewayIndex, order_view

    scenario = load_scenario(SCENARIO, (*OVERRIDES, 'hub.defects=["drop_erp_orders"]'))
    result = run(scenario)
    index = GatewayIndex()
    index.refresh(result)
    bad = {}
    for order_id, order in result.estate.hub.ctx.orders.items():
        _, sync = order_view(result, order, index)
        if not sync.in_sync:
            bad[order_id] = sync.disagreements
    assert bad, "the defect dropped ERP sales orders but every order looked in sync"
    assert all(
        any(d["system"] == "erp" and d["field"] == "salesOrder" for d in problems)
        for problems in bad.values()
    )


def test_mid_run_the_channel_is_in_sync_with_the_milestones_it_hears() -> None:
    """A channel hears milestones (accepted, ready for pickup, shipped, collected,
    cancelled), not the warehouse's release and pick: mid-day, an order the hub has
    released or picked and the storefront shows as accepted is in sync. A notice the hub
    never sent is a disagreement (negative control)."""
    import simpy

    from hub.model.order import OrderStatus
    from scenarios.twin.projection.cross_system import GatewayIndex, order_view
    from scenarios.twin.runtime import start

    scenario = load_scenario(SCENARIO, (*OVERRIDES, "scenario.duration=4h"))
    env = simpy.Environment()
    result = start(scenario, env).result
    env.run(until=3 * 3600)
    index = GatewayIndex()
    index.refresh(result)
    storefront = result.estate.storefront
    between = [
        order
        for order in result.estate.hub.ctx.orders.values()
        if order.status in (OrderStatus.RELEASED, OrderStatus.PICKED)
        and order.channel == "web"
        and storefront.orders[order.channel_order_id].notices
    ]
    assert between, "no web order was between acceptance and shipping at 03:00"
    for order in between:
        _, sync = order_view(result, order, index)
        assert not [d for d in sync.disagreements if d["system"] == "web"], sync
    order = between[0]
    storefront.orders[order.channel_order_id].hear(10**6, "shipped", env.now)
    _, sync = order_view(result, order, index)
    assert {"system": "web", "field": "status", "hub": "accepted", "system_value": "shipped"} in (
        sync.disagreements
    )


def test_a_second_projection_of_an_unchanged_estate_writes_nothing(database_url: str) -> None:
    """Change detection holds for every kind: projecting the same state twice reports
    (and publishes) no change the second time, and the availability rows stay those
    of the hub's offer and the channels' views."""
    from hub.model.order import Channel
    from scenarios.twin.projection.projector import Projector

    result = finished_run()[0]

    async def twice() -> tuple[Any, Any, list[Any]]:
        read_model = ReadModel.open(database_url)
        await read_model.create_schema()
        projector = Projector(result, read_model, None)
        await projector.write_master_data()
        first = await projector.project()
        second = await projector.project()
        sku = result.estate.world.skus[0].sku_id
        rows = (await read_model.availability_by_sku([sku]))[sku]
        await read_model.dispose()
        return first, second, rows

    first, second, rows = asyncio.run(twice())
    assert first.orders and first.skus
    assert not second.orders and not second.skus and not second.returns
    web = next(r for r in rows if r.channel == Channel.WEB)
    sku = rows[0].sku
    assert web.hub_available == result.estate.hub.availability.ats_ship(sku)
    assert web.channel_view == result.estate.storefront.ship_view.get(sku, 0)
    stores = [r for r in rows if r.channel == Channel.CLICK_COLLECT]
    for row in stores:
        assert row.hub_available == result.estate.hub.availability.ats_store(sku, row.store)


def test_text_is_sorted_by_code_point_on_every_database(database_url: str) -> None:
    """Pages sort ids as SQLite does, whatever the database's locale (the test
    PostgreSQL sorts by ICU's en-US, which would put "a-1" before "B-2")."""
    from hub.adapters.read_model import SkuFilter, Window
    from hub.adapters.read_model.records import SkuRecord
    from hub.adapters.read_model.sorting import SkuSort, Sort

    ids = ["b-1", "B-2", "a-1", "A-2", "w-2", "W1", "W-10"]
    skus = [SkuRecord(sku, "a name", "toys", 100, 2000, 1) for sku in ids]

    async def pages(rm: ReadModel) -> list[str]:
        await rm.create_schema()
        await rm.write_master_data(skus, [])
        by_id = Sort(SkuSort.ID)
        first = await rm.skus_page(SkuFilter(), Window(3), by_id)
        rest = await rm.skus_page(SkuFilter(), Window(10, after=first.keys[-1]), by_id)
        return [s.id for s in first.items + rest.items]

    code_points = ["A-2", "B-2", "W-10", "W1", "a-1", "b-1", "w-2"]
    assert read(database_url, pages) == sorted(ids) == code_points
