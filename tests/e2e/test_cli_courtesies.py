"""The small courtesies of a command line: `--version`, and Ctrl-C that stops at once
with exit 130 and one line saying what was kept, never a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from cli_runner import retailtwin


def test_version_names_the_release_and_what_digests_depend_on() -> None:
    done = retailtwin("--version")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith("retailtwin 0.") and "Python 3.11" in line and "SimPy 4." in line


def _interrupt_a_run(words: list[str]) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "scenarios.cli", *words],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6)  # loaded and simulating: black-friday at 0.3 takes far longer
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the run went on after Ctrl-C") from None
    return subprocess.CompletedProcess(words, process.returncode, out, err)


def test_ctrl_c_during_a_run_keeps_the_earlier_out_folder_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = retailtwin(
        "run", "steady-day", "--quiet", "--set", "scenario.scale=0.02",
        "--set", "scenario.duration=2h", "--out", str(out),
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    done = _interrupt_a_run(
        ["run", "black-friday", "--quiet", "--set", "scenario.scale=0.3", "--out", str(out)]
    )
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert lines == [
        f"retailtwin: interrupted (Ctrl-C): stopped before the end; {out} is as it was "
        "before this command (nothing half-written)"
    ], done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no staging left


def test_ctrl_c_during_a_run_without_out_says_nothing_was_written() -> None:
    done = _interrupt_a_run(["run", "black-friday", "--quiet", "--set", "scenario.scale=0.3"])
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == [
        "retailtwin: interrupted (Ctrl-C): stopped before the end; nothing was written"
    ]
