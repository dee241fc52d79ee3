"""Run the `retailtwin` command in a child process, as a user or CI would."""

from __future__ import annotations

import subprocess
import sys


def retailtwin(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scenarios.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
