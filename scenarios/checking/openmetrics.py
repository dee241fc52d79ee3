"""What the business metrics take from prometheus-client (its metric families, its
registry and its OpenMetrics writer), imported without the package's HTTP exposition.

Importing any part of prometheus-client runs its package's `__init__`, which imports
`prometheus_client.exposition` whatever is asked for, and with it `http.server`,
`wsgiref`, `urllib.request` and `ssl`: some 84M instructions (about 20 ms) that
`run --out DIR` paid after the day for metrics.prom, which needs none of them (issue 18
item 4). The parts used here import only each other (`metrics_core`, `samples`,
`validation`, `utils`, `registry`, `openmetrics.exposition`), so when nothing has
imported the package yet, it is registered unexecuted (made from its own spec, its
`__init__` not run) while they are imported, and left to complete itself: the first
name asked of it that it lacks (`from prometheus_client import Counter`, as
`graph.metrics` does for `retailtwin serve`) runs its `__init__` then, into the same
module, so every importer gets the one package, whole, and the same classes. Where the
package was imported already, this is the ordinary import.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

PACKAGE = "prometheus_client"


def _defer_package_init() -> None:
    """Register prometheus-client's package unexecuted, completing itself on demand."""
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None:
        return  # not installed: the imports below say so
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader
    once = threading.Lock()

    def complete(name: str) -> Any:
        """Run the package's `__init__` into it, once, and answer the name asked."""
        with once:
            if package.__dict__.pop("__getattr__", None) is not None:
                loader.exec_module(package)
        return getattr(package, name)

    package.__dict__["__getattr__"] = complete
    sys.modules[PACKAGE] = package


def package_is_complete(module: ModuleType) -> bool:
    """Whether prometheus-client's `__init__` has run into `module` (for the tests)."""
    return "__getattr__" not in module.__dict__


_defer_package_init()

# the package's parts, imported once it is registered (so not at the top)
from prometheus_client.metrics_core import (  # noqa: E402
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.openmetrics import exposition  # noqa: E402
from prometheus_client.registry import Collector, CollectorRegistry  # noqa: E402

__all__ = [
    "Collector",
    "CollectorRegistry",
    "CounterMetricFamily",
    "GaugeMetricFamily",
    "HistogramMetricFamily",
    "Metric",
    "exposition",
]
