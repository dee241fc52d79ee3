"""Request bodies the contract's schemas accept but a backend may not be able to serve:
each operation's own example with one field at a time made hostile (an empty or unknown
name, a name of the wrong kind of place, a zero, negative or huge number, one past 64
bits or past a float, a whole number written as a float, an empty or duplicated list, an
optional field added).

Why from the contract and not by hand: the HTTP face lets through exactly what
`validate_request` accepts, so every body generated here is one a hub can get into a
simulator; a new operation, or a new field of an old one, is covered without a word
here. Why one field at a time from the example: the example is a request the built-in
hub sends, so the rest of the body names things the backend knows and the one hostile
value is what reaches the deep end (a pick, a putaway, a settlement) later.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from simulators.contract import CHANNELS, SYSTEMS, validate_publish, validate_request
from simulators.contract.schema import Schema

#: strings a hub might send where a known name belongs: empty, unknown, and names the
#: estate knows but of another kind (a store where a DC belongs, a DC where a SKU does)
STRINGS = ("", "NO-SUCH-0000", "DC-SOUTH", "ST-0001", "SKU-00003")
#: negative, zero, huge, past what 64 bits hold either way, and past what a float holds
#: (Python's JSON parser reads any whole number exactly; an array, a numpy column, a
#: database column or a float does not)
INTEGERS = (-1, 0, 1, 10**12, 2**64, -(2**63) - 1, 10**400)
#: whole numbers written as floats, which JSON Schema's `integer` admits (12.0 is an
#: integer to the validator, a float to Python): small, and past 64 bits by so much that
#: a sum or a product of it is infinite
WHOLE_FLOATS = (1.0, 1e308)
#: a number field's: the integers' values (a float twin of each is the same number to a
#: number field) and a fraction
NUMBERS = (*INTEGERS, 0.5)

#: a path into a body: keys and list positions
Path = tuple[str | int, ...]


def _values(schema: Schema, value: Any) -> tuple[Any, ...]:
    """The hostile values for a leaf of `schema`'s kind holding `value` (the validator
    then keeps only those the schema allows: an enum's values, a minimum); an integer
    field also gets its own value written as a float."""
    if "const" in schema:
        return ()
    if "enum" in schema:
        return tuple(schema["enum"])
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    values: list[Any] = [None] if "null" in kinds else []
    for kind in kinds:
        values.extend(
            {
                "string": STRINGS,
                "integer": (*INTEGERS, *WHOLE_FLOATS, *_as_float(value)),
                "number": NUMBERS,
                "boolean": (True, False),
            }.get(kind, ())
        )
    return tuple(values)


def _as_float(value: Any) -> tuple[float, ...]:
    """`value` written as a float, when it is a whole number that has another form."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    return (float(value),) if whole else ()


def _default(schema: Schema) -> Any:
    """A plain value of `schema`'s kind, for an optional field the example leaves out."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "oneOf" in schema:
        return _default(schema["oneOf"][0])
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "object":
        return {name: _default(schema["properties"][name]) for name in schema["required"]}
    if kind == "array":
        return [_default(schema["items"])] if schema.get("minItems", 0) else []
    return {"string": "X", "integer": 1, "number": 1, "boolean": False}.get(kind)


def _set(body: Any, path: Path, value: Any) -> Any:
    changed = copy.deepcopy(body)
    if not path:
        return value
    where = changed
    for step in path[:-1]:
        where = where[step]
    where[path[-1]] = value
    return changed


def _variants(schema: Schema, value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    """(where, what) for each hostile replacement inside `value`, of schema `schema`."""
    if "oneOf" in schema:
        for choice in schema["oneOf"]:
            yield from _variants(choice, value, path)
        return
    if isinstance(value, dict) and "properties" in schema:
        for name, field in schema["properties"].items():
            if name in value:
                yield from _variants(field, value[name], (*path, name))
            else:  # added, and then made hostile itself
                default = _default(field)
                yield (*path, name), default
                for where, hostile in _variants(field, default, (*path, name)):
                    yield where, _set(default, where[len(path) + 1 :], hostile)
        return
    if isinstance(value, list) and "prefixItems" in schema:  # a row: each column its own
        for index, (column, item) in enumerate(zip(schema["prefixItems"], value, strict=False)):
            yield from _variants(column, item, (*path, index))
        return
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        yield path, []
        if value:
            yield path, [*value, copy.deepcopy(value[0])]
            for index, item in enumerate(value):
                yield from _variants(schema["items"], item, (*path, index))
        return
    for hostile in _values(schema, value):
        yield path, hostile


def _where(path: Path) -> str:
    return ".".join(str(step) for step in path) or "body"


def hostile_bodies(kind: str, name: str, endpoint: str) -> list[tuple[str, dict[str, Any]]]:
    """(what was changed, body) for the example of `kind` ("systems" or "channels")
    `name`'s operation or topic `endpoint`, and each of the example's one-field variants
    the contract accepts: each body once, in a fixed order."""
    if kind == "systems":
        operation = SYSTEMS[name].operations[endpoint]
        schema, example = operation.request, operation.example
        problems = partial(validate_request, name, endpoint)
    else:
        topic = CHANNELS[name].topics[endpoint]
        schema, example = topic.schema, topic.example
        problems = partial(validate_publish, name, endpoint)
    example = copy.deepcopy(dict(example))
    bodies: list[tuple[str, dict[str, Any]]] = [("the example", example)]
    # by their JSON text: 12.0 == 12 to Python, and the float is the point
    seen = {json.dumps(example, sort_keys=True)}
    for path, value in _variants(schema, example, ()):
        body = _set(example, path, value)
        text = json.dumps(body, sort_keys=True)
        if text in seen or problems(body):
            continue
        seen.add(text)
        bodies.append((f"{_where(path)}={value!r}"[:80], body))
    return bodies


def every_endpoint() -> list[tuple[str, str, str]]:
    """("systems", system, operation) for every operation the contract lists, then
    ("channels", channel, topic) for every topic."""
    return [
        *(("systems", system, name) for system, api in SYSTEMS.items() for name in api.operations),
        *(("channels", channel, name) for channel, c in CHANNELS.items() for name in c.topics),
    ]
