"""The same finished run projected into SQLite and into PostgreSQL answers every query
the same: the same rows, in the same order, on the same pages, with the same cursors.

The queries walk what a client reads: a page of orders with their lines, payments and
returns, and the page after it; one order's cross-system view and timeline; returns;
stock by SKU, by location and by staleness; and the operations view.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import UNTHROTTLED, gql
from postgres_support import Cluster
from read_model_support import finished_run
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings, Role
from graph.types.time import at
from hub.adapters.read_model import sqlite_url

SETTINGS = ApiSettings(api_keys={"view-key": Role.VIEWER}, cost_restore_rate=UNTHROTTLED)

ORDERS = """query($after: String, $filter: OrderFilter) {
  orders(first: 25, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id channel channelOrderId customerId status placedAt receivedAt fulfillmentLocationId
      pickupStoreId paymentState totalCents capturedCents erpOrderNumber invoiced
      cancelReason exception version updatedAt
      lines { lineNumber skuId quantity unitPriceCents taxCents shortQuantity
        shippedQuantity openQuantity sku { id name } }
      payments { authorizationId state capturedCents refundedCents }
      shipments { id kind locationId shippedAt }
      returns { id status refundTotalCents lines { lineNumber skuId quantity } } } } } }"""

ORDER = """query($id: ID!) { order(id: $id) {
  id status statusHistory { status at source }
  timeline { sequence at sentAt delaySeconds source target kind messageId correlationId
    duplicate detail }
  crossSystem { inSync checkedAt disagreements { system field hubValue systemValue }
    records { system recordId status recordedAt fields { name value } } }
  fulfillmentLocation { id kind region name } } }"""

RETURNS = """query($after: String, $filter: ReturnFilter) {
  returns(first: 20, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id orderId channel status requestedAt receivedAt locationId grade disposition refundId
      refundState refundedAt refundTotalCents creditMemoNumber exception updatedAt
      statusHistory { status at source }
      timeline { sequence kind source target }
      lines { lineNumber skuId quantity refundCents taxCents }
      order { id status } } } } }"""

SKUS = """query($after: String, $search: String) {
  skus(first: 30, after: $after, search: $search) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id name category priceCents taxRateBasisPoints popularityRank
      availableToSell { channel storeId available channelView inSync lastFeedAt }
      positions(locationKind: STORE) { locationId onHand available reserved } } } } }"""

INVENTORY = """query($after: String, $filter: InventoryFilter) {
  inventory(first: 40, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      skuId locationId onHand available committed unavailable reserved damaged safetyStock
      qualityControl incoming availableToSell updatedAt
      source { system sequence recordedAt latestSourceSequence stale } } } } }"""

LOCATIONS = """{ locations { id kind region name
  positions(first: 10) { totalCount edges { cursor node { skuId onHand } } } } }"""

OPERATIONS = """{ operations {
  simTime parkedEvents feedPendingChanges erpBacklog duplicatesAbsorbed
  run { scenario seed mode speed simTime durationSeconds finished digest passed }
  lanes { system queueDepth breaker breakerOpens }
  deadLetters { depth total replayed items { kind key reason at } }
  syncLag { scope name count p50Seconds p95Seconds p99Seconds maxSeconds }
  reconciliation { runs driftCorrected lastDrift }
  faults { id target kind rate active startedAt endedAt origin }
  sla { final passed results { name value threshold bound passed }
    invariants { name passed detail violations } }
  counters { name value } } }"""


@pytest.fixture(scope="module")
def clients(
    postgres_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, TestClient]]:
    """One run, projected into a SQLite file and a PostgreSQL database, each served."""
    run = finished_run()
    folder: Path = tmp_path_factory.mktemp("agree")
    with postgres_cluster.database("agree") as postgres:
        urls = {"sqlite": sqlite_url(folder / "read_model.sqlite"), "postgresql": postgres}
        for url in urls.values():
            run.write(url)
        schema = composed_schema(SETTINGS)
        apps = {name: create_app(schema, url, SETTINGS) for name, url in urls.items()}
        with TestClient(apps["sqlite"]) as sqlite, TestClient(apps["postgresql"]) as pg:
            yield {"sqlite": sqlite, "postgresql": pg}


def _both(
    clients: dict[str, TestClient], query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The answer, the same from both databases."""
    answers = {
        name: gql(client, query, variables, key="view-key") for name, client in clients.items()
    }
    for answer in answers.values():  # each app's own bucket: not the databases' answer
        assert answer.pop("extensions")["cost"]["requestedQueryCost"] is not None
    assert "errors" not in answers["sqlite"], answers["sqlite"]
    assert answers["postgresql"] == answers["sqlite"]
    data: dict[str, Any] = answers["sqlite"]["data"]
    return data


def _pages(
    clients: dict[str, TestClient], query: str, field: str, variables: dict[str, Any], pages: int
) -> list[dict[str, Any]]:
    """The first `pages` pages of a list, each page asked for with the cursor both
    databases gave for the page before."""
    found = []
    after = None
    for _ in range(pages):
        page = _both(clients, query, {**variables, "after": after})[field]
        found.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return found


def test_orders_pages_are_the_same(clients: dict[str, TestClient]) -> None:
    pages = _pages(clients, ORDERS, "orders", {}, 3)
    assert len(pages) == 3 and pages[0]["totalCount"] > 75
    # and pages that start at the newest order with a return, so returns are on them
    hub = finished_run().result.estate.hub.ctx
    returned = max(
        hub.orders[r.order_id].placed_at for r in hub.returns.values() if r.order_id in hub.orders
    )
    before = at(returned + 0.001).isoformat()
    pages = _pages(clients, ORDERS, "orders", {"filter": {"placedBefore": before}}, 2)
    assert pages[0]["edges"][0]["node"]["returns"]
    for where in (
        {"status": ["SHIPPED"], "channel": ["WEB", "MARKETPLACE"]},
        {"inSync": True, "placedAfter": at(3600.0).isoformat()},
        {"status": ["CANCELLED", "COLLECTED", "READY_FOR_PICKUP"]},
    ):
        assert _pages(clients, ORDERS, "orders", {"filter": where}, 2)[0]["edges"]


def test_one_order_across_systems_is_the_same(clients: dict[str, TestClient]) -> None:
    hub = finished_run().result.estate.hub.ctx
    returned = next(r.order_id for r in hub.returns.values() if r.order_id in hub.orders)
    collected = next(o for o, order in hub.orders.items() if order.pickup_store)
    cancelled = next(o for o, order in hub.orders.items() if order.status.label == "cancelled")
    for order_id in (returned, collected, cancelled, "W-9999999"):
        order = _both(clients, ORDER, {"id": order_id})["order"]
        assert (order is None) == (order_id == "W-9999999")
        assert order is None or (order["timeline"] and order["crossSystem"]["records"])


def test_returns_are_the_same(clients: dict[str, TestClient]) -> None:
    pages = _pages(clients, RETURNS, "returns", {}, 3)
    assert pages[0]["totalCount"] > 0 and pages[0]["edges"][0]["node"]["lines"]
    _pages(clients, RETURNS, "returns", {"filter": {"status": ["REFUNDED", "CLOSED"]}}, 2)


def test_stock_is_the_same(clients: dict[str, TestClient]) -> None:
    skus = _pages(clients, SKUS, "skus", {}, 3)
    assert skus[0]["edges"][0]["node"]["availableToSell"]
    _pages(clients, SKUS, "skus", {"search": "a"}, 2)
    for where in ({}, {"locationKind": "STORE"}, {"stale": False}, {"stale": True}):
        _pages(clients, INVENTORY, "inventory", {"filter": where}, 3)
    locations = _both(clients, LOCATIONS)["locations"]
    assert {location["kind"] for location in locations} == {"DC", "STORE"}


def test_operations_are_the_same(clients: dict[str, TestClient]) -> None:
    operations = _both(clients, OPERATIONS)["operations"]
    assert operations["run"]["mode"] == "finished" and operations["counters"]
