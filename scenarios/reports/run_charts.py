"""The charts of one run's report, as small multiples: one panel per channel for order
latency, sync lag and oversells, one per backend (and per queue of the hub's own) for
queue depth, one per hot SKU for availability. Panels that compare share their value
axis; every panel of a time chart shares the time axis; a panel with nothing in it is
left out and named in the chart's `left_out` line.

Drawn as inline SVG by `scenarios.reports.svg`, which imports nothing heavy:
`run --out` draws these on every run, and matplotlib's import alone cost more than all
six charts now do. Each `*_chart` function takes the run's `RunSeries` and returns a
`Chart`; the `*_figure` functions behind them return the `svg.figure.Figure`, so tests
can look at the panels and axes it holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from scenarios.reports import panels
from scenarios.reports.drawn import Chart, format_duration
from scenarios.reports.run_axes import (
    count_axis,
    duration_axis,
    reference_line,
    strips,
)
from scenarios.reports.series import Quantiles, RunSeries
from scenarios.reports.style import NOTE_COLOUR, P95_COLOUR, PALETTE, colour, hours
from scenarios.reports.svg.document import Anchor, Baseline, Text
from scenarios.reports.svg.figure import Figure
from scenarios.reports.svg.layout import FIGURE_W, PX_PER_IN, Margins, grid, pt
from scenarios.reports.svg.marks import Stroke
from scenarios.reports.svg.panel import NOTE, Axis
from scenarios.reports.svg.scale import Linear
from scenarios.reports.svg.ticks import Tick

#: percentile ranks labelled on a latency chart's stretched axis
PERCENTILE_TICKS = ((50.0, "p50"), (90.0, "p90"), (99.0, "p99"), (99.9, "p99.9"))
#: latency panels in a row before the next row starts
LATENCY_COLUMNS = 3
#: height of one row of latency panels (inches)
LATENCY_ROW_H = 2.9
#: latency panels: room for each row's title and percentile label
LATENCY_MARGINS = Margins(left=0.85, right=0.2, top=0.3, bottom=0.5, row_gap=0.75, column_gap=0.2)
#: a data line (px): the default, a thin one, the faint max
LINE = pt(1.5)
THIN = pt(1.1)
FAINT = pt(0.7)
#: the web shop's view of a hot SKU: dashed
DASHED = f"{pt(3.7):.1f} {pt(1.6):.1f}"
#: queue depths: the first line filled this opaque
QUEUE_FILL = 0.25


def percentile_axis(right: float, label: str = "percentile (tail stretched)") -> Axis:
    """The stretched percentile axis from 0 (p0) to `right` (-log10 of the share above,
    `panels.tail_position`), labelled at p50, p90, p99 and p99.9 where they fall
    within it."""
    ticks = [Tick(panels.tail_position(p), text) for p, text in PERCENTILE_TICKS]
    return Axis(Linear(0.0, right), [t for t in ticks if t.value <= right + 0.05], label)


def latency_figure(
    name: str,
    by_channel: dict[str, Quantiles],
    channels: Sequence[str],
    threshold: float | None,
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
    low, high = panels.shared_log_range([by_channel[c].value_s for c in present])
    right = max(panels.tail_position(by_channel[c].pct[-1]) for c in present) * 1.02
    height = LATENCY_ROW_H * rows * PX_PER_IN
    figure = Figure(name, FIGURE_W, height)
    areas = grid(FIGURE_W, height, rows, columns, LATENCY_MARGINS)
    for i, (channel, area) in enumerate(zip(present, areas, strict=False)):
        first_column = i % columns == 0
        y = duration_axis(
            low, high, "latency (log scale)" if first_column else "", tick_labels=first_column
        )
        panel = figure.panel(channel, area, percentile_axis(right), y)
        q = by_channel[channel]
        xs = [panels.tail_position(p) for p in q.pct]
        panel.step(xs, [max(v, 0.01) for v in q.value_s], Stroke(colour(channel), LINE))
        panel.vline(panels.tail_position(95.0), Stroke(P95_COLOUR, pt(0.8)))
        reference_line(panel, threshold, "p95 threshold")
        panel.title = f"{channel}: {q.count:,} orders, max {format_duration(q.value_s[-1])}"
        panel.title_anchor = Anchor.MIDDLE
    return figure, present, missing


def _latency_chart(
    name: str, by_channel: dict[str, Quantiles], series: RunSeries, key: str, absent: str
) -> Chart:
    figure, drawn, missing = latency_figure(
        name, by_channel, series.channels, series.thresholds[key]
    )
    return Chart(
        name,
        None if figure is None else figure.svg(),
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


def sync_lag_figure(series: RunSeries) -> tuple[Figure | None, list[str], list[str]]:
    """One panel per channel that received feeds, on one lag axis."""
    channels = [c for c in series.sync_lag if c != "all"]
    present = [c for c in channels if series.sync_lag[c].start_s]
    missing = [c for c in channels if c not in present]
    if not present:
        return None, [], missing
    low, high = panels.shared_log_range([series.sync_lag[c].max_s for c in present])
    threshold = series.thresholds.get("sync_lag_p95_s")
    legends = ["p95", "max", *(["p95 threshold"] if threshold is not None else [])]
    figure = strips(
        "sync-lag",
        series,
        present,
        [duration_axis(low, high, "lag") for _ in present],
        height=1.7,
        legends=legends,
    )
    for panel, channel in zip(figure.panels, present, strict=True):
        bins = series.sync_lag[channel]
        xs = hours(bins.start_s)
        panel.step(xs, bins.p95_s, Stroke(colour(channel), LINE), "p95")
        panel.step(xs, bins.max_s, Stroke(colour(channel), FAINT, opacity=0.35), "max")
        reference_line(panel, threshold, "p95 threshold")
        panel.title = f"{channel}: {sum(bins.count):,} stock movements"
    figure.panels[0].show_legend = True
    return figure, present, missing


def sync_lag_chart(series: RunSeries) -> Chart:
    """Sync lag (stock change at source -> channel's view) over simulated time."""
    figure, drawn, missing = sync_lag_figure(series)
    absent = [f"feeds received by the {channel}" for channel in missing]
    svg = None if figure is None else figure.svg()
    return Chart("sync-lag", svg, tuple(drawn), panels.left_out_sentence(absent))


def queues_figure(series: RunSeries) -> tuple[Figure | None, list[str], list[str]]:
    """One panel per backend that queued (and per queue of the hub's own), each line
    the highest sample in each bin; (figure, panels drawn, what was left out)."""
    kept, left_out = panels.kept_queue_panels(series.gauges)
    if not kept:
        return None, [], left_out
    bin_s = panels.bin_seconds(series.end_s)
    threshold = series.thresholds.get("erp_queue_depth_max")
    legends = [line.label for panel in kept for line in panel.lines]
    if threshold is not None:
        legends.append("threshold")
    lines_of = {p.key: [series.gauges[line.gauge] for line in p.lines] for p in kept}
    values = [count_axis(panels.shared_top(lines_of[p.key])) for p in kept]
    figure = strips("queues", series, [p.key for p in kept], values, legends=legends)
    for panel, queue in zip(figure.panels, kept, strict=True):
        for i, (line, gauge) in enumerate(zip(queue.lines, lines_of[queue.key], strict=True)):
            xs, peaks = panels.peak_bins(series.t, gauge, bin_s)
            hx = hours(xs)
            if i == 0:
                panel.fill_step(hx, peaks, PALETTE[0], QUEUE_FILL)
            panel.step(hx, peaks, Stroke(PALETTE[i], THIN), line.label)
        if queue.key == "erp":
            reference_line(panel, threshold, "threshold")
        panel.title = queue.title
        panel.show_legend = True
    first = figure.panels[0]
    first.note(
        Text(
            first.area.right,
            first.area.y - pt(2),
            f"highest per-minute sample in each {bin_s / 60:.0f}-minute bin",
            NOTE,
            Anchor.END,
            Baseline.BASELINE,
            colour=NOTE_COLOUR,
        )
    )
    return figure, [p.key for p in kept], left_out


def queues_chart(series: RunSeries) -> Chart:
    figure, drawn, left_out = queues_figure(series)
    svg = None if figure is None else figure.svg()
    return Chart("queues", svg, tuple(drawn), panels.left_out_sentence(left_out))


def oversold_chart(series: RunSeries) -> Chart:
    """Oversold units by when the order was placed, one panel per channel that oversold,
    on one value axis."""
    by_channel = {c: v for c, v in series.oversold_cumulative.items() if c != "all"}
    present = [c for c in series.channels if panels.active(by_channel.get(c, []))]
    missing = [c for c in series.channels if c not in present]
    if not present:
        return Chart("oversold", None, (), "No oversold units during the run.")
    top = panels.shared_top([by_channel[c] for c in present])
    figure = strips("oversold", series, present, [count_axis(top, "units") for _ in present])
    xs = hours(series.t)
    for panel, channel in zip(figure.panels, present, strict=True):
        line = by_channel[channel]
        panel.step(xs[: len(line)], line, Stroke(colour(channel), LINE))
        panel.title = f"{channel}: {line[-1]:,.0f} units"
    absent = [f"oversold units on {channel}" for channel in missing]
    return Chart("oversold", figure.svg(), tuple(present), panels.left_out_sentence(absent))


def hot_skus_figure(series: RunSeries) -> Figure | None:
    """The hottest SKUs' availability, one panel each on its own scale."""
    skus = list(series.hot_skus)
    if not skus:
        return None
    tops = [panels.shared_top(series.hot_skus[sku]) for sku in skus]
    legends = ["hub ATS", "web shop's view"]
    figure = strips(
        "hot-skus", series, skus, [count_axis(top) for top in tops], height=1.1, legends=legends
    )
    xs = hours(series.t)
    for i, (panel, sku) in enumerate(zip(figure.panels, skus, strict=True)):
        ats, view = series.hot_skus[sku]
        panel.step(xs[: len(ats)], ats, Stroke(PALETTE[i % len(PALETTE)], LINE), "hub ATS")
        if view:
            dashed = Stroke(PALETTE[i % len(PALETTE)], pt(1.0), dash=DASHED)
            panel.step(xs[: len(view)], view, dashed, "web shop's view")
        panel.title = sku
    figure.panels[0].show_legend = True
    return figure


def hot_skus_chart(series: RunSeries) -> Chart:
    """The hottest SKUs' availability, one panel each: the hub's ATS against what the
    web shop's feed showed."""
    figure = hot_skus_figure(series)
    if figure is None:
        return Chart("hot-skus", None, (), "No hot SKUs were sampled.")
    return Chart("hot-skus", figure.svg(), tuple(series.hot_skus))


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
