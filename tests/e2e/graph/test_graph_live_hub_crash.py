"""A hub crash started through the API on a live twin: the hub is down, what the API
asks of it waits or is refused plainly, and when the fault ends the hub comes back from
its journal and an order placed while it was down reaches it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graph_support import gql, in_stock_sku, live_app, wait_for
from starlette.testclient import TestClient

from scenarios.live.twin import LiveTwin

FAULT = """mutation($input: FaultInjectInput!) { faultInject(input: $input) {
  fault { id target kind active } userErrors { code message } } }"""
REPLAY = """mutation { deadLettersReplay(input: {idempotencyKey: "%s"}) {
  replayedCount userErrors { code message } } }"""
CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id } userErrors { code } } }"""


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[TestClient, LiveTwin]]:
    app, twin = live_app(speed=600.0)
    with TestClient(app) as client:
        yield client, twin


def test_a_crash_through_the_api_and_the_hub_coming_back(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    process = twin.result.estate.hub_process
    start = {"idempotencyKey": "crash", "action": "START", "target": "hub", "kind": "CRASH"}
    started = gql(client, FAULT, {"input": start}, key="op-key")["data"]["faultInject"]
    assert started["userErrors"] == [] and started["fault"]["kind"] == "CRASH"
    assert process.down
    refused = gql(client, REPLAY % "replay-down", key="op-key")["data"]["deadLettersReplay"]
    assert [e["code"] for e in refused["userErrors"]] == ["HUB_UNAVAILABLE"]
    sku = in_stock_sku(twin)
    line = {"skuId": sku, "quantity": 1}
    placed = gql(client, CREATE, {"input": {"idempotencyKey": "while-down", "lines": [line]}})
    waiting = placed["data"]["orderCreate"]
    assert [e["code"] for e in waiting["userErrors"]] == ["NOT_YET_VISIBLE"]
    order_id = list(twin.result.estate.storefront.orders)[-1]  # the order just placed
    assert order_id not in twin.result.estate.hub.ctx.orders
    end = {"idempotencyKey": "restart", "action": "END", "faultId": started["fault"]["id"]}
    gql(client, FAULT, {"input": end}, key="op-key")
    assert not process.down and len(process.restarts) == 1
    assert process.restarts[0].replayed > 0 and process.restarts[0].redelivered >= 1
    wait_for(lambda: order_id in twin.result.estate.hub.ctx.orders)
    replayed = gql(client, REPLAY % "replay-up", key="op-key")["data"]["deadLettersReplay"]
    assert replayed["userErrors"] == []
