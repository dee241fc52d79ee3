"""The cross-system view of an order: what each backend records about it right now, and
where they disagree with the hub.

This is the view the ERP integration problem is about. In a real deployment each
record would come from that backend's API through an adapter (the ERP's sales-order
lookup, the WMS's release status, the gateway's authorisation, the marketplace's order);
in the twin the scenarios layer reads the simulators' own state, which is the same truth
the checker uses. A disagreement is not necessarily a bug: a message may be in flight.
Disagreements that persist after queues drain are what the checker fails on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hub.adapters.read_model.records import OrderSyncRecord, SystemRecordRow
from hub.model.order import FINAL, FULFILLED, Channel, Order, OrderStatus
from hub.services.channel_updates import MARKETPLACE_STATUSES, STOREFRONT_STATUSES
from scenarios.twin.projection import erp_part
from scenarios.twin.projection.erp_part import ErpPart
from scenarios.twin.run_result import RunResult
from simulators.channel import ChannelOrder
from simulators.payment import Authorization, MoneyMovement, Refusal
from simulators.release import Release, as_one


@dataclass(slots=True)
class GatewayIndex:
    """The payment gateway's records by order reference, kept up to date incrementally
    (the gateway holds them as one dict and flat lists, fine for it, slow to search)."""

    auths_by_reference: dict[str, list[Authorization]] = field(default_factory=dict)
    #: captures, refunds and voids by the authorisation they moved money on
    movements_by_auth: dict[str, list[tuple[str, MoneyMovement]]] = field(default_factory=dict)
    #: refused requests: by authorisation, or by order reference for a declined one
    refusals_by_key: dict[str, list[Refusal]] = field(default_factory=dict)
    #: a settling marketplace's charges ("sale") and refunds, by the order they are for
    desk_movements_by_order: dict[str, list[tuple[str, MoneyMovement]]] = field(
        default_factory=dict
    )
    _seen_auths: int = 0
    _seen: dict[str, int] = field(default_factory=dict)

    def refresh(self, result: RunResult) -> None:
        gateway = result.estate.payment
        for kind, movements in (
            ("capture", gateway.captures),
            ("refund", gateway.refunds),
            ("void", gateway.voids),
        ):
            for movement in movements[self._seen.get(kind, 0) :]:
                self.movements_by_auth.setdefault(movement.auth_id, []).append((kind, movement))
            self._seen[kind] = len(movements)
        for refusal in gateway.refusals[self._seen.get("refusal", 0) :]:
            key = refusal.auth_id or refusal.reference
            self.refusals_by_key.setdefault(key, []).append(refusal)
        self._seen["refusal"] = len(gateway.refusals)
        for marketplace in result.estate.marketplaces:
            desk = marketplace.settlement
            if desk is None:
                continue
            for kind, movements in (("sale", desk.charges), ("desk_refund", desk.refunds)):
                seen = (
                    kind
                    if marketplace is result.estate.marketplace
                    else f"{kind}:{marketplace.system}"
                )
                for movement in movements[self._seen.get(seen, 0) :]:
                    # a desk movement's auth_id is the order it is for
                    by_order = self.desk_movements_by_order.setdefault(movement.auth_id, [])
                    by_order.append((kind, movement))
                self._seen[seen] = len(movements)
        auths = gateway.authorizations
        if len(auths) == self._seen_auths:
            return
        for auth in list(auths.values())[self._seen_auths :]:
            self.auths_by_reference.setdefault(auth.reference, []).append(auth)
        self._seen_auths = len(auths)


def _disagree(system: str, name: str, hub: object, theirs: object) -> dict[str, Any]:
    return {"system": system, "field": name, "hub": str(hub), "system_value": str(theirs)}


def _erp(order: Order, part: ErpPart) -> tuple[list[SystemRecordRow], list[dict[str, Any]]]:
    """The ERP's rows of `order` (`erp_part`) and where they disagree with the hub."""
    records = part.sales_orders + part.invoices
    problems = []
    numbers = part.numbers
    if len(numbers) > 1:
        problems.append(_disagree("erp", "salesOrders", 1, len(numbers)))
    if not numbers and order.status != OrderStatus.CANCELLED:
        problems.append(_disagree("erp", "salesOrder", order.erp_order_no or "expected", "none"))
    if numbers and not order.erp_order_no and order.status != OrderStatus.CANCELLED:
        problems.append(_disagree("erp", "salesOrder", "none", numbers[0]))
    if numbers:
        status = part.status
        expected = (
            "cancelled"
            if order.status == OrderStatus.CANCELLED
            else "invoiced"
            if order.invoiced
            else "open"
        )
        if order.erp_order_no and status != expected:
            problems.append(_disagree("erp", "salesOrderStatus", expected, status))
    return records, problems


def _fulfilment(
    result: RunResult, order: Order
) -> tuple[list[SystemRecordRow], list[dict[str, Any]]]:
    records: list[SystemRecordRow] = []
    problems = []
    hub_status = order.status
    if order.pickup_store:
        pickup = result.estate.pos.pickups.get(order.order_id)
        system = "pos"
        if pickup is not None:
            picked = sum(qty for _, qty in pickup.picked)
            records.append(
                (
                    order.order_id,
                    system,
                    f"{pickup.store}/{pickup.order_ref}",
                    pickup.status,
                    pickup.collected_at,
                    {"store": pickup.store, "picked_units": picked},
                    pickup.requested_at,
                    max(pickup.requested_at, pickup.changed_at),
                )
            )
        theirs = "none" if pickup is None else pickup.status
        done = theirs == "collected"
    else:
        # the order's parts, each read once: a finished part is read back from the
        # run's spill (a query and a copy each), and the release judged below is made of
        # them by the rule `Wms.order_release` reads them with (`as_one`)
        parts = result.estate.wms.legs.get(order.order_id) or []
        release = as_one(parts)
        system = "wms"
        # a record per release: one, or one per part of an order shipped in parts (a
        # drop-ship partner's part under the partner's own system)
        partner_of = {p.location: name for name, p in result.estate.partners.items()}
        for part in parts:
            records.append(
                (
                    order.order_id,
                    partner_of.get(part.dc, system),
                    f"{part.dc}/{part.order_ref}",
                    part.status,
                    part.shipped_at if part.shipped_at >= 0 else part.released_at,
                    {
                        "dc": part.dc,
                        "picked_units": sum(q for _, q in part.picked),
                        "short_units": sum(q for _, q in part.short),
                        **_purchase_order(result, partner_of.get(part.dc), part),
                    },
                    part.released_at,
                    max(part.released_at, part.changed_at),
                )
            )
        theirs = "none" if release is None else release.status
        done = theirs == "shipped"
    if (hub_status in FULFILLED) != done:
        problems.append(_disagree(system, "fulfilled", hub_status.label, theirs))
    elif hub_status == OrderStatus.CANCELLED and theirs not in ("none", "cancelled"):
        problems.append(_disagree(system, "status", hub_status.label, theirs))
    elif OrderStatus.RELEASED <= hub_status < OrderStatus.SHIPPED and theirs == "none":
        problems.append(_disagree(system, "released", hub_status.label, theirs))
    return records, problems


def _purchase_order(result: RunResult, system: str | None, part: Release) -> dict[str, Any]:
    """A drop-ship partner's own dates of its PO for this part ({} for a DC's part):
    when it acknowledged it (absent: not yet), how often the hub sent it again, and
    whether its shipment notice went late."""
    if system is None:
        return {}
    po = result.estate.partners[system].orders.get(part.key)
    if po is None:
        return {}
    fields: dict[str, Any] = {"po_sent_again": po.resent, "late_notice": po.late}
    if po.acked_at >= 0:
        fields["po_acknowledged_at"] = round(po.acked_at, 3)
    return fields


def gateway_state(declined: bool, auths: list[Authorization]) -> str:
    """An order's payment as the gateway holds it (a `PaymentState` value): `declined`
    says whether the gateway refused an authorisation for it."""
    if not auths:
        return "declined" if declined else "none"
    if any(auth.captured for auth in auths):
        return "captured"
    if all(auth.voided for auth in auths):
        return "voided"
    return "authorised"


def _payment(
    result: RunResult, order: Order, index: GatewayIndex
) -> tuple[list[SystemRecordRow], list[dict[str, Any]]]:
    auths = index.auths_by_reference.get(order.order_id, [])
    now = result.estate.now
    records: list[SystemRecordRow] = []
    for auth in auths:
        status = (
            "voided"
            if auth.voided
            else "captured"
            if auth.captured
            else "expired"
            if now > auth.expires_at
            else "authorised"
        )
        records.append(
            (
                order.order_id,
                "payment",
                auth.auth_id,
                status,
                auth.created_at,
                {
                    "authorised_cents": auth.amount,
                    "captured_cents": auth.captured,
                    "refunded_cents": auth.refunded,
                },
                auth.created_at,
                # an authorisation that lapsed changed when it expired
                max(
                    auth.created_at, auth.changed_at, auth.expires_at if status == "expired" else -1
                ),
            )
        )
    problems = []
    theirs = gateway_state(order.order_id in result.estate.payment.declined, auths)
    if order.payment_state != "failed" and order.payment_state != theirs:
        problems.append(_disagree("payment", "state", order.payment_state, theirs))
    captured = sum(auth.captured for auth in auths)
    if order.payment_state == "captured" and captured != order.captured_cents:
        problems.append(_disagree("payment", "capturedCents", order.captured_cents, captured))
    return records, problems


def _collected(
    order: Order, index: GatewayIndex
) -> tuple[list[SystemRecordRow], list[dict[str, Any]]]:
    """An order a settling marketplace collected never meets the gateway: its money is
    the marketplace payments desk's charge (for what the hub confirmed shipped) and
    refunds, which the hub's payment state is held to instead."""
    movements = index.desk_movements_by_order.get(order.order_id, [])
    charges = [movement for kind, movement in movements if kind == "sale"]
    refunded = sum(movement.amount for kind, movement in movements if kind == "desk_refund")
    records = [
        (
            order.order_id,
            "marketplace",
            charge.movement_id,
            "charged",
            charge.at,
            {"charged_cents": charge.amount, "refunded_cents": refunded},
            charge.at,
            charge.at,
        )
        for charge in charges
    ]
    problems = []
    charged = sum(charge.amount for charge in charges)
    if charges and order.payment_state != "captured":
        problems.append(_disagree("marketplace", "paymentState", order.payment_state, "captured"))
    if order.payment_state == "captured" and charged != order.captured_cents:
        problems.append(_disagree("marketplace", "capturedCents", order.captured_cents, charged))
    return records, problems


def channel_milestone(order: Order) -> str:
    """The status the order's channel should show once every notice has arrived: the
    latest milestone it is told of (hub/services/channel_updates.py), or "placed" before
    the first. A channel never hears the warehouse's release and pick, so an order the
    hub has picked is rightly still "accepted" on the storefront."""
    heard = MARKETPLACE_STATUSES if order.channel == Channel.MARKETPLACE else STOREFRONT_STATUSES
    reached = [status for status in heard if status <= order.status]
    return max(reached).label if reached else "placed"


def _channel(result: RunResult, order: Order) -> tuple[list[SystemRecordRow], list[dict[str, Any]]]:
    placed: ChannelOrder | None = None
    if order.channel == "marketplace":
        for marketplace in result.estate.marketplaces:
            placed = placed or marketplace.orders.get(order.channel_order_id)
    else:
        placed = result.estate.storefront.orders.get(order.channel_order_id)
    if placed is None:
        return [], []
    channel_name = placed.channel if placed.channel == "marketplace" else "web"
    # read once: the property builds its tuples from the order's flat record each time
    notices = placed.notices
    latest = max(notices, default=None)
    status = latest[1] if latest is not None else "placed"
    fields: dict[str, Any] = {
        "units": sum(qty for _, qty, _, _ in placed.lines),
        "cancel_requested": placed.cancel_requested_at >= 0,
    }
    if placed.cancel_reason:
        fields["cancel_reason"] = placed.cancel_reason
    if order.channel == "marketplace":
        fields["acknowledged"] = placed.acked_at >= 0
    changed = [placed.placed_at, placed.cancel_requested_at, placed.acked_at]
    changed += [received for _, _, received in notices]
    record: SystemRecordRow = (
        order.order_id,
        channel_name,
        placed.ref,
        status,
        placed.placed_at,
        fields,
        placed.placed_at,
        max(changed),
    )
    problems = []
    expected = channel_milestone(order)
    # before the first notice arrives the channel knows only that it took the order; a
    # final status it never hears of is a disagreement (in flight, or lost)
    if (latest is not None or order.status in FINAL) and status != expected:
        problems.append(_disagree(channel_name, "status", expected, status))
    return [record], problems


def order_view(
    result: RunResult, order: Order, index: GatewayIndex, erp: ErpPart | None = None
) -> tuple[list[SystemRecordRow], OrderSyncRecord]:
    """Every backend's record of `order`, as its row (`SystemRecordRow`: the stores
    bind it as it is), and the list of disagreements with the hub. `erp`: the order's
    part in the ERP when read already (`erp_part.by_scan`), else read here by key."""
    records: list[SystemRecordRow] = []
    problems: list[dict[str, Any]] = []
    for part in (
        _channel(result, order),
        _erp(order, erp_part.by_key(result.estate.erp, order) if erp is None else erp),
        _fulfilment(result, order),
        _collected(order, index) if order.paid_by_channel else _payment(result, order, index),
    ):
        records += part[0]
        problems += part[1]
    now = result.estate.now
    return records, OrderSyncRecord(order.order_id, not problems, problems, now)
