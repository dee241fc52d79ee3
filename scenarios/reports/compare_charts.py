"""Charts that put designs side by side: every seed's value of each headline metric,
and the runs' time series with one column per variant.

Each seed is drawn, not only the mean, so the reader sees at a glance whether two
designs' ranges overlap (no real difference) or separate (a finding). Variants are
never drawn over one another: each has its own column, and every panel of a row has
the same value axis and every panel the same time axis, so equal heights mean equal
values. A metric or a series that is zero in every run is left out and named.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from scenarios.reports import panels
from scenarios.reports.charts import (
    count_axis,
    duration_axis,
    panel_id,
    shade_faults,
    styled,
    time_axis,
    to_svg,
)
from scenarios.reports.drawn import Chart
from scenarios.reports.series import RunSeries
from scenarios.reports.style import PALETTE, hours

#: (times, values) of one run's series in a row
Picked = tuple[list[float], list[float]]
#: height of one row of the side-by-side chart (inches)
ROW_H = 1.55


def _values(run: dict[str, Any], key: str) -> list[float | None]:
    values: list[float | None] = [r["metrics"][key] for r in run["runs"]]
    return values


def metric_dots_plan(
    comparison: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """(the headline metrics worth a panel, the labels of those zero in every run, the
    labels of those no run ever reached: a queue that never drained)."""
    drawn, zero, never = [], [], []
    for metric in comparison["metrics"]:
        if metric["key"] == "passed":
            continue
        every = [v for variant in comparison["variants"] for v in _values(variant, metric["key"])]
        if all(v is None for v in every):
            never.append(metric["label"])
        elif all(v == 0 for v in every):
            zero.append(metric["label"])
        else:
            drawn.append(metric)
    return drawn, zero, never


def metric_dots_figure(comparison: dict[str, Any]) -> Figure | None:
    """One small panel per headline metric worth one: a row per variant, a dot per
    seed, a bar at the mean."""
    variants = comparison["variants"]
    drawn = metric_dots_plan(comparison)[0]
    if not drawn:
        return None
    columns = 2 if len(drawn) > 1 else 1
    rows = math.ceil(len(drawn) / columns)
    fig = Figure(figsize=(10, 0.35 * len(variants) * rows + 1.1 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).flatten()
    for ax, metric in zip(axes, drawn, strict=False):
        panel_id(ax, metric["key"])
        _metric_panel(ax, metric, variants)
    for ax in axes[len(drawn) :]:
        fig.delaxes(ax)
    return fig


def _metric_panel(ax: Axes, metric: dict[str, Any], variants: list[dict[str, Any]]) -> None:
    better = "lower" if metric["better"] == "lower" else "higher"
    unit = {"s": " (s)", "%": " (%)"}.get(metric["unit"], "")
    ax.set_title(f"{metric['label']}{unit}, {better} is better", fontsize=9)
    for row, variant in enumerate(variants):
        values = _values(variant, metric["key"])
        present = [v for v in values if v is not None]
        colour = PALETTE[row % len(PALETTE)]
        ax.scatter(present, [row] * len(present), color=colour, s=18, alpha=0.8, zorder=3)
        mean = variant["summary"][metric["key"]]["mean"]
        if mean is not None:
            ax.plot([mean, mean], [row - 0.3, row + 0.3], color=colour, linewidth=2.5, zorder=4)
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
    # every headline metric is a count, a duration or a share: start at zero, so a
    # small difference is not drawn as a large one
    top = max(
        (v or 0.0 for variant in variants for v in _values(variant, metric["key"])), default=0.0
    )
    ax.set_xlim(0, top * 1.15 if top > 0 else 1.0)


def metric_dots(comparison: dict[str, Any]) -> Chart:
    drawn, zero, never = metric_dots_plan(comparison)
    with styled():
        fig = metric_dots_figure(comparison)
        svg = None if fig is None else to_svg(fig, "metric-dots")
    sentences = []
    if zero:
        sentences.append(f"Zero in every run, not drawn: {', '.join(zero)}.")
    if never:
        sentences.append(f"Never reached in any run, not drawn: {', '.join(never)}.")
    return Chart("metric-dots", svg, tuple(m["key"] for m in drawn), " ".join(sentences))


def _short(label: str, width: int = 28) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the side-by-side chart: a series every run has, one panel per
    variant."""

    key: str
    title: str
    unit: str
    pick: Callable[[RunSeries, float], Picked]
    #: how the left-out line names it when it is zero in every run ("no ...")
    absent: str
    log: bool = False


def _sync_p95(series: RunSeries, bin_s: float) -> Picked:
    bins = series.sync_lag.get("all")
    return (list(bins.start_s), list(bins.p95_s)) if bins else ([], [])


def _gauge(name: str) -> Callable[[RunSeries, float], Picked]:
    def pick(series: RunSeries, bin_s: float) -> Picked:
        values = series.gauges.get(name, [])
        return panels.peak_bins(series.t, values, bin_s) if values else ([], [])

    return pick


def _oversold(series: RunSeries, bin_s: float) -> Picked:
    return list(series.t), list(series.oversold_cumulative.get("all", []))


def compare_rows(runs: Sequence[Sequence[RunSeries]]) -> list[Row]:
    """Every row the runs can fill: sync lag, each queue gauge any run sampled (in the
    order of the run report's queue panels), oversold units."""
    gauges = {name for variant in runs for series in variant for name in series.gauges}
    rows = [
        Row(
            "sync-lag",
            "Sync lag p95 per 10 minutes, all channels (log scale)",
            "lag",
            _sync_p95,
            "feeds received",
            log=True,
        )
    ]
    for panel in panels.queue_panels(gauges):
        for line in panel.lines:
            title = f"{panel.title}: {line.label}"
            rows.append(Row(line.gauge, title, "depth", _gauge(line.gauge), line.absent))
    rows.append(
        Row(
            "oversold",
            "Oversold units, cumulative by order placing time",
            "units",
            _oversold,
            "oversold units",
        )
    )
    return rows


@dataclass(frozen=True, slots=True)
class SharedAxes:
    """The axes every panel of the side-by-side chart shares: the time axis, the bin the
    queues are drawn in, and per row the value axis."""

    end_s: float
    demand_end_s: float
    bin_s: float
    #: row key -> (low, high) of its value axis
    rows: dict[str, tuple[float, float]]


def side_by_side_plan(
    runs: Sequence[Sequence[RunSeries]],
) -> tuple[list[Row], SharedAxes, list[str]]:
    """The rows worth drawing (something other than zero in some run of some variant),
    the axes they share, and what was left out."""
    every = [series for variant in runs for series in variant]
    end_s = max((s.end_s for s in every), default=3600.0)
    demand_end_s = max((s.duration_s for s in every), default=end_s)
    bin_s = panels.bin_seconds(end_s)
    kept, left_out, limits = [], [], {}
    for row in compare_rows(runs):
        lines = [row.pick(series, bin_s)[1] for series in every]
        if not any(panels.active(line) for line in lines):
            left_out.append(row.absent)
            continue
        kept.append(row)
        if row.log:
            limits[row.key] = panels.shared_log_range(lines, floor=0.05)
        else:
            limits[row.key] = (0.0, panels.shared_top(lines))
    return kept, SharedAxes(end_s, demand_end_s, bin_s, limits), left_out


def side_by_side_figure(
    labels: Sequence[str], runs: Sequence[Sequence[RunSeries]]
) -> tuple[Figure | None, list[str], list[str]]:
    """One column per variant, one row per series; (figure, panel keys, left out)."""
    rows, shared, left_out = side_by_side_plan(runs)
    if not rows or not runs:
        return None, [], left_out
    fig = Figure(
        figsize=(max(10.0, 3.3 * len(runs)), ROW_H * len(rows) + 0.6), layout="constrained"
    )
    drawn = []
    for r, (sub, row) in enumerate(
        zip(fig.subfigures(len(rows), 1, squeeze=False)[:, 0], rows, strict=True)
    ):
        drawn += _draw_row(sub, row, labels, runs, shared, first=r == 0, last=r == len(rows) - 1)
    return fig, drawn, left_out


def _draw_row(
    sub: SubFigure,
    row: Row,
    labels: Sequence[str],
    runs: Sequence[Sequence[RunSeries]],
    shared: SharedAxes,
    first: bool,
    last: bool,
) -> list[str]:
    sub.suptitle(row.title, x=0.005, ha="left", fontsize=9, fontweight="bold")
    axes = sub.subplots(1, len(runs), sharex=True, sharey=True, squeeze=False)[0]
    keys = []
    for v, (ax, label, variant_runs) in enumerate(zip(axes, labels, runs, strict=True)):
        colour = PALETTE[v % len(PALETTE)]
        key = f"{row.key}-v{v + 1}"
        panel_id(ax, key)
        keys.append(key)
        ax.set_title(_short(label, 44), fontsize=8, color=colour)
        if variant_runs:
            shade_faults(ax, variant_runs[0].faults, label=first, legend=False)
        for series in variant_runs:
            xs, ys = row.pick(series, shared.bin_s)
            if ys:
                ax.plot(
                    hours(xs[: len(ys)]),
                    ys,
                    color=colour,
                    linewidth=1.0,
                    alpha=0.75,
                    drawstyle="steps-post",
                )
        time_axis(ax, shared.end_s, shared.demand_end_s, label=last)
    low, high = shared.rows[row.key]
    if row.log:
        duration_axis(axes[0], low, high, axis="y")
        axes[0].set_ylim(low / 1.5, high * 1.5)
    else:
        count_axis(axes[0], high)
    axes[0].set_ylabel(row.unit)
    return keys


def side_by_side(labels: Sequence[str], runs: Sequence[Sequence[RunSeries]]) -> Chart:
    """The runs' time series, one column per variant, a line per seed."""
    with styled():
        fig, drawn, left_out = side_by_side_figure(labels, runs)
        svg = None if fig is None else to_svg(fig, "over-time")
    sentence = panels.left_out_sentence(left_out, "in any run")
    return Chart("over-time", svg, tuple(drawn), sentence)
