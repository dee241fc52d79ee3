"""External hubs as real processes on loopback, and scenarios run against them with
`retailtwin run --hub`, several side by side: each run waits mostly on the wall clock,
so a module starts them together and judges them as they finish."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from run_priority import popen_ahead

#: simulated seconds per wall second in the tests: steady-day's 30 hours in about four
#: minutes. At 600x, 60 simulated seconds of sync lag are 100 wall ms for the broker,
#: the hub and its publish, and five runs side by side on two cores came within 3% of
#: that SLA on a quiet machine (erp-outage, 62.4 s): 450x gives them 133 ms
TEST_SPEED = 450.0
#: the reduced scale every external run in `make test` uses
TEST_SCALE = "scenario.scale=0.1"

#: the scale the judged runs use: enough movements for the sync-lag p95 to stand clear
#: of the network faults' tail (tests/e2e/test_external_hub.py)
JUDGED_SCALE = "scenario.scale=0.25"
#: the judged runs' speed. They share two cores with the unit and scenario tests
#: (tests/head_start.py) and with each other, and want the CPU together when
#: erp-outage drains its backlog. At 300x a simulated minute of sync lag was 200 wall ms:
#: a clean-clone CI run at 1,257 s (where 900 s is usual: a loaded machine) saw
#: steady-day's p95 at 368.6 s against 60, and the set run beside another set (load 12
#: to 26) failed erp-outage and duplicate-storm, their twins 24 wall seconds behind. At
#: 200x a simulated minute is 300 wall ms and the runs want a third less CPU a wall
#: second: the five days and the two controls (then both at a tenth of the scale, on the
#: morning) beside three benchmarking helpers (load 10 to 14) passed with sync-lag p95s
#: of 5.9 to 13.2 s, no twin more than 0.22 s behind, in 555 s and 431 s of CPU (0.78 of
#: a core). steady-day's 30 hours take nine minutes, which the modules ordered before
#: theirs cover (tests/head_start.py)
JUDGED_SPEED = 200.0


def node() -> str:
    """Node.js, for the minimal example hub: a missing one fails, never skips."""
    found = shutil.which("node")
    assert found is not None, (
        "the minimal example hub needs node (Node.js 20 or later) on PATH, as Hive "
        "Gateway's tests do: install Debian's nodejs package"
    )
    return found


def run_node_module_driver(folder: Path, source: str, module: Path) -> Any:
    """Run `source`, a Node.js script whose `%s` is the module under test's file URL,
    from `folder`, and return the JSON it prints last: how the example hub's modules
    are tested on their own, without a twin."""
    script = folder / "driver.mjs"
    script.write_text(source % json.dumps(module.as_uri()))
    done = subprocess.run([node(), str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: the minimal example hub (Node.js, no retailtwin code)
EXAMPLE_HUB = Path(__file__).parents[1] / "examples" / "minimal-hub" / "hub.mjs"


def minimal_hub_command(port: int) -> list[str]:
    """The minimal example hub listening on `port` (needs node on PATH)."""
    return [node(), str(EXAMPLE_HUB), "--port", str(port)]


def reference_hub_command(port: int, *defects: str) -> list[str]:
    words = [sys.executable, "-m", "scenarios.cli", "hub", "serve", "--port", str(port)]
    for defect in defects:
        words += ["--defect", defect]
    return words


@contextmanager
def hub_process(
    command: Sequence[str], port: int, log: Path, *, ahead: bool = False
) -> Iterator[str]:
    """Start a hub (any program listening on `port`), wait until it accepts
    connections, yield its base URL; stop it afterwards. `ahead`: a judged run's hub,
    started ahead of the machine's other work (tests/run_priority.py)."""
    with log.open("w") as out:
        if ahead:
            process = popen_ahead(command, stdout=out, stderr=subprocess.STDOUT)
        else:
            process = subprocess.Popen(
                list(command), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (
                f"{command[0]} exited with {process.returncode}: {log.read_text()[-2000:]}"
            )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{' '.join(command)} never listened on {port}"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True, slots=True)
class ExternalRun:
    """A finished `retailtwin run --hub`: its exit code, output and report.json."""

    returncode: int
    output: str
    report: dict[str, Any]
    #: the run's --out folder
    out: Path

    def invariant(self, name: str) -> dict[str, Any]:
        return next(row for row in self.report["invariants"] if row["name"] == name)

    def failed(self) -> list[str]:
        rows = self.report["invariants"] + self.report["sla"]
        return [row["name"] for row in rows if row["passed"] is False]


def start_run(
    scenario: str,
    hub_url: str,
    out: Path,
    *overrides: str,
    speed: float = TEST_SPEED,
    scale: str = TEST_SCALE,
    log: Path | None = None,
    ahead: bool = False,
) -> subprocess.Popen[str]:
    """`retailtwin run --hub` started; its output on a pipe, or in `log` for a run that
    is finished (`finish_run`) long after it started, so a full pipe never holds it.
    `ahead`: a judged run, started ahead of the machine's other work
    (tests/run_priority.py)."""
    words = [sys.executable, "-m", "scenarios.cli", "run", scenario, "--quiet"]
    for override in (scale, *overrides):
        words += ["--set", override]
    words += ["--hub", hub_url, "--speed", f"{speed:g}", "--out", str(out)]
    with ExitStack() as files:
        output = subprocess.PIPE if log is None else files.enter_context(log.open("w"))
        if ahead:
            return popen_ahead(words, stdout=output, stderr=subprocess.STDOUT, text=True)
        return subprocess.Popen(words, stdout=output, stderr=subprocess.STDOUT, text=True)


def finish_run(
    process: subprocess.Popen[str],
    out: Path,
    timeout: float = 600,
    log: Path | None = None,
    report: str = "report.json",
) -> ExternalRun:
    """The run waited for, with the JSON it wrote in `out` (`report`: the file's name)."""
    output, _ = process.communicate(timeout=timeout)
    if log is not None:
        output = log.read_text()
    return _finished(process.returncode, output, out, report)


def _finished(returncode: int, output: str, out: Path, report: str) -> ExternalRun:
    report_file = out / report
    assert report_file.is_file(), f"no {report} (exit {returncode}):\n{output}"
    return ExternalRun(returncode, output, json.loads(report_file.read_text()), out)


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """One run of a set started side by side: the command that starts its hub on a
    port, and the scenario to run against it."""

    hub: Callable[[int], list[str]]
    scenario: str
    overrides: tuple[str, ...] = ()
    speed: float = TEST_SPEED
    scale: str = TEST_SCALE
    #: a run of its own instead of `retailtwin run`: the command, given the hub's URL
    #: and the output folder, and the JSON file it writes there
    command: Callable[[str, Path], list[str]] | None = None
    report: str = "report.json"


class SideBySide:
    """Plans started side by side: each plan's hub, then its run, one plan after the
    other (their start-ups do not all land at once), each process ahead of the
    machine's other work (tests/run_priority.py). `finish` waits for the runs in the
    same order and gives them by name; `close` kills a run still going and stops every
    hub. Started when made, so a session can start the runs long before their tests
    (tests/head_start.py). `record_exits`: each run's exit code is also written to
    `<name>.exit` in `base` as it ends, so another process can judge the runs
    (`finished_elsewhere`: pytest-xdist's other workers, tests/workers.py)."""

    def __init__(
        self, base: Path, plans: Mapping[str, PlannedRun], record_exits: bool = False
    ) -> None:
        self._hubs = ExitStack()
        self._watchers: list[threading.Thread] = []
        #: name -> (the run, its output folder, its log, its JSON's name)
        self._started: dict[str, tuple[subprocess.Popen[str], Path, Path, str]] = {}
        self._finished: dict[str, ExternalRun] | None = None
        try:
            for name, plan in plans.items():
                port = free_port()
                url = self._hubs.enter_context(
                    hub_process(plan.hub(port), port, base / f"{name}-hub.log", ahead=True)
                )
                out, log = base / name, base / f"{name}-run.log"
                if plan.command is None:
                    process = start_run(
                        plan.scenario,
                        url,
                        out,
                        *plan.overrides,
                        speed=plan.speed,
                        scale=plan.scale,
                        log=log,
                        ahead=True,
                    )
                else:
                    with log.open("w") as output:
                        process = popen_ahead(
                            plan.command(url, out),
                            stdout=output,
                            stderr=subprocess.STDOUT,
                            text=True,
                        )
                self._started[name] = (process, out, log, plan.report)
                if record_exits:
                    watcher = threading.Thread(
                        target=_record_exit, args=(process, _exit_file(base, name)), daemon=True
                    )
                    watcher.start()
                    self._watchers.append(watcher)
        except BaseException:
            self.close()
            raise

    def finish(self) -> dict[str, ExternalRun]:
        """Every run, finished: waited for the first time, the same ones after."""
        if self._finished is None:
            finished = {
                name: finish_run(process, out, log=log, report=report)
                for name, (process, out, log, report) in self._started.items()
            }
            self._finished = finished
        return self._finished

    def wait(self, timeout: float) -> None:
        """Wait up to `timeout` wall seconds in all for the runs to end by themselves
        (another process may be judging them), their exits recorded."""
        deadline = time.monotonic() + timeout
        for watcher in self._watchers:
            watcher.join(max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        """Kill a run a failure left behind, stop every hub; again does nothing."""
        for process, *_ in self._started.values():
            if process.poll() is None:
                process.kill()
                process.communicate()
        self._hubs.close()


def _exit_file(base: Path, name: str) -> Path:
    return base / f"{name}.exit"


def _record_exit(process: subprocess.Popen[str], file: Path) -> None:
    """Wait for `process`, then write its exit code to `file`: whole or not at all (a
    reader polls for the file)."""
    code = process.wait()
    partial = file.with_name(f"{file.name}.partial")
    partial.write_text(f"{code}\n")
    partial.replace(file)


def finished_elsewhere(
    base: Path, plans: Mapping[str, PlannedRun], timeout: float
) -> dict[str, ExternalRun]:
    """The runs another process started in `base` (`SideBySide(..., record_exits=True)`),
    each waited for until its exit is recorded, then read from the files it left; a run
    not ended within `timeout` wall seconds in all fails the test, naming it."""
    deadline = time.monotonic() + timeout
    finished: dict[str, ExternalRun] = {}
    for name, plan in plans.items():
        exit_file = _exit_file(base, name)
        while not exit_file.is_file():
            assert time.monotonic() < deadline, (
                f"the run {name!r} started in {base} had not ended after {timeout:.0f} s"
            )
            time.sleep(1.0)
        output = (base / f"{name}-run.log").read_text()
        finished[name] = _finished(int(exit_file.read_text()), output, base / name, plan.report)
    return finished


@contextmanager
def runs_side_by_side(
    base: Path, plans: Mapping[str, PlannedRun]
) -> Iterator[dict[str, ExternalRun]]:
    """`SideBySide` as a block: the runs finished, yielded by name; every hub stays up
    until the block ends."""
    runs = SideBySide(base, plans)
    try:
        yield runs.finish()
    finally:
        runs.close()
