"""Canonical events the hub consumes, whatever system and dialect they came from.

Adapters (hub/adapters/) turn each backend's payloads into these; everything past the
adapters speaks only this language. Events are past tense: they report facts a system
has already recorded. Stock facts travel as `StockReport`s attached to the event that
caused them, versioned by the reporting system's per-position sequence, because a
separate stock message per movement would double the traffic for no extra truth.

Events are frozen dataclasses. The rows they carry (order lines, stock reports) are named
tuples: just as immutable, and built several times per message at peak, where a frozen
dataclass costs more than twice as much to construct.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from hub.frozen import direct_init


class StockReport(NamedTuple):
    sku: str
    location: str
    on_hand: int
    seq: int
    ts: float
    quarantined: int = 0


class LineIn(NamedTuple):
    sku: str
    quantity: int
    unit_price_cents: int = 0
    tax_cents: int = 0
    #: the list price the unit price was cut from (0: not cut, the unit price is it)
    list_price_cents: int = 0
    #: the promotion behind the price ("" for none)
    promotion: str = ""


@direct_init
@dataclass(frozen=True, slots=True)
class OrderReceived:
    channel: str
    order_id: str
    customer_id: str
    placed_at: float
    lines: tuple[LineIn, ...]
    pickup_store: str = ""
    #: the region the goods go to, as the channel says ("" when it does not)
    region: str = ""
    #: the channel took the buyer's money itself and pays it over in its settlements
    #: (a settling marketplace); otherwise the hub's own gateway takes it
    paid_by_channel: bool = False
    #: a company's order (B2B): its account, its PO number, and its payment terms in
    #: days (-1: not on account)
    company_id: str = ""
    po_number: str = ""
    net_days: int = -1
    #: the marketplace the order came from, by system name ("" for other channels)
    marketplace: str = ""


@direct_init
@dataclass(frozen=True, slots=True)
class OrderCancellationRequested:
    channel: str
    order_id: str
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class OrderPicked:
    order_id: str
    location: str
    at: float
    #: which part of a split order (1: the whole order, or its first part)
    leg: int = 1


@direct_init
@dataclass(frozen=True, slots=True)
class ShipmentConfirmed:
    order_id: str
    shipment_id: str
    location: str
    shipped: tuple[LineIn, ...]
    short: tuple[LineIn, ...]
    stock: tuple[StockReport, ...]
    at: float
    #: which part of a split order (1: the whole order, or its first part)
    leg: int = 1


@direct_init
@dataclass(frozen=True, slots=True)
class PickupReady:
    order_id: str
    store: str
    short: tuple[LineIn, ...]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class PickupCollected:
    order_id: str
    store: str
    collected: tuple[LineIn, ...]
    stock: tuple[StockReport, ...]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class StoreSaleRecorded:
    store: str
    transaction_id: str
    lines: tuple[LineIn, ...]
    stock: tuple[StockReport, ...]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class StockReceived:
    """Goods arrived at a location (supplier replenishment or store transfer)."""

    location: str
    receipt_id: str
    lines: tuple[LineIn, ...]
    stock: tuple[StockReport, ...]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class ReturnRequested:
    channel: str
    return_id: str
    order_id: str
    lines: tuple[LineIn, ...]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class ReturnReceived:
    """Goods came back: at a DC against an authorised return, or over a store counter
    (then there may be no prior request, and a store sale may have been refunded at
    the till already)."""

    return_id: str
    order_id: str
    location: str
    lines: tuple[LineIn, ...]
    at: float
    #: set when a store inspected on the spot
    grade: str = ""
    stock: tuple[StockReport, ...] = ()
    refunded_at_till_cents: int = 0
    channel: str = ""


@direct_init
@dataclass(frozen=True, slots=True)
class ReturnInspected:
    return_id: str
    location: str
    grade: str
    stock: tuple[StockReport, ...]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class ImportResult:
    """A legacy ERP's import run booked (or rejected) a document we dropped earlier."""

    doc_ref: str
    status: int
    body: dict[str, object]


class PriceIn(NamedTuple):
    """A price the pricing source set for one SKU in one channel."""

    sku: str
    channel: str
    price_cents: int
    list_price_cents: int
    #: the promotion behind it ("" at list price)
    promotion: str


@direct_init
@dataclass(frozen=True, slots=True)
class ReviewDecided:
    """The fraud screen's analyst decided a held order: approved, or rejected."""

    order_id: str
    case_id: str
    approved: bool
    at: float


class PayoutLineIn(NamedTuple):
    """One line of a channel's settlement report: an order paid over, a commission,
    a refund or a chargeback deducted (`kind`), signed as the money moved to us."""

    line_id: str
    kind: str
    order_id: str
    return_id: str
    amount_cents: int


@direct_init
@dataclass(frozen=True, slots=True)
class SettlementReported:
    """A channel paid us out (`deposit_cents`, the sum of its lines) and reports why."""

    settlement_id: str
    paid_at: float
    deposit_cents: int
    lines: tuple[PayoutLineIn, ...]
    #: the marketplace that paid, by system name
    marketplace: str = "marketplace"


class BasketIn(NamedTuple):
    """A basket promotion the pricing source started (`live`) or ended in one channel:
    `percent_off` off every line of a basket worth `min_basket_cents` or more."""

    name: str
    channel: str
    min_basket_cents: int
    percent_off: float
    live: bool


@direct_init
@dataclass(frozen=True, slots=True)
class PricesChanged:
    """The pricing source's change number `version`: these prices (and basket
    promotions) hold from `effective_at` on. A higher version always supersedes a
    lower one."""

    version: int
    effective_at: float
    prices: tuple[PriceIn, ...]
    baskets: tuple[BasketIn, ...] = ()


class RemittanceLineIn(NamedTuple):
    """One line of a company's payment advice: what it pays on one order."""

    order_id: str
    po_number: str
    amount_cents: int


@direct_init
@dataclass(frozen=True, slots=True)
class RemittanceReceived:
    """A company paid (`amount_cents`, the sum of its lines) and says which invoices."""

    remittance_id: str
    company_id: str
    sent_at: float
    amount_cents: int
    lines: tuple[RemittanceLineIn, ...]


@direct_init
@dataclass(frozen=True, slots=True)
class PurchaseOrderAcknowledged:
    """A drop-ship partner acknowledged the PO for an order's part (`leg`)."""

    order_id: str
    location: str
    at: float
    leg: int = 1


@direct_init
@dataclass(frozen=True, slots=True)
class StockFeedReceived:
    """A drop-ship partner's whole stock, as its periodic feed gives it."""

    location: str
    stock: tuple[StockReport, ...]
    at: float


InboundEvent = (
    PurchaseOrderAcknowledged
    | StockFeedReceived
    | ImportResult
    | PricesChanged
    | ReviewDecided
    | SettlementReported
    | RemittanceReceived
    | OrderReceived
    | OrderCancellationRequested
    | OrderPicked
    | ShipmentConfirmed
    | PickupReady
    | PickupCollected
    | StoreSaleRecorded
    | StockReceived
    | ReturnRequested
    | ReturnReceived
    | ReturnInspected
)
