"""One connection per request: a page's reads (the page, its lines and returns, their
SKUs, in four waves) share one pooled connection, which goes back to the pool once and
is not rolled back; on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from graph_support import gql
from read_model_support import Projected
from sqlalchemy import event
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema
from graph.settings import ApiSettings, Role

PAGE = """{ orders(first: 20) { totalCount edges { node {
  id lines { quantity sku { id name } } returns { id lines { quantity sku { id } } } } } } }"""


def test_a_page_takes_one_connection_and_returns_it_without_a_rollback(
    projected: Projected, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = ApiSettings(api_keys={"view-key": Role.VIEWER})
    app = create_app(composed_schema(settings), projected.url, settings)
    pool_events: list[str] = []

    def checkout(*_: Any) -> None:
        pool_events.append("checkout")

    def checkin(*_: Any) -> None:
        pool_events.append("checkin")

    with TestClient(app) as client:
        gql(client, "{ orders(first: 1) { totalCount } }")  # the pool's first connection
        engine = app.state.services.read_model.reading_engine
        # queries read on worker threads (graph/query_threads.py): on PostgreSQL each
        # through an engine of its own
        engines = app.state.query_threads.reading_engines()
        dialect = engine.dialect
        do_rollback = dialect.do_rollback

        def rollback(dbapi_connection: Any) -> None:
            """The dialect's rollback, noting when it reaches the driver's."""
            if not (
                dialect.skip_autocommit_rollback
                and dialect.detect_autocommit_setting(dbapi_connection)
            ):
                pool_events.append("rollback")
            do_rollback(dbapi_connection)

        for each in engines:  # each engine has its dialect
            monkeypatch.setattr(each.dialect, "do_rollback", rollback)
        listeners = {"checkout": checkout, "checkin": checkin}
        for name, listener in listeners.items():
            for each in engines:
                event.listen(each, name, listener)
        try:
            for _ in range(3):
                pool_events.clear()
                body = gql(client, PAGE)
                edges = body["data"]["orders"]["edges"]
                assert len(edges) == 20
                assert any(edge["node"]["lines"] for edge in edges)
                assert pool_events == ["checkout", "checkin"], pool_events
        finally:
            for name, listener in listeners.items():
                for each in engines:
                    event.remove(each, name, listener)


def test_reads_outside_a_request_give_their_connection_back(projected: Projected) -> None:
    """/healthz reads with no GraphQL request around it: a connection for the read,
    returned at once (nothing left checked out between requests)."""
    settings = ApiSettings(api_keys={"view-key": Role.VIEWER})
    app = create_app(composed_schema(settings), projected.url, settings)
    with TestClient(app) as client:
        gql(client, "{ orders(first: 1) { totalCount } }")
        pool = app.state.services.read_model.reading_engine.pool
        assert client.get("/healthz").status_code == 200
        assert pool.checkedout() == 0
        gql(client, PAGE)
        assert pool.checkedout() == 0
