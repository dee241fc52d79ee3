"""The sync lag's ten-minute bins: one open and whole, and the closed ones cut down to
what the charts read and packed in arrays.

Why packed: a closed bin keeps only its count, its max and the milliseconds at the
ranks the charts show (`LagBin.closed`), but as an object with a dict of two entries and
the ints and float they name it still cost about 450 bytes, per channel and for all of
them, for every ten minutes of the run: the bins grow with the hours, not the scale
(0.7 MiB at a peak weekend's Monday, against 0.13 at black-friday's peak). `ClosedBins`
holds each in 56 bytes, in five arrays, and reads each back as the `LagBin` it was.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

#: the percentiles a closed bin keeps the lag at (the charts show p50 and p95)
BIN_PERCENTILES = (50.0, 95.0)
#: the (milliseconds, count) pairs a closed bin keeps at most: one a kept rank
KEPT = len(BIN_PERCENTILES)
#: the milliseconds of a pair a closed bin does not have (a lag is never negative)
_NONE = -1


def nearest_rank(q: float, count: int) -> int:
    """Nearest rank of percentile q (0..100) among `count` values, as the checker's
    histograms take it (`LatencyHistogram.rank_of`)."""
    return max(1, math.ceil(q / 100.0 * count))


@dataclass(slots=True)
class LagBin:
    """The lags of one bin of `BIN_S` (`simulators/sync_lag.py`; index: start // BIN_S),
    counted when the view caught up: exact count and max, and a tally of whole
    milliseconds; once the bin is closed, only the milliseconds at the ranks of
    `BIN_PERCENTILES`, counted so those ranks fall on them (`closed`)."""

    index: int
    count: int = 0
    max_s: float = -math.inf
    #: whole milliseconds -> how many lags
    units: dict[int, int] = field(default_factory=dict)

    def merged(self, others: Iterable[LagBin]) -> LagBin:
        """This bin's lags and the others' (the same index), in a new bin."""
        out = LagBin(self.index, self.count, self.max_s, dict(self.units))
        for other in others:
            out.count += other.count
            out.max_s = max(out.max_s, other.max_s)
            for units, n in other.units.items():
                out.units[units] = out.units.get(units, 0) + n
        return out

    def closed(self) -> LagBin:
        """The bin with its tally cut to the milliseconds at the kept ranks: each of
        them counted up to its rank, the last taking the rest, so every kept rank falls
        on the same millisecond as before, and count and max stay exact."""
        ranks = sorted({nearest_rank(q, self.count) for q in BIN_PERCENTILES})
        kept: dict[int, int] = {}
        wanted, seen, below = iter(ranks), 0, 0
        rank = next(wanted, None)
        for units in sorted(self.units):
            seen += self.units[units]
            while rank is not None and rank <= seen:
                kept[units] = kept.get(units, 0) + rank - below
                below = rank
                rank = next(wanted, None)
            if rank is None:
                break
        last = max(kept)
        kept[last] += self.count - below
        return LagBin(self.index, self.count, self.max_s, kept)


class ClosedBins:
    """Closed bins (`LagBin.closed`), oldest first: appended one at a time, read back
    (iterated) as equal `LagBin`s, their kept milliseconds in the order they had."""

    __slots__ = ("_count", "_index", "_max_s", "_n", "_units")

    def __init__(self, bins: Iterable[LagBin] = ()) -> None:
        self._index: array[int] = array("q")
        self._count: array[int] = array("q")
        self._max_s: array[float] = array("d")
        #: `KEPT` pairs a bin, (`_NONE`, 0) where it has fewer
        self._units: array[int] = array("q")
        self._n: array[int] = array("q")
        for one in bins:
            self.append(one)

    def append(self, closed: LagBin) -> None:
        units = closed.units
        if len(units) > KEPT or any(ms < 0 for ms in units):
            raise ValueError(f"bin {closed.index} is not a closed bin: {units!r}")
        self._index.append(closed.index)
        self._count.append(closed.count)
        self._max_s.append(closed.max_s)
        for ms, n in units.items():
            self._units.append(ms)
            self._n.append(n)
        for _ in range(KEPT - len(units)):
            self._units.append(_NONE)
            self._n.append(0)

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[LagBin]:
        kept_units, kept_n = self._units, self._n
        for at, index in enumerate(self._index):
            first = at * KEPT
            units = {
                kept_units[pair]: kept_n[pair]
                for pair in range(first, first + KEPT)
                if kept_units[pair] != _NONE
            }
            yield LagBin(index, self._count[at], self._max_s[at], units)
