"""Types every subgraph uses: enums, userErrors, status history, the message timeline and
the cross-system view of an order. Each converts from its read-model record in
`from_domain`, the one place a record becomes API shape."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from graph.control import Outcome, Problem
from graph.types.time import at, maybe_at
from hub.adapters.read_model.records import (
    OrderSyncRecord,
    StatusChangeRecord,
    SystemRecordRecord,
    TimelineRecord,
)
from hub.model.payment import PaymentState as HubPaymentState


@strawberry.enum(description="Where an order is in fulfilment; it only ever moves forward.")
class OrderStatus(Enum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    RELEASED = "released"
    PICKED = "picked"
    READY_FOR_PICKUP = "ready_for_pickup"
    SHIPPED = "shipped"
    COLLECTED = "collected"
    CANCELLED = "cancelled"


@strawberry.enum
class ReturnStatus(Enum):
    REQUESTED = "requested"
    AUTHORISED = "authorised"
    RECEIVED = "received"
    INSPECTED = "inspected"
    REFUNDED = "refunded"
    CLOSED = "closed"
    REJECTED = "rejected"


@strawberry.enum(description="The sales channel an order or return came through.")
class SalesChannel(Enum):
    WEB = "web"
    MARKETPLACE = "marketplace"
    CLICK_COLLECT = "click_collect"
    STORE = "store"


@strawberry.enum
class LocationKind(Enum):
    DC = "dc"
    STORE = "store"


@strawberry.enum(description="The hub's view of an order's money.")
class PaymentState(Enum):
    """The API's name for each of the hub's payment states (hub/model/payment.py),
    member for member; `from_domain` is the one conversion, and a test holds the two
    enums equal, so a state the hub adds cannot reach a client unnamed."""

    NONE = "none"
    AUTHORISED = "authorised"
    CAPTURED = "captured"
    VOIDED = "voided"
    DECLINED = "declined"
    FAILED = "failed"

    @classmethod
    def from_domain(cls, state: str) -> PaymentState:
        """A read-model payment state (the hub's word) as the API's member."""
        return cls[HubPaymentState(state).name]


@strawberry.enum(description="Why a mutation said no; stable for clients to branch on.")
class UserErrorCode(Enum):
    READ_ONLY = "READ_ONLY"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    INVALID = "INVALID"
    BAD_QUANTITY = "BAD_QUANTITY"
    UNKNOWN_SKU = "UNKNOWN_SKU"
    UNKNOWN_LOCATION = "UNKNOWN_LOCATION"
    UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    NOT_FOUND = "NOT_FOUND"
    ORDER_NOT_CANCELLABLE = "ORDER_NOT_CANCELLABLE"
    ORDER_NOT_RETURNABLE = "ORDER_NOT_RETURNABLE"
    QUANTITY_NOT_RETURNABLE = "QUANTITY_NOT_RETURNABLE"
    UNKNOWN_FAULT_TARGET = "UNKNOWN_FAULT_TARGET"
    INVALID_FAULT = "INVALID_FAULT"
    FAULT_NOT_FOUND = "FAULT_NOT_FOUND"
    NOT_YET_VISIBLE = "NOT_YET_VISIBLE"
    HUB_UNAVAILABLE = "HUB_UNAVAILABLE"


@strawberry.federation.type(
    shareable=True, description="A business reason a mutation did not (fully) happen."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "lines", "0", "quantity"].'
    )
    message: str
    code: UserErrorCode

    @classmethod
    def from_domain(cls, problem: Problem) -> UserError:
        return cls(
            field=list(problem.field) or None,
            message=problem.message,
            code=UserErrorCode(problem.code),
        )

    @classmethod
    def all_of(cls, outcome: Outcome) -> list[UserError]:
        """Every business "no" in a mutation's outcome, for its payload's `userErrors`."""
        return [cls.from_domain(problem) for problem in outcome.problems]


@strawberry.federation.type(
    shareable=True, description="One step of a status history, and which system caused it."
)
class StatusChange:
    status: str
    at: datetime
    source: str

    @classmethod
    def from_domain(cls, record: StatusChangeRecord) -> StatusChange:
        return cls(status=record.status, at=at(record.at), source=record.source)


@strawberry.federation.type(
    shareable=True,
    description=(
        "One message about an order or return, as the middleware delivered it: which system "
        "sent it to which, when, and how long it spent on the wire. A duplicate is a second "
        "delivery of the same message id."
    ),
)
class TimelineEvent:
    sequence: int
    at: datetime
    sent_at: datetime
    delay_seconds: float
    source: str
    target: str
    kind: str
    message_id: int
    correlation_id: str = strawberry.field(
        description="The order (or, for return messages, the return) the message is about."
    )
    duplicate: bool
    detail: str

    @classmethod
    def from_domain(cls, record: TimelineRecord) -> TimelineEvent:
        return cls(
            sequence=record.seq,
            at=at(record.at),
            sent_at=at(record.sent_at),
            delay_seconds=round(record.delay_s, 6),
            source=record.source,
            target=record.target,
            kind=record.kind,
            message_id=record.message_id,
            correlation_id=record.return_id or record.order_id,
            duplicate=record.duplicate,
            detail=record.detail,
        )


@strawberry.type
class RecordField:
    name: str
    value: str


@strawberry.type(description="What one backend records about the order, in its own terms.")
class SystemRecord:
    system: str
    record_id: str
    status: str
    recorded_at: datetime | None
    fields: list[RecordField]

    @classmethod
    def from_domain(cls, record: SystemRecordRecord) -> SystemRecord:
        return cls(
            system=record.system,
            record_id=record.record_id,
            status=record.status,
            recorded_at=maybe_at(record.recorded_at),
            fields=[RecordField(name=k, value=str(v)) for k, v in sorted(record.fields.items())],
        )


@strawberry.type(description="A field on which a backend and the hub disagree.")
class Disagreement:
    system: str
    field: str
    hub_value: str
    system_value: str


@strawberry.type(
    description=(
        "The order across systems: each backend's record and whether they agree with the "
        "hub. Messages in flight make short-lived disagreements; ones that persist are what "
        "the checker fails a run on."
    )
)
class CrossSystemView:
    in_sync: bool
    checked_at: datetime
    disagreements: list[Disagreement]
    records: list[SystemRecord]

    @classmethod
    def from_domain(
        cls, sync: OrderSyncRecord, records: list[SystemRecordRecord]
    ) -> CrossSystemView:
        return cls(
            in_sync=sync.in_sync,
            checked_at=at(sync.checked_at),
            disagreements=[
                Disagreement(
                    system=d["system"],
                    field=d["field"],
                    hub_value=d["hub"],
                    system_value=d["system_value"],
                )
                for d in sync.disagreements
            ],
            records=[SystemRecord.from_domain(r) for r in records],
        )
