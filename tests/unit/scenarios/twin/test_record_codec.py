"""A channel's orders read back from the run's file share their baskets only while
something holds them, and let go of what they shared as a stream goes and once a scan
has ended (scenarios/twin/record_codec.py)."""

from __future__ import annotations

import gc
import marshal
import tracemalloc

from scenarios.twin.record_codec import READ_BACK_SWEEP, Codec, channel_orders
from scenarios.twin.record_spill import SqliteRecords, open_spill
from simulators.interned import FIRST_SWEEP, Interned


def test_a_basket_read_back_is_shared_only_while_an_order_holds_it() -> None:
    """The checker reads every order of the run back, one at a time: a basket no order
    read back still holds is not kept for the next (a dict of every basket read back
    held all of peak-weekend's four days at once while the run was judged)."""
    codec = channel_orders()
    distinct = 20_000
    values = [
        (
            "web",
            "C-1",
            "north",
            0.5,
            ((f"SKU-{n}", 1, 999, 200),),
            "",
            -1.0,
            "",
            (),
            -1.0,
            -1.0,
            0,
            {},
        )
        for n in range(distinct)
    ]
    held = codec.unpack("W-0", values[0])
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n, fields in enumerate(values):
            codec.unpack(f"W-{n}", tuple(marshal.loads(marshal.dumps(fields))))
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # each basket is a tuple of a line tuple, about 200 bytes with its strings and its
    # place in a table: every one kept would be some 4 MB
    assert kept < distinct * 80, kept
    assert codec.unpack("W-0", values[0]).lines is held.lines  # one still held: shared


def test_a_whole_scan_and_only_a_whole_scan_tells_its_codec_it_has_ended() -> None:
    """A reader streaming every record keeps none, so once a scan has ended what its
    codec shared among them is garbage (`Codec.after_scan`); a scan left part way is
    not an end: its reader may still hold what it read."""
    ended: list[str] = []
    codec = Codec(lambda n: (n,), lambda _key, fields: int(fields[0]), lambda: ended.append("x"))
    store: SqliteRecords[int] = SqliteRecords(open_spill(), "numbers", None, codec)
    for n in range(5):
        store.put(n, f"K-{n}", n)
    store.flush()
    assert [record for _, _, record in store.scan()] == [0, 1, 2, 3, 4]
    assert ended == ["x"]
    part = store.scan()
    next(part)
    part.close()
    assert ended == ["x"]


def _written_order(n: int) -> tuple[object, ...]:
    """A web order's fields as `channel_orders` writes them, a basket of its own."""
    basket = ((f"SKU-{n}", 1, 999, 200),)
    return ("web", "C-1", "north", 0.5, basket, "", -1.0, "", (), -1.0, -1.0, 0, {})


def test_a_channel_s_codec_lets_go_of_what_it_shared_once_told_the_scan_ended() -> None:
    """What reading orders back shared, kept until the table next doubled, was some
    2 MiB of baskets through the judging of peak-weekend (every order read back by
    every walk), whatever the days."""
    codec = channel_orders()
    distinct = 3_000
    written = [marshal.dumps(_written_order(n)) for n in range(distinct)]
    tracemalloc.start()
    try:
        gc.collect()  # a full collection also empties the free lists of tuples
        before = tracemalloc.get_traced_memory()[0]
        held = [codec.unpack(f"W-{n}", marshal.loads(one)) for n, one in enumerate(written)]
        del held
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
        codec.after_scan()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # each basket is a tuple of a line tuple, about 180 bytes with its strings and its
    # place in the table
    assert kept > distinct * 150, kept
    assert after < distinct * 10, after


def test_orders_streamed_back_leave_few_of_their_baskets_shared_at_any_moment() -> None:
    """Read back as a stream, a channel's orders let their baskets go within a few
    hundred: the table is swept from `READ_BACK_SWEEP` values, not the 4,096 of the
    channels' own (`FIRST_SWEEP`: their orders stay in memory while they can change)."""
    codec = channel_orders()
    most = 0
    shared = next(
        cell.cell_contents
        for cell in codec.unpack.__closure__ or ()
        if isinstance(cell.cell_contents, Interned)
    )
    for n in range(5 * READ_BACK_SWEEP):
        codec.unpack(f"W-{n}", _written_order(n))
        most = max(most, len(shared))
    assert most <= READ_BACK_SWEEP < FIRST_SWEEP // 8, most
