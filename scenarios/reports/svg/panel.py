"""One panel of a chart: its plot area, the axes around it (ticks, grid, labels), its
title, the marks drawn in it (clipped to the plot area) and its legend.

Marks are given in data units and placed through the panel's scales; anything given a
`label` joins the legend, which is drawn right of the plot when asked for
(`show_legend`), where it cannot hide a line. Every text is kept as a `Text`, so a test
can check that all of a figure's text lies inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

from scenarios.reports import style
from scenarios.reports.svg.document import Anchor, Baseline, Text, element
from scenarios.reports.svg.layout import LEGEND_GAP, Rect, pt
from scenarios.reports.svg.marks import (
    LegendEntry,
    Stroke,
    area,
    filled_step_path,
    legend,
    line,
    path,
    rect,
    step_path,
)
from scenarios.reports.svg.metrics import fitting_size, text_width
from scenarios.reports.svg.scale import Scale
from scenarios.reports.svg.ticks import Tick

#: an outward tick mark, and the gap from it to its label (px)
TICK_LEN = pt(3.5)
TICK_PAD = pt(3.5)
#: the gap from the tick labels to the axis label, and from the plot to its title (px)
LABEL_PAD = pt(4.0)
TITLE_PAD = pt(6.0)
FONT = pt(style.FONT_PT)
TITLE = pt(style.TITLE_PT)
LEGEND = pt(style.LEGEND_PT)
NOTE = pt(style.NOTE_PT)
SPINE = Stroke("#333333", pt(0.8))
GRID = Stroke(style.GRID_COLOUR, pt(0.8), opacity=style.GRID_ALPHA)


class Axis:
    """A panel's axis: its scale, the ticks to label it with (those outside the scale
    are skipped), its label, and whether the tick labels are shown (panels sharing an
    axis label it once). A plain class (layout.py's `Rect`)."""

    def __init__(
        self, scale: Scale, ticks: Sequence[Tick], label: str = "", tick_labels: bool = True
    ) -> None:
        self.scale = scale
        self.ticks = ticks
        self.label = label
        self.tick_labels = tick_labels

    def visible(self) -> list[Tick]:
        return [tick for tick in self.ticks if self.scale.contains(tick.value)]


class Panel:
    """One panel of a figure: its area, its axes, and what is drawn in it, added by
    its methods. A plain class (layout.py's `Rect`)."""

    def __init__(self, key: str, area: Rect, x: Axis, y: Axis) -> None:
        self.key = key
        self.area = area
        self.x = x
        self.y = y
        self.title = ""
        self.title_anchor = Anchor.START
        self.show_legend = False
        #: the marks under the grid (spans), and over it (lines)
        self.under: list[str] = []
        self.marks: list[str] = []
        self.notes: list[Text] = []
        self.entries: list[LegendEntry] = []

    def px(self, x: float, y: float) -> tuple[float, float]:
        """A point in data units, in px."""
        a = self.area
        return (
            a.x + self.x.scale.fraction(x) * a.width,
            a.bottom - self.y.scale.fraction(y) * a.height,
        )

    def _points(self, xs: Sequence[float], ys: Sequence[float]) -> list[tuple[float, float]]:
        """`px` of each point, each axis's fractions taken in one `map` (a run's hot
        SKUs' panels draw some 24,000 points: a `px` call each was most of their time)."""
        a = self.area
        left, width, bottom, height = a.x, a.width, a.bottom, a.height
        across, up = map(self.x.scale.fraction, xs), map(self.y.scale.fraction, ys)
        return [
            (left + fx * width, bottom - fy * height) for fx, fy in zip(across, up, strict=False)
        ]

    def step(
        self, xs: Sequence[float], ys: Sequence[float], stroke: Stroke, label: str = ""
    ) -> None:
        """A step line: each y held from its x to the next."""
        data = step_path(self._points(xs, ys))
        if data:
            self.marks.append(path(data, stroke))
        self._entry(label, stroke)

    def fill_step(
        self, xs: Sequence[float], ys: Sequence[float], colour: str, opacity: float
    ) -> None:
        """The area under a step line, down to the bottom of the plot."""
        data = filled_step_path(self._points(xs, ys), self.area.bottom)
        if data:
            self.marks.append(area(data, colour, opacity))

    def span(self, x0: float, x1: float, colour: str, opacity: float) -> None:
        """A band across the whole height from `x0` to `x1`."""
        left, _ = self.px(x0, 0.0)
        right, _ = self.px(x1, 0.0)
        self.under.append(rect(left, self.area.y, right - left, self.area.height, colour, opacity))

    def hline(self, y: float, stroke: Stroke, label: str = "") -> None:
        """A line across the plot at `y` (out of sight when `y` is off the scale)."""
        _, at = self.px(self.x.scale.low, y)
        self.marks.append(line((self.area.x, at), (self.area.right, at), stroke))
        self._entry(label, stroke)

    def vline(self, x: float, stroke: Stroke, label: str = "") -> None:
        at, _ = self.px(x, self.y.scale.low)
        self.marks.append(line((at, self.area.y), (at, self.area.bottom), stroke))
        self._entry(label, stroke)

    def note(self, text: Text) -> None:
        self.notes.append(text)

    def _entry(self, label: str, stroke: Stroke) -> None:
        if label:
            self.entries.append(LegendEntry(label, stroke))

    def texts(self) -> list[Text]:
        """Every text the panel draws."""
        return [*self._tick_labels(), *self._axis_labels(), *self._title(), *self.notes] + (
            self._legend()[1]
        )

    def _tick_labels(self) -> list[Text]:
        a = self.area
        texts = []
        if self.x.tick_labels:
            for tick in self.x.visible():
                at, _ = self.px(tick.value, self.y.scale.low)
                y = a.bottom + TICK_LEN + TICK_PAD
                texts.append(Text(at, y, tick.label, FONT, Anchor.MIDDLE, Baseline.TOP))
        if self.y.tick_labels:
            for tick in self.y.visible():
                _, at = self.px(self.x.scale.low, tick.value)
                x = a.x - TICK_LEN - TICK_PAD
                texts.append(Text(x, at, tick.label, FONT, Anchor.END, Baseline.MIDDLE))
        return texts

    def _axis_labels(self) -> list[Text]:
        a = self.area
        texts = []
        if self.x.label:
            below = a.bottom + TICK_LEN + TICK_PAD + (FONT if self.x.tick_labels else 0.0)
            x, y = a.x + a.width / 2, below + LABEL_PAD
            texts.append(Text(x, y, self.x.label, FONT, Anchor.MIDDLE, Baseline.TOP))
        if self.y.label:
            widest = max(
                (text_width(t.label, FONT) for t in self.y.visible() if self.y.tick_labels),
                default=0.0,
            )
            x = a.x - TICK_LEN - TICK_PAD - widest - LABEL_PAD  # the glyphs rise left of it
            y = a.y + a.height / 2
            label = Text(x, y, self.y.label, FONT, Anchor.MIDDLE, Baseline.BASELINE, vertical=True)
            texts.append(label)
        return texts

    def _title(self) -> list[Text]:
        if not self.title:
            return []
        a = self.area
        size = fitting_size(self.title, TITLE, a.width * 0.97, bold=True)
        x = a.x + a.width / 2 if self.title_anchor is Anchor.MIDDLE else a.x
        return [
            Text(x, a.y - TITLE_PAD, self.title, size, self.title_anchor, bold=True),
        ]

    def _legend(self) -> tuple[str, list[Text]]:
        if not self.show_legend or not self.entries:
            return "", []
        return legend(self.entries, self.area.right + LEGEND_GAP, self.area.y, LEGEND)

    def _frame(self) -> tuple[str, str]:
        """(the grid and the ticks, the spines), in px."""
        a = self.area
        grid, ticks = [], []
        for tick in self.x.visible():
            at, _ = self.px(tick.value, self.y.scale.low)
            grid.append(line((at, a.y), (at, a.bottom), GRID))
            ticks.append(line((at, a.bottom), (at, a.bottom + TICK_LEN), SPINE))
        for tick in self.y.visible():
            _, at = self.px(self.x.scale.low, tick.value)
            grid.append(line((a.x, at), (a.right, at), GRID))
            ticks.append(line((a.x - TICK_LEN, at), (a.x, at), SPINE))
        spines = line((a.x, a.y), (a.x, a.bottom), SPINE) + line(
            (a.x, a.bottom), (a.right, a.bottom), SPINE
        )
        return "".join(grid), "".join(ticks) + spines

    def svg(self, chart: str) -> str:
        """The panel as a group `CHART-panel-KEY`, its marks clipped to the plot area by
        a clip path `CHART-clip-KEY`."""
        a = self.area
        clip = f"{chart}-clip-{self.key}"
        grid, frame = self._frame()
        samples, legend_texts = self._legend()
        texts = [*self._tick_labels(), *self._axis_labels(), *self._title(), *self.notes]
        body = "".join(
            [
                element(
                    "defs",
                    element(
                        "clipPath",
                        element("rect", x=a.x, y=a.y, width=a.width, height=a.height),
                        id=clip,
                    ),
                ),
                element(
                    "rect",
                    x=a.x,
                    y=a.y,
                    width=a.width,
                    height=a.height,
                    fill="#ffffff",
                    class_="plot-area",
                ),
                element(
                    "g", "".join(self.under) + grid + "".join(self.marks), clip_path=f"url(#{clip})"
                ),
                frame,
                samples,
                "".join(text.svg() for text in [*texts, *legend_texts]),
            ]
        )
        return element("g", body, id=f"{chart}-panel-{self.key}", class_="panel")
