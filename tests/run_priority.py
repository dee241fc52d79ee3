"""The processes of a judged wall-clock run (the twin and its hub) started ahead of
whatever else the machine is doing.

Why: a run against an external hub is judged on the wall clock, so a twin or hub
that waits for a core shows as the hub's latency (at 300x, a 0.2 s wait is a
simulated minute of sync lag). Lowering the test session's own priority
(tests/head_start.py, `os.nice`) is not enough on Linux: with autogroups
(`/proc/sys/kernel/sched_autogroup_enabled`, on by default) the kernel first shares
the CPU equally between sessions, and a nice value only ranks a process against the
others of its own session. Other sessions' work (another user's build, a benchmark)
was never behind the runs, and the seven twins shared one session's share with the
suite: beside two busy loops in sessions of their own, erp-outage and duplicate-storm
failed their SLAs with the twins 133 to 188 wall seconds behind the day.

So each process is started in a session of its own (an autogroup of its own, which
the kernel weighs against every other session), and, where the session may raise
priority (as root, as CI runs), at `AHEAD` both as a process and as an autogroup: the
same two busy loops then left every run within 0.22 wall seconds of its day, and the
module passed in each of its sets where it had failed three tests. Where it
may not, the processes keep the session's priority and still have their own
autogroups, which alone helped less: the twins fell up to 13 seconds behind, and
erp-outage and duplicate-storm still failed.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

#: the niceness the runs' processes get where the session may raise priority: at -10
#: the kernel weighs a runnable run's claim about nine times that of work at the
#: default 0, as the suite behind them (`head_start.BEHIND_RUNS`) weighs ten times less
AHEAD = -10


@contextlib.contextmanager
def _niceness(value: int) -> Iterator[None]:
    """The calling thread at `value` (or as close as it may go) for the block: a child
    started in it inherits that niceness in every thread it will start."""
    before = os.getpriority(os.PRIO_PROCESS, 0)
    with contextlib.suppress(PermissionError):
        os.setpriority(os.PRIO_PROCESS, 0, min(before, value))
    try:
        yield
    finally:
        # back to a lower priority is always allowed
        os.setpriority(os.PRIO_PROCESS, 0, before)


def _autogroup(pid: int, value: int) -> None:
    """The autogroup of `pid`'s session at `value`, where the kernel has autogroups
    and lets this session raise their priority; otherwise left as it is."""
    with contextlib.suppress(OSError):  # no such file, not permitted, already gone
        Path(f"/proc/{pid}/autogroup").write_text(f"{value}\n")


def popen_ahead(words: Sequence[str], **options: Any) -> subprocess.Popen[Any]:
    """`subprocess.Popen(words, **options)` in a session of its own, ahead of the
    machine's other work where permitted (see above)."""
    with _niceness(AHEAD):
        process: subprocess.Popen[Any] = subprocess.Popen(
            list(words), start_new_session=True, **options
        )
    _autogroup(process.pid, AHEAD)
    return process
