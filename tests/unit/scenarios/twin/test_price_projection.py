"""The prices the hub holds per channel, projected into the read model
(scenarios/twin/projection/projector.py): a change heard but not pushed yet is stale
and ages, a push makes it fresh, and only the rows that moved are written again.

promotion-launch at a twentieth, with a quarter-hourly price file
(`hub.price_sync=batch:15m`), so the midnight doorbuster waits unpushed until 00:15.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import simpy

from hub.adapters.read_model import PromotionFilter, ReadModel, Window, sqlite_url
from hub.adapters.read_model.price_queries import HeldPriceRecord
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.projector import Projector
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import start

T = TypeVar("T")
OVERRIDES = ("scenario.scale=0.05", "hub.price_sync=batch:15m")
SLOT_S = 900.0


def in_read_model(tmp_path: Path, act: Callable[[ReadModel], Awaitable[T]]) -> T:
    async def go() -> T:
        read_model = ReadModel.open(sqlite_url(tmp_path / "prices.sqlite"))
        try:
            await read_model.create_schema()
            return await act(read_model)
        finally:
            await read_model.dispose()

    return asyncio.run(go())


def doorbuster_skus(result: RunResult) -> set[str]:
    (doorbuster,) = [p for p in result.estate.pricing.promotions if p.name == "DOORBUSTER"]
    return set(doorbuster.skus)


async def held(read_model: ReadModel, skus: set[str]) -> list[HeldPriceRecord]:
    found = await read_model.prices_by_sku(sorted(skus))
    return [row for rows in found.values() for row in rows]


def test_a_held_price_is_stale_until_pushed_then_fresh(tmp_path: Path) -> None:
    env = simpy.Environment()
    result = start(load_scenario("promotion-launch", OVERRIDES), env).result
    skus = doorbuster_skus(result)
    env.run(until=600)

    async def act(read_model: ReadModel) -> None:
        projector = Projector(result, read_model, None)
        await projector.write_master_data()
        first = await projector.project()
        waiting = await held(read_model, skus)
        # every doorbuster SKU in all three channels, heard and not pushed yet
        assert {(r.price.sku, r.price.channel) for r in waiting} == {
            (sku, channel) for sku in skus for channel in ("web", "marketplace", "stores")
        }
        assert skus <= first.skus
        for row in waiting:
            price = row.price
            assert price.promotion == "DOORBUSTER" and price.price_cents < price.list_price_cents
            assert price.unpushed and price.pushed_at == -1.0 and price.pushed_version == 0
            assert row.stale_s == 600.0 - price.heard_at > 0
        again = await projector.project()
        assert not again.skus & skus, "prices that did not move were written again"

        env.run(until=SLOT_S + 60)
        pushed = await projector.project()
        assert skus <= pushed.skus
        for row in await held(read_model, skus):
            assert not row.price.unpushed and row.stale_s == 0.0
            assert row.price.pushed_at == SLOT_S and row.price.pushed_version == row.price.version

    in_read_model(tmp_path, act)


def test_promotions_are_the_held_prices_that_name_one(tmp_path: Path) -> None:
    env = simpy.Environment()
    result = start(load_scenario("promotion-launch", OVERRIDES), env).result
    skus = doorbuster_skus(result)
    env.run(until=600)

    async def act(read_model: ReadModel) -> None:
        projector = Projector(result, read_model, None)
        await projector.project()
        page = await read_model.promotions_page(PromotionFilter(), Window(size=10))
        (doorbuster,) = page.items
        assert doorbuster.name == "DOORBUSTER" and page.total == 1
        assert doorbuster.channels == ("marketplace", "stores", "web")
        assert (doorbuster.sku_count, doorbuster.price_count) == (len(skus), 3 * len(skus))
        assert doorbuster.unpushed_count == doorbuster.price_count
        assert 39.5 < doorbuster.min_percent_off <= doorbuster.max_percent_off < 40.5
        assert doorbuster.stale_s == 600.0 - doorbuster.first_heard_at
        # nothing pushed yet: not active anywhere
        active = PromotionFilter(active_only=True)
        assert (await read_model.promotions_page(active, Window(size=10))).items == []
        env.run(until=SLOT_S + 60)
        await projector.project()
        (pushed,) = (await read_model.promotions_page(active, Window(size=10))).items
        assert pushed.unpushed_count == 0 and pushed.stale_s == 0.0
        web = await read_model.promotions_page(PromotionFilter(channel="web"), Window(size=10))
        assert web.items[0].channels == ("web",) and web.items[0].price_count == len(skus)

    in_read_model(tmp_path, act)
