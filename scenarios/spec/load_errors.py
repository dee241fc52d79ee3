"""How a scenario loading error is worded and where it says the bad value came from.

Why this module exists: a scenario file is written by hand, usually by someone who is
not reading the dataclasses, and a run takes minutes. Every error therefore names the
key, what was expected and what was found, showing values as they were written in TOML
(``hub.idempotncy: unknown key; did you mean "idempotency"? ...``), and says whether the
value came from the file or from a ``--set`` override. Tests compare these messages
byte for byte, so every loader module builds them through the helpers here.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from scenarios.spec.errors import ScenarioError
from scenarios.spec.scenario import Scenario
from scenarios.spec.toml_keys import SYNC_FORMS, Key, join, packed_sync_key, table_keys

__all__ = [
    "choice_error",
    "fail",
    "locate",
    "show",
    "suggest",
    "type_error",
    "unknown_key",
]


def show(value: Any) -> str:
    """A value as the user would have written it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return "an array of tables"
        text = "[" + ", ".join(show(item) for item in value) + "]"
        return text if len(text) <= 60 else text[:57] + "...]"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return repr(value)


def fail(path: str, message: str) -> ScenarioError:
    """An error about the field at `path`."""
    return ScenarioError(f"{path}: {message}", field=path)


def type_error(path: str, expected: str, value: Any) -> ScenarioError:
    """The value at `path` has the wrong type."""
    return fail(path, f"expected {expected}, got {show(value)}")


def suggest(word: str, options: Iterable[str]) -> str:
    """'did you mean "X"? ' for the closest option, or "" when none is close."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f'did you mean "{close[0]}"? ' if close else ""


def choice_error(path: str, what: str, value: Any, choices: Iterable[str]) -> ScenarioError:
    """The value at `path` is not one of a fixed set of names."""
    choices = list(choices)
    hint = suggest(value, choices) if isinstance(value, str) else ""
    return fail(path, f"unknown {what} {show(value)}; {hint}expected one of: {', '.join(choices)}")


def unknown_key(key: str, keys: Mapping[str, Key], path: str) -> ScenarioError:
    """A key in the file that the table at `path` does not have, with the likely fix."""
    where = join(path, key)
    stem = key[:-2]
    if key.endswith("_s") and stem in keys and keys[stem].duration:
        hint = f'durations are written without "_s": did you mean "{stem}"? '
    elif (packed := packed_sync_key(key)) is not None and packed in keys:
        hint = f"mode and interval are set together with {packed} = {SYNC_FORMS}; "
    elif not path and key in table_keys(Scenario):
        hint = f'did you mean "scenario.{key}"? it belongs in the [scenario] table; '
    else:
        hint = suggest(key, keys)
    return fail(where, f"unknown key; {hint}expected one of: {', '.join(sorted(keys))}")


def locate(error: ScenarioError, source: str | None, overridden: Sequence[str]) -> ScenarioError:
    """Prefix a validation error with where the bad value came from."""
    field = error.field
    if field is not None and any(
        field == path or field.startswith((f"{path}.", f"{path}[")) for path in overridden
    ):
        return ScenarioError(f"--set {error}", field=field)
    if source is not None:
        return ScenarioError(f"{source}: {error}", field=field)
    return error
