"""Types every subgraph uses: enums, userErrors, status history, the message timeline and
the cross-system view of an order. Each converts from its read-model record in
`from_domain`, the one place a record becomes API shape.

The enums live in graph/types/states.py and the userErrors in graph/types/user_errors.py;
they are imported from here too, where every subgraph has always found them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph.types.messages import MessageType
from graph.types.states import LocationKind, OrderStatus, PaymentState, ReturnStatus, SalesChannel
from graph.types.systems import IntegrationSystem, StatusChangeSource
from graph.types.time import at, maybe_at
from graph.types.user_errors import UserError, UserErrorCode
from hub.adapters.read_model.records import (
    OrderSyncRecord,
    StatusChangeRecord,
    SystemRecordRecord,
    TimelineRecord,
)

__all__ = [
    "CrossSystemView",
    "Disagreement",
    "LocationKind",
    "OrderStatus",
    "PaymentState",
    "RecordField",
    "ReturnStatus",
    "SalesChannel",
    "StatusChange",
    "SystemRecord",
    "TimelineEvent",
    "UserError",
    "UserErrorCode",
]


@strawberry.federation.type(
    shareable=True, description="One step of a status history, and which system caused it."
)
class StatusChange:
    status: str = strawberry.field(
        description="The status stepped to, as the hub's lowercase word.",
        deprecation_reason=(
            "Use `orderStatus` (an order's history) or `returnStatus` (a return's): enums."
        ),
    )
    order_status: OrderStatus | None = strawberry.field(
        description="The status an order stepped to; null in a return's history."
    )
    return_status: ReturnStatus | None = strawberry.field(
        description="The status a return stepped to; null in an order's history."
    )
    at: datetime = strawberry.field(description="When the step happened (simulated time).")
    source: str = strawberry.field(
        description="Who caused the step, as a lowercase word.",
        deprecation_reason="Use `changedBy`: the same, as an enum.",
    )
    changed_by: StatusChangeSource = strawberry.field(
        description="The system (or the sales channel, for the first step) that caused it."
    )

    @classmethod
    def of_order(cls, record: StatusChangeRecord) -> StatusChange:
        """A step of an order's history (`OrderFields.status_history`)."""
        return cls._of(record, order_status=OrderStatus(record.status))

    @classmethod
    def of_return(cls, record: StatusChangeRecord) -> StatusChange:
        """A step of a return's history (`ReturnFields.status_history`)."""
        return cls._of(record, return_status=ReturnStatus(record.status))

    @classmethod
    def _of(
        cls,
        record: StatusChangeRecord,
        order_status: OrderStatus | None = None,
        return_status: ReturnStatus | None = None,
    ) -> StatusChange:
        # the two histories share one word, "received", so the caller says which it reads
        return cls(
            status=record.status,
            order_status=order_status,
            return_status=return_status,
            at=at(record.at),
            source=record.source,
            changed_by=StatusChangeSource.from_domain(record.source),
        )


@strawberry.federation.type(
    shareable=True,
    description=(
        "One message about an order or return, as the middleware delivered it: which system "
        "sent it to which, when, and how long it spent on the wire. A duplicate is a second "
        "delivery of the same message id."
    ),
)
class TimelineEvent:
    sequence: int = strawberry.field(
        description="Its place in the run's timeline: later deliveries have higher numbers."
    )
    at: datetime = strawberry.field(description="When it was delivered (simulated time).")
    sent_at: datetime = strawberry.field(description="When it was sent (simulated time).")
    delay_seconds: float = strawberry.field(
        description="Simulated seconds on the wire: `at` less `sentAt`."
    )
    source: str = strawberry.field(
        description="The sending system's lowercase name.",
        deprecation_reason="Use `sender`: the same, as an enum.",
    )
    target: str = strawberry.field(
        description="The receiving system's lowercase name.",
        deprecation_reason="Use `recipient`: the same, as an enum.",
    )
    kind: str = strawberry.field(
        description="The message's kind in its sender's dialect (`ORDER_PLACED`, `capture`).",
        deprecation_reason="Use `messageType`: the same, as an enum in one casing.",
    )
    sender: IntegrationSystem = strawberry.field(description="The system that sent it.")
    recipient: IntegrationSystem = strawberry.field(description="The system it was sent to.")
    message_type: MessageType = strawberry.field(
        description="What it is: a call (or its answer), a message, a channel notice."
    )
    message_id: int = strawberry.field(
        description="The middleware's id of the message; a duplicate repeats it."
    )
    correlation_id: str = strawberry.field(
        description="The order (or, for return messages, the return) the message is about."
    )
    duplicate: bool = strawberry.field(
        description="A second (or later) delivery of a message already delivered."
    )
    detail: str = strawberry.field(
        description=(
            'The status the message carries, or how a call was answered ("answered 200"); '
            "free text for people, empty when there is none."
        )
    )

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
            sender=IntegrationSystem.from_domain(record.source),
            recipient=IntegrationSystem.from_domain(record.target),
            message_type=MessageType.from_domain(record.kind),
            message_id=record.message_id,
            correlation_id=record.return_id or record.order_id,
            duplicate=record.duplicate,
            detail=record.detail,
        )


@strawberry.type(description="One field of a backend's record, in the backend's own terms.")
class RecordField:
    name: str = strawberry.field(
        description="The backend's name for the field; each backend has its own set."
    )
    value: str = strawberry.field(description="Its value, as text.")


@strawberry.type(description="What one backend records about the order, in its own terms.")
class SystemRecord:
    system: str = strawberry.field(
        description=(
            'The backend\'s lowercase name ("erp", "wms", "pos", "payment", "web", "marketplace"; '
            '"partner:NAME" for a drop-ship partner\'s part of the order).'
        )
    )
    record_id: str = strawberry.field(
        description=(
            "The backend's own id of its record (sales order number, authorization id, ...)."
        )
    )
    status: str = strawberry.field(
        description="The record's status in the backend's own words; an open set per backend."
    )
    recorded_at: datetime | None = strawberry.field(
        description="The time the backend shows on its record (see the deprecation).",
        deprecation_reason=(
            "Use `createdAt` or `updatedAt`: this is the creation time for most systems, "
            "but the shipping (or release) time for the WMS and the collection time for a "
            "store pickup"
        ),
    )
    fields: list[RecordField] = strawberry.field(
        description="The record's other fields, by name, as the backend keeps them."
    )
    created_at: datetime | None = strawberry.field(
        description="When the system created its record; null if it does not say."
    )
    updated_at: datetime | None = strawberry.field(
        description="When the system last changed its record (its creation, if never "
        "since); null if it does not say."
    )

    @classmethod
    def from_domain(cls, record: SystemRecordRecord) -> SystemRecord:
        return cls(
            system=record.system,
            record_id=record.record_id,
            status=record.status,
            recorded_at=maybe_at(record.recorded_at),
            fields=[RecordField(name=k, value=str(v)) for k, v in sorted(record.fields.items())],
            created_at=maybe_at(record.created_at),
            updated_at=maybe_at(record.updated_at),
        )


@strawberry.type(description="A field on which a backend and the hub disagree.")
class Disagreement:
    system: str = strawberry.field(
        description="The disagreeing backend's lowercase name.",
        deprecation_reason="Use `backend`: the same, as an enum.",
    )
    backend: IntegrationSystem = strawberry.field(description="The backend that disagrees.")
    field: str = strawberry.field(
        description="What they disagree on (`salesOrder`, `status`); an open set of names."
    )
    hub_value: str = strawberry.field(description="What the hub believes, as text.")
    system_value: str = strawberry.field(description="What the backend records, as text.")


@strawberry.type(
    description=(
        "The order across systems: each backend's record and whether they agree with the "
        "hub. Messages in flight make short-lived disagreements; ones that persist are what "
        "the checker fails a run on."
    )
)
class CrossSystemView:
    in_sync: bool = strawberry.field(description="True when no backend disagrees with the hub.")
    checked_at: datetime = strawberry.field(
        description="When the systems were last compared (simulated time)."
    )
    disagreements: list[Disagreement] = strawberry.field(
        description="Each field a backend and the hub disagree on; empty when in sync."
    )
    records: list[SystemRecord] = strawberry.field(
        description="What each backend records about the order."
    )

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
                    backend=IntegrationSystem.from_domain(d["system"]),
                    field=d["field"],
                    hub_value=d["hub"],
                    system_value=d["system_value"],
                )
                for d in sync.disagreements
            ],
            records=[SystemRecord.from_domain(r) for r in records],
        )
