"""metrics.prom: a finished run's business metrics as an OpenMetrics text file.

`run --out DIR` writes DIR/metrics.prom, and `compare --out DIR` one in each run's
folder (runs/VARIANT/seed-N/metrics.prom), beside report.json. The families are the
ones `retailtwin serve` shows at /metrics (`scenarios.checking.metric_families`), valued
at the end of the run, so the queries of the Grafana dashboard (dashboards/) read a
batch run as they read a live one. The file is listed in the folder's manifest like
every other.
"""

from __future__ import annotations

from pathlib import Path

from scenarios.checking import business_metrics
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult

METRICS_FILE = "metrics.prom"


def write_metrics_file(result: RunResult, truth: Truth, out_dir: Path) -> Path:
    """Write OUT_DIR/metrics.prom, OUT_DIR being a folder that exists (an output
    folder's staging folder), and return its path."""
    path = out_dir / METRICS_FILE
    path.write_bytes(business_metrics.exposition_text(result, truth, final=True))
    return path
