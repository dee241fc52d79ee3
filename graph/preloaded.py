"""`Preloaded`: records a request read ahead of the fields that answer from them.

A page of orders reads its items' lines, returns, the returns' lines and the SKUs of
both when its selection asks for them (graph/read_ahead.py), and keeps them here, in
the request's context; the fields answer from them without awaiting a load. A key
missing here was not read ahead, and its field loads it as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.adapters.read_model.records import (
    OrderLineRecord,
    ReturnLineRecord,
    ReturnRecord,
    SkuRecord,
)


@dataclass(slots=True)
class Preloaded:
    #: by order id, every order of the page (an order without lines: an empty list)
    order_lines: dict[str, list[OrderLineRecord]] = field(default_factory=dict)
    #: by order id, as `order_lines`
    returns_of_order: dict[str, list[ReturnRecord]] = field(default_factory=dict)
    #: by return id, every return of the page's orders
    return_lines: dict[str, list[ReturnLineRecord]] = field(default_factory=dict)
    #: by SKU id, the SKUs of the lines above that the read model has
    skus: dict[str, SkuRecord] = field(default_factory=dict)
