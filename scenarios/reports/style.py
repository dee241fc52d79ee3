"""The look every chart of the reports shares, whatever draws it: the colours, the type
sizes and the line weights, in points as matplotlib takes them.

The run's charts are drawn by the small SVG renderer of `scenarios.reports.svg`, the
comparison's by matplotlib (`charts.py`); both read these constants, so a channel is
the same colour, and a title the same size, on every page. Nothing here imports a
drawing library.
"""

from __future__ import annotations

from collections.abc import Sequence

CHANNEL_COLOURS = {
    "web": "#1f77b4",
    "marketplace": "#ff7f0e",
    "click_collect": "#2ca02c",
    "all": "#444444",
}
FAULT_COLOUR = "#d62728"
#: the opacity of a fault window's shading
FAULT_ALPHA = 0.12
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
#: a reference line (an SLA threshold): dotted, dark grey
REFERENCE_COLOUR = "#555555"
#: the line where demand ended and the drain began
DEMAND_END_COLOUR = "#999999"
#: the p95 mark on a latency chart's percentile axis
P95_COLOUR = "#bbbbbb"
#: a small note on a chart (the queues' bin)
NOTE_COLOUR = "#666666"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#b0b0b0"
GRID_ALPHA = 0.3
#: type sizes (points)
FONT_PT = 9.0
TITLE_PT = 10.0
LEGEND_PT = 8.0
NOTE_PT = 7.0
#: a data line's width (points)
LINE_PT = 1.5

HOUR = 3600.0


def colour(channel: str, index: int = 0) -> str:
    return CHANNEL_COLOURS.get(channel, PALETTE[index % len(PALETTE)])


def hours(values: Sequence[float]) -> list[float]:
    return [v / HOUR for v in values]
