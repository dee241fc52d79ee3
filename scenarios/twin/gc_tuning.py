"""Garbage-collector settings for a simulation run.

A peak-day run holds millions of long-lived objects (orders, positions, documents) and
allocates millions of short-lived ones (events, messages). CPython's default collector
thresholds then trigger full collections that walk the whole live heap again and again:
measured on black-friday at scale 0.2, that was half the wall time, for a few hundred
reclaimed cycles. The run moves everything built before it into the permanent
generation (`gc.freeze`) and collects the young generations only, less often; cycles
are rare here, so memory does not grow. The benchmark measures bare SimPy under the
same settings, so the comparison stays fair.

A batch run goes further (`collector_off_for_batch_run`): from the world's building to
its seal nothing is collected at all. Its young collections reclaimed nothing (black-
friday at 0.25, compiled, `gc.callbacks`: 2 collections, 0 objects), yet each walked the
100,000 objects the run had kept since the last, in a heap that grows with the estate,
so their cost grew faster than the orders (2, 7 and 20 collections, 0.06, 0.27 and
1.04 s CPU at 0.25, 0.5 and 1). The world's building, under the default
thresholds, and the first middle collection after the run, over the two million objects
the young collections had moved there, added 0.05 s at 0.5 and 0.41 s at full scale.
The few cycles a run leaves (358 objects at 0.1) wait for the next full collection.
The live server keeps `collector_tuned_for_simulation`: it runs for hours, and what it
leaves must not pile up.
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


@contextmanager
def collector_off_for_batch_run() -> Iterator[None]:
    """No collection while a batch run builds, steps and seals its day. On the way out,
    what the run made joins the oldest generation (`freeze` then `unfreeze`: two moves
    of whole lists), so the first young collection after it does not walk the run's
    millions of objects, as the young generation would otherwise hold them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
