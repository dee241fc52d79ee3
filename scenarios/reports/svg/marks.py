"""The drawing primitives, in px: step lines and filled steps (a series sampled at
points, holding each value until the next), shaded spans, straight lines and legend
entries.

Step lines are written as SVG path data with relative-free `H`/`V` commands, one
vertex per change of value: a queue's depth or an SKU's stock sampled once a simulated
minute is flat most of the time, so most of its 1,800 samples add nothing to the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from scenarios.reports.svg.document import Anchor, Baseline, Text, element, num
from scenarios.reports.svg.layout import LEGEND_ROW_EM, SAMPLE_EM, SAMPLE_GAP_EM

Point = tuple[float, float]


class Stroke:
    """How a line is drawn: colour, width (px), dash pattern (SVG's, px), opacity. A
    plain class (see layout.py's `Rect`)."""

    def __init__(
        self, colour: str, width: float = 2.0, dash: str | None = None, opacity: float = 1.0
    ) -> None:
        self.colour = colour
        self.width = width
        self.dash = dash
        self.opacity = opacity

    def attributes(self) -> dict[str, str | float | None]:
        return {
            "stroke": self.colour,
            "stroke_width": self.width,
            "stroke_dasharray": self.dash,
            "stroke_opacity": self.opacity if self.opacity < 1 else None,
        }


def step_path(points: Sequence[Point]) -> str:
    """Path data of a step line through `points` (x ascending): each value held until
    the next point's x, the last one ending at its own x; "" for no points."""
    if not points:
        return ""
    x0, y0 = points[0]
    return f"M{num(x0)} {num(y0)}{_steps(points)}"


def filled_step_path(points: Sequence[Point], base: float) -> str:
    """Path data of the area between a step line through `points` and the baseline at
    y = `base`, closed; "" for no points."""
    if not points:
        return ""
    x0, y0 = points[0]
    return f"M{num(x0)} {num(base)}V{num(y0)}{_steps(points)}V{num(base)}Z"


def _steps(points: Sequence[Point]) -> str:
    """The `H`/`V` commands from the first point on: a corner only where the value
    changes, and the run to the last point's x."""
    parts = []
    previous = points[0][1]
    last_y = num(previous)
    for x, y in points[1:]:
        if y == previous:  # the same value shows the same: most of a step line's points
            continue
        previous = y
        shown = num(y)
        if shown != last_y:
            parts.append(f"H{num(x)}V{shown}")
            last_y = shown
    if len(points) > 1:
        parts.append(f"H{num(points[-1][0])}")
    return "".join(parts)


def path(data: str, stroke: Stroke, class_: str | None = "series") -> str:
    """A line along `data`, unfilled; `class_` names a data line (the browser tests
    count them)."""
    return element("path", d=data, fill="none", class_=class_, **stroke.attributes())


def area(data: str, colour: str, opacity: float) -> str:
    return element("path", d=data, fill=colour, fill_opacity=opacity, stroke="none")


def rect(x: float, y: float, width: float, height: float, colour: str, opacity: float) -> str:
    return element("rect", x=x, y=y, width=width, height=height, fill=colour, fill_opacity=opacity)


def line(start: Point, end: Point, stroke: Stroke, class_: str | None = None) -> str:
    (x1, y1), (x2, y2) = start, end
    return element("line", x1=x1, y1=y1, x2=x2, y2=y2, class_=class_, **stroke.attributes())


class LegendEntry:
    """A line of a legend: its label and how its line is drawn."""

    def __init__(self, label: str, stroke: Stroke) -> None:
        self.label = label
        self.stroke = stroke


def legend(
    entries: Sequence[LegendEntry], x: float, y: float, size: float
) -> tuple[str, list[Text]]:
    """A legend whose top left is (x, y): a line sample then the label, one entry a
    row, no frame; (the samples, the labels)."""
    samples, labels = [], []
    for row, entry in enumerate(entries):
        middle = y + (row + 0.5) * LEGEND_ROW_EM * size
        samples.append(line((x, middle), (x + SAMPLE_EM * size, middle), entry.stroke))
        labels.append(
            Text(
                x + (SAMPLE_EM + SAMPLE_GAP_EM) * size,
                middle,
                entry.label,
                size,
                Anchor.START,
                Baseline.MIDDLE,
            )
        )
    return "".join(samples), labels
