"""The twin's latency sampler writes `random.Random.gauss` out inline for speed; a run's
digest depends on it drawing exactly what `exp(mu + sigma * rng.gauss())` draws, in the
same order, with the stream's other draws interleaved."""

from __future__ import annotations

import math
import random

import simpy

from simulators.later import Later
from simulators.rng import LogNormal


def test_lognormal_draws_are_the_library_gauss_draws_bit_for_bit() -> None:
    ours, reference = random.Random(7), random.Random(7)
    sampler = LogNormal(ours, 0.2, 1.5)
    mu, sigma = math.log(0.2), math.log(1.5 / 0.2) / 1.6449
    for step in range(20_001):
        if step % 7 == 3:  # other draws on the same stream between latencies
            assert ours.random() == reference.random()
        if step % 11 == 5:  # and a library gauss, which shares the cached deviate
            assert ours.gauss() == reference.gauss()
        assert sampler() == math.exp(mu + sigma * reference.gauss())


def test_the_bound_draw_the_network_holds_draws_what_calling_the_sampler_draws() -> None:
    called = LogNormal(random.Random(3), 0.05, 0.4)
    draw = LogNormal(random.Random(3), 0.05, 0.4).draw
    assert [draw() for _ in range(1_001)] == [called() for _ in range(1_001)]


def test_a_later_is_queued_as_a_timeout_made_at_that_moment() -> None:
    env = simpy.Environment()
    fired: list[str] = []
    env.timeout(1.0).callbacks.append(lambda _e: fired.append("timeout a"))
    Later(env, 1.0, lambda _e: fired.append("later"))
    env.timeout(1.0).callbacks.append(lambda _e: fired.append("timeout b"))
    Later(env, 0.5, lambda event: fired.append(f"early {event.value}"), "x")
    env.run()
    assert fired == ["early x", "timeout a", "later", "timeout b"]
    assert env.now == 1.0
