"""A real gateway proves the federation: Hive Gateway composes the four subgraphs, each
its own uvicorn process, and cross-subgraph queries through it answer exactly what the
in-process composed server answers.

Needs node and npm; the first run installs @graphql-hive/gateway (pinned by
gateway/package-lock.json) with `npm ci`, which takes about a minute.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from graph_support import finished_run, gateway_federation, gql, graph_app
from starlette.testclient import TestClient

pytestmark = pytest.mark.gateway


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    _, out = finished_run()
    with gateway_federation(out) as url:
        yield url


@pytest.fixture(scope="module")
def composed() -> Iterator[TestClient]:
    with TestClient(graph_app()) as client:
        yield client


def _both(
    gateway: str, composed: TestClient, query: str, variables: dict[str, Any]
) -> tuple[Any, Any]:
    through_gateway = httpx2.post(
        gateway, json={"query": query, "variables": variables}, timeout=30
    ).json()
    # the answers, without `extensions.cost` (each server's own buckets and costs)
    return _answer(through_gateway), _answer(gql(composed, query, variables))


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != "extensions"}


ORDER_WITH_RETURNS_AND_STOCK = """query($id: ID!) { order(id: $id) {
  id status channel totalCents paymentState
  lines { lineNumber quantity shippedQuantity
    sku { id name category positions { locationId onHand available committed
      availableToSell source { system stale } location { id kind region } } } }
  fulfillmentLocation { id kind name }
  fulfillments { locationId location { id kind name } }
  returns { id status refundTotalCents lines { quantity sku { id name } } }
  crossSystem { inSync records { system recordId status } } } }"""

RETURN_TO_ORDER = """query($id: ID!) { return(id: $id) {
  id status location { id kind }
  order { id status lines { sku { id popularityRank } } returns { id } } } }"""

PAGES = """{ orders(first: 15, filter: {status: [SHIPPED, COLLECTED]}) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id returns { id status } lines { sku { id name } } } } }
  returns(first: 5) { totalCount nodes { id order { id channel } } }
  inventory(first: 5, filter: {locationKind: STORE}) { nodes { skuId onHand
    sku { name } location { name } } }
  operations { run { scenario finished } sla { passed } } }"""


def test_an_order_with_its_returns_and_stock_positions_matches(
    gateway: str, composed: TestClient
) -> None:
    result, _ = finished_run()
    ret = next(
        r
        for r in result.estate.hub.ctx.returns.values()
        if r.order_id in result.estate.hub.ctx.orders
    )
    via_gateway, in_process = _both(
        gateway, composed, ORDER_WITH_RETURNS_AND_STOCK, {"id": ret.order_id}
    )
    assert "errors" not in via_gateway, via_gateway
    assert via_gateway["data"]["order"]["returns"]
    # a fulfillment's location: a reference in the orders subgraph, resolved by inventory
    assert via_gateway["data"]["order"]["fulfillments"][0]["location"]["name"]
    assert via_gateway == in_process


def test_a_return_with_its_order_matches(gateway: str, composed: TestClient) -> None:
    result, _ = finished_run()
    ret = next(
        r
        for r in result.estate.hub.ctx.returns.values()
        if r.order_id in result.estate.hub.ctx.orders
    )
    via_gateway, in_process = _both(gateway, composed, RETURN_TO_ORDER, {"id": ret.return_id})
    assert "errors" not in via_gateway, via_gateway
    assert via_gateway == in_process


def test_lists_across_subgraphs_match(gateway: str, composed: TestClient) -> None:
    via_gateway, in_process = _both(gateway, composed, PAGES, {})
    assert "errors" not in via_gateway, via_gateway
    assert via_gateway == in_process


NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on Order { legacyResourceId totalPrice { amount currencyCode }
    customer { displayName email orders(first: 3) { nodes { id } } }
    returns { id totalRefund { amount } } lines { sku { id price { amount } } } }
  ... on Return { legacyResourceId order { id } lines { refund { amount } sku { name } } }
  ... on Sku { legacyResourceId name price { amount currencyCode } }
  ... on Location { legacyResourceId name }
  ... on InventoryPosition { legacyResourceId onHand sku { id } location { id } }
  ... on Customer { legacyResourceId displayName } } }"""


def test_node_and_nodes_of_every_type_match(gateway: str, composed: TestClient) -> None:
    """`node`/`nodes` are served by the orders subgraph, which returns references to the
    other subgraphs' objects; the gateway must resolve them whole."""
    result, _ = finished_run()
    world = result.estate.world
    ret = next(
        r
        for r in result.estate.hub.ctx.returns.values()
        if r.order_id in result.estate.hub.ctx.orders
    )
    sku, location = next(iter(world.dc_stock))
    raw = {
        "Order": ret.order_id,
        "Return": ret.return_id,
        "Sku": world.skus[0].sku_id,
        "Location": world.stores[0].location_id,
        "InventoryPosition": f"{sku}@{location}",
        "Customer": result.estate.hub.ctx.orders[ret.order_id].customer_id,
    }
    ids = [base64.b64encode(f"{kind}:{value}".encode()).decode() for kind, value in raw.items()]
    ids.append(base64.b64encode(b"Sku:SKU-NOPE").decode())
    via_gateway, in_process = _both(gateway, composed, NODES, {"ids": ids})
    assert "errors" not in via_gateway, via_gateway
    nodes = via_gateway["data"]["nodes"]
    assert [n and n["__typename"] for n in nodes] == [*raw, None]
    assert nodes[2]["name"] and nodes[4]["onHand"] >= 0
    assert via_gateway == in_process
    one = "query($id: ID!) { node(id: $id) { id ... on Sku { name } } }"
    via_gateway, in_process = _both(gateway, composed, one, {"id": ids[2]})
    assert via_gateway == in_process and via_gateway["data"]["node"]["name"]
