"""A read model database outlives the process that writes it: the same run projected
again after a restart (afresh, or over what is there) leaves the same rows, never a
duplicate key; another run's database is refused and left alone. On SQLite and on
PostgreSQL alike."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graph_support import OVERRIDES, SCENARIO
from read_model_support import finished_run, read, table_rows

from hub.adapters.read_model import ForeignRun, ReadModel, RunIdentity, RunStart, tables
from hub.adapters.read_model.records import IdempotencyRecord

ANSWER = IdempotencyRecord("key-1", "orderCreate", "hash", {"order": {"id": "W-0000001"}})


def _identity(**changes: Any) -> RunIdentity:
    fields = {
        "scenario": SCENARIO,
        "seed": finished_run().result.scenario.seed,
        "overrides": OVERRIDES,
        **changes,
    }
    return RunIdentity.of(**fields)


def _begin(url: str, identity: RunIdentity) -> RunStart:
    return read(url, lambda rm: rm.begin_run(identity))


def _counts(url: str) -> dict[str, int]:
    return {name: len(rows) for name, rows in read(url, table_rows).items()}


def test_a_restarted_run_is_projected_afresh_into_the_same_rows(database_url: str) -> None:
    run = finished_run()
    assert read(database_url, lambda rm: rm.identity()) is None  # not even a schema yet
    assert _begin(database_url, _identity()) is RunStart.NEW
    run.write(database_url)
    assert read(database_url, lambda rm: rm.put_idempotency(ANSWER))
    before = read(database_url, table_rows)
    assert len(before["orders"]) == len(run.result.estate.hub.ctx.orders)
    assert len(before["timeline"]) == len(run.timeline) > 0

    # the process dies; a new one opens the same database and begins the same run
    assert _begin(database_url, _identity()) is RunStart.RESTART
    cleared = _counts(database_url)
    assert cleared["run_identity"] == cleared["idempotency_keys"] == 1
    assert not any(cleared[t.name] for t in tables.run_tables()), cleared
    assert read(database_url, lambda rm: rm.document("run")) is None  # /healthz: starting
    run.write(database_url)
    assert read(database_url, table_rows) == before
    assert read(database_url, lambda rm: rm.identity()) == _identity()
    assert read(database_url, lambda rm: rm.idempotency(ANSWER.key)) == ANSWER


def test_projecting_a_run_over_its_own_rows_duplicates_nothing(database_url: str) -> None:
    """What a live twin restarted on its database did before it began runs afresh:
    every write again, the timeline's included (it failed on `timeline.seq`)."""
    run = finished_run()
    run.write(database_url)
    before = read(database_url, table_rows)
    run.write(database_url)
    assert read(database_url, table_rows) == before


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        pytest.param({"seed": 99}, "seed 1 (not 99)", id="seed"),
        pytest.param(
            {"scenario": "black-friday"}, "scenario steady-day (not black-friday)", id="scenario"
        ),
        pytest.param(
            {"overrides": ("scenario.scale=0.25",)},
            f"overrides [{', '.join(OVERRIDES)}] (not [scenario.scale=0.25])",
            id="overrides",
        ),
        pytest.param({"overrides": ()}, "(not none)", id="no-overrides"),
    ],
)
def test_another_runs_database_is_refused_naming_what_differs(
    database_url: str, changes: dict[str, Any], named: str
) -> None:
    assert finished_run().result.scenario.seed == 1
    _begin(database_url, _identity())
    finished_run().write(database_url)
    before = _counts(database_url)
    with pytest.raises(ForeignRun, match="the database holds another run: ") as refused:
        _begin(database_url, _identity(**changes))
    assert named in str(refused.value) and len(refused.value.differences) == 1
    assert _counts(database_url) == before


def test_a_database_with_rows_but_no_identity_is_refused(database_url: str) -> None:
    """A finished run's read model (`run --out`) says nothing of its run: a live twin
    must not take it over."""
    finished_run().write(database_url)
    before = _counts(database_url)
    with pytest.raises(ForeignRun, match="does not say which it is"):
        _begin(database_url, _identity())
    assert _counts(database_url) == before


def test_reset_clears_the_run_and_keeps_its_identity_and_answers(database_url: str) -> None:
    _begin(database_url, _identity())
    finished_run().write(database_url)
    read(database_url, lambda rm: rm.put_idempotency(ANSWER))
    read(database_url, lambda rm: rm.reset())
    counts = _counts(database_url)
    assert {name for name, count in counts.items() if count} == {
        "run_identity",
        "idempotency_keys",
    }
    assert _begin(database_url, _identity()) is RunStart.RESTART


def test_a_key_taken_by_a_racing_request_is_taken_once(database_url: str) -> None:
    """Two requests with one idempotency key, at once: one stores its answer, the other
    is told the key is taken (no duplicate-key error from the database)."""

    async def race(rm: ReadModel) -> list[bool]:
        await rm.create_schema()
        other = IdempotencyRecord(ANSWER.key, "orderCreate", "other", {"order": None})
        return list(await asyncio.gather(rm.put_idempotency(ANSWER), rm.put_idempotency(other)))

    assert sorted(read(database_url, race)) == [False, True]
    assert read(database_url, lambda rm: rm.put_idempotency(ANSWER)) is False
