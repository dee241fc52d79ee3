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
from strawberry.tools import merge_types

from graph import composed
from graph.extensions import schema_extensions
from graph.settings import ApiSettings
from graph.subgraphs import inventory, operations, orders, returns

SUBGRAPHS = ("orders", "inventory", "returns", "operations")
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
            query=merge_types("Query", (composed.Query, inventory.Query, operations.Query)),
            mutation=merge_types("Mutation", (composed.Mutation, operations.Mutation)),
            subscription=merge_types(
                "Subscription",
                (composed.Subscription, inventory.Subscription, operations.Subscription),
            ),
            extensions=schema_extensions(settings),
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
    extensions = schema_extensions(settings)
    if name == "orders":
        return strawberry.federation.Schema(
            query=orders.Query,
            mutation=orders.Mutation,
            subscription=orders.Subscription,
            extensions=extensions,
            federation_version=FEDERATION_VERSION,
        )
    if name == "returns":
        return strawberry.federation.Schema(
            query=returns.Query,
            mutation=returns.Mutation,
            types=[returns.Order],
            extensions=extensions,
            federation_version=FEDERATION_VERSION,
        )
    if name == "inventory":
        return strawberry.federation.Schema(
            query=inventory.Query,
            subscription=inventory.Subscription,
            extensions=extensions,
            federation_version=FEDERATION_VERSION,
        )
    if name == "operations":
        return strawberry.federation.Schema(
            query=operations.Query,
            mutation=operations.Mutation,
            subscription=operations.Subscription,
            extensions=extensions,
            federation_version=FEDERATION_VERSION,
        )
    raise UnknownSubgraph(name)
