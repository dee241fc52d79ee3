"""The read model's records: what the API reads, one frozen dataclass per table row.

The read model is a query-side copy of the hub's state (orders, returns, stock) plus
what the integration sees of the estate around it (each backend's record of an order,
the message timeline, the operations snapshot). It exists so the API never reaches into
a live hub or a simulation: a finished run, a live twin and one day a real deployment
all serve the same tables. Field names equal column names, so a row becomes a record
with `Record(**row)` and back by reading its fields (store.py `_row`).

Times are seconds since the start of the run, as the hub's clock counts them; the API
turns them into timestamps with the run's epoch.

Each record class is made by `record_class.frozen_row`: a frozen, slotted dataclass
whose methods are not compiled from source one by one when this module is imported
(which cost `run --out`'s writer some 20 ms), built through `hub.frozen.direct_init`
(the same frozen value, a cheaper constructor): a finished steady-day's read model
makes some 52,000 of them, and the dataclass's own constructor cost the writer about
0.03 s of CPU time more. So a field takes a plain default or none (`direct_init`
refuses a default factory).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from hub.adapters.read_model.record_class import frozen_row


@frozen_row
class OrderRecord:
    id: str
    channel: str
    channel_order_id: str
    customer_id: str
    status: str
    status_rank: int
    placed_at: float
    received_at: float
    location: str
    pickup_store: str
    payment_state: str
    captured_cents: int
    total_cents: int
    erp_order_no: str
    invoiced: bool
    cancel_reason: str
    exception: str
    version: int
    updated_at: float
    #: the fraud screen's hold (hub.model.fraud.ReviewState's word), the review case
    #: ("" unless held for review) and when the hub heard the decision (-1: not yet)
    review_state: str = "none"
    review_case: str = ""
    review_decided_at: float = -1.0
    #: the tax engine's state (hub.model.tax.TaxState's word), whether the customer was
    #: charged the channel's estimate, and the liability committed (0 until committed)
    tax_state: str = "none"
    tax_estimated: bool = False
    tax_liability_cents: int = 0
    #: who took the customer's money: "gateway", or the settling channel's name
    payment_collector: str = "gateway"
    #: the marketplace a marketplace order came from, by its name ("" for the others)
    marketplace: str = ""


@frozen_row
class OrderLineRecord:
    order_id: str
    line_no: int
    sku: str
    quantity: int
    unit_price_cents: int
    tax_cents: int
    short_quantity: int
    shipped_quantity: int
    #: the list price the unit price was cut from (0: it was not), and the promotion
    list_price_cents: int = 0
    promotion: str = ""


@frozen_row
class StatusChangeRecord:
    """One step of an order's or a return's status history (`owner_id` is either)."""

    owner_id: str
    seq: int
    status: str
    at: float
    source: str


@frozen_row
class PaymentRecord:
    order_id: str
    authorization_id: str
    state: str
    captured_cents: int
    refunded_cents: int


@frozen_row
class ShipmentRecord:
    order_id: str
    shipment_id: str
    kind: str  # parcel | collection
    location: str
    shipped_at: float


@frozen_row
class ReturnRecord:
    id: str
    order_id: str
    channel: str
    status: str
    status_rank: int
    requested_at: float
    received_at: float
    location: str
    grade: str
    disposition: str
    refund_id: str
    refund_state: str
    refunded_at: float
    refund_total_cents: int
    credit_memo_no: str
    exception: str
    updated_at: float


@frozen_row
class ReturnLineRecord:
    return_id: str
    line_no: int
    sku: str
    quantity: int
    refund_cents: int
    tax_cents: int


@frozen_row
class SkuRecord:
    id: str
    name: str
    category: str
    price_cents: int
    tax_rate_bp: int
    popularity_rank: int


@frozen_row
class LocationRecord:
    id: str
    kind: str  # dc | store
    region: str
    name: str


@frozen_row
class CustomerRecord:
    """A customer as the world knows them: a synthetic name and a contact address under
    example.com, never a real person's."""

    id: str
    name: str
    email: str
    region: str


@frozen_row
class PositionRecord:
    """The hub's belief about one SKU at one location, with where that belief came from.

    `source_seq_latest` is the source system's own sequence for the position when the
    read model was last refreshed: if it is ahead of `source_seq`, the source has
    recorded movements the hub has not applied yet, and the position is stale.
    """

    sku: str
    location: str
    on_hand: int
    reserved: int
    safety_stock: int
    in_transit: int
    quarantined: int
    available: int
    source_system: str
    source_seq: int
    source_ts: float
    source_seq_latest: int
    updated_at: float


@frozen_row
class ChannelAvailabilityRecord:
    """What the hub offers a channel for one SKU (at one store, for click-and-collect)
    and what that channel currently shows its customers."""

    sku: str
    channel: str
    store: str
    hub_available: int
    channel_view: int
    view_sent_at: float  # -1: the channel never received a feed for it
    updated_at: float


@frozen_row
class ChannelPriceRecord:
    """The newest price the hub holds for a SKU in one price channel (web, marketplace,
    stores), and how far the hub got pushing it. The hub knows what it pushed, not what
    the channel applied, so a pushed price may still be on its way to the channel."""

    sku: str
    channel: str
    price_cents: int
    list_price_cents: int
    #: the promotion behind the price ("" at list price)
    promotion: str
    #: the pricing source's change number that set it, and when the hub heard it
    version: int
    heard_at: float
    #: the change number last pushed to the channel (0: none), and when (-1: never)
    pushed_version: int
    pushed_at: float
    updated_at: float

    @property
    def unpushed(self) -> bool:
        """A newer change than the last push waits: the channel charges an older price."""
        return self.pushed_version < self.version


@frozen_row
class SystemRecordRecord:
    """One backend's own record about an order, as that backend reports it now."""

    order_id: str
    system: str
    record_id: str
    status: str
    #: the time the backend shows on its record: for most, when it was created; for a
    #: WMS release, when it shipped (or was released); for a store pickup, collected
    recorded_at: float
    #: the record's own fields (every maker names them: no default, see the module)
    fields: dict[str, Any]
    #: when the backend created the record, and when it last changed it (-1: unknown)
    created_at: float = -1.0
    updated_at: float = -1.0


#: a `SystemRecordRecord`'s fields in order, its table's columns (`RunFile` checks the
#: width): what the projection makes (`order_view`). Both stores bind it as it is
#: (`bulk.insert_records`), where a record cost some 0.45 µs to make and 0.5 µs to read
#: back as a row; what reads the table back makes records (`queries`)
SystemRecordRow = tuple[str, str, str, str, float, dict[str, Any], float, float]


@frozen_row
class OrderSyncRecord:
    order_id: str
    in_sync: bool
    #: [{"system", "field", "hub", "system_value"}], empty when in sync
    disagreements: list[dict[str, Any]]
    checked_at: float


@frozen_row
class TimelineRecord:
    """One message delivery about an order or a return, as the wire carried it."""

    seq: int
    order_id: str
    return_id: str
    at: float
    sent_at: float
    source: str
    target: str
    kind: str
    message_id: int
    duplicate: bool
    detail: str

    @property
    def delay_s(self) -> float:
        return self.at - self.sent_at


#: a `TimelineRecord`'s fields as a tuple, in order: how a run hands its deliveries
#: (tens of thousands a day) to the read model that writes them (`TIMELINE_FIELDS`)
TimelineRow = tuple[int, str, str, float, float, str, str, str, int, bool, str]
TIMELINE_FIELDS = (
    "seq",
    "order_id",
    "return_id",
    "at",
    "sent_at",
    "source",
    "target",
    "kind",
    "message_id",
    "duplicate",
    "detail",
)
#: where a `TimelineRow` holds the order id (a literal, so a row's `[TIMELINE_ORDER_ID]`
#: is typed str)
TIMELINE_ORDER_ID: Final = 1
#: the values of one delivery in the timeline's flat form: its `TimelineRow`'s, one row
#: after the other in one list (`ReadModelWrites.append_timeline_fields`)
TIMELINE_WIDTH: Final = 11


@frozen_row
class IdempotencyRecord:
    key: str
    mutation: str
    request_hash: str
    response: dict[str, Any]
    #: when the answer was stored (the API's wall clock, seconds since the epoch), which
    #: its expiry counts from
    stored_at: float = 0.0


class TransactionKind(StrEnum):
    """What a request to the payment gateway asked for (or, for an order a settling
    marketplace collects, what its payments desk did)."""

    AUTHORIZATION = "authorization"
    CAPTURE = "capture"
    #: a marketplace's charge of its buyer: authorised and captured at once
    SALE = "sale"
    REFUND = "refund"
    VOID = "void"


class TransactionStatus(StrEnum):
    """How the gateway answered it."""

    SUCCESS = "success"
    FAILURE = "failure"


@frozen_row
class TransactionRecord:
    """One money request about an order, as the payment gateway logged it: what it
    asked, for how much, when, and whether the gateway made it. `seq` orders an
    order's transactions oldest first."""

    order_id: str
    seq: int
    #: the gateway's own id (the authorisation's, or the capture's, refund's or
    #: void's); empty for a refused request, which the gateway gives none
    transaction_id: str
    kind: str  # TransactionKind
    status: str  # TransactionStatus
    amount_cents: int
    processed_at: float
    #: the authorisation it acted on (its own id, for an authorisation)
    authorization_id: str
    #: the gateway's error code, for a refusal (card_declined, authorization_expired)
    error: str


#: a `TransactionRecord`'s fields in order, as `SystemRecordRow` is a system record's
TransactionRow = tuple[str, int, str, str, str, int, float, str, str]


class FulfillmentStatus(StrEnum):
    """Where a fulfillment stands: goods only become one when they leave."""

    SUCCESS = "success"


@frozen_row
class FulfillmentRecord:
    """Goods that left for the customer: a parcel a DC shipped, or a click-and-collect
    order a store handed over. A collection has no tracking (empty strings)."""

    order_id: str
    fulfillment_id: str
    status: str  # FulfillmentStatus
    location: str
    created_at: float
    tracking_company: str
    tracking_number: str
    tracking_url: str
    #: the order lines and units in it: [{"line_no", "sku", "quantity"}] (no default,
    #: see the module)
    lines: list[dict[str, Any]]
