"""Bare SimPy's cost per event, measured in slices interleaved with a scenario run.

The hub's cost means something only next to a floor measured under the same
conditions: the same process, the same garbage-collector settings, the same moment of
the machine's load. Measured in another process afterwards (as `make bench` once did),
the ratio of the two moved from 1.4x to 3.7x within an hour on one machine. So after
each of the run's steps (`runtime.run`'s `between_steps`) a slice of bare SimPy runs:
as many events as the run has just processed, with as many events queued as the run's
queue held, and again with 100 queued. Both the hub and the slices are timed in the
thread's CPU time (`time.thread_time`), so time the process spends preempted counts
for neither.

What an event costs SimPy grows with the depth of its queue (a heap), so the fair
floor for a run is bare SimPy at the run's own depth; sizing each slice by the events
the run processed in that step weights every depth by the run's events at it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass, field
from time import perf_counter, thread_time
from typing import Any

import simpy

from scenarios.twin.runtime import pending_events, processed_events

#: events a ticker fires per unit of simulated time, on average: delays are uniform
#: in [0.5, 1.5], and the mean of 1/delay over that range is ln 3
_TICKS_PER_TIME = math.log(3.0)
#: the shallow baseline's queue depth, printed beside the run's own
SHALLOW_DEPTH = 100


def _ticker(env: simpy.Environment, delay: float) -> Generator[Any, Any, None]:
    while True:
        yield env.timeout(delay)


def bare_slice(events: int, pending: int, seed: int = 0) -> tuple[int, float]:
    """Run about `events` events of SimPy alone, processes yielding timeouts with
    `pending` of them queued: (events run, CPU seconds). Building the processes and
    their first round of events is not timed."""
    env = simpy.Environment()
    spacing = random.Random(seed)
    for _ in range(max(1, pending)):
        env.process(_ticker(env, spacing.uniform(0.5, 1.5)))
    env.run(until=1.0)  # every process started, the queue at its depth
    before = processed_events(env)
    horizon = 1.0 + events / (max(1, pending) * _TICKS_PER_TIME)
    started = thread_time()
    env.run(until=horizon)
    cpu_seconds = thread_time() - started
    done = processed_events(env) - before
    # each queued timeout calls back its process, which waits on it: a cycle per
    # process that only a full collection would free, and the run collects young
    # generations only (gc_tuning); cut them so reference counting frees the slice
    for *_, event in env._queue:
        event.callbacks = []
    env._queue.clear()
    return done, cpu_seconds


#: empty brackets timed per slice to price the hub's meter
METER_BRACKETS = 2_000


def meter_bracket_seconds(brackets: int = METER_BRACKETS) -> float:
    """What the hub's meter itself costs per hub call, in CPU seconds: the driver reads
    the thread's CPU clock before and after each call it times
    (scenarios/twin/hub_driver.py), and the part of those two reads that falls between
    them (about 0.4 us, a system call each) is charged to the hub although the hub does
    no work in it; the messages and answers it times stand for the rest, so their
    brackets count for every call. Timed here as the mean of `brackets` empty brackets,
    read exactly as the driver reads them."""
    total = 0.0
    for _ in range(brackets):
        started = thread_time()
        total += thread_time() - started
    return total / brackets


@dataclass(slots=True)
class Tally:
    """Bare SimPy events run at one kind of depth, and the CPU time they took."""

    events: int = 0
    cpu_seconds: float = 0.0
    depth_events: float = 0.0  # sum of depth x events, for the event-weighted depth

    def add(self, events: int, cpu_seconds: float, depth: int) -> None:
        self.events += events
        self.cpu_seconds += cpu_seconds
        self.depth_events += depth * events

    @property
    def seconds_per_event(self) -> float:
        return self.cpu_seconds / self.events if self.events else math.nan

    @property
    def depth(self) -> int:
        return round(self.depth_events / self.events) if self.events else 0


@dataclass(slots=True)
class InterleavedBareSimPy:
    """`between_steps` for `runtime.run`: a slice of bare SimPy after each step, as
    many events as the step processed (at least `min_events`), at the run's queue depth
    and at `SHALLOW_DEPTH`. `cpu_seconds` and `wall_seconds` are what the slices cost
    in all, set-up included, to take off the run's own figures."""

    min_events: int = 500
    at_depth: Tally = field(default_factory=Tally)
    shallow: Tally = field(default_factory=Tally)
    slices: int = 0
    cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    #: CPU seconds of all the empty brackets timed, one batch a slice
    meter_seconds: float = 0.0
    meter_brackets: int = 0
    _seen: int = 0
    _depth: int = 0

    def __call__(self, env: simpy.Environment) -> None:
        cpu_started, wall_started = thread_time(), perf_counter()
        done, depth = processed_events(env), pending_events(env)
        events, self._seen = done - self._seen, done
        if events > 0:
            # the queue's depth over the step: the mean of its two ends
            step_depth = max(1, round((self._depth + depth) / 2))
            size = max(self.min_events, events)
            self.at_depth.add(*bare_slice(size, step_depth, self.slices), step_depth)
            self.shallow.add(*bare_slice(size, SHALLOW_DEPTH, self.slices), SHALLOW_DEPTH)
            self.meter_seconds += meter_bracket_seconds() * METER_BRACKETS
            self.meter_brackets += METER_BRACKETS
            self.slices += 1
        self._depth = depth
        self.cpu_seconds += thread_time() - cpu_started
        self.wall_seconds += perf_counter() - wall_started

    @property
    def meter_seconds_per_call(self) -> float:
        """The hub meter's own cost per hub call (see `meter_bracket_seconds`)."""
        return self.meter_seconds / self.meter_brackets if self.meter_brackets else 0.0
