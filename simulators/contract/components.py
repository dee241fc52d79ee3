"""Moving the contract's named schemas into the document's `components/schemas`.

The tables hold each schema inline, which is what a validator compiles. A reader (and
a code generator) wants each named type once, referred to where it is used: every
schema with a `title` is listed under its title and replaced by a `$ref` to it. Two
different schemas under one title would make one of them a lie, so that is an error.
"""

from __future__ import annotations

from typing import Any

from simulators.contract.schema import Schema

__all__ = ["REF", "hoist"]

REF = "#/components/schemas/"
#: keys whose values are instances (examples), not schemas: left as they are
_INSTANCES = frozenset({"example", "examples", "const", "enum", "default"})


def _is_schema(node: dict[str, Any]) -> bool:
    return isinstance(node.get("title"), str) and ("type" in node or "oneOf" in node)


def hoist(node: Any, schemas: dict[str, Schema]) -> Any:
    """A copy of `node` with every titled schema in it moved into `schemas` (by title)
    and replaced by a `$ref`. Raises ValueError for two different schemas under one
    title."""
    if isinstance(node, list):
        return [hoist(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {
        key: value if key in _INSTANCES else hoist(value, schemas) for key, value in node.items()
    }
    if not _is_schema(node):
        return copied
    title = node["title"]
    listed = schemas.setdefault(title, copied)
    if listed != copied:
        raise ValueError(f"two different schemas are titled {title!r}")
    return {"$ref": REF + title}
