"""A comparison as tables: the headline table `compare` prints and report.html shows
(each metric's mean and range per variant), and the files beside it: compare.json
(everything), compare.csv (the table) and runs.csv (one row per run).

They read the comparison document (`scenarios.experiments.compare.build`) and nothing
else, so a compare.json written yesterday renders the same way today.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def format_number(value: float | None, unit: str) -> str:
    if value is None:
        return "never"
    if unit == "s":
        return f"{value:,.1f} s" if value < 600 else f"{value / 60:,.1f} min"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:,.1f}" if value != int(value) else f"{value:,.0f}"


def format_spread(summary: dict[str, Any], unit: str, key: str) -> str:
    """`mean (min..max)`; "never in k/n" when some runs never reached it; passed as
    `k/n`."""
    n, missing = summary["n"], summary["missing"]
    if key == "passed":
        return f"{round((summary['mean'] or 0.0) * n)}/{n}"
    if summary["mean"] is None:
        return f"never ({missing}/{n})"
    text = format_number(summary["mean"], unit)
    if n > 1 and summary["min"] != summary["max"]:
        text += f"  ({format_number(summary['min'], unit)}..{format_number(summary['max'], unit)})"
    if missing:
        text += f", never in {missing}/{n}"
    return text


def table_rows(comparison: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(metric label, one cell per variant), the table `compare` prints and the HTML
    report shows."""
    rows = []
    for metric in comparison["metrics"]:
        cells = [
            format_spread(v["summary"][metric["key"]], metric["unit"], metric["key"])
            for v in comparison["variants"]
        ]
        better = "lower is better" if metric["better"] == "lower" else "higher is better"
        rows.append((f"{metric['label']} ({better})", cells))
    return rows


def write_tables(comparison: dict[str, Any], out_dir: Path) -> list[Path]:
    json_path = out_dir / "compare.json"
    json_path.write_text(json.dumps(comparison, indent=2) + "\n", encoding="utf-8")
    keys = [m["key"] for m in comparison["metrics"]]
    csv_path = out_dir / "compare.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "variant",
                "runs",
                *(
                    f"{k}_{stat}"
                    for k in keys
                    for stat in ("mean", "stdev", "min", "max", "missing")
                ),
            ]
        )
        for variant in comparison["variants"]:
            summary = variant["summary"]
            writer.writerow(
                [
                    variant["label"],
                    len(variant["runs"]),
                    *(
                        _cell(summary[k][stat])
                        for k in keys
                        for stat in ("mean", "stdev", "min", "max", "missing")
                    ),
                ]
            )
    runs_path = out_dir / "runs.csv"
    with runs_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["variant", "seed", "digest", "passed", "failed_invariants", "failed_sla", *keys, "dir"]
        )
        for variant in comparison["variants"]:
            for run in variant["runs"]:
                writer.writerow(
                    [
                        variant["label"],
                        run["seed"],
                        run["digest"],
                        run["passed"],
                        " ".join(run["failed_invariants"]),
                        " ".join(run["failed_sla"]),
                        *(_cell(run["metrics"][k]) for k in keys),
                        run.get("dir", ""),
                    ]
                )
    return [json_path, csv_path, runs_path]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
