"""Order fields every schema shares. The schemas add `lines` (whose `sku` is an entity
of the inventory subgraph), `fulfillments` (whose `location` is one too) and
`fulfillmentLocation` (with its deprecated British twin `fulfilmentLocation`), which
differ between a subgraph (a reference to resolve elsewhere) and the composed server
(the full entity)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Self

import strawberry

from graph.context import GraphInfo
from graph.types.common import (
    CrossSystemView,
    OrderStatus,
    PaymentState,
    SalesChannel,
    StatusChange,
    TimelineEvent,
)
from graph.types.companies import Company, PaymentTerms
from graph.types.node import Node, NodeType, global_id
from graph.types.order_holds import FraudReview, OrderTax
from graph.types.order_money import OrderLineMoney, OrderMoney
from graph.types.payouts import PaymentCollector
from graph.types.time import at, maybe_at
from graph.types.transactions import OrderTransaction
from hub.adapters.read_model.records import (
    FulfillmentRecord,
    OrderLineRecord,
    OrderRecord,
    PaymentRecord,
    ShipmentRecord,
)

CUSTOMER_HELP = (
    "Who placed the order; null only over a finished run written before the read model "
    "kept customers (an earlier version's)."
)
ORDER_HELP = (
    "A customer's order from a sales channel (web, click-and-collect, marketplace), as the "
    "hub tracks it from receipt to shipment or collection, with its money and its systems."
)
ORDER_LINE_HELP = "One SKU of an order: how many units, at what price, and how many left."
FULFILLMENT_LOCATION_HELP = (
    "The DC or store that fills the order, chosen when the hub reserves its stock; null "
    "before that."
)
FULFILLMENT_LOCATION_ID_HELP = (
    "The raw id of the DC or store that fills the order, chosen when the hub reserves its "
    "stock; null before that."
)
SKU_OF_LINE_HELP = "The SKU ordered."
ORDER_LINES_HELP = "What was ordered, one line per SKU, in line number order."


@strawberry.type(description="Money on a card: the authorization and what became of it.")
class Payment:
    authorization_id: str = strawberry.field(
        description="The payment gateway's id of the authorization (the hold on the card)."
    )
    state: PaymentState = strawberry.field(description="Where this authorization's money stands.")
    captured_cents: int = strawberry.field(
        description="Cents taken from the card so far (tax included); 0 until captured."
    )
    refunded_cents: int = strawberry.field(
        description="Cents given back to the card by returns' refunds so far."
    )

    @classmethod
    def from_domain(cls, record: PaymentRecord) -> Payment:
        return cls(
            authorization_id=record.authorization_id,
            state=PaymentState.from_domain(record.state),
            captured_cents=record.captured_cents,
            refunded_cents=record.refunded_cents,
        )


@strawberry.type(description="Goods that left: a parcel from a DC or a store collection.")
class Shipment:
    id: strawberry.ID = strawberry.field(
        description=(
            "The WMS's shipment number for a parcel; for a store collection, `COL-` and the "
            "order's raw id."
        )
    )
    kind: str = strawberry.field(
        description='"parcel" (shipped from a DC) or "collection" (handed over at a store).'
    )
    location_id: str = strawberry.field(description="The raw id of the DC or store it left.")
    shipped_at: datetime | None = strawberry.field(
        description="When it left the DC or was collected; null if the system did not say."
    )

    @classmethod
    def from_domain(cls, record: ShipmentRecord) -> Shipment:
        return cls(
            id=strawberry.ID(record.shipment_id),
            kind=record.kind,
            location_id=record.location,
            shipped_at=maybe_at(record.shipped_at),
        )


@strawberry.type
class OrderLineFields(OrderLineMoney):
    line_number: int = strawberry.field(description="The line's place in the order, from 1.")
    sku_id: strawberry.ID = strawberry.field(description="The raw id of the SKU ordered.")
    quantity: int = strawberry.field(description="Units ordered.")
    unit_price_cents: int = strawberry.field(
        description="The price charged for one unit, before tax, in cents.",
        deprecation_reason="Use `discountedUnitPrice`: money with its currency.",
    )
    tax_cents: int = strawberry.field(
        description="The tax on the whole line, in cents.",
        deprecation_reason="Use `totalTax`: money with its currency.",
    )
    short_quantity: int = strawberry.field(
        description="Units the fulfillment location could not fill (oversold), cancelled."
    )
    shipped_quantity: int = strawberry.field(
        description="Units that left: shipped from the DC or collected at the store."
    )
    line_list_price_cents: strawberry.Private[int]
    promotion: str | None = strawberry.field(
        description=(
            "The promotion that set the price charged (null at list price, or when a "
            "list-price change did): the pricing source's name for it, such as "
            "DOORBUSTER."
        )
    )

    @strawberry.field(description="Units still to ship: quantity - short - shipped.")
    def open_quantity(self) -> int:
        return self.quantity - self.short_quantity - self.shipped_quantity

    @classmethod
    def from_domain(cls, record: OrderLineRecord) -> Self:
        return cls(
            line_number=record.line_no,
            sku_id=strawberry.ID(record.sku),
            quantity=record.quantity,
            unit_price_cents=record.unit_price_cents,
            tax_cents=record.tax_cents,
            short_quantity=record.short_quantity,
            shipped_quantity=record.shipped_quantity,
            line_list_price_cents=record.list_price_cents,
            promotion=record.promotion or None,
        )


@strawberry.type
class OrderFields(Node, OrderMoney):
    legacy_resource_id: str = strawberry.field(
        description="The order's raw id (deprecated as an argument: pass `id`)."
    )
    channel: SalesChannel = strawberry.field(description="The sales channel it was placed through.")
    channel_order_id: str = strawberry.field(
        description="The channel's own reference for the order, which the hub quotes back to it."
    )
    customer_id: str = strawberry.field(
        description="The raw id of the customer who placed it.",
        deprecation_reason="Use `customer`: the whole customer.",
    )
    status: OrderStatus = strawberry.field(description="Where the order stands now.")
    placed_at: datetime = strawberry.field(
        description="When the customer placed it (simulated time)."
    )
    received_at: datetime = strawberry.field(description="When the hub first heard of it.")
    fulfilment_location_id: str | None = strawberry.field(
        description=FULFILLMENT_LOCATION_ID_HELP,
        deprecation_reason="Use `fulfillmentLocationId`: the same, in US spelling.",
    )
    pickup_store_id: str | None = strawberry.field(
        description=(
            "The raw id of the store a click-and-collect order is collected at; null otherwise."
        )
    )
    payment_state: PaymentState = strawberry.field(description="Where the order's money stands.")
    payment_collected_by: PaymentCollector = strawberry.field(
        description=(
            "Who took the customer's money: the retailer's gateway, or a settling "
            "marketplace (then `transactions` are its charge and refunds, and its payouts "
            "pay the money over)."
        )
    )
    total_cents: int = strawberry.field(
        description="What the order costs, tax included, in cents.",
        deprecation_reason="Use `totalPrice`: money with its currency.",
    )
    captured_cents: int = strawberry.field(
        description="Cents taken from the card so far.",
        deprecation_reason="Use `totalReceived`: money with its currency.",
    )
    erp_order_number: str | None = strawberry.field(
        description="The ERP's sales order number; null until the ERP has booked the order."
    )
    invoiced: bool = strawberry.field(description="Whether the ERP has invoiced the order.")
    cancel_reason: str | None = strawberry.field(
        description="Why it was cancelled, free text; null unless cancelled."
    )
    exception: str | None = strawberry.field(
        description="Why the order sits in the exception queue, if it does."
    )
    version: int = strawberry.field(description="Bumped on every status change.")
    updated_at: datetime = strawberry.field(
        description="When the hub last changed anything about the order (simulated time)."
    )
    fulfillment_location_id: str | None = strawberry.field(description=FULFILLMENT_LOCATION_ID_HELP)
    fraud_review: FraudReview = strawberry.field(
        description=(
            "The fraud screen's review: whether it holds the order, its case and the "
            "analyst's decision. `NONE` where the estate has no fraud screen."
        )
    )
    tax: OrderTax = strawberry.field(
        description=(
            "The tax engine's view of the order: quoted, estimated or committed, and the "
            "liability committed. `NONE` where the estate has no tax engine."
        )
    )
    marketplace: str | None = strawberry.field(
        description=(
            "The name of the marketplace a MARKETPLACE order was placed on (`marketplace` "
            "when the estate sells through one; each its own name when it sells through "
            "several); null for the other channels."
        )
    )

    @classmethod
    def from_domain(cls, record: OrderRecord) -> Self:
        return cls(
            id=global_id(NodeType.ORDER, record.id),
            legacy_resource_id=record.id,
            channel=SalesChannel(record.channel),
            channel_order_id=record.channel_order_id,
            customer_id=record.customer_id,
            status=OrderStatus(record.status),
            placed_at=at(record.placed_at),
            received_at=at(record.received_at),
            fulfilment_location_id=record.location or None,
            fulfillment_location_id=record.location or None,
            pickup_store_id=record.pickup_store or None,
            payment_state=PaymentState.from_domain(record.payment_state),
            payment_collected_by=PaymentCollector.from_domain(record.payment_collector),
            marketplace=record.marketplace or None,
            total_cents=record.total_cents,
            captured_cents=record.captured_cents,
            erp_order_number=record.erp_order_no or None,
            invoiced=record.invoiced,
            cancel_reason=record.cancel_reason or None,
            exception=record.exception or None,
            version=record.version,
            updated_at=at(record.updated_at),
            fraud_review=FraudReview.from_domain(record),
            tax=OrderTax.from_domain(record),
        )

    @classmethod
    async def read_ahead(cls, info: GraphInfo, order_ids: Sequence[str]) -> None:
        """Read what a page of these orders' fields will ask for, ahead of them
        (graph/read_ahead.py); nothing here: a schema whose fields answer from what
        was read ahead says so."""

    @strawberry.field(
        description="The buyer's purchase-order number: a company's order only (null otherwise)."
    )
    async def po_number(self, info: GraphInfo) -> str | None:
        terms = await info.context.loaders.order_terms.load(self.legacy_resource_id)
        return None if terms is None else terms.po_number

    @strawberry.field(
        description="A company's order's payment terms, its invoice on account and what was "
        "paid on it (null for an order charged to a card or collected by its channel)."
    )
    async def payment_terms(self, info: GraphInfo) -> PaymentTerms | None:
        terms = await info.context.loaders.order_terms.load(self.legacy_resource_id)
        if terms is None:
            return None
        # overdue as of when its company's figures were projected
        company = await info.context.loaders.company.load(terms.company_id)
        return PaymentTerms.from_domain(
            terms, company.updated_at if company is not None else float("-inf")
        )

    @strawberry.field(
        description="The company account that placed the order (null for a consumer's order)."
    )
    async def purchasing_company(self, info: GraphInfo) -> Company | None:
        terms = await info.context.loaders.order_terms.load(self.legacy_resource_id)
        company = (
            None if terms is None else await info.context.loaders.company.load(terms.company_id)
        )
        return None if company is None else Company.from_domain(company)

    @strawberry.field(description="The order's card authorizations and what each became.")
    async def payments(self, info: GraphInfo) -> list[Payment]:
        return [
            Payment.from_domain(r)
            for r in await info.context.loaders.payments.load(self.legacy_resource_id)
        ]

    @strawberry.field(
        description="The goods that left for the customer, oldest first.",
        deprecation_reason="Use `fulfillments`, which adds lines and tracking.",
    )
    async def shipments(self, info: GraphInfo) -> list[Shipment]:
        return [
            Shipment.from_domain(r)
            for r in await info.context.loaders.shipments.load(self.legacy_resource_id)
        ]

    @strawberry.field(description="Every status the order stepped to, oldest first.")
    async def status_history(self, info: GraphInfo) -> list[StatusChange]:
        return [
            StatusChange.of_order(r)
            for r in await info.context.loaders.order_history.load(self.legacy_resource_id)
        ]

    @strawberry.field(
        description=(
            "Every message about this order across all systems (its returns' included), in "
            "delivery order."
        )
    )
    async def timeline(self, info: GraphInfo) -> list[TimelineEvent]:
        return [
            TimelineEvent.from_domain(r)
            for r in await info.context.loaders.order_timeline.load(self.legacy_resource_id)
        ]

    @strawberry.field(
        description=(
            "What the ERP, the WMS or store, the payment gateway and the sales channel each "
            "record about this order now, and where they disagree with the hub. Null until "
            "the order was first compared."
        )
    )
    async def cross_system(self, info: GraphInfo) -> CrossSystemView | None:
        loaders = info.context.loaders
        sync = await loaders.order_sync.load(self.legacy_resource_id)
        if sync is None:
            return None
        return CrossSystemView.from_domain(
            sync, await loaders.system_records.load(self.legacy_resource_id)
        )

    async def line_records(self, info: GraphInfo) -> list[OrderLineRecord]:
        return await info.context.loaders.order_lines.load(self.legacy_resource_id)

    @strawberry.field(
        description=(
            "Every request to the payment gateway about this order (authorizations, "
            "captures, refunds, voids, and the ones it refused), oldest first, as the "
            "gateway logged them; for an order a marketplace collected "
            "(`paymentCollectedBy`), the marketplace's charge (a SALE) and refunds."
        )
    )
    async def transactions(self, info: GraphInfo) -> list[OrderTransaction]:
        records = await info.context.loaders.transactions.load(self.legacy_resource_id)
        return [OrderTransaction.from_domain(r) for r in records]

    async def fulfillment_records(self, info: GraphInfo) -> list[FulfillmentRecord]:
        return await info.context.loaders.fulfillments.load(self.legacy_resource_id)
