"""A run records its deliveries as tuples (`TimelineRow`), one per delivery, and the read
model writes them as they are (hub/adapters/read_model/bulk.py `insert_tuples`): the
tuple's order must be the record's, and rows read back must be the records written."""

from __future__ import annotations

import asyncio
from dataclasses import astuple, fields
from pathlib import Path

import pytest

from hub.adapters.read_model import ReadModel, sqlite_url
from hub.adapters.read_model.records import (
    TIMELINE_FIELDS,
    TIMELINE_ORDER_ID,
    TIMELINE_WIDTH,
    TimelineRecord,
    TimelineRow,
)
from hub.adapters.read_model.writes import timeline_rows
from scenarios.twin import timeline


def test_a_row_holds_the_record_fields_in_their_order() -> None:
    assert tuple(f.name for f in fields(TimelineRecord)) == TIMELINE_FIELDS
    assert TIMELINE_FIELDS[TIMELINE_ORDER_ID] == "order_id"
    # the recorder's flat entries (`drain_fields`) are rows of this width
    assert TIMELINE_WIDTH == len(TIMELINE_FIELDS) == timeline._WIDTH


ROWS: list[TimelineRow] = [
    (1, "ORD-1", "", 10.0, 9.5, "storefront", "hub", "order.created", 7, False, "placed"),
    (2, "ORD-1", "RMA-1", 12.0, 11.0, "hub", "erp", "return", 8, True, "request"),
]


async def written_and_read(path: Path) -> dict[str, list[TimelineRecord]]:
    read_model = ReadModel.open(sqlite_url(path))
    try:
        await read_model.create_schema()
        await read_model.append_timeline_fields([value for row in ROWS for value in row])
        await read_model.append_timeline(ROWS[1:])  # again: overwritten, not doubled
        return await read_model.timeline_by_order(["ORD-1"])
    finally:
        await read_model.dispose()


def test_rows_written_read_back_as_the_records(tmp_path: Path) -> None:
    found = asyncio.run(written_and_read(tmp_path / "timeline.sqlite"))
    assert [astuple(record) for record in found["ORD-1"]] == ROWS
    assert found["ORD-1"][1].duplicate is True


def test_flat_values_are_cut_into_whole_rows_or_refused() -> None:
    flat = [value for row in ROWS for value in row]
    assert timeline_rows(flat) == ROWS
    with pytest.raises(ValueError):
        timeline_rows(flat[:-1])


def test_the_recorder_hands_its_entries_flat_once() -> None:
    recorder = timeline.TimelineRecorder()
    recorder.entries = list(ROWS)
    assert timeline_rows(recorder.drain_fields()) == ROWS
    assert recorder.drain_fields() == [] and recorder.drain() == []
