"""What a channel keeps of each order it accepted is shared where orders are alike: the
same basket is one tuple of lines. Read back, an order gives the very values it was
given."""

from __future__ import annotations

import simpy

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
