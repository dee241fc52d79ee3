"""For the tests of the helper processes `run --out` forks (`scenarios.reports.forked`):
whether a process has ended, and the mark that skips them where nothing is forked."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from scenarios.reports.forked import second_core

#: the helpers' tests need `fork` and a second core; elsewhere the work is done in process
forks = pytest.mark.skipif(
    not hasattr(os, "fork") or not second_core(), reason="done in process: no fork or one core"
)


def gone(pid: int, within_s: float = 30.0) -> bool:
    """Whether process `pid` has ended (a zombie nobody reaps counts as ended)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.02)
    return False
