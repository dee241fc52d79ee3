"""Through the app: a query executes on a worker thread, a mutation on the server's
loop, and /healthz never leaves it (graph/query_threads.py, graph/http.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import strawberry
from starlette.testclient import TestClient

from graph.app import create_app
from graph.context import GraphInfo
from graph.extensions import schema_extensions
from graph.query_threads import worker_read_model
from graph.settings import QUERY_THREADS, ApiSettings, SettingsError
from hub.adapters.read_model import sqlite_url


def _where(info: GraphInfo) -> str:
    return f"{threading.current_thread().name} {worker_read_model() is not None}"


@strawberry.type
class Query:
    @strawberry.field
    def thread(self, info: GraphInfo) -> str:
        return _where(info)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def thread(self, info: GraphInfo) -> str:
        return _where(info)


def test_queries_run_on_workers_and_mutations_on_the_servers_loop(tmp_path: Path) -> None:
    # the app's own extensions: ExecutionMarker tells an executed request from a refused one
    schema = strawberry.Schema(
        query=Query, mutation=Mutation, extensions=schema_extensions(ApiSettings())
    )
    app = create_app(schema, sqlite_url(tmp_path / "read_model.sqlite"))
    with TestClient(app) as client:
        assert app.state.query_threads.running
        names = set()
        for _ in range(6):
            body = client.post("/graphql", json={"query": "{ thread }"}).json()
            name, on_worker = body["data"]["thread"].split()
            assert name.startswith("graphql-") and on_worker == "True", body
            names.add(name)
        assert len(names) > 1  # the workers take turns
        body = client.post("/graphql", json={"query": "mutation { thread }"}).json()
        name, on_worker = body["data"]["thread"].split()
        assert not name.startswith("graphql-") and on_worker == "False", body
        # a GET carries queries only, to a worker too
        body = client.get("/graphql", params={"query": "{ thread }"}).json()
        assert body["data"]["thread"].startswith("graphql-")
        # refusals raised on a worker come back as before
        refused = client.get("/graphql", params={"query": "mutation { thread }"})
        assert refused.status_code == 405, refused.text
        assert client.post("/graphql", json={"query": "{ nope }"}).status_code == 400
    assert not app.state.query_threads.running  # stopped with the app


def test_the_number_of_query_threads_comes_from_the_settings(tmp_path: Path) -> None:
    settings = ApiSettings.from_env({"RETAILTWIN_QUERY_THREADS": "1"})
    assert settings.query_threads == 1
    assert ApiSettings.from_env({}).query_threads == QUERY_THREADS
    with pytest.raises(SettingsError, match="RETAILTWIN_QUERY_THREADS: expected a positive"):
        ApiSettings.from_env({"RETAILTWIN_QUERY_THREADS": "0"})
    schema = strawberry.Schema(query=Query, extensions=schema_extensions(settings))
    app = create_app(schema, sqlite_url(tmp_path / "read_model.sqlite"), settings)
    with TestClient(app) as client:
        assert app.state.query_threads.count == 1 and app.state.query_threads.running
        names = {client.post("/graphql", json={"query": "{ thread }"}).json()["data"]["thread"]}
        names |= {client.post("/graphql", json={"query": "{ thread }"}).json()["data"]["thread"]}
        assert names == {"graphql-0 True"}  # one worker takes every query
