"""Paging a live twin's orders while it places more: the next page carries on from the
last order seen, whatever arrived in between, and the run's clock ages the open
returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph_support import gql, live_app, wait_for
from starlette.testclient import TestClient

PAGE = """query($after: String) { orders(first: 5, after: $after) {
  totalCount pageInfo { hasPreviousPage endCursor } nodes { id placedAt } } }"""


def _page(client: TestClient, after: str | None = None) -> dict[str, Any]:
    body = gql(client, PAGE, {"after": after})
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["orders"]
    return page


def test_a_page_carries_on_after_orders_arrive_and_open_returns_age() -> None:
    app, _ = live_app()
    with TestClient(app) as client:
        wait_for(lambda: _page(client)["totalCount"] >= 10)
        first = _page(client)
        seen = {o["id"] for o in first["nodes"]}
        wait_for(lambda: _page(client)["totalCount"] > first["totalCount"])
        second = _page(client, first["pageInfo"]["endCursor"])
        assert second["pageInfo"]["hasPreviousPage"]
        assert not seen & {o["id"] for o in second["nodes"]}
        # newest first: the second page is older than the first page's last order
        last_seen = _key(first["nodes"][-1])
        assert all(_key(o) < last_seen for o in second["nodes"])

        # an open return's age runs with the run's clock (and stops, later, at closure)
        query = """{ returns(first: 1, sortKey: CREATED_AT,
          filter: {status: [REQUESTED, AUTHORISED, RECEIVED, INSPECTED]}) {
          nodes { id ageSeconds slaBreached } } }"""
        wait_for(lambda: gql(client, query)["data"]["returns"]["nodes"])
        before = gql(client, query)["data"]["returns"]["nodes"][0]
        assert before["ageSeconds"] > 0

        def aged() -> bool:
            body = gql(client, "query($id: ID!) { return(id: $id) { ageSeconds } }", before)
            age: float = body["data"]["return"]["ageSeconds"]
            return age > before["ageSeconds"]

        wait_for(aged)


def _key(order: dict[str, Any]) -> tuple[datetime, str]:
    return datetime.fromisoformat(order["placedAt"]), order["id"]
