"""The local process pool a sweep runs on: workers forked from a parent that has already
imported everything a run needs.

A sweep's runs are CPU-bound and independent, so N cores should give nearly N times
the throughput. Spawned workers gave 1.40x on 2 cores (issue 18): each spent about
1.9 s importing the twin before its first run, in parallel with the other's, and that
start-up was a third of a small sweep. Forked from a parent that imported the runtime
once, a worker starts in milliseconds with the modules already in memory (shared
copy-on-write).

Forking a process that runs other threads can deadlock the child on a lock some thread
held at that moment, so the pool forks its workers when it is entered, and the callers
enter it before they start threads of their own (the progress bars): the parent is
single-threaded at that moment. When it is not (a caller running sweeps from threads),
or on a platform where fork is unsafe (macOS), the pool falls back to spawning.
Workers report simulated-time progress on a queue the parent drains.
"""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing.context import BaseContext
from queue import Empty
from types import TracebackType
from typing import Any

from scenarios.experiments.sweep import Job, JobOutcome, ProgressSink, run_job

#: the modules `run_job` imports when it first runs, imported by the parent before forking
RUN_MODULES = (
    "scenarios.checking.truth",
    "scenarios.checking.verdict",
    "scenarios.reports.manifest",
    "scenarios.reports.metrics_file",
    "scenarios.reports.run_files",
    "scenarios.reports.series",
    "scenarios.twin.runtime",
)


def start_method() -> str:
    """`fork` where it is safe now (Linux, this process single-threaded), else `spawn`."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


class LocalPool:
    """`workers` processes, started when entered; `run` gives them a sweep's jobs."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.start_method = start_method()
        context: BaseContext = multiprocessing.get_context(self.start_method)
        self._queue: Any = context.Queue()
        self._context = context
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalPool:
        if self.start_method == "fork":
            for module in RUN_MODULES:
                importlib.import_module(module)
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(self._queue,),
        )
        # with fork, the first submit forks every worker: now, before any thread starts
        self._executor.submit(_ready).result()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=error is None, cancel_futures=error is not None)

    def run(self, jobs: Sequence[Job], sink: ProgressSink | None = None) -> list[JobOutcome]:
        """Every job on the pool's workers; the outcomes in job order."""
        assert self._executor is not None, "enter the pool before running jobs on it"
        outcomes: dict[int, JobOutcome] = {}
        pending: set[Future[JobOutcome]] = {self._executor.submit(_pool_job, j) for j in jobs}
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            drain_progress(self._queue, sink)
            for future in done:
                outcome = future.result()
                outcomes[outcome.job.index] = outcome
                if sink is not None:
                    sink.finished(outcome)
        return [outcomes[job.index] for job in jobs]


_QUEUE: Any = None


def _init_worker(queue: Any) -> None:
    global _QUEUE
    _QUEUE = queue


def _ready() -> bool:
    return True


def _pool_job(job: Job) -> JobOutcome:
    queue = _QUEUE

    def progress(now: float, end: float) -> None:
        queue.put((job.index, now, end))

    return run_job(job, progress)


def drain_progress(queue: Any, sink: ProgressSink | None) -> None:
    """Pass every (job, now, end) progress report waiting on `queue` to `sink`: a
    multiprocessing queue here, a plain one for a Dask cluster's events (cluster.py)."""
    while True:
        try:
            index, now, end = queue.get_nowait()
        except Empty:
            return
        if sink is not None:
            sink.advanced(index, now, end)


def execute(
    jobs: Sequence[Job], workers: int, sink: ProgressSink | None = None
) -> list[JobOutcome]:
    """Every job, `workers` at a time (1: one after another in this process), the
    outcomes in job order. A caller that draws progress from a thread of its own enters
    a `LocalPool` before starting it and calls `pool.run` (scenarios/cli/compare.py)."""
    if workers <= 1 or len(jobs) <= 1:
        return run_inline(jobs, sink)
    with LocalPool(min(workers, len(jobs))) as pool:
        return pool.run(jobs, sink)


def run_inline(jobs: Sequence[Job], sink: ProgressSink | None = None) -> list[JobOutcome]:
    """Every job one after another in this process."""
    outcomes = []
    for job in jobs:

        def progress(now: float, end: float, index: int = job.index) -> None:
            if sink is not None:
                sink.advanced(index, now, end)

        outcome = run_job(job, progress)
        outcomes.append(outcome)
        if sink is not None:
            sink.finished(outcome)
    return outcomes
