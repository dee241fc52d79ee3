"""`run --out`'s steps once the day has run (`run_output.judge_and_write`): the read
model's writer is forked only once the run is judged, so that judging does not copy on
write the pages it shares with the writer, and the folder it leaves is the one the
same steps leave with the read model written in process."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from process_support import forks
from read_model_file_support import dump
from rich.console import Console

from scenarios.cli import run_output
from scenarios.reports import read_model_process
from scenarios.reports.out_folder import claimed
from scenarios.reports.page_process import drawing_process
from scenarios.reports.read_model_process import INLINE_ENV, ForkedWriter
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.read_model_file import READ_MODEL_FILE
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

pytestmark = forks

SCENARIO = "steady-day"
OVERRIDES = ["scenario.scale=0.05", "scenario.duration=2h"]


def _write_folder(out: Path, events: list[str] | None = None) -> type[Any]:
    """One run of SCENARIO, then `judge_and_write` into OUT's staging folder, published
    as `run --out` publishes it; returns the type of the writer it used."""
    observer = TimelineRecorder()
    result = run(load_scenario(SCENARIO, OVERRIDES), observer=observer)
    args = argparse.Namespace(scenario=SCENARIO, overrides=OVERRIDES, seed=None)
    with drawing_process() as drawer, claimed(out) as folder:
        _, writer = run_output.judge_and_write(
            result, args, Console(quiet=True), observer, folder.staging, drawer
        )
        folder.publish("run")
    if events is not None:
        events.append("files written")
    return type(writer)


def test_the_writer_is_forked_once_the_verdict_is_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    forking = read_model_process.writing_process
    printing = run_output.print_verdict

    @contextmanager
    def noted_writing(*args: Any, **kwargs: Any) -> Iterator[Any]:
        events.append("writer forked")
        with forking(*args, **kwargs) as writer:
            yield writer

    def noted_printing(*args: Any, **kwargs: Any) -> None:
        events.append("verdict printed")
        printing(*args, **kwargs)

    monkeypatch.delenv(INLINE_ENV, raising=False)
    monkeypatch.setattr(read_model_process, "writing_process", noted_writing)
    monkeypatch.setattr(run_output, "print_verdict", noted_printing)
    writer = _write_folder(tmp_path / "out", events)
    assert writer is ForkedWriter
    assert events == ["verdict printed", "writer forked", "files written"]


def test_the_folder_is_the_one_written_with_the_read_model_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(INLINE_ENV, raising=False)
    assert _write_folder(tmp_path / "forked") is ForkedWriter
    monkeypatch.setenv(INLINE_ENV, "1")
    _write_folder(tmp_path / "inline")
    forked, inline = tmp_path / "forked", tmp_path / "inline"
    assert dump(forked / READ_MODEL_FILE) == dump(inline / READ_MODEL_FILE)
    for name in ("report.html", "metrics.prom"):
        assert (forked / name).read_bytes() == (inline / name).read_bytes()
