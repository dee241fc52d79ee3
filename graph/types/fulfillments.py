"""Goods that left for the customer, as Shopify's `Fulfillment`: where from, when, the
lines and units in it, and how to track it. A DC parcel is tracked under the WMS's
shipment number; a click-and-collect order handed over at a store has no tracking.

The schemas add `location`: a reference in the orders subgraph, the whole `Location` in
the composed server."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Self

import strawberry

from graph.types.time import maybe_at
from hub.adapters.read_model.records import FulfillmentRecord
from hub.adapters.read_model.records import FulfillmentStatus as HubFulfillmentStatus


@strawberry.enum(description="Where a fulfillment stands.")
class FulfillmentStatus(Enum):
    SUCCESS = strawberry.enum_value(
        "SUCCESS", description="The goods left: shipped from a DC, or collected at a store."
    )

    @classmethod
    def from_domain(cls, status: str) -> FulfillmentStatus:
        return cls[HubFulfillmentStatus(status).name]


@strawberry.type(description="How to follow a parcel with its carrier (Shopify's TrackingInfo).")
class FulfillmentTrackingInfo:
    company: str | None = strawberry.field(description="The carrier.")
    number: str | None = strawberry.field(description="The carrier's tracking number.")
    url: str | None = strawberry.field(description="Where the customer can follow it.")


@strawberry.type(description="An order line and the units of it in a fulfillment.")
class FulfillmentLineItem:
    line_number: int = strawberry.field(description="The order line's number.")
    sku_id: strawberry.ID = strawberry.field(description="The SKU on that line.")
    quantity: int = strawberry.field(description="Units of the line in this fulfillment.")

    @classmethod
    def from_domain(cls, line: dict[str, Any]) -> FulfillmentLineItem:
        return cls(
            line_number=int(line["line_no"]),
            sku_id=strawberry.ID(str(line["sku"])),
            quantity=int(line["quantity"]),
        )


FULFILLMENT_HELP = (
    "Goods that left for the customer: a parcel a DC shipped, or a click-and-collect order "
    "a store handed over (Shopify's Fulfillment)."
)
FULFILLMENTS_HELP = (
    "The goods that left for the customer, oldest first: each DC parcel with its tracking, "
    "or the store collection (no tracking), with the lines in it."
)
FULFILLMENT_LOCATION_HELP = "The DC that shipped it, or the store that handed it over."


@strawberry.type
class FulfillmentFields:
    id: strawberry.ID = strawberry.field(
        description="The shipment's id (the WMS's shipment number, for a parcel)."
    )
    status: FulfillmentStatus = strawberry.field(description="Where it stands.")
    location_id: strawberry.ID = strawberry.field(
        description="The raw id of the DC that shipped it, or the store that handed it over."
    )
    created_at: datetime | None = strawberry.field(
        description="When the goods left (shipped or collected)."
    )
    tracking_info: FulfillmentTrackingInfo | None = strawberry.field(
        description="Carrier and tracking number; null for a store collection, which no "
        "carrier takes."
    )
    fulfillment_line_items: list[FulfillmentLineItem] = strawberry.field(
        description="The order lines and units in it."
    )

    @classmethod
    def from_domain(cls, record: FulfillmentRecord) -> Self:
        tracking = (
            FulfillmentTrackingInfo(
                company=record.tracking_company or None,
                number=record.tracking_number or None,
                url=record.tracking_url or None,
            )
            if record.tracking_number
            else None
        )
        return cls(
            id=strawberry.ID(record.fulfillment_id),
            status=FulfillmentStatus.from_domain(record.status),
            location_id=strawberry.ID(record.location),
            created_at=maybe_at(record.created_at),
            tracking_info=tracking,
            fulfillment_line_items=[FulfillmentLineItem.from_domain(x) for x in record.lines],
        )
