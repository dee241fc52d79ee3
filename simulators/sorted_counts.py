"""Counts by integer key, as two machine arrays in key order.

Why: the sync-lag meter counts every lag under its whole milliseconds
(`simulators/sync_lag.py`), a few thousand to tens of thousands of distinct keys a
channel, spread over hours of lags, few of them repeated often. As a dict each key cost
an entry and an int object of its own (its keys are above the 256 small ints Python
shares), about 60 bytes, and the keys a run has met grow with its days (1.5 MiB of the
tallies' dicts and 0.5 MiB of their keys more at a peak weekend's Monday than at
black-friday's peak, full scale). Here a key costs 16 bytes: one signed 64-bit integer
in each array. A count finds its key by bisection; a key met for the first time is
inserted in its place (a run meets most of its keys early and counts each many times).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator


class SortedCounts:
    """key -> how many, read in key order; a key never counted reads 0."""

    __slots__ = ("_counts", "_keys")

    def __init__(self) -> None:
        self._keys: array[int] = array("q")
        self._counts: array[int] = array("q")

    def add(self, key: int, n: int = 1) -> None:
        """Count `key` `n` more times."""
        keys = self._keys
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            self._counts[at] += n
        else:
            keys.insert(at, key)
            self._counts.insert(at, n)

    def get(self, key: int, default: int = 0) -> int:
        keys = self._keys
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return self._counts[at]
        return default

    def items(self) -> Iterator[tuple[int, int]]:
        """(key, count) of every key counted, lowest key first."""
        return zip(self._keys, self._counts, strict=True)

    def __len__(self) -> int:
        return len(self._keys)
