"""A live twin with a state store, stopped and started again on it: every order a client
was told about is there with the same id and the same time, a repeated idempotency key
gets the first answer, new orders get new ids, and a store of another day is refused.
(The same through a real server killed with SIGKILL: tests/e2e/graph/test_graph_kill.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from graph_support import LIVE_OVERRIDES, SCENARIO, gql, in_stock_sku
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings, Role
from hub.adapters.read_model import sqlite_url
from scenarios.live.state_store import StateLocation, StateMismatch
from scenarios.live.twin import LiveTwin, Pace
from scenarios.spec.loader import load_scenario

CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id legacyResourceId placedAt } userErrors { code } } }"""
SETTINGS = ApiSettings(api_keys={"op-key": Role.OPERATOR})


@contextmanager
def serving(state: str, read_model: Path, overrides: tuple[str, ...] = ()) -> Iterator[Any]:
    scenario = load_scenario(SCENARIO, (*LIVE_OVERRIDES, *overrides))
    twin = LiveTwin(
        scenario,
        Pace(speed=1800.0, tick_s=0.02, project_every_s=0.05, sla_every_s=0.2),
        SCENARIO,
        (*LIVE_OVERRIDES, *overrides),
        state=StateLocation.of(state),
    )
    app = create_app(composed_schema(SETTINGS), sqlite_url(read_model), SETTINGS, twin=twin)
    with TestClient(app) as client:
        yield client, twin


def _place(client: TestClient, twin: LiveTwin, key: str) -> dict[str, Any]:
    line = {"skuId": in_stock_sku(twin), "quantity": 1}
    data = gql(client, CREATE, {"input": {"idempotencyKey": key, "lines": [line]}})
    created: dict[str, Any] = data["data"]["orderCreate"]
    return created


@pytest.mark.parametrize("read_model", ["a fresh one", "the same one"])
def test_a_restarted_live_day_keeps_every_order_it_confirmed(
    tmp_path: Path, read_model: str
) -> None:
    state = str(tmp_path / "state")
    second = tmp_path / ("second.sqlite" if read_model == "a fresh one" else "first.sqlite")
    with serving(state, tmp_path / "first.sqlite") as (client, twin):
        placed = [_place(client, twin, f"order-{i}")["order"] for i in range(6)]
        last_command_s = twin.commands.last_at_s
    assert all(order is not None for order in placed)
    # a new process on the same state store (its read model brought up to date)
    with serving(state, second) as (client, twin):
        assert twin.commands.replayed == 6
        assert twin.catch_up is not None and twin.catch_up[0] >= last_command_s
        for order in placed:
            query = '{ order(id: "%s") { id legacyResourceId placedAt } }' % order["id"]  # noqa: UP031
            assert gql(client, query)["data"]["order"] == order
            assert order["legacyResourceId"] in twin.result.estate.hub.ctx.orders
        again = _place(client, twin, "order-0")
        assert again["order"]["id"] == placed[0]["id"], "a repeated key gets its first answer"
        fresh = _place(client, twin, "order-new")["order"]["id"]
        assert fresh not in {order["id"] for order in placed}
        # none of the dead process's rows beyond what the new one knows (the projection
        # may lag the hub, never lead it)
        total = gql(client, "{ orders(first: 1) { totalCount } }")["data"]["orders"]
        assert total["totalCount"] <= len(twin.result.estate.hub.ctx.orders)


def test_a_state_store_of_another_day_is_refused(tmp_path: Path) -> None:
    state = str(tmp_path / "state")
    with serving(state, tmp_path / "first.sqlite") as (client, twin):
        _place(client, twin, "one")
    with (
        pytest.raises(StateMismatch, match=r"seed 1 \(not 2\)"),
        serving(state, tmp_path / "second.sqlite", ("scenario.seed=2",)),
    ):
        pass
