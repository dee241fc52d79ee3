"""The read model's lists in every order they offer, paged forward and back, filtered in
SQL, and steady while rows arrive between two pages: on SQLite and PostgreSQL, over a
small world written row by row, with ties on every sort value so the unique tiebreak
is what decides."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import pytest
from read_model_support import read

from hub.adapters.read_model import (
    OrderFilter,
    PositionFilter,
    ReadModel,
    ReturnFilter,
    SkuFilter,
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
from hub.adapters.read_model.sorting import OrderSort, PositionSort, ReturnSort, SkuSort, Sort

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


@pytest.mark.parametrize("descending", [False, True])
def test_every_order_sort_key_pages_the_same_list_forward_and_back(
    database_url: str, descending: bool
) -> None:
    assert set(ORDER_COLUMNS) == set(OrderSort)

    async def both_ways(rm: ReadModel) -> dict[OrderSort, tuple[list[str], list[str]]]:
        await write_world(rm)
        walked = {}
        for key in OrderSort:
            sort = Sort(key, descending)

            async def fetch(window: Window, sort: Sort = sort) -> Page[OrderRecord]:
                return await rm.orders_page(OrderFilter(), window, sort)

            forward = [o.id for o in await walk_forward(fetch, 4)]
            back = [o.id for o in await walk_back(fetch, 4)]
            walked[key] = (forward, back)
        return walked

    records = [s.order for s in ORDERS]
    for key, (forward, back) in run(database_url, both_ways).items():
        want = [o.id for o in expected(records, ORDER_COLUMNS[key], descending)]
        assert forward == want, key
        assert back == want, key


def test_the_other_lists_page_in_every_order_both_ways(database_url: str) -> None:
    returns = [returned(n, float(10 * (n // 2))) for n in range(7)]
    columns: dict[Any, tuple[str, ...]] = {
        ReturnSort.CREATED_AT: ("requested_at", "id"),
        ReturnSort.UPDATED_AT: ("updated_at", "id"),
        ReturnSort.ID: ("id",),
        SkuSort.POPULARITY: ("popularity_rank", "id"),
        SkuSort.TITLE: ("name", "id"),
        SkuSort.ID: ("id",),
        PositionSort.SKU: ("sku", "location"),
        PositionSort.ON_HAND: ("on_hand", "sku", "location"),
    }
    available = {(p.sku, p.location): p.on_hand - p.reserved - 1 for p in POSITIONS}

    async def walk(rm: ReadModel) -> list[tuple[Sort, list[Any], list[Any]]]:
        await write_world(rm)
        await rm.write_returns(returns)
        walked = []
        for keys in (ReturnSort, SkuSort, PositionSort):
            for key in keys:
                for descending in (False, True):
                    sort = Sort(key, descending)

                    async def fetch(window: Window, sort: Sort = sort) -> Page[Any]:
                        if isinstance(sort.key, ReturnSort):
                            return await rm.returns_page(ReturnFilter(), window, sort)
                        if isinstance(sort.key, SkuSort):
                            return await rm.skus_page(SkuFilter(), window, sort)
                        return await rm.positions_page(PositionFilter(), window, sort)

                    walked.append((sort, await walk_forward(fetch, 3), await walk_back(fetch, 3)))
        return walked

    records: dict[type, list[Any]] = {
        ReturnSort: [r.ret for r in returns],
        SkuSort: SKUS,
        PositionSort: POSITIONS,
    }
    walked = run(database_url, walk)
    assert len(walked) == 2 * (len(ReturnSort) + len(SkuSort) + len(PositionSort))
    for sort, forward, back in walked:
        if sort.key is PositionSort.AVAILABLE:
            want = sorted(
                POSITIONS,
                key=lambda p: (available[(p.sku, p.location)], p.sku, p.location),
                reverse=sort.descending,
            )
        else:
            want = expected(records[type(sort.key)], columns[sort.key], sort.descending)
        assert forward == want, sort
        assert back == want, sort


def test_a_range_between_two_cursors_and_the_far_side_of_each(database_url: str) -> None:
    newest = Sort(OrderSort.CREATED_AT, descending=True)

    async def pages(rm: ReadModel) -> tuple[Page[OrderRecord], ...]:
        await write_world(rm)
        whole = await rm.orders_page(OrderFilter(), Window(100), newest)
        after, before = whole.keys[2], whole.keys[8]
        ahead = await rm.orders_page(OrderFilter(), Window(3, after, before), newest)
        behind = await rm.orders_page(OrderFilter(), Window(3, after, before, True), newest)
        return whole, ahead, behind

    whole, ahead, behind = run(database_url, pages)
    ids = [o.id for o in whole.items]
    assert not whole.has_next and not whole.has_previous and whole.total == len(ORDERS)
    assert [o.id for o in ahead.items] == ids[3:6]
    assert [o.id for o in behind.items] == ids[5:8]
    # each page has items between the cursors beyond it, and the cursor's own side
    assert ahead.has_next and ahead.has_previous and behind.has_next and behind.has_previous


def test_pages_stay_put_when_orders_arrive_between_two_requests(database_url: str) -> None:
    """The live twin places orders all the time: a client reading newest first gets,
    on its next page, exactly the orders after the last one it saw, however many
    newer orders (and older ones, late from the network) came in between."""
    newest = Sort(OrderSort.CREATED_AT, descending=True)

    async def two_pages(rm: ReadModel) -> tuple[list[str], list[str], list[str]]:
        await write_world(rm)
        first = await rm.orders_page(OrderFilter(), Window(4), newest)
        cursor = first.keys[-1]
        # 5 newer than everything, 1 tied with the cursor's time, 1 older than it
        arrivals = [order(100 + n, 10_000.0 + n) for n in range(5)]
        arrivals += [order(200, cursor[0]), order(201, cursor[0] - 1)]
        await rm.write_orders(arrivals)
        second = await rm.orders_page(OrderFilter(), Window(4, after=cursor), newest)
        now = await rm.orders_page(OrderFilter(), Window(100), newest)
        return [o.id for o in first.items], [o.id for o in second.items], [o.id for o in now.items]

    first, second, now = run(database_url, two_pages)
    assert not set(first) & set(second)
    # the second page is the list as it now is, from just after the last order seen
    assert second == now[now.index(first[-1]) + 1 :][:4]
    assert "W-0200" in now and "W-0201" in second  # the late one is where it belongs
    assert not {f"W-{100 + n:04d}" for n in range(5)} & set(second)


def test_order_filters_are_sql_conditions(database_url: str) -> None:
    extra = [
        order(300, 5.0, payment="authorized", updated_at=900.0),
        order(301, 6.0, payment="failed", exception="payment declined", updated_at=1000.0),
    ]

    async def filtered(rm: ReadModel) -> dict[str, set[str]]:
        await write_world(rm)
        await rm.write_orders(extra)
        asked = {
            "payment": OrderFilter(payment_states=("authorized", "failed")),
            "updated": OrderFilter(updated_from=900.0, updated_to=1000.0),
            "exception": OrderFilter(has_exception=True),
            "no exception": OrderFilter(has_exception=False, updated_from=900.0),
        }
        found = {}
        for name, where in asked.items():
            page = await rm.orders_page(where, Window(100))
            assert page.total == len(page.items)
            found[name] = {o.id for o in page.items}
        return found

    assert run(database_url, filtered) == {
        "payment": {"W-0300", "W-0301"},
        "updated": {"W-0300"},
        "exception": {"W-0301"},
        "no exception": {"W-0300"},
    }


def test_stock_thresholds_and_totals_over_locations(database_url: str) -> None:
    available = {}
    on_hand: dict[str, int] = {}
    for p in POSITIONS:
        available[p.sku] = available.get(p.sku, 0) + p.on_hand - p.reserved - 1
        on_hand[p.sku] = on_hand.get(p.sku, 0) + p.on_hand
    # SKU-08 has no position at all: its totals are 0
    available["SKU-08"] = on_hand["SKU-08"] = 0

    async def low(rm: ReadModel) -> tuple[Any, ...]:
        await write_world(rm)
        skus = await rm.skus_page(SkuFilter(total_available_at_most=0), Window(100))
        held = await rm.skus_page(SkuFilter(total_on_hand_at_most=3), Window(100))
        positions = await rm.positions_page(PositionFilter(available_at_most=-1), Window(100))
        bare = await rm.positions_page(PositionFilter(on_hand_at_most=1), Window(100))
        totals = await rm.sku_totals([s.id for s in SKUS])
        return skus, held, positions, bare, totals

    skus, held, positions, bare, totals = run(database_url, low)
    assert {s.id for s in skus.items} == {s for s, n in available.items() if n <= 0}
    assert {s.id for s in held.items} == {s for s, n in on_hand.items() if n <= 3}
    assert 0 < len(skus.items) < len(SKUS)  # the threshold divides the catalogue
    assert [(p.sku, p.location) for p in positions.items] == [
        (p.sku, p.location) for p in POSITIONS if p.on_hand - p.reserved - 1 <= -1
    ]
    assert [(p.sku, p.location) for p in bare.items] == [
        (p.sku, p.location) for p in POSITIONS if p.on_hand <= 1
    ]
    assert {s: t.available for s, t in totals.items()} == available
    assert {s: t.on_hand for s, t in totals.items()} == on_hand
    assert all(
        t.incoming == 2 * len([p for p in POSITIONS if p.sku == s]) for s, t in totals.items()
    )


def test_a_returns_age_and_sla_breach_come_from_the_run_clock(database_url: str) -> None:
    """The run's SLA is 8 h from receipt to card refund; now is hour 30."""
    hour = 3600.0
    returns = {
        "late refund": returned(1, 0.0, received_at=hour, refunded_at=10 * hour,
                                refund_state="refunded", closed_at=11 * hour),
        "quick refund": returned(2, 0.0, received_at=hour, refunded_at=2 * hour,
                                 refund_state="refunded", closed_at=3 * hour),
        "waiting too long": returned(3, hour, received_at=20 * hour, refund_state="pending"),
        "waiting": returned(4, hour, received_at=25 * hour, refund_state="pending"),
        "not back yet": returned(5, 0.0),
        "till": returned(6, 0.0, received_at=hour, refunded_at=hour, refund_state="at_till"),
        "not charged": returned(7, 0.0, received_at=hour, refund_state="not_charged"),
        # projected after the run document was last written (a live twin writes it last)
        "newer than the clock": returned(8, 31 * hour, updated_at=31.5 * hour),
    }  # fmt: skip
    ids = {name: snapshot.ret.id for name, snapshot in returns.items()}

    async def clocks(rm: ReadModel) -> tuple[Any, ...]:
        await rm.write_returns(list(returns.values()))
        before_any_run = await rm.return_clocks(list(ids.values()))
        await rm.put_document("run", {"sim_time_s": 30 * hour, "return_refund_sla_s": 8 * hour})
        found = await rm.return_clocks(list(ids.values()))
        breached = await rm.returns_page(ReturnFilter(sla_breached=True), Window(100))
        kept = await rm.returns_page(ReturnFilter(sla_breached=False), Window(100))
        return before_any_run, found, breached, kept

    before_any_run, found, breached, kept = run(database_url, clocks)
    assert not any(c.sla_breached for c in before_any_run.values())
    late = {"late refund", "waiting too long"}
    assert {name for name, i in ids.items() if found[i].sla_breached} == late
    assert {r.id for r in breached.items} == {ids[name] for name in late}
    assert {r.id for r in kept.items} == {ids[name] for name in ids.keys() - late}
    assert found[ids["late refund"]].age_s == 11 * hour  # request to closure
    assert found[ids["waiting"]].age_s == 29 * hour  # request to now, still open
    assert found[ids["not back yet"]].age_s == 30 * hour
    assert found[ids["newer than the clock"]].age_s == 0.5 * hour  # never minus seconds
