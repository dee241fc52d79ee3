"""The comparison's report.html: the headline table, every seed of every metric, the
runs' time series side by side, and links to each run's own report."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from scenarios.reports import compare_charts
from scenarios.reports.compare_tables import table_rows
from scenarios.reports.run_page import chart_block, page, table
from scenarios.reports.series import RunSeries


def compare_page(comparison: dict[str, Any], runs: Sequence[Sequence[RunSeries]]) -> str:
    """`runs[v]` holds the series of variant v's runs, in seed order."""
    variants = comparison["variants"]
    labels = [v["label"] for v in variants]
    seeds = comparison["seeds"]
    base = " ".join(f"--set {o}" for o in comparison["overrides"]) or "none"
    vary = " ".join(f"--vary {a['key']}={','.join(a['values'])}" for a in comparison["axes"])
    head = (
        f"<h1>Comparison: {escape(_name(comparison))}</h1>"
        f'<p class="meta">varied: <code>{escape(vary or "nothing")}</code>; base '
        f"overrides: <code>{escape(base)}</code></p>"
        f'<p class="meta">{len(variants)} variants x {len(seeds)} seeds '
        f"({', '.join(str(s) for s in seeds)}) = {len(variants) * len(seeds)} runs on "
        f"{_workers(comparison['jobs'])} in {comparison['wall_seconds']:.1f} s</p>"
    )
    headline = table(
        ["metric (mean, min..max over seeds)", *labels],
        ([escape(name), *(escape(c) for c in cells)] for name, cells in table_rows(comparison)),
        numeric=range(1, len(labels) + 1),
    )
    run_rows = []
    for variant in variants:
        for run in variant["runs"]:
            link = run.get("dir")
            report = f'<a href="{escape(link)}/report.html">report</a>' if link else ""
            failed = ", ".join(run["failed_invariants"] + run["failed_sla"]) or "-"
            run_rows.append(
                (
                    escape(variant["label"]),
                    str(run["seed"]),
                    "pass" if run["passed"] else "<b>FAIL</b>",
                    escape(failed),
                    f"<code>{escape(run['digest'])}</code>",
                    report,
                )
            )
    parts = [
        head,
        "<h2>Headline metrics</h2>",
        headline,
        "<h2>Every seed</h2>",
        chart_block(
            compare_charts.metric_dots(comparison),
            "Each dot is one seed's run; the bar is the mean over seeds. Ranges that "
            "overlap are not a difference.",
        ),
        "<h2>Over simulated time</h2>",
        chart_block(
            compare_charts.side_by_side(labels, runs),
            "One column per variant, one line per seed. Every panel of a row has the same "
            "value axis, every panel the same time axis. Queues are drawn as the highest "
            "per-minute sample in each bin; shaded: fault windows.",
        ),
        "<h2>Runs</h2>",
        table(
            ("variant", "seed", "result", "failed checks", "digest", "report"),
            run_rows,
            numeric=(1,),
        ),
    ]
    return page(f"{_name(comparison)} compared: retailtwin", "\n".join(parts))


def _name(comparison: dict[str, Any]) -> str:
    """The scenario's own name; compare.json written before it was recorded has only how
    the scenario was asked for."""
    return str(comparison.get("scenario_name") or comparison["scenario"])


def _workers(jobs: int) -> str:
    return "one process, one after another" if jobs == 1 else f"{jobs} worker processes"
