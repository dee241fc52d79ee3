"""Held orders and an order's tax through the API, over a small read model written row
by row: `Order.fraudReview` and `Order.tax` say what the record holds (money with its
currency, nulls where nothing is known yet), `OrderFilter.held` and `fraudReviewState`
list exactly the matching orders, paged both ways in any sort order, bad values are the
client's errors, and a read model written before these columns existed is served with
every order unscreened and untaxed, filters included, and left as it was."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import gql, graph_app
from graphql import parse
from starlette.testclient import TestClient

from graph.cost import requested_cost
from graph.schema import composed_schema
from graph.types.order_holds import FraudReviewState, TaxState
from hub.adapters.read_model import ReadModel, sqlite_url
from hub.adapters.read_model.projection import OrderSnapshot, order_fingerprint, order_snapshot
from hub.adapters.read_model.records import OrderRecord
from hub.model.fraud import HELD, ReviewState
from hub.model.order import Order, OrderLine
from hub.model.tax import TaxState as HubTaxState

#: (review state, case, decided at, tax state, estimated, liability) per order
HOLDS: list[tuple[str, str, float, str, bool, int]] = [
    ("none", "", -1.0, "none", False, 0),
    ("screening", "", -1.0, "quoted", False, 0),
    ("cleared", "", -1.0, "committed", False, 1234),
    ("in_review", "case_0000001", -1.0, "estimated", True, 0),
    ("approved", "case_0000002", 700.0, "committed", True, 987),
    ("rejected", "case_0000003", 800.0, "quoted", False, 0),
    ("in_review", "case_0000004", -1.0, "quoting", False, 0),
    ("screening", "", -1.0, "estimated", True, 0),
    ("cleared", "", -1.0, "quoted", False, 0),
    ("in_review", "case_0000005", -1.0, "quoted", False, 0),
    ("approved", "case_0000006", 900.0, "quoted", False, 0),
    ("screening", "", -1.0, "none", False, 0),
]
#: held, in the list's default order (newest first)
HELD_IDS = [f"W-{n:04d}" for n in reversed(range(len(HOLDS))) if HOLDS[n][0] in HELD]


def snapshot(n: int) -> OrderSnapshot:
    review, case, decided, tax, estimated, liability = HOLDS[n]
    cancelled = review == "rejected"
    record = OrderRecord(
        id=f"W-{n:04d}",
        channel="web",
        channel_order_id=f"W-{n:04d}",
        customer_id="C-1",
        status="cancelled" if cancelled else "received",
        status_rank=90 if cancelled else 10,
        placed_at=float(100 * n),
        received_at=float(100 * n + 1),
        location="",
        pickup_store="",
        payment_state="voided" if cancelled else "authorised",
        captured_cents=0,
        # ties in threes on the total, so a sort by it pages through equal values
        total_cents=1000 * (n % 3),
        erp_order_no="",
        invoiced=False,
        cancel_reason="fraud" if cancelled else "",
        exception="",
        version=1,
        updated_at=float(100 * n + 5),
        review_state=review,
        review_case=case,
        review_decided_at=decided,
        tax_state=tax,
        tax_estimated=estimated,
        tax_liability_cents=liability,
    )
    return OrderSnapshot(record, [], [], [], [])


async def _write(path: Path) -> None:
    read_model = ReadModel.open(sqlite_url(path))
    try:
        await read_model.create_schema()
        await read_model.write_orders([snapshot(n) for n in range(len(HOLDS))])
    finally:
        await read_model.dispose()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("holds") / "read_model.sqlite"
    asyncio.run(_write(path))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(graph_app(db=db)) as served:
        yield served


def data(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = gql(client, query, variables)
    assert "errors" not in body, body
    return body["data"]


ORDERS = """query($filter: OrderFilter, $sortKey: OrderSortKeys, $reverse: Boolean! = false,
    $first: Int, $after: String, $last: Int, $before: String) {
  orders(filter: $filter, sortKey: $sortKey, reverse: $reverse, first: $first, after: $after,
         last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { legacyResourceId fraudReview { state held } }
  }
}"""


def ids(page: dict[str, Any]) -> list[str]:
    return [node["legacyResourceId"] for node in page["nodes"]]


def test_an_order_shows_its_review_and_its_tax(client: TestClient) -> None:
    query = """{ nodes: orders(first: 20, sortKey: ID) { nodes { legacyResourceId status
        fraudReview { state held caseId decidedAt }
        tax { state estimated committedLiability { amount currencyCode } } } } }"""
    by_id = {o["legacyResourceId"]: o for o in data(client, query)["nodes"]["nodes"]}
    assert by_id["W-0004"]["fraudReview"] == {
        "state": "APPROVED",
        "held": False,
        "caseId": "case_0000002",
        "decidedAt": "2025-11-28T00:11:40+00:00",
    }
    assert by_id["W-0004"]["tax"] == {
        "state": "COMMITTED",
        "estimated": True,
        "committedLiability": {"amount": "9.87", "currencyCode": "USD"},
    }
    in_review = by_id["W-0003"]
    assert in_review["fraudReview"] == {
        "state": "IN_REVIEW",
        "held": True,
        "caseId": "case_0000001",
        "decidedAt": None,
    }
    # estimated, not committed yet: no liability filed
    assert in_review["tax"] == {"state": "ESTIMATED", "estimated": True, "committedLiability": None}
    rejected = by_id["W-0005"]
    assert rejected["status"] == "CANCELLED" and rejected["fraudReview"]["state"] == "REJECTED"
    assert by_id["W-0000"]["fraudReview"] == {
        "state": "NONE",
        "held": False,
        "caseId": None,
        "decidedAt": None,
    }
    assert by_id["W-0002"]["tax"]["committedLiability"] == {
        "amount": "12.34",
        "currencyCode": "USD",
    }


def test_the_held_orders_are_one_request(client: TestClient) -> None:
    page = data(client, ORDERS, {"filter": {"held": True}, "first": 50})["orders"]
    assert ids(page) == HELD_IDS and page["totalCount"] == len(HELD_IDS) == 6
    assert all(n["fraudReview"]["held"] for n in page["nodes"])
    free = data(client, ORDERS, {"filter": {"held": False}, "first": 50})["orders"]
    assert free["totalCount"] == len(HOLDS) - len(HELD_IDS)
    assert not set(ids(free)) & set(HELD_IDS)


def test_orders_filter_by_review_state_and_with_the_other_filters(client: TestClient) -> None:
    states = {"filter": {"fraudReviewState": ["APPROVED", "REJECTED"]}, "first": 50}
    page = data(client, ORDERS, states)["orders"]
    assert ids(page) == ["W-0010", "W-0005", "W-0004"]
    assert {n["fraudReview"]["state"] for n in page["nodes"]} == {"APPROVED", "REJECTED"}
    both = {"filter": {"fraudReviewState": ["IN_REVIEW"], "held": True}, "first": 50}
    assert ids(data(client, ORDERS, both)["orders"]) == ["W-0009", "W-0006", "W-0003"]
    none_held = {"filter": {"fraudReviewState": ["CLEARED"], "held": True}, "first": 50}
    assert data(client, ORDERS, none_held)["orders"]["totalCount"] == 0
    rejected = {"filter": {"status": ["CANCELLED"], "held": False}, "first": 50}
    assert ids(data(client, ORDERS, rejected)["orders"]) == ["W-0005"]


def _walk(client: TestClient, variables: dict[str, Any], backward: bool) -> list[str]:
    """Every item of a list, two at a time, from the front or from the back."""
    seen: list[str] = []
    cursor: str | None = None
    while True:
        if backward:
            args = {**variables, "last": 2, "before": cursor}
        else:
            args = {**variables, "first": 2, "after": cursor}
        page = data(client, ORDERS, args)["orders"]
        seen = ids(page) + seen if backward else seen + ids(page)
        info = page["pageInfo"]
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        if not more:
            return seen
        cursor = info["startCursor"] if backward else info["endCursor"]


@pytest.mark.parametrize(
    ("sort_key", "reverse"),
    [(None, False), ("TOTAL_PRICE", False), ("TOTAL_PRICE", True), ("UPDATED_AT", False)],
)
def test_the_held_orders_page_the_same_both_ways(
    client: TestClient, sort_key: str | None, reverse: bool
) -> None:
    variables = {"filter": {"held": True}, "sortKey": sort_key, "reverse": reverse}
    whole = ids(data(client, ORDERS, {**variables, "first": 50})["orders"])
    assert sorted(whole) == sorted(HELD_IDS)
    assert _walk(client, variables, backward=False) == whole
    assert _walk(client, variables, backward=True) == whole


def test_bad_values_are_the_client_s_errors(client: TestClient) -> None:
    # a variable of the wrong kind is refused as the request's error, never a 500
    for bad in ({"fraudReviewState": ["ON_HOLD"]}, {"held": "yes"}, {"fraudReviewState": "X"}):
        body = gql(client, ORDERS, {"filter": bad})
        assert body.get("data") is None and body["errors"], body
        assert "$filter" in body["errors"][0]["message"], body
    inline = gql(client, "{ orders(filter: {held: 3}) { totalCount } }", status=400)
    assert "Boolean" in inline["errors"][0]["message"], inline


def test_review_and_tax_cost_as_objects() -> None:
    schema = composed_schema()._schema
    query = """{ orders(first: 10) { nodes { id fraudReview { state held }
        tax { state committedLiability { amount } } } } }"""
    # a connection 2, and per order the order 1, its review 1, its tax 1 and the money 1
    assert requested_cost(schema, parse(query)) == 2 + 10 * (1 + 1 + 1 + 1)


def test_the_api_s_enums_are_the_hub_s_states() -> None:
    assert [(s.name, s.value) for s in FraudReviewState] == [(s.name, s.value) for s in ReviewState]
    assert [(s.name, s.value) for s in TaxState] == [(s.name, s.value) for s in HubTaxState]


def test_a_review_or_a_tax_answer_alone_is_projected_again() -> None:
    """Neither moves the order's status or version, so the fingerprint must see them."""
    order = Order("W-1", "web", "W-1", "C-1", 0.0, 0.0, [OrderLine(1, "SKU-A", 1, 1000, 200)])
    seen = {order_fingerprint(order, 0)}
    order.review_state = ReviewState.IN_REVIEW
    order.review_case = "case_1"
    seen.add(order_fingerprint(order, 0))
    order.review_decided_at = 50.0
    seen.add(order_fingerprint(order, 0))
    order.tax_state = HubTaxState.COMMITTED
    seen.add(order_fingerprint(order, 0))
    order.tax_liability_cents = 321
    seen.add(order_fingerprint(order, 0))
    assert len(seen) == 5
    record = order_snapshot(order, 0, 60.0).order
    assert (record.review_state, record.review_case, record.review_decided_at) == (
        "in_review",
        "case_1",
        50.0,
    )
    assert (record.tax_state, record.tax_estimated, record.tax_liability_cents) == (
        "committed",
        False,
        321,
    )
    assert type(record.review_state) is str and type(record.tax_state) is str


NEW_COLUMNS = (
    "review_state",
    "review_case",
    "review_decided_at",
    "tax_state",
    "tax_estimated",
    "tax_liability_cents",
)


def _older(db: Path, tmp_path: Path) -> Path:
    """The read model as a version before fraud screens and tax engines wrote it."""
    old = tmp_path / "older.sqlite"
    shutil.copy(db, old)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP INDEX ix_orders_review_state")
        for column in NEW_COLUMNS:
            conn.execute(f"ALTER TABLE orders DROP COLUMN {column}")
    return old


def _columns(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[1] for row in conn.execute("PRAGMA table_info(orders)")]


def test_an_older_read_model_shows_every_order_unscreened_and_untaxed(
    db: Path, tmp_path: Path
) -> None:
    old = _older(db, tmp_path)
    before = _columns(old)
    assert not set(NEW_COLUMNS) & set(before)
    with TestClient(graph_app(db=old)) as served:
        everything = data(served, ORDERS, {"first": 50})["orders"]
        assert everything["totalCount"] == len(HOLDS)
        assert {n["fraudReview"]["state"] for n in everything["nodes"]} == {"NONE"}
        order = data(
            served,
            """{ order(id: "W-0004") { fraudReview { state held caseId decidedAt }
                tax { state estimated committedLiability { amount } } } }""",
        )["order"]
        assert order["fraudReview"] == {
            "state": "NONE",
            "held": False,
            "caseId": None,
            "decidedAt": None,
        }
        assert order["tax"] == {"state": "NONE", "estimated": False, "committedLiability": None}
        # the filters answer as over orders that were never screened
        held = data(served, ORDERS, {"filter": {"held": True}, "first": 50})["orders"]
        assert held["totalCount"] == 0 and held["nodes"] == []
        free = {"filter": {"held": False}, "sortKey": "TOTAL_PRICE"}
        whole = ids(data(served, ORDERS, {**free, "first": 50})["orders"])
        assert len(whole) == len(HOLDS)
        assert _walk(served, free, backward=True) == whole
        unscreened = {"filter": {"fraudReviewState": ["NONE"], "channel": ["WEB"]}, "first": 50}
        assert data(served, ORDERS, unscreened)["orders"]["totalCount"] == len(HOLDS)
        approved = {"filter": {"fraudReviewState": ["APPROVED"]}, "first": 50}
        assert data(served, ORDERS, approved)["orders"]["totalCount"] == 0
    assert _columns(old) == before  # served, not changed
