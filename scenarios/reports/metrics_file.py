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
from scenarios.checking.observations import Walked
from scenarios.checking.truth import Truth
from scenarios.checking.verdict import Verdict
from scenarios.twin.run_result import RunResult

METRICS_FILE = "metrics.prom"


def metrics_text(
    result: RunResult, truth: Truth, verdict: Verdict | None = None, walked: Walked | None = None
) -> bytes:
    """The file's content: the finished run's families as OpenMetrics text. With the
    run's `verdict` (judged from `truth`), the figures it computed already (the
    delivery figures, the reconciliation backlog, the ERP ledger, ...) are taken from
    its metrics, judged the way it was, instead of being computed a second time: the
    same text for less work. `walked`: the latencies the verdict tallied
    (`observations.walk`), for the same reason."""
    if verdict is None:
        return business_metrics.exposition_text(result, truth, final=True, walked=walked)
    return business_metrics.exposition_text(
        result,
        truth,
        final=True,
        judged_from=verdict.judged_from,
        judged=verdict.metrics,
        walked=walked,
    )


def write_metrics_file(
    result: RunResult, truth: Truth, out_dir: Path, text: bytes | None = None
) -> Path:
    """Write OUT_DIR/metrics.prom, OUT_DIR being a folder that exists (an output
    folder's staging folder), and return its path; `text`: `metrics_text`'s, if made
    already."""
    path = out_dir / METRICS_FILE
    path.write_bytes(metrics_text(result, truth) if text is None else text)
    return path
