"""A JSON Schema for scenario files, generated from the spec's own definitions.

Editors that read a schema for TOML (Even Better TOML / Taplo, via a `#:schema` comment
on a file's first line or a schema association; JetBrains IDEs via their TOML schema
mapping) complete keys, show each key's meaning and flag a wrong type or an
out-of-range value as the file is written. The schema is made from what the loader
reads: the same dataclasses and TOML key rules (`scenarios.spec.toml_keys`), the same
ranges (`scenarios.spec.value_ranges.bounds`), the same choices (enums and literals),
and each field's `#:` comment as its description, so it cannot drift from the loader:
`python -m scenarios.spec.json_schema --check` fails while the shipped file is out of
date, and a test holds both. What only the loader checks: rules that join fields
(a p95 above its median, faults that overlap, a run too big for the machine), and that
an integer is written as one (JSON Schema's "integer" takes 10.0; TOML's does not).
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import re
import sys
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from scenarios.spec.toml_keys import (
    HEADER_TABLE,
    SYNC_FORMS,
    TOP_LEVEL,
    Key,
    children,
    element_type,
    is_dataclass_type,
    table_keys,
)
from scenarios.spec.value_ranges import bounds

__all__ = ["SCHEMA_FILE", "scenario_schema"]

#: where the generated schema is shipped (package data beside the library)
SCHEMA_FILE = Path(__file__).with_name("scenario.schema.json")

#: Draft 4: what Taplo (the engine of Even Better TOML) is documented to read; later
#: validators read it too
SCHEMA_DRAFT = "http://json-schema.org/draft-04/schema#"

#: a duration as a string: "45m", "1h30m", "2m 30s", "1.5h", "500ms", or plain seconds
DURATION_PATTERN = r"^\s*(?:(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ms|d|h|m|s)?\s*)+$"
_SYNC_PATTERN = r"^\s*(event|batch)\s*(:\s*(?:(?:\d+(?:\.\d*)?|\.\d+)\s*(?:ms|d|h|m|s)?\s*)+)?$"


_COMMENTS: dict[type[Any], dict[str, str]] = {}


def _field_comments(cls: type[Any]) -> dict[str, str]:
    """Each field's `#:` comment lines in the class's source, joined."""
    if cls not in _COMMENTS:
        _COMMENTS[cls] = _read_comments(cls)
    return _COMMENTS[cls]


def _read_comments(cls: type[Any]) -> dict[str, str]:
    try:
        lines = inspect.getsource(cls).splitlines()
    except (OSError, TypeError):  # pragma: no cover - every spec class has source
        return {}
    notes: dict[str, str] = {}
    pending: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        field = re.match(r"(\w+)\s*:", stripped)
        if field and pending:
            notes[field.group(1)] = " ".join(pending)
        pending = []
    return notes


def _number(name: str, duration: bool, integer: bool) -> dict[str, Any]:
    limits = bounds(name, duration)
    schema: dict[str, Any] = {"type": "integer" if integer else "number"}
    schema["minimum"] = limits.minimum
    if limits.exclusive_minimum:  # Draft 4's form: a flag on `minimum`
        schema["exclusiveMinimum"] = True
    schema["maximum"] = limits.maximum
    return schema


def _value(hint: Any, name: str, duration: bool) -> dict[str, Any]:
    """The schema of one value of type `hint` in field `name`."""
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (option,) = [arg for arg in get_args(hint) if arg is not type(None)]
        return {"anyOf": [_value(option, name, duration), {"enum": ["none"]}]}
    if is_dataclass_type(hint):
        return _table(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return {"enum": [str(member.value) for member in hint]}
    if origin is Literal:
        return {"enum": [str(choice) for choice in get_args(hint)]}
    element = element_type(hint)
    if element is not None:
        items = _value(element, name, False)
        if origin is tuple and len(get_args(hint)) == 2 and get_args(hint)[1] is not ...:
            return {"type": "array", "items": items, "minItems": 2, "maxItems": 2}
        array: dict[str, Any] = {"type": "array", "items": items}
        if origin is frozenset:
            array["uniqueItems"] = True
        return array
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return _number(name, duration, integer=True)
    if hint is float and duration:
        return {
            "anyOf": [
                _number(name, True, integer=False),
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
            "description": "a duration: seconds, or a string such as 45m, 1h30m, 500ms",
        }
    if hint is float:
        return _number(name, duration, integer=False)
    return {"type": "string"}


def _property(cls: type[Any] | None, key: str, spec: Key) -> dict[str, Any]:
    if spec.field is None:  # hub.sync, hub.price_sync: a mode and an interval in one
        return {"type": "string", "pattern": _SYNC_PATTERN, "description": SYNC_FORMS}
    schema = _value(spec.hint, spec.field, spec.duration)
    note = _field_comments(cls).get(spec.field) if cls is not None else None
    if note:
        schema = {**schema, "description": note}
    return schema


def _required(cls: type[Any], keys: dict[str, Key]) -> list[str]:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    return [
        key
        for key, spec in keys.items()
        if spec.field is not None
        and fields[spec.field].default is dataclasses.MISSING
        and fields[spec.field].default_factory is dataclasses.MISSING
    ]


def _table(cls: type[Any]) -> dict[str, Any]:
    keys = table_keys(cls)
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: _property(cls, key, spec) for key, spec in sorted(keys.items())},
    }
    required = _required(cls, keys)
    if required:
        schema["required"] = required
    doc = inspect.getdoc(cls)
    if doc and not doc.startswith(cls.__name__ + "("):
        schema["description"] = " ".join(doc.split("\n\n")[0].split())
    return schema


def scenario_schema() -> dict[str, Any]:
    """The whole file's schema: [scenario] and every table or array of tables."""
    from scenarios.spec.scenario import Scenario

    properties: dict[str, Any] = {}
    for key, spec in (children(TOP_LEVEL) or {}).items():
        if spec.hint is HEADER_TABLE:
            header = _table(Scenario)
            header["required"] = ["name", "description"]
            properties[key] = header
        else:
            properties[key] = _property(Scenario, key, spec)
    return {
        "$schema": SCHEMA_DRAFT,
        "title": "retailtwin scenario",
        "description": "A retailtwin scenario file (docs/scenarios.md). Generated by "
        "`python -m scenarios.spec.json_schema` from the loader's own definitions.",
        "type": "object",
        "additionalProperties": False,
        "required": ["scenario"],
        "properties": properties,
    }


def rendered() -> str:
    return json.dumps(scenario_schema(), indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write (or check) the scenario JSON Schema.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = rendered()
    if args.check:
        if not SCHEMA_FILE.is_file() or SCHEMA_FILE.read_text() != text:
            print(f"{SCHEMA_FILE} is out of date: run python -m scenarios.spec.json_schema")
            return 1
        return 0
    SCHEMA_FILE.write_text(text)
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
