"""No N+1: the statements a page costs depend on the query's shape, not its size."""

from __future__ import annotations

from typing import Any

from graph_support import finished_run, gql, graph_app
from sqlalchemy import event
from starlette.testclient import TestClient

from graph.types.time import at

PAGE = """query($first: Int!, $before: DateTime!) {
  orders(first: $first, filter: {placedBefore: $before}) { totalCount edges { node {
  id status lines { quantity sku { id name } } payments { state capturedCents }
  returns { id status lines { quantity } } } } } }"""


def test_a_page_of_50_orders_costs_what_a_page_of_5_does() -> None:
    app = graph_app()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    result, _ = finished_run()
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
    with TestClient(app) as client:
        engine = app.state.services.read_model.engine.sync_engine
        event.listen(engine, "before_cursor_execute", count)
        costs = {}
        for size in (5, 50):
            statements.clear()
            body = gql(client, PAGE, {"first": size, "before": before})
            edges = body["data"]["orders"]["edges"]
            assert len(edges) == size and edges[0]["node"]["returns"]
            costs[size] = len(statements)
        event.remove(engine, "before_cursor_execute", count)
    # page + count, then one batch per level: lines, SKUs, payments, returns, return lines
    assert costs[5] == costs[50] == 7, costs
