"""A settling marketplace's payouts and how far the hub has reconciled them.

A marketplace that collects its buyers' money pays the retailer out on its schedule,
net of its commission, the refunds it made and the chargebacks it lost, and reports
each payout line by line. The hub matches every line to its own orders and returns,
applies its own figure (a line paid short becomes a claim on the marketplace) and books
the payout in the ERP (hub/services/settlement.py). These types show that work: the
payout's state, its totals, and each line as reported and as applied.

The enums mirror the read model's (hub/adapters/read_model/payouts.py `PayoutState`,
`PayoutLineState`; hub/model/settlement.py `PayoutLineKind`) value for value, and
`from_domain` is their one conversion; a test holds them equal. Fields only: the
schemas that serve them (graph/subgraphs/payouts.py) add the links to orders.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from graph.types.enum_values import enum_value
from graph.types.money import Money
from graph.types.node import Node, NodeType, global_id
from graph.types.states import SalesChannel
from graph.types.time import at, maybe_at
from hub.adapters.read_model.payout_records import (
    PayoutLineRecord,
    PayoutRecord,
)
from hub.adapters.read_model.payout_records import (
    PayoutLineState as ModelLineState,
)
from hub.adapters.read_model.payout_records import (
    PayoutState as ModelPayoutState,
)
from hub.model.settlement import PayoutLineKind

PAYOUT_HELP = (
    "Money a settling marketplace paid over (its settlement), with the report that says "
    "why, line by line, and how far the hub has reconciled it with its own orders and "
    "returns and booked it in the ERP."
)
PAYOUT_LINE_HELP = (
    "One line of a payout's settlement report: an order's charge paid over, the "
    "marketplace's commission, a refund or a chargeback deducted; as reported and as the "
    "hub applied it."
)
PAYOUT_LINES_HELP = (
    "The payout's lines in the report's order; `first`/`after` page forward, `last`/`before` back."
)
PAYOUT_LINE_ORDER_HELP = (
    "The order the line is about, if the API has it (null for an order it does not "
    "show); `orderReference` is its reference either way."
)


@strawberry.enum(description="Where a payout's reconciliation stands.")
class PayoutState(Enum):
    MATCHING = enum_value(
        ModelPayoutState.MATCHING.value,
        description=(
            "Received; some lines are not matched to the hub's orders and returns yet (a "
            "shipment confirmation or refund still on its way), and are tried again "
            "every five minutes."
        ),
    )
    POSTING = enum_value(
        ModelPayoutState.POSTING.value,
        description="Every line matched; sent to the ERP to book, no answer yet.",
    )
    BOOKED = enum_value(
        ModelPayoutState.BOOKED.value,
        description=(
            "The ERP booked it at the hub's figures: the deposit, the receivable cleared, "
            "fees, chargebacks and claims. Reconciled."
        ),
    )
    FAILED = enum_value(
        ModelPayoutState.FAILED.value,
        description="The ERP refused it, or the call was dead-lettered; a replay may book it.",
    )
    REPORTED = enum_value(
        ModelPayoutState.REPORTED.value,
        description=(
            "Over an external hub only: the marketplace sent its report and the ERP has "
            "not booked the payout; what the hub has made of it is the hub's own."
        ),
    )

    @classmethod
    def from_domain(cls, state: str) -> PayoutState:
        return cls(ModelPayoutState(state).value)


@strawberry.enum(description="Where one payout line's reconciliation stands.")
class PayoutLineState(Enum):
    UNMATCHED = enum_value(
        ModelLineState.UNMATCHED.value,
        description="Not matched to the hub's records yet: no applied amount.",
    )
    MATCHED = enum_value(
        ModelLineState.MATCHED.value,
        description="Matched, its amount applied at the hub's figure; the payout is not booked.",
    )
    BOOKED = enum_value(
        ModelLineState.BOOKED.value,
        description="Booked in the ERP with its payout, at the applied amount. Reconciled.",
    )
    REPORTED = enum_value(
        ModelLineState.REPORTED.value,
        description="Over an external hub only: reported, and its payout not booked.",
    )

    @classmethod
    def from_domain(cls, state: str) -> PayoutLineState:
        return cls(ModelLineState(state).value)


@strawberry.enum(description="What a payout line pays or deducts (the marketplace's word).")
class PayoutLineType(Enum):
    ORDER = enum_value(
        PayoutLineKind.ORDER.value, description="An order's charge paid over (positive)."
    )
    FEE = enum_value(
        PayoutLineKind.FEE.value,
        description="The marketplace's commission on an order (negative).",
    )
    REFUND = enum_value(
        PayoutLineKind.REFUND.value,
        description="A refund the marketplace made to a buyer for a return (negative).",
    )
    CHARGEBACK = enum_value(
        PayoutLineKind.CHARGEBACK.value,
        description="An order's charge taken back after the buyer disputed it (negative).",
    )
    OTHER = enum_value(
        "OTHER",
        description="A kind of line the API does not name yet; the hub leaves it unmatched.",
    )

    @classmethod
    def from_domain(cls, kind: str) -> PayoutLineType:
        known = {member.value for member in PayoutLineKind}
        return cls(kind) if kind in known else cls.OTHER


@strawberry.enum(description="Who took an order's money from the customer.")
class PaymentCollector(Enum):
    GATEWAY = enum_value(
        "gateway",
        description="The retailer's payment gateway: authorized at checkout, captured on shipment.",
    )
    MARKETPLACE = enum_value(
        "marketplace",
        description=(
            "The marketplace the order came from: it charged its buyer for what the hub "
            "confirmed shipped, refunds through it, and pays the money over in its payouts."
        ),
    )

    @classmethod
    def from_domain(cls, collector: str) -> PaymentCollector:
        return cls(collector)


@strawberry.input(description="Filters for the payouts list; all given must match.")
class PayoutFilter:
    state: list[PayoutState] | None = strawberry.field(
        default=None, description="Only payouts in one of these states."
    )
    paid_short: bool | None = strawberry.field(
        default=None,
        description=(
            "Only payouts that paid less than the hub's figures (true: a claim on the "
            "marketplace), or the others (false)."
        ),
    )


@strawberry.input(description="Filters for a payout's lines; all given must match.")
class PayoutLineFilter:
    state: list[PayoutLineState] | None = strawberry.field(
        default=None, description="Only lines in one of these states."
    )
    paid_short: bool | None = strawberry.field(
        default=None,
        description=(
            "Only lines matched at more than was reported (true: a claim), or the others (false)."
        ),
    )


@strawberry.type
class PayoutLineFields:
    """A payout line's own fields; `order` is the serving schema's."""

    line_id: str = strawberry.field(description="The report's id of the line.")
    type: PayoutLineType = strawberry.field(description="What the line pays or deducts.")
    order_reference: str = strawberry.field(
        description="The marketplace's reference of the order the line is about (MP-0000007)."
    )
    return_id: str | None = strawberry.field(
        description="The raw id of the return a refund line is for; null for other lines."
    )
    reported: Money = strawberry.field(
        description="The amount as the report has it, and as the bank received it (signed "
        "as the money moved to the retailer)."
    )
    applied: Money | None = strawberry.field(
        description="The amount the hub applied, at its own figures; null until matched."
    )
    claim: Money = strawberry.field(
        description="Applied less reported: what the marketplace paid short (negative: "
        "over); zero until matched, and for fees and chargebacks."
    )
    state: PayoutLineState = strawberry.field(description="Where its reconciliation stands.")
    reconciled: bool = strawberry.field(
        description="Whether the ERP has booked it with its payout (`state` BOOKED)."
    )
    order_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, record: PayoutLineRecord) -> Self:
        return cls(
            line_id=record.line_id,
            type=PayoutLineType.from_domain(record.kind),
            order_reference=record.order_id,
            return_id=record.return_id or None,
            reported=Money.of_cents(record.reported_cents),
            applied=Money.of_cents(record.applied_cents) if record.matched else None,
            claim=Money.of_cents(record.claim_cents),
            state=PayoutLineState.from_domain(record.state),
            reconciled=record.state == ModelLineState.BOOKED,
            order_id=record.order_id,
        )


@strawberry.type
class PayoutFields(Node):
    """A payout's own fields; `lines` is the serving schema's."""

    legacy_resource_id: str = strawberry.field(
        description="The raw id: the marketplace's settlement id (STL-0001)."
    )
    settlement_id: str = strawberry.field(
        description="The marketplace's settlement id, as its report and the ERP name it."
    )
    channel: SalesChannel = strawberry.field(description="The channel that paid it (MARKETPLACE).")
    state: PayoutState = strawberry.field(description="Where its reconciliation stands.")
    paid_at: datetime = strawberry.field(description="When the money was deposited.")
    received_at: datetime | None = strawberry.field(
        description=(
            "When the hub received the settlement report (over an external hub, when the "
            "marketplace sent it); reports come after the money, often hours after."
        )
    )
    booked_at: datetime | None = strawberry.field(
        description="When the hub heard the ERP booked it; null until booked."
    )
    erp_document_number: str | None = strawberry.field(
        description="The ERP's document for the booking; null until booked."
    )
    deposit: Money = strawberry.field(
        description="What the bank received: the sum of the reported lines."
    )
    line_count: int = strawberry.field(description="How many lines the report has.")
    unmatched_line_count: int = strawberry.field(
        description="How many lines the hub has not matched to its records yet."
    )
    total_claims: Money = strawberry.field(
        description=(
            "What the marketplace paid short of the hub's figures over the matched lines: "
            "a claim on it (negative: it paid over)."
        )
    )
    total_fees: Money = strawberry.field(
        description="The commission deducted, as a positive amount."
    )
    total_chargebacks: Money = strawberry.field(
        description="The chargebacks deducted, as a positive amount."
    )
    total_refunds: Money = strawberry.field(
        description="The buyers' refunds deducted, as a positive amount."
    )
    marketplace: str = strawberry.field(
        description=(
            "The name of the marketplace that paid it (`marketplace` when the estate sells "
            "through one; each its own name when it sells through several)."
        )
    )

    @classmethod
    def from_domain(cls, record: PayoutRecord) -> Self:
        return cls(
            id=global_id(NodeType.PAYOUT, record.id),
            legacy_resource_id=record.id,
            settlement_id=record.id,
            channel=SalesChannel(record.channel),
            marketplace=record.marketplace,
            state=PayoutState.from_domain(record.state),
            paid_at=at(record.paid_at),
            received_at=maybe_at(record.received_at),
            booked_at=maybe_at(record.booked_at),
            erp_document_number=record.erp_document_no or None,
            deposit=Money.of_cents(record.deposit_cents),
            line_count=record.line_count,
            unmatched_line_count=record.unmatched_count,
            total_claims=Money.of_cents(record.claims_cents),
            total_fees=Money.of_cents(record.fees_cents),
            total_chargebacks=Money.of_cents(record.chargebacks_cents),
            total_refunds=Money.of_cents(record.refunds_cents),
        )
