"""A sum of floats that does not depend on the order they arrive in.

Why its own module: two places sum latencies as they come and must give the same
figure as `math.fsum` over every value at the end of the day, without holding the
values: the sync-lag meter (`simulators/sync_lag.py`) and the exported histograms'
buckets (`scenarios/checking/observations.py`). A mean or a `_sum` that moved with the
order of arrival would make a digest-stable run print different figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

#: the exact sum's terms kept before they are folded into a few exact partials
_FOLD_AT = 512


class ExactSum:
    """A sum of floats kept exactly, so it does not depend on the order they are added
    in: the terms are held, and folded every `_FOLD_AT` into the few non-overlapping
    doubles whose exact sum is theirs (each fold takes the correctly rounded sum of
    what is left, `math.fsum`, until nothing is: a sum of doubles is a multiple of the
    smallest one, so this ends, in two or three rounds)."""

    __slots__ = ("_terms",)

    def __init__(self) -> None:
        self._terms: list[float] = []

    def add(self, value: float) -> None:
        self.extend((value,))

    def extend(self, values: Iterable[float]) -> None:
        terms = self._terms
        terms.extend(values)
        if len(terms) >= _FOLD_AT:
            self._fold()

    def _fold(self) -> None:
        rest = self._terms
        parts: list[float] = []
        while True:
            part = math.fsum(rest)
            if part == 0.0:
                break
            parts.append(part)
            rest.append(-part)
        self._terms = parts

    def value(self, more: Iterable[float] = ()) -> float:
        """The correctly rounded sum of every value added, and of `more`."""
        return math.fsum([*self._terms, *more])
