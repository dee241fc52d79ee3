"""Building the schemas: the composed one the default server serves, and each of the
four Federation v2 subgraphs on its own.

Federation 2.9, not strawberry's default 2.11: the Guild's composer (Hive Gateway)
rejects 2.11 links, and nothing here needs a newer directive.
"""

from __future__ import annotations

import warnings
from typing import Final

import strawberry
from graphql import is_specified_directive
from graphql.utilities.print_schema import is_defined_type, print_filtered_schema

from graph import composed
from graph.extensions import schema_extensions
from graph.read_connection import ReadConnection
from graph.settings import ApiSettings
from graph.subgraphs import SUBGRAPH_NAMES, inventory, operations, orders, returns
from graph.subgraphs.roots import RootTypes

#: each subgraph's own root types, in the order the subgraphs are listed and served
_SUBGRAPH_ROOTS: Final[dict[str, RootTypes]] = {
    "orders": orders.ROOTS,
    "inventory": inventory.ROOTS,
    "returns": returns.ROOTS,
    "operations": operations.ROOTS,
}
SUBGRAPHS = SUBGRAPH_NAMES
#: types a subgraph serves that no field names: the returns subgraph's stub of the
#: orders subgraph's entity, which it extends; the references the orders subgraph's
#: `node` returns only through the `Node` interface
_SUBGRAPH_TYPES: Final[dict[str, list[type]]] = {
    "returns": [returns.Order],
    "orders": list(orders.NODE_ONLY_REFS),
}
FEDERATION_VERSION: Final = "2.9"


class UnknownSubgraph(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown subgraph {name!r}; expected one of: {', '.join(SUBGRAPHS)}")


def composed_schema(settings: ApiSettings | None = None) -> strawberry.Schema:
    """The composed API. Its types carry the subgraphs' federation directives (@key,
    @shareable), which mean nothing without a gateway: strawberry warns about them in a
    plain schema, and that warning is expected here."""
    settings = settings or ApiSettings()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Federation directive found in schema")
        return strawberry.Schema(
            query=composed.ROOTS.query,
            mutation=composed.ROOTS.mutation,
            subscription=composed.ROOTS.subscription,
            extensions=[*schema_extensions(settings), ReadConnection],
        )


#: what federation adds to a schema, left out of the composed schema's SDL
_FEDERATION_NAMES = frozenset(
    {"key", "shareable", "link", "_FieldSet", "link__Import", "link__Purpose"}
)


def composed_sdl(schema: strawberry.Schema) -> str:
    """The composed schema as a client sees it: no federation directives or scalars."""
    return (
        print_filtered_schema(
            schema._schema,
            lambda d: not is_specified_directive(d) and d.name not in _FEDERATION_NAMES,
            lambda t: is_defined_type(t) and t.name not in _FEDERATION_NAMES,
        )
        + "\n"
    )


def subgraph_sdl(schema: strawberry.federation.Schema) -> str:
    """What the subgraph answers to `_service { sdl }`, which a gateway composes."""
    return schema.as_str() + "\n"


def subgraph_schema(name: str, settings: ApiSettings | None = None) -> strawberry.federation.Schema:
    settings = settings or ApiSettings()
    if name not in _SUBGRAPH_ROOTS:
        raise UnknownSubgraph(name)
    roots = _SUBGRAPH_ROOTS[name]
    return strawberry.federation.Schema(
        query=roots.query,
        mutation=roots.mutation,
        subscription=roots.subscription,
        types=_SUBGRAPH_TYPES.get(name, []),
        extensions=[*schema_extensions(settings), ReadConnection],
        federation_version=FEDERATION_VERSION,
    )
