"""Held orders and an order's tax through the API over finished runs' read models, as
`retailtwin run --out DIR` writes them and `serve --db DIR` serves them: fraud-review
at a tenth, cut at 21:00 with five minutes' drain so some orders are still with the
analysts when the run ends, and tax-degraded at a tenth, whose slow engine leaves some
orders charged the channel's estimate. What the API lists is held to the hub's own
orders, order by order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import gql, graph_app, served_run
from starlette.testclient import TestClient

from hub.model.fraud import HELD, ReviewState
from hub.model.order import OrderStatus
from hub.model.tax import TaxState
from scenarios.twin.run_result import RunResult

FRAUD = ("scenario.scale=0.1", "scenario.duration=21h", "scenario.drain=5m")
TAX = ("scenario.scale=0.1",)

ORDERS = """query($filter: OrderFilter, $after: String) {
  orders(filter: $filter, first: 100, after: $after, sortKey: ID) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { legacyResourceId status
      fraudReview { state held caseId decidedAt }
      tax { state estimated committedLiability { amount currencyCode } } } } }"""


def finished(name: str, overrides: tuple[str, ...]) -> tuple[RunResult, Path]:
    """The run and its read model, written as `run --out` writes it."""
    result, out = served_run(name, overrides)
    return result, out / "read_model.sqlite"


@pytest.fixture(scope="module")
def fraud() -> Iterator[tuple[RunResult, TestClient]]:
    result, db = finished("fraud-review", FRAUD)
    with TestClient(graph_app(db=db)) as served:
        yield result, served


@pytest.fixture(scope="module")
def tax() -> Iterator[tuple[RunResult, TestClient]]:
    result, db = finished("tax-degraded", TAX)
    with TestClient(graph_app(db=db)) as served:
        yield result, served


def every_order(client: TestClient, where: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every order the filter lists, by raw id, read page by page."""
    found: dict[str, Any] = {}
    after = None
    total = None
    while True:
        body = gql(client, ORDERS, {"filter": where, "after": after})
        assert "errors" not in body, body
        page = body["data"]["orders"]
        total = page["totalCount"]
        found |= {node["legacyResourceId"]: node for node in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(found) == total
    return found


def test_the_held_orders_are_exactly_the_hub_s(fraud: tuple[RunResult, TestClient]) -> None:
    result, client = fraud
    orders = result.estate.hub.ctx.orders
    hub_held = {oid for oid, order in orders.items() if order.review_state in HELD}
    assert hub_held, "the cut run must end with orders still held for review"
    listed = every_order(client, {"held": True})
    assert set(listed) == hub_held
    for oid, node in listed.items():
        review = node["fraudReview"]
        assert review["held"] and review["state"] == orders[oid].review_state.name
        assert review["decidedAt"] is None
        if orders[oid].review_state == ReviewState.IN_REVIEW:
            assert review["caseId"] == orders[oid].review_case != ""
    by_state = every_order(client, {"fraudReviewState": ["SCREENING", "IN_REVIEW"]})
    assert set(by_state) == hub_held
    released = every_order(client, {"held": False})
    assert len(released) == len(orders) - len(hub_held)


def test_a_rejected_order_shows_rejected_and_is_cancelled(
    fraud: tuple[RunResult, TestClient],
) -> None:
    result, client = fraud
    orders = result.estate.hub.ctx.orders
    hub_rejected = {o for o, order in orders.items() if order.review_state == ReviewState.REJECTED}
    assert hub_rejected
    listed = every_order(client, {"fraudReviewState": ["REJECTED"]})
    assert set(listed) == hub_rejected
    for oid, node in listed.items():
        assert node["status"] == "CANCELLED" and orders[oid].status == OrderStatus.CANCELLED
        review = node["fraudReview"]
        assert review == {
            "state": "REJECTED",
            "held": False,
            "caseId": orders[oid].review_case,
            "decidedAt": review["decidedAt"],
        }
        assert review["caseId"] and review["decidedAt"] is not None


def test_every_order_s_review_is_the_hub_s(fraud: tuple[RunResult, TestClient]) -> None:
    result, client = fraud
    listed = every_order(client)
    orders = result.estate.hub.ctx.orders
    assert set(listed) == set(orders)
    for oid, order in orders.items():
        review = listed[oid]["fraudReview"]
        assert review["state"] == order.review_state.name
        assert review["held"] == (order.review_state in HELD)
        assert review["caseId"] == (order.review_case or None)
        assert (review["decidedAt"] is None) == (order.review_decided_at < 0)
        assert listed[oid]["tax"]["state"] == "NONE"  # no tax engine in this estate


def test_estimated_orders_show_it_and_a_liability_once_committed(
    tax: tuple[RunResult, TestClient],
) -> None:
    result, client = tax
    listed = every_order(client)
    orders = result.estate.hub.ctx.orders
    assert set(listed) == set(orders)
    states = {order.tax_state for order in orders.values()}
    assert {TaxState.ESTIMATED, TaxState.COMMITTED} <= states
    estimated_committed = 0
    for oid, order in orders.items():
        shown = listed[oid]["tax"]
        assert shown["state"] == order.tax_state.name
        assert shown["estimated"] is order.tax_estimated
        if order.tax_state == TaxState.ESTIMATED:
            assert shown["estimated"] and shown["committedLiability"] is None
        if order.tax_state == TaxState.COMMITTED:
            cents = round(float(shown["committedLiability"]["amount"]) * 100)
            assert cents == order.tax_liability_cents
            assert shown["committedLiability"]["currencyCode"] == "USD"
            estimated_committed += order.tax_estimated
        else:
            assert shown["committedLiability"] is None
        assert listed[oid]["fraudReview"]["state"] == "NONE"  # no fraud screen here
    assert estimated_committed > 0, "some estimated orders reach a committed liability"
