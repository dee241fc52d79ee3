"""`retailtwin compare --cluster`: a sweep on a real Dask cluster, started as a user would
start one across machines (`dask scheduler`, then `dask worker ADDRESS` processes), here
on loopback. Its runs are the runs a single process makes (the same digests); a worker
killed while it runs a job has that job finished by another; the run folders it writes
are sealed and replayable; bad addresses, a scheduler that is not there and --jobs beside
a remote cluster are refused with exit 2 before any run."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
from cli_runner import retailtwin
from external_support import free_port

from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: each run's settings: a tenth of steady-day's orders for six hours, a fraction of a
#: second of CPU on a worker
RUN = ("scenario.scale=0.1", "scenario.duration=6h")
#: the runs of the test that kills a worker mid-run: a whole day at full scale, about a
#: second of CPU each, so that a worker is seen busy with one long before the sweep ends
#: (with `RUN`'s, a worker's first run could be over before its CPU time had climbed)
LONG_RUN = ("scenario.scale=1", "scenario.duration=24h")


def _sweep(run: tuple[str, ...] = RUN) -> tuple[str, ...]:
    """The sweep every test runs: 2 variants x 2 seeds of `run`."""
    settings = [arg for setting in run for arg in ("--set", setting)]
    return ("steady-day", *settings, "--vary", "hub.sync=event,batch:15m", "--seeds", "2")


DASK = [sys.executable, "-m", "dask"]


@dataclass
class Cluster:
    address: str
    workers: list[subprocess.Popen[bytes]]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A scheduler and two single-threaded workers without nannies (a killed worker
    stays dead, as a lost machine does), each logging to a file."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    with ExitStack() as stack:
        processes: list[subprocess.Popen[bytes]] = []
        stack.callback(_stop, processes)
        scheduler = _start(
            [*DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port)],
            tmp_path / "scheduler.log",
            processes,
        )
        workers = [
            _start(
                [*DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--name", f"w{n}"],
                tmp_path / f"worker-{n}.log",
                processes,
            )
            for n in (1, 2)
        ]
        _wait_for_workers(tmp_path / "scheduler.log", 2, scheduler)
        yield Cluster(address, workers)


def _start(
    command: list[str], log: Path, processes: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=log.parent)
    processes.append(process)
    return process


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Killed outright: a throwaway cluster has nothing to hand over."""
    for process in processes:
        process.kill()
        process.wait()


def _wait_for_workers(log: Path, count: int, scheduler: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert scheduler.poll() is None, log.read_text()
        if log.read_text().count("Register worker") >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"{count} workers did not register in 60 s:\n{log.read_text()}")


def _compare(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return retailtwin("compare", *_sweep(), "--quiet", "--no-run-html", "--out", str(out), *args)


def _digests(out: Path) -> dict[tuple[str, int], str]:
    comparison: dict[str, Any] = json.loads((out / "compare.json").read_text())
    return {
        (variant["label"], row["seed"]): row["digest"]
        for variant in comparison["variants"]
        for row in variant["runs"]
    }


def _direct(label: str, seed: int, settings: tuple[str, ...] = RUN) -> str:
    """The digest of the same run made in this process."""
    return run(load_scenario("steady-day", (*settings, label), seed)).seal.digest


def test_a_sweep_on_the_cluster_is_the_sweep_a_single_process_makes(
    cluster: Cluster, tmp_path: Path
) -> None:
    out = tmp_path / "on-cluster"
    result = _compare(out, "--cluster", cluster.address)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"on the Dask cluster at {cluster.address} (2 workers" in result.stdout
    digests = _digests(out)
    assert len(digests) == 4
    for (label, seed), digest in digests.items():
        assert digest == _direct(label, seed), (label, seed)
    # each run's folder came back from its worker whole: sealed, and replayable here
    run_dirs = sorted(out.glob("runs/*/seed-*"))
    assert len(run_dirs) == 4
    for run_dir in run_dirs:
        assert {p.name for p in run_dir.iterdir()} >= {"report.json", "junit.xml", "manifest.json"}
    replayed = retailtwin("replay", str(run_dirs[0]), "--quiet")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "SAME" in replayed.stdout


def test_a_worker_killed_mid_run_has_its_run_finished_by_another(
    cluster: Cluster, tmp_path: Path
) -> None:
    out = tmp_path / "survivor"
    sweep = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scenarios.cli",
            "compare",
            *_sweep(LONG_RUN),
            "--quiet",
            "--no-run-html",
            "--out",
            str(out),
            "--cluster",
            cluster.address,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = [psutil.Process(worker.pid) for worker in cluster.workers]
    idle = [worker.cpu_times().user for worker in workers]
    deadline = time.monotonic() + 60
    # kill the first worker seen busy with a run (its CPU time climbing), whichever the
    # scheduler gave a run first
    victim = None
    while victim is None:
        assert time.monotonic() < deadline, "no worker started a run"
        assert sweep.poll() is None, sweep.communicate()
        busy = [w for w, was in zip(workers, idle, strict=True) if w.cpu_times().user - was >= 0.3]
        victim = busy[0] if busy else None
        time.sleep(0.05)
    victim.kill()
    stdout, stderr = sweep.communicate(timeout=300)
    assert sweep.returncode == 0, stdout + stderr
    digests = _digests(out)
    assert len(digests) == 4
    for (label, seed), digest in digests.items():
        assert digest == _direct(label, seed, LONG_RUN), (label, seed)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--cluster", "http://nowhere"), "--cluster http://nowhere: expected a Dask scheduler"),
        (("--cluster", "tcp://127.0.0.1:1", "--jobs", "2"), "--jobs 2: the workers of the cluster"),
        (
            ("--cluster", "tcp://127.0.0.1:1", "--cluster-timeout", "2"),
            "--cluster tcp://127.0.0.1:1: no Dask scheduler answered within 2 s",
        ),
    ],
)
def test_a_cluster_that_cannot_be_used_is_refused_before_any_run(
    tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    out = tmp_path / "refused"
    result = _compare(out, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_local_cluster_runs_the_same_sweep(tmp_path: Path) -> None:
    out = tmp_path / "local"
    result = _compare(out, "--cluster", "local", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "on a local Dask cluster of 2 workers" in result.stdout
    for (label, seed), digest in _digests(out).items():
        assert digest == _direct(label, seed), (label, seed)
