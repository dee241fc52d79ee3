"""The comparison table: spread over seeds (never-happened values kept apart), the
headline metrics read from report.json content, and the files written."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from scenarios.experiments.compare import HEADLINES, spread
from scenarios.reports.compare_tables import format_spread, write_tables


def test_spread_counts_never_apart_from_the_statistics() -> None:
    s = spread([10.0, None, 30.0])
    assert (s.n, s.missing, s.mean, s.min, s.max) == (3, 1, 20.0, 10.0, 30.0)
    assert s.stdev is not None and abs(s.stdev - 14.142136) < 1e-5
    assert spread([None, None]).mean is None
    assert spread([4.0]).stdev == 0.0


def test_format_spread() -> None:
    assert format_spread(spread([1.0, 2.0, 3.0]).to_json(), "count", "x") == "2  (1..3)"
    assert format_spread(spread([5.0, 5.0]).to_json(), "count", "x") == "5"
    assert format_spread(spread([None, 90.0]).to_json(), "s", "x") == "90.0 s, never in 1/2"
    assert format_spread(spread([None]).to_json(), "s", "x") == "never (1/1)"
    assert format_spread(spread([1.0, 0.0, 1.0]).to_json(), "count", "passed") == "2/3"


def _report(oversold: int, lost: int, drain: float | None) -> dict[str, Any]:
    return {
        "passed": lost == 0,
        "invariants": [
            {"name": "no_lost_order", "passed": lost == 0, "violations": lost},
            {"name": "exactly_once", "passed": True, "violations": 0},
        ],
        "metrics": {
            "oversell": {"oversold_units": oversold, "oversell_rate_pct": 0.5},
            "sync_lag_s": {"all": {"p95": 2.5}},
            "order_to_erp_s": {"all": {"p95": 60.0}},
            "marketplace_ack": {"within_window_pct": 99.5},
            "recovery": {
                "dead_letter_drain_s": drain,
                "dead_lettered_total": 4,
                "erp_queue_depth_max": 12,
            },
        },
    }


def test_headlines_read_report_json() -> None:
    values = {h.key: h.read(_report(7, 2, None)) for h in HEADLINES}
    assert values == {
        "oversold_units": 7.0,
        "oversell_rate_pct": 0.5,
        "sync_lag_p95_s": 2.5,
        "order_to_erp_p95_s": 60.0,
        "marketplace_ack_within_window_pct": 99.5,
        "dead_letter_drain_s": None,
        "dead_lettered_total": 4.0,
        "erp_queue_depth_max": 12.0,
        "lost_orders": 2.0,
        "invariant_failures": 1.0,
        "passed": 0.0,
    }


def test_tables_are_written_as_json_and_csv(tmp_path: Path) -> None:
    runs = [
        {
            "seed": s,
            "digest": f"d{s}",
            "passed": True,
            "failed_invariants": [],
            "failed_sla": [],
            "metrics": {h.key: h.read(_report(s, 0, 60.0)) for h in HEADLINES},
        }
        for s in (1, 2)
    ]
    comparison = {
        "metrics": [
            {"key": h.key, "label": h.label, "unit": h.unit, "better": h.better} for h in HEADLINES
        ],
        "variants": [
            {
                "label": "hub.sync=event",
                "runs": runs,
                "summary": {
                    h.key: spread([r["metrics"][h.key] for r in runs]).to_json() for h in HEADLINES
                },
            }
        ],
    }
    paths = write_tables(comparison, tmp_path)
    assert [p.name for p in paths] == ["compare.json", "compare.csv", "runs.csv"]
    assert json.loads(paths[0].read_text())["variants"][0]["label"] == "hub.sync=event"
    rows = list(csv.DictReader(paths[1].read_text().splitlines()))
    assert rows[0]["variant"] == "hub.sync=event"
    assert float(rows[0]["oversold_units_mean"]) == 1.5
    assert rows[0]["oversold_units_min"] == "1.0" and rows[0]["oversold_units_max"] == "2.0"
    per_run = list(csv.DictReader(paths[2].read_text().splitlines()))
    assert [r["seed"] for r in per_run] == ["1", "2"]
