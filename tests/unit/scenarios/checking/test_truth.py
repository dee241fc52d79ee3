"""What the checker's truth keeps of the systems' records, and how little: the physical
stock read from the stockrooms when asked, a shipped order's units keyed by its own
SKU strings, the orders read from the channels as a stream beside a few numbers each."""

from __future__ import annotations

from scenarios.checking.order_truths import Delivered, Fulfilment, OrderTruth, OrderTruths
from scenarios.checking.truth import PhysicalStock, _order_truth, _units, gather
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


def test_the_captures_are_the_gateways_by_reference_in_the_order_first_charged() -> None:
    day = run(load_scenario("steady-day", ("scenario.scale=0.1",)))
    truth = gather(day)
    grouped: dict[str, list[int]] = {}
    for movement in day.estate.payment.captures:
        grouped.setdefault(movement.reference, []).append(movement.amount)
    assert list(truth.captures.items()) == list(grouped.items())
    assert [ref for ref in truth.captures if ref in truth.orders]


def test_the_orders_stream_from_the_channels_with_the_facts_worked_out_for_each() -> None:
    day = run(load_scenario("black-friday", ("scenario.scale=0.02",)))
    truth = gather(day)
    channels = (day.estate.storefront, *day.estate.marketplaces)
    placed = [order for channel in channels for order in channel.orders.values()]
    walked = list(truth.orders.items())
    assert len(truth.orders) == len(walked) == len(placed)
    assert list(truth.orders) == [ref for ref, _ in walked] == [order.ref for order in placed]
    for (ref, order_truth), order in zip(walked, placed, strict=True):
        # the channel's own, read again (a copy where it was read back from the run's file)
        assert order_truth.order == order
        assert order_truth == _order_truth(day, order) == truth.orders[ref]
    assert any(t.short_units for _, t in walked)  # kept only for the orders with any
    kept = {type(t.delivered) for _, t in walked}
    assert kept == {Delivered, dict}  # both the codes and the rare units per SKU
    assert "no-such-order" not in truth.orders and truth.orders.get("no-such-order") is None
    assert truth.orders.channel_of(placed[-1].ref) == placed[-1].channel


def test_units_short_and_withdrawn_come_back_on_their_own_orders_and_zero_on_the_rest() -> None:
    """Kept only for the few orders with any (a dict by position, not an int an order),
    each comes back on its own order, in a walk and by ref."""
    orders = {
        f"W-{n:07d}": ChannelOrder(f"W-{n:07d}", "web", "C-1", "north", 0.5, (("SKU-1", 2, 9, 1),))
        for n in range(1, 7)
    }
    facts = {"W-0000002": (1, 0), "W-0000005": (0, 2), "W-0000006": (2, 1)}

    def truth_of(order: ChannelOrder) -> OrderTruth:
        short, withdrawn = facts.get(order.ref, (0, 0))
        return OrderTruth(order, Fulfilment.SHIPPED, 3.0, Delivered.AS_ORDERED, short, withdrawn)

    truths = OrderTruths([orders], truth_of)
    walked = {ref: (t.short_units, t.withdrawn_units) for ref, t in truths.items()}
    assert walked == {ref: facts.get(ref, (0, 0)) for ref in orders}
    assert (truths["W-0000006"].short_units, truths["W-0000006"].withdrawn_units) == (2, 1)
