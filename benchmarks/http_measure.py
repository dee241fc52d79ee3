"""Measuring GraphQL over HTTP for `make bench-api`: each request's latency, the figures
over a run of them, and the server processes a benchmark starts and asks (retailtwin's
own, and the bare strawberry floor), each on a free loopback port."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx2


@dataclass(frozen=True, slots=True)
class Figures:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    #: the server's CPU time (user and system, every thread) per request; None when
    #: not measured
    cpu_ms: float | None = None

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True, slots=True)
class Sample:
    """One round of requests: each one's latency, how long the round took, and the
    CPU time the server spent meanwhile (None when not measured)."""

    latencies: list[float]
    seconds: float
    cpu_seconds: float | None = None


def figures_of(name: str, samples: Sequence[Sample]) -> Figures:
    """Rounds of one query as one set of figures."""
    ordered = sorted(latency for sample in samples for latency in sample.latencies)
    cpu = [sample.cpu_seconds for sample in samples]
    return Figures(
        name,
        len(ordered),
        sum(sample.seconds for sample in samples),
        percentile(ordered, 50) * 1000,
        percentile(ordered, 95) * 1000,
        None if None in cpu else sum(c or 0.0 for c in cpu) / len(ordered) * 1000,
    )


def cpu_seconds(pid: int) -> float | None:
    """The CPU time process `pid` has used so far, user and system, all its threads
    (from /proc: None where there is none). A server's CPU per request is what it
    costs whatever else the machine runs, where requests a second and latency stretch
    with the machine's load, the client's included."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # after the command name, in parentheses: state is the 3rd field, utime the 14th
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(ordered: list[float], q: float) -> float:
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


#: the query-cost bucket's refill for a server a benchmark measures: as fast as it asks
#: (one client sends hundreds of pages a second; at the default 100 points a second it
#: would be measuring the throttle, answered 429)
UNTHROTTLED = {"RETAILTWIN_COST_RESTORE_RATE": "1000000"}


def start_server(args: Sequence[str]) -> tuple[subprocess.Popen[bytes], str]:
    """`retailtwin serve ARGS` on a free loopback port, once it answers /healthz; its
    query-cost bucket never runs dry."""
    command = [sys.executable, "-m", "scenarios.cli", "serve", *args]
    return start(command, "/healthz", UNTHROTTLED)


def start_bare(page: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The bare strawberry app serving `page` on a free loopback port, once it answers."""
    command = [sys.executable, "-m", "benchmarks.bare_graphql", str(page)]
    return start(command, "/graphql?query=%7B__typename%7D")


def start(
    command: Sequence[str], ready: str, env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`command --host --port` on a free loopback port, once GET `ready` answers 200;
    `env` adds to this process's environment."""
    port = free_port()
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx2.get(f"{base}{ready}", timeout=2).status_code == 200:
                return server, base
        except httpx2.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
