"""The hub's aggregate books: a dict while nothing is archived, and with an archive the
same look-ups, the same order, and one object only for each aggregate being changed."""

from __future__ import annotations

import sys

import pytest
from hub_fakes import PackedArchive

from hub.aggregates import AggregateBook
from hub.model.order import Order, OrderLine, OrderStatus
from hub.model.payment import PaymentState


def _order(order_id: str, shipped: bool) -> Order:
    order = Order(order_id, "web", order_id, "C-1", 1.0, 2.0, [OrderLine(1, "SKU-1", 2, 500, 50)])
    order.advance(OrderStatus.RECEIVED, 2.0, "web", True)
    if shipped:
        order.advance(OrderStatus.SHIPPED, 3.0, "wms", True)
    return order


def _shipped(order: Order) -> bool:
    return order.status == OrderStatus.SHIPPED


def _book(archive: PackedArchive | None, *ids: str) -> AggregateBook[Order]:
    book: AggregateBook[Order] = AggregateBook()
    if archive is not None:
        book.archive_into(archive)
    for order_id in ids:
        book[order_id] = _order(order_id, shipped=order_id.startswith("S"))
    return book


def test_without_an_archive_nothing_leaves_memory() -> None:
    book = _book(None, "S-1", "O-2")
    assert book.archive_finished(_shipped) == 0
    assert book.in_memory() == 2
    assert list(book) == ["S-1", "O-2"]


def test_finished_aggregates_leave_memory_and_read_back_in_the_order_added() -> None:
    archive = PackedArchive()
    book = _book(archive, "S-1", "O-2", "S-3", "O-4")
    assert book.archive_finished(_shipped) == 2
    assert book.in_memory() == 2 and len(book) == 4
    assert list(book) == ["S-1", "O-2", "S-3", "O-4"]
    assert "S-3" in book and "X" not in book
    assert [order.order_id for order in book.values()] == ["S-1", "O-2", "S-3", "O-4"]


def test_a_look_up_brings_back_the_one_object_to_change() -> None:
    archive = PackedArchive()
    book = _book(archive, "S-1")
    book.archive_finished(_shipped)
    order = book["S-1"]
    assert book.get("S-1") is order  # back in memory: no second copy
    assert "S-1" not in archive.kept
    order.payment_state = PaymentState.CAPTURED
    del order
    book.archive_finished(_shipped)
    assert book.in_memory() == 0
    assert book["S-1"].payment_state == PaymentState.CAPTURED


def test_an_aggregate_something_else_holds_is_not_archived() -> None:
    archive = PackedArchive()
    book = _book(archive, "S-1", "S-2")
    waiting = [book["S-1"]]  # a pending callback's reference
    assert book.archive_finished(_shipped) == 1
    assert "S-1" not in archive.kept
    waiting[0].captured_cents = 700
    waiting.clear()
    book.archive_finished(_shipped)
    assert book["S-1"].captured_cents == 700


def test_replacing_an_archived_aggregate_keeps_its_place_once() -> None:
    archive = PackedArchive()
    book = _book(archive, "S-1", "O-2")
    book.archive_finished(_shipped)
    book["S-1"] = _order("S-1", shipped=False)
    assert list(book) == ["S-1", "O-2"]
    assert book["S-1"].status == OrderStatus.RECEIVED


def test_a_sealed_book_reads_copies_and_refuses_changes() -> None:
    archive = PackedArchive()
    book = _book(archive, "S-1")
    book.archive_finished(_shipped)
    book.seal()
    first = book["S-1"]
    assert book["S-1"] is not first and book["S-1"] == first
    assert book.in_memory() == 0 and "S-1" in archive.kept
    with pytest.raises(RuntimeError, match="sealed"):
        book["S-2"] = _order("S-2", shipped=True)


class CountingArchive(PackedArchive):
    """A `PackedArchive` that counts the questions it is asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def get(self, key: str) -> Order | None:
        self.asked += 1
        return super().get(key)

    def take(self, key: str) -> tuple[int, Order] | None:
        self.asked += 1
        return super().take(key)

    def __contains__(self, key: object) -> bool:
        self.asked += 1
        return super().__contains__(key)


def test_a_key_archived_again_after_coming_back_is_found_each_time() -> None:
    archive = CountingArchive()
    book = _book(archive, "S-1")
    for _ in range(3):
        book.archive_finished(_shipped)
        assert "S-1" in archive.kept and "S-1" in book
        assert book["S-1"].order_id == "S-1"
        assert "S-1" not in archive.kept and book.in_memory() == 1
    book.archive_finished(_shipped)
    book.seal()
    assert book.get("S-1") is not None and book.get("X-1") is None
    assert list(book) == ["S-1"]


def test_what_is_held_in_memory_is_read_without_the_archive() -> None:
    archive = CountingArchive()
    book = _book(archive, "S-1", "O-2", "S-3")
    assert [order.order_id for order in book.held_in_memory()] == ["S-1", "O-2", "S-3"]
    book.archive_finished(_shipped)
    book.seal()
    archive.asked = 0
    assert [order.order_id for order in book.held_in_memory()] == ["O-2"]
    assert archive.asked == 0


def test_a_sealed_book_read_once_answers_from_its_copies() -> None:
    archive = CountingArchive()
    book = _book(archive, "S-1", "O-2", "S-3", "O-4")
    book.archive_finished(_shipped)
    archive.asked = 0
    book.read_once()  # not sealed yet: nothing read
    assert archive.asked == 0
    book.seal()
    book.read_once()
    archive.asked = 0
    held = book["S-3"]
    assert book["S-3"] is held and book.get("S-1") is book.get("S-1")  # one copy each
    assert "S-1" in book and "X-9" not in book and book.get("X-9") is None
    assert list(book) == ["S-1", "O-2", "S-3", "O-4"] and len(book) == 4
    assert [order.order_id for order in book.held_in_memory()] == ["O-2", "O-4"]
    assert archive.asked == 0


def test_a_book_without_an_archive_reads_nothing_once() -> None:
    book = _book(None, "S-1", "O-2")
    book.seal()
    book.read_once()
    assert list(book) == ["S-1", "O-2"] and book.in_memory() == 2


def test_after_a_rush_is_archived_the_books_dicts_are_built_again_for_what_is_live() -> None:
    archive = PackedArchive()
    rush = [f"S-{n}" for n in range(2_000)]
    book = _book(archive, *rush, "O-a", "O-b")
    rush_size = sys.getsizeof(book._live)
    assert book.archive_finished(_shipped) == 2_000
    # CPython's table would have stayed sized for the rush (it shrinks only on an insert)
    assert sys.getsizeof(book._live) * 10 < rush_size
    assert sys.getsizeof(book._seq) * 10 < rush_size
    assert book.in_memory() == 2 and len(book) == 2_002
    assert list(book) == [*rush, "O-a", "O-b"]
    assert book["O-b"].order_id == "O-b"
    book["O-c"] = _order("O-c", shipped=False)
    assert list(book)[-3:] == ["O-a", "O-b", "O-c"]


def test_the_books_dicts_are_kept_while_what_is_live_stays_near_the_most_seen() -> None:
    archive = PackedArchive()
    book = _book(archive, *(f"S-{n}" for n in range(10)), *(f"O-{n}" for n in range(20)))
    live = book._live
    book.archive_finished(_shipped)
    assert book._live is live  # 20 of the 30 seen: not worth a copy
