"""Charts for one run's report, drawn with matplotlib and returned as inline SVG.

SVG because report.html must open offline, with nothing fetched and no JavaScript: an
inline `<svg>` is vector, searchable and prints well. Text is drawn as paths
(`svg.fonttype = "path"`) so no font has to be present where the page is opened.
Figures are built with the object API (`matplotlib.figure.Figure`), never pyplot, so
there is no global figure state and no GUI backend to select.

Several SVGs share one HTML document, and matplotlib names its glyphs and clip paths
with ids that repeat from figure to figure; `to_svg` prefixes every id with the chart's
own name so one chart can never borrow another's clip path.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, NullFormatter

from scenarios.reports.series import RunSeries

STYLE: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "retailtwin",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 8,
    "legend.frameon": False,
}
CHANNEL_COLOURS = {
    "web": "#1f77b4",
    "marketplace": "#ff7f0e",
    "click_collect": "#2ca02c",
    "all": "#444444",
}
FAULT_COLOUR = "#d62728"
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
HOUR = 3600.0

_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


@contextmanager
def styled() -> Iterator[None]:
    with rc_context(STYLE):  # type: ignore[arg-type]
        yield


def to_svg(fig: Figure, name: str) -> str:
    """The figure as an `<svg>` element (no XML prolog) whose ids all start with
    `name`."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :])
    text = _ID.sub(lambda m: f'id="{name}-{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    return text.replace("<svg ", f'<svg class="chart" data-chart="{name}" ', 1)


def colour(channel: str, index: int = 0) -> str:
    return CHANNEL_COLOURS.get(channel, PALETTE[index % len(PALETTE)])


def hours(values: Sequence[float]) -> list[float]:
    return [v / HOUR for v in values]


def shade_faults(ax: Axes, faults: Sequence[tuple[float, float, str]], label: bool = True) -> None:
    """Shade each fault window, naming the first few at the top of the axes."""
    for i, (start, end, name) in enumerate(faults):
        ax.axvspan(
            start / HOUR,
            end / HOUR,
            color=FAULT_COLOUR,
            alpha=0.12,
            linewidth=0,
            label="fault window" if i == 0 else None,
        )
        if label and i < 4:
            ax.annotate(
                name,
                xy=(start / HOUR, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -10),
                textcoords="offset points",
                fontsize=7,
                color=FAULT_COLOUR,
            )


def reference_line(ax: Axes, value: float | None, text: str, horizontal: bool = True) -> None:
    if value is None:
        return
    if horizontal:
        ax.axhline(value, color="#555555", linestyle=":", linewidth=1, label=text)
    else:
        ax.axvline(value, color="#555555", linestyle=":", linewidth=1, label=text)


#: tick positions (seconds) and labels for latency axes on a log scale
DURATION_TICKS = (
    (0.1, "0.1s"),
    (1, "1s"),
    (10, "10s"),
    (60, "1m"),
    (600, "10m"),
    (3600, "1h"),
    (6 * 3600, "6h"),
    (86400, "1d"),
)
#: more ticks for a narrow range
FINER_TICKS = ((30, "30s"), (120, "2m"), (300, "5m"), (1800, "30m"), (2 * 3600, "2h"))


def duration_axis(ax: Axes, low: float, high: float, axis: str = "x") -> None:
    """Log scale with ticks at round durations (1s, 1m, 1h) instead of powers of ten."""
    ticks = [(v, t) for v, t in DURATION_TICKS if low / 3 <= v <= high * 3]
    if len(ticks) < 3:
        ticks = [
            (v, t) for v, t in sorted(DURATION_TICKS + FINER_TICKS) if low / 3 <= v <= high * 3
        ] or [(1, "1s")]
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(FixedLocator([v for v, _ in ticks]))
    target.set_major_formatter(FixedFormatter([t for _, t in ticks]))
    target.set_minor_formatter(NullFormatter())


def outside_legend(ax: Axes) -> None:
    """A legend to the right of the plot, where it cannot hide a line."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)


def time_axis(ax: Axes, series: RunSeries) -> None:
    ax.set_xlim(0, series.end_s / HOUR)
    ax.set_xlabel("simulated time (h)")
    if series.duration_s < series.end_s:
        ax.axvline(series.duration_s / HOUR, color="#999999", linewidth=0.8)


def _ecdf(
    ax: Axes, by_channel: dict[str, list[float]], title: str, threshold: float | None
) -> None:
    ax.set_title(title)
    drawn = False
    for i, (channel, values) in enumerate(sorted(by_channel.items())):
        if not values:
            continue
        xs = [max(v, 0.01) for v in values]
        ys = [100.0 * (k + 1) / len(xs) for k in range(len(xs))]
        ax.step(
            xs,
            ys,
            where="post",
            color=colour(channel, i),
            linewidth=1.4,
            label=f"{channel} (n={len(values)})" if len(values) < 400 else channel,
        )
        drawn = True
    if not drawn:
        ax.text(0.5, 0.5, "no orders", transform=ax.transAxes, ha="center", color="#777777")
        return
    reference_line(ax, threshold, "p95 threshold", horizontal=False)
    ax.axhline(95, color="#bbbbbb", linewidth=0.8)
    low = min(max(min(v), 0.01) for v in by_channel.values() if v)
    high = max(max(v) for v in by_channel.values() if v)
    duration_axis(ax, low, high)
    ax.set_xlabel("time (log scale)")
    ax.set_ylabel("% of orders within")
    ax.set_ylim(0, 101)
    ax.legend(loc="lower right")


def latency_chart(series: RunSeries) -> str:
    """Order latency distribution per channel: placed -> ERP sales order, placed ->
    shipped, as cumulative distributions."""
    with styled():
        fig = Figure(figsize=(10, 3.6))
        left, right = fig.subplots(1, 2)
        _ecdf(
            left,
            series.order_to_erp_s,
            "Order placed -> ERP sales order",
            series.thresholds.get("order_to_erp_p95_s"),
        )
        _ecdf(
            right,
            series.order_to_ship_s,
            "Order placed -> shipped",
            series.thresholds.get("order_to_ship_p95_s"),
        )
        fig.tight_layout()
        return to_svg(fig, "latency")


def sync_lag_chart(series: RunSeries) -> str:
    """Sync lag (stock change at source -> channel's view) over simulated time."""
    with styled():
        fig = Figure(figsize=(10, 3.4))
        ax = fig.subplots()
        ax.set_title("Inventory sync lag over simulated time (p95 per 10 minutes; faint: max)")
        shade_faults(ax, series.faults)
        plotted = False
        for i, (channel, bins) in enumerate(series.sync_lag.items()):
            if channel == "all" or not bins.start_s:
                continue
            xs = hours(bins.start_s)
            ax.plot(
                xs,
                bins.p95_s,
                color=colour(channel, i),
                linewidth=1.3,
                label=f"{channel} p95",
                drawstyle="steps-post",
            )
            ax.plot(
                xs,
                bins.max_s,
                color=colour(channel, i),
                linewidth=0.7,
                alpha=0.35,
                drawstyle="steps-post",
            )
            plotted = True
        reference_line(ax, series.thresholds.get("sync_lag_p95_s"), "p95 threshold")
        time_axis(ax, series)
        ax.set_ylabel("lag (log scale)")
        if plotted:
            lags = [v for c, b in series.sync_lag.items() if c != "all" for v in b.max_s]
            duration_axis(ax, max(min(lags), 0.05), max(lags), axis="y")
            outside_legend(ax)
        else:
            ax.text(0.5, 0.5, "no feeds received", transform=ax.transAxes, ha="center")
        fig.tight_layout()
        return to_svg(fig, "sync-lag")


def queues_chart(series: RunSeries) -> str:
    """ERP write queue and dead-letter depth over time, fault windows shaded."""
    labels = {
        "erp_queue_depth": "hub ERP write queue",
        "dead_letter_depth": "dead letters",
        "erp_backlog": "ERP's own request backlog",
        "parked_events": "parked events",
    }
    with styled():
        fig = Figure(figsize=(10, 3.4))
        ax = fig.subplots()
        ax.set_title("ERP queue and dead-letter depth (sampled each simulated minute)")
        shade_faults(ax, series.faults)
        xs = hours(series.t)
        for i, (name, values) in enumerate(series.gauges.items()):
            ax.plot(
                xs,
                values,
                color=PALETTE[i],
                linewidth=1.3 if i < 2 else 0.9,
                label=labels.get(name, name),
                drawstyle="steps-post",
            )
        reference_line(ax, series.thresholds.get("erp_queue_depth_max"), "queue threshold")
        time_axis(ax, series)
        ax.set_ylabel("messages")
        ax.set_ylim(bottom=0)
        outside_legend(ax)
        fig.tight_layout()
        return to_svg(fig, "queues")


def hot_skus_chart(series: RunSeries) -> str:
    """Oversold units over time (by when the order was placed) and the hottest SKUs'
    availability: the hub's ATS against what the web shop's feed showed."""
    with styled():
        fig = Figure(figsize=(10, 6))
        top, bottom = fig.subplots(2, 1, sharex=True)
        top.set_title("Oversold units, cumulative by order placing time")
        shade_faults(top, series.faults)
        xs = hours(series.t)
        for i, (channel, line) in enumerate(series.oversold_cumulative.items()):
            top.plot(
                xs,
                line,
                color=colour(channel, i),
                linewidth=1.6 if channel == "all" else 1.1,
                label=channel,
            )
        top.set_ylabel("units")
        top.set_ylim(
            0,
            max(1.0, *(max(line, default=0.0) for line in series.oversold_cumulative.values()))
            * 1.05,
        )
        outside_legend(top)
        bottom.set_title("Hot SKUs: hub available-to-sell (solid) vs web shop's view (dashed)")
        shade_faults(bottom, series.faults, label=False)
        for i, (sku, (ats, view)) in enumerate(series.hot_skus.items()):
            bottom.plot(
                xs[: len(ats)],
                ats,
                color=PALETTE[i],
                linewidth=1.2,
                label=sku,
                drawstyle="steps-post",
            )
            if view:
                bottom.plot(
                    xs[: len(view)],
                    view,
                    color=PALETTE[i],
                    linewidth=1.0,
                    linestyle="--",
                    drawstyle="steps-post",
                )
        bottom.set_ylabel("units")
        bottom.set_ylim(bottom=0)
        if series.hot_skus:
            outside_legend(bottom)
        time_axis(bottom, series)
        fig.tight_layout()
        return to_svg(fig, "hot-skus")


RUN_CHARTS: tuple[tuple[str, Callable[[RunSeries], str]], ...] = (
    ("Order latency per channel", latency_chart),
    ("Sync lag over simulated time", sync_lag_chart),
    ("ERP queue and dead letters", queues_chart),
    ("Oversells and hot-SKU availability", hot_skus_chart),
)
