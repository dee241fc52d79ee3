"""A page of orders reads its items' lines, returns, the returns' lines and their SKUs
ahead (graph/read_ahead.py), and those fields answer from what was read: the same
answer as each order read on its own through the loaders, through fragments too, on
SQLite and on PostgreSQL; and the fields do not load what the page read."""

from __future__ import annotations

from typing import Any

import pytest
from graph_support import gql
from read_model_support import Projected
from starlette.testclient import TestClient

from graph import composed, read_ahead
from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings, Role
from graph.types.orders import OrderFields
from graph.types.returns import ReturnFields

ORDER = """id status lines { lineNumber quantity sku { id name } }
  returns { id status lines { quantity sku { id name } } }"""
PAGE = f"""query($first: Int!) {{ orders(first: $first, sortKey: ID) {{
  edges {{ node {{ {ORDER} }} }} }} }}"""
PAGE_BY_FRAGMENTS = """fragment Line on OrderLine { lineNumber quantity sku { id name } }
fragment Returned on Return { id status lines { quantity ... on ReturnLine { sku { id name } } } }
fragment Whole on Order { id status lines { ...Line } returns { ...Returned } }
query($first: Int!) { orders(first: $first, sortKey: ID) { nodes { ...Whole } } }"""
ONE = f"""query($id: ID!) {{ order(id: $id) {{ {ORDER} }} }}"""


def _client(projected: Projected) -> TestClient:
    settings = ApiSettings(api_keys={"view-key": Role.VIEWER}, cost_restore_rate=1_000_000)
    return TestClient(create_app(composed_schema(settings), projected.url, settings))


def _data(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    body = gql(client, query, variables, key="view-key")
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_a_page_read_ahead_answers_as_each_order_read_alone(projected: Projected) -> None:
    with _client(projected) as client:
        page = [e["node"] for e in _data(client, PAGE, first=100)["orders"]["edges"]]
        by_fragments = _data(client, PAGE_BY_FRAGMENTS, first=100)["orders"]["nodes"]
        assert by_fragments == page
        returned = [order for order in page if order["returns"]]
        assert returned and any(r["lines"] for order in returned for r in order["returns"])
        for order in returned[:5] + page[:5]:
            assert _data(client, ONE, id=order["id"])["order"] == order


def test_a_page_does_not_load_what_it_read_ahead(
    projected: Projected, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the loaders of lines, returns, return lines and SKUs broken, a page still
    answers; one order on its own (which reads through them) does not."""

    async def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("loaded, not read ahead")

    with _client(projected) as client:
        first = _data(client, PAGE, first=30)["orders"]["edges"][0]["node"]
        monkeypatch.setattr(OrderFields, "line_records", broken)
        monkeypatch.setattr(ReturnFields, "line_records", broken)
        monkeypatch.setattr(composed.returns_resolve, "returns_of_order", broken)
        monkeypatch.setattr(composed, "_sku", broken)
        page = _data(client, PAGE, first=30)["orders"]["edges"]
        assert page[0]["node"] == first
        assert any(e["node"]["returns"] for e in page)
        assert "errors" in gql(client, ONE, {"id": first["id"]}, key="view-key")


def test_a_read_ahead_that_fails_leaves_the_fields_to_load(
    projected: Projected, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("the read ahead failed")

    with _client(projected) as client:
        page = _data(client, PAGE, first=30)
        monkeypatch.setattr(read_ahead, "page_items", broken)
        assert _data(client, PAGE, first=30) == page


def test_only_a_query_over_http_reads_ahead(
    projected: Projected, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query sent over a websocket shares the connection's context with its other
    operations, for as long as the client listens: nothing is read ahead into it, and
    it answers the same page through the loaders."""
    calls: list[str] = []
    read = read_ahead._read_ahead

    async def counted(info: Any, order_ids: Any) -> Any:
        calls.append("read ahead")
        return await read(info, order_ids)

    monkeypatch.setattr(read_ahead, "_read_ahead", counted)
    with _client(projected) as client:
        page = _data(client, PAGE, first=10)
        assert calls == ["read ahead"]
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"apiKey": "view-key"}})
            assert ws.receive_json()["type"] == "connection_ack"
            payload = {"query": PAGE, "variables": {"first": 10}}
            ws.send_json({"id": "1", "type": "subscribe", "payload": payload})
            message = ws.receive_json()
            assert message["type"] == "next", message
            assert message["payload"]["data"] == page
        assert calls == ["read ahead"]
