"""Allocation per channel through the read model: each channel's availability row
carries what the scenario's rules offer it (the web and the marketplace differ when the
marketplace gets a share), and the channel's view agrees with it at the end."""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from hub.adapters.read_model import ReadModel
from hub.model.order import Channel
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.projector import Projector
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

RULES = (
    "scenario.scale=0.1",
    "scenario.duration=6h",
    "hub.allocation.marketplace_share_pct=50",
    "hub.allocation.web_safety_stock=1",
)


@cache
def allocated_run() -> RunResult:
    return run(load_scenario("steady-day", RULES))


def test_each_channel_is_offered_its_share_and_shows_it(tmp_path: Any) -> None:
    result = allocated_run()
    skus = [sku.sku_id for sku in result.estate.world.skus[:40]]

    async def project() -> dict[str, Any]:
        read_model = ReadModel.open(f"sqlite+aiosqlite:///{tmp_path / 'rm.sqlite'}")
        await read_model.create_schema()
        projector = Projector(result, read_model, None)
        await projector.write_master_data()
        await projector.project()
        rows = await read_model.availability_by_sku(skus)
        await read_model.dispose()
        return rows

    availability = result.estate.hub.availability
    differs = 0
    for sku, rows in asyncio.run(project()).items():
        by_channel = {row.channel: row for row in rows if not row.store}
        web, marketplace = by_channel[Channel.WEB], by_channel[Channel.MARKETPLACE]
        total = availability.ats_ship(sku)
        assert web.hub_available == max(0, total - 1)
        assert marketplace.hub_available == max(0, int(total * 50 // 100))
        assert marketplace.channel_view == marketplace.hub_available
        differs += web.hub_available != marketplace.hub_available
    assert differs > 10  # the rule is visible, not a coincidence of empty shelves
