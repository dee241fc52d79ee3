"""Where a float sits in an answer or a message at a place the contract calls an
integer.

Why a check of its own: JSON Schema's `integer` admits `12.0`, so the contract's
validators pass a quantity a hub sent as `12.0` and the twin echoed back, or summed into
a stock figure (`15.0`); but a hub written in a typed language reads the field into an
integer, and its JSON library refuses `15.0` there. The twin must write what the
contract says, whatever form the hub's number came in.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema_rs

from simulators.contract import SOURCES, SYSTEMS
from simulators.contract.schema import Schema

#: a path into a body: keys and list positions
Path = tuple[str | int, ...]


@cache
def _validator(text: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(json.loads(text))


def _matches(schema: Schema, value: Any) -> bool:
    return bool(_validator(json.dumps(schema, sort_keys=True)).is_valid(value))


def _integer(schema: Schema) -> bool:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "integer" in kinds and "number" not in kinds


def floats_at_integers(schema: Schema, value: Any, path: Path = ()) -> list[Path]:
    """The places in `value` (valid against `schema`) where the schema says integer and
    the value is a float; a choice (`oneOf`) is walked in each branch `value` matches."""
    found: list[Path] = []
    _walk(schema, value, path, found)
    return found


def _walk(schema: Schema, value: Any, path: Path, found: list[Path]) -> None:
    if isinstance(value, str | bool | int) or value is None:
        return  # nearly every leaf: nothing to see
    if "oneOf" in schema:
        for choice in schema["oneOf"]:
            if _matches(choice, value):
                for where in floats_at_integers(choice, value, path):
                    if where not in found:
                        found.append(where)
    elif isinstance(value, float):
        if _integer(schema):
            found.append(path)
    elif isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                _walk(properties[key], item, (*path, key), found)
    elif isinstance(value, list | tuple):
        columns = schema.get("prefixItems")
        if columns is not None:
            for index, (column, item) in enumerate(zip(columns, value, strict=False)):
                _walk(column, item, (*path, index), found)
        elif isinstance(schema.get("items"), dict):
            for index, item in enumerate(value):
                _walk(schema["items"], item, (*path, index), found)


def _named(found: list[Path], value: Any) -> list[str]:
    problems = []
    for path in found:
        where = value
        for step in path:
            where = where[step]
        text = ".".join(str(step) for step in path) or "body"
        problems.append(f"{text}: {where!r} where the contract says integer")
    return problems


def answer_floats(system: str, operation: str, status: int, body: Any) -> list[str]:
    """Floats at integer places of `system`'s answer to `operation` with `status`."""
    answers = SYSTEMS[system].answers(operation).get(status, [])
    found: list[Path] = []
    for answer in answers:
        if _matches(answer.body, body):
            found += [p for p in floats_at_integers(answer.body, body) if p not in found]
    return _named(found, body)


def message_floats(source: str, payload: Any) -> list[str]:
    """Floats at integer places of a message `source` sends the hub."""
    found = SOURCES[source]
    message = (
        found.messages.get(payload.get(found.discriminator)) if isinstance(payload, dict) else None
    )
    if message is None:
        return []  # validate_message says what is wrong with it
    return _named(floats_at_integers(message.schema, payload), payload)
