"""``--set KEY=VALUE`` overrides, applied to parsed TOML before it is validated.

Why this module exists: architects compare designs by changing one thing at a time
(``hub.sync=batch:15m``, ``backends.erp.idempotent_refs=true``,
``faults.0.duration=30m``) without copying a scenario file. An override uses the same
dotted TOML path as the file and is written into the parsed TOML, not into the built
Scenario, so it is checked exactly like the file. The key path itself is checked here,
against the schema in `scenarios.spec.toml_keys`, so a typo in a key is reported as a typo
on the command line (``--set hub.idempotncy: no such key; did you mean ...``) rather
than as an unknown key in a file the user never wrote.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Sequence
from typing import Any

from scenarios.spec.errors import ScenarioError
from scenarios.spec.scenario import Scenario
from scenarios.spec.toml_keys import (
    SYNC_FORMS,
    TOP_LEVEL,
    children,
    element_type,
    join,
    packed_sync_key,
    table_keys,
)
from scenarios.spec.toml_limits import MAX_OVERRIDE_CHARS, check_size, parse

__all__ = ["apply_override"]


def _parse_override_value(text: str, key: str) -> Any:
    """A TOML value if `text` is one (true, 12, 0.5, "x", [1, 2]), else the bare text."""
    check_size(len(text), MAX_OVERRIDE_CHARS, f"--set {key}", "characters")
    try:
        document = parse(f"v = {text}", f"--set {key}")
    except tomllib.TOMLDecodeError:
        return text
    return document["v"] if set(document) == {"v"} else text


def _display(segments: Sequence[str]) -> str:
    """Dotted override segments as a field path: faults.0.start -> faults[0].start."""
    out = ""
    for segment in segments:
        out = f"{out}[{segment}]" if segment.isdigit() and out else join(out, segment)
    return out


def _no_such_key(key: str, segments: Sequence[str], i: int, hint: Any) -> ScenarioError:
    segment = segments[i]
    prefix = ".".join(segments[:i])
    keys = children(hint) or {}
    stem = segment[:-2]
    if segment.endswith("_s") and stem in keys and keys[stem].duration:
        help_text = f'durations are written without "_s": did you mean "{join(prefix, stem)}"?'
    elif (packed := packed_sync_key(segment)) is not None and packed in keys:
        help_text = f'did you mean "{join(prefix, packed)}"? it takes {SYNC_FORMS}'
    elif hint is TOP_LEVEL and segment in table_keys(Scenario):
        help_text = f'did you mean "scenario.{segment}"?'
        if segment == "seed":
            help_text += " (or pass the seed on its own)"
    else:
        close = difflib.get_close_matches(segment, list(keys), n=1)
        if close:
            help_text = f'did you mean "{join(prefix, close[0])}"?'
        else:
            options = ", ".join(join(prefix, child) for child in sorted(keys))
            help_text = f"expected one of: {options}"
    return ScenarioError(f"--set {key}: no such key; {help_text}", field=_display(segments))


def apply_override(raw: dict[str, Any], text: str) -> str:
    """Apply one ``KEY=VALUE`` override to parsed TOML `raw` in place.

    KEY is a dotted TOML path, checked against the schema; a number picks an entry of
    an array (``faults.0.duration``). VALUE is read as TOML if it parses, else kept as
    a bare string. Returns the field path the override set (``faults[0].duration``).
    """
    key, equals, value_text = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise ScenarioError(
            f"--set {text}: expected KEY=VALUE with KEY a dotted path into the scenario file, "
            'e.g. "hub.idempotency=false", "hub.sync=batch:15m" or "scenario.duration=6h"'
        )
    segments = [segment.strip() for segment in key.split(".")]
    if not all(segments):
        raise ScenarioError(f"--set {key}: empty part in the key; expected e.g. world.skus")
    value = _parse_override_value(value_text.strip(), key)
    hint: Any = TOP_LEVEL
    container: Any = raw
    for i, segment in enumerate(segments):
        here = _display(segments[:i])
        last = i == len(segments) - 1
        element = element_type(hint)
        if element is not None:
            if not segment.isdigit():
                raise ScenarioError(
                    f"--set {key}: {here} is an array; pick an entry by index, "
                    f'e.g. "{".".join([*segments[:i], "0", *segments[i:]])}"'
                )
            if not isinstance(container, list):
                raise ScenarioError(f"--set {key}: {here} in the file is not an array")
            index = int(segment)
            if index >= len(container):
                raise ScenarioError(
                    f"--set {key}: {here} has no entry {index} "
                    f"(it has {len(container)}, numbered from 0)"
                )
            if last:
                container[index] = value
                break
            hint = element
            container = container[index]
        else:
            keys = children(hint)
            if keys is None:
                raise ScenarioError(f"--set {key}: {here} is a single value, not a table")
            if not isinstance(container, dict):
                raise ScenarioError(f"--set {key}: {here} in the file is not a table")
            if segment not in keys:
                raise _no_such_key(key, segments, i, hint)
            if last:
                container[segment] = value
                break
            hint = keys[segment].hint
            if segment not in container:
                container[segment] = [] if element_type(hint) is not None else {}
            container = container[segment]
    return _display(segments)
