"""Domain objects projected into read-model records: the one place that knows both.

Whoever keeps the read model current (the finished-run writer, the live projector) asks
here for an aggregate's records and for its fingerprint. The fingerprint is the tuple of
everything projected; when it has not changed since the last projection, the aggregate
is clean and is not written again, which is the read model's dirty tracking.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from hub.adapters.read_model.records import (
    ChannelPriceRecord,
    FulfillmentRecord,
    FulfillmentStatus,
    OrderRecord,
    PositionRecord,
    ReturnRecord,
)
from hub.model.inventory import InventoryPosition
from hub.model.order import Channel, FulfilmentLeg, Order
from hub.model.returns import Return
from hub.services.price_sync import HeldPrice

#: the payment collector of an order whose money the retailer's own gateway takes
GATEWAY_COLLECTOR = "gateway"


#: an aggregate's child rows as made here: each record type's fields in order, its
#: table's columns (`OrderLineRecord`, `StatusChangeRecord`, `PaymentRecord`,
#: `ShipmentRecord`, `ReturnLineRecord`). A finished run's file binds them as they are,
#: as the SQLAlchemy store does (`bulk.insert_records`): some 17,000 on steady-day,
#: each of which cost a record made (0.45 µs) and read back as this tuple (0.5 µs)
OrderLineRow = tuple[str, int, str, int, int, int, int, int, int, str]
StatusChangeRow = tuple[str, int, str, float, str]
PaymentRow = tuple[str, str, str, int, int]
ShipmentRow = tuple[str, str, str, str, float]
ReturnLineRow = tuple[str, int, str, int, int, int]


class OrderSnapshot:
    """An order's record and its children's rows, read-only. A plain class, not a
    dataclass: compiled, a dataclass is built by the `__init__` that `dataclasses`
    writes (interpreted, some 9,000 instructions a snapshot: 20M for steady-day's
    2,229 orders in `run --out`'s writer, callgrind) and made at import by compiling
    its methods' source; this one's constructor is mypyc's own."""

    def __init__(
        self,
        order: OrderRecord,
        lines: list[OrderLineRow],
        history: list[StatusChangeRow],
        payments: list[PaymentRow],
        shipments: list[ShipmentRow],
        fulfillments: list[FulfillmentRecord] | None = None,
    ) -> None:
        self.order: Final = order
        self.lines: Final = lines
        self.history: Final = history
        self.payments: Final = payments
        self.shipments: Final = shipments
        self.fulfillments: Final = [] if fulfillments is None else fulfillments


#: the carrier that takes every DC parcel. The WMS's shipment notice names no carrier,
#: only the shipment number, which is the parcel's tracking number; adding a carrier to
#: the notice would change every run's digest, so the twin's one carrier is named here
PARCEL_CARRIER = "Twin Parcel"
PARCEL_TRACKING_URL = "https://track.twin-parcel.example/{number}"


class ReturnSnapshot:
    """A return's record and its children's rows, read-only; a plain class, as
    `OrderSnapshot` is."""

    def __init__(
        self, ret: ReturnRecord, lines: list[ReturnLineRow], history: list[StatusChangeRow]
    ) -> None:
        self.ret: Final = ret
        self.lines: Final = lines
        self.history: Final = history


def order_fingerprint(order: Order, refunded_cents: int) -> tuple[object, ...]:
    return (
        order.status,
        order.version,
        order.payment_state,
        order.captured_cents,
        order.erp_order_no,
        order.invoiced,
        order.shipment_id,
        order.exception,
        order.location,
        order.cancel_reason,
        refunded_cents,
        tuple((line.short_quantity, line.shipped_quantity) for line in order.lines),
        # a review or a tax answer changes no status or version: fingerprinted apart
        order.review_state,
        order.review_case,
        order.review_decided_at,
        order.tax_state,
        order.tax_estimated,
        order.tax_liability_cents,
    )


def return_fingerprint(ret: Return) -> tuple[object, ...]:
    return (
        ret.status,
        len(ret.history),
        ret.grade,
        ret.refund_state,
        ret.credit_memo_no,
        ret.exception,
        ret.location,
        len(ret.lines),
    )


def position_fingerprint(position: InventoryPosition, source_seq_latest: int) -> tuple[object, ...]:
    return (
        position.on_hand,
        position.reserved,
        position.quarantined,
        position.in_transit,
        position.safety_stock,
        position.source_seq,
        source_seq_latest,
    )


def refunded_cents(returns: Iterable[Return]) -> int:
    """Money the gateway paid back for an order's returns, as the hub recorded it."""
    return sum(ret.refund_total_cents for ret in returns if ret.refund_state == "refunded")


def order_snapshot(order: Order, refunded: int, now: float) -> OrderSnapshot:
    record = OrderRecord(
        id=order.order_id,
        channel=order.channel,
        channel_order_id=order.channel_order_id,
        customer_id=order.customer_id,
        status=order.status.label,
        status_rank=int(order.status),
        placed_at=order.placed_at,
        received_at=order.received_at,
        location=order.location,
        pickup_store=order.pickup_store,
        payment_state=order.payment_state.value,
        captured_cents=order.captured_cents,
        total_cents=order.total_cents,
        erp_order_no=order.erp_order_no,
        invoiced=order.invoiced,
        cancel_reason=order.cancel_reason,
        exception=order.exception,
        version=order.version,
        updated_at=now,
        review_state=order.review_state.value,
        review_case=order.review_case,
        review_decided_at=order.review_decided_at,
        tax_state=order.tax_state.value,
        tax_estimated=order.tax_estimated,
        tax_liability_cents=order.tax_liability_cents,
        payment_collector=order.channel if order.paid_by_channel else GATEWAY_COLLECTOR,
        marketplace=order.marketplace_system if order.channel == Channel.MARKETPLACE else "",
    )
    lines: list[OrderLineRow] = [
        (
            order.order_id,
            line.line_no,
            line.sku,
            line.quantity,
            line.unit_price_cents,
            line.tax_cents,
            line.short_quantity,
            line.shipped_quantity,
            line.list_price_cents,
            line.promotion,
        )
        for line in order.lines
    ]
    history: list[StatusChangeRow] = [
        (order.order_id, i, change.status.label, change.at, change.source)
        for i, change in enumerate(order.history)
    ]
    payments: list[PaymentRow] = []
    if order.payment_auth_id:
        payments.append(
            (
                order.order_id,
                order.payment_auth_id,
                order.payment_state.value,
                order.captured_cents,
                refunded,
            )
        )
    shipments: list[ShipmentRow] = []
    if order.legs:  # shipped in parts: a parcel per part that left
        shipments = [
            (order.order_id, leg.shipment_id, "parcel", leg.location, leg.shipped_at)
            for leg in order.legs
            if _carried(order, leg)
        ]
    elif order.shipment_id:
        kind = "collection" if order.pickup_store else "parcel"
        shipments.append(
            (order.order_id, order.shipment_id, kind, order.location, order.shipped_at)
        )
    return OrderSnapshot(record, lines, history, payments, shipments, fulfillments(order))


def fulfillments(order: Order) -> list[FulfillmentRecord]:
    """The goods that left for the customer: one fulfillment per shipment, with the
    lines and units shipped in it. A parcel is tracked under its shipment number; a
    store collection is handed over the counter and has no tracking. An order shipped in
    parts from several DCs has one per part that left, each from its own DC."""
    if order.legs:
        return [_part_shipped(order, leg) for leg in order.legs if _carried(order, leg)]
    if not order.shipment_id:
        return []
    collected = bool(order.pickup_store)
    number = "" if collected else order.shipment_id
    return [
        FulfillmentRecord(
            order_id=order.order_id,
            fulfillment_id=order.shipment_id,
            status=FulfillmentStatus.SUCCESS.value,
            location=order.location,
            created_at=order.shipped_at,
            tracking_company="" if collected else PARCEL_CARRIER,
            tracking_number=number,
            tracking_url="" if collected else PARCEL_TRACKING_URL.format(number=number),
            lines=[
                {"line_no": line.line_no, "sku": line.sku, "quantity": line.shipped_quantity}
                for line in order.lines
                if line.shipped_quantity
            ],
        )
    ]


def _carried(order: Order, leg: FulfilmentLeg) -> bool:
    """The part left its DC with something in it (a part picked empty sends nothing)."""
    return bool(leg.shipment_id) and any(
        line.shipped_quantity for line in order.lines if line.line_no in leg.line_nos
    )


def _part_shipped(order: Order, leg: FulfilmentLeg) -> FulfillmentRecord:
    return FulfillmentRecord(
        order_id=order.order_id,
        fulfillment_id=leg.shipment_id,
        status=FulfillmentStatus.SUCCESS.value,
        location=leg.location,
        created_at=leg.shipped_at,
        tracking_company=PARCEL_CARRIER,
        tracking_number=leg.shipment_id,
        tracking_url=PARCEL_TRACKING_URL.format(number=leg.shipment_id),
        lines=[
            {"line_no": line.line_no, "sku": line.sku, "quantity": line.shipped_quantity}
            for line in order.lines
            if line.line_no in leg.line_nos and line.shipped_quantity
        ],
    )


def return_snapshot(ret: Return, now: float) -> ReturnSnapshot:
    record = ReturnRecord(
        id=ret.return_id,
        order_id=ret.order_id,
        channel=ret.channel,
        status=ret.status.label,
        status_rank=int(ret.status),
        requested_at=ret.requested_at,
        received_at=ret.received_at,
        location=ret.location,
        grade=ret.grade,
        disposition=ret.disposition,
        refund_id=ret.refund_id,
        refund_state=ret.refund_state.value,
        refunded_at=ret.refunded_at,
        refund_total_cents=ret.refund_total_cents,
        credit_memo_no=ret.credit_memo_no,
        exception=ret.exception,
        updated_at=now,
    )
    lines: list[ReturnLineRow] = [
        (ret.return_id, i + 1, line.sku, line.quantity, line.refund_cents, line.tax_cents)
        for i, line in enumerate(ret.lines)
    ]
    history: list[StatusChangeRow] = [
        (ret.return_id, i, change.status.label, change.at, change.source)
        for i, change in enumerate(ret.history)
    ]
    return ReturnSnapshot(record, lines, history)


def position_record(
    position: InventoryPosition, source_system: str, source_seq_latest: int, now: float
) -> PositionRecord:
    return PositionRecord(
        sku=position.sku,
        location=position.location,
        on_hand=position.on_hand,
        reserved=position.reserved,
        safety_stock=position.safety_stock,
        in_transit=position.in_transit,
        quarantined=position.quarantined,
        available=position.available,
        source_system=source_system,
        source_seq=position.source_seq,
        source_ts=position.source_ts,
        source_seq_latest=source_seq_latest,
        updated_at=now,
    )


def channel_price_record(held: HeldPrice, now: float) -> ChannelPriceRecord:
    """A held price as its row; the held price itself is its fingerprint (frozen, and
    everything projected)."""
    return ChannelPriceRecord(
        sku=held.sku,
        channel=held.channel,
        price_cents=held.price_cents,
        list_price_cents=held.list_price_cents,
        promotion=held.promotion,
        version=held.version,
        heard_at=held.heard_at,
        pushed_version=held.pushed_version,
        pushed_at=-1.0 if held.pushed_at is None else held.pushed_at,
        updated_at=now,
    )
