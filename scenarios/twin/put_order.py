"""A spill table's rows kept in the order they are put, read back in the order of their
numbers (`seq`) without SQLite sorting them.

Records are numbered when they are added and put into the spill when they finish, so
they arrive roughly, not exactly, in number order. Made the table's row id, the number
sent a third of the inserts into old leaf pages of a table ten times the size of its
key index (docs/architecture.md, Memory's diagnosis of the spill). So a table's rows are
appended in the order they are put, and a scan restores number order in memory: it
reads them in put order, holding back in a heap each row that a row still to come may
precede. `PutOrder` keeps, for each block of `BLOCK` appended rows, the smallest number
in it: a row held back comes out once every block still to read starts above it.

A row put far out of order (an order that took all day to finish) would hold back
everything read after it, so `PutOrder` appends a row only if fewer than `WINDOW` rows
appended before it carry larger numbers, the most a scan then holds. It makes sure of
that conservatively, in blocks: the row's number must exceed every number appended
before the last `WINDOW // BLOCK - 1` full blocks. A row it cannot promise (a few per
cent) is put "late": appended too, in a range of row ids of its own above `LATE`, which
an index on `seq` covers alone (a partial index: the late rows' entries, small enough
to stay in the page cache, where placing the late rows themselves by number sent each
insert to a page of their own range at random, 26,000 more reads of the file at 0.5);
the scan merges the two ranges. Deleting rows (`take`) leaves each block's smallest
number a lower bound, and a scan correct.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from heapq import heappop, heappush
from typing import Any

#: rows a scan may hold back, at most, to put appended rows in number order
WINDOW = 2048
#: appended rows a block: each block's smallest number is kept (8 bytes), and the bound
#: of the numbers appended in order moves a block at a time
BLOCK = 256
#: the late rows' row ids start above this one, every appended row's below it
LATE = 1 << 62

#: a row as a scan reads it: (seq, ..., row id), the numbers distinct in a table
Row = tuple[Any, ...]


class PutOrder:
    """Gives each row put its row id: the next in put order, or the next late one; and puts
    the rows read back in number order (`in_number_order`)."""

    __slots__ = (
        "_appended",
        "_block",
        "_block_max",
        "_bound",
        "_mins",
        "_recent",
        "_window",
        "late",
    )

    def __init__(self, window: int = WINDOW, block: int = BLOCK) -> None:
        self._window = window
        self._block = block
        #: rows appended so far (the last one's row id)
        self._appended = 0
        #: the smallest number in each block of appended rows, in row id order
        self._mins = array("q")
        #: the largest number in the current block
        self._block_max = -1
        #: the largest number of each of the last full blocks, newest last
        self._recent: deque[int] = deque()
        #: every number appended before the recent blocks is at most this
        self._bound = -1
        #: rows put late so far
        self.late = 0

    def row_id(self, seq: int) -> int:
        """The row id of a row numbered `seq`, put now (counted as put)."""
        if seq <= self._bound:
            self.late += 1
            return LATE + self.late
        at = self._appended % self._block
        if at == 0:
            self._mins.append(seq)
        elif seq < self._mins[-1]:
            self._mins[-1] = seq
        if seq > self._block_max:
            self._block_max = seq
        if at == self._block - 1:  # the block is full
            recent = self._recent
            recent.append(self._block_max)
            self._block_max = -1
            # the recent blocks and the next one's rows before its last: < window rows
            if len(recent) > self._window // self._block - 1:
                oldest = recent.popleft()
                if oldest > self._bound:
                    self._bound = oldest
        self._appended += 1
        return self._appended

    def in_number_order(self, appended: Iterable[Row], late: Iterable[Row]) -> Iterator[Row]:
        """Rows (seq, ..., row id) in order of seq: `appended`, the rows with a row id
        below `LATE`, in row id order, and `late` in order of seq already. A row is held
        in a heap until the blocks still to read all start above it (the numbers are
        distinct, so the heap compares them alone); a late row joins the heap when the
        blocks pass it. One generator, not `heapq.merge` over two (pure Python, a
        frame a row). A row out of place raises rather than being given out of order
        (a broken promise would change what the checker reads, silently)."""
        floors, size = self._floors(), self._block
        heap: list[Row] = []
        later = iter(late)
        waiting = next(later, None)
        block, last = -1, -1
        for row in appended:
            at = (row[-1] - 1) // size
            if at != block:
                block = at
                floor = floors[at]
                while waiting is not None and waiting[0] < floor:
                    heappush(heap, waiting)
                    waiting = next(later, None)
                while heap and heap[0][0] < floor:
                    out = heappop(heap)
                    if out[0] <= last:
                        raise RuntimeError(f"spill scan out of order: {out[0]} after {last}")
                    last = out[0]
                    yield out
            heappush(heap, row)
        while heap or waiting is not None:
            if waiting is not None and (not heap or waiting[0] < heap[0][0]):
                out, waiting = waiting, next(later, None)
            else:
                out = heappop(heap)
            if out[0] <= last:
                raise RuntimeError(f"spill scan out of order: {out[0]} after {last}")
            last = out[0]
            yield out

    def _floors(self) -> list[int]:
        """For each block of appended rows, the smallest number in it and every block
        after it (rows deleted since leave it a lower bound)."""
        floors = list(self._mins)
        for block in range(len(floors) - 2, -1, -1):
            if floors[block + 1] < floors[block]:
                floors[block] = floors[block + 1]
        return floors
