"""What else the machine did while a bench ran, printed beside the bench's figures.

The benches report CPU time and ratios against bare SimPy timed in the same process, so
that a busy machine moves both sides alike. It does not move them quite alike: the two
cores share their caches and memory bandwidth, and a run whose working set is large
loses more to a neighbour than bare SimPy does. Figures taken with both cores busy read
worse than on a quiet machine (issue 18's cost per event read 7.5x quiet and 8.1x to
9.75x loaded on the same code), so each bench run says how busy the machine was: the
cores other processes kept busy on average while it ran, from the kernel's counters
in /proc/stat less this process's own CPU time, the cores the hypervisor stole, and
the load average before and after. Linux only; elsewhere it says it does not know.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

PROC_STAT = Path("/proc/stat")


@dataclass(frozen=True, slots=True)
class CpuTicks:
    """The machine's CPU time so far, all cores, in clock ticks (`/proc/stat`'s `cpu` line)."""

    #: user, nice, system, irq and softirq: time the cores spent working (guests are in user)
    busy: int
    #: time a hypervisor ran something else on the cores this machine was given
    steal: int

    @classmethod
    def parse(cls, stat: str) -> Self:
        """From the text of /proc/stat; the first line is `cpu` followed by user, nice,
        system, idle, iowait, irq, softirq, steal, ... (older kernels stop earlier)."""
        first = stat.split("\n", 1)[0].split()
        if not first or first[0] != "cpu":
            raise ValueError(f"expected /proc/stat to start with a 'cpu' line, got {first[:1]}")
        ticks = [int(word) for word in first[1:]] + [0] * 8
        user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
        return cls(busy=user + nice + system + irq + softirq, steal=steal)


@dataclass(frozen=True, slots=True)
class MachineLoad:
    """How busy the machine was during one measured stretch."""

    cores: int
    wall_seconds: float
    #: cores kept busy by other processes, on average over the stretch
    other_cores: float
    #: cores the hypervisor took, on average over the stretch
    steal_cores: float
    #: the 1-minute load average before and after
    load_before: float
    load_after: float

    def describe(self) -> str:
        return (
            f"other work kept {self.other_cores:.1f} of {self.cores} cores busy on average, "
            f"steal {self.steal_cores:.2f}; load average {self.load_before:.1f} -> "
            f"{self.load_after:.1f}"
        )

    def as_figures(self) -> dict[str, float]:
        """For a child's JSON line."""
        return {
            "machine_cores": self.cores,
            "machine_wall_seconds": self.wall_seconds,
            "machine_other_cores": self.other_cores,
            "machine_steal_cores": self.steal_cores,
            "machine_load_before": self.load_before,
            "machine_load_after": self.load_after,
        }

    @classmethod
    def from_figures(cls, figures: dict[str, float]) -> Self | None:
        """Back from a child's JSON line; None when the child could not tell."""
        if "machine_other_cores" not in figures:
            return None
        return cls(
            cores=int(figures["machine_cores"]),
            wall_seconds=figures.get("machine_wall_seconds", 0.0),
            other_cores=figures["machine_other_cores"],
            steal_cores=figures["machine_steal_cores"],
            load_before=figures["machine_load_before"],
            load_after=figures["machine_load_after"],
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The counters at one moment: the machine's, this process's CPU time, the clock."""

    ticks: CpuTicks
    wall: float
    own_cpu: float
    load: float

    @classmethod
    def take(cls) -> Self | None:
        ticks = _ticks()
        if ticks is None:
            return None
        return cls(ticks, time.perf_counter(), time.process_time(), load_average())


def between(before: Snapshot, after: Snapshot, tick_hz: int, cores: int) -> MachineLoad:
    """The load from one snapshot to the next: the machine's busy time less this
    process's own is the other processes' work."""
    wall = after.wall - before.wall
    busy = (after.ticks.busy - before.ticks.busy) / tick_hz
    other = max(0.0, busy - (after.own_cpu - before.own_cpu))
    steal = (after.ticks.steal - before.ticks.steal) / tick_hz
    return MachineLoad(
        cores=cores,
        wall_seconds=wall,
        other_cores=other / wall if wall > 0 else 0.0,
        steal_cores=steal / wall if wall > 0 else 0.0,
        load_before=before.load,
        load_after=after.load,
    )


class LoadWatch:
    """`with LoadWatch() as watch: ...` then `watch.load`: the machine's load over the
    block, None where /proc/stat cannot be read."""

    def __init__(self) -> None:
        self.load: MachineLoad | None = None
        self._before: Snapshot | None = None

    def __enter__(self) -> Self:
        self._before = Snapshot.take()
        return self

    def __exit__(self, *_: object) -> None:
        after = Snapshot.take()
        if self._before is not None and after is not None:
            self.load = between(self._before, after, os.sysconf("SC_CLK_TCK"), _cores())


def _cores() -> int:
    return os.cpu_count() or 1


def _ticks() -> CpuTicks | None:
    try:
        return CpuTicks.parse(PROC_STAT.read_text())
    except (OSError, ValueError):
        return None


def load_average() -> float:
    """The 1-minute load average; NaN where the system has none."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def describe(load: MachineLoad | None) -> str:
    """The machine's line of a report, or that it is not known."""
    return load.describe() if load is not None else "not known (no /proc/stat)"
