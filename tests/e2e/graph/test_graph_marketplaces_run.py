"""Two marketplaces through the API over a finished run's read model (the small day of
the `ack_first_marketplace_only` control, without the defect): every MARKETPLACE order
names the marketplace it was placed on, and every payout the marketplace that paid it,
as the marketplaces' own records say."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graph_support import gql_data, graph_app
from starlette.testclient import TestClient
from test_graph_order_holds_run import finished

from scenarios.experiments.defect_controls import TWO_MARKETPLACES_DAY
from scenarios.twin.run_result import RunResult

ORDERS = """query($after: String) {
  orders(first: 100, after: $after, filter: { channel: [MARKETPLACE] }) {
    pageInfo { hasNextPage endCursor } nodes { channel channelOrderId marketplace } } }"""
PAYOUTS = "{ payouts(first: 100) { nodes { settlementId channel marketplace } } }"


@pytest.fixture(scope="module")
def two_marketplaces() -> Iterator[tuple[RunResult, TestClient]]:
    result, db = finished("steady-day", TWO_MARKETPLACES_DAY)
    with TestClient(graph_app(db=db)) as served:
        yield result, served


def test_each_order_names_its_marketplace(
    two_marketplaces: tuple[RunResult, TestClient],
) -> None:
    result, client = two_marketplaces
    shown: dict[str, str] = {}
    after = None
    while True:
        page = gql_data(client, ORDERS, after=after)["orders"]
        shown |= {node["channelOrderId"]: node["marketplace"] for node in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    placed = {ref: m.system for m in result.estate.marketplaces for ref in m.orders}
    accepted = {ref: name for ref, name in placed.items() if ref in shown}
    assert set(accepted.values()) == {"ebay", "amazon"}
    assert {ref: shown[ref] for ref in accepted} == accepted
    web = gql_data(
        client, "{ orders(first: 5, filter: { channel: [WEB] }) { nodes { marketplace } } }"
    )
    assert web["orders"]["nodes"] and all(n["marketplace"] is None for n in web["orders"]["nodes"])


def test_each_payout_names_the_marketplace_that_paid_it(
    two_marketplaces: tuple[RunResult, TestClient],
) -> None:
    result, client = two_marketplaces
    nodes = gql_data(client, PAYOUTS)["payouts"]["nodes"]
    paid = {
        p.settlement_id: m.system
        for m in result.estate.marketplaces
        if m.settlement is not None
        for p in m.settlement.payouts
        if p.reported_at >= 0
    }
    assert {n["settlementId"]: n["marketplace"] for n in nodes} == paid
    assert set(paid.values()) == {"ebay", "amazon"}
    assert {n["channel"] for n in nodes} == {"MARKETPLACE"}
