"""`make bench`: how fast a live twin killed with SIGKILL catches up with its day.

A restarted `retailtwin serve` runs its day again in virtual time, applying every
command its clients gave at its time, up to where the killed process had got, before
it goes on live (scenarios/live/command_log.py). The figure is simulated seconds
replayed per wall second (the goal: at least 1,000x, so a day killed at 18:00 is back
in about a minute), read from the restarted server's /healthz; and every order the
killed server confirmed must be there again, with its id.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import httpx2

HEADERS = {"authorization": "Bearer op-key"}
CREATE = """mutation($input: OrderCreateInput!) { orderCreate(input: $input) {
  order { id placedAt } userErrors { code } } }"""
GOAL = 1000.0


def _start(args: Sequence[str]) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "scenarios.cli", "serve", *args]
    command += ["--api-key", "op-key:operator", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        if process.poll() is not None:
            raise SystemExit(f"retailtwin serve exited with {process.returncode}")
        try:
            if httpx2.get(f"{base}/healthz", timeout=2).json().get("status") == "ok":
                return process, base
        except (httpx2.TransportError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit("retailtwin serve did not become healthy in 300 s")
        time.sleep(0.2)


def _post(base: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = {"query": query, "variables": variables or {}}
    return httpx2.post(f"{base}/graphql", json=body, headers=HEADERS, timeout=30).json()["data"]


def _health(base: str) -> dict[str, Any]:
    health: dict[str, Any] = httpx2.get(f"{base}/healthz", timeout=10).json()
    return health


def measure(scenario: str, orders: int, kill_at_h: float) -> dict[str, Any]:
    state = tempfile.mkdtemp(prefix="retailtwin-bench-state-")
    args = [scenario, "--state", state, "--start-at", "6h", "--speed", "3600"]
    process, base = _start([*args, "--fresh"])
    query = "{ skus(first: 40) { nodes { id availableToSell(channel: WEB) { channelView } } } }"
    nodes = _post(base, query)["skus"]["nodes"]
    skus = [n["id"] for n in nodes if n["availableToSell"][0]["channelView"] > orders]
    confirmed = {}
    for i in range(orders):
        line = {"skuId": skus[i % len(skus)], "quantity": 1}
        data = _post(base, CREATE, {"input": {"idempotencyKey": f"b-{i}", "lines": [line]}})
        order = data["orderCreate"]["order"]
        if order is not None:
            confirmed[order["id"]] = order
    while _health(base)["modelTimeSeconds"] < kill_at_h * 3600:
        time.sleep(0.2)
    reached = _health(base)["modelTimeSeconds"]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    started = time.perf_counter()
    process, base = _start(args)
    wall_to_healthy = time.perf_counter() - started
    try:
        resumed = _health(base)["resumed"]
        found = sum(
            1
            for order_id, order in confirmed.items()
            if _post(base, '{ order(id: "%s") { id placedAt } }' % order_id)["order"] == order  # noqa: UP031
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return {
        "confirmed": len(confirmed),
        "found": found,
        "killed_at_s": reached,
        "resumed": resumed,
        "wall_to_healthy_s": wall_to_healthy,
    }


def report(scenario: str, figures: dict[str, Any]) -> str:
    resumed = figures["resumed"]
    rate = resumed["simulatedSeconds"] / max(resumed["wallSeconds"], 1e-9)
    return "\n".join(
        [
            f"live twin killed with SIGKILL at {figures['killed_at_s'] / 3600:.1f} h "
            f"simulated ({scenario}), the same command again:",
            f"  caught up                   {resumed['commandsReplayed']} commands and "
            f"{resumed['simulatedSeconds']:,.0f} simulated seconds in "
            f"{resumed['wallSeconds']:.1f} s: {rate:,.0f}x (goal >= {GOAL:,.0f}x: "
            f"{'met' if rate >= GOAL else 'missed'}); healthy "
            f"{figures['wall_to_healthy_s']:.1f} s after the restart",
            f"  confirmed orders found      {figures['found']} of {figures['confirmed']}",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.live_restart", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scenario", default="steady-day")
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=18.0, help="simulated hour to kill at")
    args = parser.parse_args(argv)
    print(report(args.scenario, measure(args.scenario, args.orders, args.kill_at)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
