"""Every id seen so far, exactly, in a few bytes each: the hub's guard against a store
transaction (or a goods receipt) booked twice.

A till's transaction can be redelivered days after it was rung up (an offline till
uploads its backlog, a broker redelivers), so the guard cannot forget: it must hold
every id of the day, and of a peak weekend. As a set of strings that costs about 90
bytes an id (the string, about 64, and its place in the set's table), around 50 MiB
for a peak weekend's store transactions.

Ids are almost always a name and a number (`S0042-T00012345`, `RT-S0042-T00012346`):
each is split into its prefix, the width of its number and the number, and the numbers
of one (prefix, width) kept as a sorted array of 32-bit integers (4 bytes an id; 64-bit
once a number does not fit in 31 bits). A number past every one kept, as a till's next
transaction almost always is, is appended to the array where it stands; one that comes
out of order goes to a small set of the newest, merged into the array once it holds an
eighth as many (so such an id is copied a handful of times over the day, in C). Kept in
a set, every id was an int object of its own (32 bytes) until its merge, long-lived
beside a day's short-lived numbers in the allocator's pools. The split is exact
both ways (the width keeps leading zeros), so two ids are the same if and only if their
parts are. An id without such a number, or with one too long for 64 bits, is kept as
it is in a plain set.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

_DIGITS = "0123456789"
#: the longest number kept as an integer (18 digits always fit in 63 bits)
_MOST_DIGITS = 18
#: the largest number a group's array keeps in 32 bits (numbers are never negative)
_MOST_IN_32_BITS = 2**31 - 1
#: a group's newest numbers are merged into its array once they are this many, or an
#: eighth of the array, whichever is more
_MERGE_AT_LEAST = 64


class _Numbers:
    """The numbers of one (prefix, width): sorted, plus the newest few."""

    __slots__ = ("newest", "sorted")

    def __init__(self) -> None:
        self.sorted = array("i")
        self.newest: set[int] = set()

    def __contains__(self, number: int) -> bool:
        if number in self.newest:
            return True
        kept = self.sorted
        at = bisect_left(kept, number)
        return at < len(kept) and kept[at] == number

    def add(self, number: int) -> None:
        kept = self.sorted
        if not kept or number > kept[-1]:
            # the usual case, a number past every one kept: appended in place, so the
            # array stays sorted and no int object is kept for it
            if number > _MOST_IN_32_BITS and kept.typecode == "i":
                self.sorted = kept = array("q", kept)
            kept.append(number)
            return
        newest = self.newest
        newest.add(number)
        held = len(newest)
        if held >= _MERGE_AT_LEAST and held >= len(self.sorted) >> 3:
            merged = sorted([*self.sorted, *newest])
            # 4 bytes a number while they fit (a till's running numbers do), else 8
            self.sorted = array("i" if merged[-1] <= _MOST_IN_32_BITS else "q", merged)
            newest.clear()

    def __len__(self) -> int:
        return len(self.sorted) + len(self.newest)


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
        else:
            # `number in group`, inlined (every till sale and receipt asks)
            newest = group.newest
            if number in newest:
                return False
            kept = group.sorted
            at = bisect_left(kept, number)
            if at < len(kept) and kept[at] == number:
                return False
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
