"""Sweeps on a Dask cluster: each (variant, seed) run a task on `dask.distributed`.

A single SimPy run is one process by nature; a sweep is many independent runs, and
spreading them over machines is a solved problem: a Dask scheduler places tasks on
workers, moves a task whose worker died to another (up to the scheduler's
`allowed-failures`), and reports the rest. This module only adapts a sweep's jobs to
it, so `compare --cluster ADDRESS` gives what the local pool gives: the same progress
bars, the same outcomes in job order, the same digests.

Workers share no disk with the user's machine, so a task writes its run's reports into
a temporary folder on its worker and returns the files; the caller writes them into the
run's folder of the comparison being staged. Progress travels as Dask events (a
worker's `log_event`, the client's `subscribe_topic`), at most a few a second per run.
Before anything is submitted, every worker's code fingerprint must equal this
machine's (scenarios/experiments/code_identity.py).
"""

from __future__ import annotations

import queue
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scenarios.experiments import code_identity
from scenarios.experiments.pool import drain_progress
from scenarios.experiments.sweep import Job, JobOutcome, ProgressSink, run_job
from scenarios.spec.errors import ScenarioError

#: `--cluster local`: a LocalCluster of worker processes on this machine
LOCAL = "local"
#: how long to wait for a scheduler to answer, and for its first worker (default)
CONNECT_TIMEOUT_S = 15.0
#: a run sends its progress at most this often (seconds of wall time)
PROGRESS_EVERY_S = 0.25


class RunFailed(Exception):
    """A run that raised on its worker, or whose workers kept dying: named, not lost."""


@dataclass(frozen=True, slots=True)
class ClusterTarget:
    """Where a sweep runs: a scheduler's address, or a local cluster of `workers`."""

    address: str
    #: processes of a local cluster (ignored for a scheduler address)
    workers: int = 1
    #: how long to wait for the scheduler to answer, and again for a first worker
    timeout_s: float = CONNECT_TIMEOUT_S

    @property
    def local(self) -> bool:
        return self.address == LOCAL


@dataclass(frozen=True, slots=True)
class RemoteOutcome:
    """A job's outcome as it comes back from a worker: the files its run wrote too."""

    outcome: JobOutcome
    #: path relative to the run's folder -> content
    files: dict[str, bytes]


def parse_address(text: str) -> str:
    """`local`, or a scheduler address (`tcp://host:port`, or `host:port` for tcp)."""
    text = text.strip()
    if text == LOCAL:
        return text
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    host, colon, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls") or not colon or not host or not port.isdigit():
        raise ScenarioError(
            f"--cluster {text}: expected a Dask scheduler address such as "
            "tcp://10.0.0.5:8786 (or host:8786), or `local` for a cluster on this machine",
            field="--cluster",
        )
    return f"{scheme}://{host}:{port}"


@contextmanager
def connected(target: ClusterTarget) -> Iterator[Any]:
    """A client of the target's scheduler, its workers checked to run this code."""
    import dask
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        # a local cluster's workers log each cancelled task and slow shutdown as warnings
        # on this terminal; what goes wrong reaches the user as a RunFailed instead
        stack.enter_context(dask.config.set({"logging.distributed": "error"}))
        if target.local:
            cluster = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]  # distributed is untyped
                    n_workers=target.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    host="127.0.0.1",
                )
            )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        else:
            try:
                client = stack.enter_context(
                    Client(target.address, timeout=target.timeout_s)  # type: ignore[no-untyped-call]
                )
            except (OSError, TimeoutError) as exc:
                raise ScenarioError(
                    f"--cluster {target.address}: no Dask scheduler answered within "
                    f"{target.timeout_s:g} s ({exc}); start one with `dask scheduler` "
                    "and its workers with `dask worker ADDRESS --nthreads 1` (docs/cluster.md)",
                    field="--cluster",
                ) from None
        _check_workers(client, target)
        yield client


def _check_workers(client: Any, target: ClusterTarget) -> None:
    """At least one worker, and every worker's code this machine's."""
    address = target.address
    try:
        client.wait_for_workers(1, timeout=target.timeout_s)
    except TimeoutError:
        raise ScenarioError(
            f"--cluster {address}: the scheduler has no worker after "
            f"{target.timeout_s:g} s; start one with `dask worker {address} --nthreads 1`",
            field="--cluster",
        ) from None
    mine = code_identity.fingerprint()
    try:
        theirs: dict[str, str] = client.run(code_identity.fingerprint)
    except Exception as exc:  # a worker without retailtwin cannot even unpickle the call
        raise ScenarioError(
            f"--cluster {address}: a worker could not run retailtwin's code ({exc}); install "
            "this same commit on every worker (docs/cluster.md)",
            field="--cluster",
        ) from None
    different = sorted(worker for worker, print_ in theirs.items() if print_ != mine)
    if different:
        raise ScenarioError(
            f"--cluster {address}: {len(different)} worker(s) run different retailtwin code "
            f"than this machine ({', '.join(different)}: fingerprint "
            f"{theirs[different[0]]}, here {mine}); install this same commit on every worker, "
            "or their digests would not repeat (docs/cluster.md)",
            field="--cluster",
        )


def worker_count(client: Any) -> int:
    return len(client.scheduler_info().get("workers", {}))


def remote_job(job: Job, topic: str) -> RemoteOutcome:
    """Runs on a worker: the job with its reports written to a temporary folder there,
    returned as files, and its progress sent as events on `topic`."""
    from distributed import get_worker

    worker = get_worker()
    sent = [0.0]

    def progress(now: float, end: float) -> None:
        moment = time.monotonic()
        if moment - sent[0] >= PROGRESS_EVERY_S or now >= end:
            sent[0] = moment
            worker.log_event(topic, (job.index, now, end))

    with tempfile.TemporaryDirectory(prefix="retailtwin-run-") as scratch:
        here = None if job.out_dir is None else Path(scratch) / "run"
        if here is not None:
            here.mkdir()
        outcome = run_job(replace(job, out_dir=None if here is None else str(here)), progress)
        files = (
            {}
            if here is None
            else {
                path.relative_to(here).as_posix(): path.read_bytes()
                for path in sorted(here.rglob("*"))
                if path.is_file()
            }
        )
    return RemoteOutcome(replace(outcome, job=job), files)


def execute_on_cluster(
    client: Any, jobs: Sequence[Job], sink: ProgressSink | None = None
) -> list[JobOutcome]:
    """Every job as a task on the client's cluster; the outcomes in job order, each
    run's files written into its folder here."""
    topic = f"retailtwin-progress-{uuid.uuid4().hex}"
    events: queue.SimpleQueue[tuple[int, float, float]] = queue.SimpleQueue()
    client.subscribe_topic(topic, lambda event: events.put(event[1]))
    futures = {
        client.submit(remote_job, job, topic, key=f"{topic}-run-{job.index}", pure=False): job
        for job in jobs
    }
    outcomes: dict[int, JobOutcome] = {}
    pending = set(futures)
    try:
        while pending:
            done = _finished(pending)
            pending -= done
            drain_progress(events, sink)
            for future in done:
                outcome = _collect(future, futures[future])
                outcomes[outcome.job.index] = outcome
                if sink is not None:
                    sink.finished(outcome)
    except BaseException:
        client.cancel(list(pending))
        raise
    finally:
        client.unsubscribe_topic(topic)
    return [outcomes[job.index] for job in jobs]


def _finished(pending: set[Any]) -> set[Any]:
    """The futures done within a moment (none: Dask's `wait` says so by raising)."""
    from distributed import wait

    try:
        done, _ = wait(  # type: ignore[no-untyped-call]  # distributed is untyped
            pending, timeout=0.2, return_when="FIRST_COMPLETED"
        )
    except TimeoutError:
        return set()
    return set(done)


def _collect(future: Any, job: Job) -> JobOutcome:
    try:
        remote: RemoteOutcome = future.result()
    except Exception as exc:
        raise RunFailed(
            f"run {job.index + 1} ({' '.join(job.overrides) or 'as written'}, seed "
            f"{job.seed}) failed on the cluster: {type(exc).__name__}: {exc}"
        ) from exc
    if job.out_dir is not None:
        folder = Path(job.out_dir)
        for relative, content in remote.files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    return remote.outcome
