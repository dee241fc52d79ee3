"""Sort keys of the lists, as Shopify's Admin API names them (`OrderSortKeys` with
`reverse`): a key sorts ascending (oldest, smallest, A first) and `reverse: true`
turns it round. Each enum mirrors the read model's (hub/adapters/read_model/sorting.py)
member for member, which a test holds; the read model knows the columns."""

from __future__ import annotations

from enum import Enum

import strawberry

from hub.adapters.read_model.sorting import (
    CompanySort,
    OrderSort,
    PayoutSort,
    PositionSort,
    ReturnSort,
    SkuSort,
    Sort,
)

SORT_KEY_HELP = (
    "What to sort by; ascending unless `reverse` is true. Every key ends in the item's "
    "id, so no two items tie and cursors stay put while items are added."
)
REVERSE_HELP = "Reverse the order the sort key gives."
ORDERS_SORT_HELP = SORT_KEY_HELP + " Without one: newest first (CREATED_AT, reversed)."
RETURNS_SORT_HELP = SORT_KEY_HELP + " Without one: newest request first (CREATED_AT, reversed)."
PAYOUTS_SORT_HELP = SORT_KEY_HELP + " Without one: the latest paid first (PAID_AT, reversed)."
COMPANIES_SORT_HELP = SORT_KEY_HELP + " Without one: by name (NAME)."


@strawberry.enum(description="What the orders list can be sorted by.")
class OrderSortKeys(Enum):
    CREATED_AT = strawberry.enum_value("CREATED_AT", description="When it was placed.")
    PROCESSED_AT = strawberry.enum_value(
        "PROCESSED_AT", description="When the hub received it (after the network's delay)."
    )
    UPDATED_AT = strawberry.enum_value("UPDATED_AT", description="When it last changed.")
    TOTAL_PRICE = strawberry.enum_value("TOTAL_PRICE", description="Its total, tax included.")
    ID = strawberry.enum_value("ID", description="Its id.")


@strawberry.enum(description="What the returns list can be sorted by.")
class ReturnSortKeys(Enum):
    CREATED_AT = strawberry.enum_value(
        "CREATED_AT", description="When it was requested (the returns queue: oldest first)."
    )
    UPDATED_AT = strawberry.enum_value("UPDATED_AT", description="When it last changed.")
    ID = strawberry.enum_value("ID", description="Its id.")


@strawberry.enum(description="What the SKUs list can be sorted by.")
class SkuSortKeys(Enum):
    POPULARITY = strawberry.enum_value(
        "POPULARITY", description="Popularity rank: the best seller (rank 1) first."
    )
    TITLE = strawberry.enum_value("TITLE", description="The name, by code point.")
    ID = strawberry.enum_value("ID", description="Its id.")


@strawberry.enum(description="What the inventory positions list can be sorted by.")
class InventoryPositionSortKeys(Enum):
    SKU = strawberry.enum_value("SKU", description="The SKU's id, then the location's.")
    AVAILABLE = strawberry.enum_value(
        "AVAILABLE",
        description="`available`, lowest (most oversold) first: a low-stock screen's order.",
    )
    ON_HAND = strawberry.enum_value("ON_HAND", description="`onHand`, lowest first.")


@strawberry.enum(description="What the payouts list can be sorted by.")
class PayoutSortKeys(Enum):
    PAID_AT = strawberry.enum_value("PAID_AT", description="When the money was deposited.")
    RECEIVED_AT = strawberry.enum_value(
        "RECEIVED_AT", description="When the hub received the settlement report."
    )
    ID = strawberry.enum_value("ID", description="Its settlement id.")


@strawberry.enum(description="What the companies list can be sorted by.")
class CompanySortKeys(Enum):
    NAME = strawberry.enum_value("NAME", description="The company's name, then its id.")
    ID = strawberry.enum_value("ID", description="Its id in the portal.")


def order_sort(key: OrderSortKeys | None, reverse: bool) -> Sort:
    """Without a key, the orders list's own order: newest first (`reverse` makes it
    oldest first)."""
    if key is None:
        return Sort(OrderSort.CREATED_AT, descending=not reverse)
    return Sort(OrderSort[key.name], descending=reverse)


def return_sort(key: ReturnSortKeys | None, reverse: bool) -> Sort:
    """Without a key, newest request first, as the list has always come."""
    if key is None:
        return Sort(ReturnSort.CREATED_AT, descending=not reverse)
    return Sort(ReturnSort[key.name], descending=reverse)


def sku_sort(key: SkuSortKeys, reverse: bool) -> Sort:
    return Sort(SkuSort[key.name], descending=reverse)


def position_sort(key: InventoryPositionSortKeys, reverse: bool) -> Sort:
    return Sort(PositionSort[key.name], descending=reverse)


def payout_sort(key: PayoutSortKeys | None, reverse: bool) -> Sort:
    """Without a key, the latest paid first (`reverse` makes it the earliest)."""
    if key is None:
        return Sort(PayoutSort.PAID_AT, descending=not reverse)
    return Sort(PayoutSort[key.name], descending=reverse)


def company_sort(key: CompanySortKeys | None, reverse: bool) -> Sort:
    """Without a key, by name (`reverse` makes it Z to A)."""
    return Sort(CompanySort[(key or CompanySortKeys.NAME).name], descending=reverse)
