"""The read model of `run --out DIR` written by a process of its own while this one
judges the run and writes the other files.

Writing read_model.sqlite is the largest part of what `--out` costs after the run
(steady-day: the projection of every aggregate and the timeline's rows into SQLite),
and nearly all of it needs the finished run alone, not its verdict
(`read_model.project_run`). So when the run ends, `run --out` forks a writer: being a
fork, it has the whole finished run in its own copy-on-write memory, nothing pickled.
It projects the run into STAGING/read_model.sqlite on the machine's other core while
this process gathers the truth, judges, prints the verdict and writes the other
files; then it receives the verdict and metrics.prom's text (a few hundred
kilobytes), writes the documents that depend on them (`read_model.write_run_documents`)
and answers. The file is written where the in-process writer writes it, into the
claimed folder's staging folder, so the folder's life (`out_folder`: claimed, written
aside, sealed, renamed into place) is unchanged, and its content is the same row for
row.

The writer follows the helpers' rules (`forked`): it never outlives the run (a thread
of it waits for the job on a pipe only this process writes, and ends the writer the
moment that pipe closes without a job, which is how it learns this process died), it
ignores Ctrl-C and is killed and reaped by this process on the way out (`writing_process`
is a context manager), and it does not keep the claim's lock. A failure in it is
raised here as `ReadModelWritingError` with its traceback: nothing is published.
Where there is no second core, or no `fork`, the read model is written in this
process when the verdict is handed over, as before (`InlineWriter`).

A process, not a thread of this one: the projection reads the run's spilled records
(`scenarios.twin.record_spill`) through the one sqlite3 connection this thread opened,
which sqlite3 refuses to any other thread (`ProgrammingError`); and with that connection
opened for any thread, a writer thread cost more CPU time than either the fork or this
process (it holds the GIL but for SQLite's own steps). The fork costs 0.05 s to 0.08 s of
CPU time more than writing in process (steady-day at full scale, compiled: its
copy-on-write, some 15,000 more page faults in the two processes) and saves the
writer's 0.3 s of wall time where a core is free (docs/reports.md, out24).

The file is written through the standard library's sqlite3 (`RunFile`, in
hub/adapters/read_model/run_file.py), not the read model's SQLAlchemy layer (some
0.3-0.45 s of CPU just to import, and its per-statement machinery on top): neither the
writer nor an `InlineWriter` imports SQLAlchemy or aiosqlite. This module imports even
the projection only where the file is written, in the writer, or here by an
`InlineWriter` once the run is over.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

from scenarios.reports import forked
from scenarios.twin.projection.read_model_file import READ_MODEL_FILE

if TYPE_CHECKING:
    from scenarios.checking.verdict import Verdict
    from scenarios.twin.projection.projector import Projector
    from scenarios.twin.run_result import RunResult
    from scenarios.twin.timeline import TimelineRecorder

#: set to anything to write the read model in process even with a second core
INLINE_ENV = "RETAILTWIN_READ_MODEL_INLINE"

#: what the writer makes, for its messages
_WHAT = f"writing {READ_MODEL_FILE}"


class ReadModelWritingError(RuntimeError):
    """The writing process failed or died: the read model was not written."""


class ReadModelWriter(Protocol):
    """Writes the read model of one finished run: `finish` hands over its verdict and
    metrics.prom's text and returns once the file is complete."""

    def finish(self, verdict: Verdict, metrics: bytes) -> None: ...


class InlineWriter:
    """The read model written in this process when `finish` is called."""

    def __init__(
        self,
        result: RunResult,
        observer: TimelineRecorder | None,
        folder: Path,
        projector_type: type[Projector] | None,
    ) -> None:
        self._result = result
        self._observer = observer
        self._folder = folder
        self._projector_type = projector_type

    def finish(self, verdict: Verdict, metrics: bytes) -> None:
        from scenarios.reports.read_model import write_read_model  # the projection

        write_read_model(
            self._result,
            verdict,
            self._observer,
            self._folder,
            projector_type=self._projector_type,
            metrics=metrics,
        )


class ForkedWriter:
    """The read model written by a child forked when the run ended (`writing_process`)."""

    def __init__(self, helper: forked.Helper) -> None:
        self.pid = helper.pid
        self._helper = helper

    def finish(self, verdict: Verdict, metrics: bytes) -> None:
        """Send the verdict and the metrics' text, wait for the writer to finish;
        ReadModelWritingError if it failed or died. The job may be larger than the
        pipe holds: the write returns once the writer, done projecting, has read it,
        and this process has nothing else to do by then."""
        job = pickle.dumps((verdict, metrics), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with os.fdopen(self._helper.take_jobs(), "wb") as pipe:
                pipe.write(job)
        except BrokenPipeError:
            pass  # the writer died: its (missing) answer says so
        raw = forked.read_all(self._helper.take_answers())
        status = self._helper.reap()
        ok, value = forked.answer(raw, self.pid, status, _WHAT)
        if not ok:
            raise ReadModelWritingError(f"{_WHAT} failed in its process:\n{value}")

    @property
    def cpu_s(self) -> float:
        """The CPU seconds the writer spent, once `finish` has returned."""
        return self._helper.cpu_s

    @property
    def minor_faults(self) -> int:
        """The writer's minor page faults, once `finish` has returned."""
        return self._helper.minor_faults

    def close(self) -> None:
        """Kill the writer unless it has answered, reap it, and close the pipes."""
        self._helper.close()


@contextmanager
def writing_process(
    result: RunResult,
    observer: TimelineRecorder | None,
    folder: Path,
    projector_type: type[Projector] | None = None,
) -> Iterator[ReadModelWriter]:
    """A writer of FOLDER/read_model.sqlite for the finished `result`, for the block: a
    forked process that starts projecting at once, where there is a second core and
    `fork`; else one that writes in process. Leaving the block ends the process
    (killed if it has not answered), so call it inside the claim of FOLDER's output
    folder: the writer is gone before the staging folder is removed."""
    if not forked.can_fork(INLINE_ENV):
        yield InlineWriter(result, observer, folder, projector_type)
        return
    if projector_type is None:  # the writer projects the hub's own aggregates
        _read_once_for_both(result)
    writer = ForkedWriter(
        forked.fork_helper(partial(_writer_main, result, observer, folder, projector_type))
    )
    try:
        yield writer
    finally:
        writer.close()


def _read_once_for_both(result: RunResult) -> None:
    """The hub's archived orders and returns read back once, before the fork, for both
    processes (`AggregateBook.read_once`): the writer's projection scans them all and
    the checks here look each order up by key (`checking.hub_orders`) and scan the
    returns, each decoding its own copies otherwise. Steady-day's 2,229 orders: a
    scan of some 14 ms to 20 ms, where the look-ups alone took some 24 ms more than
    reading held orders (compiled)."""
    ctx = result.estate.hub.ctx
    ctx.orders.read_once()
    ctx.returns.read_once()


class _Job:
    """The verdict and metrics text, read by a thread of the writer while it projects;
    the pipe closing with no job means the parent died, and the writer ends at once."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._raw = b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        self._raw = forked.read_all(self._fd)
        if not self._raw:
            forked.leave(1)  # the parent is gone: nobody will publish what is written

    def get(self) -> tuple[Verdict, bytes]:
        self._thread.join()
        verdict, metrics = pickle.loads(self._raw)
        return verdict, metrics


def _writer_main(
    result: RunResult,
    observer: TimelineRecorder | None,
    folder: Path,
    projector_type: type[Projector] | None,
    jobs: int,
    answers: int,
) -> NoReturn:
    """The writing process: project the run, wait for the verdict, write the rest,
    answer, leave (`forked.serve`)."""
    forked.serve(
        jobs, answers, lambda: _write(result, observer, folder, projector_type, _Job(jobs))
    )


def _write(
    result: RunResult,
    observer: TimelineRecorder | None,
    folder: Path,
    projector_type: type[Projector] | None,
    job: _Job,
) -> None:
    """`read_model.write_finished_run` in two steps, with the wait for the verdict
    between them, into one new file (`RunFile`, sqlite3: no SQLAlchemy in this process),
    on no event loop (`read_model.without_a_loop`: nor asyncio)."""
    from hub.adapters.read_model.run_file import RunFile
    from scenarios.reports.read_model import project_run, without_a_loop, write_run_documents

    # the file is in the staging folder: written once (`read_model.write_read_model`)
    read_model = RunFile(folder / READ_MODEL_FILE)
    try:
        without_a_loop(project_run(read_model, result, observer, projector_type))
        verdict, metrics = job.get()
        without_a_loop(write_run_documents(read_model, result, verdict, observer, metrics=metrics))
        without_a_loop(read_model.hand_to_readers())
    finally:
        without_a_loop(read_model.dispose())
