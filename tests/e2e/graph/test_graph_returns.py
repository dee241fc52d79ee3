"""Several returns of one order, requested through the API of a live twin: each gets its
own id and goes the whole way (authorised, received, refunded, credited), and a return
of more than is left to return is refused with a userError that says how much is left.

A customer sends one line back now and another next week; a frontend calls
`returnRequest` once for each. Nothing the API accepts may be lost on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graph_support import gid, gql, live_app, wait_for
from starlette.testclient import TestClient

from hub.model.order import FULFILLED, OrderStatus
from hub.model.returns import ReturnStatus
from scenarios.live.twin import LiveTwin

CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { legacyResourceId } userErrors { field message code } } }"""
RETURN = """mutation($input: ReturnRequestInput!) { returnRequest(input: $input) {
  return { legacyResourceId status order { legacyResourceId }
    lines { sku { legacyResourceId } quantity } }
  userErrors { field message code } } }"""
FAULT = """mutation($input: FaultInjectInput!) { faultInject(input: $input) {
  fault { id active } userErrors { field message code } } }"""


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[TestClient, LiveTwin]]:
    # an hour of simulated time a second, over three days so the twin outlasts the tests
    # on a loaded machine (returns take simulated hours to travel back and be inspected).
    # The twin's own web and marketplace customers return nothing: they would return the
    # orders these tests place too (a shipped order is returned at the channel's rate,
    # a few simulated hours, so a few seconds, after delivery), opening a return the
    # test did not ask for (RMA-W-...-2 while the test's first waits on a cut link, or
    # the whole of a SKU over a store counter) and taking its id or its units. Returns
    # of click-and-collect orders and store sales still come back around them.
    overrides = (
        "scenario.duration=72h",
        "demand.return_rate_web=0",
        "demand.return_rate_marketplace=0",
    )
    app, twin = live_app(overrides, speed=3600.0)
    with TestClient(app) as client:
        yield client, twin


def _two_skus(twin: LiveTwin, view: dict[str, int]) -> tuple[str, str]:
    """The two SKUs a channel's view shows the most of (at least four units each)."""

    def found() -> tuple[str, str] | None:
        skus = sorted(
            (s.sku_id for s in twin.result.estate.world.skus), key=lambda s: -view.get(s, 0)
        )
        return (skus[0], skus[1]) if view.get(skus[1], 0) >= 4 else None

    pair: tuple[str, str] = wait_for(found)
    return pair


def _delivered_order(
    client: TestClient, twin: LiveTwin, key: str, channel: str = "WEB"
) -> tuple[str, dict[str, int]]:
    """An order of two units each of two SKUs, once the hub has it delivered in full.

    The twin moves on its own: a channel's view can be stale (the order ships short), a
    card can be declined (the order is cancelled). Such an order is no use here, so
    another is placed, a few times at most."""
    seller = (
        twin.result.estate.marketplace
        if channel == "MARKETPLACE"
        else twin.result.estate.storefront
    )
    orders = twin.result.estate.hub.ctx.orders
    outcomes = []
    for attempt in range(5):
        first, second = _two_skus(twin, seller.ship_view)
        lines = [{"skuId": first, "quantity": 2}, {"skuId": second, "quantity": 2}]
        request = {"idempotencyKey": f"{key}-{attempt}", "lines": lines, "channel": channel}
        made = gql(client, CREATE, {"input": request})["data"]["orderCreate"]
        if made["userErrors"]:
            outcomes.append(made["userErrors"])
            continue
        order_id: str = made["order"]["legacyResourceId"]

        def settled(order_id: str = order_id) -> bool:
            status = orders[order_id].status
            return status in FULFILLED or status is OrderStatus.CANCELLED

        wait_for(settled, timeout_s=60.0)
        delivered = {line.sku: line.shipped_quantity for line in orders[order_id].lines}
        if orders[order_id].status in FULFILLED and set(delivered.values()) == {2}:
            return order_id, delivered
        outcomes.append(f"{order_id} {orders[order_id].status.label} {delivered}")
    raise AssertionError(f"no order was delivered in full: {outcomes}")


def _request(
    client: TestClient, key: str, order_id: str, lines: list[tuple[str, int]]
) -> dict[str, Any]:
    variables = {
        "input": {
            "idempotencyKey": key,
            # global ids here; orderCreate above still sends raw SKU ids (deprecated)
            "orderId": gid("Order", order_id),
            "lines": [{"skuId": gid("Sku", sku), "quantity": qty} for sku, qty in lines],
        }
    }
    payload: dict[str, Any] = gql(client, RETURN, variables)["data"]["returnRequest"]
    return payload


def _opened(twin: LiveTwin, order_id: str) -> list[str]:
    """Every return opened for an order, at its channel or over a store counter: what a
    failed assertion shows, to tell the test's own returns from anyone else's."""
    estate = twin.result.estate
    at_channel = [
        f"{opened.id} {list(opened.lines)} at {opened.opened_at:.0f}s"
        for channel in (estate.storefront, estate.marketplace)
        for opened in channel.returns_opened.get(order_id, ())
    ]
    at_counter = [
        f"{counter.txn} at store {counter.store} {[(sku, qty) for sku, qty, _, _ in counter.lines]}"
        for counter in estate.pos.returns
        if counter.order_ref == order_id
    ]
    return at_channel + at_counter


def _closed(twin: LiveTwin, return_ids: list[str]) -> bool:
    returns = twin.result.estate.hub.ctx.returns
    return all(rid in returns and returns[rid].status is ReturnStatus.CLOSED for rid in return_ids)


def test_each_return_of_an_order_has_its_own_id_and_is_refunded_and_credited(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    order_id, delivered = _delivered_order(client, twin, "multi-order")
    first_sku, second_sku = delivered

    now = _request(client, "multi-r1", order_id, [(first_sku, 1)])
    assert now["userErrors"] == []
    next_week = _request(client, "multi-r2", order_id, [(second_sku, 1)])
    assert next_week["userErrors"] == [], next_week
    later = _request(client, "multi-r3", order_id, [(first_sku, delivered[first_sku] - 1)])
    assert later["userErrors"] == [], later
    ids = [r["return"]["legacyResourceId"] for r in (now, next_week, later)]
    assert len(set(ids)) == 3, ids
    # the first return keeps the id it always had
    assert ids[0] == f"RMA-{order_id}", _opened(twin, order_id)
    assert next_week["return"]["lines"] == [
        {"sku": {"legacyResourceId": second_sku}, "quantity": 1}
    ]

    # a repeat of a request is the same return, not a new one
    again = _request(client, "multi-r2", order_id, [(second_sku, 1)])
    assert again["return"]["legacyResourceId"] == ids[1]

    # every unit of the first SKU is now claimed: asking for one more is refused
    more = _request(client, "multi-r4", order_id, [(second_sku, 1), (first_sku, 1)])
    assert more["return"] is None
    [error] = more["userErrors"]
    assert error["code"] == "QUANTITY_NOT_RETURNABLE"
    assert error["field"] == ["input", "lines", "1", "quantity"]
    assert first_sku in error["message"]
    assert "1 requested" in error["message"] and "0 still returnable" in error["message"]

    # each goes the whole way: its own refund and its own credit memo
    wait_for(lambda: _closed(twin, ids), timeout_s=90.0)
    hub_returns = twin.result.estate.hub.ctx.returns
    refunds = {r.reference: r.amount for r in twin.result.estate.payment.refunds}
    for rid in ids:
        assert refunds[rid] == hub_returns[rid].refund_total_cents > 0
    memos = {hub_returns[rid].credit_memo_no for rid in ids}
    assert len(memos) == 3 and "" not in memos

    def listed() -> Any:
        query = """query($id: ID!) { order(id: $id) { returns { legacyResourceId status } }
            returns(filter: {orderId: $id}) {
              totalCount edges { node { legacyResourceId status } } } }"""
        data = gql(client, query, {"id": order_id})["data"]
        returns = data["order"]["returns"]
        closed = {r["legacyResourceId"] for r in returns if r["status"] == "CLOSED"}
        return data if closed == set(ids) else None

    data = wait_for(listed)
    assert [r["legacyResourceId"] for r in data["order"]["returns"]] == ids  # oldest first
    assert data["returns"]["totalCount"] == 3
    assert {e["node"]["legacyResourceId"] for e in data["returns"]["edges"]} == set(ids)


def test_a_return_still_on_its_way_to_the_hub_counts_against_the_next(
    live: tuple[TestClient, LiveTwin],
) -> None:
    """With the storefront cut off from the hub, a return request waits on the wire; a
    second one for the same order must neither reuse its id (and be dropped as its
    duplicate when the link heals) nor claim the units it already claimed."""
    client, twin = live
    order_id, delivered = _delivered_order(client, twin, "inflight-order")
    first_sku, second_sku = delivered
    start = {"idempotencyKey": "cut-web", "action": "START", "target": "link:web->hub"}
    cut = gql(client, FAULT, {"input": {**start, "kind": "OUTAGE"}}, key="op-key")
    fault = cut["data"]["faultInject"]["fault"]
    assert fault["active"]

    one = _request(client, "inflight-r1", order_id, [(first_sku, 1)])
    two = _request(client, "inflight-r2", order_id, [(second_sku, delivered[second_sku])])
    for waiting in (one, two):
        codes = [e["code"] for e in waiting["userErrors"]]
        assert codes == ["NOT_YET_VISIBLE"], (waiting, _opened(twin, order_id))
    assert one["return"] is None and two["return"] is None
    waiting_ids = [r.id for r in twin.result.estate.storefront.returns_opened[order_id]]
    assert len(set(waiting_ids)) == 2, _opened(twin, order_id)
    over = _request(client, "inflight-r3", order_id, [(second_sku, 1)])
    [error] = over["userErrors"]
    assert error["code"] == "QUANTITY_NOT_RETURNABLE" and second_sku in error["message"], over

    end = {"idempotencyKey": "heal-web", "action": "END", "faultId": fault["id"]}
    gql(client, FAULT, {"input": end}, key="op-key")
    wait_for(lambda: _closed(twin, waiting_ids), timeout_s=90.0)
    lines = {
        rid: [(line.sku, line.quantity) for line in twin.result.estate.hub.ctx.returns[rid].lines]
        for rid in waiting_ids
    }
    assert lines == {
        waiting_ids[0]: [(first_sku, 1)],
        waiting_ids[1]: [(second_sku, delivered[second_sku])],
    }


def test_a_marketplace_order_returned_twice_has_two_returns(
    live: tuple[TestClient, LiveTwin],
) -> None:
    client, twin = live
    order_id, delivered = _delivered_order(client, twin, "mp-order", channel="MARKETPLACE")
    sku = next(iter(delivered))
    asks = [_request(client, f"mp-r{n}", order_id, [(sku, 1)]) for n in range(delivered[sku])]
    assert [a["userErrors"] for a in asks] == [[]] * delivered[sku], asks
    ids = [a["return"]["legacyResourceId"] for a in asks]
    assert ids[:2] == [f"MPR-{order_id}", f"MPR-{order_id}-2"], _opened(twin, order_id)
    assert all(
        twin.result.estate.hub.ctx.returns[rid].status is not ReturnStatus.REJECTED for rid in ids
    )
    [error] = _request(client, "mp-more", order_id, [(sku, 1)])["userErrors"]
    assert error["code"] == "QUANTITY_NOT_RETURNABLE"
    assert f"{sku}: 1 requested, 0 still returnable" in error["message"]
