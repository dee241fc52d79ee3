"""The live part of `make bench-api`: a live twin's API probed while its model runs.

`retailtwin serve SCENARIO --speed X` runs a busy day, and a probe asks `/healthz` and a
small orders query four times a second, reporting p50/p95/max latency, how far the
simulation got, how far it fell behind the wall clock, and how far the API's data
trailed the model. Nothing here is asserted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx2

from benchmarks.http_measure import percentile, start_server

LIVE_QUERY = "{ orders(first: 5) { totalCount nodes { id status } } }"


@dataclass(frozen=True, slots=True)
class LiveFigures:
    label: str
    speed: float
    seconds: float
    healthz_ms: list[float]
    query_ms: list[float]
    sim_reached_s: float
    max_behind_s: float
    max_stale_s: float


def live_probe(
    scenario: str, overrides: Sequence[str], speed: float, seconds: float
) -> LiveFigures:
    """Probe a live twin while its model runs: /healthz and a small query, 4 per second."""
    sets = [part for override in overrides for part in ("--set", override)]
    server, base = start_server([scenario, *sets, "--speed", f"{speed:g}", "--fresh"])
    label = " ".join([scenario, *overrides, f"at {speed:g}x"])
    print(f"probing a live {label} for {seconds:g}s...", file=sys.stderr)
    healthz: list[float] = []
    queries: list[float] = []
    reached = behind = stale = 0.0
    try:
        with httpx2.Client(base_url=base, timeout=30) as client:
            began = time.monotonic()
            while time.monotonic() - began < seconds:
                tick = time.perf_counter()
                health = client.get("/healthz")
                healthz.append((time.perf_counter() - tick) * 1000)
                body = health.json()
                tick = time.perf_counter()
                client.post("/graphql", json={"query": LIVE_QUERY}).raise_for_status()
                queries.append((time.perf_counter() - tick) * 1000)
                reached = float(body["modelTimeSeconds"])
                behind = max(behind, float(body["behindSeconds"]))
                # how far the read model (what the API shows) trails the model itself
                stale = max(stale, reached - float(body["simTimeSeconds"]))
                time.sleep(max(0.0, 0.25 - (time.perf_counter() - tick)))
            elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    return LiveFigures(label, speed, elapsed, healthz, queries, reached, behind, stale)


def live_report(figures: LiveFigures) -> str:
    def line(name: str, values: list[float]) -> str:
        ordered = sorted(values)
        return (
            f"{name:34} {len(ordered):8,} {percentile(ordered, 50):8.2f} "
            f"{percentile(ordered, 95):8.2f} {ordered[-1]:8.2f}"
        )

    return "\n".join(
        [
            f"Live twin: {figures.label}, {figures.seconds:.0f} s of wall clock; the "
            f"simulation reached {figures.sim_reached_s / 3600:.1f} h, at most "
            f"{figures.max_behind_s:,.0f} simulated s behind the clock; the API's data "
            f"at most {figures.max_stale_s:,.0f} simulated s "
            f"({figures.max_stale_s / figures.speed:.1f} s of wall clock) behind the model",
            f"{'request while the model runs':34} {'n':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'max ms':>8}",
            line("GET /healthz", figures.healthz_ms),
            line("orders(first: 5) query", figures.query_ms),
        ]
    )
