"""Shared by the graph tests: one small finished run, written once per test session.

The run is half-size steady-day over twelve hours (a few hundred orders, a few dozen
returns, in about two seconds), made the way `retailtwin run --out` makes it, so every
graph test reads the same database a user would serve with `retailtwin serve --db`.
"""

from __future__ import annotations

import atexit
import base64
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import httpx2
from starlette.applications import Starlette
from starlette.testclient import TestClient

from graph.app import create_app
from graph.schema import composed_schema, subgraph_schema
from graph.settings import ApiSettings, Role
from hub.adapters.read_model import sqlite_url
from scenarios.checking.verdict import judge
from scenarios.live.twin import LiveTwin, Pace
from scenarios.reports.read_model import write_run_read_model
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

SCENARIO = "steady-day"
#: the tests' query-cost bucket refills faster than any test asks (tests page through
#: whole lists as fast as they can); the bucket itself is tested with its own settings
#: (tests/e2e/graph/test_graph_limits.py)
UNTHROTTLED = 1_000_000
OVERRIDES = ("scenario.scale=0.5", "scenario.duration=12h")


@cache
def served_run(name: str, overrides: tuple[str, ...]) -> tuple[RunResult, Path]:
    """`name` with `overrides` run to the end, and the folder its read model is written
    to as `retailtwin run --out` writes it (report.json is not written; removed at
    exit): once per test session for each scenario and overrides."""
    observer = TimelineRecorder()
    result = run(load_scenario(name, overrides), observer=observer)
    out = Path(tempfile.mkdtemp(prefix=f"retailtwin-{name}-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    write_run_read_model(result, judge(result, name, overrides), observer, out)
    return result, out


def finished_run() -> tuple[RunResult, Path]:
    """The shared run and its output directory."""
    return served_run(SCENARIO, OVERRIDES)


def finished_db() -> Path:
    return finished_run()[1] / "read_model.sqlite"


def graph_app(
    settings: ApiSettings | None = None, db: Path | None = None, subgraph: str | None = None
) -> Starlette:
    """The app `retailtwin serve --db` builds, over the shared finished run."""
    settings = settings or ApiSettings(
        api_keys={"op-key": Role.OPERATOR, "view-key": Role.VIEWER},
        cost_restore_rate=UNTHROTTLED,
    )
    schema = composed_schema(settings) if subgraph is None else subgraph_schema(subgraph, settings)
    return create_app(
        schema, sqlite_url(db or finished_db()), settings, name=subgraph or "composed"
    )


#: the media type a GraphQL-over-HTTP client asks for
ACCEPT = {"accept": "application/graphql-response+json"}


def refused(response: Any, status: int, code: str) -> str:
    """The message of a request the API refused with `status` and error `code`, and
    no data; fails the test otherwise."""
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == code, body
    message: str = body["errors"][0]["message"]
    return message


def gql(
    client: TestClient,
    query: str,
    variables: dict[str, Any] | None = None,
    key: str | None = None,
    status: int = 200,
) -> dict[str, Any]:
    headers = dict(ACCEPT)
    if key is not None:
        headers["authorization"] = f"Bearer {key}"
    response = client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


LIVE_OVERRIDES = ("scenario.scale=0.5",)


def live_app(
    overrides: tuple[str, ...] = (), speed: float = 1800.0, settings: ApiSettings | None = None
) -> tuple[Starlette, LiveTwin]:
    """A live twin of half-size steady-day, fast (half a simulated hour per wall second),
    projecting and judging SLAs often, over a fresh temporary read model."""
    settings = settings or ApiSettings(
        api_keys={"op-key": Role.OPERATOR, "view-key": Role.VIEWER},
        cost_restore_rate=UNTHROTTLED,
    )
    everything = (*LIVE_OVERRIDES, *overrides)
    scenario = load_scenario(SCENARIO, everything)
    twin = LiveTwin(
        scenario,
        Pace(speed=speed, tick_s=0.02, project_every_s=0.05, sla_every_s=0.2),
        SCENARIO,
        everything,
    )
    folder = Path(tempfile.mkdtemp(prefix="retailtwin-live-test-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    app = create_app(
        composed_schema(settings), sqlite_url(folder / "live.sqlite"), settings, twin=twin
    )
    return app, twin


def wait_for(predicate: Any, timeout_s: float = 60.0, every_s: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy; fail the test on timeout.

    The timeout guards against a twin that never gets there, not against a slow one: a
    wait that passes returns as soon as the predicate holds, so only a failure waits it
    out. 20 s was too short on a loaded machine (a clean-clone `make test` beside
    another and a full-scale bench: the live twin booked no order within 20 s, and the
    same test took 4 s alone)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {predicate}")


def in_stock_sku(twin: LiveTwin, quantity: int = 1) -> str:
    """A SKU the web storefront shows with stock to spare (once its first feed came)."""
    view = twin.result.estate.storefront.ship_view
    found: str = wait_for(
        lambda: next(
            (
                sku.sku_id
                for sku in twin.result.estate.world.skus
                if view.get(sku.sku_id, 0) >= quantity + 2
            ),
            None,
        )
    )
    return found


@contextmanager
def gateway_federation(db_dir: Path) -> Iterator[str]:
    """gateway/federation.py running over `db_dir`; yields the gateway's URL."""
    script = Path(__file__).resolve().parents[1] / "gateway" / "federation.py"
    process = subprocess.Popen(
        [sys.executable, str(script), "--db", str(db_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # READY <url>, or EOF when it failed
        if not line.startswith("READY "):
            process.wait(timeout=60)
            raise AssertionError(
                f"gateway/federation.py did not start (exit "
                f"{process.returncode}); its error is in the output above"
            )
        yield line.split()[1]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()


@contextmanager
def serve_process(*args: str) -> Iterator[str]:
    """`retailtwin serve ARGS` as a real uvicorn process on loopback; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scenarios.cli",
            "serve",
            *args,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"retailtwin serve exited with {process.returncode}"
            try:
                if httpx2.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, "retailtwin serve did not become healthy"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gid(kind: str, raw: str) -> str:
    """The global id the API gives the `kind` object with this raw id (graph/types/node.py),
    written out independently of the code under test."""
    return base64.b64encode(f"{kind}:{raw}".encode()).decode()


def gql_data(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """The answer's `data`, asserting it carries no errors."""
    body = gql(client, query, variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def cents(money: dict[str, Any]) -> int:
    """A `MoneyV2`'s amount in cents, exactly (the amount is a decimal string)."""
    return int(Decimal(money["amount"]) * 100)


def subscriptions_open(metrics_text: str) -> float:
    """`retailtwin_subscriptions_active` in a /metrics body: how many subscriptions the
    server has registered. A subscription sends nothing until something changes, so a test
    that must not miss a change reads the state once this counts its subscription."""
    for line in metrics_text.splitlines():
        if line.startswith("retailtwin_subscriptions_active "):
            return float(line.split()[1])
    raise AssertionError("/metrics has no retailtwin_subscriptions_active")
