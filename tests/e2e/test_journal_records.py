"""The simulated journal writes a message, an answer and a timer to its log only when a
record of 128 is full (scenarios/twin/hub_store.py), holding the payload by reference
until then. That is the log a commit writes only if nothing changes a payload once it
is committed: the hub handles it after its commit (write-ahead), and the simulators and
the network share the dicts they send. A change made in that window would reach the log
and a replay silently. Here every entry is also encoded the moment it is committed, and
the log read back at the end of whole runs must be those entries, one for one."""

from __future__ import annotations

from typing import Any

import pytest

import scenarios.twin.hub_process as hub_process
from hub.durability.entries import Answered, Body, Entry, Operated, Received, TimerFired
from scenarios.spec.loader import load_scenario
from scenarios.twin.hub_store import SimJournalStore, decode, encode
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True


class _EagerCopy(SimJournalStore):
    """The store the run uses, also keeping each entry encoded as it is committed."""

    __slots__ = ("at_commit",)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.at_commit: list[bytes | Entry] = []

    def commit_received(self, source: str, message_id: int, payload: Body, at: float) -> None:
        self.at_commit.append(encode(Received(source, message_id, payload, at)))
        super().commit_received(source, message_id, payload, at)

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        self.at_commit.append(encode(Answered(system, call_id, status, body, at)))
        super().commit_answered(system, call_id, status, body, at)

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        self.at_commit.append(encode(TimerFired(timer, at)))
        super().commit_timer(timer, at)


@pytest.mark.parametrize(
    "name", ["steady-day", "marketplace-settlement", "returns-wave", "estate-peak-weekday"]
)
def test_no_payload_changes_between_its_commit_and_its_record(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub_process, "SimJournalStore", _EagerCopy)
    result = run(load_scenario(name, ("scenario.scale=0.05",)))
    store = result.estate.hub_process.store
    assert isinstance(store, _EagerCopy)
    committed = [decode(stored) for stored in store.at_commit]
    assert len(committed) > 500  # the run's inputs passed through the fields' path
    logged = [entry for entry in store.entries() if not isinstance(entry, Operated)]
    assert logged == committed
