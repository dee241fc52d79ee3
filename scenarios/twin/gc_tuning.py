"""Garbage-collector settings for a simulation run.

A peak-day run holds millions of long-lived objects (orders, positions, documents) and
allocates millions of short-lived ones (events, messages). CPython's default collector
thresholds then trigger full collections that walk the whole live heap again and again:
measured on black-friday at scale 0.2, that was half the wall time, for a few hundred
reclaimed cycles. The run moves everything built before it into the permanent
generation (`gc.freeze`) and collects the young generations only, less often; cycles
are rare here, so memory does not grow. The benchmark measures bare SimPy under the
same settings, so the comparison stays fair.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: allocations between young collections, young collections between middle ones, and
#: middle collections between full ones (a full collection never comes in a day's run)
RUN_THRESHOLDS = (100_000, 50, 1_000)


@contextmanager
def collector_tuned_for_simulation() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.freeze()  # no collection first: after a run that alone would walk the whole heap
    gc.set_threshold(*RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
