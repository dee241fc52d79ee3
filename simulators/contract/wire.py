"""A body that came over HTTP, in the shapes the simulators take in process.

JSON has one sequence, the array; the simulators' feeds take a table row
(`schema.row`: a fixed-length array whose positions mean different things) as a tuple,
as the built-in hub sends it in process. Interpreted, a list unpacked where a tuple is
declared goes unnoticed; compiled (`make compile`), the simulators check the declared
types and refuse it. So the HTTP face hands a validated body through `published` first:
every row becomes a tuple and every other array stays a list, as the body's schema says.

JSON Schema's `integer` also admits a whole number written as a float (`12.0`), and
Python reads that as a float: left so, it reached a channel's stock and came back in
its orders as `quantity: 1.0` and `taxCents: 599.0`, which a hub with typed integers
cannot read. So a float where the schema says integer becomes the int it equals, in a
request (`requested`) as in a publish.
"""

from __future__ import annotations

from typing import Any

from simulators.contract.registry import CHANNELS, SYSTEMS
from simulators.contract.schema import Schema

__all__ = ["published", "requested"]


def published(channel: str, topic: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body`, published to `channel`'s `topic` and already valid against the contract,
    with its rows as tuples."""
    shaped: dict[str, Any] = in_process(CHANNELS[channel].topics[topic].schema, body)
    return shaped


def requested(system: str, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body`, a request for `system`'s `operation` already valid against the contract,
    with its whole numbers as ints where the contract says integer (its rows stay
    lists: the backends read their requests' rows as sequences)."""
    request = SYSTEMS[system].operations[operation].request
    shaped: dict[str, Any] = in_process(request, body, rows=False)
    return shaped


def _integer(schema: Schema) -> bool:
    kinds = schema.get("type")
    return kinds == "integer" or (isinstance(kinds, list) and "integer" in kinds)


def in_process(schema: Schema, value: Any, *, rows: bool = True) -> Any:
    """`value` with each array its schema calls a row made a tuple (if `rows`) and each
    float where it says integer made the int it equals (valid, it is a whole number),
    walking objects' properties and arrays' items; anything the schema does not
    describe is left as it is (a choice between schemas, `oneOf`, included: no request
    or publish has one)."""
    if isinstance(value, float):
        return int(value) if _integer(schema) and value.is_integer() else value
    if isinstance(value, list):
        columns = schema.get("prefixItems")
        if columns is not None:
            row = [
                in_process(column, item, rows=rows)
                for column, item in zip(columns, value, strict=True)
            ]
            return tuple(row) if rows else row
        items = schema.get("items")
        if isinstance(items, dict):
            return [in_process(items, item, rows=rows) for item in value]
        return value
    if isinstance(value, dict):
        properties = schema.get("properties")
        if properties:
            return {
                key: in_process(properties[key], item, rows=rows) if key in properties else item
                for key, item in value.items()
            }
    return value
