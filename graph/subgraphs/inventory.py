"""The inventory subgraph: the `Sku` and `Location` entities, stock positions with
Shopify's named quantities and provenance, available-to-sell per channel;
the prices the hub holds per channel and the promotions they name;
`sku`/`skus`/`location`/`locations`/`inventory`/`promotions`; `inventoryChanged`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from graph.context import GraphInfo
from graph.resolvers import inventory as resolve
from graph.subgraphs.roots import ROOT_HELP, RootTypes
from graph.types.common import LocationKind
from graph.types.inputs import CATEGORY_HELP, SEARCH_HELP, SkuFilter
from graph.types.inventory import (
    LOCATION_HELP,
    LOCATION_KIND_ARG_HELP,
    POSITION_HELP,
    POSITION_LOCATION_HELP,
    POSITION_SKU_HELP,
    SKU_HELP,
    InventoryFilter,
    InventoryPositionFields,
    LocationFields,
    SkuFields,
)
from graph.types.node import LOOKUP_ID_HELP, LookupId
from graph.types.pagination import FILTER_HELP, After, Before, Connection, First, Last, PageArgs
from graph.types.prices import PROMOTION_HELP, PriceChannel, PromotionFields
from graph.types.sorting import (
    REVERSE_HELP,
    SORT_KEY_HELP,
    InventoryPositionSortKeys,
    SkuSortKeys,
)


@strawberry.federation.type(keys=["id"], name="InventoryPosition", description=POSITION_HELP)
class InventoryPosition(InventoryPositionFields):
    @strawberry.field(description=POSITION_SKU_HELP)
    async def sku(self, info: GraphInfo) -> Sku | None:
        return await resolve.load_sku(info, self.sku_id, Sku)

    @strawberry.field(description=POSITION_LOCATION_HELP)
    async def location(self, info: GraphInfo) -> Location | None:
        return await resolve.load_location(info, self.location_id, Location)

    @classmethod
    async def resolve_reference(
        cls, info: GraphInfo, id: strawberry.ID, **_: Any
    ) -> InventoryPosition | None:
        return await resolve.load_position(info, id, cls)


@strawberry.federation.type(keys=["id"], name="Sku", description=SKU_HELP)
class Sku(SkuFields):
    @strawberry.field(description="Stock of this SKU at each location (DCs and stores).")
    async def positions(
        self,
        info: GraphInfo,
        location_kind: Annotated[
            LocationKind | None, strawberry.argument(description=LOCATION_KIND_ARG_HELP)
        ] = None,
    ) -> list[InventoryPosition]:
        return await resolve.positions_of_sku(info, self, location_kind, InventoryPosition)

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID, **_: Any) -> Sku | None:
        return await resolve.load_sku(info, id, cls)


@strawberry.federation.type(keys=["id"], name="Location", description=LOCATION_HELP)
class Location(LocationFields):
    @strawberry.field(description="Stock positions at this location, by SKU unless sorted.")
    async def positions(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        sort_key: Annotated[
            InventoryPositionSortKeys, strawberry.argument(description=SORT_KEY_HELP)
        ] = InventoryPositionSortKeys.SKU,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[InventoryPosition]:
        args = PageArgs(first, after, last, before)
        return await resolve.positions_at(
            info, self.legacy_resource_id, sort_key, reverse, args, InventoryPosition
        )

    @classmethod
    async def resolve_reference(
        cls, info: GraphInfo, id: strawberry.ID, **_: Any
    ) -> Location | None:
        return await resolve.load_location(info, id, cls)


@strawberry.type(name="Promotion", description=PROMOTION_HELP)
class Promotion(PromotionFields):
    @strawberry.field(
        description=(
            "The SKUs the hub holds its prices for (in the channel the list was filtered to), "
            "best sellers first unless sorted."
        )
    )
    async def skus(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        sort_key: Annotated[
            SkuSortKeys, strawberry.argument(description=SORT_KEY_HELP)
        ] = SkuSortKeys.POPULARITY,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[Sku]:
        args = PageArgs(first, after, last, before)
        return await resolve.promotion_skus(info, self, sort_key, reverse, args, Sku)


@strawberry.type(description=ROOT_HELP["Query"])
class Query:
    @strawberry.field(description="One SKU by id (null if there is no such SKU).")
    async def sku(self, info: GraphInfo, id: LookupId) -> Sku | None:
        return await resolve.load_sku(info, id, Sku)

    @strawberry.field(description="The catalog, best sellers first unless sorted.")
    async def skus(
        self,
        info: GraphInfo,
        search: Annotated[str | None, strawberry.argument(description=SEARCH_HELP)] = None,
        category: Annotated[str | None, strawberry.argument(description=CATEGORY_HELP)] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            SkuFilter | None,
            strawberry.argument(
                description=FILTER_HELP + " `search` and `category` may be given here or beside it."
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

    @strawberry.field(description="One DC or store by id (null if there is no such location).")
    async def location(self, info: GraphInfo, id: LookupId) -> Location | None:
        return await resolve.load_location(info, id, Location)

    @strawberry.field(description="Every DC, store and drop-ship partner of the estate, by id.")
    async def locations(
        self,
        info: GraphInfo,
        kind: Annotated[
            LocationKind | None, strawberry.argument(description=LOCATION_KIND_ARG_HELP)
        ] = None,
    ) -> list[Location]:
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
        filter: Annotated[
            InventoryFilter | None, strawberry.argument(description=FILTER_HELP)
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        sort_key: Annotated[
            InventoryPositionSortKeys, strawberry.argument(description=SORT_KEY_HELP)
        ] = InventoryPositionSortKeys.SKU,
        reverse: Annotated[bool, strawberry.argument(description=REVERSE_HELP)] = False,
    ) -> Connection[InventoryPosition]:
        args = PageArgs(first, after, last, before)
        return await resolve.inventory_page(
            info, filter, sort_key, reverse, args, InventoryPosition
        )

    @strawberry.field(
        description=(
            "The promotions the hub holds prices of, by name: derived from its held prices "
            "per channel (the hub's view, not the pricing source's plan), with how far their "
            "pushes got."
        )
    )
    async def promotions(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        channel: Annotated[
            PriceChannel | None,
            strawberry.argument(
                description="Only promotions held in this channel, counted in it alone."
            ),
        ] = None,
        active_only: Annotated[
            bool,
            strawberry.argument(
                description="Only promotions the hub has pushed to at least one channel."
            ),
        ] = False,
    ) -> Connection[Promotion]:
        args = PageArgs(first, after, last, before)
        return await resolve.promotions_page(info, channel, active_only, args, Promotion)


@strawberry.type(description=ROOT_HELP["Subscription"])
class Subscription:
    @strawberry.subscription(
        description="The SKU, with its positions to select, each time its stock changes."
    )
    async def inventory_changed(
        self,
        info: GraphInfo,
        sku_id: Annotated[
            strawberry.ID, strawberry.argument(description="The SKU to watch. " + LOOKUP_ID_HELP)
        ],
    ) -> AsyncGenerator[Sku, None]:
        async for sku in resolve.inventory_changes(info, sku_id, Sku):
            yield sku


ROOTS = RootTypes(query=Query, subscription=Subscription)
