"""The read model projected from the systems' records alone (scenarios/live/
ground_projection.py), as `serve --hub` shows a hub it cannot read.

A small in-process day is run, then projected from ground truth with the hub put out
of reach (any look at it fails the test). The built-in hub is correct and the day has
settled, so the systems' records must tell the same story as the hub's own state:
every order and return at the status the hub holds, with the same money and ERP
documents; every position the location's own count; every channel's "hub" offer what
the locations can sell. Mid-day, a projection writes only what moved.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import simpy
from out_of_reach import HubOutOfReach

from hub.adapters.read_model import ReadModel, sqlite_url
from hub.model.order import OrderStatus
from hub.model.returns import ReturnStatus
from scenarios.checking.ground_stock import SellableStock
from scenarios.checking.traces import ORDER_RANK, last_told
from scenarios.live.ground_projection import GroundProjector
from scenarios.live.hub_facts import GroundFacts, InProcessFacts
from scenarios.spec.loader import load_scenario
from scenarios.twin.hub_process import HubProcess
from scenarios.twin.projection.projector import Changes
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run, start
from scenarios.twin.timeline import TimelineRecorder

T = TypeVar("T")
SMALL = ("scenario.scale=0.3",)


@dataclass(frozen=True, slots=True)
class HubSaw:
    """The built-in hub's own state at the end of the day, taken before it is put out
    of reach."""

    orders: dict[str, tuple[str, str, int, str, bool]]
    returns: dict[str, tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Day:
    result: RunResult
    hub: HubSaw
    in_process: InProcessFacts


@cache
def finished_day() -> Day:
    result = run(load_scenario("steady-day", SMALL), observer=TimelineRecorder())
    ctx = result.estate.hub.ctx
    saw = HubSaw(
        {
            order_id: (
                order.status.label,
                order.payment_state.value,
                order.captured_cents,
                order.erp_order_no,
                order.invoiced,
            )
            for order_id, order in ctx.orders.items()
        },
        {rid: (ret.status.label, ret.refund_total_cents) for rid, ret in ctx.returns.items()},
    )
    return Day(result, saw, InProcessFacts(result))


def in_read_model(tmp_path: Path, act: Callable[[ReadModel], Awaitable[T]]) -> T:
    async def go() -> T:
        read_model = ReadModel.open(sqlite_url(tmp_path / "ground.sqlite"))
        try:
            await read_model.create_schema()
            return await act(read_model)
        finally:
            await read_model.dispose()

    return asyncio.run(go())


def projected_out_of_reach(result: RunResult, read_model: ReadModel) -> Awaitable[Changes]:
    hub = result.estate.in_process_hub
    result.estate.in_process_hub = cast(HubProcess, HubOutOfReach())

    async def project() -> Changes:
        try:
            projector = GroundProjector(result, read_model, None)
            await projector.write_master_data()
            return await projector.project()
        finally:
            result.estate.in_process_hub = hub

    return project()


def test_a_settled_day_projected_from_the_systems_agrees_with_the_built_in_hub(
    tmp_path: Path,
) -> None:
    day = finished_day()
    result = day.result

    async def read(read_model: ReadModel) -> tuple[Any, ...]:
        await projected_out_of_reach(result, read_model)
        orders = await read_model.orders_by_id(list(day.hub.orders))
        returns = await read_model.returns_by_id(list(day.hub.returns))
        history = await read_model.order_history(list(day.hub.orders))
        customers = await read_model.customers_by_id([o.customer_id for o in orders.values()])
        return orders, returns, history, customers

    orders, returns, history, customers = in_read_model(tmp_path, read)
    assert len(day.hub.orders) > 100 and len(day.hub.returns) > 10
    assert set(orders) == set(day.hub.orders)
    # every order's customer is in the read model, as the world knows them
    world = {c.customer_id: c for c in result.estate.world.customers}
    assert set(customers) == {record.customer_id for record in orders.values()}
    for customer_id, customer in customers.items():
        known = world[customer_id]
        assert (customer.name, customer.email, customer.region) == (
            known.name,
            known.email,
            known.region,
        )
    for order_id, record in orders.items():
        shown = (
            record.status,
            record.payment_state,
            record.captured_cents,
            record.erp_order_no,
            record.invoiced,
        )
        assert shown == day.hub.orders[order_id], order_id
        ranks = [ORDER_RANK[change.status] for change in history[order_id]]
        assert ranks == sorted(ranks), f"{order_id} moved backwards: {history[order_id]}"
    assert set(returns) == set(day.hub.returns)
    for return_id, ret in returns.items():
        assert (ret.status, ret.refund_total_cents) == day.hub.returns[return_id], return_id
    closed = sum(ret.status == ReturnStatus.CLOSED.label for ret in returns.values())
    assert closed > 0


def test_stock_is_each_location_s_own_count_and_the_offer_what_it_can_sell(
    tmp_path: Path,
) -> None:
    result = finished_day().result
    estate = result.estate
    skus = [sku.sku_id for sku in estate.world.skus]

    async def read(read_model: ReadModel) -> tuple[Any, Any]:
        await projected_out_of_reach(result, read_model)
        return await read_model.positions_by_sku(skus), await read_model.availability_by_sku(skus)

    positions, availability = in_read_model(tmp_path, read)
    sellable = SellableStock(result)
    dcs = {dc.location_id for dc in estate.world.dcs}
    seen = 0
    for sku in skus:
        for position in positions[sku]:
            room = estate.wms.stock if position.location in dcs else estate.pos.stock
            key = (sku, position.location)
            assert position.on_hand == room.on_hand[key]
            assert position.quarantined == room.quarantined.get(key, 0)
            assert position.source_system == ("wms" if position.location in dcs else "pos")
            assert position.source_seq == position.source_seq_latest == room.seq.get(key, 0)
            seen += 1
        for row in availability[sku]:
            offered = sellable.ship(sku) if not row.store else sellable.at((sku, row.store))
            assert row.hub_available == offered, (sku, row.channel, row.store)
            if row.channel == "web":
                assert row.channel_view == estate.storefront.ship_view.get(sku, 0)
    assert seen == len(estate.wms.stock.on_hand) + len(estate.pos.stock.on_hand)


def test_each_order_s_cross_system_view_is_what_each_system_holds(tmp_path: Path) -> None:
    day = finished_day()
    estate = day.result.estate
    placed = {**estate.storefront.orders, **estate.marketplace.orders}

    async def read(read_model: ReadModel) -> Any:
        await projected_out_of_reach(day.result, read_model)
        return await read_model.system_records(list(placed))

    records = in_read_model(tmp_path, read)
    for ref, order in placed.items():
        by_system = {(r.system, r.fields.get("document")): r for r in records[ref]}
        channel = (
            by_system[(estate.marketplace.name, None)]
            if order.channel == "marketplace"
            else (by_system[(estate.storefront.name, None)])
        )
        assert channel.status == (last_told(order) or "placed")
        booked = estate.erp.sales_orders_by_external_ref.get(ref, [])
        if booked:
            assert by_system[("erp", "sales_order")].record_id == booked[0]
        else:
            assert ("erp", "sales_order") not in by_system


def test_the_controls_get_the_same_answers_from_the_systems_as_from_the_hub() -> None:
    day = finished_day()
    ground = GroundFacts(day.result)
    for order_id in day.hub.orders:
        assert ground.order_status(order_id) == day.in_process.order_status(order_id)
        assert ground.took_order(order_id)
        delivered = day.in_process.delivered(order_id)
        assert ground.delivered(order_id) == delivered, order_id
    estate = day.result.estate
    opened = [
        ret.id
        for channel in (estate.storefront, estate.marketplace)
        for returns in channel.returns_opened.values()
        for ret in returns
    ]
    assert opened
    for return_id in opened:
        status = day.hub.returns[return_id][0]
        assert ground.took_return(return_id) or status == ReturnStatus.REQUESTED.label
        assert ground.return_rejected(return_id) == (status == ReturnStatus.REJECTED.label)
    assert ground.order_status("W-9999999") is None


def test_mid_day_a_projection_writes_only_what_moved(tmp_path: Path) -> None:
    scenario = load_scenario("steady-day", SMALL)
    env = simpy.Environment()
    result = start(scenario, env).result
    env.run(until=11 * 3600)
    facts = GroundFacts(result)

    def placed() -> set[str]:
        return {*result.estate.storefront.orders, *result.estate.marketplace.orders}

    async def project_twice(
        read_model: ReadModel,
    ) -> tuple[Changes, Changes, Changes, dict[str, OrderStatus | None]]:
        projector = GroundProjector(result, read_model, None)
        await projector.write_master_data()
        first = await projector.project()
        unchanged = await projector.project()
        before = {ref: facts.order_status(ref) for ref in placed()}
        env.run(until=11 * 3600 + 600)
        after = await projector.project()
        return first, unchanged, after, before

    first, unchanged, after, before = in_read_model(tmp_path, project_twice)
    assert first.orders == set(before) and first.skus
    assert not unchanged
    new = placed() - set(before)
    assert new and new <= after.orders
    moved = {ref for ref, status in before.items() if facts.order_status(ref) != status}
    assert moved and moved <= after.orders
    assert len(after.orders) < len(before) // 2, "orders that did not move were written again"


def test_transactions_and_fulfillments_come_from_the_gateway_and_the_wms(
    tmp_path: Path,
) -> None:
    """Over a hub it cannot read, the order's transactions are the gateway's log and a
    parcel is tracked under the WMS's shipment number, as over the built-in hub."""
    day = finished_day()
    estate = day.result.estate
    placed = {**estate.storefront.orders, **estate.marketplace.orders}

    async def read(read_model: ReadModel) -> Any:
        await projected_out_of_reach(day.result, read_model)
        ids = list(placed)
        return await read_model.transactions_by_order(ids), await read_model.fulfillments_by_order(
            ids
        )

    transactions, fulfillments = in_read_model(tmp_path, read)
    gateway = estate.payment
    captured = 0
    tracked = 0
    for ref in placed:
        auths = [a for a in gateway.authorizations.values() if a.reference == ref]
        kinds = [(t.kind, t.status) for t in transactions[ref]]
        assert kinds.count(("authorization", "success")) == len(auths), ref
        captured += sum(t.amount_cents for t in transactions[ref] if t.kind == "capture")
        assert [t.processed_at for t in transactions[ref]] == sorted(
            t.processed_at for t in transactions[ref]
        )
        release = estate.wms.releases.get(ref)
        if release is not None and release.status == "shipped" and release.picked:
            (fulfillment,) = fulfillments[ref]
            assert fulfillment.tracking_number == release.shipment_no != ""
            assert fulfillment.location == release.dc
            tracked += 1
    assert captured == sum(c.amount for c in gateway.captures) > 0
    assert tracked > 10
