"""An order's fraud review projected from the fraud screen's own records (scenarios/
live/ground_projection.py), as `serve --hub` shows a hub it cannot read: a cut
fraud-review day, projected with the hub out of reach, shows the state the built-in
hub holds wherever the screen's records can say it (never `screening`, never when the
hub heard a decision), and no tax state, which is a hub's own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import cast

from out_of_reach import HubOutOfReach

from hub.adapters.read_model import ReadModel, sqlite_url
from hub.adapters.read_model.records import OrderRecord
from hub.model.fraud import ReviewState
from scenarios.live.ground_projection import GroundProjector, review_of
from scenarios.spec.loader import load_scenario
from scenarios.twin.hub_process import HubProcess
from scenarios.twin.runtime import run

CUT = ("scenario.scale=0.1", "scenario.duration=21h", "scenario.drain=5m")


def test_the_screen_s_words_map_to_review_states() -> None:
    assert review_of("", "", "") == (ReviewState.NONE, "")
    assert review_of("accept", "", "") == (ReviewState.CLEARED, "")
    assert review_of("review", "case_1", "") == (ReviewState.IN_REVIEW, "case_1")
    assert review_of("review", "case_1", "approve") == (ReviewState.APPROVED, "case_1")
    assert review_of("review", "case_1", "reject") == (ReviewState.REJECTED, "case_1")


def test_a_cut_day_s_reviews_from_the_screen_agree_with_the_built_in_hub(
    tmp_path: Path,
) -> None:
    result = run(load_scenario("fraud-review", CUT))
    hub_orders = {
        oid: (order.review_state, order.review_case)
        for oid, order in result.estate.hub.ctx.orders.items()
    }
    hub = result.estate.in_process_hub

    async def project() -> dict[str, OrderRecord]:
        read_model = ReadModel.open(sqlite_url(tmp_path / "ground.sqlite"))
        result.estate.in_process_hub = cast(HubProcess, HubOutOfReach())
        try:
            await read_model.create_schema()
            projector = GroundProjector(result, read_model, None)
            await projector.write_master_data()
            await projector.project()
            return await read_model.orders_by_id(list(hub_orders))
        finally:
            result.estate.in_process_hub = hub
            await read_model.dispose()

    records = asyncio.run(project())
    assert set(records) == set(hub_orders)
    shown = {record.review_state for record in records.values()}
    assert {"cleared", "in_review", "approved", "rejected"} <= shown
    assert "screening" not in shown
    for oid, record in records.items():
        state, case = hub_orders[oid]
        # the day ended settled but for the open cases: the hub heard every decision
        assert (record.review_state, record.review_case) == (state.value, case), oid
        assert record.review_decided_at == -1.0 and record.tax_state == "none"
