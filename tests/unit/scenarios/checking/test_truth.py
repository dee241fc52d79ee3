"""What the checker's truth keeps of the systems' records, and how little: the physical
stock read from the stockrooms when asked, a shipped order's units keyed by its own
SKU strings."""

from __future__ import annotations

from scenarios.checking.truth import PhysicalStock, _units, gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run
from simulators.channel import ChannelOrder
from simulators.stockroom import Stockroom


def test_the_physical_stock_is_the_dict_copied_from_the_rooms() -> None:
    dc = Stockroom(on_hand={("A", "DC-1"): 5, ("B", "DC-1"): 0}, quarantined={("A", "DC-1"): 2})
    store = Stockroom(on_hand={("A", "ST-1"): 3, ("A", "DC-1"): 9})
    copied: dict[tuple[str, str], tuple[int, int]] = {}
    for room in (dc, store):
        for key, on_hand in room.on_hand.items():
            copied[key] = (on_hand, room.quarantined.get(key, 0))
    stock = PhysicalStock((dc, store))
    assert list(stock.items()) == list(copied.items())
    assert len(stock) == 3 and ("A", "ST-1") in stock and ("C", "ST-1") not in stock
    assert stock.get(("C", "ST-1"), (0, 0)) == (0, 0)
    dc.move(("B", "DC-1"), 4)  # read when asked: the rooms as they are
    assert stock[("B", "DC-1")] == (4, 0)


def test_an_orders_units_share_its_sku_strings_and_the_last_pair_wins() -> None:
    sku = "".join(["SKU-", "00001"])  # a string of its own, as the order's line holds
    order = ChannelOrder("W-1", "web", "C-1", "north", 0.0, [(sku, 3, 100, 20)])
    read_back = "".join(["SKU-", "00001"])  # as a record read back from disk names it
    units = _units(order, [(read_back, 1), ("SKU-00002", 2), (read_back, 3)])
    assert units == {"SKU-00001": 3, "SKU-00002": 2}
    assert next(iter(units)) is sku


def test_the_captures_are_the_gateways_by_reference_under_the_orders_own_strings() -> None:
    day = run(load_scenario("steady-day", ("scenario.scale=0.1",)))
    truth = gather(day)
    grouped: dict[str, list[int]] = {}
    for movement in day.estate.payment.captures:
        grouped.setdefault(movement.reference, []).append(movement.amount)
    assert dict(truth.captures.items()) == grouped
    ordered = [ref for ref in truth.captures if ref in truth.orders]
    assert ordered and all(ref is truth.orders[ref].order.ref for ref in ordered)
