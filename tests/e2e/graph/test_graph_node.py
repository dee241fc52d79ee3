"""Global ids and `node`/`nodes`, money and customers, over HTTP against the app serving
a finished run, checked against the hub that produced it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from graph_support import finished_run, gid, gql, graph_app
from starlette.testclient import TestClient

from graph.types.node import MAX_NODES


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


def _cents(money: dict[str, Any]) -> int:
    assert money["currencyCode"] == "USD"
    amount = Decimal(money["amount"])
    assert amount == amount.quantize(Decimal("0.01"))
    return int(amount * 100)


def _some_ids() -> dict[str, str]:
    """A raw id of each node type, from the hub of the finished run."""
    result, _ = finished_run()
    world = result.estate.world
    order = next(iter(result.estate.hub.ctx.orders.values()))
    ret = next(iter(result.estate.hub.ctx.returns.values()))
    sku, location = next(iter(world.dc_stock))
    return {
        "Order": order.order_id,
        "Return": ret.return_id,
        "Sku": world.skus[0].sku_id,
        "Location": world.stores[0].location_id,
        "InventoryPosition": f"{sku}@{location}",
        "Customer": order.customer_id,
    }


NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Order { legacyResourceId } ... on Return { legacyResourceId }
  ... on Sku { legacyResourceId } ... on Location { legacyResourceId }
  ... on InventoryPosition { legacyResourceId } ... on Customer { legacyResourceId } } }"""


def test_every_node_type_is_found_again_by_its_global_id(client: TestClient) -> None:
    for kind, raw in _some_ids().items():
        body = gql(client, NODE, {"id": gid(kind, raw)})
        assert "errors" not in body, body
        assert body["data"]["node"] == {
            "__typename": kind,
            "id": gid(kind, raw),
            "legacyResourceId": raw,
        }


def test_an_unknown_id_is_null_and_a_malformed_one_is_bad_user_input(
    client: TestClient,
) -> None:
    body = gql(client, NODE, {"id": gid("Order", "O-NOPE")})
    assert body["data"] == {"node": None} and "errors" not in body
    body = gql(client, NODE, {"id": "O-000001"})
    assert body["data"]["node"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "TypeName:id" in error["message"] and "Order" in error["message"]


NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


def test_nodes_answers_in_order_with_null_for_unknown_and_is_bounded(
    client: TestClient,
) -> None:
    ids = _some_ids()
    asked = [gid("Sku", ids["Sku"]), gid("Return", "R-NOPE"), gid("Order", ids["Order"])]
    body = gql(client, NODES, {"ids": asked})
    assert "errors" not in body, body
    assert body["data"]["nodes"] == [
        {"__typename": "Sku", "id": asked[0]},
        None,
        {"__typename": "Order", "id": asked[2]},
    ]
    body = gql(client, NODES, {"ids": [asked[0]] * MAX_NODES})
    assert len(body["data"]["nodes"]) == MAX_NODES
    body = gql(client, NODES, {"ids": [asked[0]] * (MAX_NODES + 1)})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


LOOKUPS = """query($order: ID!, $ret: ID!, $sku: ID!, $location: ID!, $customer: ID!) {
  order(id: $order) { legacyResourceId } return(id: $ret) { legacyResourceId }
  sku(id: $sku) { legacyResourceId } location(id: $location) { legacyResourceId }
  customer(id: $customer) { legacyResourceId } }"""


def test_root_lookups_take_global_ids_and_still_take_legacy_ones(client: TestClient) -> None:
    ids = _some_ids()
    names = {"order": "Order", "ret": "Return", "sku": "Sku", "location": "Location"}
    names["customer"] = "Customer"
    legacy = {arg: ids[kind] for arg, kind in names.items()}
    global_ = {arg: gid(kind, ids[kind]) for arg, kind in names.items()}
    by_global, by_legacy = gql(client, LOOKUPS, global_), gql(client, LOOKUPS, legacy)
    assert "errors" not in by_global, by_global
    assert by_global == by_legacy
    assert by_global["data"]["order"] == {"legacyResourceId": ids["Order"]}
    wrong = gql(client, LOOKUPS, {**global_, "order": global_["sku"]})
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "expected one of type Order" in wrong["errors"][0]["message"]


def test_filters_take_global_ids(client: TestClient) -> None:
    ids = _some_ids()
    query = """query($c: ID!) { orders(first: 100, filter: {customerId: $c}) {
      nodes { customer { legacyResourceId } } } }"""
    by_global = gql(client, query, {"c": gid("Customer", ids["Customer"])})
    assert by_global == gql(client, query, {"c": ids["Customer"]})
    customers = {o["customer"]["legacyResourceId"] for o in by_global["data"]["orders"]["nodes"]}
    assert customers == {ids["Customer"]}


ORDER_MONEY = """query($after: String) { orders(first: 40, after: $after) {
  pageInfo { hasNextPage endCursor }
  nodes { totalCents subtotalPrice { amount currencyCode } totalTax { amount currencyCode }
    totalDiscounts { amount currencyCode } totalPrice { amount currencyCode }
    totalReceived { amount currencyCode } capturedCents
    lines { quantity unitPriceCents
      originalUnitPrice { amount currencyCode } discountedUnitPrice { amount currencyCode }
      originalTotal { amount currencyCode } discountedTotal { amount currencyCode }
      totalDiscount { amount currencyCode } totalTax { amount currencyCode } } } } }"""


def test_order_totals_add_up_over_a_finished_run(client: TestClient) -> None:
    result, _ = finished_run()
    prices = {sku.sku_id: sku.price_cents for sku in result.estate.world.skus}
    after, checked = None, 0
    while True:
        page = gql(client, ORDER_MONEY, {"after": after})["data"]["orders"]
        for order in page["nodes"]:
            lines = order["lines"]
            subtotal = sum(_cents(line["discountedTotal"]) for line in lines)
            tax = sum(_cents(line["totalTax"]) for line in lines)
            assert _cents(order["subtotalPrice"]) == subtotal
            assert _cents(order["totalTax"]) == tax
            assert subtotal + tax == _cents(order["totalPrice"]) == order["totalCents"]
            assert _cents(order["totalReceived"]) == order["capturedCents"]
            discounts = 0
            for line in lines:
                original = _cents(line["originalTotal"])
                assert _cents(line["discountedUnitPrice"]) == line["unitPriceCents"]
                assert original == _cents(line["originalUnitPrice"]) * line["quantity"]
                assert original - _cents(line["totalDiscount"]) == _cents(line["discountedTotal"])
                discounts += _cents(line["totalDiscount"])
            assert _cents(order["totalDiscounts"]) == discounts
            checked += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert checked == len(result.estate.hub.ctx.orders) > 100
    assert prices  # the list prices the lines' originals come from


def test_return_and_sku_money(client: TestClient) -> None:
    result, _ = finished_run()
    ret = next(r for r in result.estate.hub.ctx.returns.values() if r.lines)
    query = """query($id: ID!, $sku: ID!) {
      return(id: $id) { refundTotalCents totalRefund { amount currencyCode }
        lines { refundCents taxCents refund { amount currencyCode } tax { amount currencyCode } } }
      sku(id: $sku) { priceCents price { amount currencyCode } } }"""
    sku = result.estate.world.skus[0]
    data = gql(client, query, {"id": ret.return_id, "sku": sku.sku_id})["data"]
    lines = data["return"]["lines"]
    assert [(_cents(x["refund"]), _cents(x["tax"])) for x in lines] == [
        (x["refundCents"], x["taxCents"]) for x in lines
    ]
    total = _cents(data["return"]["totalRefund"])
    assert total == data["return"]["refundTotalCents"] == ret.refund_total_cents
    assert _cents(data["sku"]["price"]) == sku.price_cents == data["sku"]["priceCents"]


CUSTOMER = """query($id: ID!) { order(id: $id) { id placedAt customer { id legacyResourceId
  displayName email region orders(first: 100) { totalCount nodes { id placedAt } } } } }"""


def test_an_orders_customer_with_their_orders_newest_first(client: TestClient) -> None:
    result, _ = finished_run()
    orders = result.estate.hub.ctx.orders.values()
    counts: dict[str, int] = {}
    for o in orders:
        counts[o.customer_id] = counts.get(o.customer_id, 0) + 1
    order = max(orders, key=lambda o: counts[o.customer_id])
    world = {c.customer_id: c for c in result.estate.world.customers}
    data = gql(client, CUSTOMER, {"id": order.order_id})["data"]["order"]
    customer = data["customer"]
    known = world[order.customer_id]
    assert customer["legacyResourceId"] == order.customer_id
    assert (customer["displayName"], customer["region"]) == (known.name, known.region)
    assert customer["email"].endswith("@example.com")
    assert customer["id"] == gid("Customer", order.customer_id)
    placed = customer["orders"]["nodes"]
    assert customer["orders"]["totalCount"] == counts[order.customer_id] == len(placed) > 1
    assert data["id"] in {o["id"] for o in placed}
    assert [o["placedAt"] for o in placed] == sorted((o["placedAt"] for o in placed), reverse=True)


def test_customers_are_many_distinct_synthetic_people(client: TestClient) -> None:
    result, _ = finished_run()
    customers = result.estate.world.customers
    emails = {c.email for c in customers}
    assert len(emails) == len(customers)
    assert all(e.endswith("@example.com") and " " not in e for e in emails)


def test_returns_and_inventory_filters_take_global_ids(client: TestClient) -> None:
    result, _ = finished_run()
    ret = next(iter(result.estate.hub.ctx.returns.values()))
    returns = """query($o: ID!) { returns(filter: {orderId: $o}) {
      totalCount nodes { legacyResourceId } } }"""
    by_global = gql(client, returns, {"o": gid("Order", ret.order_id)})
    assert by_global == gql(client, returns, {"o": ret.order_id})
    assert ret.return_id in {r["legacyResourceId"] for r in by_global["data"]["returns"]["nodes"]}
    sku, location = next(iter(result.estate.world.dc_stock))
    stock = """query($s: ID!, $l: ID!) { inventory(filter: {skuId: $s, locationId: $l}) {
      nodes { id legacyResourceId } } }"""
    by_global = gql(client, stock, {"s": gid("Sku", sku), "l": gid("Location", location)})
    assert by_global == gql(client, stock, {"s": sku, "l": location})
    [position] = by_global["data"]["inventory"]["nodes"]
    raw = f"{sku}@{location}"
    assert position == {"id": gid("InventoryPosition", raw), "legacyResourceId": raw}


def test_an_orders_refunds_are_its_refunded_returns(client: TestClient) -> None:
    result, _ = finished_run()
    refunded: dict[str, int] = {}
    for ret in result.estate.hub.ctx.returns.values():
        if ret.refund_state == "refunded" and ret.order_id in result.estate.hub.ctx.orders:
            refunded[ret.order_id] = refunded.get(ret.order_id, 0) + ret.refund_total_cents
    assert refunded
    query = "query($id: ID!) { order(id: $id) { totalRefunded { amount currencyCode } } }"
    for order_id, cents in list(refunded.items())[:10]:
        order = gql(client, query, {"id": gid("Order", order_id)})["data"]["order"]
        assert _cents(order["totalRefunded"]) == cents, order_id
