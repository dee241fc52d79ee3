"""Each query family over HTTP against the ASGI app serving a finished run, checked
against the hub and the simulators that produced it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graph_support import finished_run, gid, gql, graph_app
from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


ORDER = """
query($id: ID!) {
  order(id: $id) {
    id status channel paymentState totalCents capturedCents invoiced erpOrderNumber
    lines { lineNumber quantity shippedQuantity openQuantity sku { id name } }
    payments { authorizationId state capturedCents }
    shipments { id kind locationId shippedAt }
    statusHistory { status at source }
    timeline { sequence kind source target delaySeconds correlationId duplicate }
    crossSystem { inSync disagreements { system field } records { system recordId status } }
    fulfillmentLocation { id kind } fulfillmentLocationId
    fulfilmentLocation { id kind } fulfilmentLocationId
    returns { id legacyResourceId status }
  }
}"""


def test_order_has_lines_money_shipment_history_timeline_and_its_systems(
    client: TestClient,
) -> None:
    result, _ = finished_run()
    order_id, hub_order = next(
        (o, order)
        for o, order in result.estate.hub.ctx.orders.items()
        if order.status.label == "shipped" and order.channel == "web"
    )
    order = gql(client, ORDER, {"id": order_id})["data"]["order"]
    assert order["status"] == "SHIPPED"
    assert order["capturedCents"] == hub_order.captured_cents > 0
    assert [line["sku"]["id"] for line in order["lines"]] == [
        gid("Sku", line.sku) for line in hub_order.lines
    ]
    assert order["payments"][0]["state"] == "CAPTURED"
    assert order["shipments"][0]["kind"] == "parcel"
    assert [h["status"] for h in order["statusHistory"]] == [
        change.status.label for change in hub_order.history
    ]
    assert order["timeline"][0]["kind"] == "order.created"
    its_returns = {r["legacyResourceId"] for r in order["returns"]}
    assert {event["correlationId"] for event in order["timeline"]} <= {order_id, *its_returns}
    systems = {record["system"] for record in order["crossSystem"]["records"]}
    assert {"erp", "wms", "payment", "web"} <= systems
    assert order["crossSystem"]["inSync"] is True
    assert order["fulfillmentLocation"] == {"id": gid("Location", hub_order.location), "kind": "DC"}
    assert order["fulfillmentLocationId"] == hub_order.location
    # the British names, deprecated, still answer the same
    assert order["fulfilmentLocation"] == order["fulfillmentLocation"]
    assert order["fulfilmentLocationId"] == order["fulfillmentLocationId"]


def test_a_missing_order_is_null_not_an_error(client: TestClient) -> None:
    body = gql(client, ORDER, {"id": "W-9999999"})
    assert body["data"] == {"order": None} and "errors" not in body


def test_orders_page_with_filters_and_cursors(client: TestClient) -> None:
    result, _ = finished_run()
    query = """query($after: String, $filter: OrderFilter) {
      orders(first: 7, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id status channel placedAt fulfillmentLocationId } } } }"""
    first = gql(client, query)["data"]["orders"]
    assert first["totalCount"] == len(result.estate.hub.ctx.orders)
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    second = gql(client, query, {"after": first["pageInfo"]["endCursor"]})["data"]["orders"]
    assert second["pageInfo"]["hasPreviousPage"]
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert len(set(ids)) == 14

    marketplace = sum(
        1 for o in result.estate.hub.ctx.orders.values() if o.channel == "marketplace"
    )
    filtered = gql(client, query, {"filter": {"channel": ["MARKETPLACE"]}})["data"]["orders"]
    assert filtered["totalCount"] == marketplace
    assert {e["node"]["channel"] for e in filtered["edges"]} == {"MARKETPLACE"}

    cancelled = sum(
        1 for o in result.estate.hub.ctx.orders.values() if o.status.label == "cancelled"
    )
    by_status = gql(client, query, {"filter": {"status": ["CANCELLED"]}})["data"]["orders"]
    assert by_status["totalCount"] == cancelled

    dc = next(
        o.location for o in result.estate.hub.ctx.orders.values() if o.location.startswith("DC")
    )
    at_dc = sum(
        1 for o in result.estate.hub.ctx.orders.values() if dc in (o.location, o.pickup_store)
    )
    by_location = gql(client, query, {"filter": {"locationId": dc}})["data"]["orders"]
    assert by_location["totalCount"] == at_dc

    window = {"placedAfter": "2025-11-28T06:00:00Z", "placedBefore": "2025-11-28T08:00:00Z"}
    in_window = sum(
        1 for o in result.estate.hub.ctx.orders.values() if 6 * 3600 <= o.placed_at < 8 * 3600
    )
    timed = gql(client, query, {"filter": window})["data"]["orders"]
    assert timed["totalCount"] == in_window > 0


def test_a_foreign_cursor_is_a_clear_error(client: TestClient) -> None:
    body = gql(client, '{ orders(after: "bm90LWEtY3Vyc29y") { totalCount } }')
    assert body["data"] is None
    assert "not a cursor of this orders list" in body["errors"][0]["message"]
    body = gql(client, "{ orders(first: 500) { totalCount } }")
    assert "first: expected 1 to 100" in body["errors"][0]["message"]


def test_returns_with_lines_refund_and_their_order(client: TestClient) -> None:
    result, _ = finished_run()
    return_id, ret = next(
        (r, ret)
        for r, ret in result.estate.hub.ctx.returns.items()
        if ret.status.label == "closed" and ret.channel != "store"
    )
    body = gql(
        client,
        """query($id: ID!) { return(id: $id) {
        id status grade disposition refundState refundTotalCents creditMemoNumber
        lines { sku { id } quantity refundCents } order { id status }
        statusHistory { status } timeline { kind } } }""",
        {"id": return_id},
    )
    got = body["data"]["return"]
    assert got["status"] == "CLOSED" and got["creditMemoNumber"] == ret.credit_memo_no
    assert got["order"]["id"] == gid("Order", ret.order_id)
    assert got["refundTotalCents"] == ret.refund_total_cents
    page = gql(client, "{ returns(first: 100) { totalCount nodes { id } } }")["data"]["returns"]
    assert page["totalCount"] == len(result.estate.hub.ctx.returns)


def test_inventory_speaks_shopify_quantities_with_provenance(client: TestClient) -> None:
    body = gql(
        client,
        """{ inventory(first: 100, filter: {locationKind: DC}) {
        totalCount nodes { skuId locationId onHand available committed unavailable reserved
          damaged safetyStock qualityControl incoming availableToSell
          source { system sequence stale } location { kind } } } }""",
    )
    positions = body["data"]["inventory"]["nodes"]
    assert positions
    for p in positions:
        assert p["onHand"] == p["available"] + p["committed"] + p["unavailable"]
        assert p["unavailable"] == (
            p["reserved"] + p["damaged"] + p["safetyStock"] + p["qualityControl"]
        )
        assert p["availableToSell"] == max(0, p["available"])
        assert p["source"]["system"] == "wms" and p["location"]["kind"] == "DC"
    result, _ = finished_run()
    sku = result.estate.world.skus[0].sku_id
    availability = gql(
        client,
        """query($id: ID!) { sku(id: $id) { id name
        availableToSell(channel: WEB) { channel available channelView inSync lastFeedAt }
        positions { locationId onHand } } }""",
        {"id": sku},
    )["data"]["sku"]
    web = availability["availableToSell"][0]
    assert web["channel"] == "WEB"
    assert web["available"] == result.estate.hub.availability.ats_ship(sku)
    assert web["channelView"] == result.estate.storefront.ship_view.get(sku, 0)


def test_operations_report_the_run_and_its_sla(client: TestClient) -> None:
    body = gql(
        client,
        """{ operations { simTime run { scenario mode finished passed }
        lanes { system queueDepth breaker } deadLetters { depth total }
        syncLag { scope name count p95Seconds } reconciliation { runs driftCorrected }
        sla { final passed results { name passed } invariants { name passed } }
        faults { id } } }""",
    )
    ops = body["data"]["operations"]
    assert ops["run"] == {
        "scenario": "steady-day",
        "mode": "finished",
        "finished": True,
        "passed": True,
    }
    assert {lane["system"] for lane in ops["lanes"]} >= {"erp", "wms", "payment"}
    assert ops["sla"]["final"] and ops["sla"]["passed"]
    assert {i["name"] for i in ops["sla"]["invariants"]} >= {"no_lost_order", "exactly_once"}
    scopes = {(lag["scope"], lag["name"]) for lag in ops["syncLag"]}
    assert {
        ("channel", "web"),
        ("channel", "marketplace"),
        ("source", "wms"),
        ("source", "pos"),
    } <= scopes


def test_healthz_and_prometheus_metrics(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["mode"] == "finished"
    gql(client, "{ __typename }")
    text = client.get("/metrics").text
    assert 'retailtwin_graphql_requests_total{operation="query",outcome="ok"}' in text
    assert "retailtwin_sim_time_seconds 64800.0" in text
    assert 'retailtwin_lane_queue_depth{system="erp"} 0.0' in text


def test_graphiql_is_served_to_a_browser(client: TestClient) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_a_store_sale_return_has_no_order(client: TestClient) -> None:
    result, _ = finished_run()
    ret = next(r for r in result.estate.hub.ctx.returns.values() if r.channel == "store")
    body = gql(
        client,
        "query($id: ID!) { return(id: $id) { channel orderId order { id } } }",
        {"id": ret.return_id},
    )
    assert body["data"]["return"] == {"channel": "STORE", "orderId": ret.order_id, "order": None}


def test_metrics_count_operations_by_outcome() -> None:
    """`ok`; `error` when execution answers with errors; `rejected` when the document
    never got to execution (it fails validation: 400, no `data`)."""
    with TestClient(graph_app()) as fresh:
        gql(fresh, "{ __typename }")
        failed = gql(fresh, '{ orders(after: "not-a-cursor") { totalCount } }')
        assert failed["errors"] and failed["data"] is None
        gql(fresh, "{ noSuchField }", status=400)
        gql(fresh, "{ noSuchField }", status=400)
        text = fresh.get("/metrics").text
    for outcome, count in (("ok", 1), ("error", 1), ("rejected", 2)):
        sample = f'retailtwin_graphql_requests_total{{operation="query",outcome="{outcome}"}}'
        assert f"{sample} {count:.1f}" in text, text
