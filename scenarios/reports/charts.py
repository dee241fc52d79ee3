"""What the comparison's charts share, drawn with matplotlib as inline SVG: the
matplotlib style, the SVG itself, fault windows, time and duration axes.

The run's charts are drawn without matplotlib (`run_charts.py`, `scenarios.reports.svg`):
`run --out` draws them on every run, and importing matplotlib cost more than drawing
them. The comparison's charts, drawn once per `compare`, stay here. Both take their
colours and sizes from `style.py`, and the duration ticks from `svg.ticks`.

SVG because report.html must open offline, with nothing fetched and no JavaScript: an
inline `<svg>` is vector, searchable and prints well. Text is drawn as paths
(`svg.fonttype = "path"`) so no font has to be present where the page is opened.
Figures are built with the object API (`matplotlib.figure.Figure`), never pyplot, so
there is no global figure state and no GUI backend to select.

Several SVGs share one HTML document, and matplotlib names its glyphs and clip paths
with ids that repeat from figure to figure; `to_svg` prefixes every id with the chart's
own name so one chart can never borrow another's clip path. Each panel's group is named
`CHART-panel-KEY` (`panel_id`), so a browser can count a chart's panels.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, MaxNLocator, NullLocator

from scenarios.reports import style
from scenarios.reports.style import FAULT_COLOUR, HOUR
from scenarios.reports.svg.ticks import duration_ticks

STYLE: dict[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "retailtwin",
    "font.size": style.FONT_PT,
    "axes.titlesize": style.TITLE_PT,
    "axes.titleweight": "bold",
    # titles just above the panel: left to itself (None) matplotlib measures every
    # panel's tick labels to lift titles clear of ticks drawn on top, which none are
    "axes.titley": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": style.GRID_ALPHA,
    "grid.color": style.GRID_COLOUR,
    "lines.linewidth": style.LINE_PT,
    "legend.fontsize": style.LEGEND_PT,
    "legend.frameon": False,
}

_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


@contextmanager
def styled() -> Iterator[None]:
    with rc_context(STYLE):  # type: ignore[arg-type]
        yield


def to_svg(fig: Figure, name: str) -> str:
    """The figure, cropped to its ink, as an `<svg>` element (no XML prolog) whose ids
    all start with `name`."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = _METADATA.sub("", text[text.index("<svg") :])
    text = _ID.sub(lambda m: f'id="{name}-{m.group(1)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text)
    return text.replace("<svg ", f'<svg class="chart" data-chart="{name}" ', 1)


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
            alpha=style.FAULT_ALPHA,
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
                fontsize=style.NOTE_PT,
                color=FAULT_COLOUR,
            )


def duration_axis(ax: Axes, low: float, high: float, axis: str = "x") -> None:
    """Log scale with ticks at round durations (1s, 1m, 1h) instead of powers of ten
    (`svg.ticks.duration_ticks`: the caller sets the limits to `low / LOG_ROOM` ..
    `high * LOG_ROOM`), and no minor ticks: the labelled durations and their grid lines
    carry the scale."""
    ticks = duration_ticks(low, high)
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target.set_major_locator(FixedLocator([t.value for t in ticks]))
    target.set_major_formatter(FixedFormatter([t.label for t in ticks]))
    target.set_minor_locator(NullLocator())


def time_axis(ax: Axes, end_s: float, demand_end_s: float, label: bool = True) -> None:
    """Simulated hours from 0 to `end_s`, a grey line where demand ended and the drain
    began."""
    ax.set_xlim(0, end_s / HOUR)
    if label:
        ax.set_xlabel("simulated time (h)")
    if demand_end_s < end_s:
        ax.axvline(demand_end_s / HOUR, color=style.DEMAND_END_COLOUR, linewidth=0.8)


def count_axis(ax: Axes, top: float) -> None:
    """A value axis of counts from zero to `top`, with whole-number ticks."""
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))


def panel_id(ax: Axes, key: str) -> None:
    """Name the panel's group in the SVG (`CHART-panel-KEY` once `to_svg` prefixes it)."""
    ax.set_gid(f"panel-{key}")
