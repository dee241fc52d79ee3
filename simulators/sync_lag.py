"""The sync lag measured as the day goes: from each stock movement at its source (the
WMS's or a till's own clock) to the moment each channel's view first included it.

Why as the day goes: the lag of a movement is known the moment a channel's view moves
past it (a feed row, a batch or a snapshot carrying the source's sequence), and both
times are ground truth the simulators own. Keeping every movement's time and every
reflection for an end-of-day walk grew with the simulated hours (a peak weekend's
series were 12 MiB at scale 0.25); the meter keeps per position only the movement
times some channel that sees the position has not reflected yet (what is in flight),
and counts each lag as it becomes known into plain, bounded tallies the checker turns
into its histograms, the charts' bins and metrics.prom's buckets
(`scenarios/checking/latency.py`).

The rule, as the checker always measured it: a movement's lag, per channel that sees
its position (the storefront: DC and store positions; a marketplace: DC positions
only), runs to the first reflection whose sequence includes it (one reflection may
include several movements); a movement no view has reflected by the end is censored
there (`SyncLagMeter.pending`). A view that claims a sequence its source has not
reached yet (only a misbehaving external hub sends one) counts that movement as seen
at once, a lag of 0 s, when it happens.

Lags are tallied in whole milliseconds, the unit the checker's histograms record in,
with whether the exact lag lies above its millisecond (so a bucket bound such as 0.1 s
is compared exactly); the sum is kept exactly (`ExactSum`), so the mean does not depend
on the order the lags arrive in. The charts' bins of ten minutes keep their full tally
only while open: a closed one keeps just the lags at the ranks the charts show, packed
(`simulators/lag_bins.py`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from compiled_build import mypyc_attr
from simulators.by_position import ByPosition
from simulators.exact_sum import ExactSum
from simulators.lag_bins import BIN_PERCENTILES as BIN_PERCENTILES
from simulators.lag_bins import ClosedBins, LagBin
from simulators.lag_bins import nearest_rank as nearest_rank
from simulators.sorted_counts import SortedCounts

#: the width of the charts' sync-lag bins, in simulated seconds (binned by when the
#: view caught up)
BIN_S = 600.0
#: tallied units per second: lags are counted in whole milliseconds
PER_S = 1000


class SourceRoom(StrEnum):
    """Which source system's stock a position is: the WMS's (DCs, drop-ship partners'
    shelves) or the tills'."""

    DC = "dc"
    STORE = "store"


class ReflectingChannel(Protocol):
    """A channel as the meter sees it: its name, and the highest source sequence its
    view has included per position (the channel's own record, read, never written)."""

    name: str

    @property
    def reflected_seq(self) -> ByPosition[int]: ...


class MeteredChannel(ReflectingChannel, Protocol):
    """A channel that tells a meter what its view learned."""

    sync_lag: SyncLagMeter | None


class MeteredSource(Protocol):
    """A source's stockroom, which tells a meter each movement, as the source `room`."""

    sync_lag: SyncLagMeter | None
    room: SourceRoom


def tally_key(seconds: float) -> int:
    """A lag's place in a tally: its whole milliseconds, doubled, plus one when the
    exact lag lies above that millisecond (`units(key)`, `above(key)`)."""
    units = round(seconds * PER_S)
    return (units << 1) | (seconds > units / PER_S)


def units_of(key: int) -> int:
    """The whole milliseconds of a tally key."""
    return key >> 1


@dataclass(slots=True)
class LagTally:
    """Lags counted (by `SyncLagMeter._count`): how many, their exact max and sum, and
    how many at each tally key."""

    count: int = 0
    max_s: float = -math.inf
    #: tally key (`tally_key`) -> how many lags (two arrays in key order: the distinct
    #: keys grow with the days, `SortedCounts`)
    counts: SortedCounts = field(default_factory=SortedCounts)
    total: ExactSum = field(default_factory=ExactSum)

    def units(self) -> dict[int, int]:
        """Whole milliseconds -> how many lags (above their ms or not)."""
        out: dict[int, int] = {}
        for key, n in self.counts.items():
            units = units_of(key)
            out[units] = out.get(units, 0) + n
        return out


@dataclass(slots=True)
class _View:
    """One channel as the meter follows it."""

    name: str
    rooms: frozenset[SourceRoom]
    reflected_seq: ByPosition[int]
    tally: LagTally = field(default_factory=LagTally)
    #: the closed bins, oldest first (packed), and the one open now
    bins: ClosedBins = field(default_factory=ClosedBins)
    open_bin: LagBin | None = None


@dataclass(slots=True, init=False)
class _InFlight:
    """A position's movements not yet reflected by every channel that sees it: their
    times, the first (at sequence `first`) as `at`, any later ones in `later`.

    Nearly every position has one movement in flight, so that one is a field of its own:
    compiled, a float field is kept unboxed, where a list of one float was a list
    object, its item array and a float object (72 bytes a position in flight against
    152, tracemalloc of 100,000). The tills' delivery every 12 hours moves tens of
    thousands of store positions at once, in flight together until the storefront's
    view reflects them (peak-weekend's last, at 96 h, atop Monday's trade:
    docs/architecture.md, Memory, mem23)."""

    room: SourceRoom
    first: int
    at: float
    later: list[float] | None = None

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and one is made
    # for most stock movements of a run
    def __init__(
        self, room: SourceRoom, first: int, at: float, later: list[float] | None = None
    ) -> None:
        self.room = room
        self.first = first
        self.at = at
        self.later = later

    def times(self) -> list[float]:
        """Every movement's time, the first's first."""
        later = self.later
        return [self.at] if later is None else [self.at, *later]

    def count(self) -> int:
        """How many movement times it holds, without making the list `times` makes."""
        later = self.later
        return 1 if later is None else 1 + len(later)


@dataclass(frozen=True, slots=True)
class PendingLag:
    """A movement a channel has not reflected: its wait so far at `end`."""

    channel: str
    seconds: float


# subclassed outside the compiled build (tests log what the meter is told)
@mypyc_attr(allow_interpreted_subclasses=True)
class SyncLagMeter:
    """Fed by the stockrooms (`moved`) and the channels (`reflected`); keeps only the
    movements in flight, and each channel's lags counted (`tally`, `bins`) and still
    pending (`pending`)."""

    def __init__(self) -> None:
        self._views: list[_View] = []
        self._by_name: dict[str, _View] = {}
        self._in_flight: dict[tuple[str, str], _InFlight] = {}
        #: the views that see each room, in the order they were added
        self._seeing: dict[SourceRoom, list[_View]] = {room: [] for room in SourceRoom}
        #: the index of the bin open now (every view's open bin has it)
        self._bin = -1
        #: "all" channels' bins, closed, oldest first
        self._all_bins = ClosedBins()

    @classmethod
    def watching(
        cls,
        dc: MeteredSource,
        store: MeteredSource,
        storefront: MeteredChannel,
        *marketplaces: MeteredChannel,
    ) -> SyncLagMeter:
        """A meter told of the WMS's and the tills' movements and of what the channels'
        views learned: the storefront sees DC positions (ship-to-home) and store
        positions (collection), a marketplace DC positions only."""
        meter = cls()
        for stock, room in ((dc, SourceRoom.DC), (store, SourceRoom.STORE)):
            stock.sync_lag, stock.room = meter, room
        seeing = [(storefront, tuple(SourceRoom)), *[(m, (SourceRoom.DC,)) for m in marketplaces]]
        for channel, rooms in seeing:
            channel.sync_lag = meter
            meter.add_channel(channel, rooms)
        return meter

    def add_channel(self, channel: ReflectingChannel, rooms: Iterable[SourceRoom]) -> None:
        """Follow a channel whose view holds the positions of `rooms`."""
        view = _View(channel.name, frozenset(rooms), channel.reflected_seq)
        self._views.append(view)
        self._by_name[view.name] = view
        for room in view.rooms:
            self._seeing[room].append(view)

    @property
    def channels(self) -> list[str]:
        return [view.name for view in self._views]

    def moved(self, room: SourceRoom, key: tuple[str, str], seq: int, at: float) -> None:
        """The source moved position `key` to sequence `seq` at `at`."""
        # one tuple object for every look-up: compiled, a `tuple[str, str]` is built
        # again as a new tuple for each dict it is looked up in (simulators/stockroom.py)
        boxed: Any = key
        flight = self._in_flight.get(boxed)
        if flight is not None:
            later = flight.later
            if later is None:
                later = flight.later = [at]
            else:
                later.append(at)
            if flight.first + len(later) != seq:
                raise ValueError(f"{key!r}: movement {seq} does not follow the last one")
            for view in self._seeing[room]:
                if view.reflected_seq.get(boxed, 0) >= seq:  # claimed before it happened
                    self._count(view, [0.0], at)
            return
        ahead = 0
        seeing = self._seeing[room]
        for view in seeing:
            if view.reflected_seq.get(boxed, 0) >= seq:
                ahead += 1
                self._count(view, [0.0], at)
        if ahead < len(seeing):
            self._in_flight[boxed] = _InFlight(room, seq, at)

    def reflected(
        self, channel: str, key: tuple[str, str], before: int, seq: int, at: float
    ) -> None:
        """Channel `channel`'s view of `key` moved from sequence `before` to `seq` (higher)
        at `at`: the lags of the movements in between are known now."""
        boxed: Any = key  # one tuple object for every look-up (see `moved`)
        flight = self._in_flight.get(boxed)
        if flight is None:
            return
        view = self._by_name[channel]
        room = flight.room
        if room not in view.rooms:
            return
        first = flight.first
        if flight.later is None:
            # one movement in flight (nearly every position): the general case below,
            # without making the list of its one time
            if before < first <= seq:
                moved = flight.at
                self._count(view, [at - moved if at > moved else 0.0], at)
            if self._lowest(view, room, boxed, seq) >= first:
                del self._in_flight[boxed]
            return
        times = flight.times()
        begin, stop = max(before + 1 - first, 0), min(seq - first + 1, len(times))
        if begin + 1 == stop:  # one movement caught up
            moved = times[begin]
            self._count(view, [at - moved if at > moved else 0.0], at)
        elif begin < stop:
            self._count(
                view, [at - moved if at > moved else 0.0 for moved in times[begin:stop]], at
            )
        # drop the movement times every channel that sees the position has reflected
        drop = self._lowest(view, room, boxed, seq) - first + 1
        if drop >= len(times):
            del self._in_flight[boxed]
        elif drop > 0:
            flight.at = times[drop]
            flight.later = times[drop + 1 :] if drop + 1 < len(times) else None
            flight.first += drop

    def _lowest(self, view: _View, room: SourceRoom, boxed: Any, seq: int) -> int:
        """The lowest sequence of position `boxed` reflected by every channel that sees
        `room`, `view`'s being `seq` (as its channel has just noted it)."""
        lowest = seq
        for other in self._seeing[room]:
            if other is not view:
                seen = other.reflected_seq.get(boxed, 0)
                if seen < lowest:
                    lowest = seen
        return lowest

    def _count(self, view: _View, lags: list[float], at: float) -> None:
        """Count `lags` (at least one), all known at `at`, into `view`'s tally and its
        open bin: the one place a lag is counted."""
        index = int(at // BIN_S)
        if index != self._bin:
            self._close_bins(index)
        opened = view.open_bin
        if opened is None:
            opened = view.open_bin = LagBin(index)
        tally = view.tally
        counts, units_counts = tally.counts, opened.units
        for seconds in lags:
            key = tally_key(seconds)
            counts.add(key)
            units = key >> 1  # units_of(key)
            units_counts[units] = units_counts.get(units, 0) + 1
        top = lags[0] if len(lags) == 1 else max(lags)
        tally.count += len(lags)
        opened.count += len(lags)
        if top > tally.max_s:
            tally.max_s = top
        if top > opened.max_s:
            opened.max_s = top
        tally.total.extend(lags)

    def _close_bins(self, index: int) -> None:
        """Time reached bin `index`: every open bin is final, so keep it cut down."""
        opened = [view.open_bin for view in self._views if view.open_bin is not None]
        if opened:
            self._all_bins.append(opened[0].merged(opened[1:]).closed())
        for view in self._views:
            if view.open_bin is not None:
                view.bins.append(view.open_bin.closed())
                view.open_bin = None
        self._bin = index

    def tally(self, channel: str) -> LagTally:
        """Every lag of `channel` counted so far (finished ones only)."""
        return self._by_name[channel].tally

    def bins(self, channel: str | None = None) -> list[LagBin]:
        """The bins of `channel` (every channel's together when None), oldest first,
        the open one last and whole."""
        if channel is not None:
            view = self._by_name[channel]
            return [*view.bins, *([view.open_bin] if view.open_bin is not None else [])]
        opened = [view.open_bin for view in self._views if view.open_bin is not None]
        return [*self._all_bins, *([opened[0].merged(opened[1:])] if opened else [])]

    def pending(self, end: float) -> Iterator[PendingLag]:
        """Each movement a channel that sees it has not reflected, with its wait at
        `end` (the checker's censored ones)."""
        for key, flight in self._in_flight.items():
            first, times = flight.first, flight.times()
            for view in self._seeing[flight.room]:
                reflected = view.reflected_seq.get(key, 0)
                for index in range(max(0, reflected + 1 - first), len(times)):
                    yield PendingLag(view.name, end - times[index])

    def in_flight(self) -> int:
        """How many movement times are held (what the meter's memory grows with)."""
        return sum(flight.count() for flight in self._in_flight.values())
