"""What every chart of the reports shares, drawn with matplotlib as inline SVG: the style,
the colours, the SVG itself, fault windows, time and duration axes, and `Chart`, a drawn
chart with the panels it holds and the line saying what it left out.

SVG because report.html must open offline, with nothing fetched and no JavaScript: an
inline `<svg>` is vector, searchable and prints well. Text is drawn as paths
(`svg.fonttype = "path"`) so no font has to be present where the page is opened.
Figures are built with the object API (`matplotlib.figure.Figure`), never pyplot, so
there is no global figure state and no GUI backend to select.

Several SVGs share one HTML document, and matplotlib names its glyphs and clip paths
with ids that repeat from figure to figure; `to_svg` prefixes every id with the chart's
own name so one chart can never borrow another's clip path. Each panel's group is named
`CHART-panel-KEY` (`panel_id`), so a browser can count a chart's panels.

The run's charts are in `run_charts.py`, the comparison's in `compare_charts.py`; what
they draw and leave out is decided in `panels.py`. The run's charts sit in fixed margins
(`fixed_figure`, `fit_legends`) and are drawn once, which `run --out` pays for on every
run; the comparison's use constrained layout and are cropped to their ink.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.textpath import text_to_path
from matplotlib.ticker import (
    FixedFormatter,
    FixedLocator,
    MaxNLocator,
    NullLocator,
)

STYLE: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "retailtwin",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    # titles just above the panel: left to itself (None) matplotlib measures every
    # panel's tick labels to lift titles clear of ticks drawn on top, which none are
    "axes.titley": 1.0,
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
    # a `fixed_figure` holds everything within its bounds already, and cropping to the
    # ink would draw it twice; a constrained one (the comparison's) is cropped as before
    tight = "tight" if fig.get_layout_engine() is not None else None
    fig.savefig(buffer, format="svg", bbox_inches=tight, metadata={"Date": None})
    text = buffer.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :])
    text = _ID.sub(lambda m: f'id="{name}-{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    return text.replace("<svg ", f'<svg class="chart" data-chart="{name}" ', 1)


@dataclass(frozen=True, slots=True)
class Margins:
    """A figure's margins and the gaps between its panels, in inches."""

    left: float = 0.85
    right: float = 0.25
    top: float = 0.35
    bottom: float = 0.55
    #: between rows (a panel's title and, for latency, the x label above it)
    row_gap: float = 0.45
    column_gap: float = 0.25


def fixed_figure(
    height: float, rows: int, columns: int = 1, margins: Margins = Margins(), width: float = 10
) -> Figure:
    """A figure `width` x `height` inches whose `fig.subplots(rows, columns)` panels sit
    within fixed margins (inches).

    Why not `layout="constrained"`: it measures every tick label of every panel, several
    times per figure, which was most of report.html's cost; the run's charts have the
    same few labels every time, so margins sized once for them keep everything inside
    the figure without measuring, and the figure is drawn once."""
    fig = Figure(figsize=(width, height))
    plot_h = height - margins.top - margins.bottom - (rows - 1) * margins.row_gap
    plot_w = width - margins.left - margins.right - (columns - 1) * margins.column_gap
    fig.subplots_adjust(
        left=margins.left / width,
        right=1 - margins.right / width,
        top=1 - margins.top / height,
        bottom=margins.bottom / height,
        hspace=margins.row_gap / (plot_h / rows),
        wspace=margins.column_gap / (plot_w / columns),
    )
    return fig


#: what a legend right of its panel takes besides its widest label: the line sample, the
#: pads and the gap to the panel (inches)
LEGEND_FRAME_IN = 0.7


def fit_legends(fig: Figure) -> None:
    """Widen a `fixed_figure`'s right margin to the widest legend drawn right of a panel
    (`outside_legend`), measured from the labels' glyphs without drawing anything."""
    widest = 0.0
    for ax in fig.axes:
        legend = ax.get_legend()
        for text in legend.get_texts() if legend is not None else ():
            width, _, _ = text_to_path.get_text_width_height_descent(
                text.get_text(), text.get_fontproperties(), ismath=False
            )
            widest = max(widest, width / 72)
    if widest:
        fig.subplots_adjust(right=1 - (LEGEND_FRAME_IN + widest) / fig.get_figwidth())


def colour(channel: str, index: int = 0) -> str:
    return CHANNEL_COLOURS.get(channel, PALETTE[index % len(PALETTE)])


def hours(values: Sequence[float]) -> list[float]:
    return [v / HOUR for v in values]


def shade_faults(
    ax: Axes, faults: Sequence[tuple[float, float, str]], label: bool = True, legend: bool = True
) -> None:
    """Shade each fault window, naming the first few at the top of the axes (`label`)
    and in the legend (`legend`)."""
    for i, (start, end, name) in enumerate(faults):
        ax.axvspan(
            start / HOUR,
            end / HOUR,
            color=FAULT_COLOUR,
            alpha=0.12,
            linewidth=0,
            label="fault window" if i == 0 and legend else None,
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
    """Log scale with ticks at round durations (1s, 1m, 1h) instead of powers of ten,
    and no minor ticks: the labelled durations and their grid lines carry the scale,
    and matplotlib's unlabelled marks (eight a decade, each an artist of its own) were a
    fifth of the charts' drawing."""
    ticks = [(v, t) for v, t in DURATION_TICKS if low / 3 <= v <= high * 3]
    if len(ticks) < 3:
        ticks = [
            (v, t) for v, t in sorted(DURATION_TICKS + FINER_TICKS) if low / 3 <= v <= high * 3
        ] or [(1, "1s")]
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(FixedLocator([v for v, _ in ticks]))
    target.set_major_formatter(FixedFormatter([t for _, t in ticks]))
    target.set_minor_locator(NullLocator())


def outside_legend(ax: Axes) -> None:
    """A legend to the right of the plot, where it cannot hide a line."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)


def time_axis(ax: Axes, end_s: float, demand_end_s: float, label: bool = True) -> None:
    """Simulated hours from 0 to `end_s`, a grey line where demand ended and the drain
    began."""
    ax.set_xlim(0, end_s / HOUR)
    if label:
        ax.set_xlabel("simulated time (h)")
    if demand_end_s < end_s:
        ax.axvline(demand_end_s / HOUR, color="#999999", linewidth=0.8)


def count_axis(ax: Axes, top: float) -> None:
    """A value axis of counts from zero to `top`, with whole-number ticks."""
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart: its name (the SVG's `data-chart`), the SVG (None when every panel
    was left out), the keys of the panels it holds, and one line saying what it left
    out ("" when nothing)."""

    name: str
    svg: str | None
    panels: tuple[str, ...]
    left_out: str = ""


def panel_id(ax: Axes, key: str) -> None:
    """Name the panel's group in the SVG (`CHART-panel-KEY` once `to_svg` prefixes it)."""
    ax.set_gid(f"panel-{key}")


def format_duration(seconds: float) -> str:
    """A latency as people say it: 850 ms, 2.4 s, 12 min, 3.5 h."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 2 * HOUR:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / HOUR:.1f} h"
