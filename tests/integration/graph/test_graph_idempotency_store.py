"""The store of idempotency answers is bounded: answers past their expiry are dropped,
and past the most it keeps the oldest go, in the transaction that stores a new one. On
SQLite and on PostgreSQL alike."""

from __future__ import annotations

from read_model_support import read

from hub.adapters.read_model import ReadModel
from hub.adapters.read_model.records import IdempotencyRecord


def _answer(key: str, stored_at: float) -> IdempotencyRecord:
    return IdempotencyRecord(key, "orderCreate", "hash", {"id": key}, stored_at)


async def _keys(read_model: ReadModel, names: list[str]) -> list[str]:
    found = [await read_model.idempotency(name) for name in names]
    return [record.key for record in found if record is not None]


def test_expired_answers_go_and_the_store_keeps_at_most_its_maximum(database_url: str) -> None:
    names = [f"key-{i}" for i in range(6)]

    async def go(read_model: ReadModel) -> tuple[list[str], list[str], IdempotencyRecord | None]:
        await read_model.create_schema()
        for i, name in enumerate(names[:4]):
            assert await read_model.put_idempotency(_answer(name, 100.0 + i))
        # a new answer at 200: the ones stored before 101.5 have expired
        await read_model.put_idempotency(_answer(names[4], 200.0), expire_before=101.5)
        after_expiry = await _keys(read_model, names)
        # at most three kept: the oldest goes
        await read_model.put_idempotency(_answer(names[5], 201.0), max_keys=3)
        bounded = await _keys(read_model, names)
        return after_expiry, bounded, await read_model.idempotency(names[5])

    after_expiry, bounded, newest = read(database_url, go)
    assert after_expiry == ["key-2", "key-3", "key-4"]
    assert bounded == ["key-3", "key-4", "key-5"]
    assert newest == _answer("key-5", 201.0)
