"""Where a figure's panels go: a grid of equal panels inside fixed margins, in px.

Fixed margins, sized once for the labels these charts have, rather than measured per
figure: the run's charts have the same few tick labels and titles every time, and a
legend right of its panels widens the right margin by its widest label (`legend_room`).
"""

from __future__ import annotations

from collections.abc import Iterable

from scenarios.reports.svg.metrics import text_width

#: px in an inch and in a point, as a browser counts them
PX_PER_IN = 96.0
PX_PER_PT = PX_PER_IN / 72.0
#: a figure's width: the page's column (1100 px, less its padding)
FIGURE_W = 10 * PX_PER_IN


def pt(points: float) -> float:
    """Points in px."""
    return points * PX_PER_PT


class Rect:
    """An area in px. Plain classes here and in the rest of the page's drawing, not
    dataclasses: compiled, a dataclass has its methods' source written and compiled at
    import (`dataclasses`) and is made by that interpreted `__init__`; plain, steady-day's
    `run --out` spent 80M instructions fewer after its fork (callgrind, full scale). None
    of them is compared but the scales (scale.py)."""

    def __init__(self, x: float, y: float, width: float, height: float) -> None:
        self.x = x
        self.y = y
        self.width = width
        self.height = height

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


class Margins:
    """A figure's margins and the gaps between its panels, in inches (as the charts'
    sizes are given)."""

    def __init__(
        self,
        left: float = 0.85,
        right: float = 0.25,
        top: float = 0.35,
        bottom: float = 0.55,
        row_gap: float = 0.45,
        column_gap: float = 0.25,
    ) -> None:
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
        #: between rows (a panel's title and, for latency, the x label above it)
        self.row_gap = row_gap
        self.column_gap = column_gap

    def widened(self, right_px: float) -> Margins:
        """These margins with the right one at least `right_px`."""
        right = max(self.right, right_px / PX_PER_IN)
        return Margins(self.left, right, self.top, self.bottom, self.row_gap, self.column_gap)


def grid(width: float, height: float, rows: int, columns: int, margins: Margins) -> list[Rect]:
    """`rows` x `columns` equal panels filling a `width` x `height` px figure inside
    `margins`, row by row."""
    left, right = margins.left * PX_PER_IN, margins.right * PX_PER_IN
    top, bottom = margins.top * PX_PER_IN, margins.bottom * PX_PER_IN
    row_gap, column_gap = margins.row_gap * PX_PER_IN, margins.column_gap * PX_PER_IN
    panel_w = (width - left - right - (columns - 1) * column_gap) / columns
    panel_h = (height - top - bottom - (rows - 1) * row_gap) / rows
    return [
        Rect(left + c * (panel_w + column_gap), top + r * (panel_h + row_gap), panel_w, panel_h)
        for r in range(rows)
        for c in range(columns)
    ]


#: a legend entry's line sample, and the gaps around it, in ems of the legend's type
SAMPLE_EM = 2.0
SAMPLE_GAP_EM = 0.8
#: the gap between a panel and the legend right of it (px)
LEGEND_GAP = 8.0
#: a legend's rows, in ems of its type
LEGEND_ROW_EM = 1.45


def legend_room(labels: Iterable[str], size: float) -> float:
    """The right margin (px) a legend right of its panel needs for `labels` at `size`
    px: the gap, the line sample, its gap and the widest label, and a little air; 0
    when there are no labels."""
    widest = max((text_width(label, size) for label in labels), default=0.0)
    if not widest:
        return 0.0
    return LEGEND_GAP + (SAMPLE_EM + SAMPLE_GAP_EM) * size + widest + 8.0
