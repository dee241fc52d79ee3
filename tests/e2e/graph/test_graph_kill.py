"""`retailtwin serve` killed with SIGKILL while clients place orders, then the same
command again: every order a client was told about is there, with the same id and the
same `placedAt`; a retried idempotency key gets its first answer; on SQLite (a state
folder) and on PostgreSQL (state and read model in one database) alike."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from graph_support import wait_for
from postgres_support import Cluster

ARGS = ("steady-day", "--start-at", "8h", "--speed", "600", "--set", "scenario.scale=0.5")
HEADERS = {"authorization": "Bearer op-key"}
CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id placedAt } userErrors { code } } }"""
ORDER = '{ order(id: "%s") { id placedAt } }'


@contextmanager
def server(*args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The real command on a free loopback port, once /healthz says ok."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "scenarios.cli",
        "serve",
        *args,
        "--api-key",
        "op-key:operator",
    ]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"serve exited with {process.returncode}"
            try:
                if httpx2.get(f"{base}/healthz", timeout=2).json().get("status") == "ok":
                    break
            except (httpx2.TransportError, ValueError):
                pass
            assert time.monotonic() < deadline, "serve did not become healthy"
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _post(base: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = httpx2.post(
        f"{base}/graphql", json={"query": query, "variables": variables or {}}, headers=HEADERS
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _in_stock(base: str) -> list[str]:
    """SKUs the web storefront shows with stock to spare."""
    query = "{ skus(first: 40) { nodes { id availableToSell(channel: WEB) { channelView } } } }"
    nodes = _post(base, query)["skus"]["nodes"]
    return [n["id"] for n in nodes if n["availableToSell"][0]["channelView"] > 20]


def _place_until_killed(
    base: str, skus: list[str], confirmed: dict[str, dict[str, Any]], stop: threading.Event
) -> None:
    """Place orders one after another until the server dies; keep what was confirmed."""
    i = 0
    while not stop.is_set():
        key = f"kill-{i}"
        variables = {
            "input": {
                "idempotencyKey": key,
                "lines": [{"skuId": skus[i % len(skus)], "quantity": 1}],
            }
        }
        try:
            response = httpx2.post(
                f"{base}/graphql",
                json={"query": CREATE, "variables": variables},
                headers=HEADERS,
                timeout=10,
            )
            order = response.json()["data"]["orderCreate"]["order"]
        except (httpx2.TransportError, ValueError, KeyError, TypeError):
            return  # the server is gone: this one was never confirmed
        if order is not None:
            confirmed[key] = order
        i += 1


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, ...]]:
    """The options that keep the day: a state folder, or one PostgreSQL database."""
    if request.param == "sqlite":
        yield ("--state", str(tmp_path / "state"))
        return
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    with cluster.database("kill") as url:
        yield ("--state", url, "--database-url", url)


def test_a_server_killed_mid_stream_comes_back_with_every_confirmed_order(
    stores: tuple[str, ...],
) -> None:
    confirmed: dict[str, dict[str, Any]] = {}
    with server(*ARGS, *stores) as (process, base):
        skus = _in_stock(base)
        stop = threading.Event()
        placing = threading.Thread(target=_place_until_killed, args=(base, skus, confirmed, stop))
        placing.start()
        wait_for(lambda: len(confirmed) >= 12, timeout_s=60)
        os.kill(process.pid, signal.SIGKILL)  # mid-stream: an order is on its way
        process.wait(timeout=10)
        stop.set()
        placing.join(timeout=30)
    assert len(confirmed) >= 12
    with server(*ARGS, *stores) as (_, base):
        for key, order in confirmed.items():
            assert _post(base, ORDER % order["id"])["order"] == order, key
        first_key = next(iter(confirmed))
        line = {"skuId": skus[0], "quantity": 1}
        again = _post(base, CREATE, {"input": {"idempotencyKey": first_key, "lines": [line]}})
        assert again["orderCreate"]["order"]["id"] == confirmed[first_key]["id"]
