"""The SVG written: step lines with a corner only where the value changes, text
escaped, numbers compact, and text boxes that cover what is drawn."""

from __future__ import annotations

import pytest

from scenarios.reports.svg.document import Anchor, Baseline, Text, element, escape, num
from scenarios.reports.svg.marks import filled_step_path, step_path
from scenarios.reports.svg.metrics import fitting_size, text_width


def test_a_step_line_holds_each_value_until_the_next_point() -> None:
    points = [(0.0, 10.0), (1.0, 10.0), (2.0, 5.0), (3.0, 5.0), (4.0, 5.0)]
    assert step_path(points) == "M0 10H2V5H4"
    assert step_path([(0.0, 1.0)]) == "M0 1"
    assert step_path([]) == ""
    assert filled_step_path(points, 20.0) == "M0 20V10H2V5H4V20Z"


def test_text_and_attributes_are_escaped() -> None:
    assert escape("<a & 'b'>") == "&lt;a &amp; &#x27;b&#x27;&gt;"
    text = Text(1.0, 2.0, "p95 < 1m & more", 12.0)
    assert ">p95 &lt; 1m &amp; more</text>" in text.svg()
    assert element("g", id='x"y') == '<g id="x&quot;y"/>'


def test_numbers_are_written_to_a_tenth() -> None:
    assert [num(v) for v in (0.0, -0.01, 3.14159, 2.0, 1e3)] == ["0", "0", "3.1", "2", "1000"]


def test_text_boxes_follow_the_anchor_and_turn() -> None:
    wide = text_width("hub ATS", 12.0)
    assert text_width("WWW", 12.0) > text_width("iii", 12.0)
    left, _, right, _ = Text(100.0, 50.0, "hub ATS", 12.0, Anchor.END).box()
    assert right == 100.0 and left == 100.0 - wide
    turned = Text(20.0, 100.0, "hub ATS", 12.0, Anchor.MIDDLE, Baseline.BASELINE, vertical=True)
    left, top, right, bottom = turned.box()
    assert bottom - top == pytest.approx(wide) and right - left < 1.1 * 12.0


def test_a_title_too_wide_is_set_smaller_to_fit() -> None:
    title = "click_collect: 123,456 orders, max 12.3 h"
    assert fitting_size(title, 13.3, 1000.0, bold=True) == 13.3
    smaller = fitting_size(title, 13.3, 250.0, bold=True)
    assert smaller < 13.3 and text_width(title, smaller, bold=True) <= 250.0 + 1e-9
