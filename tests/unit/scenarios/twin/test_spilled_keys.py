"""The gateway's idempotency keys kept in the run's temporary file, a table per
generation: they answer as the keys kept in dicts do, across batch writes and windows,
and a generation forgotten takes its table with it."""

from __future__ import annotations

import random

import pytest

from scenarios.twin import record_spill
from scenarios.twin.record_spill import ANSWERS, RecordSpill
from simulators.key_memory import KeyMemory
from simulators.payment import Answer


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _tables(spill: RecordSpill) -> set[str]:
    rows = spill._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}


def test_keys_in_the_file_answer_as_keys_in_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Written in batches of one key, of five and of the default size."""
    for batch in (1, 5, record_spill.BATCH):
        monkeypatch.setattr(record_spill, "BATCH", batch)
        _the_same_answers(random.Random(batch))


def _the_same_answers(rng: random.Random) -> None:
    clock, spill = _Clock(), RecordSpill()
    in_file: KeyMemory[Answer] = KeyMemory(100.0, clock, lambda: spill.values(ANSWERS))
    in_dicts: KeyMemory[Answer] = KeyMemory(100.0, clock)
    answers: list[Answer] = [42, "ch_odd", (402, {"error": "card_declined"}), (200, {"id": 7})]
    for n in range(600):
        clock.now += rng.uniform(0.0, 2.0)
        key = f"auth:W-{rng.randrange(200):07d}"
        assert in_file.get(key) == in_dicts.get(key)
        if in_dicts.get(key) is None:
            answer = answers[n % len(answers)]
            in_file.put(key, answer)
            in_dicts.put(key, answer)
        assert len(in_file) == len(in_dicts)
    assert clock.now > 300.0  # several generations came and went
    # the current and the previous generation's tables, no more
    assert len(_tables(spill)) == 2


def test_a_window_with_nothing_kept_drops_both_generations() -> None:
    clock, spill = _Clock(), RecordSpill()
    memory: KeyMemory[Answer] = KeyMemory(100.0, clock, lambda: spill.values(ANSWERS))
    memory.put("cap:W-0000001", 1)
    clock.now = 150.0
    memory.put("cap:W-0000002", 2)
    clock.now = 350.0
    assert memory.get("cap:W-0000002") is None and memory.get("cap:W-0000001") is None
    assert len(memory) == 0 and len(_tables(spill)) == 1


def test_a_batch_run_keeps_the_gateways_keys_in_its_file() -> None:
    from scenarios.spec.loader import load_scenario
    from scenarios.twin.runtime import run

    result = run(load_scenario("steady-day", ["scenario.scale=0.02"]))
    memories = result.estate.payment._answers
    assert memories and all(
        isinstance(memory._current, record_spill.SqliteRecords) for memory in memories.values()
    )
    assert sum(len(memory) for memory in memories.values()) > 20
