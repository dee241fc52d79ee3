"""The checker reads the sync-lag meter's tallies (`simulators/sync_lag.py`) into the
same figures it measured from every lag one by one: the verdict's summaries, the
charts' bins, metrics.prom's buckets and sum."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import cast

import simpy

from scenarios.checking import latency
from scenarios.checking.histogram import UNIT_S, LatencyHistogram
from scenarios.checking.latency import Latency, by_group
from scenarios.checking.latency_families import histogram_buckets
from scenarios.checking.metric_families import LATENCY_BUCKETS_S
from scenarios.reports.series import LAG_BIN_S, LagBinner
from scenarios.twin.run_result import RunResult
from simulators.channel import SalesChannel
from simulators.stockroom import Stockroom
from simulators.sync_lag import BIN_S, PER_S, SourceRoom, SyncLagMeter, _View, nearest_rank


class _Logged(SyncLagMeter):
    def __init__(self) -> None:
        super().__init__()
        self.log: list[Latency] = []

    def _count(self, view: _View, lags: list[float], at: float) -> None:
        self.log += [Latency(view.name, seconds, at) for seconds in lags]
        super()._count(view, lags, at)


def _estate(end: float) -> tuple[_Logged, Stockroom, SalesChannel, SalesChannel, RunResult]:
    meter = _Logged()
    clock = SimpleNamespace(now=0.0)
    dc = Stockroom(clock=lambda: clock.now, sync_lag=meter, room=SourceRoom.DC)
    env = simpy.Environment()
    web, mp = SalesChannel(env, lambda k, b: None), SalesChannel(env, lambda k, b: None)
    web.name, mp.name = "web", "marketplace"
    for channel in (web, mp):
        channel.sync_lag = meter
        meter.add_channel(channel, (SourceRoom.DC,))
    result = SimpleNamespace(
        sealed=SimpleNamespace(ended_at=end), estate=SimpleNamespace(sync_lag=meter), clock=clock
    )
    return meter, dc, web, mp, cast(RunResult, result)


def test_a_movement_is_seen_by_the_first_feed_that_includes_its_sequence() -> None:
    _, dc, web, mp, result = _estate(end=100.0)
    clock = result.clock  # type: ignore[attr-defined]
    key = ("SKU-1", "DC-1")
    for at in (10.0, 20.0, 30.0, 40.0):
        clock.now = at
        dc.move(key, -1)
    # the view learned of movement 1 at 12, then jumped straight to movement 3 at 50
    # (movement 2 was folded into 3's count), and never saw movement 4
    web.note_reflected(key, 1, 12.0)
    web.note_reflected(key, 3, 50.0)
    mp.note_reflected(key, 4, 60.0)
    expected = [
        Latency("web", 2.0, 12.0),
        Latency("web", 30.0, 50.0),
        Latency("web", 20.0, 50.0),
        Latency("web", 60.0, 100.0, censored=True),
        *(Latency("marketplace", 60.0 - at, 60.0) for at in (10.0, 20.0, 30.0, 40.0)),
    ]
    assert latency.sync_lag(result) == by_group(expected)
    assert list(latency.sync_lag_pending(result)) == expected[3:4]


def _random_lags(seed: int) -> tuple[_Logged, RunResult]:
    """A day of random movements and reflections, some lags exactly on a bucket bound."""
    rng = random.Random(seed)
    meter, dc, web, mp, result = _estate(end=6000.0)
    clock = result.clock  # type: ignore[attr-defined]
    keys = [(f"SKU-{i}", "DC-1") for i in range(5)]
    while clock.now < 5000.0:
        clock.now += rng.choice((0.0, 0.1, 0.25, 2.5, 30.0, 0.1 + 1e-12, 61.7))
        key = rng.choice(keys)
        if rng.random() < 0.5:
            dc.move(key, -1)
        else:
            channel = rng.choice((web, mp))
            channel.note_reflected(key, dc.seq.get(key, 0), clock.now)
    return meter, result


def test_the_summaries_are_those_of_every_lag_recorded_one_by_one() -> None:
    for seed in range(5):
        meter, result = _random_lags(seed)
        one_by_one = by_group([*meter.log, *latency.sync_lag_pending(result)])
        measured = latency.sync_lag(result)
        for group in one_by_one:  # the mean's sum exact here, in the order added there
            assert one_by_one[group]["mean"] == measured[group]["mean"]
        assert measured == one_by_one


def test_the_buckets_and_sum_are_those_of_every_finished_lag() -> None:
    for seed in range(5):
        meter, result = _random_lags(seed)
        counted = latency.sync_lag_buckets(result, LATENCY_BUCKETS_S)
        for channel in ("web", "marketplace"):
            lags = [item.seconds for item in meter.log if item.group == channel]
            assert counted[channel] == histogram_buckets(lags)


def test_the_bins_are_those_of_every_lag_binned_one_by_one() -> None:
    for seed in range(5):
        meter, result = _random_lags(seed)
        bins = latency.sync_lag_bins(result)
        pending = list(latency.sync_lag_pending(result))
        for name in ("all", "web", "marketplace"):
            binner = LagBinner(6000.0)
            for item in [*meter.log, *pending]:
                if name in ("all", item.group):
                    binner.record(item.at, item.seconds)
            assert LagBinner(6000.0, bins=bins[name]).summary() == binner.summary()


def test_the_meter_counts_in_the_checkers_units_and_ranks() -> None:
    assert PER_S * UNIT_S == 1.0 and BIN_S == LAG_BIN_S
    histogram = LatencyHistogram()
    for count in range(1, 300):
        histogram.count = count
        for q in (50.0, 95.0, 99.0):
            assert nearest_rank(q, count) == histogram.rank_of(q)
