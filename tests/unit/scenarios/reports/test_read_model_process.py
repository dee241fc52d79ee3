"""The read model written by a forked process (`scenarios.reports.read_model_process`):
the file is the one written in process, row for row; a failure there is raised here
with its traceback; and the writer never outlives the process that started it, never
answers Ctrl-C, and never keeps the `--out` claim's lock."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import cast

import pytest
from process_support import forks, gone
from read_model_file_support import dump

from scenarios.checking.truth import gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.reports.metrics_file import metrics_text
from scenarios.reports.out_folder import claimed
from scenarios.reports.read_model_process import (
    ForkedWriter,
    InlineWriter,
    ReadModelWritingError,
    writing_process,
)
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.projector import Projector
from scenarios.twin.projection.read_model_file import READ_MODEL_FILE
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

pytestmark = forks

SCENARIO = "steady-day"
OVERRIDES = ("scenario.scale=0.05", "scenario.duration=2h")


@cache
def _finished() -> tuple[RunResult, TimelineRecorder, Verdict, bytes]:
    observer = TimelineRecorder()
    result = run(load_scenario(SCENARIO, OVERRIDES), observer=observer)
    truth = gather(result)
    verdict = judge(result, SCENARIO, OVERRIDES, truth)
    return result, observer, verdict, metrics_text(result, truth)


def test_the_forked_read_model_is_the_one_written_in_process(tmp_path: Path) -> None:
    result, observer, verdict, metrics = _finished()
    (tmp_path / "inline").mkdir()
    (tmp_path / "forked").mkdir()
    InlineWriter(result, observer, tmp_path / "inline", Projector).finish(verdict, metrics)
    with writing_process(result, observer, tmp_path / "forked") as writer:
        assert isinstance(writer, ForkedWriter)
        assert writer.pid != os.getpid()
        writer.finish(verdict, metrics)
        # reaped: what it spent is known (`benchmarks.out_parts` reports both)
        assert writer.cpu_s > 0 and writer.minor_faults > 0
    inline = dump(tmp_path / "inline" / READ_MODEL_FILE)
    assert any(line.startswith("documents [('str', 'run')") for line in inline)
    assert dump(tmp_path / "forked" / READ_MODEL_FILE) == inline
    for written in ("inline", "forked"):  # written without a journal, handed over in WAL
        assert sorted(p.name for p in (tmp_path / written).iterdir()) == [READ_MODEL_FILE]
        assert _journal_mode(tmp_path / written / READ_MODEL_FILE) == "wal"


def _journal_mode(path: Path) -> str:
    """The journal mode recorded in the file, read without changing it."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        mode: str = db.execute("PRAGMA journal_mode").fetchone()[0]
        return mode
    finally:
        db.close()


def test_a_failure_while_writing_is_raised_here_with_its_traceback(tmp_path: Path) -> None:
    result, observer, _, metrics = _finished()
    failed = pytest.raises(ReadModelWritingError, match="failed in its process:\nTraceback")
    with writing_process(result, observer, tmp_path) as writer, failed:
        writer.finish(cast(Verdict, "not a verdict"), metrics)


def test_a_writer_that_dies_is_named_not_waited_for(tmp_path: Path) -> None:
    result, observer, verdict, metrics = _finished()
    with writing_process(result, observer, tmp_path) as writer:
        assert isinstance(writer, ForkedWriter)
        os.kill(writer.pid, signal.SIGKILL)
        with pytest.raises(ReadModelWritingError, match="without answering \\(killed by signal 9"):
            writer.finish(verdict, metrics)


def test_ctrl_c_is_left_to_this_process_and_the_block_ends_the_writer(tmp_path: Path) -> None:
    result, observer, verdict, metrics = _finished()
    (tmp_path / "a").mkdir()
    with writing_process(result, observer, tmp_path / "a") as writer:
        assert isinstance(writer, ForkedWriter)
        os.kill(writer.pid, signal.SIGINT)  # the terminal sends it to both
        writer.finish(verdict, metrics)
    with writing_process(result, observer, tmp_path) as unused:
        assert isinstance(unused, ForkedWriter)
        pid = unused.pid
    assert gone(pid), "the writer outlived the block that started it"


def test_the_writer_does_not_hold_the_claim_of_the_out_folder(tmp_path: Path) -> None:
    result, observer, verdict, metrics = _finished()
    with claimed(tmp_path / "out") as folder:
        lock = os.path.realpath(tmp_path / ".out.lock")
        with writing_process(result, observer, folder.staging) as writer:
            assert isinstance(writer, ForkedWriter)
            deadline = time.monotonic() + 30
            while not (folder.staging / READ_MODEL_FILE).exists():  # it is writing by now
                assert time.monotonic() < deadline, "the writer never started"
                time.sleep(0.01)
            held = {os.path.realpath(fd) for fd in Path(f"/proc/{writer.pid}/fd").iterdir()}
            assert lock not in held, "a killed parent's claim would live on in the writer"
            writer.finish(verdict, metrics)
        folder.publish("run")
    assert (tmp_path / "out" / READ_MODEL_FILE).is_file()


KILLS_ITSELF = """
import os, signal, sys, time
from pathlib import Path
from scenarios.reports.read_model_process import writing_process
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder
observer = TimelineRecorder()
result = run(load_scenario("steady-day", ("scenario.scale=0.05",)), observer=observer)
with writing_process(result, observer, Path(sys.argv[2])) as writer:
    print(writer.pid, flush=True)
    time.sleep(float(sys.argv[1]))
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("projecting", [True, False], ids=["while projecting", "while waiting"])
def test_the_writer_ends_when_the_process_that_started_it_is_killed(
    tmp_path: Path, projecting: bool
) -> None:
    starter = subprocess.run(
        [sys.executable, "-c", KILLS_ITSELF, "0" if projecting else "3", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert starter.returncode == -signal.SIGKILL, starter.stderr
    assert gone(int(starter.stdout.split()[0])), "the writer outlived a killed parent"
