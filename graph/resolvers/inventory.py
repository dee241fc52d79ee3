"""Inventory: SKUs, locations, positions and the channel availability, and
inventoryChanged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

import strawberry

from graph.context import GraphInfo
from graph.errors import BadInput, ensure_live
from graph.types.common import LocationKind
from graph.types.inputs import SkuFilter
from graph.types.inventory import (
    InventoryFilter,
    InventoryPositionFields,
    LocationFields,
    SkuFields,
)
from graph.types.node import NodeType, maybe_raw_id, raw_id, split_position
from graph.types.pagination import Connection, PageArgs, connection, window
from graph.types.prices import PriceChannel, PromotionFields
from graph.types.sorting import InventoryPositionSortKeys, SkuSortKeys, position_sort, sku_sort
from hub.adapters.read_model import PositionFilter, PromotionFilter
from hub.adapters.read_model import SkuFilter as SkuQuery
from hub.adapters.read_model.sorting import PromotionSort, Sort

S = TypeVar("S", bound=SkuFields)
L = TypeVar("L", bound=LocationFields)
P = TypeVar("P", bound=InventoryPositionFields)
M = TypeVar("M", bound=PromotionFields)

#: promotions are listed by name
BY_NAME = Sort(PromotionSort.NAME)


async def load_sku(info: GraphInfo, sku_id: str, cls: type[S]) -> S | None:
    """The SKU of a global id or (deprecated) a raw one."""
    record = await info.context.loaders.sku.load(raw_id(sku_id, NodeType.SKU, "id"))
    return None if record is None else cls.from_domain(record)


async def load_location(info: GraphInfo, location_id: str, cls: type[L]) -> L | None:
    """The location of a global id or (deprecated) a raw one."""
    raw = raw_id(location_id, NodeType.LOCATION, "id")
    record = await info.context.loaders.location.load(raw)
    return None if record is None else cls.from_domain(record)


async def load_position(info: GraphInfo, position_id: str, cls: type[P]) -> P | None:
    """The stock position of a global id or its raw one ("SKU id@location id")."""
    parts = split_position(raw_id(position_id, NodeType.INVENTORY_POSITION, "id"))
    if parts is None:
        return None
    sku, location = parts
    for record in await info.context.loaders.positions.load(sku):
        if record.location == location:
            return cls.from_domain(record)
    return None


async def skus_page(
    info: GraphInfo,
    where: SkuFilter,
    sort_key: SkuSortKeys,
    reverse: bool,
    args: PageArgs,
    cls: type[S],
) -> Connection[S]:
    sort = sku_sort(sort_key, reverse)
    query = SkuQuery(
        search=where.search,
        category=where.category,
        total_available_at_most=where.total_available_at_most,
        total_on_hand_at_most=where.total_on_hand_at_most,
    )
    page = await info.context.read_model.skus_page(query, window("skus", sort, args), sort)
    return connection("skus", sort, page, cls.from_domain)


async def promotions_page(
    info: GraphInfo,
    channel: PriceChannel | None,
    active_only: bool,
    args: PageArgs,
    cls: type[M],
) -> Connection[M]:
    """The promotions the hub's held prices name, by name."""
    held_in = None if channel is None else channel.value
    where = PromotionFilter(channel=held_in, active_only=active_only)
    page = await info.context.read_model.promotions_page(where, window("promotions", BY_NAME, args))
    return connection("promotions", BY_NAME, page, lambda r: cls.from_domain(r, held_in))


async def promotion_skus(
    info: GraphInfo,
    promotion: PromotionFields,
    sort_key: SkuSortKeys,
    reverse: bool,
    args: PageArgs,
    cls: type[S],
) -> Connection[S]:
    """The SKUs the hub holds a promotion's prices for (in its list's channel)."""
    sort = sku_sort(sort_key, reverse)
    query = SkuQuery(promotion=promotion.name, price_channel=promotion.price_channel)
    kind = "promotion.skus"
    page = await info.context.read_model.skus_page(query, window(kind, sort, args), sort)
    return connection(kind, sort, page, cls.from_domain)


async def locations(info: GraphInfo, kind: LocationKind | None, cls: type[L]) -> list[L]:
    records = await info.context.read_model.locations(None if kind is None else kind.value)
    return [cls.from_domain(r) for r in records]


async def inventory_page(
    info: GraphInfo,
    where: InventoryFilter | None,
    sort_key: InventoryPositionSortKeys,
    reverse: bool,
    args: PageArgs,
    cls: type[P],
) -> Connection[P]:
    query = (
        PositionFilter()
        if where is None
        else PositionFilter(
            sku=maybe_raw_id(where.sku_id, NodeType.SKU, "skuId"),
            location=maybe_raw_id(where.location_id, NodeType.LOCATION, "locationId"),
            location_kind=None if where.location_kind is None else where.location_kind.value,
            stale=where.stale,
            available_at_most=where.available_at_most,
            on_hand_at_most=where.on_hand_at_most,
        )
    )
    return await _positions(info, query, sort_key, reverse, args, cls)


async def _positions(
    info: GraphInfo,
    query: PositionFilter,
    sort_key: InventoryPositionSortKeys,
    reverse: bool,
    args: PageArgs,
    cls: type[P],
) -> Connection[P]:
    sort = position_sort(sort_key, reverse)
    page = await info.context.read_model.positions_page(
        query, window("inventory", sort, args), sort
    )
    return connection("inventory", sort, page, cls.from_domain)


async def positions_of_sku(
    info: GraphInfo, sku: SkuFields, kind: LocationKind | None, cls: type[P]
) -> list[P]:
    return [cls.from_domain(r) for r in await sku.position_records(info, kind)]


async def positions_at(
    info: GraphInfo,
    location_id: str,
    sort_key: InventoryPositionSortKeys,
    reverse: bool,
    args: PageArgs,
    cls: type[P],
) -> Connection[P]:
    query = PositionFilter(location=location_id)
    return await _positions(info, query, sort_key, reverse, args, cls)


async def inventory_changes(
    info: GraphInfo, sku_id: strawberry.ID, cls: type[S]
) -> AsyncIterator[S]:
    """The SKU each time its stock positions or a channel's availability of it change;
    an unknown SKU is an error at once."""
    ensure_live(info.context.control.read_only)
    sku_id = strawberry.ID(raw_id(sku_id, NodeType.SKU, "skuId"))
    if await info.context.loaders.sku.load(sku_id) is None:
        raise BadInput(f"inventoryChanged: no SKU {sku_id!r}; subscribe to an id from `skus`")
    async for _ in info.context.events.subscribe("sku", sku_id):
        sku = await load_sku(info, sku_id, cls)
        if sku is not None:
            yield sku
