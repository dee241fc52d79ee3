"""The charts of one run's report, as small multiples: one panel per channel for order
latency, sync lag and oversells, one per backend (and per queue of the hub's own) for
queue depth, one per hot SKU for availability. Panels that compare share their value
axis; every panel of a time chart shares the time axis; a panel with nothing in it is
left out and named in the chart's `left_out` line.

Each `*_chart` function takes the run's `RunSeries` and returns a `Chart`; the
`*_figure` functions behind them return the matplotlib figure, so tests can look at the
axes they drew.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

from scenarios.reports import panels
from scenarios.reports.charts import (
    PALETTE,
    Chart,
    Margins,
    colour,
    count_axis,
    duration_axis,
    fit_legends,
    fixed_figure,
    format_duration,
    hours,
    outside_legend,
    panel_id,
    reference_line,
    shade_faults,
    styled,
    time_axis,
    to_svg,
)
from scenarios.reports.series import Quantiles, RunSeries

#: percentile ranks labelled on a latency chart's stretched axis
PERCENTILE_TICKS = ((50.0, "p50"), (90.0, "p90"), (99.0, "p99"), (99.9, "p99.9"))
#: latency panels in a row before the next row starts
LATENCY_COLUMNS = 3
#: height of one panel of a time chart (inches)
STRIP_H = 1.35
#: latency panels: room for each row's title and percentile label
LATENCY_MARGINS = Margins(left=0.85, right=0.2, top=0.3, bottom=0.5, row_gap=0.75, column_gap=0.2)
#: time panels: room for each panel's title (the legends right of the plot widen the
#: right margin, `fit_legends`)
STRIP_MARGINS = Margins(left=0.85, right=0.25, top=0.35, bottom=0.45, row_gap=0.32)


def _percentile_axis(ax: Axes, right: float) -> None:
    ticks = [(panels.tail_position(p), t) for p, t in PERCENTILE_TICKS]
    ticks = [(x, t) for x, t in ticks if x <= right + 0.05]
    ax.set_xlim(0, right)
    ax.xaxis.set_major_locator(FixedLocator([x for x, _ in ticks]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: dict(ticks).get(x, "")))


def _quantile_panel(ax: Axes, channel: str, q: Quantiles, threshold: float | None) -> None:
    xs = [panels.tail_position(p) for p in q.pct]
    ax.step(xs, [max(v, 0.01) for v in q.value_s], where="post", color=colour(channel))
    ax.axvline(panels.tail_position(95.0), color="#bbbbbb", linewidth=0.8)
    reference_line(ax, threshold, "p95 threshold")
    ax.set_title(f"{channel}: {q.count:,} orders, max {format_duration(q.value_s[-1])}")


def latency_figure(
    by_channel: dict[str, Quantiles], channels: Sequence[str], threshold: float | None
) -> tuple[Figure | None, list[str], list[str]]:
    """One panel per channel of `channels` that has latencies, every panel on the same
    latency axis and the same percentile axis; (figure, panels drawn, channels left
    out)."""
    present, missing = panels.present_and_missing(
        channels, {c: q.value_s for c, q in by_channel.items()}
    )
    if not present:
        return None, [], missing
    columns = min(LATENCY_COLUMNS, len(present))
    rows = math.ceil(len(present) / columns)
    low, high = panels.shared_log_range(by_channel[c].value_s for c in present)
    right = max(panels.tail_position(by_channel[c].pct[-1]) for c in present) * 1.02
    fig = fixed_figure(2.9 * rows, rows, columns, LATENCY_MARGINS)
    axes = fig.subplots(rows, columns, squeeze=False, sharex=True, sharey=True).flatten()
    for ax, channel in zip(axes, present, strict=False):
        panel_id(ax, channel)
        _quantile_panel(ax, channel, by_channel[channel], threshold)
    for ax in axes[len(present) :]:
        fig.delaxes(ax)
    first = axes[0]
    duration_axis(first, low, high, axis="y")
    first.set_ylim(low / 1.5, high * 1.5)
    _percentile_axis(first, right)
    for ax in axes[: len(present)]:
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel("latency (log scale)")
        ax.set_xlabel("percentile (tail stretched)")
    return fig, present, missing


def _latency_chart(
    name: str, by_channel: dict[str, Quantiles], series: RunSeries, key: str, absent: str
) -> Chart:
    with styled():
        fig, drawn, missing = latency_figure(by_channel, series.channels, series.thresholds[key])
        svg = None if fig is None else to_svg(fig, name)
    return Chart(
        name,
        svg,
        tuple(drawn),
        panels.left_out_sentence([f"{channel} orders {absent}" for channel in missing]),
    )


def latency_erp_chart(series: RunSeries) -> Chart:
    """Order placed -> ERP sales order, one panel per channel."""
    return _latency_chart(
        "latency-erp", series.order_to_erp_s, series, "order_to_erp_p95_s", "booked in the ERP"
    )


def latency_ship_chart(series: RunSeries) -> Chart:
    """Order placed -> shipped, one panel per channel that ships."""
    return _latency_chart(
        "latency-ship", series.order_to_ship_s, series, "order_to_ship_p95_s", "shipped"
    )


def _strips(
    series: RunSeries, keys: Sequence[str], height: float = STRIP_H, share_y: bool = False
) -> list[Axes]:
    """A column of panels sharing the time axis (and the value axis with `share_y`), one
    per key, faults shaded and named on the first."""
    fig = fixed_figure(height * len(keys) + 0.5, len(keys), margins=STRIP_MARGINS)
    grid = fig.subplots(len(keys), 1, sharex=True, sharey=share_y, squeeze=False)
    axes = list(grid[:, 0])
    for i, (ax, key) in enumerate(zip(axes, keys, strict=True)):
        panel_id(ax, key)
        shade_faults(ax, series.faults, label=i == 0, legend=False)
        time_axis(ax, series.end_s, series.duration_s, label=i == len(keys) - 1)
    return axes


def sync_lag_figure(series: RunSeries) -> tuple[Figure | None, list[str], list[str]]:
    """One panel per channel that received feeds, on one lag axis."""
    channels = [c for c in series.sync_lag if c != "all"]
    present = [c for c in channels if series.sync_lag[c].start_s]
    missing = [c for c in channels if c not in present]
    if not present:
        return None, [], missing
    axes = _strips(series, present, height=1.7, share_y=True)
    low, high = panels.shared_log_range(series.sync_lag[c].max_s for c in present)
    for ax, channel in zip(axes, present, strict=True):
        bins = series.sync_lag[channel]
        xs = hours(bins.start_s)
        ax.plot(xs, bins.p95_s, color=colour(channel), drawstyle="steps-post", label="p95")
        ax.plot(
            xs,
            bins.max_s,
            color=colour(channel),
            linewidth=0.7,
            alpha=0.35,
            drawstyle="steps-post",
            label="max",
        )
        reference_line(ax, series.thresholds.get("sync_lag_p95_s"), "p95 threshold")
        ax.set_title(f"{channel}: {sum(bins.count):,} stock movements", loc="left")
        ax.set_ylabel("lag")
    outside_legend(axes[0])
    duration_axis(axes[0], low, high, axis="y")
    axes[0].set_ylim(low / 1.5, high * 1.5)
    return _figure_of(axes), present, missing


def sync_lag_chart(series: RunSeries) -> Chart:
    """Sync lag (stock change at source -> channel's view) over simulated time."""
    with styled():
        fig, drawn, missing = sync_lag_figure(series)
        svg = None if fig is None else to_svg(fig, "sync-lag")
    absent = [f"feeds received by the {channel}" for channel in missing]
    return Chart("sync-lag", svg, tuple(drawn), panels.left_out_sentence(absent))


def queues_figure(series: RunSeries) -> tuple[Figure | None, list[str], list[str]]:
    """One panel per backend that queued (and per queue of the hub's own), each line
    the highest sample in each bin; (figure, panels drawn, what was left out)."""
    kept, left_out = panels.kept_queue_panels(series.gauges)
    if not kept:
        return None, [], left_out
    bin_s = panels.bin_seconds(series.end_s)
    axes = _strips(series, [p.key for p in kept])
    for ax, panel in zip(axes, kept, strict=True):
        lines = [series.gauges[line.gauge] for line in panel.lines]
        for i, (line, values) in enumerate(zip(panel.lines, lines, strict=True)):
            xs, peaks = panels.peak_bins(series.t, values, bin_s)
            hx = hours(xs)
            ax.step(hx, peaks, where="post", color=PALETTE[i], linewidth=1.1, label=line.label)
            if i == 0:
                ax.fill_between(hx, peaks, step="post", color=PALETTE[0], alpha=0.25, lw=0)
        if panel.key == "erp":
            reference_line(ax, series.thresholds.get("erp_queue_depth_max"), "threshold")
        count_axis(ax, panels.shared_top(lines))
        ax.set_title(panel.title, loc="left")
        outside_legend(ax)
    axes[0].annotate(
        f"highest per-minute sample in each {bin_s / 60:.0f}-minute bin",
        xy=(1.0, 1.02),
        xycoords="axes fraction",
        ha="right",
        va="bottom",
        fontsize=7,
        color="#666666",
    )
    return _figure_of(axes), [p.key for p in kept], left_out


def queues_chart(series: RunSeries) -> Chart:
    with styled():
        fig, drawn, left_out = queues_figure(series)
        svg = None if fig is None else to_svg(fig, "queues")
    return Chart("queues", svg, tuple(drawn), panels.left_out_sentence(left_out))


def oversold_chart(series: RunSeries) -> Chart:
    """Oversold units by when the order was placed, one panel per channel that oversold,
    on one value axis."""
    by_channel = {c: v for c, v in series.oversold_cumulative.items() if c != "all"}
    present = [c for c in series.channels if panels.active(by_channel.get(c, []))]
    missing = [c for c in series.channels if c not in present]
    if not present:
        return Chart("oversold", None, (), "No oversold units during the run.")
    with styled():
        axes = _strips(series, present, share_y=True)
        top = panels.shared_top(by_channel[c] for c in present)
        xs = hours(series.t)
        for ax, channel in zip(axes, present, strict=True):
            line = by_channel[channel]
            ax.plot(xs[: len(line)], line, color=colour(channel), drawstyle="steps-post")
            ax.set_title(f"{channel}: {line[-1]:,.0f} units", loc="left")
            count_axis(ax, top)
            ax.set_ylabel("units")
        svg = to_svg(_figure_of(axes), "oversold")
    absent = [f"oversold units on {channel}" for channel in missing]
    return Chart("oversold", svg, tuple(present), panels.left_out_sentence(absent))


def hot_skus_chart(series: RunSeries) -> Chart:
    """The hottest SKUs' availability, one panel each: the hub's ATS against what the
    web shop's feed showed."""
    skus = list(series.hot_skus)
    if not skus:
        return Chart("hot-skus", None, (), "No hot SKUs were sampled.")
    with styled():
        axes = _strips(series, skus, height=1.1)
        xs = hours(series.t)
        for i, (ax, sku) in enumerate(zip(axes, skus, strict=True)):
            ats, view = series.hot_skus[sku]
            ax.plot(xs[: len(ats)], ats, color=PALETTE[i], drawstyle="steps-post", label="hub ATS")
            if view:
                ax.plot(
                    xs[: len(view)],
                    view,
                    color=PALETTE[i],
                    linestyle="--",
                    linewidth=1.0,
                    drawstyle="steps-post",
                    label="web shop's view",
                )
            ax.set_title(sku, loc="left")
            count_axis(ax, panels.shared_top([ats, view]))
        outside_legend(axes[0])
        svg = to_svg(_figure_of(axes), "hot-skus")
    return Chart("hot-skus", svg, tuple(skus))


def _figure_of(axes: Sequence[Axes]) -> Figure:
    figure = axes[0].get_figure()
    assert isinstance(figure, Figure)
    fit_legends(figure)
    return figure


#: (section title, caption, chart) in page order
RUN_CHARTS: tuple[tuple[str, str, Callable[[RunSeries], Chart]], ...] = (
    (
        "Order placed -> ERP sales order",
        "Latency by percentile, one panel per channel on the same axes; the percentile "
        "axis stretches the tail (p90, p99, p99.9 one step apart). Grey: p95; dotted: "
        "the scenario's p95 threshold.",
        latency_erp_chart,
    ),
    (
        "Order placed -> shipped",
        "The same for shipping, one panel per channel that ships.",
        latency_ship_chart,
    ),
    (
        "Sync lag per channel",
        "Seconds from a stock change at its source to the channel's view of it: p95 "
        "(and faint, the max) per 10-minute bin, every channel on the same lag axis; "
        "shaded: fault windows; the grey line marks the end of demand.",
        sync_lag_chart,
    ),
    (
        "Queues, backend by backend",
        "Depth of every queue that held anything: the hub's calls to each backend "
        "(filled), each backend's own backlog, and the hub's own queues, sampled once a "
        "simulated minute and drawn as the highest sample per bin; each panel has its "
        "own scale; shaded: fault windows.",
        queues_chart,
    ),
    (
        "Oversold units per channel",
        "Units accepted that no shelf could fill, cumulative by when the order was "
        "placed, every channel on the same axis.",
        oversold_chart,
    ),
    (
        "Hot-SKU availability",
        "The five most popular SKUs: available-to-sell in the hub (solid) against the web "
        "shop's last feed (dashed).",
        hot_skus_chart,
    ),
)
