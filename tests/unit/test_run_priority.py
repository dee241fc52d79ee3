"""tests/run_priority.py: a judged run's process starts in a session of its own, ahead
of the machine's other work where the session may raise priority, and the session
that started it keeps its own niceness."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from run_priority import AHEAD, popen_ahead


def _may_raise_priority() -> bool:
    """Whether this process may lower its niceness below where it is (root may)."""
    before = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        os.setpriority(os.PRIO_PROCESS, 0, before - 1)
    except PermissionError:
        return False
    os.setpriority(os.PRIO_PROCESS, 0, before)
    return True


def test_the_process_starts_in_a_session_of_its_own_ahead_where_permitted() -> None:
    before = os.getpriority(os.PRIO_PROCESS, 0)
    process = popen_ahead(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE, text=True
    )
    try:
        assert os.getsid(process.pid) == process.pid != os.getsid(0)
        niceness = os.getpriority(os.PRIO_PROCESS, process.pid)
        autogroup = Path(f"/proc/{process.pid}/autogroup")
        if _may_raise_priority():
            assert niceness == min(before, AHEAD)
            if autogroup.exists():  # a kernel with autogroups: "/autogroup-N nice -10"
                assert autogroup.read_text().split()[-1] == str(AHEAD)
        else:
            assert niceness == before
    finally:
        process.communicate("")
    assert os.getpriority(os.PRIO_PROCESS, 0) == before
