"""For the tests that kill writers: `retailtwin run/compare --out` as a real process
that can be held at a chosen moment (RETAILTWIN_OUT_HOLD) and killed with SIGKILL, and
`retailtwin serve --db` asked what it serves."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx2

from scenarios.reports.out_folder import HOLD_ENV

T = TypeVar("T")
HOLDING = re.compile(r"retailtwin: holding at (\S+) \((.*)\)$")


class Writer:
    """`retailtwin ARGS` in its own session, its stderr read line by line."""

    def __init__(self, *args: str, hold: str | None = None) -> None:
        env = dict(os.environ)
        env.pop(HOLD_ENV, None)
        if hold is not None:
            env[HOLD_ENV] = hold
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scenarios.cli", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.pid = self.process.pid
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stderr,), daemon=True).start()
        self._stdout_reader = threading.Thread(
            target=lambda: self.stdout.extend(self.process.stdout or ()), daemon=True
        )
        self._stdout_reader.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def held(self, timeout_s: float = 120) -> Path:
        """Wait until the writer says it is holding; the folder it names."""
        deadline = time.monotonic() + timeout_s
        while True:
            line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(
                    f"exited with {self.process.wait()} without holding:\n"
                    + "".join(self.stdout + self.stderr)
                )
            found = HOLDING.match(line.strip())
            if found:
                return Path(found.group(2))
            self.stderr.append(line)

    def go_on(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def wait_for(self, found: Callable[[], T | None], timeout_s: float = 120) -> T:
        """Poll (every few milliseconds) until `found` gives something, while it runs."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = found()
            if value is not None:
                return value
            assert self.process.poll() is None, f"the writer ended first: {self.finish()}"
            time.sleep(0.002)
        raise AssertionError(f"timed out after {timeout_s} s")

    def kill(self, group: bool = False) -> None:
        """SIGKILL the writer (and with `group`, the worker processes it started)."""
        if group:
            os.killpg(self.pid, signal.SIGKILL)
        else:
            os.kill(self.pid, signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL

    def finish(self, timeout_s: float = 300) -> tuple[int, str, str]:
        """Exit code, stdout and stderr, once it has ended."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        code = self.process.wait(timeout=timeout_s)
        while (line := self._lines.get(timeout=30)) is not None:
            self.stderr.append(line)
        self._lines.put(None)
        self._stdout_reader.join(timeout=30)
        return code, "".join(self.stdout), "".join(self.stderr)

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


@dataclass(frozen=True, slots=True)
class Served:
    """What `retailtwin serve --db` did: refused (its exit code and message), or served
    (the HTTP status of a query and the run it answered with)."""

    code: int | None
    stderr: str
    status: int | None = None
    run: dict[str, Any] | None = None
    #: /healthz's status, and the query's errors, when it served
    health: int | None = None
    errors: str = ""


def served_run(db: Path) -> Served:
    """Start `retailtwin serve --db DB`; if it serves, ask it for the run's seed and
    digest, then stop it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "scenarios.cli", "serve", "--db", str(db)),
            *("--port", str(port), "--api-key", "view-key:viewer"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None:
            assert time.monotonic() < deadline, "serve neither served nor exited in 60 s"
            try:
                health = httpx2.get(f"{base}/healthz", timeout=2).status_code  # it serves
                break
            except httpx2.TransportError:
                time.sleep(0.1)
        else:
            assert process.stderr is not None
            return Served(process.returncode, process.stderr.read())
        response = httpx2.post(
            f"{base}/graphql",
            json={"query": "{ operations { run { seed digest } } }"},
            headers={"authorization": "Bearer view-key"},
            timeout=30,
        )
        run, errors = None, response.text[:300]
        if "json" in response.headers.get("content-type", ""):
            body = response.json()
            run = ((body.get("data") or {}).get("operations") or {}).get("run")
            errors = "; ".join(e.get("message", "") for e in body.get("errors") or [])
        return Served(None, "", response.status_code, run, health, errors)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()
