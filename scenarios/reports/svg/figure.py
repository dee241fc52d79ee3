"""A chart's figure: its panels and notes in one inline `<svg>`.

Several charts share one HTML document, so every id a figure writes starts with the
chart's name (`CHART-panel-KEY`, `CHART-clip-KEY`): one chart can never borrow another's
clip path, and a browser can count a chart's panels by their groups.
"""

from __future__ import annotations

from scenarios.reports.svg.document import Text, svg_root
from scenarios.reports.svg.layout import Rect
from scenarios.reports.svg.panel import Axis, Panel


class Figure:
    """A chart's figure, `width` by `height` px, and its panels in the order drawn. A
    plain class (layout.py's `Rect`)."""

    def __init__(self, name: str, width: float, height: float) -> None:
        self.name = name
        self.width = width
        self.height = height
        self.panels: list[Panel] = []

    def panel(self, key: str, area: Rect, x: Axis, y: Axis) -> Panel:
        """A new panel of the figure, drawn in the order made."""
        made = Panel(key, area, x, y)
        self.panels.append(made)
        return made

    def by_key(self) -> dict[str, Panel]:
        return {panel.key: panel for panel in self.panels}

    def texts(self) -> list[Text]:
        """Every text of every panel."""
        return [text for panel in self.panels for text in panel.texts()]

    def svg(self, title: str = "") -> str:
        """The figure as an `<svg>` element (no XML prolog), `title` its accessible
        name."""
        body = "".join(panel.svg(self.name) for panel in self.panels)
        return svg_root(self.name, self.width, self.height, body, title)
