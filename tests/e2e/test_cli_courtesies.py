"""The small courtesies of a command line: `--version`, and Ctrl-C that stops at once
with exit 130 and one line saying what was kept, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from cli_runner import retailtwin
from process_support import gone

from scenarios.reports.out_folder import HOLD_ENV


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


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_ctrl_c_while_the_read_model_is_written_ends_its_process_too(tmp_path: Path) -> None:
    """After the run, the read model's writer is a process of its own; Ctrl-C reaches
    both (the terminal signals the group), and only the first one answers it: exit
    130, the one line, and no helper left behind."""
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "scenarios.cli", "run", "steady-day", "--quiet",
         "--set", "scenario.scale=0.3", "--out", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, HOLD_ENV: "reports"},
    )  # fmt: skip
    assert process.stderr is not None
    held = process.stderr.readline()  # the run is over, the writer is writing
    assert "holding at reports" in held, held + process.communicate()[1]
    helpers = _children(process.pid)
    assert len(helpers) == 1, f"expected the writer (the page is drawn here), found {helpers}"
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("the run went on after Ctrl-C") from None
    assert process.returncode == 130, err
    assert err.strip().splitlines() == [
        f"retailtwin: interrupted (Ctrl-C): stopped before the end; {out} is as it was "
        "before this command (nothing half-written)"
    ]
    assert all(gone(pid, within_s=5) for pid in helpers), "a helper outlived the run"
    assert list(tmp_path.iterdir()) == []  # no folder, no staging, no lock
