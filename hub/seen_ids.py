"""Every id seen so far, exactly, in a few bytes each: the hub's guard against a store
transaction (or a goods receipt) booked twice.

A till's transaction can be redelivered days after it was rung up (an offline till
uploads its backlog, a broker redelivers), so the guard cannot forget: it must hold
every id of the day, and of a peak weekend. As a set of strings that costs about 90
bytes an id (the string, about 64, and its place in the set's table), around 50 MiB
for a peak weekend's store transactions.

Ids are almost always a name and a number (`ST-0042-T00012345`, `RT-ST-0042-T00012346`):
each is split into its prefix, the width of its number and the number, and the numbers
of one (prefix, width) kept apart. A till's transactions are numbered from one counter
for the whole estate, so one store's numbers rise with gaps of about as many as there
are stores (55 at 0.25: most gaps under 128, nearly none of 1, so runs of consecutive
numbers or a bitmap would hold them in no less). They are kept sorted, as the gaps
between them, one byte a gap under 128 (seven bits a byte, the top bit saying another
follows), in blocks of 128 numbers whose first is kept whole: 1.6 bytes an id at 0.25's
peak-weekend on Monday, the open blocks and spare room included, where an array of
32-bit integers took 4.1. A number past every one kept, as a till's
next transaction almost always is, goes to the group's open block, a short array,
sealed into gaps when full; one that comes out of order goes to a small set of the
newest, merged into the blocks once it holds an eighth as many (so such an id is
re-encoded a handful of times over the day). Only a number not past every one kept
must be looked up: a bisection over the blocks' first numbers, then at most one block's
gaps summed. The split is exact both ways (the width keeps leading zeros), so two ids
are the same if and only if their parts are. An id without such a number, or with one
too long for 64 bits, is kept as it is in a plain set.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

_DIGITS = "0123456789"
#: the longest number kept as an integer (18 digits always fit in 63 bits)
_MOST_DIGITS = 18
#: numbers a sealed block holds: its first whole, the rest as gaps
_BLOCK = 128
#: a group's newest numbers are merged into its blocks once they are this many, or an
#: eighth of the rest, whichever is more
_MERGE_AT_LEAST = 64


class _Numbers:
    """The numbers of one (prefix, width): sealed blocks of gaps, the open block (every
    number past the blocks'), and the newest few that came out of order (each below
    `top`, so a number past `top` is new)."""

    __slots__ = ("firsts", "gaps", "newest", "open", "sealed", "starts", "top")

    def __init__(self) -> None:
        #: each sealed block's first number, and where its gaps start in `gaps`
        self.firsts = array("q")
        self.starts = array("q")
        self.gaps = bytearray()
        self.sealed = 0
        self.open = array("q")
        self.newest: set[int] = set()
        #: the largest number in the blocks or the open block (-1: none; never negative)
        self.top = -1

    def __contains__(self, number: int) -> bool:
        if number > self.top:
            return False
        if number in self.newest:
            return True
        kept = self.open
        if kept and number >= kept[0]:
            at = bisect_left(kept, number)
            return at < len(kept) and kept[at] == number
        block = bisect_right(self.firsts, number) - 1
        if block < 0:
            return False
        for value in self._block(block):
            if value >= number:
                return value == number
        return False

    def add(self, number: int) -> None:
        """Add a number not kept yet."""
        if number > self.top:
            # the usual case, a number past every one kept: no int object kept for it
            self.top = number
            kept = self.open
            kept.append(number)
            if len(kept) >= _BLOCK:
                self._seal(kept)
                self.open = array("q")
            return
        newest = self.newest
        newest.add(number)
        held = len(newest)
        if held >= _MERGE_AT_LEAST and held >= (self.sealed + len(self.open)) >> 3:
            merged = sorted([*self._sealed_numbers(), *self.open, *newest])
            self.firsts, self.starts = array("q"), array("q")
            self.gaps, self.sealed = bytearray(), 0
            whole = len(merged) - len(merged) % _BLOCK
            for at in range(0, whole, _BLOCK):
                self._seal(merged[at : at + _BLOCK])
            self.open = array("q", merged[whole:])
            newest.clear()

    def _seal(self, numbers: array[int] | list[int]) -> None:
        """Append a block of sorted numbers: its first whole, then its gaps."""
        self.firsts.append(numbers[0])
        gaps = self.gaps
        self.starts.append(len(gaps))
        previous = numbers[0]
        for number in numbers[1:]:
            gap = number - previous
            previous = number
            while gap >= 128:
                gaps.append((gap & 127) | 128)
                gap >>= 7
            gaps.append(gap)
        self.sealed += len(numbers)

    def _block(self, block: int) -> Iterator[int]:
        """The numbers of a sealed block, in order."""
        value = self.firsts[block]
        yield value
        gaps, starts = self.gaps, self.starts
        at = starts[block]
        end = starts[block + 1] if block + 1 < len(starts) else len(gaps)
        while at < end:
            gap, shift = 0, 0
            while True:
                byte = gaps[at]
                at += 1
                gap |= (byte & 127) << shift
                if byte < 128:
                    break
                shift += 7
            value += gap
            yield value

    def _sealed_numbers(self) -> Iterator[int]:
        """Every number in the sealed blocks, in order."""
        for block in range(len(self.firsts)):
            yield from self._block(block)

    def __len__(self) -> int:
        return self.sealed + len(self.open) + len(self.newest)


class SeenIds:
    """A set of ids that only grows: `first_time` adds an id and says whether it was
    new (see the module)."""

    __slots__ = ("_numbered", "_other")

    def __init__(self) -> None:
        self._numbered: dict[tuple[str, int], _Numbers] = {}
        self._other: set[str] = set()

    def first_time(self, id_: str) -> bool:
        """Add `id_`; False if it was there already."""
        prefix = id_.rstrip(_DIGITS)
        width = len(id_) - len(prefix)
        if width == 0 or width > _MOST_DIGITS:
            if id_ in self._other:
                return False
            self._other.add(id_)
            return True
        number = int(id_[len(prefix) :])
        group = self._numbered.get((prefix, width))
        if group is None:
            group = self._numbered[prefix, width] = _Numbers()
        elif number <= group.top and number in group:
            return False  # the usual case, a number past every one kept, asks nothing
        group.add(number)
        return True

    def __contains__(self, id_: object) -> bool:
        if not isinstance(id_, str):
            return False
        prefix = id_.rstrip(_DIGITS)
        width = len(id_) - len(prefix)
        if width == 0 or width > _MOST_DIGITS:
            return id_ in self._other
        group = self._numbered.get((prefix, width))
        return group is not None and int(id_[len(prefix) :]) in group

    def __len__(self) -> int:
        return len(self._other) + sum(len(group) for group in self._numbered.values())
