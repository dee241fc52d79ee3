"""What the simulated journal keeps of each entry: bytes for the log's file, so the
day's inputs are not held in memory, operator actions included (the start of day's
stock load carries every position of the estate); only what cannot be written at all
is kept as it is."""

from __future__ import annotations

from collections.abc import Callable

import simpy

from hub.durability.entries import Answered, Entry, Operated, OperatorAction, Received, TimerFired
from hub.messages import StockReport
from scenarios.twin.hub_store import _BATCH, SimJournalStore, decode, encode
from simulators import erp_stock, stock_table


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


def _committed(commit: Callable[[SimJournalStore], None]) -> list[Entry]:
    store = SimJournalStore(simpy.Environment(), 0.0)
    commit(store)
    entries = list(store.entries())
    store.close()
    return entries


def test_a_message_answer_and_timer_committed_by_their_fields_read_back_as_their_entries() -> None:
    payload = {"order_id": "W-1", "lines": [["SKU-1", 2]]}
    received = Received("web", 7, payload, 12.5)
    answered = Answered("erp", 9, 201, {"doc": "SO-1"}, 13.0)
    fired = TimerFired(("call_retry", 9), 14.0)
    assert _committed(lambda store: store.commit_received("web", 7, payload, 12.5)) == [received]
    assert _committed(
        lambda store: store.commit_answered("erp", 9, 201, {"doc": "SO-1"}, 13.0)
    ) == [answered]
    assert _committed(lambda store: store.commit_timer(("call_retry", 9), 14.0)) == [fired]
    # the same entries as the entry encoded: a log reads back whichever way it was
    # written (the bytes may differ in marshal's format 4 flag marking an object held
    # elsewhere, which depends on how many hold it, not on what it is)
    with_entry = SimJournalStore(simpy.Environment(), 0.0)
    with_fields = SimJournalStore(simpy.Environment(), 0.0)
    for entry in (received, answered, fired):
        with_entry.commit_at_once(entry)
    with_fields.commit_received("web", 7, payload, 12.5)
    with_fields.commit_answered("erp", 9, 201, {"doc": "SO-1"}, 13.0)
    with_fields.commit_timer(("call_retry", 9), 14.0)
    assert list(with_entry.entries()) == list(with_fields.entries())
    with_entry.close()
    with_fields.close()


def test_fields_marshal_cannot_write_are_pickled_or_kept_as_they_are() -> None:
    class Note:  # a class pickle can find by name at module level only: kept as it is
        pass

    kept_payload = {"note": Note()}
    [kept] = _committed(lambda store: store.commit_received("web", 1, kept_payload, 1.0))
    assert isinstance(kept, Received) and kept.payload is kept_payload
    report = StockReport("SKU-1", "DC-N", 3, 0, 0.0)
    [pickled] = _committed(lambda store: store.commit_answered("wms", 2, 200, {"r": report}, 2.0))
    assert pickled == Answered("wms", 2, 200, {"r": report}, 2.0)
    assert pickled.body["r"] is not report


def test_a_payload_repeating_an_object_reads_back_equal() -> None:
    """marshal's format 4 writes an object held twice once, then a reference to it."""
    line = {"sku": "SKU-1", "qty": 2}
    ts = 37671.344343127035
    payload = {"lines": [line, line], "stock": [{"sku": "SKU-1", "ts": ts}], "ts": ts}
    [received] = _committed(lambda store: store.commit_received("pos", 3, payload, ts))
    assert received == Received("pos", 3, payload, ts)


def test_entries_committed_at_once_are_written_in_batches_and_read_back_in_order() -> None:
    """A message, an answer or a timer waits in the store for `_BATCH` more to be
    written as one record; an operator action writes those before it first, and
    `entries()` writes the rest before reading, so the log reads back in commit order."""
    store = SimJournalStore(simpy.Environment(), 0.0)
    committed: list[Entry] = []
    for i in range(_BATCH + 5):
        store.commit_received("web", i, {"order_id": f"W-{i}"}, float(i))
        committed.append(Received("web", i, {"order_id": f"W-{i}"}, float(i)))
    action = Operated(OperatorAction.LOAD_STOCK, ((StockReport("SKU-1", "DC-N", 3, 0, 0.0),),), 9.0)
    store.commit_at_once(action)
    committed.append(action)
    store.commit_timer(("call_retry", 1), 10.0)
    committed.append(TimerFired(("call_retry", 1), 10.0))
    # committed, though the last is not written yet: counted, and read back
    assert len(store) == store.commits == len(committed)
    assert list(store.entries()) == committed
    store.commit_answered("erp", 2, 200, {"doc": "SO-2"}, 11.0)
    committed.append(Answered("erp", 2, 200, {"doc": "SO-2"}, 11.0))
    assert list(store.entries()) == committed
    store.close()


def test_a_batch_holding_what_marshal_cannot_write_is_written_an_entry_at_a_time() -> None:
    class Note:  # pickle cannot find it by name: kept as it is
        pass

    kept_payload = {"note": Note()}
    store = SimJournalStore(simpy.Environment(), 0.0)
    store.commit_received("web", 1, {"order_id": "W-1"}, 1.0)
    store.commit_received("web", 2, kept_payload, 2.0)
    store.commit_timer(("call_retry", 3), 3.0)
    first, kept, fired = store.entries()
    assert first == Received("web", 1, {"order_id": "W-1"}, 1.0)
    assert isinstance(kept, Received) and kept.payload is kept_payload
    assert fired == TimerFired(("call_retry", 3), 3.0)
    store.close()


def test_a_message_reporting_many_positions_is_written_with_its_commit() -> None:
    """A delivery's receipt (a report per line topped up) leaves the log's memory with its
    own commit; a sale's few reports, or a malformed `stock`, wait for the batch."""
    store = SimJournalStore(simpy.Environment(), 0.0)
    sale = {"kind": "sale", "stock": [{"sku": "SKU-1", "on_hand": 2, "seq": 3, "ts": 1.0}]}
    store.commit_received("pos", 1, sale, 1.0)
    store.commit_received("pos", 2, {"kind": "sale", "stock": 7}, 1.5)
    assert len(store._latest) == 2
    reports = [{"sku": f"SKU-{n}", "on_hand": 5, "seq": n, "ts": 2.0} for n in range(64)]
    receipt = {"kind": "receipt", "store": "ST-1", "receipt": "DN0000001", "stock": reports}
    store.commit_received("pos", 3, receipt, 2.0)
    assert store._latest == []  # written: the log holds no reference to the delivery
    assert list(store.entries()) == [
        Received("pos", 1, sale, 1.0),
        Received("pos", 2, {"kind": "sale", "stock": 7}, 1.5),
        Received("pos", 3, receipt, 2.0),
    ]
    store.close()


def test_an_answer_holding_a_stock_export_is_written_with_its_commit() -> None:
    """A reconciliation's export leaves the log's memory with its own commit, not up to
    `_BATCH` entries later; the log reads back the same entries in the same order."""
    store = SimJournalStore(simpy.Environment(), 0.0)
    store.commit_received("web", 1, {"order_id": "W-1"}, 1.0)
    body = stock_table.export(
        ["item", "onHand", "quarantined", "seq"], (("SKU-1",), (3,), (0,), (7,)), 1.5
    )
    store.commit_answered("wms", 2, 200, body, 2.0)
    assert store._latest == []  # written: the log holds no reference to the export
    store.commit_answered("erp", 3, 200, {"doc": "SO-3"}, 3.0)
    assert len(store._latest) == 1  # an ordinary answer waits for its batch
    ledger = erp_stock.export({("SKU-1", "DC-N"): 3})
    store.commit_answered("erp", 4, 200, ledger, 4.0)
    assert store._latest == []
    store.commit_timer(("call_retry", 5), 5.0)
    assert list(store.entries()) == [
        Received("web", 1, {"order_id": "W-1"}, 1.0),
        Answered("wms", 2, 200, body, 2.0),
        Answered("erp", 3, 200, {"doc": "SO-3"}, 3.0),
        Answered("erp", 4, 200, ledger, 4.0),
        TimerFired(("call_retry", 5), 5.0),
    ]
    store.close()
