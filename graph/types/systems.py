"""The systems of the estate and the kinds of message they exchange, as GraphQL enums.

The read model keeps each as the word the wire carried (`wms`, `ORDER_PLACED`,
`acknowledge`); these enums give a client one casing and a fixed set to branch on. Each
member's value is that word, so converting is a lookup; a word this API version does not
name yet becomes `OTHER` (the deprecated string field beside it still holds the word)
rather than an error on a whole page of results.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.types.enum_values import enum_value


@strawberry.enum(description="A system of the estate: the hub, a backend, a sales channel.")
class IntegrationSystem(Enum):
    HUB = enum_value(
        "hub", description="The integration hub under test: it orchestrates every other system."
    )
    ERP = enum_value(
        "erp", description="The ERP: sales orders, invoices, credit memos, the stock ledger."
    )
    WMS = enum_value(
        "wms", description="The warehouse management system of the distribution centers."
    )
    POS = enum_value(
        "pos", description="The stores' point-of-sale tills, with their pickups and counters."
    )
    PAYMENT = enum_value(
        "payment", description="The payment gateway: authorizations, captures, refunds, voids."
    )
    MARKETPLACE = enum_value(
        "marketplace", description="The third-party marketplace: its orders and its stock feed."
    )
    WEB = enum_value(
        "web", description="The web storefront: web and click-and-collect orders and returns."
    )
    PRICING = enum_value(
        "pricing",
        description="The pricing source: the price master that sets prices and promotions.",
    )
    FRAUD = enum_value(
        "fraud",
        description="The fraud screen: scores orders, and its analysts decide the held ones.",
    )
    TAX = enum_value(
        "tax",
        description="The tax engine: quotes an order's tax, files and reverses the liability.",
    )
    DROPSHIP = enum_value(
        "dropship",
        description="A drop-ship partner: ships its own SKUs on the retailer's purchase "
        "orders, acknowledges them and sends shipment notices and a stock feed (its API "
        "answers as `partner:NAME`).",
    )
    TWIN = enum_value(
        "twin", description="The twin's own clock, announcing the start and close of a day."
    )
    OTHER = enum_value(
        "other",
        description="A system this API version does not name; the string field beside it has it.",
    )

    @classmethod
    def from_domain(cls, word: str) -> IntegrationSystem:
        """A system's name as the read model stores it, `OTHER` if it is not one we name."""
        if word.startswith("partner:"):  # each drop-ship partner's own API
            return cls.DROPSHIP
        try:
            return cls(word)
        except ValueError:
            return cls.OTHER


@strawberry.enum(
    description="Who moved an order or a return to a status: a system or the sales channel."
)
class StatusChangeSource(Enum):
    HUB = enum_value("hub", description="The hub decided it (accepted, cancelled).")
    ERP = enum_value("erp", description="The ERP reported it (a return closed).")
    WMS = enum_value("wms", description="A distribution center's WMS reported it.")
    POS = enum_value("pos", description="A store's till reported it.")
    PAYMENT = enum_value("payment", description="The payment gateway reported it.")
    WEB = enum_value("web", description="The web storefront sent it in.")
    MARKETPLACE = enum_value("marketplace", description="The marketplace sent it in.")
    CLICK_COLLECT = enum_value(
        "click_collect", description="The storefront sent in a click-and-collect order."
    )
    STORE = enum_value("store", description="A store counter sent it in.")
    OTHER = enum_value(
        "other", description="A source this API version does not name; `source` holds the word."
    )

    @classmethod
    def from_domain(cls, word: str) -> StatusChangeSource:
        """A step's source as the read model stores it, `OTHER` if it is not one we name."""
        try:
            return cls(word)
        except ValueError:
            return cls.OTHER
