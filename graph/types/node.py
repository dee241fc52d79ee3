"""Global ids and the `Node` interface (Relay's object identification, as Shopify and
Saleor serve it): every object a client can fetch again by id carries an opaque `id`
that says which type it is, so one root field, `node(id:)`, finds any of them.

A global id is base64 of "TypeName:raw id" ("Order:O-000042"), the format strawberry's
relay `GlobalID` and Saleor use. It is made here by hand rather than with
`strawberry.relay`: relay's `Node` resolves ids through its own class methods, not our
DataLoaders, and its interface carries no federation key; the format is the same, so
a client cannot tell. The raw id the read model keys rows by stays readable as
`legacyResourceId` (Shopify's name), and every argument that took a raw id still does
(deprecated): existing clients keep working.
"""

from __future__ import annotations

import base64
import binascii
from enum import Enum
from typing import Annotated

import strawberry

from graph.errors import BadInput


class NodeType(Enum):
    """The types a global id can name: the value is the GraphQL type name it encodes."""

    ORDER = "Order"
    RETURN = "Return"
    SKU = "Sku"
    LOCATION = "Location"
    INVENTORY_POSITION = "InventoryPosition"
    CUSTOMER = "Customer"
    PAYOUT = "Payout"
    COMPANY = "Company"


#: how many ids one `nodes` call may ask for (Shopify's bound)
MAX_NODES = 250

#: the raw id of an inventory position: its SKU and location, which cannot contain it
POSITION_SEPARATOR = "@"

GLOBAL_ID_HELP = 'An opaque global id: base64 of "TypeName:raw id", as every `id` field returns it.'
#: the type of a root lookup's `id` argument, which takes either form
LOOKUP_ID_HELP = (
    "The object's global `id`. Its raw id (`legacyResourceId`) is still accepted but deprecated."
)
LEGACY_ID_HELP = (
    "The raw id (`legacyResourceId`) is still accepted here but deprecated: pass the global `id`."
)


@strawberry.interface(
    name="Node",
    description=(
        "An object with a global id, which `node(id:)` and `nodes(ids:)` fetch again "
        "whatever its type (Relay's object identification)."
    ),
)
class Node:
    id: strawberry.ID = strawberry.field(description=GLOBAL_ID_HELP)


LookupId = Annotated[strawberry.ID, strawberry.argument(description=LOOKUP_ID_HELP)]


def global_id(kind: NodeType, raw: str) -> strawberry.ID:
    """The global id of the `kind` object whose raw id is `raw`."""
    return strawberry.ID(base64.b64encode(f"{kind.value}:{raw}".encode()).decode())


def position_raw_id(sku: str, location: str) -> str:
    return f"{sku}{POSITION_SEPARATOR}{location}"


def split_position(raw: str) -> tuple[str, str] | None:
    """A position's SKU and location from its raw id; none if it is not one."""
    sku, separator, location = raw.partition(POSITION_SEPARATOR)
    return (sku, location) if separator and sku and location else None


def _decode(value: str) -> tuple[NodeType, str] | None:
    try:
        text = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, ValueError, UnicodeError):
        return None
    name, separator, raw = text.partition(":")
    kinds = {kind.value: kind for kind in NodeType}
    if not separator or not raw or name not in kinds:
        return None
    return kinds[name], raw


def parse_global_id(value: str, argument: str) -> tuple[NodeType, str]:
    """What a global id names; anything else is the client's error, naming `argument`."""
    decoded = _decode(value)
    if decoded is None:
        names = ", ".join(kind.value for kind in NodeType)
        raise BadInput(
            f"{argument}: {value!r} is not a global id; expected base64 of "
            f'"TypeName:id" with TypeName one of {names}, as an `id` field returns it',
            argument=argument,
        )
    return decoded


def raw_id(value: str, kind: NodeType, argument: str) -> str:
    """The raw id behind an argument that takes a `kind` id: its global id, or (the
    deprecated form) the raw id itself. A global id of another type is an error."""
    decoded = _decode(value)
    if decoded is None:
        return value
    found, raw = decoded
    if found is not kind:
        raise BadInput(
            f"{argument}: {value!r} is a global id of type {found.value}; expected one of "
            f"type {kind.value}",
            argument=argument,
        )
    return raw


def maybe_raw_id(value: str | None, kind: NodeType, argument: str) -> str | None:
    """`raw_id` of an optional argument."""
    return None if value is None else raw_id(value, kind, argument)
