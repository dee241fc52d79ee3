"""`retailtwin compare`: headline metrics per design, with their spread across seeds.

The table an architect defends a decision with: for each variant (one combination of
the `--vary` values), each headline metric's mean and its range over the seeds, so a
difference smaller than the seed-to-seed spread is visibly not a difference. Written as
compare.json (everything, per run too), compare.csv (the table) and runs.csv (one row
per run), next to each run's own report files and a comparison report.html.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.checking.invariants import Invariant
from scenarios.experiments.sweep import Axis, JobOutcome, Variant
from scenarios.spec.own_name import own_name


@dataclass(frozen=True, slots=True)
class Headline:
    key: str
    label: str
    #: "s", "%", "units" or "count": how values are shown
    unit: str
    #: which direction is better, for the reader ("lower" or "higher")
    better: str
    read: Callable[[dict[str, Any]], float | None]


def _invariant(name: Invariant) -> Callable[[dict[str, Any]], float | None]:
    def read(report: dict[str, Any]) -> float | None:
        for check in report["invariants"]:
            if check["name"] == name:
                return float(check["violations"])
        return None

    return read


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


HEADLINES: tuple[Headline, ...] = (
    Headline(
        "oversold_units",
        "oversold units",
        "units",
        "lower",
        lambda r: _number(r["metrics"]["oversell"]["oversold_units"]),
    ),
    Headline(
        "oversell_rate_pct",
        "oversell rate",
        "%",
        "lower",
        lambda r: _number(r["metrics"]["oversell"]["oversell_rate_pct"]),
    ),
    Headline(
        "sync_lag_p95_s",
        "sync lag p95",
        "s",
        "lower",
        lambda r: _number(r["metrics"]["sync_lag_s"]["all"]["p95"]),
    ),
    Headline(
        "order_to_erp_p95_s",
        "order -> ERP p95",
        "s",
        "lower",
        lambda r: _number(r["metrics"]["order_to_erp_s"]["all"]["p95"]),
    ),
    Headline(
        "marketplace_ack_within_window_pct",
        "marketplace ack in window",
        "%",
        "higher",
        lambda r: _number(r["metrics"]["marketplace_ack"]["within_window_pct"]),
    ),
    Headline(
        "dead_letter_drain_s",
        "dead-letter drain",
        "s",
        "lower",
        lambda r: _number(r["metrics"]["recovery"]["dead_letter_drain_s"]),
    ),
    Headline(
        "dead_lettered_total",
        "dead-lettered messages",
        "count",
        "lower",
        lambda r: _number(r["metrics"]["recovery"]["dead_lettered_total"]),
    ),
    Headline(
        "erp_queue_depth_max",
        "ERP queue depth max",
        "count",
        "lower",
        lambda r: _number(r["metrics"]["recovery"]["erp_queue_depth_max"]),
    ),
    Headline("lost_orders", "lost orders", "count", "lower", _invariant(Invariant.NO_LOST_ORDER)),
    Headline(
        "invariant_failures",
        "invariants failed",
        "count",
        "lower",
        lambda r: float(sum(not c["passed"] for c in r["invariants"])),
    ),
    Headline("passed", "runs passed", "count", "higher", lambda r: 1.0 if r["passed"] else 0.0),
)


@dataclass(frozen=True, slots=True)
class Spread:
    """A metric over seeds. `missing` counts runs where it never happened (a queue that
    never drained); the statistics are over the others."""

    n: int
    missing: int
    mean: float | None
    stdev: float | None
    min: float | None
    max: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "missing": self.missing,
            "mean": self.mean,
            "stdev": self.stdev,
            "min": self.min,
            "max": self.max,
        }


def spread(values: Sequence[float | None]) -> Spread:
    present = [v for v in values if v is not None and math.isfinite(v)]
    missing = len(values) - len(present)
    if not present:
        return Spread(len(values), missing, None, None, None, None)
    stdev = statistics.stdev(present) if len(present) > 1 else 0.0
    return Spread(
        len(values),
        missing,
        round(statistics.fmean(present), 6),
        round(stdev, 6),
        min(present),
        max(present),
    )


def run_row(outcome: JobOutcome, base: Path | None) -> dict[str, Any]:
    report = outcome.report
    row: dict[str, Any] = {
        "seed": outcome.job.seed,
        "digest": report["digest"],
        "passed": report["passed"],
        "failed_invariants": [c["name"] for c in report["invariants"] if not c["passed"]],
        "failed_sla": [s["name"] for s in report["sla"] if not s["passed"]],
        "wall_seconds": round(outcome.wall_seconds, 3),
        "replay": report["replay"],
        "metrics": {h.key: h.read(report) for h in HEADLINES},
    }
    if outcome.job.out_dir is not None:
        where = Path(outcome.job.out_dir)
        row["dir"] = str(where.relative_to(base)) if base is not None else str(where)
    return row


def scenario_name(scenario: str, outcomes: Sequence[JobOutcome]) -> str:
    """The name the scenario gives itself (every run's report holds it), which titles the
    comparison; `scenario` is how it was asked for, a shipped name or a file's path."""
    for outcome in outcomes:
        named = own_name(outcome.report.get("scenario_spec", {}), "")
        if named:
            return named
    return scenario


def build(
    scenario: str,
    base_overrides: Sequence[str],
    axes: Sequence[Axis],
    seeds: Sequence[int],
    found: Sequence[Variant],
    outcomes: Sequence[JobOutcome],
    jobs: int,
    wall_seconds: float,
    out_dir: Path | None = None,
) -> dict[str, Any]:
    """compare.json's content."""
    variants = []
    for v, variant in enumerate(found):
        mine = [o for o in outcomes if o.job.variant == v]
        runs = [run_row(o, out_dir) for o in mine]
        summary = {h.key: spread([r["metrics"][h.key] for r in runs]).to_json() for h in HEADLINES}
        variants.append(
            {
                "label": variant.label,
                "overrides": list(variant.overrides),
                "slug": variant.slug,
                "summary": summary,
                "runs": runs,
            }
        )
    return {
        "scenario": scenario,
        "scenario_name": scenario_name(scenario, outcomes),
        "overrides": list(base_overrides),
        "axes": [{"key": a.key, "values": list(a.values)} for a in axes],
        "seeds": list(seeds),
        "jobs": jobs,
        "wall_seconds": round(wall_seconds, 3),
        "metrics": [
            {"key": h.key, "label": h.label, "unit": h.unit, "better": h.better} for h in HEADLINES
        ],
        "variants": variants,
    }
