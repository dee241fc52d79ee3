"""Shared by the graph tests: one small finished run, written once per test session.

The run is half-size steady-day over twelve hours (a few hundred orders, a few dozen
returns, in about two seconds), made the way `retailtwin run --out` makes it, so every
graph test reads the same database a user would serve with `retailtwin serve --db`.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema, subgraph_schema
from graph.settings import ApiSettings, Role
from hub.adapters.read_model import sqlite_url
from scenarios.loader import load_scenario
from scenarios.run_read_model import write_run_read_model
from scenarios.runtime import RunResult, run
from scenarios.timeline import TimelineRecorder
from scenarios.verdict import judge

SCENARIO = "steady-day"
OVERRIDES = ("scenario.scale=0.5", "scenario.duration=12h")


@cache
def finished_run() -> tuple[RunResult, Path]:
    """The run and its output directory (report.json is not written; the read model is)."""
    scenario = load_scenario(SCENARIO, OVERRIDES)
    observer = TimelineRecorder()
    result = run(scenario, observer=observer)
    verdict = judge(result, SCENARIO, OVERRIDES)
    out = Path(tempfile.mkdtemp(prefix="retailtwin-graph-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    write_run_read_model(result, verdict, observer, out)
    return result, out


def finished_db() -> Path:
    return finished_run()[1] / "read_model.sqlite"


def graph_app(
    settings: ApiSettings | None = None, db: Path | None = None, subgraph: str | None = None
) -> Starlette:
    """The app `retailtwin serve --db` builds, over the shared finished run."""
    settings = settings or ApiSettings(api_keys={"op-key": Role.OPERATOR, "view-key": Role.VIEWER})
    schema = composed_schema(settings) if subgraph is None else subgraph_schema(subgraph, settings)
    return create_app(
        schema, sqlite_url(db or finished_db()), settings, name=subgraph or "composed"
    )


def gql(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    key: str | None = None,
    status: int = 200,
) -> dict[str, Any]:
    headers = {"accept": "application/graphql-response+json"}
    if key is not None:
        headers["authorization"] = f"Bearer {key}"
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body
