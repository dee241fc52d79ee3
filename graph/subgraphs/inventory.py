"""The inventory subgraph: the `Sku` and `Location` entities, stock positions with
Shopify's named quantities and provenance, available-to-sell per channel;
`sku`/`skus`/`location`/`locations`/`inventory`; `inventoryChanged`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from graph.context import GraphInfo
from graph.resolvers import inventory as resolve
from graph.subgraphs.roots import RootTypes
from graph.types.common import LocationKind
from graph.types.inputs import SkuFilter
from graph.types.inventory import (
    InventoryFilter,
    InventoryPositionFields,
    LocationFields,
    SkuFields,
)
from graph.types.pagination import BEFORE_HELP, LAST_HELP, Connection, PageArgs
from graph.types.sorting import (
    REVERSE_HELP,
    SORT_KEY_HELP,
    InventoryPositionSortKeys,
    SkuSortKeys,
)


@strawberry.type(name="InventoryPosition")
class InventoryPosition(InventoryPositionFields):
    @strawberry.field
    async def sku(self, info: GraphInfo) -> Sku | None:
        return await resolve.load_sku(info, self.sku_id, Sku)

    @strawberry.field
    async def location(self, info: GraphInfo) -> Location | None:
        return await resolve.load_location(info, self.location_id, Location)


@strawberry.federation.type(keys=["id"], name="Sku")
class Sku(SkuFields):
    @strawberry.field(description="Stock of this SKU at each location (DCs and stores).")
    async def positions(
        self, info: GraphInfo, location_kind: LocationKind | None = None
    ) -> list[InventoryPosition]:
        return await resolve.positions_of_sku(info, self, location_kind, InventoryPosition)

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID, **_: Any) -> Sku | None:
        return await resolve.load_sku(info, id, cls)


@strawberry.federation.type(keys=["id"], name="Location")
class Location(LocationFields):
    @strawberry.field(description="Stock positions at this location, by SKU unless sorted.")
    async def positions(
        self,
        info: GraphInfo,
        first: int | None = None,
        after: str | None = None,
        last: Annotated[int | None, strawberry.argument(description=LAST_HELP)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE_HELP)] = None,
        sort_key: Annotated[
            InventoryPositionSortKeys, strawberry.argument(description=SORT_KEY_HELP)
        ] = InventoryPositionSortKeys.SKU,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[InventoryPosition]:
        args = PageArgs(first, after, last, before)
        return await resolve.positions_at(info, self.id, sort_key, reverse, args, InventoryPosition)

    @classmethod
    async def resolve_reference(
        cls, info: GraphInfo, id: strawberry.ID, **_: Any
    ) -> Location | None:
        return await resolve.load_location(info, id, cls)


@strawberry.type
class Query:
    @strawberry.field
    async def sku(self, info: GraphInfo, id: strawberry.ID) -> Sku | None:
        return await resolve.load_sku(info, id, Sku)

    @strawberry.field(description="The catalogue, best sellers first unless sorted.")
    async def skus(
        self,
        info: GraphInfo,
        search: str | None = None,
        category: str | None = None,
        first: int | None = None,
        after: str | None = None,
        last: Annotated[int | None, strawberry.argument(description=LAST_HELP)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE_HELP)] = None,
        filter: Annotated[
            SkuFilter | None,
            strawberry.argument(
                description="Filters; `search` and `category` may be given here or beside it."
            ),
        ] = None,
        sort_key: Annotated[
            SkuSortKeys, strawberry.argument(description=SORT_KEY_HELP)
        ] = SkuSortKeys.POPULARITY,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[Sku]:
        where = filter or SkuFilter()
        where = SkuFilter(
            search=search if search is not None else where.search,
            category=category if category is not None else where.category,
            total_available_at_most=where.total_available_at_most,
            total_on_hand_at_most=where.total_on_hand_at_most,
        )
        args = PageArgs(first, after, last, before)
        return await resolve.skus_page(info, where, sort_key, reverse, args, Sku)

    @strawberry.field
    async def location(self, info: GraphInfo, id: strawberry.ID) -> Location | None:
        return await resolve.load_location(info, id, Location)

    @strawberry.field
    async def locations(self, info: GraphInfo, kind: LocationKind | None = None) -> list[Location]:
        return await resolve.locations(info, kind, Location)

    @strawberry.field(
        description=(
            "Stock positions, by SKU then location unless sorted (the low-stock screen: "
            "`sortKey: AVAILABLE` with `filter: {availableAtMost: N}`)."
        )
    )
    async def inventory(
        self,
        info: GraphInfo,
        filter: InventoryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: Annotated[int | None, strawberry.argument(description=LAST_HELP)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE_HELP)] = None,
        sort_key: Annotated[
            InventoryPositionSortKeys, strawberry.argument(description=SORT_KEY_HELP)
        ] = InventoryPositionSortKeys.SKU,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[InventoryPosition]:
        args = PageArgs(first, after, last, before)
        return await resolve.inventory_page(
            info, filter, sort_key, reverse, args, InventoryPosition
        )


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def inventory_changed(
        self, info: GraphInfo, sku_id: strawberry.ID
    ) -> AsyncGenerator[Sku, None]:
        async for sku in resolve.inventory_changes(info, sku_id, Sku):
            yield sku


ROOTS = RootTypes(query=Query, subscription=Subscription)
