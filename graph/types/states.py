"""The states and kinds every subgraph shows: an order's and a return's status, the sales
channel, a location's kind, an order's payment state.

Each member's value is the word the read model stores (the hub's label), so converting a
record is a lookup by value. Where the API once spelled a state the British way
(`AUTHORISED`), the US name comes first and the British one stays, deprecated, with the
same value: a query naming it in an argument still validates and matches the same
records, and a state read back is always shown by its US name (`us_spelling_first`).
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

from graph.types.enum_values import enum_value
from hub.model.payment import PaymentState as HubPaymentState

E = TypeVar("E", bound=type[Enum])

#: the deprecation of a British spelling, naming the US one that replaces it
_US_SPELLING = "Use `AUTHORIZED`: the same state, spelled as in US English."


def us_spelling_first(enum: E) -> E:
    """Make a lookup by value (`ReturnStatus("authorised")`) give the first member that
    has the value, the US spelling, not the deprecated one declared after it.

    strawberry shows a state by the first GraphQL value whose value matches, so clients
    read `AUTHORIZED` whatever member a converter found; this makes Python agree, so a
    converted member compares `is` to the US one."""
    first: dict[object, Enum] = {}
    for member in enum:
        first.setdefault(member.value, member)
    enum._value2member_map_.update(first)
    return enum


@strawberry.enum(description="Where an order is in fulfillment; it only ever moves forward.")
class OrderStatus(Enum):
    RECEIVED = enum_value(
        "received", description="The hub has the order from its channel, not yet reserved."
    )
    ACCEPTED = enum_value(
        "accepted",
        description="Stock reserved at its location; authorization and ERP booking follow.",
    )
    RELEASED = enum_value(
        "released", description="Sent to its DC or, for click-and-collect, its pickup store."
    )
    PICKED = enum_value(
        "picked", description="Picked at the DC; from here on it cannot be cancelled."
    )
    READY_FOR_PICKUP = enum_value(
        "ready_for_pickup", description="Click-and-collect: waiting at the store for the customer."
    )
    SHIPPED = enum_value(
        "shipped", description="Left the DC (final): the payment is captured on shipping."
    )
    COLLECTED = enum_value(
        "collected", description="Click-and-collect: the customer took it away (final)."
    )
    CANCELLED = enum_value(
        "cancelled",
        description="Cancelled before it was picked (final); `cancelReason` says why.",
    )


@strawberry.enum(description="Where a return is on its way to a refund; it only moves forward.")
class ReturnStatus(Enum):
    REQUESTED = enum_value(
        "requested", description="The customer asked; the hub has not checked the order yet."
    )
    AUTHORIZED = enum_value(
        "authorised",
        description="Accepted: the WMS was told to expect the parcel at the order's DC.",
    )
    RECEIVED = enum_value(
        "received", description="The goods arrived at the DC or over a store counter."
    )
    INSPECTED = enum_value(
        "inspected", description="Graded: resellable goods restocked, damaged ones quarantined."
    )
    REFUNDED = enum_value(
        "refunded", description="The money went back to the card, or was paid at the till."
    )
    CLOSED = enum_value("closed", description="The ERP booked the credit memo (final).")
    REJECTED = enum_value(
        "rejected",
        description="Refused (final): the order was not delivered, or too many units asked.",
    )
    AUTHORISED = enum_value(
        "authorised",
        description="The British spelling of `AUTHORIZED`; never returned.",
        deprecation_reason=_US_SPELLING,
    )


us_spelling_first(ReturnStatus)


@strawberry.enum(description="The sales channel an order or return came through.")
class SalesChannel(Enum):
    WEB = enum_value("web", description="The web storefront, delivered by parcel.")
    MARKETPLACE = enum_value(
        "marketplace", description="The third-party marketplace, delivered by parcel."
    )
    CLICK_COLLECT = enum_value(
        "click_collect", description="Ordered on the storefront, collected at a store."
    )
    STORE = enum_value(
        "store", description="Over a store counter (a return of a walk-in sale); no order."
    )
    B2B = enum_value(
        "b2b",
        description="A company's order from the B2B portal: contract prices, a purchase-order "
        "number, invoiced on payment terms.",
    )


@strawberry.enum(description="What kind of place a location is.")
class LocationKind(Enum):
    DC = enum_value(
        "dc", description="A distribution center: ships parcels, receives returns; has a WMS."
    )
    STORE = enum_value(
        "store", description="A store: sells over the counter, hands over click-and-collect."
    )
    PARTNER = enum_value(
        "partner",
        description="A drop-ship partner's warehouse: it ships its own SKUs to the customers "
        "on the retailer's purchase orders, and its stock is sold on the ship-to-home "
        "channels.",
    )


@strawberry.enum(description="The hub's view of an order's money.")
class PaymentState(Enum):
    """The API's name for each of the hub's payment states (hub/model/payment.py),
    value for value; `from_domain` is the one conversion, and a test holds the two
    enums equal, so a state the hub adds cannot reach a client unnamed."""

    NONE = enum_value(
        "none", description="Nothing authorized yet, or the authorization's answer is out."
    )
    AUTHORIZED = enum_value(
        "authorised", description="Money is held on the card; nothing taken yet."
    )
    CAPTURED = enum_value(
        "captured", description="Money was taken for what shipped or was collected."
    )
    VOIDED = enum_value(
        "voided", description="The hold was released: the customer was never charged."
    )
    DECLINED = enum_value(
        "declined", description="The gateway refused the authorization (or a re-authorization)."
    )
    FAILED = enum_value(
        "failed", description="The capture was finally refused: the goods left, the money did not."
    )
    ON_ACCOUNT = enum_value(
        "on_account",
        description="Invoiced on payment terms (a company's order): no card was charged; "
        "the company pays its invoice later.",
    )
    AUTHORISED = enum_value(
        "authorised",
        description="The British spelling of `AUTHORIZED`; never returned.",
        deprecation_reason=_US_SPELLING,
    )

    @classmethod
    def from_domain(cls, state: str) -> PaymentState:
        """A read-model payment state (the hub's word) as the API's member."""
        return cls(HubPaymentState(state).value)


us_spelling_first(PaymentState)
