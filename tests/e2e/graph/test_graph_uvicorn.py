"""`retailtwin serve` as a real uvicorn process on loopback: HTTP queries and mutations,
and a graphql-transport-ws subscription receiving what the live simulation does."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import httpx2
from graph_support import finished_run, serve_process, subscriptions_open
from websockets.asyncio.client import connect

CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id status } userErrors { code message } } }"""


def _post(base: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = httpx2.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": "Bearer view-key"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


TERMINAL = {"SHIPPED", "CANCELLED"}


def _subscriptions_open(base: str) -> float:
    return subscriptions_open(httpx2.get(f"{base}/metrics", timeout=30).text)


async def _watch(base: str, order_id: str) -> list[str]:
    """The order's statuses from the moment its subscription is registered until it ships
    or is cancelled. A subscription sends nothing until something changes (docs/api.md), and
    at 1800x an order can ship before a loaded machine has subscribed; so once the server
    counts the subscription, the order's status then is read and, if final, is the answer."""
    url = base.replace("http://", "ws://") + "/graphql"
    statuses: list[str] = []
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer view-key"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": "subscription($id: ID!) { orderUpdated(id: $id) { status } }",
                        "variables": {"id": order_id},
                    },
                }
            )
        )
        while await asyncio.to_thread(_subscriptions_open, base) < 1:
            await asyncio.sleep(0.05)
        now = await asyncio.to_thread(
            _post, base, "query($id: ID!) { order(id: $id) { status } }", {"id": order_id}
        )
        statuses.append(now["data"]["order"]["status"])
        while statuses[-1] not in TERMINAL:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
            assert message["type"] == "next", message
            statuses.append(message["payload"]["data"]["orderUpdated"]["status"])
    return statuses


def test_a_live_server_takes_an_order_and_streams_its_progress() -> None:
    with serve_process(
        "steady-day",
        "--speed",
        "1800",
        "--set",
        "scenario.scale=0.5",
        "--api-key",
        "view-key:viewer",
    ) as base:
        skus = _post(
            base,
            "{ skus(first: 30) { nodes { id availableToSell(channel: WEB) { channelView } } } }",
        )["data"]["skus"]["nodes"]
        sku = next(
            (s["id"] for s in skus if s["availableToSell"][0]["channelView"] > 3), skus[0]["id"]
        )
        created = _post(
            base,
            CREATE,
            {"input": {"idempotencyKey": "uvicorn-1", "lines": [{"skuId": sku, "quantity": 1}]}},
        )
        order = created["data"]["orderCreate"]["order"]
        assert order is not None, created
        statuses = asyncio.run(_watch(base, order["id"]))
        assert statuses[-1] in TERMINAL, statuses
        health = httpx2.get(f"{base}/healthz").json()
        assert health["mode"] == "live" and health["live"] is True


def test_a_finished_run_served_by_uvicorn() -> None:
    _, out = finished_run()
    with serve_process("--db", str(out), "--api-key", "view-key:viewer") as base:
        body = _post(base, "{ orders(first: 1) { totalCount } operations { run { mode } } }")
        assert body["data"]["operations"]["run"]["mode"] == "finished"
        assert body["data"]["orders"]["totalCount"] > 0
        metrics = httpx2.get(f"{base}/metrics").text
        assert "retailtwin_graphql_requests_total" in metrics
        # a second server on the same port says so, before claiming to serve anything
        port = base.rsplit(":", 1)[1]
        second = subprocess.run(
            [sys.executable, "-m", "scenarios.cli", "serve", "--db", str(out), "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2, second.stdout + second.stderr
        assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in second.stderr
        assert "serving" not in second.stdout and "Traceback" not in second.stderr
