"""benchmarks/machine_load.py: how busy the rest of the machine was while a bench ran,
from the kernel's counters less the bench's own CPU time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks import doubling
from benchmarks.machine_load import CpuTicks, LoadWatch, MachineLoad, Snapshot, between, describe

STAT = "cpu  100 20 30 400 5 6 7 8 0 0\ncpu0 50 10 15 200 2 3 3 4 0 0\n"


def test_the_machine_line_counts_work_and_steal_apart_from_idle_and_waiting() -> None:
    assert CpuTicks.parse(STAT) == CpuTicks(busy=100 + 20 + 30 + 6 + 7, steal=8)
    # an old kernel's shorter line: no steal column
    assert CpuTicks.parse("cpu 1 2 3 4\n") == CpuTicks(busy=6, steal=0)


def test_a_file_that_is_not_proc_stat_is_named() -> None:
    with pytest.raises(ValueError, match="'cpu' line"):
        CpuTicks.parse("intr 1 2 3\n")


def test_another_process_spinning_is_seen_as_other_work() -> None:
    spin = "import time\nend = time.perf_counter() + 1.0\nwhile time.perf_counter() < end: pass"
    with LoadWatch() as watch:
        child = subprocess.Popen([sys.executable, "-c", spin])
        child.wait(timeout=60)
    load = watch.load
    assert load is not None, "the tests run on Linux, where /proc/stat is read"
    # the child had a core to itself, or other work filled the cores: either way at least
    # half a core was busy with something other than this process
    assert load.other_cores >= 0.5, load


def test_this_processs_own_cpu_time_is_not_other_work() -> None:
    before = Snapshot(CpuTicks(busy=1_000, steal=10), wall=5.0, own_cpu=1.0, load=0.5)
    # 4 s: the machine worked 6 s (600 ticks at 100 Hz), 3.5 of them this process's
    after = Snapshot(CpuTicks(busy=1_600, steal=30), wall=9.0, own_cpu=4.5, load=1.0)
    load = between(before, after, tick_hz=100, cores=2)
    assert load.other_cores == pytest.approx(2.5 / 4)
    assert load.steal_cores == pytest.approx(0.2 / 4)
    assert (load.load_before, load.load_after, load.wall_seconds) == (0.5, 1.0, 4.0)
    # ticks are coarser than the process clock: never less than no other work
    mine = Snapshot(CpuTicks(busy=1_300, steal=10), wall=9.0, own_cpu=4.5, load=1.0)
    assert between(before, mine, tick_hz=100, cores=2).other_cores == 0.0


def test_a_childs_figures_carry_the_load_to_the_reports() -> None:
    load = MachineLoad(2, 3.0, 1.25, 0.01, 0.5, 1.5)
    figures = {
        "channel_orders": 10,
        "simulated_events": 100,
        "cpu_seconds": 1.0,
        "hub_cpu_seconds": 0.2,
        "bare_cpu_seconds_per_event": 1e-6,
        "bare_cpu_seconds_per_event_at_depth": 2e-6,
        "queue_depth": 50,
        **load.as_figures(),
    }
    back = MachineLoad.from_figures(figures)
    assert back is not None and back.other_cores == 1.25 and back.load_after == 1.5
    assert "other work kept 1.2 of 2 cores busy" in describe(back)
    assert "; other work 1.2 cores" in doubling.report([(0.5, figures), (1.0, figures)])
    assert MachineLoad.from_figures({"cpu_seconds": 1.0}) is None
    assert describe(None).startswith("not known")
