"""The screens docs/api.md promises, each one request, run as written against a live
twin while it moves: the queries are read from the guide itself, so a screen that stops
working, or a guide that drifts from the schema, fails here. Pages of the order list
stay consistent both ways while orders arrive between requests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from graph_support import gql, in_stock_sku, live_app, wait_for
from starlette.testclient import TestClient

from scenarios.live.twin import LiveTwin

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "api.md"
SCREENS = (
    "Order list",
    "Order detail",
    "Stock for one SKU",
    "Low-stock list",
    "Returns queue",
    "Payouts",
    "Companies",
    "Operations dashboard",
    "Place an order",
    "Request a return",
)


def _screens() -> dict[str, str]:
    """Each `### name` of the guide's Screens section and its one graphql block."""
    text = GUIDE.read_text()
    section = text.split("## Screens: one request each", 1)[1].split("\n## ", 1)[0]
    found: dict[str, str] = {}
    for part in section.split("\n### ")[1:]:
        name, body = part.split("\n", 1)
        blocks = re.findall(r"```graphql\n(.*?)```", body, re.S)
        assert len(blocks) == 1, f"screen {name!r}: expected one graphql block"
        found[name.strip()] = blocks[0]
    return found


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[TestClient, LiveTwin]]:
    app, twin = live_app()
    with TestClient(app) as client:
        yield client, twin


def _run(client: TestClient, screen: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(client, _screens()[screen], variables or {})
    assert "errors" not in body, f"{screen}: {body['errors']}"
    return body["data"]


def test_the_guide_documents_every_screen() -> None:
    assert tuple(_screens()) == SCREENS


def _orders(client: TestClient, **variables: Any) -> dict[str, Any]:
    page: dict[str, Any] = _run(client, "Order list", variables)["orders"]
    return page


def _ids(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


def test_the_order_list_and_an_orders_detail(live: tuple[TestClient, LiveTwin]) -> None:
    client, _ = live
    shipped = {"status": ["SHIPPED"], "paymentState": ["CAPTURED"]}
    wait_for(lambda: _orders(client, first=5, filter=shipped)["edges"])
    row = _orders(client, first=5, filter=shipped)["edges"][0]["node"]
    assert row["customer"]["displayName"] and row["totalPrice"]["currencyCode"] == "USD"

    def detail() -> Any:
        # the live projector writes an order, then (a moment later, in the same pass) what
        # the systems hold about it: a request can fall in between
        order = _run(client, "Order detail", {"id": row["id"]})["order"]
        return order if "CAPTURE" in {t["kind"] for t in order["transactions"]} else None

    order = wait_for(detail, timeout_s=5)
    assert order["id"] == row["id"] and order["status"] == "SHIPPED"
    lines = sum(Decimal(line["discountedTotal"]["amount"]) for line in order["lines"])
    tax = sum(Decimal(line["totalTax"]["amount"]) for line in order["lines"])
    assert lines + tax == Decimal(order["totalPrice"]["amount"])
    assert {"AUTHORIZATION", "CAPTURE"} <= {t["kind"] for t in order["transactions"]}
    assert sum(
        line["quantity"] for f in order["fulfillments"] for line in f["fulfillmentLineItems"]
    ) == sum(line["shippedQuantity"] for line in order["lines"])
    history = order["statusHistory"]
    assert history[-1]["orderStatus"] == "SHIPPED" and all(h["changedBy"] for h in history)
    records = order["crossSystem"]["records"]
    assert records, "an order that shipped has been compared across systems"
    for record in records:
        if record["createdAt"] and record["updatedAt"]:
            assert record["updatedAt"] >= record["createdAt"], record


def test_a_skus_stock_and_the_low_stock_list(live: tuple[TestClient, LiveTwin]) -> None:
    client, twin = live
    sku = _run(client, "Stock for one SKU", {"id": in_stock_sku(twin)})["sku"]
    assert sku["totalAvailable"] == sum(p["available"] for p in sku["positions"]) > 0
    assert {a["channel"] for a in sku["availableToSell"]} >= {"WEB", "MARKETPLACE"}

    everything = _run(client, "Low-stock list", {"atMost": 10**9, "first": 1})["skus"]
    threshold = sku["totalAvailable"]
    low = _run(client, "Low-stock list", {"atMost": threshold, "first": 100})["skus"]
    assert 0 < low["totalCount"] <= everything["totalCount"]
    assert all(s["totalAvailable"] <= threshold for s in low["nodes"])
    ranks = [s["popularityRank"] for s in low["nodes"]]
    assert ranks == sorted(ranks)


def test_the_payouts_screen_is_empty_where_no_marketplace_settles(
    live: tuple[TestClient, LiveTwin],
) -> None:
    """steady-day's marketplace does not settle; test_graph_payouts_run.py runs the
    screen over a day whose marketplace does."""
    client, _ = live
    payouts = _run(client, "Payouts", {"first": 10})["payouts"]
    assert payouts["totalCount"] == 0 and payouts["nodes"] == []


def test_the_companies_screen_is_empty_without_a_b2b_portal(
    live: tuple[TestClient, LiveTwin],
) -> None:
    """steady-day has no B2B portal; test_graph_companies_run.py runs the screen over a
    day that does."""
    client, _ = live
    data = _run(client, "Companies", {"first": 10})
    assert data["companies"] == {
        "totalCount": 0,
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
        "nodes": [],
    }
    assert data["orders"]["nodes"] == []


def test_the_returns_queue_the_dashboard_and_the_mutations(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    placed = _run(
        client,
        "Place an order",
        {
            "input": {
                "idempotencyKey": "screens-order",
                "lines": [{"skuId": in_stock_sku(twin), "quantity": 1}],
            }
        },
    )["orderCreate"]
    assert placed["userErrors"] == [] and placed["order"]["totalPrice"]["currencyCode"] == "USD"

    delivered = {"status": ["SHIPPED"]}
    wait_for(lambda: _orders(client, first=20, filter=delivered)["edges"])
    order = _orders(client, first=1, filter=delivered)["edges"][0]["node"]
    detail = _run(client, "Order detail", {"id": order["id"]})["order"]
    line = detail["lines"][0]
    asked = _run(
        client,
        "Request a return",
        {
            "input": {
                "idempotencyKey": "screens-return",
                "orderId": order["id"],
                "lines": [{"skuId": line["sku"]["id"], "quantity": 1}],
            }
        },
    )["returnRequest"]
    assert asked["userErrors"] == [], asked

    wait_for(lambda: _run(client, "Returns queue", {"first": 5})["returns"]["nodes"])
    queue = _run(client, "Returns queue", {"first": 50})["returns"]
    requested = [r["requestedAt"] for r in queue["nodes"]]
    assert requested == sorted(requested), "oldest request first"
    assert all(r["ageSeconds"] >= 0 for r in queue["nodes"])

    operations = _run(client, "Operations dashboard")["operations"]
    assert operations["run"]["runMode"] == "LIVE" and operations["lanes"]


def test_order_pages_stay_consistent_both_ways_while_orders_arrive(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, _ = live
    wait_for(lambda: _orders(client, first=1)["totalCount"] >= 30)
    first = _orders(client, first=10)
    second = _orders(client, first=10, after=first["pageInfo"]["endCursor"])
    wait_for(lambda: _orders(client, first=1)["totalCount"] > second["totalCount"])

    back = _orders(client, last=10, before=second["pageInfo"]["startCursor"])
    assert _ids(back) == _ids(first), "page 1 again, though newer orders arrived"
    assert back["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    again = _orders(client, first=10, after=first["pageInfo"]["endCursor"])
    assert _ids(again) == _ids(second)

    newer = _orders(client, last=100, before=first["pageInfo"]["startCursor"])
    assert newer["edges"], "the orders that arrived sit before page 1"
    assert not set(_ids(newer)) & set(_ids(first) + _ids(second))
    newest_seen = first["edges"][0]["node"]["placedAt"]
    assert all(edge["node"]["placedAt"] >= newest_seen for edge in newer["edges"])
