"""A body that came over HTTP, in the shapes the simulators take in process.

JSON has one sequence, the array; the simulators' feeds take a table row
(`schema.row`: a fixed-length array whose positions mean different things) as a tuple,
as the built-in hub sends it in process. Interpreted, a list unpacked where a tuple is
declared goes unnoticed; compiled (`make compile`), the simulators check the declared
types and refuse it. So the HTTP face hands a validated body through `published` first:
every row becomes a tuple and every other array stays a list, as the body's schema says.
"""

from __future__ import annotations

from typing import Any

from simulators.contract.registry import CHANNELS
from simulators.contract.schema import Schema

__all__ = ["published"]


def published(channel: str, topic: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body`, published to `channel`'s `topic` and already valid against the contract,
    with its rows as tuples."""
    shaped: dict[str, Any] = in_process(CHANNELS[channel].topics[topic].schema, body)
    return shaped


def in_process(schema: Schema, value: Any) -> Any:
    """`value` with each array its schema calls a row made a tuple, walking objects'
    properties and arrays' items; anything the schema does not describe is left as it
    is (a choice between schemas, `oneOf`, included: nothing the simulators take as
    rows is one)."""
    if isinstance(value, list):
        columns = schema.get("prefixItems")
        if columns is not None:
            return tuple(
                in_process(column, item) for column, item in zip(columns, value, strict=True)
            )
        items = schema.get("items")
        if isinstance(items, dict):
            return [in_process(items, item) for item in value]
        return value
    if isinstance(value, dict):
        properties = schema.get("properties")
        if properties:
            return {
                key: in_process(properties[key], item) if key in properties else item
                for key, item in value.items()
            }
    return value
