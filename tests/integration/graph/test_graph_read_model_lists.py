"""The read model's lists in every order they offer, paged forward and back, and steady
while rows arrive between two pages: on SQLite and PostgreSQL, over a small world written
row by row (tests/read_model_lists_support.py), with ties on every sort value so the
unique tiebreak is what decides."""

from __future__ import annotations

from typing import Any

import pytest
from read_model_lists_support import (
    ORDER_COLUMNS,
    ORDERS,
    POSITIONS,
    SKUS,
    expected,
    order,
    returned,
    run,
    walk_back,
    walk_forward,
    write_world,
)

from hub.adapters.read_model import (
    OrderFilter,
    PositionFilter,
    ReadModel,
    ReturnFilter,
    SkuFilter,
    Window,
)
from hub.adapters.read_model.keyset import Page
from hub.adapters.read_model.records import (
    OrderRecord,
)
from hub.adapters.read_model.sorting import OrderSort, PositionSort, ReturnSort, SkuSort, Sort


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
