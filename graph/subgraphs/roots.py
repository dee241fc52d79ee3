"""A schema's root types (Query, Mutation, Subscription), as each subgraph declares its
own and the composed schema merges them.

Every root field is declared once, in its subgraph's module. The orders and returns
subgraphs build their root types for an entity type they are given: their own `Order`
or `Return` when served alone (other subgraphs' entities as references), the composed
schema's when it merges them (every entity resolved in-process). Inventory and
operations have one set each, which both schemas use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.tools import merge_types

from graph.types.pagination import Connection

#: what each root type is for, shown on the merged type (`merge_types` takes no
#: description, so the merged type is subclassed once more to carry it)
ROOT_HELP = {
    "Query": (
        "What a client can read: orders, returns, customers, SKUs, locations and stock, any "
        "object by global id, and the integration's operations."
    ),
    "Mutation": (
        "What a client can do: place, cancel and return orders as customers would, and, "
        "as the operator, inject faults and replay dead letters."
    ),
    "Subscription": (
        "What a client can watch over a WebSocket: an order, a SKU's stock, the operations "
        "figures and SLA breaches, as they change."
    ),
}


@dataclass(frozen=True, slots=True)
class RootTypes:
    """A schema's root types; `None` where it has no operation of that kind."""

    query: type
    mutation: type | None = None
    subscription: type | None = None

    @classmethod
    def merged(cls, parts: Sequence[RootTypes]) -> RootTypes:
        """Every part's root fields on one set of root types, in the order of `parts`
        (the order the SDL lists them in). Two parts declaring the same field is a
        mistake: `merge_types` warns, and the tests run with warnings as errors."""
        return cls(
            query=_described("Query", merge_types("Query", tuple(part.query for part in parts))),
            mutation=_merge("Mutation", [part.mutation for part in parts]),
            subscription=_merge("Subscription", [part.subscription for part in parts]),
        )


def _merge(name: str, types: Sequence[type | None]) -> type | None:
    present = tuple(t for t in types if t is not None)
    return _described(name, merge_types(name, present)) if present else None


def _described(name: str, merged: type) -> type:
    """`merged` as a type of its own name that carries `ROOT_HELP[name]`."""
    return strawberry.type(type(name, (merged,), {}), description=ROOT_HELP[name])


def connection_of(node: type[Any]) -> Any:
    """`Connection[node]` for a node type known only at run time, as a field's
    `graphql_type` (mypy reads a subscript as a type, and a variable is not one)."""
    generic: Any = Connection
    return generic[node]
