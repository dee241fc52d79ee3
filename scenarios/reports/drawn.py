"""A drawn chart, whatever drew it: what the page puts under a heading.

Kept apart from both renderers (`run_charts.py` with `scenarios.reports.svg`,
`compare_charts.py` with matplotlib) so the page (`run_page.py`) can hold one without
importing either.
"""

from __future__ import annotations

from scenarios.reports.style import HOUR


class Chart:
    """A drawn chart: its name (the SVG's `data-chart`), the SVG (None when every panel
    was left out), the keys of the panels it holds, and one line saying what it left
    out ("" when nothing). A plain class, not a dataclass: compiled, a dataclass has its
    methods' source written and compiled at import (svg/layout.py's `Rect`)."""

    def __init__(
        self, name: str, svg: str | None, panels: tuple[str, ...], left_out: str = ""
    ) -> None:
        self.name = name
        self.svg = svg
        self.panels = panels
        self.left_out = left_out


def format_duration(seconds: float) -> str:
    """A latency as people say it: 850 ms, 2.4 s, 12 min, 3.5 h."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 2 * HOUR:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / HOUR:.1f} h"
