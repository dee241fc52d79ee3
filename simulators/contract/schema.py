"""Builders for the contract's JSON Schemas (draft 2020-12), so the tables read as the
wire does.

Every function returns a plain dict: the contract is data that `json.dumps` writes out
as it is, and a validator compiles as it is. Objects are closed (`additionalProperties:
false`): a field the contract does not name is a typo on the way in and an undocumented
field on the way out, and either should fail loudly. A `title` marks a schema the OpenAPI
document lists once under `components/schemas` and refers to by `$ref`
(`simulators.contract.components`); titles are names, so two different schemas never
share one.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Schema",
    "array",
    "boolean",
    "const",
    "integer",
    "nullable",
    "number",
    "obj",
    "one_of",
    "row",
    "string",
]

#: a JSON Schema, as the plain dict it is written as
Schema = dict[str, Any]


def _described(schema: Schema, description: str) -> Schema:
    if description:
        schema["description"] = description
    return schema


def string(description: str = "", *, enum: tuple[str, ...] = (), min_length: int = 0) -> Schema:
    schema: Schema = {"type": "string"}
    if enum:
        schema["enum"] = list(enum)
    if min_length:
        schema["minLength"] = min_length
    return _described(schema, description)


def const(value: str, description: str = "") -> Schema:
    """A discriminator: the one value this field has in this message."""
    return _described({"type": "string", "const": value}, description)


def integer(description: str = "", *, minimum: int | None = None) -> Schema:
    schema: Schema = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    return _described(schema, description)


def number(
    description: str = "", *, minimum: float | None = None, maximum: float | None = None
) -> Schema:
    schema: Schema = {"type": "number"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return _described(schema, description)


def boolean(description: str = "") -> Schema:
    return _described({"type": "boolean"}, description)


def nullable(schema: Schema) -> Schema:
    """`schema` or JSON null (a field that is present and says "none")."""
    widened = dict(schema)
    widened["type"] = [schema["type"], "null"]
    return widened


def array(items: Schema, description: str = "", *, min_items: int = 0) -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if min_items:
        schema["minItems"] = min_items
    return _described(schema, description)


def row(description: str, *columns: Schema) -> Schema:
    """A fixed-length array whose positions mean different things (a table row: bulk
    answers and feeds are rows, not an object per position)."""
    return _described(
        {
            "type": "array",
            "prefixItems": list(columns),
            "items": False,
            "minItems": len(columns),
        },
        description,
    )


def obj(
    description: str,
    required: dict[str, Schema],
    optional: dict[str, Schema] | None = None,
    *,
    title: str = "",
) -> Schema:
    """A closed object: `required` fields must be present, `optional` ones may be."""
    properties = {**required, **(optional or {})}
    schema: Schema = {}
    if title:
        schema["title"] = title
    schema.update(
        {
            "type": "object",
            "properties": properties,
            "required": list(required),
            "additionalProperties": False,
        }
    )
    return _described(schema, description)


def one_of(description: str, *choices: Schema, title: str = "") -> Schema:
    schema: Schema = {}
    if title:
        schema["title"] = title
    schema["oneOf"] = list(choices)
    return _described(schema, description)
