"""No request stalls another: while a client runs the costliest query the cost limit
allows, again and again, on a real `retailtwin serve`, `/healthz` keeps answering
within 50 ms at p95.

It did not (issue 15, item 3): the query's thousands of small task steps filled each
turn of the server's event loop, which reads a new request only between turns. Queries
now execute on worker threads with event loops of their own (graph/query_threads.py).
Side by side, three runs each on a shared two-core machine, /healthz p95 went from
98-152 ms to 13-23 ms (load 1.5-2), and from 191-316 ms to 20-71 ms (load 5-6). The
switch interval matters: at the interpreter's default 5 ms the server's loop waits up
to an interval for the GIL after each of its waits for I/O, and p95 was 23-126 ms.
The slowest sample (0.12-0.2 s) is a full garbage collection, which stops every thread:
`serve --db` keeps the collector's defaults (with the live twin's tuning,
scenarios/twin/gc_tuning.py, it was 32-43 ms)."""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

import httpx2
import pytest
from graph_support import finished_run, serve_process

from graph.settings import ApiSettings

#: a page of 80 orders with everything about each, at ~960 of the 1000 points a query
#: may cost (12 points an order): the most a client can ask for at once
COSTLIEST = """{ orders(first: 80) { nodes {
  id status channel placedAt totalCents
  lines { quantity shippedQuantity sku { id name } }
  payments { state capturedCents } shipments { id kind } statusHistory { status at }
  timeline { sequence at source target kind delaySeconds detail }
  crossSystem { inSync records { system recordId status fields { name value } }
    disagreements { system field } }
  returns { id status }
} } }"""

SAMPLES = 60
P95_LIMIT_S = 0.05


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.95 * len(ordered)) - 1]


def test_the_costliest_query_allowed_never_stalls_healthz(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out = finished_run()
    # one client looping the query: its bucket must not be what slows it down
    monkeypatch.setenv("RETAILTWIN_COST_RESTORE_RATE", "1000000")
    with serve_process("--db", str(out)) as base:
        first = httpx2.post(f"{base}/graphql", json={"query": COSTLIEST}, timeout=60)
        assert first.status_code == 200, first.text
        body: dict[str, Any] = first.json()
        assert "errors" not in body
        requested = body["extensions"]["cost"]["requestedQueryCost"]
        assert ApiSettings().max_cost - 50 < requested <= ApiSettings().max_cost
        assert len(body["data"]["orders"]["nodes"]) == 80

        stop = threading.Event()
        durations: list[float] = []

        def hammer() -> None:
            with httpx2.Client(timeout=60) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    response = client.post(f"{base}/graphql", json={"query": COSTLIEST})
                    assert response.status_code == 200, response.text
                    durations.append(time.perf_counter() - started)

        worker = threading.Thread(target=hammer, daemon=True)
        worker.start()
        samples: list[float] = []
        # the test's own heap (the finished run) must not make the client the slow one
        gc.freeze()
        try:
            with httpx2.Client(timeout=10) as client:
                while len(durations) < 1:  # the query is running
                    time.sleep(0.01)
                for _ in range(SAMPLES):
                    started = time.perf_counter()
                    assert client.get(f"{base}/healthz").status_code == 200
                    samples.append(time.perf_counter() - started)
                    time.sleep(0.02)
        finally:
            stop.set()
            worker.join(timeout=60)
            gc.unfreeze()
        p95 = _p95(samples)
        query_s = sorted(durations)[len(durations) // 2]
        print(
            f"healthz p50 {sorted(samples)[len(samples) // 2] * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms over {len(samples)} "
            f"samples; the costliest query ran {len(durations)} times, "
            f"median {query_s * 1000:.0f} ms"
        )
        assert len(durations) >= 2, "the costly query should have kept running meanwhile"
        assert p95 < P95_LIMIT_S, f"/healthz p95 {p95 * 1000:.1f} ms while the query ran"
