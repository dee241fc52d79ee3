"""Bad input to `run --hub` and `hub serve` is refused with exit 2 and a message naming
what was wrong, before any wall-clock time is spent; a hub that refuses everything is a
finding of the run (exit 1, its unacknowledged messages counted), not a crash of it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import RetailtwinStarted, retailtwin, started_with_no_hub
from external_support import (
    finish_run,
    free_port,
    hub_process,
    reference_hub_command,
    start_run,
)


def test_speed_without_a_hub_is_refused() -> None:
    done = retailtwin("run", "steady-day", "--speed", "100")
    assert done.returncode == 2
    assert "--speed needs --hub URL" in done.stderr


def test_a_hub_url_that_is_not_http_is_refused() -> None:
    done = retailtwin("run", "steady-day", "--hub", "ftp://example.org")
    assert done.returncode == 2
    assert "expected the hub's base URL, as http://HOST:PORT" in done.stderr


def test_a_speed_of_zero_is_refused() -> None:
    done = retailtwin("run", "steady-day", "--hub", "http://127.0.0.1:9", "--speed", "0")
    assert done.returncode == 2
    assert "expected a positive number" in done.stderr


def test_a_hub_crash_fault_needs_the_built_in_hub() -> None:
    done = retailtwin("run", "hub-crash", "--hub", "http://127.0.0.1:9")
    assert done.returncode == 2
    assert "faults[0]: a hub/crash fault needs the built-in hub" in done.stderr


def test_an_unknown_defect_is_refused_with_the_known_ones() -> None:
    done = retailtwin("hub", "serve", "--defect", "nope")
    assert done.returncode == 2
    assert "unknown defect 'nope'; expected one of" in done.stderr
    assert "ack_then_drop" in done.stderr


def test_a_hub_that_refuses_everything_is_a_finding(tmp_path: Path) -> None:
    port = free_port()
    refusing = [sys.executable, str(Path(__file__).with_name("refusing_hub.py")), str(port)]
    with hub_process(refusing, port, tmp_path / "hub.log") as url:
        short_day = ("scenario.duration=1h", "scenario.drain=30m")
        out = tmp_path / "out"
        # nothing here is judged against the clock (what was refused is counted), so
        # four times the judged runs' speed: about 9 s of wall clock, not 30
        run = finish_run(start_run("steady-day", url, out, *short_day, speed=1800.0), out)
    assert run.returncode == 1, run.output
    assert "Traceback" not in run.output
    # no feed ever reached the channels, so they sold nothing online; the stores did,
    # and their takings never reached the ERP
    assert "money_balances" in run.failed(), run.failed()
    link = run.report["metrics"]["external_hub"]
    assert link["webhooks_unacknowledged_end"] > 0
    assert link["webhooks_refused"] >= link["webhooks_unacknowledged_end"]
    assert link["webhooks_delivered"] == 1  # day.closing: it takes only the twin's own


def test_ctrl_c_stops_the_day_with_exit_130(tmp_path: Path) -> None:
    port = free_port()
    with hub_process(reference_hub_command(port), port, tmp_path / "hub.log") as url:
        process = start_run("steady-day", url, tmp_path / "out", speed=100.0)
        time.sleep(4)
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError("the run went on after Ctrl-C") from None
    assert process.returncode == 130, output
    assert "interrupted: the day was stopped, nothing was judged or written" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()


def test_a_taken_backends_port_is_named() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = retailtwin(
            "run", "steady-day", "--hub", "http://127.0.0.1:9", "--backends-port", str(port)
        )
    assert done.returncode == 2, done.stderr
    assert f"--backends-port {port}: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module", autouse=True)
def not_there() -> Iterator[tuple[str, RetailtwinStarted]]:
    """`run --hub` at a port nobody listens on, started with the module: the run waits
    for the hub while the tests before its own run."""
    with started_with_no_hub(lambda url: ("run", "steady-day", "--hub", url)) as started:
        yield started


# last in the module: its run was started with the module and has waited meanwhile
def test_a_hub_that_is_not_there_is_named_and_nothing_runs(
    not_there: tuple[str, RetailtwinStarted],
) -> None:
    url, started = not_there
    done, took_s = started.finish(timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"the hub at {url} did not acknowledge day.started" in done.stderr
    assert "Traceback" not in done.stderr
    assert took_s < 60
