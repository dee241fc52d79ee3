"""What the run's charts share, drawn with `scenarios.reports.svg`: the value axes
(counts from zero, durations on a log scale), the column of time strips every time
chart is (one panel per key on one time axis, fault windows shaded and named, the end
of demand marked), SLA thresholds as reference lines, and the outside legend's room.

The matplotlib versions of the same helpers, for the comparison's charts, are in
`charts.py`; both take their look from `style.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from scenarios.reports import style
from scenarios.reports.series import RunSeries
from scenarios.reports.svg.document import Text
from scenarios.reports.svg.figure import Figure
from scenarios.reports.svg.layout import FIGURE_W, PX_PER_IN, Margins, grid, legend_room, pt
from scenarios.reports.svg.marks import Stroke
from scenarios.reports.svg.panel import LEGEND, NOTE, Axis, Panel
from scenarios.reports.svg.scale import Linear, Log
from scenarios.reports.svg.ticks import LOG_ROOM, duration_ticks, linear_ticks

#: height of one panel of a time chart (inches)
STRIP_H = 1.35
#: time panels: room for each panel's title (a legend right of the plot widens the
#: right margin, `legend_room`)
STRIP_MARGINS = Margins(left=0.85, right=0.25, top=0.35, bottom=0.45, row_gap=0.32)
#: at most this many intervals between the time axis's ticks, and a count axis's
TIME_INTERVALS = 8
COUNT_INTERVALS = 4
#: an SLA threshold: dotted
REFERENCE = Stroke(style.REFERENCE_COLOUR, pt(1.0), dash=f"{pt(1.0):.1f} {pt(1.65):.1f}")
DEMAND_END = Stroke(style.DEMAND_END_COLOUR, pt(0.8))
#: fault windows named at the top of the first panel, at most
NAMED_FAULTS = 4


def count_axis(top: float, label: str = "") -> Axis:
    """Counts from zero to `top`, ticked at whole numbers."""
    return Axis(Linear(0.0, top), linear_ticks(0.0, top, COUNT_INTERVALS, integer=True), label)


def duration_axis(low: float, high: float, label: str = "", tick_labels: bool = True) -> Axis:
    """Durations from `low` to `high` seconds on a log scale with room either side,
    ticked at round durations (1s, 1m, 1h)."""
    scale = Log(low / LOG_ROOM, high * LOG_ROOM)
    return Axis(scale, duration_ticks(low, high, LOG_ROOM), label, tick_labels)


def reference_line(panel: Panel, value: float | None, label: str) -> None:
    """A threshold across the panel, named in its legend; nothing when it is not set."""
    if value is not None:
        panel.hline(value, REFERENCE, label)


def strips(
    name: str,
    series: RunSeries,
    keys: Sequence[str],
    values: Sequence[Axis],
    height: float = STRIP_H,
    legends: Sequence[str] = (),
) -> Figure:
    """A column of panels, one per key with its value axis, sharing the time axis
    (labelled under the last), faults shaded and named on the first; `legends` are the
    labels a legend right of any panel will show, which widen the right margin."""
    width = FIGURE_W
    tall = (height * len(keys) + 0.5) * PX_PER_IN
    margins = STRIP_MARGINS.widened(legend_room(legends, LEGEND))
    areas = grid(width, tall, len(keys), 1, margins)
    end_h = series.end_s / style.HOUR
    figure = Figure(name, width, tall)
    last = len(keys) - 1
    for i, (key, area, value) in enumerate(zip(keys, areas, values, strict=True)):
        time = Axis(
            Linear(0.0, end_h),
            linear_ticks(0.0, end_h, TIME_INTERVALS),
            "simulated time (h)" if i == last else "",
            tick_labels=i == last,
        )
        panel = figure.panel(key, area, time, value)
        shade_faults(panel, series.faults, named=i == 0)
        if series.duration_s < series.end_s:
            panel.vline(series.duration_s / style.HOUR, DEMAND_END)
    return figure


def shade_faults(panel: Panel, faults: Sequence[tuple[float, float, str]], named: bool) -> None:
    """Shade each fault window; with `named`, name the first few at the top of the
    panel."""
    for i, (start, end, fault) in enumerate(faults):
        panel.span(start / style.HOUR, end / style.HOUR, style.FAULT_COLOUR, style.FAULT_ALPHA)
        if named and i < NAMED_FAULTS:
            x, _ = panel.px(start / style.HOUR, 0.0)
            panel.note(
                Text(x + pt(2), panel.area.y + pt(10), fault, NOTE, colour=style.FAULT_COLOUR)
            )
