"""Return fields every schema shares. The schemas add `order` (an entity of the orders
subgraph), `location` and `lines` (whose `sku` belongs to the inventory subgraph)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from graph.context import GraphInfo
from graph.types.common import ReturnStatus, SalesChannel, StatusChange, TimelineEvent
from graph.types.money import Money
from graph.types.node import Node, NodeType, global_id
from graph.types.time import at, maybe_at
from hub.adapters.read_model.derived import ReturnClockRecord
from hub.adapters.read_model.records import ReturnLineRecord, ReturnRecord
from hub.model.payment import RefundState

RETURN_HELP = (
    "Goods a customer sends back (by post to a DC, or over a store counter), from the "
    "request through receipt and inspection to the refund and the ERP's credit memo."
)
RETURN_LINE_HELP = "One SKU coming back: how many units and what they refund."
RETURN_LINES_HELP = "What comes back, one line per SKU, in line number order."
RETURN_LOCATION_HELP = (
    "The DC (or, over a counter, the store) the goods come back to; null until the hub "
    "authorizes the return."
)
SKU_RETURNED_HELP = "The SKU sent back."
RETURN_ORDER_HELP = (
    "The order the goods came from; null for a return of a store sale, whose "
    "`orderId` is the till transaction."
)


@strawberry.type
class ReturnLineFields:
    line_number: int = strawberry.field(description="The line's place in the return, from 1.")
    sku_id: strawberry.ID = strawberry.field(description="The raw id of the SKU sent back.")
    quantity: int = strawberry.field(description="Units sent back.")
    refund_cents: int = strawberry.field(
        description="What the line refunds before tax, in cents.",
        deprecation_reason="Use `refund`: money with its currency.",
    )
    tax_cents: int = strawberry.field(
        description="The tax the line refunds, in cents.",
        deprecation_reason="Use `tax`: money with its currency.",
    )

    @classmethod
    def from_domain(cls, record: ReturnLineRecord) -> Self:
        return cls(
            line_number=record.line_no,
            sku_id=strawberry.ID(record.sku),
            quantity=record.quantity,
            refund_cents=record.refund_cents,
            tax_cents=record.tax_cents,
        )

    @strawberry.field(description="What the line refunds before tax.")
    def refund(self) -> Money:
        return Money.of_cents(self.refund_cents)

    @strawberry.field(description="The tax the line refunds.")
    def tax(self) -> Money:
        return Money.of_cents(self.tax_cents)


@strawberry.type
class ReturnFields(Node):
    legacy_resource_id: str = strawberry.field(
        description="The return's raw id (deprecated as an argument: pass `id`)."
    )
    order_id: strawberry.ID = strawberry.field(
        description="The order, or for a return of a store sale, the till transaction."
    )
    channel: SalesChannel = strawberry.field(
        description="The channel the goods were sold through: the order's, or STORE for a till "
        "sale."
    )
    status: ReturnStatus = strawberry.field(description="Where the return stands now.")
    requested_at: datetime = strawberry.field(
        description="When the customer asked to return the goods (simulated time)."
    )
    received_at: datetime | None = strawberry.field(
        description="When the goods arrived at the DC or store; null until they do."
    )
    location_id: str | None = strawberry.field(
        description="The raw id of the " + RETURN_LOCATION_HELP[4:]
    )
    grade: str | None = strawberry.field(description="resellable or damaged, from inspection.")
    disposition: str | None = strawberry.field(description="restock or quarantine.")
    refund_id: str | None = strawberry.field(
        description="The payment gateway's id of the refund; null until one is asked for."
    )
    refund_state: str = strawberry.field(
        description="none, pending, refunded, failed, or at_till (refunded in store)."
    )
    refunded_at: datetime | None = strawberry.field(
        description="When the money went back to the customer; null until it did."
    )
    refund_total_cents: int = strawberry.field(
        description="What the return refunds, tax included, in cents.",
        deprecation_reason="Use `totalRefund`: money with its currency.",
    )
    credit_memo_number: str | None = strawberry.field(
        description="The ERP credit memo that books the refund; set when the return closes."
    )
    exception: str | None = strawberry.field(
        description="Why the return sits in the exception queue, if it does."
    )
    updated_at: datetime = strawberry.field(
        description="When the hub last changed anything about the return (simulated time)."
    )

    @classmethod
    def from_domain(cls, record: ReturnRecord) -> Self:
        return cls(
            id=global_id(NodeType.RETURN, record.id),
            legacy_resource_id=record.id,
            order_id=strawberry.ID(record.order_id),
            channel=SalesChannel(record.channel),
            status=ReturnStatus(record.status),
            requested_at=at(record.requested_at),
            received_at=maybe_at(record.received_at),
            location_id=record.location or None,
            grade=record.grade or None,
            disposition=record.disposition or None,
            refund_id=record.refund_id or None,
            # the hub's word, checked against its enum; the API field stays a string
            refund_state=RefundState(record.refund_state).value,
            refunded_at=maybe_at(record.refunded_at),
            refund_total_cents=record.refund_total_cents,
            credit_memo_number=record.credit_memo_no or None,
            exception=record.exception or None,
            updated_at=at(record.updated_at),
        )

    @strawberry.field(description="Every status the return stepped to, oldest first.")
    async def status_history(self, info: GraphInfo) -> list[StatusChange]:
        return [
            StatusChange.of_return(r)
            for r in await info.context.loaders.return_history.load(self.legacy_resource_id)
        ]

    @strawberry.field(description="Every message about this return, in delivery order.")
    async def timeline(self, info: GraphInfo) -> list[TimelineEvent]:
        return [
            TimelineEvent.from_domain(r)
            for r in await info.context.loaders.return_timeline.load(self.legacy_resource_id)
        ]

    @strawberry.field(description="What the return refunds, tax included: its lines' sum.")
    def total_refund(self) -> Money:
        return Money.of_cents(self.refund_total_cents)

    async def line_records(self, info: GraphInfo) -> list[ReturnLineRecord]:
        return await info.context.loaders.return_lines.load(self.legacy_resource_id)

    async def _clock(self, info: GraphInfo) -> ReturnClockRecord:
        clock = await info.context.loaders.return_clock.load(self.legacy_resource_id)
        if clock is None:  # the return left the read model while this request ran
            raise LookupError(f"return {self.legacy_resource_id} is no longer in the read model")
        return clock

    @strawberry.field(
        description=(
            "Seconds from the request to the return's closure (closed or rejected), or "
            "to the data's current simulated time while it is open."
        )
    )
    async def age_seconds(self, info: GraphInfo) -> float:
        return (await self._clock(info)).age_s

    @strawberry.field(
        description=(
            "Whether the return broke the scenario's return-to-refund SLA, measured as "
            "the checker does: from the goods' receipt to the card refund, or to now "
            "while unrefunded. Till refunds and returns not yet received never have."
        )
    )
    async def sla_breached(self, info: GraphInfo) -> bool:
        return (await self._clock(info)).sla_breached
