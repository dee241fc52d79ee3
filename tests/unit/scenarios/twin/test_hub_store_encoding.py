"""What the simulated journal keeps of each entry: bytes for the log's file, so the
day's inputs are not held in memory, operator actions included (the start of day's
stock load carries every position of the estate); only what cannot be written at all
is kept as it is."""

from __future__ import annotations

from hub.durability.entries import Operated, OperatorAction, Received
from hub.messages import StockReport
from scenarios.twin.hub_store import decode, encode


def test_the_stock_load_is_written_as_bytes_and_read_back_equal() -> None:
    reports = tuple(StockReport(f"SKU-{i}", "DC-N", i, 0, 0.0) for i in range(1000))
    entry = Operated(OperatorAction.LOAD_STOCK, (reports,), 0.0)
    stored = encode(entry)
    assert isinstance(stored, bytes)
    back = decode(stored)
    assert back == entry
    assert isinstance(back, Operated)
    assert all(isinstance(report, StockReport) for report in back.args[0])


def test_a_message_is_written_as_bytes_and_read_back_equal() -> None:
    entry = Received("web", 7, {"order_id": "W-1", "lines": [["SKU-1", 2]]}, 12.5)
    stored = encode(entry)
    assert isinstance(stored, bytes)
    assert decode(stored) == entry


def test_an_entry_holding_what_cannot_be_written_is_kept_as_it_is() -> None:
    entry = Operated(OperatorAction.END_OF_DAY, (lambda: None,), 0.0)
    assert encode(entry) is entry
    assert decode(entry) is entry
