"""What a channel keeps of each order it accepted is shared where orders are alike: the
same basket is one tuple of lines, the same sequence of status notices one tuple of
(version, status), and only the times are each order's own. Read back, an order gives
the very values it was given."""

from __future__ import annotations

from collections.abc import Iterator

import simpy

from simulators.channel import ChannelOrder
from simulators.channel_returns import ReturnNotice, ReturnNotices
from simulators.storefront import Storefront
from simulators.world import Sku

A = Sku("A", "a", "toys", 4000, 2000, 2000, 1)
B = Sku("B", "b", "toys", 2000, 1000, 2000, 2)


def shop() -> tuple[simpy.Environment, Storefront]:
    env = simpy.Environment()
    made = Storefront(env, lambda _kind, _body: None)
    made.ship_view.update({"A": 100, "B": 100})
    return env, made


def test_orders_of_the_same_basket_share_one_tuple_of_lines() -> None:
    _, store = shop()
    first = store.place("C-1", "north", [(A, 2), (B, 1)])
    second = store.place("C-2", "south", [(A, 2), (B, 1)])
    other = store.place("C-3", "north", [(A, 1)])
    assert first is not None and second is not None and other is not None
    assert first.lines == (
        ("A", 2, 4000, A.tax_cents(2, 4000)),
        ("B", 1, 2000, B.tax_cents(1, 2000)),
    )
    assert isinstance(first.lines, tuple)
    assert second.lines is first.lines
    assert other.lines == (("A", 1, 4000, 800),)


def test_status_notices_read_back_exactly_and_share_their_sequence() -> None:
    env, store = shop()
    first = store.place("C-1", "north", [(A, 1)])
    second = store.place("C-2", "north", [(B, 1)])
    assert first is not None and second is not None
    env.run(until=0.1 + 0.2)  # a time a double holds only approximately
    store.receive("order_status", {"order_ref": first.ref, "status": "accepted", "version": 1})
    env.run(until=7200.123456789)
    store.receive("order_status", {"order_ref": first.ref, "status": "shipped", "version": "3"})
    store.receive("order_status", {"order_ref": second.ref, "status": "accepted", "version": 1})
    store.receive("order_status", {"order_ref": second.ref, "status": "shipped", "version": 3})
    assert first.notices == ((1, "accepted", 0.1 + 0.2), (3, "shipped", 7200.123456789))
    assert second.notices == ((1, "accepted", 7200.123456789), (3, "shipped", 7200.123456789))
    assert second.told is first.told
    store.receive("order_status", {"order_ref": "W-none", "status": "shipped", "version": 1})


def test_an_order_made_elsewhere_hears_without_a_channel_to_share_with() -> None:
    order = ChannelOrder("B2B-1", "b2b", "CO-1", "", 0.0, [("A", 1, 500, 100)])
    order.hear(2, "accepted", 10.0)
    order.hear(1, "received", 12.5)
    assert order.notices == ((2, "accepted", 10.0), (1, "received", 12.5))


def test_return_notices_read_back_exactly_in_the_order_heard() -> None:
    notices = ReturnNotices()
    notices.add("RMA-W-1", "authorised", 10.123456789, 11.5)
    notices.add("MPR-2", "refunded", 0.1 + 0.2, 1e9 / 3)
    notices.add("RMA-W-1", "received", 30.0, 29.0)
    assert list(notices) == ["RMA-W-1", "MPR-2"]
    assert notices["RMA-W-1"] == [
        ReturnNotice("authorised", 10.123456789, 11.5),
        ReturnNotice("received", 30.0, 29.0),
    ]
    assert notices["MPR-2"] == [ReturnNotice("refunded", 0.1 + 0.2, 1e9 / 3)]
    assert "MPR-2" in notices and "MPR-3" not in notices and len(notices) == 2
    assert notices.get("MPR-3", ()) == ()


def test_a_return_notice_read_back_is_a_copy_not_the_store() -> None:
    notices = ReturnNotices()
    notices.add("RMA-1", "received", 1.0, 2.0)
    notices["RMA-1"].append(ReturnNotice("refunded", 3.0, 4.0))
    assert notices["RMA-1"] == [ReturnNotice("received", 1.0, 2.0)]


class _Kept(dict[str, tuple[int, ChannelOrder]]):
    """A store in memory, as the run's file would be: it keeps what it is given."""

    def put(self, seq: int, key: str, record: ChannelOrder) -> None:
        self[key] = (seq, record)

    def take(self, key: str) -> tuple[int, ChannelOrder] | None:
        return self.pop(key, None)

    def scan(self) -> Iterator[tuple[int, str, ChannelOrder]]:
        return iter(sorted((seq, key, record) for key, (seq, record) in self.items()))

    def get(self, key: str) -> ChannelOrder | None:  # type: ignore[override]
        kept = super().get(key)
        return None if kept is None else kept[1]


def test_an_order_leaves_memory_once_final_and_a_late_notice_brings_it_back() -> None:
    env, store = shop()
    kept = _Kept()
    store.orders.seal_into(kept)
    first = store.place("C-1", "north", [(A, 1)])
    second = store.place("C-2", "north", [(B, 1)])
    assert first is not None and second is not None
    store.receive("order_status", {"order_ref": first.ref, "status": "accepted", "version": 1})
    assert store.orders.in_memory() == 2
    store.receive("order_status", {"order_ref": first.ref, "status": "shipped", "version": 2})
    assert store.orders.in_memory() == 1 and first.ref in kept
    env.run(until=5.0)
    store.receive("order_status", {"order_ref": first.ref, "status": "shipped", "version": 2})
    assert first.ref in kept and store.orders.in_memory() == 1  # finished again
    assert [notice[1] for notice in store.orders[first.ref].notices] == [
        "accepted",
        "shipped",
        "shipped",
    ]
    store.request_cancel(second.ref, "too slow")
    assert store.orders.in_memory() == 1  # not final until the hub says so
    assert list(store.orders) == [first.ref, second.ref]  # in the order placed


def test_a_negative_ats_from_the_hub_sells_nothing_rather_than_a_negative_line() -> None:
    """A hub may publish a negative ATS (an oversold position); the contract allows it.
    The view then has nothing to sell: before, a basket took min(-1, wanted) = -1 units
    and the channel sent the hub an order with a line of -1 (found by the contract's
    hostile bodies, test_contract_hostile_bodies.py)."""
    _, store = shop()
    store.on_ship_feed([("A", -1, ())], 1.0)
    order = store.place("C-1", "north", [(A, 2), (B, 1)])
    assert order is not None and order.lines == (("B", 1, 2000, B.tax_cents(1, 2000)),)
    assert store.place("C-2", "north", [(A, 1)]) is None
    assert store.ship_view["A"] == -1 and store.lines_dropped == 2
