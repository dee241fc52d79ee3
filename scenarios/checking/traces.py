"""What the simulated systems recorded of the hub's doing: the traces a hub leaves in
the systems it drives, indexed for the checks that may not look inside the hub.

Why this is enough to judge a hub by: everything a hub does that matters to the
retailer ends up in some system of record. It books sales orders and invoices in the
ERP, releases orders to a DC or a store, takes and gives back money at the gateway,
acknowledges marketplace orders and tells the channels how each order and return
stands. A hub cannot fake these records, because each system wrote its own. What it
believes in between (its queues, its book, its exception queue) is its own claim, and
the ground-truth checks do without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from hub.model.order import OrderStatus
from hub.model.returns import ReturnStatus
from scenarios.twin.run_result import RunResult
from simulators.channel import ChannelOrder, SalesChannel
from simulators.channel_returns import ReturnNotice
from simulators.erp import ErpDocument
from simulators.payment import Authorization

#: each order status's rank, by the label a channel hears
ORDER_RANK = {status.label: int(status) for status in OrderStatus}
#: each return status's rank, by the label a channel hears
RETURN_RANK = {status.label: int(status) for status in ReturnStatus}
#: order statuses a hub never moves an order out of
FINAL_ORDER = frozenset(
    {OrderStatus.SHIPPED.label, OrderStatus.COLLECTED.label, OrderStatus.CANCELLED.label}
)
#: return statuses a channel hears that a hub never moves a return out of
FINAL_RETURN = frozenset({ReturnStatus.REJECTED.label})
CANCELLED = OrderStatus.CANCELLED.label
RECEIVED = ReturnStatus.RECEIVED.label
REFUNDED = ReturnStatus.REFUNDED.label


@dataclass(frozen=True, slots=True)
class Traces:
    """The records, by the reference the hub used."""

    #: order ref -> the payment authorisations made for it
    authorisations: dict[str, list[Authorization]]
    #: order ref -> the ERP invoices billed for it
    invoices: dict[str, list[ErpDocument]]
    #: return id -> the notices the channels received about it, from either channel
    return_notices: Mapping[str, list[ReturnNotice]]


def gather_traces(result: RunResult) -> Traces:
    estate = result.estate
    authorisations: dict[str, list[Authorization]] = {}
    for auth in estate.payment.authorizations.values():
        authorisations.setdefault(auth.reference, []).append(auth)
    invoices: dict[str, list[ErpDocument]] = {}
    for document in estate.erp.documents.values():
        if document.kind == "invoice":
            invoices.setdefault(document.external_ref, []).append(document)
    return Traces(authorisations, invoices, ChannelReturnNotices(channels(result)))


class ChannelReturnNotices(Mapping[str, list[ReturnNotice]]):
    """return id -> the notices every channel received about it, the channels in turn:
    the mapping a dict gathered from the channels' `return_statuses` would be (its ids
    in the order the channels first heard them, the first channel's first), read from
    the channels when asked. A gathered copy held every notice of the day a second
    time, as objects, while the run is judged: the channels keep them packed."""

    __slots__ = ("_channels",)

    def __init__(self, sales_channels: tuple[SalesChannel, ...]) -> None:
        self._channels = sales_channels

    def __getitem__(self, return_id: str) -> list[ReturnNotice]:
        notices: list[ReturnNotice] = []
        found = False
        for channel in self._channels:
            if return_id in channel.return_statuses:
                notices += channel.return_statuses[return_id]
                found = True
        if not found:
            raise KeyError(return_id)
        return notices

    def __contains__(self, return_id: object) -> bool:
        return any(return_id in channel.return_statuses for channel in self._channels)

    def __iter__(self) -> Iterator[str]:
        for n, channel in enumerate(self._channels):
            earlier = self._channels[:n]
            for return_id in channel.return_statuses:
                if not any(return_id in before.return_statuses for before in earlier):
                    yield return_id

    def __len__(self) -> int:
        return sum(1 for _ in self)


def channels(result: RunResult) -> tuple[SalesChannel, ...]:
    return (result.estate.storefront, *result.estate.marketplaces)


def reached_hub(result: RunResult, traces: Traces, order: ChannelOrder) -> bool:
    """Whether any system the hub drives has a trace of the order: a sales order in the
    ERP, a release to a DC or a store, a payment authorisation (or a decline), a
    marketplace acknowledgement, or any status notice the channel received. An order
    with none of these the hub never acted on, whatever it believes."""
    return left_a_trace(result, order, order.ref in traces.authorisations)


def left_a_trace(result: RunResult, order: ChannelOrder, authorised: bool) -> bool:
    """`reached_hub`, told whether the gateway holds an authorisation for the order
    (the one trace kept unindexed by reference), for a caller asking about one order."""
    ref, estate = order.ref, result.estate
    return bool(
        estate.erp.sales_orders_by_external_ref.get(ref)
        or ref in estate.wms.legs
        or ref in estate.pos.pickups
        or authorised
        or ref in estate.payment.declined
        or order.acked_at >= 0
        or order.notices
    )


def last_told(order: ChannelOrder) -> str | None:
    """The status the hub last told the channel, in the hub's own version order (None:
    it told it nothing). Web hears accepted, ready for pickup, shipped, collected and
    cancelled; the marketplace only shipped and cancelled."""
    if not order.notices:
        return None
    return max(order.notices)[1]


def ordered_return_notices(notices: list[ReturnNotice]) -> list[ReturnNotice]:
    """A return's notices in the order the hub sent them, by its own clock. Notices sent
    at the same instant are put in rank order: their order cannot be told apart, and a
    check must not call a regression what it cannot see."""
    return sorted(notices, key=lambda n: (n.sent_at, RETURN_RANK.get(n.status, -1)))


def money_held(traces: Traces, ref: str, now: float) -> Iterator[Authorization]:
    """Authorisations for the order that still hold the customer's money: neither
    voided, nor captured, nor expired by `now`."""
    for auth in traces.authorisations.get(ref, ()):
        if not auth.voided and not auth.captured and auth.expires_at > now:
            yield auth
