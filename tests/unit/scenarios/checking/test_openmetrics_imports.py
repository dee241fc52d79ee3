"""`scenarios.checking.openmetrics`: the business metrics' parts of prometheus-client come
without its HTTP exposition, and the package still completes itself, one package with
the same classes, for whatever imports it whole later (`retailtwin serve`'s
graph.metrics). In fresh interpreters: this one has imported prometheus-client already."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

_FIRST = """
import sys
import scenarios.checking.business_metrics
import scenarios.reports.metrics_file
heavy = ["http.server", "ssl", "urllib.request", "wsgiref", "prometheus_client.exposition"]
print(sorted(name for name in heavy if name in sys.modules))
"""

_THEN_WHOLE = """
import sys
from scenarios.checking import openmetrics
import prometheus_client
print(openmetrics.package_is_complete(prometheus_client))
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
import prometheus_client.registry
whole = sys.modules["prometheus_client"]
print(openmetrics.package_is_complete(prometheus_client), whole is prometheus_client)
print(CollectorRegistry is openmetrics.CollectorRegistry is whole.registry.CollectorRegistry)
print(GaugeMetricFamily is openmetrics.GaugeMetricFamily)
print(prometheus_client.openmetrics.exposition is openmetrics.exposition)
Counter("retailtwin_test_calls", "calls").inc()
print(b"retailtwin_test_calls_total 1.0" in generate_latest(REGISTRY))
"""

_WHOLE_FIRST = """
import prometheus_client
from scenarios.checking import openmetrics
print(openmetrics.package_is_complete(prometheus_client))
print(openmetrics.Metric is prometheus_client.Metric)
"""


def _run(source: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", source], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_business_metrics_import_no_http_exposition() -> None:
    assert _run(_FIRST) == ["[]"]


def test_the_package_completes_itself_when_asked_for_what_it_lacks() -> None:
    assert _run(_THEN_WHOLE) == ["False", "True True", "True", "True", "True", "True"]


def test_a_package_imported_whole_first_is_used_as_it_is() -> None:
    assert _run(_WHOLE_FIRST) == ["True", "True"]
