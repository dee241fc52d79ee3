"""A finished run's read model, written next to its report: `retailtwin run --out DIR`
leaves DIR/read_model.sqlite, which `retailtwin serve --db DIR` serves read-only (once
`scenarios.reports.finished_folder` has found the folder complete).

A run against an external hub has no hub aggregates to project: its caller passes the
projector that rebuilds them from the systems' records (`scenarios.live.ground_projection`,
which this folder may not import; the command line may).

The run must have been made with a `TimelineRecorder` (the CLI passes one when `--out`
is given) for the orders' timelines; without one the timelines are empty and the rest is
complete.

One projection, two stores (`hub.adapters.read_model.writes`): the folder's new file is
written through sqlite3 (`RunFile`), without SQLAlchemy, and `write_finished_run` takes
the SQLAlchemy read model as well (tests write a finished run into a database URL,
PostgreSQL among them). Nothing here imports SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from hub.adapters.read_model.run_file import RunFile
from hub.adapters.read_model.writes import ReadModelWrites
from scenarios.checking import business_metrics, operations
from scenarios.checking.truth import Truth, gather
from scenarios.checking.verdict import Verdict
from scenarios.reports.out_folder import claimed
from scenarios.twin.projection.projector import Projector
from scenarios.twin.projection.read_model_file import READ_MODEL_FILE
from scenarios.twin.run_result import RunResult
from scenarios.twin.timeline import TimelineRecorder

T = TypeVar("T")


class NeedsALoop(RuntimeError):
    """A coroutine given to `without_a_loop` awaited something only an event loop
    finishes (a future, I/O): what writes a run's new file never does."""


def without_a_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end in this thread, with no event loop, and return what it
    returns. Writing a finished run's new file (`RunFile`) is async only to share the
    projection and its `ReadModelWrites` with the live twin's SQLAlchemy read model: it
    awaits nothing but the projection's hand-backs (`projector.hand_back`, a bare
    yield), so an event loop would only be made, run and closed around it, and asyncio
    imported for it (some 12 ms of CPU, in the run's process and again in the writer
    it forks, neither of which needs it otherwise). Anything else awaited raises
    `NeedsALoop`."""
    try:
        while True:
            awaited = coroutine.send(None)
            if awaited is not None:
                coroutine.close()
                raise NeedsALoop(f"{coroutine!r} awaited {awaited!r}, which needs an event loop")
    except StopIteration as done:
        returned: T = done.value
        return returned


async def write_finished_run(
    result: RunResult,
    verdict: Verdict,
    observer: TimelineRecorder | None,
    read_model: ReadModelWrites,
    truth: Truth | None = None,
    projector_type: type[Projector] | None = None,
    metrics: bytes | None = None,
) -> None:
    """The read model of a finished run into `read_model`, which is disposed of after:
    a folder's new file (`RunFile`, `write_read_model`) or a database
    (`ReadModel.open(url)`)."""
    try:
        await project_run(read_model, result, observer, projector_type)
        await write_run_documents(read_model, result, verdict, observer, truth, metrics)
        await read_model.hand_to_readers()
    finally:
        await read_model.dispose()


async def project_run(
    read_model: ReadModelWrites,
    result: RunResult,
    observer: TimelineRecorder | None,
    projector_type: type[Projector] | None = None,
) -> None:
    """The first part of a finished run's read model, and nearly all of it: the schema,
    the master data, every aggregate and the timeline. It needs the run alone, not its
    verdict, so `read_model_process` writes it while the run is judged. `projector_type`:
    what reads the run, the hub's own aggregates (`Projector`) when None."""
    await read_model.create_schema()
    projector = (projector_type or Projector)(result, read_model, observer)
    await projector.write_master_data()
    await projector.project()


async def write_run_documents(
    read_model: ReadModelWrites,
    result: RunResult,
    verdict: Verdict,
    observer: TimelineRecorder | None,
    truth: Truth | None = None,
    metrics: bytes | None = None,
) -> None:
    """The rest, once the run is judged: the operations snapshot, the run document
    (`serve --db` takes a read model only with it) and the metrics' document."""
    now = result.estate.now
    faults = operations.scheduled_faults(result, now)
    await read_model.put_document(
        "operations",
        operations.snapshot(
            result, observer, verdict, faults, channel_lags=verdict.metrics.get("sync_lag_s")
        ),
    )
    await read_model.put_document(
        "run", operations.run_document(result, "finished", True, 0.0, verdict)
    )
    if metrics is None:
        measured = business_metrics.document(
            result, gather(result) if truth is None else truth, final=True
        )
    else:
        measured = {business_metrics.DOCUMENT_KEY: metrics.decode("utf-8")}
    await read_model.put_document(business_metrics.DOCUMENT, measured)


def write_read_model(
    result: RunResult,
    verdict: Verdict,
    observer: TimelineRecorder | None,
    folder: Path,
    truth: Truth | None = None,
    projector_type: type[Projector] | None = None,
    metrics: bytes | None = None,
) -> Path:
    """Write FOLDER/read_model.sqlite, FOLDER being an output folder's staging folder
    (`scenarios.reports.out_folder`), through sqlite3 (`RunFile`), and return its path.
    `truth`: the run's, if gathered already; `projector_type`: what reads the run (the
    hub's aggregates when None); `metrics`: the run's metrics.prom text, if made already
    (the read model carries the same text for the API's /metrics)."""
    path = folder / READ_MODEL_FILE
    without_a_loop(
        write_finished_run(result, verdict, observer, RunFile(path), truth, projector_type, metrics)
    )
    return path


def write_run_read_model(
    result: RunResult, verdict: Verdict, observer: TimelineRecorder | None, out_dir: Path
) -> Path:
    """Publish OUT_DIR as a run folder holding the read model alone, the way `run --out`
    publishes one (claimed, staged, sealed, renamed into place), and return the read
    model's path: what the graph tests and `make bench-api` serve with `serve --db`."""
    with claimed(out_dir) as folder:
        write_read_model(result, verdict, observer, folder.staging)
        folder.publish("run")
    return folder.target / READ_MODEL_FILE
