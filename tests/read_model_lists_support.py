"""A small world for the read model's list tests (tests/integration/graph/
test_graph_read_model_lists.py and test_graph_read_model_filters.py): orders, returns,
SKUs and stock positions with ties on every sort value, written row by row, and walks
over a list's pages forward and back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from read_model_support import read

from hub.adapters.read_model import (
    ReadModel,
    Window,
)
from hub.adapters.read_model.keyset import Page
from hub.adapters.read_model.projection import OrderSnapshot, ReturnSnapshot
from hub.adapters.read_model.records import (
    OrderRecord,
    PositionRecord,
    ReturnRecord,
    SkuRecord,
    StatusChangeRecord,
)
from hub.adapters.read_model.sorting import OrderSort

R = TypeVar("R")


def order(
    n: int,
    placed_at: float,
    *,
    total: int = 1000,
    updated_at: float = 50.0,
    payment: str = "captured",
    exception: str = "",
) -> OrderSnapshot:
    record = OrderRecord(
        id=f"W-{n:04d}",
        channel="web",
        channel_order_id=f"web-{n}",
        customer_id="C-1",
        status="shipped",
        status_rank=60,
        placed_at=placed_at,
        received_at=placed_at + (n % 3),
        location="DC-NORTH",
        pickup_store="",
        payment_state=payment,
        captured_cents=total,
        total_cents=total,
        erp_order_no="",
        invoiced=False,
        cancel_reason="",
        exception=exception,
        version=1,
        updated_at=updated_at,
    )
    return OrderSnapshot(record, [], [], [], [])


#: ties on every sort value: placed_at repeats in pairs, totals and updates in threes
ORDERS = [
    order(n, float(100 * (n // 2)), total=500 * (n % 3), updated_at=float(n % 4)) for n in range(13)
]


def returned(
    n: int,
    requested_at: float,
    *,
    received_at: float = -1.0,
    refunded_at: float = -1.0,
    refund_state: str = "none",
    closed_at: float | None = None,
    updated_at: float | None = None,
) -> ReturnSnapshot:
    record = ReturnRecord(
        id=f"RMA-W-{n:04d}",
        order_id=f"W-{n:04d}",
        channel="web",
        status="closed" if closed_at is not None else "requested",
        status_rank=50 if closed_at is not None else 0,
        requested_at=requested_at,
        received_at=received_at,
        location="DC-NORTH",
        grade="",
        disposition="",
        refund_id="",
        refund_state=refund_state,
        refunded_at=refunded_at,
        refund_total_cents=1000,
        credit_memo_no="",
        exception="",
        updated_at=float(n % 2) if updated_at is None else updated_at,
    )
    history = [StatusChangeRecord(record.id, 0, "requested", requested_at, "web")]
    if closed_at is not None:
        history.append(StatusChangeRecord(record.id, 1, "closed", closed_at, "erp"))
    return ReturnSnapshot(record, [], history)


def position(sku: str, location: str, on_hand: int, reserved: int = 0) -> PositionRecord:
    """Safety stock 1 and 2 in transit: Shopify's available is on hand - reserved - 1."""
    return PositionRecord(
        sku, location, on_hand, reserved, 1, 2, 0, max(0, on_hand - reserved - 1), "wms", 1,
        0.0, 1, 0.0,
    )  # fmt: skip


SKUS = [SkuRecord(f"SKU-{n:02d}", f"name {n % 3}", "toys", 100, 2000, 1 + n % 4) for n in range(9)]
POSITIONS = [
    position(sku.id, location, on_hand=(i * 7) % 5, reserved=i % 2)
    for i, (sku, location) in enumerate(
        (sku, location) for sku in SKUS[:8] for location in ("DC-NORTH", "ST-0001")
    )
]


def run(url: str, call: Callable[[ReadModel], Awaitable[R]]) -> R:
    async def go(rm: ReadModel) -> R:
        await rm.create_schema()
        return await call(rm)

    return read(url, go)


async def write_world(rm: ReadModel) -> None:
    await rm.write_orders(ORDERS)
    await rm.write_master_data(SKUS, [])
    await rm.write_positions(POSITIONS)


Fetch = Callable[[Window], Awaitable[Page[Any]]]


async def walk_forward(fetch: Fetch, size: int) -> list[Any]:
    """Every item, a page at a time from the start, checking pageInfo on each page."""
    seen: list[Any] = []
    after = None
    while True:
        page = await fetch(Window(size, after=after))
        assert page.has_previous == (after is not None)
        seen += page.items
        if not page.has_next:
            assert len(page.items) <= size
            return seen
        assert len(page.items) == size
        after = page.keys[-1]


async def walk_back(fetch: Fetch, size: int) -> list[Any]:
    """Every item, a page at a time from the end (`last`/`before`)."""
    seen: list[Any] = []
    before = None
    while True:
        page = await fetch(Window(size, before=before, from_end=True))
        assert page.has_next == (before is not None)
        seen = page.items + seen
        if not page.has_previous:
            return seen
        assert len(page.items) == size
        before = page.keys[0]


def expected(records: Sequence[Any], columns: Sequence[str], descending: bool) -> list[Any]:
    return sorted(records, key=lambda r: tuple(getattr(r, c) for c in columns), reverse=descending)


ORDER_COLUMNS = {
    OrderSort.CREATED_AT: ("placed_at", "id"),
    OrderSort.PROCESSED_AT: ("received_at", "id"),
    OrderSort.UPDATED_AT: ("updated_at", "id"),
    OrderSort.TOTAL_PRICE: ("total_cents", "id"),
    OrderSort.ID: ("id",),
}
