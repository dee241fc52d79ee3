"""A read model replaces an aggregate's rows by deleting them first, except in a table
its own `create_schema` just made (hub/adapters/read_model/store.py `_replace`): a
finished run's new file has nothing to delete. Every later write, and every write to a
file that already had the table, still replaces: the rows are never duplicated."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from hub.adapters.read_model import ReadModel, sqlite_url, tables
from hub.adapters.read_model.records import ChannelAvailabilityRecord


def row(view: int) -> ChannelAvailabilityRecord:
    return ChannelAvailabilityRecord("SKU-1", "web", "", 5, view, 10.0, 20.0)


async def views(read_model: ReadModel) -> list[int]:
    async with read_model.engine.connect() as conn:
        found = await conn.execute(select(tables.channel_availability.c.channel_view))
        return [value for (value,) in found]


async def write_twice_then_reopen(path: Path) -> list[list[int]]:
    seen = []
    for views_written in ((1, 2), (3,)):  # a new file, then the same file opened again
        read_model = ReadModel.open(sqlite_url(path))
        try:
            await read_model.create_schema()
            for view in views_written:
                await read_model.write_availability([row(view)])
                seen.append(await views(read_model))
        finally:
            await read_model.dispose()
    return seen


def test_a_new_table_is_written_without_deletes_and_replaced_after(tmp_path: Path) -> None:
    seen = asyncio.run(write_twice_then_reopen(tmp_path / "fresh.sqlite"))
    # the second write over the store's own rows, and the write after reopening the
    # file, replace the one row (a duplicate would break the primary key)
    assert seen == [[1], [2], [3]]
