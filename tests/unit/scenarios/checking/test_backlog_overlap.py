"""The reconciliation backlog's deepest point: the most facts waiting for the ERP at
once, counted from two packed arrays of their start and stop times."""

from __future__ import annotations

from array import array

import pytest

from scenarios.checking import books
from scenarios.checking.books import deepest_overlap


def _deepest(spans: list[tuple[float, float]]) -> int:
    return deepest_overlap(array("d", (a for a, _ in spans)), array("d", (b for _, b in spans)))


def test_nothing_waiting_is_a_depth_of_zero() -> None:
    assert _deepest([]) == 0


def test_spans_open_together_are_counted_together() -> None:
    assert _deepest([(0.0, 10.0), (1.0, 5.0), (2.0, 3.0), (4.0, 6.0)]) == 3


def test_a_fact_booked_the_instant_another_happens_is_out_first() -> None:
    """(0, 5) is booked at 5 as (5, 9) happens: never two at once."""
    assert _deepest([(0.0, 5.0), (5.0, 9.0)]) == 1
    assert _deepest([(5.0, 9.0), (0.0, 5.0), (5.0, 7.0)]) == 2


def test_the_order_the_spans_come_in_does_not_matter() -> None:
    spans = [(3.0, 8.0), (0.0, 2.0), (1.0, 4.0), (2.0, 3.5), (7.0, 9.0)]
    assert _deepest(spans) == _deepest(sorted(spans)) == _deepest(spans[::-1]) == 3


def test_spans_sorted_in_runs_count_as_sorted_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The arrays are sorted a run of `SORT_CHUNK` at a time and merged: the same
    depth however the runs fall."""
    spans = [(3.0, 8.0), (0.0, 2.0), (1.0, 4.0), (2.0, 3.5), (7.0, 9.0), (5.0, 9.0)]
    whole = _deepest(spans)
    for chunk in (1, 2, 4):
        monkeypatch.setattr(books, "SORT_CHUNK", chunk)
        assert _deepest(spans) == _deepest(spans[::-1]) == whole == 3
