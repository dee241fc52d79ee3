"""Prices as the hub holds them per channel, and the promotions among them, read with
their staleness against the run's clock.

A row of `channel_prices` is the newest price the hub holds for one SKU in one price
channel and how far its push got. A promotion is not stored: it is the rows that name
it, grouped, so the list shows the hub's view (a promotion the hub never heard of is
not there, one it holds for some channels only names those). Staleness moves on
between projections of a live twin, so it is measured when read, from the run
document's clock (return_clock.py), like a return's age.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Select, case, exists, func, select, true

from hub.adapters.read_model import tables
from hub.adapters.read_model.keyset import Page, Window
from hub.adapters.read_model.order_queries import OrderRecordQueries
from hub.adapters.read_model.records import ChannelPriceRecord
from hub.adapters.read_model.return_clock import ReturnClock
from hub.adapters.read_model.store import CHUNK

_prices = tables.channel_prices
_unpushed = _prices.c.pushed_version < _prices.c.version


@dataclass(frozen=True, slots=True)
class PromotionFilter:
    #: only the promotion's prices in this channel
    channel: str | None = None
    #: only promotions pushed to at least one channel
    active_only: bool = False


@dataclass(frozen=True, slots=True)
class HeldPriceRecord:
    """A channel's held price, and how long its newest change has waited unpushed (0
    once pushed) when read."""

    price: ChannelPriceRecord
    stale_s: float


@dataclass(frozen=True, slots=True)
class PromotionRecord:
    """A promotion as the hub's held prices name it (in one channel, if filtered)."""

    name: str
    #: the price channels holding it, in the channels' order
    channels: tuple[str, ...]
    sku_count: int
    #: held prices naming it (a SKU per channel), and how many of them are unpushed
    price_count: int
    unpushed_count: int
    first_heard_at: float
    last_heard_at: float
    #: the discount off list price over its prices, in percent
    min_percent_off: float
    max_percent_off: float
    #: the longest an unpushed price of it has waited (0: all pushed)
    stale_s: float


def _now(conn: Connection, projected_at: float) -> float:
    """The run's clock, or the time the rows were projected if that is later (a live
    twin writes its rows before the run document)."""
    return max(ReturnClock.read(conn).now_s, projected_at)


def read_prices(conn: Connection, skus: Sequence[str]) -> dict[str, list[HeldPriceRecord]]:
    found: dict[str, list[HeldPriceRecord]] = {sku: [] for sku in skus}
    unique = sorted(set(skus))
    clock = ReturnClock.read(conn).now_s
    for start in range(0, len(unique), CHUNK):
        statement = (
            select(_prices)
            .where(_prices.c.sku.in_(unique[start : start + CHUNK]))
            .order_by(_prices.c.sku, _prices.c.channel)
        )
        for row in conn.execute(statement):
            price = ChannelPriceRecord(**row._mapping)
            now = max(clock, price.updated_at)
            stale_s = max(0.0, now - price.heard_at) if price.unpushed else 0.0
            found[price.sku].append(HeldPriceRecord(price, stale_s))
    return found


def _grouped(where: PromotionFilter) -> Select[tuple[object, ...]]:
    percent_off = case(
        (
            _prices.c.list_price_cents > 0,
            (_prices.c.list_price_cents - _prices.c.price_cents)
            * 100.0
            / _prices.c.list_price_cents,
        ),
        else_=0.0,
    )
    statement = select(
        _prices.c.promotion.label("name"),
        func.count(func.distinct(_prices.c.sku)).label("sku_count"),
        func.count().label("price_count"),
        func.sum(case((_unpushed, 1), else_=0)).label("unpushed_count"),
        func.min(_prices.c.heard_at).label("first_heard_at"),
        func.max(_prices.c.heard_at).label("last_heard_at"),
        func.min(percent_off).label("min_percent_off"),
        func.max(percent_off).label("max_percent_off"),
        func.min(case((_unpushed, _prices.c.heard_at), else_=None)).label("oldest_unpushed"),
        func.max(_prices.c.updated_at).label("projected_at"),
    ).where(_prices.c.promotion != "")
    if where.channel is not None:
        statement = statement.where(_prices.c.channel == where.channel)
    statement = statement.group_by(_prices.c.promotion)
    if where.active_only:
        statement = statement.having(func.sum(case((_unpushed, 0), else_=1)) > 0)
    return statement


def read_promotions(
    conn: Connection, where: PromotionFilter, window: Window
) -> Page[PromotionRecord]:
    """One page of promotions by name, read from either end as keyset.read_page reads a
    table (the cursor is the name): the count and the far side of the cursor in one
    statement, the page and one row more in another, then the page's channels."""
    grouped = _grouped(where).subquery()
    name = grouped.c.name
    bounds = [true()]
    if window.after is not None:
        bounds.append(name > window.after[0])
    if window.before is not None:
        bounds.append(name < window.before[0])
    if window.from_end:
        beyond = None if window.before is None else name >= window.before[0]
    else:
        beyond = None if window.after is None else name <= window.after[0]
    count = select(func.count()).select_from(grouped).scalar_subquery()
    other_side = (
        exists(select(1).select_from(grouped).where(beyond)) if beyond is not None else true()
    )
    total, more_beyond = conn.execute(select(count, other_side)).one()
    statement = (
        select(grouped)
        .where(*bounds)
        .order_by(name.desc() if window.from_end else name.asc())
        .limit(window.size + 1)
    )
    rows = [row._mapping for row in conn.execute(statement)]
    more_ahead = len(rows) > window.size
    rows = rows[: window.size]
    if window.from_end:
        rows.reverse()
    channels = _channels_of(conn, [row["name"] for row in rows], where.channel)
    items = [
        PromotionRecord(
            name=row["name"],
            channels=channels.get(row["name"], ()),
            sku_count=int(row["sku_count"]),
            price_count=int(row["price_count"]),
            unpushed_count=int(row["unpushed_count"]),
            first_heard_at=float(row["first_heard_at"]),
            last_heard_at=float(row["last_heard_at"]),
            min_percent_off=round(float(row["min_percent_off"]), 2),
            max_percent_off=round(float(row["max_percent_off"]), 2),
            stale_s=_stale_s(conn, row["oldest_unpushed"], float(row["projected_at"])),
        )
        for row in rows
    ]
    more_beyond = bool(more_beyond) and beyond is not None
    has_next, has_previous = (
        (more_beyond, more_ahead) if window.from_end else (more_ahead, more_beyond)
    )
    return Page(items, [(item.name,) for item in items], int(total), has_next, has_previous)


def _stale_s(conn: Connection, oldest_unpushed: float | None, projected_at: float) -> float:
    if oldest_unpushed is None:
        return 0.0
    return max(0.0, _now(conn, projected_at) - float(oldest_unpushed))


def _channels_of(
    conn: Connection, names: Sequence[str], channel: str | None
) -> dict[str, tuple[str, ...]]:
    """Each promotion's channels, by name (one statement for the page)."""
    if not names:
        return {}
    statement = (
        select(_prices.c.promotion, _prices.c.channel)
        .where(_prices.c.promotion.in_(names))
        .distinct()
        .order_by(_prices.c.promotion, _prices.c.channel)
    )
    if channel is not None:
        statement = statement.where(_prices.c.channel == channel)
    found: dict[str, tuple[str, ...]] = {}
    for promotion, held_in in conn.execute(statement):
        found[promotion] = (*found.get(promotion, ()), held_in)
    return found


class PriceQueries(OrderRecordQueries):
    """The read model's price reads; a database written before prices were projected
    has no `channel_prices` table and reads as holding none."""

    def _no_prices(self) -> bool:
        return bool(self.gaps) and self.gaps.narrowed(_prices) is None

    async def prices_by_sku(self, ids: Sequence[str]) -> dict[str, list[HeldPriceRecord]]:
        """Each SKU's held prices, by channel, with their staleness now."""
        if self._no_prices():
            return {sku: [] for sku in ids}
        return await self.reads.run(lambda conn: read_prices(conn, ids))

    async def promotions_page(
        self, where: PromotionFilter, window: Window
    ) -> Page[PromotionRecord]:
        if self._no_prices():
            return Page([], [], 0, False, False)
        return await self.reads.run(lambda conn: read_promotions(conn, where, window))
