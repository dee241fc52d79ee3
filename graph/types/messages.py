"""The kinds of message a timeline shows, as one GraphQL enum.

On the wire each system speaks its own dialect: the WMS and the marketplace shout
(`ORDER_PICKED`, `ORDER_PLACED`), the storefront dots (`order.created`), the hub's calls
are verbs (`acknowledge`, `release_order`). `MessageType` names every one in a single
casing; a member stands for a word, whatever its case and dots, and a word that means
the same at two systems (`stock_snapshot`, `RECEIPT`/`receipt`) is one member.

The words are the contract's (simulators/contract/registry.py: systems' operations,
sources' messages, channels' topics); graph/ may not import it, so a test holds this
enum equal to it.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.types.enum_values import enum_value


@strawberry.enum(
    description=(
        "What a timeline message is: a call the hub makes to a backend (and its answer), a "
        "message a system sends the hub, or a notice the hub publishes to a channel."
    )
)
class MessageType(Enum):
    # calls the hub makes: the ERP
    FIND_DOCUMENT = enum_value(
        "FIND_DOCUMENT", description="Call to the ERP: find the document booked under a reference."
    )
    STOCK_SNAPSHOT = enum_value(
        "STOCK_SNAPSHOT", description="Call to the ERP, a WMS or a till: every stock position."
    )
    CANCEL_SALES_ORDER = enum_value(
        "CANCEL_SALES_ORDER", description="Call to the ERP: cancel a sales order not yet invoiced."
    )
    CREATE_SALES_ORDER = enum_value(
        "CREATE_SALES_ORDER", description="Call to the ERP: book a channel order as a sales order."
    )
    POST_CREDIT_MEMO = enum_value(
        "POST_CREDIT_MEMO", description="Call to the ERP: book returned goods and the refund."
    )
    POST_DELIVERY_INVOICE = enum_value(
        "POST_DELIVERY_INVOICE", description="Call to the ERP: invoice what left the building."
    )
    POST_GOODS_MOVEMENT = enum_value(
        "POST_GOODS_MOVEMENT", description="Call to the ERP: book stock into or out of a plant."
    )
    POST_STORE_SALES = enum_value(
        "POST_STORE_SALES", description="Call to the ERP: book a store's takings for a period."
    )
    POST_SETTLEMENT = enum_value(
        "POST_SETTLEMENT", description="Call to the ERP: book a marketplace payout, line by line."
    )
    POST_CUSTOMER_PAYMENT = enum_value(
        "POST_CUSTOMER_PAYMENT",
        description="Call to the ERP: book a company's remittance against its invoices.",
    )
    # the WMS and the tills
    RELEASE_ORDER = enum_value(
        "RELEASE_ORDER", description="Call to a WMS: release an order to a DC for picking."
    )
    CANCEL_RELEASE = enum_value(
        "CANCEL_RELEASE", description="Call to a WMS or a till: withdraw a release not yet done."
    )
    EXPECT_RETURN = enum_value(
        "EXPECT_RETURN", description="Call to a WMS: announce a returned parcel."
    )
    PICKUP_REQUEST = enum_value(
        "PICKUP_REQUEST", description="Call to a till: pick a click-and-collect order."
    )
    # the payment gateway and the marketplace
    AUTHORIZE = enum_value(
        "AUTHORIZE", description="Call to the payment gateway: hold money on the card."
    )
    CAPTURE = enum_value(
        "CAPTURE", description="Call to the payment gateway: take authorized money."
    )
    REFUND = enum_value(
        "REFUND", description="Call to the payment gateway: pay captured money back."
    )
    VOID = enum_value(
        "VOID", description="Call to the payment gateway: release an unused authorization."
    )
    ACKNOWLEDGE = enum_value(
        "ACKNOWLEDGE", description="Call to the marketplace: acknowledge one of its orders."
    )
    CONFIRM_SHIPMENT = enum_value(
        "CONFIRM_SHIPMENT",
        description="Call to a settling marketplace: charge the buyer for what shipped.",
    )
    REFUND_RETURN = enum_value(
        "REFUND_RETURN", description="Call to a settling marketplace: refund a buyer's return."
    )
    SETTLEMENT_POSTED = enum_value(
        "SETTLEMENT_POSTED",
        description="The marketplace paid out: its settlement report, line by line.",
    )
    # a guarded backend's token endpoint
    AUTH_TOKEN = enum_value(
        "AUTH_TOKEN",
        description="Call to a backend's token endpoint (ERP, marketplace): an access token.",
    )
    # the fraud screen
    SCREEN = enum_value("SCREEN", description="Call to the fraud screen: score an order.")
    REVIEW_DECIDED = enum_value(
        "REVIEW_DECIDED",
        description="From the fraud screen: an analyst approved or rejected a held order.",
    )
    # the tax engine
    QUOTE = enum_value("QUOTE", description="Call to the tax engine: the tax on an order.")
    COMMIT = enum_value(
        "COMMIT", description="Call to the tax engine: file the tax on delivered goods."
    )
    REVERSE = enum_value(
        "REVERSE", description="Call to the tax engine: give back the tax on returned goods."
    )
    # messages systems send the hub
    IMPORT_RESULT = enum_value(
        "IMPORT_RESULT", description="From the ERP: the outcome of one write at an import run."
    )
    ORDER_PICKED = enum_value("ORDER_PICKED", description="From a WMS: an order was picked.")
    SHIPMENT_CONFIRMED = enum_value(
        "SHIPMENT_CONFIRMED", description="From a WMS: an order left the DC."
    )
    RECEIPT = enum_value("RECEIPT", description="From a WMS or a till: a delivery was booked in.")
    RETURN_RECEIVED = enum_value(
        "RETURN_RECEIVED", description="From a WMS: a returned parcel arrived."
    )
    RETURN_INSPECTED = enum_value(
        "RETURN_INSPECTED", description="From a WMS: a returned parcel was inspected."
    )
    SALE = enum_value("SALE", description="From a till: a walk-in sale.")
    RETURN = enum_value("RETURN", description="From a till: goods returned over the counter.")
    PICKUP_READY = enum_value(
        "PICKUP_READY", description="From a till: a click-and-collect order is ready."
    )
    PICKUP_COLLECTED = enum_value(
        "PICKUP_COLLECTED", description="From a till: the customer collected their order."
    )
    ORDER_CREATED = enum_value(
        "ORDER_CREATED", description="From the storefront: a customer placed an order."
    )
    ORDER_CANCEL_REQUESTED = enum_value(
        "ORDER_CANCEL_REQUESTED", description="From the storefront: a customer asked to cancel."
    )
    REMITTANCE_SENT = enum_value(
        "REMITTANCE_SENT",
        description="From the storefront's B2B side: a company paid invoices on account.",
    )
    RETURN_REQUESTED = enum_value(
        "RETURN_REQUESTED", description="From the storefront: a customer asked to send goods back."
    )
    ORDER_PLACED = enum_value(
        "ORDER_PLACED",
        description="From the marketplace: a customer placed (or it re-sent) an order.",
    )
    ORDER_CANCELLED = enum_value(
        "ORDER_CANCELLED", description="From the marketplace: a customer asked to cancel."
    )
    RETURN_OPENED = enum_value(
        "RETURN_OPENED", description="From the marketplace: a customer opened a return."
    )
    PRICE_CHANGED = enum_value(
        "PRICE_CHANGED",
        description="From the pricing source: prices that hold from a moment on.",
    )
    DAY_STARTED = enum_value("DAY_STARTED", description="From the twin's clock: a run started.")
    DAY_CLOSING = enum_value(
        "DAY_CLOSING", description="From the twin's clock: close the trading day."
    )
    # notices the hub publishes to the channels
    INVENTORY = enum_value("INVENTORY", description="To a channel: its availability feed.")
    ORDER_STATUS = enum_value("ORDER_STATUS", description="To a channel: an order's status notice.")
    RETURN_STATUS = enum_value(
        "RETURN_STATUS", description="To a channel: a return's status notice."
    )
    PRICES = enum_value("PRICES", description="To a channel or the stores' tills: a price push.")
    OTHER = enum_value(
        "OTHER", description="A message this API version does not name; `kind` holds its word."
    )

    @classmethod
    def from_domain(cls, word: str) -> MessageType:
        """The member a wire word stands for (`order.created` is ORDER_CREATED)."""
        try:
            return cls(word.upper().replace(".", "_"))
        except ValueError:
            return cls.OTHER
