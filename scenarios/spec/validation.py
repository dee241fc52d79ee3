"""Every problem of a scenario file, not only the first: `retailtwin validate`.

The loader stops at the first bad value, which is right before a run (one clear
message, exit 2) but slow for someone writing a file: fix, rerun, find the next. Here
each problem found is set aside and the file checked again: a bad key or value of a
table is removed, so its default applies and the rest of the file is judged (a missing
required key is lent the shipped steady-day's value, for the same reason); an entry
of a list with a problem (a fault with an unknown kind) is removed whole, since its
other keys mean nothing without it, and the later problems keep the entries' indices
as written in the file. A problem that
removal cannot set aside (a whole table missing, a syntax error) ends the list, as do
`MAX_PROBLEMS`: what follows would be the first problem's echoes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from scenarios.spec import shipped
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import scenario_from_dict
from scenarios.spec.scenario import Scenario

__all__ = ["MAX_PROBLEMS", "FileVerdict", "validate_file"]

#: the most problems listed for one file
MAX_PROBLEMS = 50

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class FileVerdict:
    """A file's problems (none: it loads), and the scenario when it does."""

    path: str
    problems: tuple[str, ...]
    scenario: Scenario | None


def _segments(field: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _SEGMENT.findall(field)]


def _remove(data: dict[str, Any], segments: list[str | int]) -> bool:
    """Remove the value at `segments`; False when there is none to remove."""
    node: Any = data
    for segment in segments[:-1]:
        try:
            node = node[segment]
        except (KeyError, IndexError, TypeError):
            return False
    last = segments[-1]
    try:
        del node[last]
    except (KeyError, IndexError, TypeError):
        return False
    return True


class _Indices:
    """Each list's entries removed so far, to name later problems by the indices the
    file has (removing faults[1] makes the file's faults[2] the checked faults[1])."""

    def __init__(self) -> None:
        self._removed: dict[str, list[int]] = {}

    def note(self, segments: list[str | int]) -> None:
        if isinstance(segments[-1], int):
            where = _join(segments[:-1])
            self._removed.setdefault(where, []).append(self.original(where, segments[-1]))

    def original(self, where: str, index: int) -> int:
        for gone in sorted(self._removed.get(where, [])):
            if gone <= index:
                index += 1
        return index

    def as_written(self, message: str) -> str:
        for where in self._removed:
            pattern = re.compile(rf"(?<![\w.]){re.escape(where)}\[(\d+)\]")
            message = pattern.sub(self._renamer(where), message)
        return message

    def _renamer(self, where: str) -> Callable[[re.Match[str]], str]:
        def rename(match: re.Match[str]) -> str:
            return f"{where}[{self.original(where, int(match.group(1)))}]"

        return rename


def _entry_or_key(segments: list[str | int]) -> list[str | int]:
    """The list entry a field is in (`faults[1].kind` -> `faults[1]`), else the field."""
    entries = [i for i, segment in enumerate(segments) if isinstance(segment, int)]
    return segments[: entries[0] + 1] if entries else segments


def _join(segments: list[str | int]) -> str:
    out = ""
    for segment in segments:
        out = f"{out}[{segment}]" if isinstance(segment, int) else f"{out}.{segment}".lstrip(".")
    return out


#: the shipped scenario whose values stand in for a file's missing required keys
REFERENCE_SCENARIO = "steady-day"


@cache
def _reference() -> dict[str, Any]:
    """The reference scenario's file as read, once: `_fill_missing` only copies from it."""
    return shipped.read_toml(shipped.resolve(REFERENCE_SCENARIO))


def _fill_missing(data: dict[str, Any], segments: list[str | int]) -> bool:
    """Put in a required key the file lacks (`scenario.description`), taking the
    reference scenario's value, so the rest of the file is judged; False when the
    reference has no value there either."""
    reference: Any = _reference()
    node: Any = data
    for segment in segments[:-1]:
        try:
            node, reference = node[segment], reference[segment]
        except (KeyError, IndexError, TypeError):
            return False
    last = segments[-1]
    if not isinstance(node, dict) or not isinstance(reference, dict) or last in node:
        return False
    if last not in reference:
        return False
    node[last] = copy.deepcopy(reference[last])
    return True


def validate_file(path: str) -> FileVerdict:
    """Load `path` as `retailtwin run` would, listing every problem it can."""
    try:
        raw = shipped.read_toml(shipped.resolve(path))
    except ScenarioError as exc:
        return FileVerdict(path, (str(exc),), None)
    data = copy.deepcopy(raw)
    problems: list[str] = []
    indices = _Indices()
    removed: set[str] = set()
    while len(problems) < MAX_PROBLEMS:
        try:
            scenario = scenario_from_dict(data, source=path)
        except ScenarioError as exc:
            message = indices.as_written(str(exc))
            if not problems or problems[-1] != message:
                problems.append(message)
            segments = _entry_or_key(_segments(exc.field) if exc.field else [])
            while segments and _join(segments) in removed:
                segments = segments[:-1]  # its removal did not help: its table's turn
            if len(segments) < 2:
                break  # a whole table: the rest would be echoes
            if not _remove(data, segments) and not _fill_missing(data, segments):
                break  # nothing to remove or fill in: the rest would be echoes
            removed.add(_join(segments))
            indices.note(segments)
            continue
        return FileVerdict(path, tuple(problems), None if problems else scenario)
    return FileVerdict(path, tuple(problems), None)
