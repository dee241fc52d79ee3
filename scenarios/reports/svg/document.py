"""SVG written as text: elements, their attributes, escaped text, compact numbers, and
the `<svg>` element of a chart.

Strings rather than a tree (`xml.etree`): a chart is written once, front to back, and
a list of strings joined at the end costs a fraction of building and serialising
elements. Every piece of text that reaches the page goes through `escape`.
"""

from __future__ import annotations

from enum import StrEnum
from html import escape as _escape

from scenarios.reports.svg.metrics import text_width

SVG_NS = "http://www.w3.org/2000/svg"
#: the generic family: no font file to fetch or embed (see the package's note)
FONT_FAMILY = "sans-serif"


def escape(text: str) -> str:
    """Text or an attribute value made safe inside the page (`&`, `<`, `>`, quotes)."""
    return _escape(text, quote=True)


def num(value: float) -> str:
    """A coordinate to a tenth of a pixel, without a trailing `.0`."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def attributes(values: dict[str, str | float | None]) -> str:
    """` name="value"` for each value that is not None; numbers through `num`."""
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, float | int) else escape(value)
        parts.append(f' {name}="{shown}"')
    return "".join(parts)


def element(name: str, content: str | None = None, /, **values: str | float | None) -> str:
    """`<name attributes/>`, or with `content` (already SVG) inside. Attribute names
    are given with `_` for `-` (`stroke_width`), and `class_` for `class`."""
    attrs = attributes({key.rstrip("_").replace("_", "-"): v for key, v in values.items()})
    if content is None:
        return f"<{name}{attrs}/>"
    return f"<{name}{attrs}>{content}</{name}>"


class Anchor(StrEnum):
    """Where a text's x is: its start, its middle or its end."""

    START = "start"
    MIDDLE = "middle"
    END = "end"


class Baseline(StrEnum):
    """What a text's y is: its baseline, its middle, or the top of its capitals."""

    BASELINE = "baseline"
    MIDDLE = "middle"
    TOP = "top"


#: how far below y the baseline sits, in ems, for each `Baseline` (browsers differ on
#: `dominant-baseline`, so the shift is made here)
_DROP = {Baseline.BASELINE: 0.0, Baseline.MIDDLE: 0.35, Baseline.TOP: 0.75}


class Text:
    """One line of text; `size` in px; `vertical` turns it to read bottom to top. A
    plain class (see layout.py's `Rect`)."""

    def __init__(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        anchor: Anchor = Anchor.START,
        baseline: Baseline = Baseline.BASELINE,
        colour: str = "#222222",
        bold: bool = False,
        vertical: bool = False,
    ) -> None:
        self.x = x
        self.y = y
        self.text = text
        self.size = size
        self.anchor = anchor
        self.baseline = baseline
        self.colour = colour
        self.bold = bold
        self.vertical = vertical

    def svg(self) -> str:
        base = self.y + _DROP[self.baseline] * self.size
        turn = f"rotate(-90 {num(self.x)} {num(self.y)})" if self.vertical else None
        return element(
            "text",
            escape(self.text),
            x=self.x,
            y=base,
            font_size=self.size,
            text_anchor=None if self.anchor is Anchor.START else self.anchor.value,
            font_weight="bold" if self.bold else None,
            fill=self.colour,
            transform=turn,
        )

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) the text covers, estimated (`metrics`)."""
        width = text_width(self.text, self.size, self.bold)
        start = {Anchor.START: 0.0, Anchor.MIDDLE: -width / 2, Anchor.END: -width}[self.anchor]
        base = _DROP[self.baseline] * self.size
        above, below = 0.8 * self.size - base, 0.22 * self.size + base
        if self.vertical:  # turned about (x, y): along y, across x
            return (self.x - above, self.y - start - width, self.x + below, self.y - start)
        return (self.x + start, self.y - above, self.x + start + width, self.y + below)


def svg_root(name: str, width: float, height: float, content: str, title: str = "") -> str:
    """A chart's `<svg>`: sized in px, scaled by the page (`viewBox`), its text in the
    generic family, named for the page and its tests (`class="chart"`,
    `data-chart`)."""
    label = element("title", escape(title)) if title else ""
    return (
        f'<svg class="chart" data-chart="{escape(name)}" xmlns="{SVG_NS}" '
        f'width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT_FAMILY}" '
        f'role="img">{label}{content}</svg>'
    )
