"""Prometheus metrics for `/metrics`: the API's own traffic, the run's state, and the
estate's business metrics.

Request counts and latencies are recorded as operations finish, by the schema extension
in graph/request_metrics.py. Everything about the run is read at scrape time from the
read model, so a scrape shows what the API itself would report:

- the run's state (simulated time, finished, SLA status, sync lag p95 so far) from the
  operations snapshot and the run document;
- the business metrics (latency histograms by channel, orders, oversells, duplicates,
  queues, breakers, dead letters, reconciliation backlog) from the `metrics` document:
  OpenMetrics text the twin writes (scenarios/checking/business_metrics.py defines the
  families; the API, which knows nothing of the simulation, passes them on as they are).

Each app has its own registry, so tests and several servers in one process never share
counters. The answer is OpenMetrics when the scraper asks for it (Prometheus does), the
classic text format otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: the read model document holding the estate's business metrics, and its key
METRICS_DOCUMENT = "metrics"
OPENMETRICS_KEY = "openmetrics"


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
        lag = GaugeMetricFamily(
            "retailtwin_sync_lag_p95_seconds",
            "95th percentile sync lag so far (retailtwin_sync_lag_seconds has them all).",
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


class EstateCollector(Collector):
    """The business metrics, from the OpenMetrics text of the `metrics` document. The
    text is parsed once per document, not once per scrape."""

    def __init__(self) -> None:
        self._text = ""
        self._families: list[Metric] = []

    def update(self, document: dict[str, Any] | None) -> None:
        text = "" if document is None else str(document.get(OPENMETRICS_KEY, ""))
        if text != self._text:
            self._text = text
            parsed = text_string_to_metric_families(text)  # type: ignore[no-untyped-call]
            self._families = list(parsed) if text else []

    def collect(self) -> Iterable[Metric]:
        return list(self._families)


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
        self.estate = EstateCollector()
        self.registry.register(self.estate)

    def render(
        self,
        operations: dict[str, Any] | None,
        run: dict[str, Any] | None,
        subscribers: int,
        estate: dict[str, Any] | None = None,
        accept: str | None = None,
    ) -> tuple[bytes, str]:
        """The scrape's body and content type: OpenMetrics if `accept` asks for it."""
        self.twin.operations, self.twin.run = operations, run
        self.estate.update(estate)
        self.subscriptions.set(subscribers)
        encoder, content_type = choose_encoder(accept or "")
        return encoder(self.registry), content_type
