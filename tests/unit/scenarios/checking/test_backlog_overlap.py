"""The reconciliation backlog's deepest point: the most facts waiting for the ERP at
once, counted from two packed arrays of their start and stop times, or from two walks
over the spans that hold only the few around the peak."""

from __future__ import annotations

import random
from array import array
from typing import Any

import pytest

from scenarios.checking import books
from scenarios.checking.books import deepest_overlap, deepest_streamed


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


def _streamed(spans: list[tuple[float, float]]) -> int:
    return deepest_streamed(iter(spans), lambda: spans)


@pytest.mark.parametrize("seed", range(40))
def test_the_deepest_point_from_two_walks_is_the_one_from_every_span_held(seed: int) -> None:
    """Counted by the minute, then swept within the few minutes that can hold it: the
    same depth as every span sorted, ties at one instant and spans within one minute,
    across many, and ending at a minute's edge included."""
    rng = random.Random(seed)
    spans = []
    for _ in range(rng.randint(0, 400)):
        start = rng.choice((rng.uniform(0, 3600), float(rng.randint(0, 60) * 60)))
        length = rng.choice((rng.expovariate(1 / 90), rng.uniform(0, 5), 60.0, 7200.0))
        if length > 0:
            spans.append((start, start + length))
    assert _streamed(spans) == _deepest(spans)


def test_buckets_swept_a_few_at_a_time_find_the_same_deepest_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Held to a few span times at once, the buckets that may hold the deepest point
    are swept over several walks, the highest bounds first: the same depth."""
    monkeypatch.setattr(books, "MOST_HELD", 2)
    walks_per_seed = []
    for seed in range(20):
        rng = random.Random(seed)
        spans = []
        for _ in range(300):
            start = rng.uniform(0, 600)
            spans.append((start, start + rng.expovariate(1 / 30)))
        walks: list[int] = []

        def again(spans: list[tuple[float, float]] = spans, walks: list[int] = walks) -> Any:
            walks.append(1)
            return spans

        assert books.deepest_streamed(iter(spans), again) == _deepest(spans), seed
        walks_per_seed.append(len(walks))
    assert max(walks_per_seed) > 1, walks_per_seed
