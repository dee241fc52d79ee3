"""What `compare --cluster` refuses before a run, and how a failed task is named:
addresses, a cluster without workers, workers running other code, a run that raised."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios.experiments import cluster, code_identity
from scenarios.experiments.sweep import Job
from scenarios.spec.errors import ScenarioError


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("local", "local"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("tls://scheduler.example:8786", "tls://scheduler.example:8786"),
    ],
)
def test_addresses_a_user_writes_are_read(text: str, address: str) -> None:
    assert cluster.parse_address(text) == address


@pytest.mark.parametrize("text", ["http://host:8786", "host", "tcp://host:port", "tcp://:8786"])
def test_an_address_dask_cannot_reach_is_refused_by_name(text: str) -> None:
    with pytest.raises(ScenarioError, match=f"--cluster {text}: expected a Dask scheduler"):
        cluster.parse_address(text)


class FakeClient:
    def __init__(self, prints: dict[str, str] | Exception, workers: bool = True) -> None:
        self._prints = prints
        self._workers = workers

    def wait_for_workers(self, n: int, timeout: float) -> None:
        if not self._workers:
            raise TimeoutError

    def run(self, function: Any) -> dict[str, str]:
        if isinstance(self._prints, Exception):
            raise self._prints
        return self._prints


TARGET = cluster.ClusterTarget("tcp://10.0.0.5:8786", timeout_s=2)


def test_workers_running_this_code_are_taken() -> None:
    mine = code_identity.fingerprint()
    cluster._check_workers(FakeClient({"tcp://a:1": mine, "tcp://b:1": mine}), TARGET)


def test_a_worker_running_other_code_is_named() -> None:
    mine = code_identity.fingerprint()
    client = FakeClient({"tcp://a:1": mine, "tcp://b:1": "0123456789abcdef"})
    with pytest.raises(ScenarioError, match=r"1 worker\(s\) run different .*tcp://b:1"):
        cluster._check_workers(client, TARGET)


def test_a_worker_without_retailtwin_is_refused() -> None:
    client = FakeClient(ModuleNotFoundError("No module named 'scenarios'"))
    with pytest.raises(ScenarioError, match="could not run retailtwin's code"):
        cluster._check_workers(client, TARGET)


def test_a_scheduler_without_workers_is_refused_after_the_timeout() -> None:
    with pytest.raises(ScenarioError, match="has no worker after 2 s"):
        cluster._check_workers(FakeClient({}, workers=False), TARGET)


def test_the_fingerprint_is_stable_and_covers_the_dependencies(monkeypatch: Any) -> None:
    before = code_identity.fingerprint()
    assert before == code_identity.fingerprint()  # stable
    monkeypatch.setattr(code_identity, "_DEPENDENCIES", ("simpy",))
    assert code_identity.fingerprint() != before


class FailedFuture:
    def result(self) -> Any:
        raise RuntimeError("boom")


def test_a_run_that_failed_on_its_worker_is_named_not_lost() -> None:
    job = Job(2, 1, "steady-day", ("hub.sync=batch:15m",), 7)
    with pytest.raises(cluster.RunFailed, match=r"run 3 \(hub.sync=batch:15m, seed 7\) failed"):
        cluster._collect(FailedFuture(), job)
