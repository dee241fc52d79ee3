"""How each list can be ordered: its sort keys and the columns each one sorts by.

Every sort key ends in the list's unique key (an order's id, a position's SKU and
location), so no two rows tie and a keyset cursor names one place in the list. The
member names are the API's (Shopify's `OrderSortKeys`: `CREATED_AT`, `UPDATED_AT`,
`TOTAL_PRICE`, `ID`), and the API's enums mirror them member for member. A key's
columns, read in order, are the values a cursor holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer

from hub.adapters.read_model import company_tables, payout_tables, tables


class OrderSort(Enum):
    CREATED_AT = "placed_at"
    PROCESSED_AT = "received_at"
    UPDATED_AT = "updated_at"
    TOTAL_PRICE = "total_cents"
    ID = "id"


class ReturnSort(Enum):
    CREATED_AT = "requested_at"
    UPDATED_AT = "updated_at"
    ID = "id"


class SkuSort(Enum):
    POPULARITY = "popularity_rank"
    TITLE = "name"
    ID = "id"


class PositionSort(Enum):
    SKU = "sku"
    AVAILABLE = "available"
    ON_HAND = "on_hand"


class PromotionSort(Enum):
    NAME = "promotion"


class PayoutSort(Enum):
    PAID_AT = "paid_at"
    RECEIVED_AT = "received_at"
    ID = "id"


class CompanySort(Enum):
    NAME = "name"
    ID = "id"


class PayoutLineSort(Enum):
    """A payout's lines in the order its report lists them (read one payout at a time)."""

    REPORT_ORDER = "seq"


SortKey = (
    OrderSort
    | ReturnSort
    | SkuSort
    | PositionSort
    | PromotionSort
    | PayoutSort
    | PayoutLineSort
    | CompanySort
)

_positions = tables.positions

position_available = tables.position_available


@dataclass(frozen=True, slots=True)
class Sort:
    """One list's order: a sort key and its direction."""

    key: SortKey
    descending: bool = False

    @property
    def columns(self) -> tuple[ColumnElement[Any], ...]:
        """What the rows are ordered by, the unique key last."""
        key = self.key
        if isinstance(key, OrderSort | ReturnSort | SkuSort | PayoutSort | CompanySort):
            table = {
                OrderSort: tables.orders,
                ReturnSort: tables.returns,
                SkuSort: tables.skus,
                PayoutSort: payout_tables.payouts,
                CompanySort: company_tables.companies,
            }[type(key)]
            value = table.c[key.value]
            return (value,) if key.value == "id" else (value, table.c.id)
        if isinstance(key, PayoutLineSort):
            return (payout_tables.payout_lines.c.seq,)
        if isinstance(key, PromotionSort):
            # a promotion is its name: the rows that name it, grouped (prices.py)
            return (tables.channel_prices.c.promotion,)
        unique = (_positions.c.sku, _positions.c.location)
        if key is PositionSort.SKU:
            return unique
        value = position_available if key is PositionSort.AVAILABLE else _positions.c.on_hand
        return (value, *unique)

    @property
    def key_types(self) -> tuple[type, ...]:
        """The Python type of each value a cursor of this order holds (float for times,
        int for counts and money, str for ids), to check a cursor before SQL sees it."""
        return tuple(_python_type(column) for column in self.columns)


def _python_type(column: ColumnElement[Any]) -> type:
    if isinstance(column.type, Float):
        return float
    if isinstance(column.type, Integer):
        return int
    return str
