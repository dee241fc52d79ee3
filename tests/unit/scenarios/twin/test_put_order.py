"""A spill table's rows are appended in the order they are put and read back in the
order of their numbers: `PutOrder` gives the row ids and restores the order, however
far out of order the rows came, with rows deleted on the way."""

from __future__ import annotations

import random

import pytest

from scenarios.twin.put_order import LATE, PutOrder


def _finish_order(count: int, rng: random.Random, far: float) -> list[int]:
    """Numbers 0..count-1 in the order they finish: each lasts a while, a few (`far`)
    a very long while (an order open all day)."""
    ends = []
    for seq in range(count):
        lasts = rng.expovariate(1 / 30)
        if rng.random() < far:
            lasts = rng.uniform(0, count)
        ends.append((seq + lasts, seq))
    return [seq for _, seq in sorted(ends)]


def _scan(order: PutOrder, table: dict[int, tuple[int, str, int]]) -> list[int]:
    """What a store's scan reads: the table's rows (seq, key, row id) below `LATE` by row
    id, those above by number (their index), through `in_number_order`; the numbers in
    the order given."""
    by_id = sorted(table.items())
    appended = [row for row_id, row in by_id if row_id < LATE]
    late = sorted(row for row_id, row in by_id if row_id > LATE)
    return [row[0] for row in order.in_number_order(iter(appended), iter(late))]


@pytest.mark.parametrize(("window", "block"), [(16, 4), (64, 8), (2048, 256)])
@pytest.mark.parametrize("far", [0.0, 0.02])
def test_rows_put_out_of_order_read_back_in_number_order(
    window: int, block: int, far: float
) -> None:
    rng = random.Random(window * 7 + int(far * 100))
    order = PutOrder(window, block)
    table: dict[int, tuple[int, str, int]] = {}
    where: dict[int, int] = {}
    for seq in _finish_order(6000, rng, far):
        row_id = order.row_id(seq)
        assert row_id not in table
        table[row_id] = (seq, f"k{seq}", row_id)
        where[seq] = row_id
        if rng.random() < 0.05:  # one put before is taken: gone, or put again
            gone = rng.choice(list(where))
            del table[where.pop(gone)]
            if rng.random() < 0.5:
                again = order.row_id(gone)
                table[again] = (gone, f"k{gone}", again)
                where[gone] = again
    assert _scan(order, table) == sorted(where)
    appended = [seq for row_id, (seq, _, _) in sorted(table.items()) if row_id < LATE]
    late = len(table) - len(appended)
    assert appended != sorted(appended), "the rows were appended in put order"
    if window == 16:
        assert late > 0, "some rows came too far out of order to append"
    if window == 2048:  # a window well beyond how far most rows come out of order
        assert late < len(table) // 40


def test_rows_put_in_order_are_appended_one_after_another() -> None:
    order = PutOrder(16, 4)
    assert [order.row_id(seq) for seq in range(100)] == list(range(1, 101))


def test_a_row_appended_is_never_more_than_the_window_out_of_place() -> None:
    """The promise a scan's memory rests on: fewer than `window` rows appended before a
    row carry larger numbers: rows finishing at random, and the worst case, runs of
    rows each numbered below every row of its run before it."""
    window, block = 32, 4
    descending = [1000 * run + 999 - n for run in range(20) for n in range(window + 3 * block)]
    for seqs in (_finish_order(3000, random.Random(3), 0.05), descending):
        order = PutOrder(window, block)
        appended: list[int] = []
        most = 0
        for seq in seqs:
            if order.row_id(seq) < LATE:
                most = max(most, sum(1 for earlier in appended if earlier > seq))
                appended.append(seq)
        assert most < window
    assert most == window - 1  # the worst case reaches the bound


def test_a_scan_given_rows_out_of_place_refuses_them() -> None:
    """A row whose block claims a smaller number than it holds breaks the order: the
    scan raises instead of reading the rows out of order."""
    order = PutOrder(16, 4)
    for seq in (10, 11, 12, 13, 14, 15, 16, 17):
        order.row_id(seq)
    rows = [(10, "a", 1), (11, "b", 2), (12, "c", 3), (13, "d", 4), (2, "x", 5)]
    with pytest.raises(RuntimeError, match="out of order"):
        list(order.in_number_order(iter(rows), iter([])))
