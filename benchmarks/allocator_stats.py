"""What this process's memory is made of, read from the kernel and the two allocators.

Why: the peak resident size alone cannot tell memory a run holds from memory an allocator
keeps free after the run let it go, and issue 18's weekend differs from black-friday
mostly in the second (docs/architecture.md, Memory). Three readers, each of a source the
process already keeps, none of them tracing:

- the kernel's `VmRSS` and `VmHWM` (`/proc/self/status`): resident now and at most,
  the second reset with `reset_high_water` where a measure wants its own;
- Python's small-block allocator (`sys._debugmallocstats()`, which writes to the C
  stderr, so it is read back through a temporary file put in place of descriptor 2):
  bytes in live blocks, free blocks in pools in use, empty pools, arenas, and each size
  class's live and free blocks, where a class full of free blocks beside few live ones
  is short-lived objects made among long-lived ones;
- glibc's heap (`mallinfo2`): bytes in use, free in its arenas, and in blocks of their
  own mapping (large dicts, arrays); None where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: the size of one of the small-block allocator's pools (CPython 3.11, 64-bit)
POOL_BYTES = 16_384
_STATUS = Path("/proc/self/status")
#: writing "5" here resets the process's peak resident size (proc(5), clear_refs)
_CLEAR_REFS = Path("/proc/self/clear_refs")
_CLASS_ROW = re.compile(r"^\s*\d+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")
_SUMMARY = re.compile(r"^# bytes in (allocated|available) blocks\s*=\s*([\d,]+)\s*$")
_ARENAS = re.compile(r"^# arenas allocated current\s*=\s*([\d,]+)\s*$")
_UNUSED_POOLS = re.compile(r"^(\d+) unused pools \* \d+ bytes\s*=")


@dataclass(frozen=True, slots=True)
class Resident:
    """The kernel's view: resident now and the process's high-water, bytes."""

    now: int
    high_water: int


@dataclass(frozen=True, slots=True)
class SizeClass:
    """One size class of the small-block allocator: its block size and how many of its
    blocks are live and free in the pools it has."""

    size: int
    live_blocks: int
    free_blocks: int


@dataclass(frozen=True, slots=True)
class SmallBlocks:
    """The small-block allocator (objects up to 512 bytes), bytes unless named."""

    live: int
    #: free blocks in pools that still hold a live one: kept, not returned
    free_in_pools: int
    #: pools with no live block, kept in arenas that still hold a pool in use
    empty_pools: int
    arenas: int
    classes: tuple[SizeClass, ...]

    def size_class(self, size: int) -> SizeClass | None:
        return next((each for each in self.classes if each.size == size), None)


@dataclass(frozen=True, slots=True)
class CHeap:
    """glibc's heap, bytes: in use, free in its arenas, and mapped blocks of their own."""

    in_use: int
    free: int
    mapped: int


def resident() -> Resident:
    """`VmRSS` and `VmHWM` of this process (0 where /proc is not there)."""
    fields = {"VmRSS": 0, "VmHWM": 0}
    try:
        text = _STATUS.read_text()
    except OSError:
        return Resident(0, 0)
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in fields:
            fields[name] = int(value.split()[0]) * 1024
    return Resident(fields["VmRSS"], fields["VmHWM"])


def reset_high_water() -> bool:
    """Start the kernel's high-water (`VmHWM`) again from what is resident now, so a
    high-water read later is of what came after (`/proc/self/clear_refs`, Linux 4.0 and
    later); False where it cannot be reset, and the high-water is the process's own."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def small_blocks() -> SmallBlocks | None:
    """The small-block allocator's own report, parsed; None when it gives none, as while
    `tracemalloc` wraps the allocator (or under `PYTHONMALLOC=malloc`)."""
    return parse_small_blocks(_debugmallocstats_text())


def parse_small_blocks(text: str) -> SmallBlocks | None:
    """`sys._debugmallocstats()`'s text as figures: each class row's pools, live and free
    blocks; the summary's bytes in live and available blocks, unused pools and arenas."""
    classes = []
    totals = {"allocated": 0, "available": 0}
    arenas = unused_pools = 0
    for line in text.splitlines():
        if row := _CLASS_ROW.match(line):
            size, _, live, free = (int(group) for group in row.groups())
            classes.append(SizeClass(size, live, free))
        elif summary := _SUMMARY.match(line):
            totals[summary.group(1)] = int(summary.group(2).replace(",", ""))
        elif current := _ARENAS.match(line):
            arenas = int(current.group(1).replace(",", ""))
        elif pools := _UNUSED_POOLS.match(line):
            unused_pools = int(pools.group(1))
    if not classes:
        return None
    return SmallBlocks(
        live=totals["allocated"],
        free_in_pools=totals["available"],
        empty_pools=unused_pools * POOL_BYTES,
        arenas=arenas,
        classes=tuple(classes),
    )


def _debugmallocstats_text() -> str:
    """What `sys._debugmallocstats()` writes to descriptor 2, which Python's own
    `sys.stderr` does not see: the descriptor is pointed at a temporary file meanwhile."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        sink.seek(0)
        return sink.read().decode("utf-8", "replace")


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def c_heap() -> CHeap | None:
    """glibc's `mallinfo2` (glibc 2.33 and later); None without it."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        mallinfo2 = ctypes.CDLL(name).mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return CHeap(in_use=info.uordblks, free=info.fordblks, mapped=info.hblkhd)
