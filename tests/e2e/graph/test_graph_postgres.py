"""`retailtwin serve --database-url postgresql+asyncpg://...` end to end: the real
command, a live twin writing to the test session's PostgreSQL, queried over HTTP; and
the same command again on the same database."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from graph_support import serve_process, wait_for
from postgres_support import Cluster
from sqlalchemy import make_url

ARGS = (
    "steady-day",
    "--start-at",
    "8h",
    "--speed",
    "1800",
    "--set",
    "scenario.scale=0.5",
    "--api-key",
    "view-key:viewer",
    "--api-key",
    "op-key:operator",
)

CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id status } userErrors { code message } } }"""


def _post(base: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = httpx2.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": "Bearer op-key"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def _orders(base: str) -> int:
    count: int = _post(base, "{ orders(first: 1) { totalCount } }")["orders"]["totalCount"]
    return count


def _healthy_for(base: str, seconds: float) -> dict[str, Any]:
    """/healthz, asked for `seconds` while the twin projects: never failed."""
    deadline = time.monotonic() + seconds
    while True:
        health: dict[str, Any] = httpx2.get(f"{base}/healthz", timeout=10).json()
        assert health["status"] == "ok", health
        if time.monotonic() >= deadline:
            return health
        time.sleep(0.2)


@pytest.fixture
def database(postgres_cluster: Cluster) -> Iterator[str]:
    with postgres_cluster.database("serve") as url:
        yield url


def test_a_live_twin_serves_from_postgresql_and_restarts_on_it(database: str) -> None:
    with serve_process(*ARGS, "--database-url", database) as base:
        assert wait_for(lambda: _orders(base) > 20)
        sku = _post(base, "{ skus(first: 1) { nodes { id } } }")["skus"]["nodes"][0]["id"]
        order = {"idempotencyKey": "pg-1", "lines": [{"skuId": sku, "quantity": 1}]}
        first = _post(base, CREATE, {"input": order})["orderCreate"]
        again = _post(base, CREATE, {"input": order})["orderCreate"]
        assert first["order"] is not None and again["order"]["id"] == first["order"]["id"]
        health = _healthy_for(base, 1.0)
        assert health["mode"] == "live" and health["live"] is True
        seen = _orders(base)
    # the same command on the same database: the run is projected over the rows the first
    # server left (timeline included) without a duplicate key
    with serve_process(*ARGS, "--database-url", database) as base:
        assert wait_for(lambda: _orders(base) >= seen)
        _healthy_for(base, 3.0)


def test_a_wrong_password_is_refused_before_serving(database: str) -> None:
    wrong = make_url(database).set(password="wrong").render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "serve", "--database-url", wrong, "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot connect" in done.stderr and "password authentication failed" in done.stderr
    assert "wrong" not in done.stderr and "Traceback" not in done.stderr
