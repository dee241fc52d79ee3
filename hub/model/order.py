"""Orders as the hub understands them, whatever channel they came from.

An order moves forward through fulfilment statuses and never back: each status has a
rank, and per-aggregate ordering means an event that would lower the rank is a late
arrival to ignore, not news. Money and ERP progress are separate facets of the same
order because they move independently (an order can ship while the ERP is down).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final, cast

from hub.model.exceptions import ExceptionFacets
from hub.model.fraud import ReviewState
from hub.model.payment import PaymentState
from hub.model.tax import TaxState


class OrderStatus(IntEnum):
    RECEIVED = 0
    ACCEPTED = 10
    RELEASED = 20
    PICKED = 30
    READY_FOR_PICKUP = 35
    SHIPPED = 40
    COLLECTED = 45
    CANCELLED = 90

    @property
    def label(self) -> str:
        return _ORDER_LABELS[self]


#: enum member names are slow to read; statuses are labelled on every notice
_ORDER_LABELS = {status: status.name.lower() for status in OrderStatus}

FULFILLED = frozenset({OrderStatus.SHIPPED, OrderStatus.COLLECTED})
#: statuses an order never leaves: late news cannot cancel a delivered order, nor
#: deliver a cancelled one
FINAL = FULFILLED | {OrderStatus.CANCELLED}
#: payment states in which a cancelled order holds none of the customer's money
#: the system name of an estate's one marketplace, when it does not name several
MARKETPLACE_SYSTEM = "marketplace"
_NOTHING_HELD = frozenset({PaymentState.VOIDED, PaymentState.NONE, PaymentState.DECLINED})
#: payment states in which a fulfilled order's money is taken: charged, or invoiced on
#: account (the company's payment comes later, against the receivable)
_SETTLED = frozenset({PaymentState.CAPTURED, PaymentState.ON_ACCOUNT})


class Channel:
    """Channel names as they appear in scenarios, reports and the API."""

    WEB: Final = "web"
    MARKETPLACE: Final = "marketplace"
    CLICK_COLLECT: Final = "click_collect"
    STORE: Final = "store"
    #: a company's order on account (the B2B portal): contract prices, payment terms
    B2B: Final = "b2b"
    ORDER_CHANNELS: Final = (WEB, MARKETPLACE, CLICK_COLLECT)


@dataclass(slots=True, init=False)
class OrderLine:
    line_no: int
    sku: str
    quantity: int
    unit_price_cents: int
    tax_cents: int
    #: units the fulfilment location could not fill (oversold and cancelled)
    short_quantity: int = 0
    shipped_quantity: int = 0
    #: the list price `unit_price_cents` was cut from (0: it was not), and why
    list_price_cents: int = 0
    promotion: str = ""
    #: the DC that ships this line when the order ships in parts ("": the order's
    #: `location`, as every line of an order shipped whole)
    location: str = ""
    #: units of this line's SKU accepted back so far (asked for online, or brought over
    #: a counter), counted on the order's first line of the SKU: kept with the order, so
    #: an archived order's returns are archived with it and come back with it
    returned_quantity: int = 0

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every line of
    # every order, and of every order read back from the hub's archive, is built here
    def __init__(
        self,
        line_no: int,
        sku: str,
        quantity: int,
        unit_price_cents: int,
        tax_cents: int,
        short_quantity: int = 0,
        shipped_quantity: int = 0,
        list_price_cents: int = 0,
        promotion: str = "",
        location: str = "",
        returned_quantity: int = 0,
    ) -> None:
        self.line_no = line_no
        self.sku = sku
        self.quantity = quantity
        self.unit_price_cents = unit_price_cents
        self.tax_cents = tax_cents
        self.short_quantity = short_quantity
        self.shipped_quantity = shipped_quantity
        self.list_price_cents = list_price_cents
        self.promotion = promotion
        self.location = location
        self.returned_quantity = returned_quantity

    @property
    def discount_per_unit_cents(self) -> int:
        """What a promotion took off each unit (0 at list price)."""
        return max(0, self.list_price_cents - self.unit_price_cents)

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.short_quantity - self.shipped_quantity


@dataclass(slots=True)
class FulfilmentLeg:
    """One DC's part of an order split over several (hub/model/sourcing.py): released,
    picked and shipped on its own, settled by its own shipment (or withdrawn before
    picking). The order is shipped once every part is settled."""

    leg_no: int
    location: str
    #: the order's lines (their `line_no`) this part carries
    line_nos: tuple[int, ...]
    release_submitted: bool = False
    released_ack: bool = False
    shipment_id: str = ""
    shipped_at: float = -1.0
    #: its release was given back before picking (the customer cancelled)
    withdrawn: bool = False

    @property
    def settled(self) -> bool:
        return bool(self.shipment_id) or self.withdrawn


@dataclass(slots=True)
class StatusChange:
    status: OrderStatus
    at: float
    source: str


@dataclass(slots=True, init=False)
class Order(ExceptionFacets):
    order_id: str
    channel: str
    channel_order_id: str
    customer_id: str
    placed_at: float
    received_at: float
    lines: list[OrderLine]
    #: the DC or store that fulfils the order; chosen at reservation
    location: str = ""
    pickup_store: str = ""
    status: OrderStatus = OrderStatus.RECEIVED
    version: int = 0
    #: the status changes, oldest first, flat: status, time, source, status, ... (read
    #: them as `history`). Three places in a list, not an object per change: a day's
    #: half a million changes are held until the checker reads them, and an object
    #: each cost twice the memory (the status and source are shared, the time is the
    #: clock's own)
    changes: list[OrderStatus | float | str] = field(default_factory=list)
    erp_order_no: str = ""
    erp_booked_at: float = -1.0
    payment_auth_id: str = ""
    payment_state: PaymentState = PaymentState.NONE
    captured_cents: int = 0
    invoiced: bool = False
    shipment_id: str = ""
    shipped_at: float = -1.0
    cancel_requested: bool = False
    cancel_reason: str = ""
    release_submitted: bool = False
    released_ack: bool = False
    invoice_due: bool = False
    acked_at: float = -1.0
    reauthorisations: int = 0
    #: the region the goods go to (the tax engine's jurisdiction; "" when not told)
    region: str = ""
    #: the channel took the money and pays it over in its settlements: no gateway call
    #: authorises, captures or refunds it, and the sale is owed by the channel
    paid_by_channel: bool = False
    tax_state: TaxState = TaxState.NONE
    #: the customer was charged the channel's estimated tax, not the engine's quote
    tax_estimated: bool = False
    #: the liability the engine committed for the delivered goods
    tax_liability_cents: int = 0
    review_state: ReviewState = ReviewState.NONE
    #: the fraud screen's case, when it held the order for review, and when the hub
    #: heard the analyst's decision
    review_case: str = ""
    review_decided_at: float = -1.0
    #: open problems by facet ("payment", "erp", "fulfilment"), for the exception queue
    exceptions: dict[str, str] | None = None
    exception_since: float = -1.0
    #: the parts of an order shipped from several DCs, first part (at `location`)
    #: first; empty for an order shipped whole, which is most of them
    legs: list[FulfilmentLeg] = field(default_factory=list)

    def leg(self, leg_no: int) -> FulfilmentLeg | None:
        for leg in self.legs:
            if leg.leg_no == leg_no:
                return leg
        return None

    def location_of(self, line: OrderLine) -> str:
        """The DC (or store) that ships `line`."""
        return line.location or self.location

    #: a company's order (the B2B portal): its account, its purchase-order number and
    #: its payment terms (due `net_days` after invoicing); it is invoiced on account,
    #: never charged to a card ("" and -1 for everyone else's)
    company_id: str = ""
    po_number: str = ""
    net_days: int = -1
    #: the marketplace a marketplace order came from, by system name ("" for other
    #: channels); its acknowledgement, notices and money go back to that one
    marketplace: str = ""

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every order
    # the hub takes, and every one read back from its archive, is built here
    def __init__(
        self,
        order_id: str,
        channel: str,
        channel_order_id: str,
        customer_id: str,
        placed_at: float,
        received_at: float,
        lines: list[OrderLine],
        location: str = "",
        pickup_store: str = "",
        status: OrderStatus = OrderStatus.RECEIVED,
        version: int = 0,
        changes: list[OrderStatus | float | str] | None = None,
        erp_order_no: str = "",
        erp_booked_at: float = -1.0,
        payment_auth_id: str = "",
        payment_state: PaymentState = PaymentState.NONE,
        captured_cents: int = 0,
        invoiced: bool = False,
        shipment_id: str = "",
        shipped_at: float = -1.0,
        cancel_requested: bool = False,
        cancel_reason: str = "",
        release_submitted: bool = False,
        released_ack: bool = False,
        invoice_due: bool = False,
        acked_at: float = -1.0,
        reauthorisations: int = 0,
        region: str = "",
        paid_by_channel: bool = False,
        tax_state: TaxState = TaxState.NONE,
        tax_estimated: bool = False,
        tax_liability_cents: int = 0,
        review_state: ReviewState = ReviewState.NONE,
        review_case: str = "",
        review_decided_at: float = -1.0,
        exceptions: dict[str, str] | None = None,
        exception_since: float = -1.0,
        legs: list[FulfilmentLeg] | None = None,
        company_id: str = "",
        po_number: str = "",
        net_days: int = -1,
        marketplace: str = "",
    ) -> None:
        # several fields a line: the function stays within the layout's 80 lines
        self.order_id, self.channel, self.channel_order_id = order_id, channel, channel_order_id
        self.customer_id, self.placed_at, self.received_at = customer_id, placed_at, received_at
        self.lines, self.location, self.pickup_store = lines, location, pickup_store
        self.status, self.version = status, version
        self.changes = [] if changes is None else changes
        self.erp_order_no, self.erp_booked_at = erp_order_no, erp_booked_at
        self.payment_auth_id, self.payment_state = payment_auth_id, payment_state
        self.captured_cents, self.invoiced, self.shipment_id = captured_cents, invoiced, shipment_id
        self.shipped_at, self.cancel_requested = shipped_at, cancel_requested
        self.cancel_reason, self.release_submitted = cancel_reason, release_submitted
        self.released_ack, self.invoice_due, self.acked_at = released_ack, invoice_due, acked_at
        self.reauthorisations, self.region = reauthorisations, region
        self.paid_by_channel, self.tax_state = paid_by_channel, tax_state
        self.tax_estimated, self.tax_liability_cents = tax_estimated, tax_liability_cents
        self.review_state, self.review_case = review_state, review_case
        self.review_decided_at, self.exceptions = review_decided_at, exceptions
        self.exception_since = exception_since
        self.legs = [] if legs is None else legs
        self.company_id, self.po_number, self.net_days = company_id, po_number, net_days
        self.marketplace = marketplace

    @property
    def marketplace_system(self) -> str:
        """The system this marketplace order answers to ("marketplace" unless named)."""
        return self.marketplace or MARKETPLACE_SYSTEM

    @property
    def on_account(self) -> bool:
        """Invoiced on payment terms: the company pays later, against its invoice."""
        return self.net_days >= 0

    def advance(self, status: OrderStatus, at: float, source: str, ordered: bool) -> bool:
        """Move to `status` if that is forward; with ordering off, move regardless.

        Returns whether the status changed. Rank alone is not enough: CANCELLED outranks
        SHIPPED, yet a late "nothing picked" must not cancel a delivered order. The
        unordered branch exists only for the negative control that proves the checker
        sees regressions.
        """
        if status == self.status:
            return False
        if ordered and (status < self.status or self.status in FINAL):
            return False
        self.status = status
        self.version += 1
        self.changes += (status, at, source)
        return True

    @property
    def history(self) -> tuple[StatusChange, ...]:
        """Every status change, oldest first (a tuple, so that changing it fails
        loudly: the status moves through `advance`)."""
        flat = self.changes
        return tuple(
            StatusChange(
                cast(OrderStatus, flat[i]), cast(float, flat[i + 1]), cast(str, flat[i + 2])
            )
            for i in range(0, len(flat), 3)
        )

    @property
    def total_cents(self) -> int:
        return sum(line.unit_price_cents * line.quantity + line.tax_cents for line in self.lines)

    def fulfilled_cents(self) -> int:
        """What the customer owes for what actually shipped, tax included."""
        total = 0
        for line in self.lines:
            if line.shipped_quantity:
                tax = line.tax_cents * line.shipped_quantity // line.quantity
                total += line.unit_price_cents * line.shipped_quantity + tax
        return total

    @property
    def is_terminal(self) -> bool:
        if self.status == OrderStatus.CANCELLED:
            return self.payment_state in _NOTHING_HELD
        if self.status in FULFILLED:
            return self.invoiced and self.payment_state in _SETTLED
        return False
