"""An order's payment transactions, as Shopify's `OrderTransaction`: each request to the
payment gateway about the order (authorise, capture, refund, void), what it was for,
when, and whether the gateway made it. Read from the gateway's own log (the read model's
`order_transactions`), oldest first."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from graph.types.money import Money
from graph.types.time import at
from hub.adapters.read_model.records import (
    TransactionKind as HubTransactionKind,
)
from hub.adapters.read_model.records import (
    TransactionRecord,
)
from hub.adapters.read_model.records import (
    TransactionStatus as HubTransactionStatus,
)


@strawberry.enum(description="What a payment transaction asked the gateway to do.")
class OrderTransactionKind(Enum):
    AUTHORIZATION = strawberry.enum_value(
        "AUTHORIZATION", description="Hold the amount on the customer's card."
    )
    CAPTURE = strawberry.enum_value(
        "CAPTURE", description="Take money an authorization holds (for what shipped)."
    )
    SALE = strawberry.enum_value(
        "SALE",
        description=(
            "Authorize and capture at once: a settling marketplace's charge of its buyer, "
            "for what the hub confirmed shipped."
        ),
    )
    REFUND = strawberry.enum_value("REFUND", description="Pay captured money back (for a return).")
    VOID = strawberry.enum_value(
        "VOID", description="Release an authorization: the customer is never charged."
    )

    @classmethod
    def from_domain(cls, kind: str) -> OrderTransactionKind:
        return cls[HubTransactionKind(kind).name]


@strawberry.enum(description="How the payment gateway answered a transaction.")
class OrderTransactionStatus(Enum):
    SUCCESS = strawberry.enum_value("SUCCESS", description="The gateway made it.")
    FAILURE = strawberry.enum_value(
        "FAILURE",
        description="The gateway refused it (a declined card, an expired authorization); "
        "`errorCode` says why.",
    )

    @classmethod
    def from_domain(cls, status: str) -> OrderTransactionStatus:
        return cls[HubTransactionStatus(status).name]


@strawberry.type(
    description="One request to the payment gateway about the order, as the gateway "
    "logged it (Shopify's OrderTransaction)."
)
class OrderTransaction:
    id: strawberry.ID | None = strawberry.field(
        description="The gateway's id for it (the authorization's, capture's, refund's or "
        "void's); null for a refused request, which the gateway gives none."
    )
    kind: OrderTransactionKind = strawberry.field(description="What it asked for.")
    status: OrderTransactionStatus = strawberry.field(description="How the gateway answered.")
    amount: Money = strawberry.field(
        description="The amount asked for (zero for a void, which moves no money)."
    )
    processed_at: datetime = strawberry.field(description="When the gateway took it.")
    authorization_code: str | None = strawberry.field(
        description="The gateway's reference for the authorization it acted on (its own, "
        "for an authorization); null for a declined authorization and a marketplace's "
        "charge or refund."
    )
    error_code: str | None = strawberry.field(
        description="The gateway's error code for a refusal (card_declined, "
        "authorization_expired, ...); null when it succeeded."
    )

    @classmethod
    def from_domain(cls, record: TransactionRecord) -> OrderTransaction:
        return cls(
            id=strawberry.ID(record.transaction_id) if record.transaction_id else None,
            kind=OrderTransactionKind.from_domain(record.kind),
            status=OrderTransactionStatus.from_domain(record.status),
            amount=Money.of_cents(record.amount_cents),
            processed_at=at(record.processed_at),
            authorization_code=record.authorization_id or None,
            error_code=record.error or None,
        )
