"""`make bench-api` (and the last part of `make bench`): how fast the GraphQL API answers,
as figures and as ratios to the cheapest query the same server can answer.

A steady day is run and its read model written, then `retailtwin serve --db` is started
as a real uvicorn process on loopback, and a client in this process sends, for each
query, a bounded number of requests with a fixed concurrency: `{ __typename }` (the
floor: HTTP, routing, parsing, no data), an orders page (20 orders with their lines,
SKUs and returns) and one order's cross-system view. Requests per second and p50/p95
latency are reported with each query's ratio to `{ __typename }` measured in the same
run, so the ratios mean something on a slow or busy machine.

The orders page has a second floor: the same page served from memory by a bare
strawberry app on uvicorn (benchmarks/bare_graphql.py, built from retailtwin's own
answer), asked by the same client in the same run. Its ratio is what retailtwin's read
model and layers cost over what strawberry needs for that shape. The two are measured
in alternating rounds, so a change in the machine's load falls on both; and with the
CPU time each server spent on its rounds (from /proc), a ratio the machine's load
hardly moves, where requests a second and latency stretch with it.

Then the live twin: `retailtwin serve SCENARIO --speed X` runs a busy day (by default
black-friday at scale 0.1, 1200 simulated seconds a second, through the lunchtime
doorbuster), and a probe asks `/healthz` and a small orders query four times a second
while the model runs, reporting p50/p95/max latency, how far the simulation got and
how far it fell behind the wall clock. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.api_live import live_probe, live_report
from benchmarks.http_measure import (
    Figures,
    Sample,
    cpu_seconds,
    figures_of,
    start_bare,
    start_server,
)
from benchmarks.scenario_arguments import scenario_or_exit
from graph.types.time import at
from scenarios.checking.verdict import judge
from scenarios.reports.read_model import write_run_read_model
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

TYPENAME = "{ __typename }"
ORDERS_PAGE = """query($before: DateTime!) {
  orders(first: 20, filter: {placedBefore: $before}) { totalCount edges { cursor node {
    id status channel placedAt totalCents
    lines { lineNumber quantity shippedQuantity sku { id name } }
    returns { id status refundTotalCents lines { quantity sku { id } } } } } } }"""
CROSS_SYSTEM = """query($id: ID!) { order(id: $id) { id status paymentState
  crossSystem { inSync checkedAt disagreements { system field hubValue systemValue }
    records { system recordId status recordedAt fields { name value } } } } }"""


async def _sample(
    client: httpx2.AsyncClient,
    url: str,
    name: str,
    query: str,
    variables: dict[str, Any],
    requests: int,
    concurrency: int,
    pid: int | None = None,
) -> Sample:
    """`requests` of `query`, `concurrency` at a time, after a few to warm up; with the
    CPU time server `pid` spent on them."""
    body = {"query": query, "variables": variables}
    for _ in range(concurrency * 2):  # warm up connections and caches
        (await client.post(url, json=body)).raise_for_status()
    cpu_before = None if pid is None else cpu_seconds(pid)
    latencies: list[float] = []
    remaining = iter(range(requests))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            response = await client.post(url, json=body)
            latencies.append(time.perf_counter() - started)
            payload = response.json()
            if response.status_code != 200 or "errors" in payload:
                raise RuntimeError(f"{name}: {response.status_code} {payload}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    cpu_after = None if pid is None else cpu_seconds(pid)
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return Sample(latencies, seconds, cpu)


async def _measure(
    client: httpx2.AsyncClient,
    url: str,
    name: str,
    query: str,
    variables: dict[str, Any],
    requests: int,
    concurrency: int,
) -> Figures:
    sample = await _sample(client, url, name, query, variables, requests, concurrency)
    return figures_of(name, [sample])


def prepare(out: Path, scenario_name: str) -> dict[str, Any]:
    """Run the scenario, write its read model, and pick the queries' variables: a page
    that starts at an order with returns, and an order with the most system records."""
    scenario = load_scenario(scenario_name)
    observer = TimelineRecorder()
    result = run(scenario, observer=observer)
    write_run_read_model(result, judge(result, scenario_name, ()), observer, out)
    hub = result.estate.hub.ctx
    returned = max(
        (hub.orders[r.order_id] for r in hub.returns.values() if r.order_id in hub.orders),
        key=lambda order: order.placed_at,
    )
    return {
        "before": at(returned.placed_at + 0.001).isoformat(),
        "order": returned.order_id,
        "orders": len(hub.orders),
    }


ORDERS_NAME = "orders page (20, lines, returns)"
BARE_NAME = "the same page, bare strawberry"
#: alternating rounds of the orders page and its bare strawberry floor
ROUNDS = 4


async def _bench(
    url: str,
    bare_url: str,
    chosen: dict[str, Any],
    requests: int,
    concurrency: int,
    pids: tuple[int, int] | None = None,
) -> list[Figures]:
    """The figures of each query; `pids`: retailtwin's server and the bare app's, whose
    CPU time per request the orders page and its floor are measured with too."""
    pid, bare_pid = (None, None) if pids is None else pids
    limits = httpx2.Limits(max_connections=concurrency * 2)
    page = {"before": chosen["before"]}
    per_round = max(1, requests // ROUNDS)
    async with httpx2.AsyncClient(limits=limits, timeout=60) as client:
        typename = await _measure(
            client, url, "{ __typename }", TYPENAME, {}, requests, concurrency
        )
        bare: list[Sample] = []
        orders: list[Sample] = []
        for _ in range(ROUNDS):
            bare.append(
                await _sample(
                    client, bare_url, BARE_NAME, ORDERS_PAGE, page, per_round, concurrency, bare_pid
                )
            )
            orders.append(
                await _sample(
                    client, url, ORDERS_NAME, ORDERS_PAGE, page, per_round, concurrency, pid
                )
            )
        return [
            typename,
            figures_of(BARE_NAME, bare),
            figures_of(ORDERS_NAME, orders),
            await _measure(
                client,
                url,
                "one order's cross-system view",
                CROSS_SYSTEM,
                {"id": chosen["order"]},
                requests,
                concurrency,
            ),
        ]


def bench(
    scenario_name: str, requests: int, concurrency: int
) -> tuple[list[Figures], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="retailtwin-bench-api-") as folder:
        out = Path(folder)
        print(f"running {scenario_name} and writing its read model...", file=sys.stderr)
        chosen = prepare(out, scenario_name)
        server, base = start_server(["--db", str(out)])
        bare: subprocess.Popen[bytes] | None = None
        try:
            answer = httpx2.post(
                f"{base}/graphql",
                json={"query": ORDERS_PAGE, "variables": {"before": chosen["before"]}},
                timeout=60,
            ).json()
            page = out / "orders-page.json"
            page.write_text(json.dumps(answer))
            bare, bare_base = start_bare(page)
            print(
                f"benchmarking {base}/graphql (and the bare app at {bare_base}/graphql): "
                f"{requests} requests per query, {concurrency} at a time",
                file=sys.stderr,
            )
            figures = asyncio.run(
                _bench(
                    f"{base}/graphql",
                    f"{bare_base}/graphql",
                    chosen,
                    requests,
                    concurrency,
                    (server.pid, bare.pid),
                )
            )
        finally:
            for process in (server, bare):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=30)
    return figures, chosen


def report(figures: list[Figures], chosen: dict[str, Any]) -> str:
    floor = figures[0]
    lines = [
        f"GraphQL API over a finished steady-day ({chosen['orders']:,} orders), real "
        f"uvicorn process on loopback, client in the bench process",
        f"{'query':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}   {'vs { __typename }':>20}",
    ]
    for f in figures:
        ratio = (
            "(the floor)"
            if f is floor
            else f"{floor.per_second / f.per_second:.1f}x slower, p50 "
            f"{f.p50_ms / floor.p50_ms:.1f}x"
        )
        lines.append(f"{f.name:34} {f.per_second:8,.0f} {f.p50_ms:8.2f} {f.p95_ms:8.2f}   {ratio}")
    bare, orders = _named(figures, BARE_NAME), _named(figures, ORDERS_NAME)
    slower, p50 = bare_ratios(figures)
    lines.append(
        f"{orders.name} vs {bare.name} (from memory, same client, same run): "
        f"{slower:.1f}x slower, p50 {p50:.1f}x"
    )
    cpu = cpu_ratio(figures)
    if cpu is not None:
        lines.append(
            f"server CPU per request (user+system, each server over the same rounds): "
            f"orders page {orders.cpu_ms:.2f} ms, bare strawberry {bare.cpu_ms:.2f} ms, "
            f"{cpu:.2f}x"
        )
    return "\n".join(lines)


def _named(figures: Sequence[Figures], name: str) -> Figures:
    return next(f for f in figures if f.name == name)


def bare_ratios(figures: Sequence[Figures]) -> tuple[float, float]:
    """Retailtwin's orders page against the bare strawberry app's: how many times
    fewer requests a second, and how many times the p50 latency."""
    bare, orders = _named(figures, BARE_NAME), _named(figures, ORDERS_NAME)
    return bare.per_second / orders.per_second, orders.p50_ms / bare.p50_ms


def cpu_ratio(figures: Sequence[Figures]) -> float | None:
    """The CPU time retailtwin's server spent on an orders page over what the bare app
    spent on it: what the page costs beyond the floor whatever else loads the machine
    (None where the servers' CPU time could not be read)."""
    bare, orders = _named(figures, BARE_NAME), _named(figures, ORDERS_NAME)
    if bare.cpu_ms is None or orders.cpu_ms is None or bare.cpu_ms <= 0:
        return None
    return orders.cpu_ms / bare.cpu_ms


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.api_speed", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scenario", default="steady-day")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--live-scenario", default="black-friday")
    parser.add_argument(
        "--live-set",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="override for the live scenario (default scenario.scale=0.1)",
    )
    parser.add_argument("--live-speed", type=float, default=1200.0)
    parser.add_argument(
        "--live-seconds",
        type=float,
        default=45.0,
        help="how long to probe the live twin (0: skip it)",
    )
    args = parser.parse_args(argv)
    scenario_or_exit(parser, args.scenario, ())
    live_overrides = args.live_set if args.live_set is not None else ["scenario.scale=0.1"]
    if args.live_seconds > 0:
        scenario_or_exit(parser, args.live_scenario, live_overrides)
    figures, chosen = bench(args.scenario, args.requests, args.concurrency)
    live = (
        live_probe(
            args.live_scenario,
            live_overrides,
            args.live_speed,
            args.live_seconds,
        )
        if args.live_seconds > 0
        else None
    )
    if args.json:
        slower, p50 = bare_ratios(figures)
        print(
            json.dumps(
                {
                    "queries": [
                        {
                            "query": f.name,
                            "requests_per_s": f.per_second,
                            "p50_ms": f.p50_ms,
                            "p95_ms": f.p95_ms,
                            "server_cpu_ms": f.cpu_ms,
                        }
                        for f in figures
                    ],
                    "orders_page_vs_bare": {
                        "slower": slower,
                        "p50": p50,
                        "server_cpu": cpu_ratio(figures),
                    },
                }
            )
        )
    else:
        print(report(figures, chosen))
        if live is not None:
            print()
            print(live_report(live))
    return 0


if __name__ == "__main__":
    sys.exit(main())
