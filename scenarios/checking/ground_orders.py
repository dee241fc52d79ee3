"""Orders and returns as the systems recorded them: the hub model's aggregates rebuilt
from what the channels, the ERP, the DCs, the stores and the gateway hold, for a hub
whose own state cannot be read (an external one, behind the HTTP contract).

Why rebuild the hub's aggregates at all: the read model, and so the API, shows orders
and returns in the hub's model (hub/adapters/read_model/projection.py). Putting the
systems' records in that model lets the same projection, the same tables and the same
GraphQL schema serve a live twin whatever hub runs under it, and the API then shows
the world as the systems have it rather than as a hub claims it.

Each fact a system recorded is a step of the aggregate's history, at the time the
system recorded it: the channel took the order, the ERP booked a sales order, a DC was
released the order and shipped it, a store set it aside and the customer collected it,
the channel was told a status. The steps are applied in time order through the model's
own `advance`, so the status obeys the hub's rules (forward only; a delivered order is
never cancelled by late news). A fact a system keeps no time for (a DC's pick, a store
setting an order aside, a cancelled release) is dated when it was first seen, which is
why `GroundAggregates` is an object that remembers.

What only a hub knows is filled with the closest fact the systems hold, and said so:
an order was received by the hub when its channel took it (`received_at` = placed);
nothing is in an exception queue (that queue is the hub's own claim); a cancellation's
reason is the customer's when the channel asked for one, else none is known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hub.model.order import FulfilmentLeg, Order, OrderLine, OrderStatus
from hub.model.payment import PaymentState, RefundState
from hub.model.returns import Return, ReturnLine, ReturnStatus, ReturnStatusChange
from scenarios.checking.traces import ORDER_RANK, RETURN_RANK
from scenarios.twin.projection.cross_system import gateway_state
from scenarios.twin.run_result import RunResult
from simulators.channel import ChannelOrder, SalesChannel
from simulators.payment import Authorization, MoneyMovement
from simulators.release import Release

#: (when, status, which system says so)
OrderStep = tuple[float, OrderStatus, str]
ReturnStep = tuple[float, ReturnStatus, str]


@dataclass(frozen=True, slots=True)
class OpenedReturn:
    """A return as it was opened: at a channel, or over a store's counter."""

    return_id: str
    order_id: str
    channel: str
    opened_at: float
    #: (sku, qty, refund net, refund tax)
    lines: tuple[tuple[str, int, int, int], ...]
    #: the store it came back to over the counter ("" for a channel's return)
    store: str = ""
    #: what the till paid back on the spot (counter returns)
    refunded_at_till_cents: int = 0
    #: the store's grade of goods brought back over the counter
    grade: str = ""


def channel_of(result: RunResult, order_id: str) -> SalesChannel | None:
    """The channel that took the order, or None for an id no channel knows."""
    for channel in (result.estate.storefront, *result.estate.marketplaces):
        if order_id in channel.orders:
            return channel
    return None


def opened_returns(result: RunResult) -> Iterator[OpenedReturn]:
    """Every return any channel or store opened, with its lines priced from the
    order (a channel's return carries only SKUs and quantities)."""
    estate = result.estate
    for channel in (estate.storefront, *estate.marketplaces):
        for order_id, opened in channel.returns_opened.items():
            order = channel.orders.get(order_id)
            prices = {} if order is None else {sku: line for sku, *line in order.lines}
            for ret in opened:
                yield OpenedReturn(
                    ret.id,
                    order_id,
                    order.channel if order is not None else channel.name,
                    ret.opened_at,
                    tuple(_priced(sku, qty, prices.get(sku)) for sku, qty in ret.lines),
                )
    for counter in estate.pos.returns:
        yield OpenedReturn(
            counter.txn,
            counter.order_ref,
            counter.channel,
            counter.at,
            counter.lines,
            counter.store,
            counter.refunded_at_till_cents,
            counter.grade,
        )


def _legs(order: Order, parts: list[Release]) -> list[FulfilmentLeg]:
    """A split order's parts as the WMS holds them, each line placed at its part's DC."""
    legs = []
    for part in parts:
        skus = {sku for sku, _ in part.lines}
        mine = [line for line in order.lines if line.sku in skus]
        for line in mine:
            line.location = part.dc
        shipped = part.status == "shipped"
        legs.append(
            FulfilmentLeg(
                part.leg,
                part.dc,
                tuple(line.line_no for line in mine),
                release_submitted=True,
                released_ack=True,
                shipment_id=part.shipment_no if shipped else "",
                shipped_at=part.shipped_at if shipped else -1.0,
                withdrawn=part.status == "cancelled",
            )
        )
    return legs


def _priced(sku: str, qty: int, line: list[int] | None) -> tuple[str, int, int, int]:
    """A returned quantity priced as the order line sold it: net, and the line's tax
    in proportion."""
    if line is None:
        return (sku, qty, 0, 0)
    ordered, price, tax = line
    return (sku, qty, price * qty, tax * qty // ordered if ordered else 0)


class GroundAggregates:
    """Builds orders and returns from the systems' records, remembering when it first
    saw each fact the systems keep no time for."""

    def __init__(self, result: RunResult) -> None:
        self._result = result
        self._first_seen: dict[tuple[str, str], float] = {}

    def _seen(self, owner: str, fact: str, cap: float = -1.0) -> float:
        """When `fact` about `owner` was first seen; never later than `cap` (a later
        fact's own time) when there is one."""
        at = self._first_seen.setdefault((owner, fact), self._result.estate.now)
        return min(at, cap) if cap >= 0 else at

    # -- orders ------------------------------------------------------------------------

    def order_steps(self, placed: ChannelOrder) -> list[OrderStep]:
        """Every fact the systems recorded of the order's progress."""
        estate, ref = self._result.estate, placed.ref
        steps: list[OrderStep] = [(placed.placed_at, OrderStatus.RECEIVED, placed.channel)]
        booked = estate.erp.sales_orders_by_external_ref.get(ref)
        if booked:
            doc = estate.erp.documents[booked[0]]
            steps.append((doc.booked_at, OrderStatus.ACCEPTED, "erp"))
        release = estate.wms.order_release(ref)
        if release is not None:
            steps.append((release.released_at, OrderStatus.RELEASED, "wms"))
            if release.status == "picked" or (release.status == "shipped" and release.picked):
                steps.append(
                    (self._seen(ref, "picked", release.shipped_at), OrderStatus.PICKED, "wms")
                )
            if release.status == "shipped" and release.picked:
                steps.append((release.shipped_at, OrderStatus.SHIPPED, "wms"))
            elif release.status in ("shipped", "cancelled"):  # nothing picked: cancelled
                steps.append((self._seen(ref, "cancelled"), OrderStatus.CANCELLED, "wms"))
        pickup = estate.pos.pickups.get(ref)
        if pickup is not None:
            steps.append(
                (self._seen(ref, "released", pickup.collected_at), OrderStatus.RELEASED, "pos")
            )
            if pickup.status in ("ready", "collected") and pickup.picked:
                ready_at = self._seen(ref, "ready", pickup.collected_at)
                steps.append((ready_at, OrderStatus.READY_FOR_PICKUP, "pos"))
            if pickup.status == "collected":
                steps.append((pickup.collected_at, OrderStatus.COLLECTED, "pos"))
            elif pickup.status == "cancelled" or (pickup.status == "ready" and not pickup.picked):
                steps.append((self._seen(ref, "cancelled"), OrderStatus.CANCELLED, "pos"))
        for _, status, at in placed.notices:
            rank = ORDER_RANK.get(status)
            if rank is not None:
                steps.append((at, OrderStatus(rank), placed.channel))
        return steps

    def order(self, placed: ChannelOrder, auths: list[Authorization]) -> Order:
        """The order as the systems hold it now; `auths` are the gateway's
        authorisations for it."""
        estate, ref = self._result.estate, placed.ref
        release = estate.wms.order_release(ref)
        pickup = estate.pos.pickups.get(ref)
        shipped = self.delivered(placed)
        short: dict[str, int] = {}
        location = shipment = ""
        shipped_at = -1.0
        if release is not None:
            location = release.dc
            if shipped:
                # the WMS's shipment number, as its notice gave it the built-in hub
                shipment, shipped_at = release.shipment_no, release.shipped_at
            short = dict(release.short)
        elif pickup is not None:
            location = pickup.store
            picked = dict(pickup.picked)
            if shipped:
                shipment, shipped_at = f"{pickup.store}/{pickup.order_ref}", pickup.collected_at
            if pickup.status in ("ready", "collected"):
                short = {sku: qty - picked.get(sku, 0) for sku, qty, _, _ in placed.lines}
        booked = estate.erp.sales_orders_by_external_ref.get(ref) or []
        order = Order(
            order_id=ref,
            channel=placed.channel,
            channel_order_id=ref,
            customer_id=placed.customer_id,
            placed_at=placed.placed_at,
            received_at=placed.placed_at,
            lines=[
                OrderLine(
                    i + 1,
                    sku,
                    qty,
                    price,
                    tax,
                    max(0, short.get(sku, 0)),
                    shipped.get(sku, 0),
                    *_cut_from(placed.terms.get(sku), price),
                )
                for i, (sku, qty, price, tax) in enumerate(placed.lines)
            ],
            location=location,
            pickup_store=placed.pickup_store,
            erp_order_no=booked[0] if booked else "",
            erp_booked_at=estate.erp.documents[booked[0]].booked_at if booked else -1.0,
            payment_auth_id=auths[-1].auth_id if auths else "",
            payment_state=PaymentState(gateway_state(ref in estate.payment.declined, auths)),
            captured_cents=sum(auth.captured for auth in auths),
            invoiced=bool(estate.erp.by_ref.get(f"INV-{ref}")),
            shipment_id=shipment,
            shipped_at=shipped_at,
            cancel_requested=placed.cancel_requested_at >= 0,
            acked_at=placed.acked_at,
            changes=[OrderStatus.RECEIVED, placed.placed_at, placed.channel],
        )
        parts = estate.wms.legs.get(ref, [])
        if len(parts) > 1:
            order.legs = _legs(order, parts)
        _apply(order.advance, self.order_steps(placed))
        if order.status is OrderStatus.CANCELLED and order.cancel_requested:
            order.cancel_reason = "customer"
        return order

    def delivered(self, placed: ChannelOrder) -> dict[str, int]:
        """Units of each SKU that reached the customer: shipped by a DC, or collected
        at a store."""
        estate, ref = self._result.estate, placed.ref
        release = estate.wms.order_release(ref)
        if release is not None:
            return dict(release.picked) if release.status == "shipped" else {}
        pickup = estate.pos.pickups.get(ref)
        if pickup is not None and pickup.status == "collected":
            return dict(pickup.picked)
        return {}

    def status(self, placed: ChannelOrder) -> OrderStatus:
        """How far the systems' records say the order got (the status `order` gives)."""
        probe = Order(placed.ref, placed.channel, placed.ref, placed.customer_id, 0.0, 0.0, [])
        _apply(probe.advance, self.order_steps(placed))
        return probe.status

    # -- returns -----------------------------------------------------------------------

    def return_steps(self, opened: OpenedReturn, refunds: list[MoneyMovement]) -> list[ReturnStep]:
        estate, rid = self._result.estate, opened.return_id
        steps: list[ReturnStep] = [(opened.opened_at, ReturnStatus.REQUESTED, opened.channel)]
        if opened.store:  # over a counter: received and graded on the spot
            steps.append((opened.opened_at, ReturnStatus.RECEIVED, "pos"))
            steps.append((opened.opened_at, ReturnStatus.INSPECTED, "pos"))
            if opened.refunded_at_till_cents:
                steps.append((opened.opened_at, ReturnStatus.REFUNDED, "pos"))
        expected = estate.wms.returns.get(rid)
        if expected is not None:
            steps.append(
                (
                    self._seen(rid, "authorised", expected.received_at),
                    ReturnStatus.AUTHORISED,
                    "wms",
                )
            )
            if expected.received_at >= 0:
                steps.append((expected.received_at, ReturnStatus.RECEIVED, "wms"))
            if expected.status == "inspected":
                steps.append((self._seen(rid, "inspected"), ReturnStatus.INSPECTED, "wms"))
        steps += [(movement.at, ReturnStatus.REFUNDED, "payment") for movement in refunds[:1]]
        memos = estate.erp.by_ref.get(f"CM-{rid}")
        if memos and (refunds or opened.refunded_at_till_cents):
            # the books agree with the money: the return is done
            booked_at = estate.erp.documents[memos[0]].booked_at
            refunded_at = refunds[0].at if refunds else opened.opened_at
            steps.append((max(booked_at, refunded_at), ReturnStatus.CLOSED, "erp"))
        for channel in (estate.storefront, *estate.marketplaces):
            for notice in channel.return_statuses.get(rid, ()):
                rank = RETURN_RANK.get(notice.status)
                if rank is not None:
                    steps.append((notice.received_at, ReturnStatus(rank), channel.name))
        return steps

    def return_of(self, opened: OpenedReturn, refunds: list[MoneyMovement]) -> Return:
        """The return as the systems hold it now; `refunds` are the gateway's refunds
        made for it."""
        estate, rid = self._result.estate, opened.return_id
        expected = estate.wms.returns.get(rid)
        grade = opened.grade or (expected.grade if expected is not None else "")
        memos = estate.erp.by_ref.get(f"CM-{rid}") or []
        till = opened.refunded_at_till_cents > 0
        ret = Return(
            return_id=rid,
            order_id=opened.order_id,
            channel=opened.channel,
            requested_at=opened.opened_at,
            lines=[ReturnLine(sku, qty, net, tax) for sku, qty, net, tax in opened.lines],
            location=opened.store or (expected.dc if expected is not None else ""),
            received_at=(
                opened.opened_at
                if opened.store
                else expected.received_at
                if expected is not None
                else -1.0
            ),
            grade=grade,
            disposition="" if not grade else "restock" if grade == "resellable" else "quarantine",
            refund_id=refunds[0].movement_id if refunds else "",
            refund_state=RefundState.REFUNDED if refunds or till else RefundState.NONE,
            refunded_at=refunds[0].at if refunds else opened.opened_at if till else -1.0,
            credit_memo_no=memos[0] if memos else "",
            history=[ReturnStatusChange(ReturnStatus.REQUESTED, opened.opened_at, opened.channel)],
        )
        _apply(ret.advance, self.return_steps(opened, refunds))
        return ret


def _apply(
    advance: Callable[[Any, float, str, bool], bool], steps: Iterable[tuple[float, Any, str]]
) -> None:
    """Each step in the order it happened (steps at the same instant in rank order),
    through the aggregate's own `advance` with ordering on."""
    for at, status, source in sorted(steps, key=lambda step: (step[0], step[1])):
        advance(status, at, source, True)


def _cut_from(terms: tuple[int, str] | None, price: int) -> tuple[int, str]:
    """(list price, promotion) of a line as the hub keeps them: 0 and "" when the
    channel charged the list price."""
    if terms is None or (terms[0] == price and not terms[1]):
        return 0, ""
    return terms
