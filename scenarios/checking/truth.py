"""The simulated systems' own records, indexed once for the checker and the metrics.

Why a separate module: the checker must never trust the hub, so everything it knows
about what really happened comes from here, read out of the simulators (what the
channels accepted, what the WMS shipped, what the stores sold, what the gateway moved,
what the ERP booked). Building these indexes once keeps each check a few lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from scenarios.checking.hub_orders import HubOrders
from scenarios.checking.order_truths import (
    DELIVERED_FULFILMENTS,
    Delivered,
    Fulfilment,
    OrderTruth,
    OrderTruths,
)
from scenarios.checking.ref_slots import RefLists, RefMoves, RefTimes
from scenarios.checking.till_refs import BothTimes, TillTimes
from scenarios.twin.run_result import RunResult
from simulators.channel import ChannelOrder
from simulators.fraud import APPROVE
from simulators.stockroom import Stockroom


@dataclass(slots=True)
class Truth:
    #: every accepted order, read from the channels as a stream (order_truths.py)
    orders: OrderTruths
    #: return id -> simulated time the goods were physically received
    returns_received_at: Mapping[str, float]
    #: payment reference -> captured amounts / refunded amounts (one entry per movement)
    captures: Mapping[str, list[int]]
    refunds: Mapping[str, list[tuple[int, float]]]
    #: the ERP: DocRef -> document numbers; channel ref -> sales orders
    erp_docs_by_ref: Mapping[str, list[str]]
    erp_sales_orders: Mapping[str, list[str]]
    #: where stock physically is: (sku, location) -> (on hand, quarantined)
    stock: Mapping[tuple[str, str], tuple[int, int]]
    #: till return id -> when refunded at the till (till_refs.py)
    till_refunds: Mapping[str, float]
    #: the one thing here not from the systems' records: what the hub recorded of each
    #: of `orders`, in their order, read when an in-process check first asks
    #: (scenarios/checking/hub_orders.py), so that the checks comparing the two read
    #: each order once
    hub_orders: HubOrders


def charged_problems(truth: Truth, problem: Callable[[str, OrderTruth], str]) -> list[str]:
    """`problem` of each accepted order that was charged ("" for none), in the order of
    `truth.captures` (the order a check reading the charges by ref would find them):
    one walk over the orders, not a look-up per charge."""
    found: dict[str, str] = {}
    for ref, order_truth in truth.orders.items():
        if ref in truth.captures:
            this = problem(ref, order_truth)
            if this:
                found[ref] = this
    return [found[ref] for ref in truth.captures if ref in found]


class PhysicalStock(Mapping[tuple[str, str], tuple[int, int]]):
    """(sku, location) -> (on hand, quarantined), read from the locations' own
    stockrooms when asked: the mapping a dict copied from them would be (the rooms'
    positions in order; a position two rooms hold is the last's), without a tuple and
    a dict entry per position, some 15 MiB at a full-scale peak day's 150,000
    positions, held beside the run's own records while the run is judged."""

    __slots__ = ("_rooms",)

    def __init__(self, rooms: Sequence[Stockroom]) -> None:
        self._rooms = tuple(rooms)

    def __getitem__(self, key: tuple[str, str]) -> tuple[int, int]:
        for room in reversed(self._rooms):
            on_hand = room.on_hand.get(key)
            if on_hand is not None:
                return on_hand, room.quarantined.get(key, 0)
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(key in room.on_hand for room in self._rooms)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for n, room in enumerate(self._rooms):
            earlier = self._rooms[:n]
            for key in room.on_hand:
                if not any(key in before.on_hand for before in earlier):
                    yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _order_truth(result: RunResult, order: ChannelOrder) -> OrderTruth:
    """What the estate physically did with `order`, its oversold units included."""
    order_truth = _fulfilment(result, order)
    order_truth.short_units = _oversold_units(result, order_truth)
    return order_truth


def _fulfilment(result: RunResult, order: ChannelOrder) -> OrderTruth:
    release = result.estate.wms.order_release(order.ref)
    pickup = result.estate.pos.pickups.get(order.ref)
    if release is not None:
        if release.status == "shipped":
            units = _units(order, release.picked)
            withdrawn = sum(qty for _, qty in release.withdrawn)
            return OrderTruth(
                order,
                Fulfilment.SHIPPED if units is not Delivered.NOTHING else Fulfilment.CANCELLED,
                release.shipped_at,
                units,
                withdrawn_units=withdrawn,
            )
        cancelled = release.status == "cancelled"
        return OrderTruth(order, Fulfilment.CANCELLED if cancelled else Fulfilment.IN_FLIGHT)
    if pickup is not None:
        picked = _units(order, pickup.picked)
        if pickup.status == "collected":
            return OrderTruth(order, Fulfilment.COLLECTED, pickup.collected_at, picked)
        nothing = picked is Delivered.NOTHING
        if pickup.status == "cancelled" or (pickup.status == "ready" and nothing):
            return OrderTruth(order, Fulfilment.CANCELLED)
        return OrderTruth(order, Fulfilment.IN_FLIGHT)
    return OrderTruth(order, Fulfilment.NOT_RELEASED)


def _units(order: ChannelOrder, picked: Iterable[tuple[str, int]]) -> dict[str, int] | Delivered:
    """sku -> units of (sku, units) pairs, as `dict` makes it (the last of a SKU's pairs
    wins), keyed by the order's own SKU strings (a release read back from the run's
    store brings a new string for every SKU it names); or `Delivered.AS_ORDERED` when
    the pairs are the order's lines as ordered, and `Delivered.NOTHING` for none."""
    pairs = list(picked)
    if not pairs:
        return Delivered.NOTHING
    if pairs == [(sku, qty) for sku, qty, _, _ in order.lines]:
        return Delivered.AS_ORDERED
    own = {sku: sku for sku, _, _, _ in order.lines}
    units: dict[str, int] = {}
    for sku, qty in pairs:
        units[own.get(sku, sku)] = qty
    return units


def _oversold_units(result: RunResult, order_truth: OrderTruth) -> int:
    """Units the channel accepted that the retailer could not deliver for want of stock:
    lines cut at reservation or found missing at the pick face, or a whole order
    cancelled for no stock. Orders the customer cancelled, whose card was declined, that
    the fraud screen's analyst rejected or has not decided yet, and orders still being
    fulfilled, are not oversells."""
    order = order_truth.order
    if order_truth.fulfilment in DELIVERED_FULFILMENTS:
        delivered = sum(order_truth.fulfilled_units.values())
        return order_truth.ordered_units - delivered - order_truth.withdrawn_units
    if order_truth.fulfilment == Fulfilment.IN_FLIGHT:
        return 0
    if order.cancel_requested_at >= 0 or order.ref in result.estate.payment.declined:
        return 0
    if _held_or_rejected(result, order.ref):
        return 0
    return order_truth.ordered_units


def _held_or_rejected(result: RunResult, ref: str) -> bool:
    """The fraud screen's analyst rejected the order (cancelled on purpose, not for want
    of stock), or has not decided it yet (held, not lost)."""
    screen = result.estate.fraud
    case = screen.cases.get(ref) if screen is not None else None
    return case is not None and case.decision != APPROVE


def gather(result: RunResult) -> Truth:
    channels = (result.estate.storefront, *result.estate.marketplaces)
    orders = OrderTruths(
        [channel.orders for channel in channels], lambda order: _order_truth(result, order)
    )
    # by return id without a string per return, as the refunds below (ref_slots.py)
    received = RefTimes()
    for rma, expected in result.estate.wms.returns.items():
        if expected.received_at >= 0:
            received.set(rma, expected.received_at)
    # the tills' by transaction number (till_refs.py); an id some DC received as well
    # (none does) stays where a dict of both would have kept it
    counters = TillTimes()
    till_refunds = TillTimes()
    for ret in result.estate.pos.returns:
        (received if ret.txn in received else counters).set(ret.txn, ret.at)
        if ret.refunded_at_till_cents:
            till_refunds.set(ret.txn, ret.at)
    # a settling marketplace takes its buyers' money itself: its charges and refunds
    # are the orders' and returns' money as the gateway's are for the others
    desks = [m.settlement for m in result.estate.marketplaces if m.settlement is not None]
    # streamed, not listed: each movement is read back from the run's store as a copy
    charged = chain(result.estate.payment.captures, (c for d in desks for c in d.charges))
    paid_back = chain(result.estate.payment.refunds, (r for d in desks for r in d.refunds))
    # by ref without a string per order: a movement read back from the run's store
    # brings a new one (ref_slots.py)
    captures = RefLists()
    for movement in charged:
        captures.add(movement.reference, movement.amount)
    refunds = RefMoves()
    for movement in paid_back:
        refunds.add(movement.reference, movement.amount, movement.at)
    erp = result.estate.erp
    return Truth(
        orders,
        BothTimes(received, counters),
        captures,
        refunds,
        erp.by_ref,
        erp.sales_orders_by_external_ref,
        PhysicalStock((result.estate.wms.stock, result.estate.pos.stock)),
        till_refunds,
        HubOrders(lambda: result.estate.hub.ctx.orders, orders),
    )
