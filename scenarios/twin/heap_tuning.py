"""The C allocator's settings for a simulation run (glibc only).

Python asks the C library's `malloc` for every block above 512 bytes: a dict or list
that grows past a few thousand entries (an index by reference, a position table, a
step's batch of messages, the 4-hourly reconciliation's ledger export). glibc serves a
block of 128 KiB or more with its own `mmap`, returned to the system when freed, but it
raises that threshold to the size of each such block freed (up to 32 MiB): after the
first large transient, later large blocks come from the heap instead, and a heap only
shrinks from its top, so the records made after a transient pin the memory it used.
Measured on black-friday at full scale, `retailtwin run black-friday --quiet` with
the same digest: 569,844 KB of peak RSS with glibc's default, 524,660 KB with the
threshold fixed at 128 KiB (the same figure as the `MALLOC_MMAP_THRESHOLD_` variable
gives), against 554,528 KB with Python's own small-block allocator turned off
(`PYTHONMALLOC=malloc`, and slower): the growth was the threshold's, not pymalloc's.

Fixing the threshold is a process-wide setting made once; elsewhere than glibc (macOS,
musl) there is no `mallopt` and nothing is changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from enum import IntEnum
from functools import cache

#: the size from which glibc maps a block of its own: its default start, held fixed
MMAP_THRESHOLD_BYTES = 128 * 1024


class MalloptParameter(IntEnum):
    """glibc's `mallopt` parameter numbers (`malloc.h`)."""

    MMAP_THRESHOLD = -3


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


@cache
def fix_mmap_threshold() -> bool:
    """Hold glibc's mmap threshold at its default start for the rest of the process;
    True when the C library took it, False where there is no glibc. Cached: the run
    calls it each time, the setting is made once."""
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(MalloptParameter.MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
