"""Charts that put designs side by side: every seed's value of each headline metric,
and the time series of every run, coloured by variant.

Each seed is drawn, not only the mean, so the reader sees at a glance whether two
designs' ranges overlap (no real difference) or separate (a finding).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.figure import Figure

from scenarios.reports.charts import PALETTE, duration_axis, hours, shade_faults, styled, to_svg
from scenarios.reports.series import RunSeries

SeriesOf = Callable[[RunSeries], tuple[list[float], list[float]]]


def metric_dots(comparison: dict[str, Any]) -> str:
    """One small panel per headline metric: a row per variant, a dot per seed, a bar at
    the mean."""
    metrics = [m for m in comparison["metrics"] if m["key"] != "passed"]
    variants = comparison["variants"]
    columns = 2
    rows = math.ceil(len(metrics) / columns)
    with styled():
        fig = Figure(figsize=(10, 0.35 * len(variants) * rows + 1.1 * rows))
        axes = fig.subplots(rows, columns, squeeze=False)
        for i, metric in enumerate(metrics):
            ax = axes[i // columns][i % columns]
            better = "lower" if metric["better"] == "lower" else "higher"
            unit = {"s": " (s)", "%": " (%)"}.get(metric["unit"], "")
            ax.set_title(f"{metric['label']}{unit}, {better} is better", fontsize=9)
            for row, variant in enumerate(variants):
                values = [r["metrics"][metric["key"]] for r in variant["runs"]]
                present = [v for v in values if v is not None]
                colour = PALETTE[row % len(PALETTE)]
                ax.scatter(present, [row] * len(present), color=colour, s=18, alpha=0.8, zorder=3)
                mean = variant["summary"][metric["key"]]["mean"]
                if mean is not None:
                    ax.plot(
                        [mean, mean], [row - 0.3, row + 0.3], color=colour, linewidth=2.5, zorder=4
                    )
                missing = len(values) - len(present)
                if missing:
                    ax.annotate(
                        f"never in {missing}",
                        xy=(1.0, row),
                        xycoords=("axes fraction", "data"),
                        ha="right",
                        va="center",
                        fontsize=7,
                        color=colour,
                    )
            ax.set_yticks(range(len(variants)), [_short(v["label"]) for v in variants], fontsize=8)
            ax.set_ylim(-0.6, len(variants) - 0.4)
            ax.invert_yaxis()
            # every headline metric is a count, a duration or a share: start at zero, so
            # a small difference is not drawn as a large one
            top = max(
                (r["metrics"][metric["key"]] or 0.0 for v in variants for r in v["runs"]),
                default=0.0,
            )
            ax.set_xlim(0, top * 1.15 if top > 0 else 1.0)
        for j in range(len(metrics), rows * columns):
            axes[j // columns][j % columns].set_visible(False)
        fig.tight_layout()
        return to_svg(fig, "metric-dots")


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _sync_p95(series: RunSeries) -> tuple[list[float], list[float]]:
    bins = series.sync_lag.get("all")
    return (list(bins.start_s), list(bins.p95_s)) if bins else ([], [])


def _gauge(name: str) -> SeriesOf:
    def pick(series: RunSeries) -> tuple[list[float], list[float]]:
        return list(series.t), list(series.gauges.get(name, []))

    return pick


def _oversold(series: RunSeries) -> tuple[list[float], list[float]]:
    return list(series.t), list(series.oversold_cumulative.get("all", []))


PANELS: tuple[tuple[str, str, SeriesOf], ...] = (
    ("Sync lag p95 per 10 minutes (log scale)", "lag", _sync_p95),
    ("Hub ERP write queue depth", "messages", _gauge("erp_queue_depth")),
    ("Dead-letter queue depth", "messages", _gauge("dead_letter_depth")),
    ("Oversold units, cumulative by order placing time", "units", _oversold),
)


def over_time(labels: Sequence[str], runs: Sequence[Sequence[RunSeries]]) -> str:
    """The runs' time series, one colour per variant, a thin line per seed."""
    first = next((r[0] for r in runs if r), None)
    with styled():
        fig = Figure(figsize=(10, 2.6 * len(PANELS)))
        axes = fig.subplots(len(PANELS), 1, sharex=True)
        for ax, (title, unit, pick) in zip(axes, PANELS, strict=True):
            ax.set_title(title)
            if first is not None:
                shade_faults(ax, first.faults, label=ax is axes[0])
            lows, highs = [], []
            for v, (label, variant_runs) in enumerate(zip(labels, runs, strict=True)):
                colour = PALETTE[v % len(PALETTE)]
                for k, series in enumerate(variant_runs):
                    xs, ys = pick(series)
                    if not ys:
                        continue
                    ax.plot(
                        hours(xs[: len(ys)]),
                        ys,
                        color=colour,
                        linewidth=1.0,
                        alpha=0.75,
                        drawstyle="steps-post",
                        label=_short(label, 40) if k == 0 else None,
                    )
                    positive = [y for y in ys if y > 0]
                    if positive:
                        lows.append(min(positive))
                        highs.append(max(positive))
            ax.set_ylabel(unit)
            if unit == "lag" and lows:
                duration_axis(ax, min(lows), max(highs), axis="y")
            else:
                ax.set_ylim(0, max(1.0, *highs) * 1.05 if highs else 1.0)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
        if first is not None:
            axes[-1].set_xlim(0, first.end_s / 3600.0)
        axes[-1].set_xlabel("simulated time (h)")
        fig.tight_layout()
        return to_svg(fig, "over-time")
