"""A settling marketplace's payouts through the API over a finished run's read model,
as `retailtwin run --out DIR` writes it and `serve --db DIR` serves it:
marketplace-settlement at a tenth (about a second to run), whose payouts the hub has
all booked by the end of the drain, some with lines paid short. What the API lists is
held to the hub's own payouts, line by line, paged both ways and filtered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graph_support import cents, gid, gql_data, graph_app
from starlette.testclient import TestClient
from test_graph_order_holds_run import finished
from test_graph_screens import _screens

from hub.model.settlement import PayoutStatus
from scenarios.twin.run_result import RunResult

SETTLED = ("scenario.scale=0.1",)

PAYOUTS = """query($first: Int, $after: String, $last: Int, $before: String,
                  $filter: PayoutFilter, $sortKey: PayoutSortKeys, $reverse: Boolean) {
  payouts(first: $first, after: $after, last: $last, before: $before, filter: $filter,
          sortKey: $sortKey, reverse: $reverse) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id settlementId channel state paidAt receivedAt bookedAt erpDocumentNumber
      deposit { amount currencyCode } lineCount unmatchedLineCount
      totalClaims { amount } totalFees { amount } totalChargebacks { amount }
      totalRefunds { amount } } } }"""

SHORT_LINES = """query($id: ID!) { payout(id: $id) { settlementId
  lines(first: 100, filter: {paidShort: true}) { totalCount
    nodes { lineId type orderReference state reconciled
      reported { amount } applied { amount } claim { amount }
      order { legacyResourceId paymentCollectedBy totalReceived { amount }
        transactions { kind status amount { amount } }
        crossSystem { inSync } } } } } }"""

LINES_BACK = """query($id: ID!, $before: String) { node(id: $id) { ... on Payout {
  lines(last: 40, before: $before) { totalCount
    pageInfo { hasPreviousPage startCursor } nodes { lineId } } } } }"""


@pytest.fixture(scope="module")
def settled() -> Iterator[tuple[RunResult, TestClient]]:
    result, db = finished("marketplace-settlement", SETTLED)
    with TestClient(graph_app(db=db)) as served:
        yield result, served


def test_the_payouts_are_the_hubs_paged_either_way_and_filtered(
    settled: tuple[RunResult, TestClient],
) -> None:
    result, client = settled
    hub = result.estate.hub.settlement.payouts
    assert len(hub) >= 3 and all(p.status == PayoutStatus.BOOKED for p in hub.values())
    forward, after = [], None
    while True:
        page = gql_data(client, PAYOUTS, first=2, after=after)["payouts"]
        assert page["totalCount"] == len(hub)
        forward += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    backward, before = [], None
    while True:
        page = gql_data(client, PAYOUTS, last=2, before=before)["payouts"]
        backward = page["nodes"] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert [p["settlementId"] for p in forward] == [p["settlementId"] for p in backward]
    # the latest paid first, by default
    assert [p["settlementId"] for p in forward] == sorted(hub, reverse=True)
    for shown in forward:
        payout = hub[shown["settlementId"]]
        assert shown["id"] == gid("Payout", payout.settlement_id)
        assert (shown["channel"], shown["state"]) == ("MARKETPLACE", "BOOKED")
        assert shown["erpDocumentNumber"] == payout.erp_document_no
        assert cents(shown["deposit"]) == payout.deposit_cents
        assert cents(shown["totalClaims"]) == payout.claims_cents
        assert (shown["lineCount"], shown["unmatchedLineCount"]) == (len(payout.lines), 0)
    received = gql_data(client, PAYOUTS, sortKey="RECEIVED_AT")["payouts"]["nodes"]
    assert [p["receivedAt"] for p in received] == sorted(p["receivedAt"] for p in forward)
    booked = gql_data(client, PAYOUTS, filter={"state": ["BOOKED"]})["payouts"]
    assert booked["totalCount"] == len(hub)
    waiting = gql_data(client, PAYOUTS, filter={"state": ["MATCHING", "POSTING", "FAILED"]})
    assert waiting["payouts"]["totalCount"] == 0
    short = gql_data(client, PAYOUTS, filter={"paidShort": True})["payouts"]["nodes"]
    assert {p["settlementId"] for p in short} == {
        p.settlement_id for p in hub.values() if p.claims_cents > 0
    }


def test_a_line_paid_short_shows_its_claim_and_its_order_paid_by_the_marketplace(
    settled: tuple[RunResult, TestClient],
) -> None:
    result, client = settled
    short_payouts = [p for p in result.estate.hub.settlement.payouts.values() if p.claims_cents]
    assert short_payouts
    for payout in short_payouts:
        shown = gql_data(client, SHORT_LINES, id=gid("Payout", payout.settlement_id))["payout"]
        expected = {
            line.line.line_id: line
            for line in payout.lines
            if (line.applied_cents or 0) > line.line.amount_cents
        }
        lines = shown["lines"]["nodes"]
        assert {line["lineId"] for line in lines} == set(expected)
        for line in lines:
            own = expected[line["lineId"]]
            assert (line["type"], line["state"], line["reconciled"]) == ("ORDER", "BOOKED", True)
            assert cents(line["reported"]) == own.line.amount_cents
            assert cents(line["applied"]) == own.applied_cents
            assert cents(line["claim"]) == own.claim_cents > 0
            order = line["order"]
            assert order["legacyResourceId"] == line["orderReference"]
            assert order["paymentCollectedBy"] == "MARKETPLACE"
            assert cents(order["totalReceived"]) == own.applied_cents
            sale = order["transactions"][0]
            assert (sale["kind"], sale["status"]) == ("SALE", "SUCCESS")
            assert cents(sale["amount"]) == own.applied_cents
            assert order["crossSystem"]["inSync"], order


def test_a_payouts_lines_page_back_from_the_end_in_the_reports_order(
    settled: tuple[RunResult, TestClient],
) -> None:
    result, client = settled
    payout = max(result.estate.hub.settlement.payouts.values(), key=lambda p: len(p.lines))
    seen: list[str] = []
    before = None
    while True:
        lines = gql_data(client, LINES_BACK, id=gid("Payout", payout.settlement_id), before=before)
        page = lines["node"]["lines"]
        assert page["totalCount"] == len(payout.lines)
        seen = [line["lineId"] for line in page["nodes"]] + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert seen == [line.line.line_id for line in payout.lines]


def test_orders_show_who_collected_their_money(settled: tuple[RunResult, TestClient]) -> None:
    result, client = settled
    orders = result.estate.hub.ctx.orders.values()
    by_gateway = next(o for o in orders if not o.paid_by_channel and o.payment_auth_id)
    refunded = next(
        ret
        for ret in result.estate.hub.ctx.returns.values()
        if ret.refund_state.value == "refunded"
        and result.estate.hub.ctx.orders[ret.order_id].paid_by_channel
    )
    text = """query($a: ID!, $b: ID!) {
      a: order(id: $a) { paymentCollectedBy transactions { kind } }
      b: order(id: $b) { paymentCollectedBy totalRefunded { amount }
        transactions { kind amount { amount } } } }"""
    data = gql_data(
        client, text, a=gid("Order", by_gateway.order_id), b=gid("Order", refunded.order_id)
    )
    assert data["a"]["paymentCollectedBy"] == "GATEWAY"
    assert data["a"]["transactions"][0]["kind"] == "AUTHORIZATION"
    assert data["b"]["paymentCollectedBy"] == "MARKETPLACE"
    kinds = [t["kind"] for t in data["b"]["transactions"]]
    assert kinds[0] == "SALE" and "REFUND" in kinds and "AUTHORIZATION" not in kinds
    assert cents(data["b"]["totalRefunded"]) >= refunded.refund_total_cents


def test_the_guides_payouts_screen_lists_the_payouts_paid_short(
    settled: tuple[RunResult, TestClient],
) -> None:
    result, client = settled
    data = gql_data(client, _screens()["Payouts"], first=10, filter={"paidShort": True})
    shown = data["payouts"]["nodes"]
    short = [p for p in result.estate.hub.settlement.payouts.values() if p.claims_cents > 0]
    assert sorted(p["settlementId"] for p in shown) == sorted(p.settlement_id for p in short)
    for payout in shown:
        lines = payout["lines"]
        claims = sum(cents(line["claim"]) for line in lines["nodes"])
        assert lines["totalCount"] > 0 and all(cents(line["claim"]) > 0 for line in lines["nodes"])
        if lines["totalCount"] == len(lines["nodes"]):
            assert claims == cents(payout["totalClaims"])
