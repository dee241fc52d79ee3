"""A live twin behind the ASGI app: mutations with their userErrors, idempotency, the
operator's role, and subscriptions fed by the moving simulation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graph_support import gid, gql, in_stock_sku, live_app, subscriptions_open, wait_for
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from scenarios.live.twin import LiveTwin

CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id legacyResourceId status channel lines { sku { legacyResourceId } quantity } }
  userErrors { field message code } } }"""


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[TestClient, LiveTwin]]:
    app, twin = live_app()
    with TestClient(app) as client:
        yield client, twin


def _create(
    client: TestClient, key: str, lines: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = gql(
        client, CREATE, {"input": {"idempotencyKey": key, "lines": lines, **extra}}
    )
    return payload["data"]["orderCreate"]


def test_order_create_enters_through_the_storefront_and_reaches_the_hub(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    sku = in_stock_sku(twin)
    created = _create(client, "create-1", [{"skuId": sku, "quantity": 1}])
    assert created["userErrors"] == []
    order = created["order"]
    assert order["channel"] == "WEB"
    assert order["lines"] == [{"sku": {"legacyResourceId": sku}, "quantity": 1}]
    ref = order["legacyResourceId"]
    assert ref in twin.result.estate.storefront.orders  # placed where customers place
    assert ref in twin.result.estate.hub.ctx.orders  # and carried to the hub
    query = '{ order(id: "%s") { timeline { kind source target } } }' % order["id"]  # noqa: UP031
    timeline = gql(client, query)["data"]["order"]["timeline"]
    assert timeline[0] == {"kind": "order.created", "source": "web", "target": "hub"}


def _alike(twin: LiveTwin, ref: str) -> list[str]:
    """Orders placed since `ref` with its customer and lines. The day goes on between
    two requests, so simulated customers place orders of their own: counting every
    order would count theirs (and earlier tests placed alike orders on this twin)."""
    placed = twin.result.estate.storefront.orders
    mine = placed[ref]
    return [
        o.ref
        for o in placed.values()
        if o.placed_at >= mine.placed_at
        and o.customer_id == mine.customer_id
        and o.lines == mine.lines
    ]


def test_order_create_is_idempotent(live: tuple[TestClient, LiveTwin]) -> None:
    client, twin = live
    sku = in_stock_sku(twin)
    first = _create(client, "create-twice", [{"skuId": sku, "quantity": 1}])
    ref = first["order"]["legacyResourceId"]
    assert _alike(twin, ref) == [ref]
    again = _create(client, "create-twice", [{"skuId": sku, "quantity": 1}])
    assert again["order"]["legacyResourceId"] == ref
    assert _alike(twin, ref) == [ref]
    other = _create(client, "create-twice", [{"skuId": sku, "quantity": 2}])
    assert other["order"] is None
    assert other["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert _alike(twin, ref) == [ref]


def test_order_create_says_which_lines_cannot_be_had(live: tuple[TestClient, LiveTwin]) -> None:
    client, twin = live
    sku = in_stock_sku(twin)
    bad = _create(
        client, "create-bad", [{"skuId": "SKU-NOPE", "quantity": 1}, {"skuId": sku, "quantity": 0}]
    )
    assert bad["order"] is None
    assert {(tuple(e["field"]), e["code"]) for e in bad["userErrors"]} == {
        (("input", "lines", "0", "skuId"), "UNKNOWN_SKU"),
        (("input", "lines", "1", "quantity"), "BAD_QUANTITY"),
    }
    have = twin.result.estate.storefront.ship_view.get(sku, 0)
    short = _create(client, "create-short", [{"skuId": sku, "quantity": min(100, have + 1)}])
    if have + 1 <= 100:
        error = short["userErrors"][0]
        assert error["code"] == "INSUFFICIENT_STOCK" and sku in error["message"]
        assert error["field"] == ["input", "lines", "0", "quantity"]
    collect = _create(client, "create-cc", [{"skuId": sku, "quantity": 1}], channel="CLICK_COLLECT")
    assert collect["userErrors"][0]["field"] == ["input", "pickupStoreId"]


def test_cancel_and_return_rules(live: tuple[TestClient, LiveTwin]) -> None:
    client, twin = live
    cancel = """mutation($input: OrderCancelInput!) { orderCancel(input: $input) {
        order { id status } userErrors { field code message } } }"""
    missing = gql(client, cancel, {"input": {"idempotencyKey": "c0", "orderId": "W-NOPE"}})
    assert missing["data"]["orderCancel"]["userErrors"][0]["code"] == "NOT_FOUND"
    sku = in_stock_sku(twin)
    made = _create(client, "to-cancel", [{"skuId": sku, "quantity": 1}])
    order_id = made["order"]["legacyResourceId"]
    ret = """mutation($input: ReturnRequestInput!) { returnRequest(input: $input) {
        return { id status order { id } } userErrors { field code message } } }"""
    early = gql(
        client,
        ret,
        {
            "input": {
                "idempotencyKey": "r-early",
                "orderId": order_id,
                "lines": [{"skuId": sku, "quantity": 1}],
            }
        },
    )
    early_errors = early["data"]["returnRequest"]["userErrors"]
    order_status = twin.result.estate.hub.ctx.orders[order_id].status.label
    if order_status not in ("shipped", "collected"):
        assert early_errors[0]["code"] == "ORDER_NOT_RETURNABLE"
    cancelled = gql(client, cancel, {"input": {"idempotencyKey": "c1", "orderId": order_id}})
    body = cancelled["data"]["orderCancel"]
    if body["userErrors"]:  # the warehouse was quicker than the customer
        assert body["userErrors"][0]["code"] == "ORDER_NOT_CANCELLABLE"
    else:
        wait_for(lambda: twin.result.estate.hub.ctx.orders[order_id].status.label == "cancelled")

    delivered = wait_for(
        lambda: next(
            (
                o
                for o, order in twin.result.estate.hub.ctx.orders.items()
                if order.status.label == "shipped"
                and order.channel == "web"
                and f"RMA-{o}" not in twin.result.estate.hub.ctx.returns
            ),
            None,
        )
    )
    line = twin.result.estate.hub.ctx.orders[delivered].lines[0]
    too_many = gql(
        client,
        ret,
        {
            "input": {
                "idempotencyKey": "r-many",
                "orderId": delivered,
                "lines": [{"skuId": line.sku, "quantity": line.shipped_quantity + 1}],
            }
        },
    )
    assert too_many["data"]["returnRequest"]["userErrors"][0]["code"] == "QUANTITY_NOT_RETURNABLE"
    ok = gql(
        client,
        ret,
        {
            "input": {
                "idempotencyKey": "r-ok",
                "orderId": delivered,
                "lines": [{"skuId": line.sku, "quantity": 1}],
            }
        },
    )
    made = ok["data"]["returnRequest"]
    assert made["userErrors"] == []
    assert made["return"]["order"] == {"id": gid("Order", delivered)}
    assert made["return"]["status"] in ("AUTHORIZED", "RECEIVED", "INSPECTED", "REFUNDED", "CLOSED")


def test_a_refused_request_leaves_its_key_free_and_a_cancel_keeps_its_reason(
    live: tuple[TestClient, LiveTwin],
) -> None:
    """A request refused with a userError changed nothing, so its key is not spent: the
    corrected request under the same key acts. The cancellation's reason is what the
    customer's channel records, and the order's cross-system view shows it."""
    client, twin = live
    cancel = """mutation($input: OrderCancelInput!) { orderCancel(input: $input) {
        order { id } userErrors { code } } }"""
    key = "cancel-after-a-typo"
    typo = gql(client, cancel, {"input": {"idempotencyKey": key, "orderId": "W-TYPO"}})
    assert typo["data"]["orderCancel"]["userErrors"] == [{"code": "NOT_FOUND"}]
    # the warehouse is down, so the order cannot be picked before the customer cancels
    inject = """mutation($input: FaultInjectInput!) { faultInject(input: $input) {
        fault { id } userErrors { code message } } }"""
    outage = {"idempotencyKey": "wms-down-for-cancel", "action": "START", "target": "wms"}
    started = gql(client, inject, {"input": {**outage, "kind": "OUTAGE"}}, key="op-key")
    fault = started["data"]["faultInject"]
    assert fault["userErrors"] == [], fault
    try:
        sku = in_stock_sku(twin)
        made = _create(client, "to-cancel-with-reason", [{"skuId": sku, "quantity": 1}])
        order_id = made["order"]["legacyResourceId"]
        reason = "found it cheaper elsewhere"
        body = gql(
            client,
            cancel,
            {"input": {"idempotencyKey": key, "orderId": order_id, "reason": reason}},
        )["data"]["orderCancel"]
    finally:
        end = {"idempotencyKey": "wms-up-again", "action": "END", "faultId": fault["fault"]["id"]}
        gql(client, inject, {"input": end}, key="op-key")
    assert body["userErrors"] == []  # not IDEMPOTENCY_KEY_REUSED: the refusal stored nothing
    assert twin.result.estate.storefront.orders[order_id].cancel_reason == reason
    query = """query($id: ID!) { order(id: $id) { crossSystem { records {
        system fields { name value } } } } }"""

    def shown() -> bool:
        records = gql(client, query, {"id": order_id})["data"]["order"]["crossSystem"]["records"]
        web = next(record for record in records if record["system"] == "web")
        return {"name": "cancel_reason", "value": reason} in web["fields"]

    assert wait_for(shown)


def test_faults_need_the_operator_and_take_effect(live: tuple[TestClient, LiveTwin]) -> None:
    client, twin = live
    inject = """mutation($input: FaultInjectInput!) { faultInject(input: $input) {
        fault { id target kind active endedAt } userErrors { field code message } } }"""
    start = {
        "idempotencyKey": "fault-1",
        "action": "START",
        "target": "link:hub->erp",
        "kind": "OUTAGE",
    }
    denied = gql(client, inject, {"input": start}, key="view-key")
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not twin.result.estate.network.is_down("hub", "erp")
    started = gql(client, inject, {"input": start}, key="op-key")["data"]["faultInject"]
    assert started["userErrors"] == [] and started["fault"]["active"]
    assert twin.result.estate.network.is_down("hub", "erp")
    end = {"idempotencyKey": "fault-1-end", "action": "END", "faultId": started["fault"]["id"]}
    ended = gql(client, inject, {"input": end}, key="op-key")["data"]["faultInject"]
    assert ended["fault"]["active"] is False and ended["fault"]["endedAt"]
    assert not twin.result.estate.network.is_down("hub", "erp")
    unknown = gql(
        client,
        inject,
        {"input": {**start, "idempotencyKey": "fault-2", "target": "link:hub->erpp"}},
        key="op-key",
    )["data"]["faultInject"]
    assert unknown["userErrors"][0]["code"] == "UNKNOWN_FAULT_TARGET"
    assert 'did you mean "erp"' in unknown["userErrors"][0]["message"]
    replay = gql(
        client,
        """mutation { deadLettersReplay(input: {idempotencyKey: "dl-1"}) {
        replayedCount deadLetterDepth userErrors { code } } }""",
        key="op-key",
    )
    assert replay["data"]["deadLettersReplay"]["deadLetterDepth"] == 0


def _subscribe(ws: Any, query: str, variables: dict[str, Any] | None = None) -> None:
    ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer view-key"}})
    assert ws.receive_json()["type"] == "connection_ack"
    ws.send_json(
        {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}
    )


def test_order_updated_streams_the_simulation_moving_an_order(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    # an order can be over before its answer comes back (cancelled by the stock it
    # missed, at 1800x): then there is nothing to stream, so watch the next one
    for attempt in range(5):
        sku = in_stock_sku(twin)
        order = _create(client, f"watched-{attempt}", [{"skuId": sku, "quantity": 1}])["order"]
        if order["status"] not in ("SHIPPED", "CANCELLED"):
            break
    seen = [order["status"]]
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        _subscribe(
            ws,
            "subscription($id: ID!) { orderUpdated(id: $id) { id status } }",
            {"id": order["id"]},
        )
        # a subscription sends nothing until something changes: what changed before the
        # server registered it is read once it has (else a loaded machine waits forever)
        wait_for(lambda: subscriptions_open(client.get("/metrics").text) >= 1)
        now = gql(client, "query($id: ID!) { order(id: $id) { status } }", {"id": order["id"]})
        if now["data"]["order"]["status"] != seen[-1]:
            seen.append(now["data"]["order"]["status"])
        while seen[-1] not in ("SHIPPED", "CANCELLED") and len(seen) < 30:
            message = ws.receive_json()
            assert message["type"] == "next", message
            assert message["payload"]["data"]["orderUpdated"]["id"] == order["id"]
            seen.append(message["payload"]["data"]["orderUpdated"]["status"])
    assert seen[-1] in ("SHIPPED", "CANCELLED"), seen
    assert len(set(seen)) > 1


def test_sla_breached_is_pushed_when_a_threshold_is_crossed() -> None:
    app, _ = live_app(overrides=("sla.order_to_erp_p95=0.01",))
    with (
        TestClient(app) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        _subscribe(ws, "subscription { slaBreached { name value threshold bound at } }")
        message = ws.receive_json()
        breach = message["payload"]["data"]["slaBreached"]
        assert breach["name"] == "order_to_erp_p95_s"
        assert breach["value"] > breach["threshold"] == 0.01


def test_a_websocket_with_an_unknown_key_is_refused(live: tuple[TestClient, LiveTwin]) -> None:
    client, _ = live
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4403


def test_inventory_changed_follows_a_sku_the_simulation_sells(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    sku = in_stock_sku(twin, 2)
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        _subscribe(
            ws,
            """subscription($sku: ID!) { inventoryChanged(skuId: $sku) {
            id positions(locationKind: DC) { locationId onHand committed } } }""",
            {"sku": sku},
        )
        _create(client, "watch-stock", [{"skuId": sku, "quantity": 1}])
        message = ws.receive_json()
        assert message["type"] == "next", message
        changed = message["payload"]["data"]["inventoryChanged"]
        assert changed["id"] == gid("Sku", sku) and changed["positions"]


def test_a_subscription_to_an_unknown_id_is_an_error_at_once(
    live: tuple[TestClient, LiveTwin],
) -> None:
    """Not a subscription that stays silent forever: a typo in an id says so."""
    client, _ = live
    for query, field in (
        ('subscription { orderUpdated(id: "W-NOPE") { id } }', "no order 'W-NOPE'"),
        ('subscription { inventoryChanged(skuId: "SKU-NOPE") { id } }', "no SKU 'SKU-NOPE'"),
    ):
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            _subscribe(ws, query)
            message = ws.receive_json()
            assert message["type"] == "next" and message["payload"]["data"] is None
            error = message["payload"]["errors"][0]
            assert field in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT"
            assert ws.receive_json() == {"id": "1", "type": "complete"}


def test_operations_updated_pushes_each_new_snapshot_as_the_day_moves(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, _ = live
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        _subscribe(
            ws,
            "subscription { operationsUpdated { simTime run { simTime finished } "
            "lanes { system } } }",
        )
        pushed = []
        for _ in range(3):
            message = ws.receive_json()
            assert message["type"] == "next", message
            pushed.append(message["payload"]["data"]["operationsUpdated"])
    times = [snapshot["simTime"] for snapshot in pushed]
    assert times == sorted(times) and times[0] < times[-1], times
    assert all(snapshot["run"]["finished"] is False for snapshot in pushed)
    # the same figures the `operations` query gives
    assert (
        pushed[-1]["lanes"]
        == gql(client, "{ operations { lanes { system } } }")["data"]["operations"]["lanes"]
    )
