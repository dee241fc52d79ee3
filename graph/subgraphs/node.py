"""`node(id:)` and `nodes(ids:)`: any object with a global id, fetched again by it
(Relay's object identification; Shopify's and Saleor's root fields of the same names).

The orders subgraph serves them: it owns `Order` and `Customer`, and for the other
subgraphs' types returns a reference (the entity's key) after checking the read model
has the object, so an unknown id is null through the gateway as in-process. The
composed server serves them over its own whole types. Each schema passes the finder of
every type (`Finders`); the fields themselves, and their errors, are declared once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated

import strawberry

from graph.context import GraphInfo
from graph.errors import BadInput
from graph.subgraphs.roots import RootTypes
from graph.types.node import MAX_NODES, Node, NodeType, parse_global_id

#: finds the object of a raw id (None: there is none), for one node type
Finder = Callable[[GraphInfo, str], Awaitable[Node | None]]
Finders = Mapping[NodeType, Finder]


async def find(info: GraphInfo, finders: Finders, value: str, argument: str) -> Node | None:
    kind, raw = parse_global_id(value, argument)
    return await finders[kind](info, raw)


def root_types(finders: Finders) -> RootTypes:
    """`node` and `nodes` over `finders` (one for every `NodeType`)."""
    missing = set(NodeType) - set(finders)
    if missing:
        raise ValueError(f"no finder for {sorted(kind.value for kind in missing)}")

    @strawberry.type
    class Query:
        @strawberry.field(
            description=(
                "The object with this global id, whatever its type; null if there is none. "
                "An id that is not a global id is an error."
            )
        )
        async def node(
            self,
            info: GraphInfo,
            id: Annotated[strawberry.ID, strawberry.argument(description="A global `id`.")],
        ) -> Node | None:
            return await find(info, finders, id, "id")

        @strawberry.field(
            description=(
                f"The objects with these global ids, in the order asked (at most {MAX_NODES}"
                "); null for each id with no object."
            )
        )
        async def nodes(
            self,
            info: GraphInfo,
            ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global `id`s.")],
        ) -> list[Node | None]:
            if len(ids) > MAX_NODES:
                raise BadInput(
                    f"ids: at most {MAX_NODES} ids in one call, got {len(ids)}", argument="ids"
                )
            parsed = [parse_global_id(value, "ids") for value in ids]
            return list(await asyncio.gather(*(finders[kind](info, raw) for kind, raw in parsed)))

    return RootTypes(query=Query)
