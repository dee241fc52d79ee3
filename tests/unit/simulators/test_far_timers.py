"""Timers held off SimPy's queue until their hour (`simulators/far_timers.py`) must fire
in exactly the order, at exactly the times, that they would on the queue from the start:
ties at one moment broken by when each was made, the moment a bucket starts included,
and SimPy's own events (a process's timeouts) and the runner's `run(until=...)` steps
between them. The run's count of processed events must not see the markers or miss the
held timers."""

from __future__ import annotations

import gc
import math
import random
import weakref
from collections.abc import Generator
from typing import Any

import simpy

from scenarios.twin.runtime import pending_events, processed_events
from simulators.far_timers import BUCKET_S, FarTimers, far_timers, held_events
from simulators.later import Later

Timeline = list[tuple[str, float]]


def _day(timers_of: type[FarTimers] | None, bucket_s: float) -> tuple[Timeline, list[int], int]:
    """A seeded day of timers, each firing one to spawn more: near, at whole hours
    (so ties fall on the buckets' starts) and days ahead. With `timers_of` None every
    timer is a `Later`, straight on the queue. Returns the timeline, the processed
    events after each step, and the deepest the queue was after a step."""
    env = simpy.Environment()
    rng = random.Random(7)
    timers = FarTimers(env, bucket_s) if timers_of is not None else None
    seen: Timeline = []
    made = [0]

    def schedule(delay: float) -> None:
        made[0] += 1
        name = f"t{made[0]}"
        if timers is None:
            Later(env, delay, fire, name)
        else:
            timers.later(delay, fire, name)

    def delay() -> float:
        kind = rng.randrange(4)
        if kind == 0:
            return float(rng.randrange(0, 120))
        if kind == 1:
            return float(rng.randrange(1, 6)) * 3600.0  # whole hours: ties at buckets
        if kind == 2:
            return rng.uniform(3000.0, 4000.0)  # either side of one bucket
        return rng.uniform(0.0, 3 * 86400.0)

    def fire(event: object) -> None:
        name = event.value  # type: ignore[attr-defined]
        seen.append((name, float(env.now)))
        if made[0] < 3000:
            for _ in range(1 + rng.randrange(2)):
                schedule(delay())

    def ticker() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(900.0)  # a SimPy event on every quarter hour
            seen.append(("tick", float(env.now)))

    env.process(ticker())
    for _ in range(60):
        schedule(delay())
    processed: list[int] = []
    deepest = 0
    t = 0.0
    while t < 5 * 86400.0:
        t += 1800.0  # steps ending on bucket starts too
        env.run(until=t)
        processed.append(processed_events(env))
        deepest = max(deepest, pending_events(env))
    return seen, processed, deepest


def test_held_timers_fire_in_the_order_and_at_the_times_of_timers_on_the_queue() -> None:
    on_queue, counted, deepest = _day(None, math.inf)
    held, held_counted, held_deepest = _day(FarTimers, BUCKET_S)
    assert len(on_queue) > 2000
    assert held == on_queue
    assert held_counted == counted
    assert held_deepest < deepest


def test_a_bucket_as_short_as_a_minute_changes_nothing_either() -> None:
    on_queue, counted, _ = _day(None, math.inf)
    held, held_counted, _ = _day(FarTimers, 60.0)
    assert held == on_queue
    assert held_counted == counted


def test_held_timers_are_counted_pending_and_markers_not_at_all() -> None:
    env = simpy.Environment()
    timers = far_timers(env)
    assert far_timers(env) is timers  # one an environment
    fired: list[float] = []
    for hours in (2.5, 2.7, 5.0):
        timers.later(hours * 3600.0, lambda event: fired.append(float(env.now)))
    timers.later(10.0, lambda event: fired.append(float(env.now)))  # near: on the queue
    assert timers.held == 3
    assert timers.markers == 2  # the buckets starting at 2 h and at 5 h
    assert len(env._queue) == 3  # the near timer and the two markers
    assert held_events(env) == 1
    before = processed_events(env)  # (SimPy's count: this read takes an event id)
    env.run(until=3 * 3600.0)
    assert fired == [10.0, 2.5 * 3600.0, 2.7 * 3600.0]
    # the three timers and `run`'s own stop, not the marker at 2 h; one id for the read
    assert processed_events(env) - before == 4 + 1
    env.run()
    assert fired[-1] == 5 * 3600.0
    assert timers.held == timers.markers == held_events(env) == 0


def test_the_registry_does_not_keep_an_environment_alive() -> None:
    env = simpy.Environment()
    far_timers(env).later(2 * 3600.0, lambda event: None)
    gone = weakref.ref(env)
    del env
    gc.collect()
    assert gone() is None
