"""What the order-detail screen shows beyond the order itself, over HTTP against a
finished run: the payment gateway's transactions, the fulfillments with their tracking,
and each system's record with when it was created and when it last changed. Checked
against the simulators that produced the run."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from graph_support import finished_run, gid, gql, graph_app
from starlette.testclient import TestClient

from graph.types.time import at
from hub.model.order import Order

ORDER = """
query($id: ID!) {
  order(id: $id) {
    transactions {
      id kind status amount { amount currencyCode } processedAt authorizationCode errorCode
    }
    fulfillments {
      id status locationId location { id kind } createdAt
      trackingInfo { company number url }
      fulfillmentLineItems { lineNumber skuId quantity }
    }
    shipments { id }
    crossSystem { records { system recordId recordedAt createdAt updatedAt } }
  }
}"""


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


def _orders() -> dict[str, Order]:
    return finished_run()[0].estate.hub.ctx.orders


def _order(client: TestClient, order_id: str) -> dict[str, object]:
    body = gql(client, ORDER, {"id": order_id})
    assert "errors" not in body, body
    order: dict[str, object] = body["data"]["order"]
    return order


def _iso(seconds: float) -> str:
    return at(seconds).isoformat()


def test_a_shipped_order_s_transactions_are_the_gateway_s_oldest_first(
    client: TestClient,
) -> None:
    result = finished_run()[0]
    gateway = result.estate.payment
    order_id, hub_order = next(
        (o, order) for o, order in _orders().items() if order.status.label == "shipped"
    )
    auth = gateway.authorizations[hub_order.payment_auth_id]
    capture = next(c for c in gateway.captures if c.auth_id == auth.auth_id)
    transactions = _order(client, order_id)["transactions"]
    assert isinstance(transactions, list)
    assert [(t["kind"], t["status"]) for t in transactions][:2] == [
        ("AUTHORIZATION", "SUCCESS"),
        ("CAPTURE", "SUCCESS"),
    ]
    authorization, captured = transactions[0], transactions[1]
    assert authorization["id"] == authorization["authorizationCode"] == auth.auth_id
    assert authorization["amount"] == {
        "amount": str(Decimal(auth.amount).scaleb(-2)),
        "currencyCode": "USD",
    }
    assert authorization["processedAt"] == _iso(auth.created_at)
    assert captured["id"] == capture.movement_id
    assert Decimal(captured["amount"]["amount"]) * 100 == hub_order.captured_cents
    assert captured["processedAt"] == _iso(capture.at)
    times = [t["processedAt"] for t in transactions]
    assert times == sorted(times)


def test_a_declined_card_is_a_failed_authorization_with_its_error(client: TestClient) -> None:
    gateway = finished_run()[0].estate.payment
    declined = [r for r in gateway.refusals if r.operation == "authorize"]
    assert declined, "the run declines no card: the test would pass vacuously"
    refusal = declined[0]
    transactions = _order(client, refusal.reference)["transactions"]
    assert isinstance(transactions, list)
    failed = [t for t in transactions if t["status"] == "FAILURE"]
    assert failed[0] == {
        "id": None,
        "kind": "AUTHORIZATION",
        "status": "FAILURE",
        "amount": {"amount": str(Decimal(refusal.amount).scaleb(-2)), "currencyCode": "USD"},
        "processedAt": _iso(refusal.at),
        "authorizationCode": None,
        "errorCode": "card_declined",
    }


def test_a_parcel_is_tracked_under_the_wms_shipment_number(client: TestClient) -> None:
    result = finished_run()[0]
    order_id, hub_order = next(
        (o, order)
        for o, order in _orders().items()
        if order.status.label == "shipped" and not order.pickup_store
    )
    release = result.estate.wms.releases[order_id]
    order = _order(client, order_id)
    assert order["shipments"] == [{"id": release.shipment_no}]  # deprecated, still there
    (fulfillment,) = order["fulfillments"]  # type: ignore[misc]
    assert fulfillment["id"] == release.shipment_no
    assert fulfillment["status"] == "SUCCESS"
    assert fulfillment["locationId"] == release.dc
    assert fulfillment["location"] == {"id": gid("Location", release.dc), "kind": "DC"}
    assert fulfillment["createdAt"] == _iso(release.shipped_at)
    assert fulfillment["trackingInfo"] == {
        "company": "Twin Parcel",
        "number": release.shipment_no,
        "url": f"https://track.twin-parcel.example/{release.shipment_no}",
    }
    assert fulfillment["fulfillmentLineItems"] == [
        {"lineNumber": line.line_no, "skuId": line.sku, "quantity": line.shipped_quantity}
        for line in hub_order.lines
        if line.shipped_quantity
    ]
    assert sum(x["quantity"] for x in fulfillment["fulfillmentLineItems"]) == sum(
        q for _, q in release.picked
    )


def test_a_store_collection_has_no_tracking(client: TestClient) -> None:
    result = finished_run()[0]
    order_id, hub_order = next(
        (o, order) for o, order in _orders().items() if order.status.label == "collected"
    )
    pickup = result.estate.pos.pickups[order_id]
    order = _order(client, order_id)
    (fulfillment,) = order["fulfillments"]  # type: ignore[misc]
    assert fulfillment["locationId"] == hub_order.pickup_store == pickup.store
    assert fulfillment["location"] == {"id": gid("Location", pickup.store), "kind": "STORE"}
    assert fulfillment["trackingInfo"] is None
    assert fulfillment["createdAt"] == _iso(pickup.collected_at)
    # the store's record: asked to pick it, then last changed when it was handed over
    records = order["crossSystem"]["records"]  # type: ignore[index]
    (store,) = [r for r in records if r["system"] == "pos"]
    assert store["createdAt"] == _iso(pickup.requested_at)
    assert store["updatedAt"] == store["recordedAt"] == _iso(pickup.collected_at)


def test_an_order_not_yet_shipped_has_no_fulfillment(client: TestClient) -> None:
    order_id = next(o for o, order in _orders().items() if not order.shipment_id)
    assert _order(client, order_id)["fulfillments"] == []


def test_each_system_says_when_it_created_its_record_and_when_it_last_changed_it(
    client: TestClient,
) -> None:
    result = finished_run()[0]
    erp = result.estate.erp
    # an order whose ERP sales order changed (invoiced) after it was booked
    order_id, hub_order = next(
        (o, order) for o, order in _orders().items() if order.invoiced and order.erp_order_no
    )
    document = erp.documents[hub_order.erp_order_no]
    assert document.status == "invoiced" and document.changed_at > document.booked_at
    records = _order(client, order_id)["crossSystem"]["records"]  # type: ignore[index]
    by_id = {r["recordId"]: r for r in records}
    sales_order = by_id[document.number]
    assert sales_order["createdAt"] == sales_order["recordedAt"] == _iso(document.booked_at)
    assert sales_order["updatedAt"] == _iso(document.changed_at)
    release = result.estate.wms.releases[order_id]
    wms = by_id[f"{release.dc}/{order_id}"]
    assert wms["createdAt"] == _iso(release.released_at)
    assert wms["updatedAt"] == _iso(release.shipped_at)
    auth = result.estate.payment.authorizations[hub_order.payment_auth_id]
    payment = by_id[auth.auth_id]
    assert payment["createdAt"] == _iso(auth.created_at)
    assert payment["updatedAt"] == _iso(auth.changed_at) != payment["createdAt"]
    placed = (
        result.estate.storefront.orders.get(order_id) or result.estate.marketplace.orders[order_id]
    )
    channel = by_id[placed.ref]
    assert channel["createdAt"] == _iso(placed.placed_at)
    assert channel["updatedAt"] == _iso(max(received for _, _, received in placed.notices))
    for record in records:
        assert record["updatedAt"] >= record["createdAt"], record


def test_a_return_s_refund_is_a_refund_transaction_on_its_order(client: TestClient) -> None:
    gateway = finished_run()[0].estate.payment
    assert gateway.refunds, "the run refunds nothing: the test would pass vacuously"
    refund = gateway.refunds[0]
    order_id = gateway.authorizations[refund.auth_id].reference
    transactions = _order(client, order_id)["transactions"]
    assert isinstance(transactions, list)
    refunds = [t for t in transactions if t["kind"] == "REFUND"]
    assert refunds[0]["id"] == refund.movement_id
    assert refunds[0]["authorizationCode"] == refund.auth_id
    assert Decimal(refunds[0]["amount"]["amount"]) * 100 == refund.amount
    assert transactions.index(refunds[0]) > 1  # after its authorization and capture
