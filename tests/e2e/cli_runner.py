"""Run the `retailtwin` command in a child process, as a user or CI would."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


def retailtwin(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scenarios.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class RetailtwinStarted:
    """`retailtwin ARGS` started now and judged later (`finish`): for a command that
    waits on the wall clock, not the CPU (a hub that is not there is waited for 10
    wall seconds), started by a module-scoped fixture so the module's other tests run
    meanwhile. A thread waits for it, so its own time from start to exit is known
    however late it is judged."""

    def __init__(self, *args: str) -> None:
        self._started = time.monotonic()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "scenarios.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._done: subprocess.CompletedProcess[str] | None = None
        self._took_s = 0.0
        self._waiting = threading.Thread(target=self._wait, daemon=True)
        self._waiting.start()

    def _wait(self) -> None:
        stdout, stderr = self._process.communicate()
        self._took_s = time.monotonic() - self._started
        self._done = subprocess.CompletedProcess(
            self._process.args, self._process.returncode, stdout, stderr
        )

    def finish(self, timeout: float = 600) -> tuple[subprocess.CompletedProcess[str], float]:
        """The command finished, and the wall seconds it took from its start; fails
        (`TimeoutExpired`, the process killed) when it runs `timeout` s from its start."""
        self._waiting.join(max(self._started + timeout - time.monotonic(), 0.0))
        if self._done is None:
            self.close()
            raise subprocess.TimeoutExpired(self._process.args, timeout)
        return self._done, self._took_s

    def close(self) -> None:
        """Kill the command if it still runs (a failure left it behind)."""
        if self._process.poll() is None:
            self._process.kill()
        self._waiting.join()


@contextmanager
def started_with_no_hub(
    arguments: Callable[[str], Sequence[str]],
) -> Iterator[tuple[str, RetailtwinStarted]]:
    """`retailtwin` started now with `arguments(URL)`, URL a hub nobody listens on: for a
    module-scoped fixture, so the 10 wall seconds it waits for the hub
    (`HUB_READY_WALL_S`) pass while the module's other tests run. The port stays bound,
    never listening, so no hub another test starts can take it."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{held.getsockname()[1]}"
        started = RetailtwinStarted(*arguments(url))
        try:
            yield url, started
        finally:
            started.close()
