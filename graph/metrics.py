"""Prometheus metrics for `/metrics`: the API's own traffic and the twin's health.

Request counts and latencies are recorded as operations finish, by the schema extension
in graph/request_metrics.py; the twin's gauges (simulated time, queue depths, breakers,
dead letters, sync lag, SLA status) are read from the operations snapshot at scrape time,
so a scrape always shows the state the API itself would report. Each app has its own
registry, so tests and several servers in one process never share counters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class TwinCollector(Collector):
    """Gauges from the last operations snapshot and run document."""

    def __init__(self) -> None:
        self.operations: dict[str, Any] | None = None
        self.run: dict[str, Any] | None = None

    def collect(self) -> Iterable[Metric]:
        ops, run = self.operations, self.run
        if ops is None or run is None:
            return []
        return list(self._families(ops, run))

    @staticmethod
    def _families(ops: dict[str, Any], run: dict[str, Any]) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "retailtwin_sim_time_seconds",
            "Simulated seconds since the start of the run.",
            value=float(ops["sim_time_s"]),
        )
        yield GaugeMetricFamily(
            "retailtwin_run_finished",
            "1 once the run has drained.",
            value=1.0 if run["finished"] else 0.0,
        )
        yield GaugeMetricFamily(
            "retailtwin_dead_letter_depth",
            "Dead letters waiting.",
            value=float(ops["dead_letters"]["depth"]),
        )
        yield GaugeMetricFamily(
            "retailtwin_parked_events",
            "Facts held back until their order or return arrives.",
            value=float(ops["parked_events"]),
        )
        yield GaugeMetricFamily(
            "retailtwin_erp_backlog",
            "Requests waiting inside the ERP.",
            value=float(ops["erp_backlog"]),
        )
        depth = GaugeMetricFamily(
            "retailtwin_lane_queue_depth",
            "Calls the hub has accepted for a backend and not settled.",
            labels=["system"],
        )
        breaker = GaugeMetricFamily(
            "retailtwin_breaker_open",
            "1 when a backend's circuit breaker is open or half open.",
            labels=["system"],
        )
        for lane in ops["lanes"]:
            depth.add_metric([lane["system"]], float(lane["queue_depth"]))
            breaker.add_metric([lane["system"]], 0.0 if lane["breaker"] == "closed" else 1.0)
        yield depth
        yield breaker
        lag = GaugeMetricFamily(
            "retailtwin_sync_lag_p95_seconds",
            "95th percentile sync lag so far.",
            labels=["scope", "name"],
        )
        for row in ops["sync_lag"]:
            if row["p95"] is not None:
                lag.add_metric([row["scope"], row["name"]], float(row["p95"]))
        yield lag
        sla = GaugeMetricFamily("retailtwin_sla_passing", "1 while an SLA is met.", labels=["name"])
        for result in ops["sla"]["results"]:
            sla.add_metric([result["name"]], 1.0 if result["passed"] else 0.0)
        yield sla


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "retailtwin_graphql_requests",
            "GraphQL operations by type and outcome.",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "retailtwin_graphql_request_seconds",
            "Time to execute a GraphQL operation.",
            ["operation"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
        )
        self.subscriptions = Gauge(
            "retailtwin_subscriptions_active", "Open subscriptions.", registry=self.registry
        )
        self.twin = TwinCollector()
        self.registry.register(self.twin)

    def render(
        self, operations: dict[str, Any] | None, run: dict[str, Any] | None, subscribers: int
    ) -> bytes:
        self.twin.operations, self.twin.run = operations, run
        self.subscriptions.set(subscribers)
        return generate_latest(self.registry)
