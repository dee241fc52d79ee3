"""How big and how deep a scenario's TOML may be, checked as it is parsed.

A scenario file is a few kilobytes of tables a level or three deep. Without limits a
5,000-deep nested array ends Python's parser in a RecursionError (a traceback, exit 1)
and a file of gigabytes is read whole before anything is said. Both are refused with
exit 2, naming the file or the `--set` key, before anything is converted or run.
"""

from __future__ import annotations

import tomllib
from typing import Any

from scenarios.spec.errors import ScenarioError

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_OVERRIDE_CHARS", "check_size", "parse"]

#: the largest scenario file read (the library's biggest is under 10 KB)
MAX_FILE_BYTES = 1 << 20
#: the longest `--set` value
MAX_OVERRIDE_CHARS = 64 << 10
#: the deepest nesting of tables and arrays (the schema's deepest is four)
MAX_DEPTH = 16


def check_size(size: int, most: int, where: str, unit: str) -> None:
    if size > most:
        raise ScenarioError(f"{where}: {size:,} {unit}; expected at most {most:,}")


def _depth(value: Any) -> int:
    """Nesting depth, iteratively (so no depth can make this recurse)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def parse(text: str, where: str) -> dict[str, Any]:
    """`tomllib.loads`, refusing nesting deeper than `MAX_DEPTH` (TOMLDecodeError, as
    any syntax error, is the caller's to word)."""
    try:
        document = tomllib.loads(text)
    except RecursionError:
        document = None
    if document is None or _depth(document) > MAX_DEPTH:
        raise ScenarioError(
            f"{where}: tables or arrays nested too deep; expected at most {MAX_DEPTH} levels"
        )
    return document
