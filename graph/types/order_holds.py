"""What holds an order back and what it owes in tax: the fraud screen's review and the
tax engine's state, as the hub records them on the order.

Two small objects on `Order` (`fraudReview`, `tax`) rather than loose fields, so a
screen asks for one selection and the schema keeps each backend's vocabulary together.
The enums mirror the hub's (hub/model/fraud.py `ReviewState`, hub/model/tax.py
`TaxState`) value for value, and `from_domain` is their one conversion; a test holds
them equal, so a state the hub adds cannot reach a client unnamed. Which states hold an
order is the hub's rule (`HELD`), read here, never restated.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from graph.types.enum_values import enum_value
from graph.types.money import Money
from graph.types.time import maybe_at
from hub.adapters.read_model.records import OrderRecord
from hub.model.fraud import HELD
from hub.model.fraud import ReviewState as HubReviewState
from hub.model.tax import TaxState as HubTaxState


@strawberry.enum(
    description=(
        "Where an order stands with the fraud screen, as the hub records it. An order in "
        "`SCREENING` or `IN_REVIEW` is held: no DC or store hears of it until it is "
        "cleared or approved."
    )
)
class FraudReviewState(Enum):
    NONE = enum_value(
        "none",
        description=(
            "Not screened: the estate has no fraud screen, or the order is not yet authorized."
        ),
    )
    SCREENING = enum_value(
        "screening",
        description="Sent to the fraud screen, whose answer has not come back: held.",
    )
    CLEARED = enum_value("cleared", description="The screen accepted it: released to fulfillment.")
    IN_REVIEW = enum_value(
        "in_review",
        description="The screen opened a case for an analyst: held until the decision.",
    )
    APPROVED = enum_value(
        "approved", description="An analyst approved it: released to fulfillment."
    )
    REJECTED = enum_value(
        "rejected",
        description=(
            "An analyst rejected it: cancelled, with the authorization voided, the stock "
            "released and the ERP sales order cancelled."
        ),
    )

    @classmethod
    def from_domain(cls, state: str) -> FraudReviewState:
        """A read-model review state (the hub's word) as the API's member."""
        return cls(HubReviewState(state).value)


@strawberry.enum(description="Where an order's tax stands with the tax engine.")
class TaxState(Enum):
    NONE = enum_value(
        "none",
        description="The estate has no tax engine: the channel's tax is the order's tax.",
    )
    QUOTING = enum_value(
        "quoting",
        description=(
            "The hub asked the engine for a quote and has no answer yet; where the hub "
            "waits for quotes, the order is not charged or released until then."
        ),
    )
    QUOTED = enum_value(
        "quoted", description="The engine's quote is the tax the customer is charged."
    )
    ESTIMATED = enum_value(
        "estimated",
        description=(
            "The engine did not answer in time: the customer is charged the channel's "
            "estimate, and the liability is trued up when the delivered goods are "
            "committed."
        ),
    )
    COMMITTED = enum_value(
        "committed",
        description="The delivered goods are committed at the engine: the liability is filed.",
    )

    @classmethod
    def from_domain(cls, state: str) -> TaxState:
        """A read-model tax state (the hub's word) as the API's member."""
        return cls(HubTaxState(state).value)


@strawberry.type(
    description=(
        "The fraud screen's review of an order, as the hub heard it: its state, whether "
        "it holds the order, and the analyst's case."
    )
)
class FraudReview:
    state: FraudReviewState = strawberry.field(
        description="Where the order stands with the fraud screen."
    )
    held: bool = strawberry.field(
        description=(
            "Whether the screen holds the order back from fulfillment now: `SCREENING` or "
            "`IN_REVIEW`."
        )
    )
    case_id: str | None = strawberry.field(
        description=(
            "The fraud screen's id of the review case; null unless the screen sent the "
            "order to an analyst."
        )
    )
    decided_at: datetime | None = strawberry.field(
        description=(
            "When the hub heard the analyst's decision (simulated time); null while in "
            "review, and for an order the screen accepted or never saw."
        )
    )

    @classmethod
    def from_domain(cls, record: OrderRecord) -> FraudReview:
        state = HubReviewState(record.review_state)
        return cls(
            state=FraudReviewState.from_domain(record.review_state),
            held=state in HELD,
            case_id=record.review_case or None,
            decided_at=maybe_at(record.review_decided_at),
        )


@strawberry.type(
    description=(
        "An order's tax as the tax engine has it: quoted, estimated or committed, and "
        "the liability filed for the delivered goods. The tax each line charged is "
        "`OrderLine.totalTax`."
    )
)
class OrderTax:
    state: TaxState = strawberry.field(description="Where the order's tax stands with the engine.")
    estimated: bool = strawberry.field(
        description=(
            "Whether the customer was charged the channel's estimated tax rather than the "
            "engine's quote; stays true once the liability is committed."
        )
    )
    committed_liability: Money | None = strawberry.field(
        description=(
            "The tax the engine committed on the delivered goods, which the retailer owes; "
            "null until `COMMITTED`. It may differ from the tax charged when that was an "
            "estimate."
        )
    )

    @classmethod
    def from_domain(cls, record: OrderRecord) -> OrderTax:
        committed = HubTaxState(record.tax_state) == HubTaxState.COMMITTED
        return cls(
            state=TaxState.from_domain(record.tax_state),
            estimated=record.tax_estimated,
            committed_liability=Money.of_cents(record.tax_liability_cents) if committed else None,
        )
