"""Named random streams derived from the scenario seed.

Every component draws from its own stream (`streams.get("erp")`), so adding a draw in
one component does not shift every other component's numbers: a run stays a pure
function of (scenario, seed, code), and a change to the WMS does not change which
orders the marketplace receives.
"""

from __future__ import annotations

import hashlib
import math
import random
from math import cos, exp, log, sin, sqrt, tau


class Streams:
    __slots__ = ("_streams", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def get(self, name: str) -> random.Random:
        stream = self._streams.get(name)
        if stream is None:
            digest = hashlib.blake2b(f"{self.seed}:{name}".encode(), digest_size=8).digest()
            stream = random.Random(int.from_bytes(digest, "big"))
            self._streams[name] = stream
        return stream


def lognormal_sampler(rng: random.Random, median: float, p95: float) -> LogNormal:
    return LogNormal(rng, median, p95)


class LogNormal:
    """Service and network times: right-skewed, never negative, set by median and p95,
    the two figures people quote for latency.

    Call the sampler, or hold its bound `draw` where it is called most (the network's
    latencies, about one draw per event of a run): Python 3.11 calls an instance through
    its type's `__call__` slot, a bound method directly, some 35 ns less a draw."""

    __slots__ = ("_mu", "_random", "_rng", "_sigma")

    def __init__(self, rng: random.Random, median: float, p95: float) -> None:
        self._rng = rng
        self._random = rng.random
        self._mu = math.log(max(median, 1e-9))
        # p95 = median * exp(1.645 sigma)
        self._sigma = max(0.0, math.log(max(p95, median) / max(median, 1e-9)) / 1.6449)

    def draw(self) -> float:
        # exp of a Gaussian draw is what lognormvariate computes. The draw is
        # `random.Random.gauss` (normal deviates made two at a time, the second kept in
        # the stream's `gauss_next`), written out here line for line: the same draws in
        # the same order, bit for bit, without a call per draw (most of a run's events
        # are network deliveries, each with a latency drawn here)
        rng = self._rng
        z = rng.gauss_next  # type: ignore[attr-defined]
        if z is None:
            draw = self._random
            x2pi = draw() * tau
            g2rad = sqrt(-2.0 * log(1.0 - draw()))
            z = cos(x2pi) * g2rad
            rng.gauss_next = sin(x2pi) * g2rad  # type: ignore[attr-defined]
        else:
            rng.gauss_next = None  # type: ignore[attr-defined]
        return exp(self._mu + self._sigma * z)

    # a method of its own, not `__call__ = draw`: mypyc cannot compile a class attribute
    # bound to one of the class's methods (the instance failed to build, `KeyError:
    # 'draw'`); the sampler's hottest caller, the network, holds `draw` itself
    def __call__(self) -> float:
        return self.draw()
