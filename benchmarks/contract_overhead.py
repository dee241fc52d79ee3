"""`make bench`: what the contract costs, the same reduced day in process and through
the reference hub over HTTP.

The in-process run is the floor, measured in the same process just before: the hub's
decisions are the same code in both, so whatever the HTTP run costs beyond it is the
contract (JSON, HTTP on loopback, validation, the webhook broker, a second process).
Two figures for each: hub calls per wall second (messages the hub took, calls it made
and feeds it published; a wall-clock run is paced by `--speed`, so this is the rate the
run was asked for, not a ceiling), and CPU seconds per network delivery, counting both
processes for the HTTP run, which is the cost that does not depend on the pace. Their
ratio is the contract's overhead. Both runs are judged: a figure from a failing run
would measure a hub that did not do the work.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from scenarios.checking.verdict import judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.external.wall_run import WallClockRun, run_against_hub
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

SCENARIO = "steady-day"
OVERRIDES = ("scenario.scale=0.1",)
SPEED = 2000.0


@dataclass(frozen=True, slots=True)
class Figures:
    wall_seconds: float
    cpu_seconds: float
    hub_calls: int
    deliveries: int
    passed: bool

    @property
    def calls_per_wall_second(self) -> float:
        return self.hub_calls / self.wall_seconds

    @property
    def cpu_ms_per_delivery(self) -> float:
        return 1000.0 * self.cpu_seconds / self.deliveries


def _figures(result: RunResult, cpu_seconds: float) -> Figures:
    seal = result.seal
    passed = judge(result, SCENARIO, OVERRIDES).passed
    return Figures(seal.wall_seconds, cpu_seconds, seal.hub_calls, seal.deliveries, passed)


def in_process() -> Figures:
    scenario = load_scenario(SCENARIO, OVERRIDES)
    started = time.process_time()
    with collector_tuned_for_simulation():
        result = run(scenario)
    return _figures(result, time.process_time() - started)


def _cpu_of(pid: int) -> float:
    """User and system CPU seconds of another process so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def through_reference_hub(speed: float) -> Figures:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hub = subprocess.Popen(
        [sys.executable, "-m", "scenarios.cli", "hub", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_listening(port)
        scenario = load_scenario(SCENARIO, OVERRIDES)
        hub_before, started = _cpu_of(hub.pid), time.process_time()
        how = WallClockRun(f"http://127.0.0.1:{port}", speed)
        result = asyncio.run(run_against_hub(scenario, how))
        cpu = time.process_time() - started + _cpu_of(hub.pid) - hub_before
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=30)
    return _figures(result, cpu)


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"the reference hub never listened on port {port}") from None
            time.sleep(0.1)


def report(floor: Figures, http: Figures, speed: float) -> str:
    rows = [
        ("", "in process", f"reference hub at {speed:g}x"),
        ("passed", str(floor.passed), str(http.passed)),
        ("wall seconds", f"{floor.wall_seconds:.2f}", f"{http.wall_seconds:.1f}"),
        ("hub calls", f"{floor.hub_calls:,}", f"{http.hub_calls:,}"),
        (
            "hub calls per wall second",
            f"{floor.calls_per_wall_second:,.0f}",
            f"{http.calls_per_wall_second:,.0f}",
        ),
        ("CPU seconds", f"{floor.cpu_seconds:.2f}", f"{http.cpu_seconds:.2f}"),
        (
            "CPU ms per network delivery",
            f"{floor.cpu_ms_per_delivery:.3f}",
            f"{http.cpu_ms_per_delivery:.3f}",
        ),
    ]
    width = max(len(row[0]) for row in rows)
    lines = [f"contract overhead: {SCENARIO} {' '.join(OVERRIDES)}"]
    lines += [f"  {a:<{width}}  {b:>12}  {c:>24}" for a, b, c in rows]
    ratio = http.cpu_ms_per_delivery / floor.cpu_ms_per_delivery
    lines.append(f"  the contract costs {ratio:.1f}x the in-process CPU per network delivery")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=SPEED, help="the HTTP run's speed")
    args = parser.parse_args(argv)
    print("running in process, then through the reference hub...", file=sys.stderr)
    floor = in_process()
    http = through_reference_hub(args.speed)
    print(report(floor, http, args.speed))
    return 0 if floor.passed and http.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
