"""No N+1: the statements a page costs depend on the query's shape, not its size, on
SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graph_support import gql
from read_model_support import Projected
from sqlalchemy import event
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings, Role
from graph.types.time import at

PAGE = """query($first: Int!, $before: DateTime!) {
  orders(first: $first, filter: {placedBefore: $before}) { totalCount edges { node {
  id status lines { quantity sku { id name } } payments { state capturedCents }
  returns { id status lines { quantity } } } } } }"""


@contextmanager
def _selects(app: Any, client: TestClient) -> Iterator[list[str]]:
    """The SELECTs every query thread's engine runs while the block runs. The first
    connection's own statements (PostgreSQL's dialect asks the server its version and
    settings) are not a page's: queries execute on worker threads in turn, on PostgreSQL
    each with an engine of its own, so each worker is warmed first."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    threads = app.state.query_threads
    for _ in range(max(threads.count, 1)):
        gql(client, "{ orders(first: 1) { totalCount } }")
    engines = threads.reading_engines()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


def test_a_page_of_50_orders_costs_what_a_page_of_5_does(projected: Projected) -> None:
    settings = ApiSettings(api_keys={"view-key": Role.VIEWER})
    app = create_app(composed_schema(settings), projected.url, settings)
    result = projected.run.result
    # start both pages at an order with a return, so both pages exercise every level
    returned = max(
        (
            result.estate.hub.ctx.orders[r.order_id]
            for r in result.estate.hub.ctx.returns.values()
            if r.order_id in result.estate.hub.ctx.orders
        ),
        key=lambda o: o.placed_at,
    )
    before = at(returned.placed_at + 0.001).isoformat()
    with TestClient(app) as client, _selects(app, client) as statements:
        costs = {}
        for size in (5, 50):
            statements.clear()
            body = gql(client, PAGE, {"first": size, "before": before})
            edges = body["data"]["orders"]["edges"]
            assert len(edges) == size and edges[0]["node"]["returns"]
            costs[size] = len(statements)
    # page + count, then one batch per level: lines, SKUs, payments, returns, return lines
    assert costs[5] == costs[50] == 7, costs


SCREENS = """query($first: Int!) {
  returns(first: $first, sortKey: CREATED_AT, filter: {slaBreached: false}) {
    totalCount nodes { id ageSeconds slaBreached lines { quantity } } }
  skus(first: $first, sortKey: TITLE, filter: {totalAvailableAtMost: 100000}) {
    totalCount nodes { id totalAvailable totalOnHand positions { available } } }
  inventory(last: $first, sortKey: AVAILABLE, filter: {availableAtMost: 100000}) {
    totalCount nodes { available sku { id } } } }"""


def test_the_returns_queue_and_low_stock_screens_cost_the_same_at_any_size(
    projected: Projected,
) -> None:
    settings = ApiSettings(api_keys={"view-key": Role.VIEWER})
    app = create_app(composed_schema(settings), projected.url, settings)
    with TestClient(app) as client, _selects(app, client) as statements:
        costs = {}
        for size in (5, 40):
            statements.clear()
            body = gql(client, SCREENS, {"first": size})
            assert "errors" not in body, body
            assert all(len(body["data"][f]["nodes"]) == size for f in body["data"])
            costs[size] = len(statements)
    # returns: clock, count + page, then the clocks (the run document, the rows) and
    # lines; skus: count + page, totals, positions; inventory: count + page, SKUs
    assert costs[5] == costs[40] == 13, costs
