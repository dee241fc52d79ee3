"""The sync-lag meter measures, as the day goes and holding only what is in flight, the
lags the checker measured at the end of the day from every movement time and every
reflection: the same lags, at the same moments, the same censored ones."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

import pytest
import simpy

from simulators.channel import SalesChannel
from simulators.exact_sum import ExactSum
from simulators.lag_bins import ClosedBins
from simulators.stockroom import Stockroom
from simulators.sync_lag import (
    LagBin,
    SourceRoom,
    SyncLagMeter,
    _View,
    tally_key,
    units_of,
)

Record = tuple[str, float, float, bool]  # channel, seconds, at, censored


class _Logged(SyncLagMeter):
    """The meter, with each lag it counts also logged one by one for the test."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[Record] = []

    def _count(self, view: _View, lags: list[float], at: float) -> None:
        self.log += [(view.name, seconds, at, False) for seconds in lags]
        super()._count(view, lags, at)


def _end_of_day_lags(
    channel: str, moved_at: list[float], reflected: list[tuple[int, float]], end: float
) -> Iterator[Record]:
    """The checker's end-of-day computation the meter replaced, as it was: each
    movement (seq = index + 1) against the first reflection whose sequence includes it."""
    cursor = 0
    for index, moved in enumerate(moved_at):
        seq = index + 1
        while cursor < len(reflected) and reflected[cursor][0] < seq:
            cursor += 1
        if cursor < len(reflected):
            at = reflected[cursor][1]
            yield channel, max(0.0, at - moved), at, False
        else:
            yield channel, end - moved, end, True


class _Day:
    """Two stockrooms and three channels wired to a logged meter as the estate wires
    them, and the whole series the end-of-day computation read, kept beside."""

    def __init__(self) -> None:
        self.now = 0.0
        env = simpy.Environment()
        self.meter = _Logged()
        self.rooms = {
            SourceRoom.DC: Stockroom(clock=lambda: self.now),
            SourceRoom.STORE: Stockroom(clock=lambda: self.now),
        }
        for room, stock in self.rooms.items():
            stock.sync_lag, stock.room = self.meter, room
        self.channels: dict[str, SalesChannel] = {}
        for name, rooms in (
            ("web", (SourceRoom.DC, SourceRoom.STORE)),
            ("mp", (SourceRoom.DC,)),
            ("mp2", (SourceRoom.DC,)),
        ):
            channel = SalesChannel(env, lambda kind, body: None)
            channel.name = name
            channel.sync_lag = self.meter
            self.meter.add_channel(channel, rooms)
            self.channels[name] = channel
        self.views = {"web": set(SourceRoom), "mp": {SourceRoom.DC}, "mp2": {SourceRoom.DC}}
        self.moved_at: dict[tuple[SourceRoom, tuple[str, str]], list[float]] = {}
        self.reflected: dict[tuple[str, tuple[str, str]], list[tuple[int, float]]] = {}

    def move(self, room: SourceRoom, key: tuple[str, str]) -> None:
        self.rooms[room].move(key, -1)
        self.moved_at.setdefault((room, key), []).append(self.now)

    def reflect(self, channel: str, key: tuple[str, str], seq: int) -> None:
        mine = self.channels[channel]
        before = mine.reflected_seq.get(key, 0)
        mine.note_reflected(key, seq, self.now)
        if seq > before:
            self.reflected.setdefault((channel, key), []).append((seq, self.now))

    def end_of_day(self, end: float) -> list[Record]:
        records: list[Record] = []
        for (room, key), times in self.moved_at.items():
            for channel, rooms in self.views.items():
                if room in rooms:
                    series = self.reflected.get((channel, key), [])
                    records += _end_of_day_lags(channel, times, series, end)
        return records

    def measured(self, end: float) -> list[Record]:
        pending = [(p.channel, p.seconds, end, True) for p in self.meter.pending(end)]
        return self.meter.log + pending


def _random_day(rng: random.Random) -> _Day:
    day = _Day()
    positions = [
        (room, (f"SKU-{i}", f"{'DC' if room is SourceRoom.DC else 'ST'}-{j}"))
        for room in SourceRoom
        for i in range(4)
        for j in range(2)
    ]
    # a position no channel ever reflects, and one only the storefront reflects
    never, web_only = positions[0], positions[1]
    for _ in range(600):
        day.now += rng.choice((0.0, 0.5, 7.25, 61.0, 400.0, 0.1 + 0.2))
        room, key = rng.choice(positions)
        if rng.random() < 0.55:
            day.move(room, key)
            continue
        source = day.rooms[room].seq.get(key, 0)
        channel = rng.choice([c for c, rooms in day.views.items() if room in rooms])
        if (room, key) == never or ((room, key) == web_only and channel != "web"):
            continue
        seen = day.channels[channel].reflected_seq.get(key, 0)
        # a step, a jump over several movements, or a row that repeats or goes back
        seq = rng.choice((source, seen + 1, rng.randint(0, max(source, 1))))
        day.reflect(channel, key, min(seq, source))
    return day


def test_the_lags_are_the_end_of_day_computations_on_random_days() -> None:
    for seed in range(40):
        day = _random_day(random.Random(seed))
        end = day.now + 100.0
        assert sorted(day.measured(end)) == sorted(day.end_of_day(end)), seed


def test_a_reflection_that_jumps_several_movements_sees_them_all_at_once() -> None:
    day = _Day()
    key = ("SKU-1", "DC-1")
    for at in (10.0, 20.0, 30.0, 40.0):
        day.now = at
        day.move(SourceRoom.DC, key)
    day.now = 50.0
    day.reflect("web", key, 3)
    assert day.meter.log == [
        ("web", 40.0, 50.0, False),
        ("web", 30.0, 50.0, False),
        ("web", 20.0, 50.0, False),
    ]
    assert sorted(day.measured(100.0)) == sorted(day.end_of_day(100.0))


def test_only_the_movements_some_channel_has_not_reflected_are_held() -> None:
    day = _Day()
    dc, store = ("SKU-1", "DC-1"), ("SKU-1", "ST-1")
    for step in range(1, 2001):
        day.now = float(step)
        day.move(SourceRoom.DC, dc)
        day.move(SourceRoom.STORE, store)
        if step % 10 == 0:  # every channel catches up every ten movements
            for channel in ("web", "mp", "mp2"):
                day.reflect(channel, dc, step)
            day.reflect("web", store, step)
        assert day.meter.in_flight() <= 2 * 10
    assert day.meter.in_flight() == 0
    # a marketplace never sees store positions: the storefront alone held them
    day.move(SourceRoom.STORE, store)
    day.reflect("web", store, 2001)
    assert day.meter.in_flight() == 0
    # one channel that stops reflecting a position keeps its movements held, no more
    for step in range(2001, 2101):
        day.move(SourceRoom.DC, dc)
        day.reflect("web", dc, step)
        day.reflect("mp", dc, step)
    assert day.meter.in_flight() == 100


def test_a_view_ahead_of_its_source_sees_the_movement_at_once() -> None:
    # only a misbehaving external hub claims a sequence the source has not reached
    day = _Day()
    key = ("SKU-1", "DC-1")
    day.now = 5.0
    day.reflect("web", key, 2)
    day.now = 9.0
    day.move(SourceRoom.DC, key)
    day.now = 11.0
    day.move(SourceRoom.DC, key)
    web = [record for record in day.meter.log if record[0] == "web"]
    assert web == [("web", 0.0, 9.0, False), ("web", 0.0, 11.0, False)]
    assert {p.channel for p in day.meter.pending(20.0)} == {"mp", "mp2"}


def test_a_tallied_lag_keeps_its_millisecond_and_whether_it_lies_above_it() -> None:
    for seconds in (0.0, 0.1, 0.1 + 1e-12, 0.0995, 2.5, 86400.0, 1e-9):
        key = tally_key(seconds)
        assert units_of(key) == round(seconds * 1000)
        assert bool(key & 1) == (seconds > units_of(key) / 1000)


def test_the_exact_sum_does_not_depend_on_the_order() -> None:
    rng = random.Random(7)
    values = [rng.choice((1e-9, 0.1, 3.3, 1e6)) * rng.random() for _ in range(5000)]
    sums = []
    for _ in range(3):
        rng.shuffle(values)
        total = ExactSum()
        for value in values:
            total.add(value)
        sums.append(total.value())
    assert sums == [math.fsum(values)] * 3
    assert ExactSum().value([0.1, 0.2]) == math.fsum([0.1, 0.2])


def test_a_closed_bin_keeps_its_count_max_and_the_units_at_its_ranks() -> None:
    rng = random.Random(3)
    for n in (1, 2, 3, 19, 20, 21, 500):
        lags = [rng.choice((0.001, 1.5, 2.0, 30.0)) * rng.random() for _ in range(n)]
        units: dict[int, int] = {}
        for lag in lags:
            units[round(lag * 1000)] = units.get(round(lag * 1000), 0) + 1
        full = LagBin(4, n, max(lags), units)
        closed = full.closed()
        assert (closed.index, closed.count, closed.max_s) == (4, n, full.max_s)
        assert sum(closed.units.values()) == n
        assert len(closed.units) <= 2

        def at_rank(units: dict[int, int], rank: int) -> int:
            seen = 0
            for value in sorted(units):
                seen += units[value]
                if seen >= rank:
                    return value
            raise AssertionError(rank)

        for q in (50.0, 95.0):
            rank = max(1, math.ceil(q / 100 * n))
            assert at_rank(closed.units, rank) == at_rank(full.units, rank)


def test_closed_bins_packed_read_back_as_the_bins_closed() -> None:
    """Packed, every closed bin reads back equal to the `LagBin` it was (its kept
    milliseconds in the same order), oldest first; a bin with more than the kept
    ranks' milliseconds is refused."""
    rng = random.Random(18)
    closed = []
    for index in range(300):
        n = rng.randrange(1, 60)
        units: dict[int, int] = {}
        for _ in range(n):
            ms = rng.choice([rng.randrange(5), rng.randrange(10**7)])
            units[ms] = units.get(ms, 0) + 1
        closed.append(LagBin(index, n, rng.random() * 10**4, units).closed())
    packed = ClosedBins(closed)
    assert len(packed) == len(closed)
    assert list(packed) == closed
    assert [list(one.units) for one in packed] == [list(one.units) for one in closed]
    assert {len(one.units) for one in closed} == {1, 2}
    with pytest.raises(ValueError):
        packed.append(LagBin(1, 3, 1.0, {1: 1, 2: 1, 3: 1}))


def test_a_position_with_one_movement_in_flight_holds_its_time_and_no_list() -> None:
    # the tills' 12-hourly delivery moves tens of thousands of positions at once: each
    # in flight is one object, its time a field, until a second movement comes
    day = _Day()
    key = ("SKU-1", "ST-1")
    day.now = 3.0
    day.move(SourceRoom.STORE, key)
    flight = day.meter._in_flight[key]
    assert (flight.first, flight.at, flight.later) == (1, 3.0, None)
    day.now = 4.0
    day.move(SourceRoom.STORE, key)
    day.now = 5.0
    day.move(SourceRoom.STORE, key)
    assert flight.times() == [3.0, 4.0, 5.0] and day.meter.in_flight() == 3
    day.now = 6.0
    day.reflect("web", key, 2)  # the first two caught up: the third alone again
    assert (flight.first, flight.at, flight.later) == (3, 5.0, None)
    assert day.meter.log == [("web", 3.0, 6.0, False), ("web", 2.0, 6.0, False)]
