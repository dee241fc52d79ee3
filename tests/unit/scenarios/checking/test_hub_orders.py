"""The hub's orders as the checks compare them: each read once, after the day, however
many checks ask, and only the facts they compare kept."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from hub.model.order import Order, OrderLine, OrderStatus
from hub.model.packing import ORDER, Packed, Packer
from hub.model.payment import PaymentState
from scenarios.checking.hub_orders import HubOrder, HubOrders, moved_back
from scenarios.checking.invariants import check
from scenarios.checking.judging import JudgedFrom
from scenarios.checking.truth import gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run


def _order(order_id: str, short: int = 0) -> Order:
    lines = [
        OrderLine(1, "SKU-1", 2, 500, 50, short_quantity=short),
        OrderLine(2, "SKU-2", 1, 900, 90),
    ]
    order = Order(order_id, "web", order_id, "C-1", 1.0, 2.0, lines)
    order.advance(OrderStatus.RECEIVED, 2.0, "web", True)
    return order


class _CountedBook(Mapping[str, Order]):
    """A hub's book that counts how it is read."""

    def __init__(self, orders: dict[str, Order]) -> None:
        self._orders = orders
        self.lookups: list[str] = []

    def __getitem__(self, key: str) -> Order:
        self.lookups.append(key)
        return self._orders[key]

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the book is read by the truth's refs, not scanned")

    def __len__(self) -> int:
        return len(self._orders)


def test_the_book_is_read_once_when_first_asked_for_the_truths_orders_only() -> None:
    book = _CountedBook({"W-1": _order("W-1"), "W-2": _order("W-2"), "B-1": _order("B-1")})
    asked: list[int] = []

    def the_book() -> Mapping[str, Order]:
        asked.append(1)
        return book

    hub = HubOrders(the_book, ["W-1", "W-3", "W-2"])
    assert not asked  # nothing read for a run no in-process check judges
    for _ in range(3):  # three checks
        w1, w3, w2 = hub
        assert w1 is not None and w1.status == OrderStatus.RECEIVED
        assert w3 is None  # never reached the hub
        assert w2 is w1  # alike, so one record
    assert len(asked) == 1 and sorted(book.lookups) == ["W-1", "W-2", "W-3"]


def test_more_kinds_of_record_than_two_bytes_number_are_each_still_their_own() -> None:
    """Each order is the number of its kind of record, two bytes while they fit: past
    65,536 kinds, every order still reads back as its own."""
    kinds = (1 << 16) + 3
    book = {f"W-{n}": _order(f"W-{n}", short=n) for n in range(kinds)}
    refs = [*book, "W-none", "W-0"]
    read = list(HubOrders(lambda: book, refs))
    assert [r.short_units if r is not None else None for r in read] == [
        *range(kinds),
        None,
        0,
    ]
    assert read[-1] is read[0]


def test_the_record_holds_what_the_checks_compare() -> None:
    order = _order("W-1", short=1)
    order.advance(OrderStatus.SHIPPED, 3.0, "wms", True)
    order.advance(OrderStatus.PICKED, 4.0, "wms", False)  # the hub let it slip back
    order.flag("payment", "declined", 4.0)
    order.payment_state = PaymentState.DECLINED
    order.invoiced = True
    assert HubOrder.of(order) == HubOrder(
        OrderStatus.PICKED,
        PaymentState.DECLINED,
        invoiced=True,
        is_terminal=False,
        in_exception_queue=True,
        moved_back="from shipped back to picked",
        short_units=1,
    )
    settled = _order("W-2")
    settled.advance(OrderStatus.CANCELLED, 3.0, "web", True)
    record = HubOrder.of(settled)
    assert record.is_terminal and not record.in_exception_queue
    assert record.moved_back == "" and record.short_units == 0


def test_moving_on_after_a_final_status_is_moving_back() -> None:
    order = _order("W-1")
    order.advance(OrderStatus.CANCELLED, 3.0, "web", True)
    order.advance(OrderStatus.SHIPPED, 4.0, "wms", False)
    assert moved_back(order.history) == "from cancelled back to shipped"
    assert moved_back(_order("W-2").history) == ""


def test_the_checks_read_each_archived_order_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three checks compare every order with the hub's; an archived order read back
    costs a query and an unpacking each time, so it is read once for all of them."""
    day = run(load_scenario("steady-day", ("scenario.scale=0.1",)))
    book = day.estate.hub.ctx.orders
    archived = len(book) - book.in_memory()
    assert archived > 0
    unpacked: list[str] = []
    unpack = Packer.unpack

    def counted(self: Packer[Order], packed: tuple[Packed, ...]) -> Order:
        order = unpack(self, packed)
        if self is ORDER:
            unpacked.append(order.order_id)
        return order

    monkeypatch.setattr(Packer, "unpack", counted)
    findings = check(day, gather(day), judged_from=JudgedFrom.IN_PROCESS)
    assert all(finding.passed for finding in findings)
    assert len(unpacked) == len(set(unpacked)) == archived
