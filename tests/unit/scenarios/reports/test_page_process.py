"""report.html drawn in a forked process (`scenarios.reports.page_process`), when
asked for: `run --out` draws it in process. The page is the one drawn in process,
byte for byte; a failure there is raised here with its
traceback; and the drawing process never outlives the one that started it, whether
that one leaves the block, is interrupted, or is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from functools import cache
from typing import cast

import pytest
from process_support import forks, gone

from scenarios.checking.truth import gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.reports.page_process import (
    FORKED_ENV,
    ForkedDrawer,
    InlineDrawer,
    PageDrawingError,
    drawing_process,
)
from scenarios.reports.run_page import run_page
from scenarios.reports.series import RunSeries, extract
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

pytestmark = forks

SCENARIO = "steady-day"
OVERRIDES = ("scenario.scale=0.05", "scenario.duration=2h")


@cache
def _judged() -> tuple[Verdict, RunSeries]:
    result = run(load_scenario(SCENARIO, OVERRIDES))
    truth = gather(result)
    verdict = judge(result, SCENARIO, OVERRIDES, truth)
    return verdict, extract(result, truth, verdict.scenario)


def test_the_forked_page_is_the_page_drawn_in_process() -> None:
    verdict, series = _judged()
    inline = InlineDrawer()
    inline.send_series(series)
    inline.send_verdict(verdict)
    with drawing_process(fork=True) as drawer:
        assert isinstance(drawer, ForkedDrawer)
        assert drawer.pid != os.getpid()
        drawer.send_series(series)  # the charts are drawn from here on
        assert drawer.series_sent
        drawer.send_verdict(verdict)
        page = drawer.page()
    assert page.startswith("<!DOCTYPE html>")
    assert page == inline.page()
    assert page == run_page(verdict, series)


def test_the_page_is_drawn_in_process_unless_a_forked_drawer_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`run --out` draws the page in its own process (less CPU time in all); the
    environment variable asks for the forked drawer, to compare."""
    monkeypatch.delenv(FORKED_ENV, raising=False)
    with drawing_process() as drawer:
        assert isinstance(drawer, InlineDrawer)
    monkeypatch.setenv(FORKED_ENV, "1")
    with drawing_process() as drawer:
        assert isinstance(drawer, ForkedDrawer)
    with drawing_process(fork=False) as drawer:
        assert isinstance(drawer, InlineDrawer)


def test_the_verdict_cannot_go_before_the_series() -> None:
    verdict, _ = _judged()
    with drawing_process(fork=True) as drawer:
        assert not drawer.series_sent
        with pytest.raises(PageDrawingError, match="the series goes first"):
            drawer.send_verdict(verdict)
        with pytest.raises(PageDrawingError, match="no run was sent"):
            drawer.page()


def test_a_drawer_left_waiting_for_the_verdict_ends_with_the_block() -> None:
    _, series = _judged()
    with drawing_process(fork=True) as drawer:
        assert isinstance(drawer, ForkedDrawer)
        pid = drawer.pid
        drawer.send_series(series)  # then the judging fails: no verdict comes
    assert gone(pid), "the drawer outlived the block that started it"


def test_a_failure_while_drawing_is_raised_here_with_its_traceback() -> None:
    verdict, _ = _judged()
    with drawing_process(fork=True) as drawer:
        drawer.send_series(cast(RunSeries, "not a series"))
        drawer.send_verdict(verdict)
        with pytest.raises(PageDrawingError, match="failed in its process:\nTraceback"):
            drawer.page()


def test_a_drawer_that_dies_is_named_not_waited_for() -> None:
    verdict, series = _judged()
    with drawing_process(fork=True) as drawer:
        assert isinstance(drawer, ForkedDrawer)
        os.kill(drawer.pid, signal.SIGKILL)
        drawer.send_series(series)
        drawer.send_verdict(verdict)
        with pytest.raises(PageDrawingError, match="ended without it \\(killed by signal 9\\)"):
            drawer.page()


def test_ctrl_c_is_left_to_this_process_and_the_block_ends_the_drawer() -> None:
    verdict, series = _judged()
    with drawing_process(fork=True) as drawer:
        assert isinstance(drawer, ForkedDrawer)
        os.kill(drawer.pid, signal.SIGINT)  # the terminal sends it to both
        drawer.send_series(series)
        drawer.send_verdict(verdict)
        assert "<svg" in drawer.page()
    with drawing_process(fork=True) as unused:
        assert isinstance(unused, ForkedDrawer)
        pid = unused.pid
    assert gone(pid), "the drawer outlived the block that started it"


KILLS_ITSELF = """
import os, signal, sys, time
from scenarios.reports.page_process import drawing_process
with drawing_process(fork=True) as drawer:
    print(drawer.pid, flush=True)
    time.sleep(float(sys.argv[1]))
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("importing", [True, False], ids=["while importing", "while waiting"])
def test_the_drawer_ends_when_the_process_that_started_it_is_killed(importing: bool) -> None:
    starter = subprocess.run(
        [sys.executable, "-c", KILLS_ITSELF, "0" if importing else "3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert starter.returncode == -signal.SIGKILL, starter.stderr
    assert gone(int(starter.stdout.split()[0])), "the drawer outlived a killed parent"
