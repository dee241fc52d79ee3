"""Figure blocks in the docs: the text between

    <!-- figures:NAME begin: ... -->
    <!-- figures:NAME end -->

is written by `python scripts/figures.py` and by nothing else. Everything outside the
markers is the docs' own prose, left alone; inside, a hand edit is undone by the next
run and caught by the figures test before that. The markers may be indented, to sit
inside a list item; the body brings its own indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_BEGIN = re.compile(
    r"^(?P<indent>[ ]*)(?P<marker><!-- figures:(?P<name>[A-Za-z0-9_./-]+) begin\b[^\n]*-->)$",
    re.MULTILINE,
)


def begin_marker(name: str) -> str:
    return f"<!-- figures:{name} begin (make figures; edit figures/, not this block) -->"


def end_marker(name: str) -> str:
    return f"<!-- figures:{name} end -->"


class BlockError(ValueError):
    """A block missing from its doc, unterminated, or there twice."""


@dataclass(frozen=True, slots=True)
class Span:
    """Where a block lies in a document's text: its begin marker (from `<!--`), its
    body (the lines after the marker's, up to the end marker's line) and the indent
    of its markers."""

    marker: int
    start: int
    end: int
    indent: str


def find(text: str, name: str, where: str = "the document") -> Span:
    found = [m for m in _BEGIN.finditer(text) if m.group("name") == name]
    if not found:
        raise BlockError(f"{where}: no figure block {name!r} (a line {begin_marker(name)!r})")
    if len(found) > 1:
        raise BlockError(f"{where}: figure block {name!r} is there {len(found)} times")
    start = found[0].end() + 1
    end = text.find(end_marker(name), start)
    if end < 0:
        raise BlockError(f"{where}: figure block {name!r} has no {end_marker(name)!r}")
    line_start = text.rfind("\n", 0, end) + 1
    if text[line_start:end].strip():
        raise BlockError(f"{where}: figure block {name!r}'s end marker is not on a line of its own")
    return Span(found[0].start("marker"), start, line_start, found[0].group("indent"))


def names_in(text: str) -> list[str]:
    """Every block's name, in document order."""
    return [m.group("name") for m in _BEGIN.finditer(text)]


def body(text: str, name: str, where: str = "the document") -> str:
    span = find(text, name, where)
    return text[span.start : span.end]


def replaced(text: str, name: str, new_body: str, where: str = "the document") -> str:
    """`text` with block `name`'s body (and its begin marker, in case its wording
    changed) replaced; the body ends with a newline."""
    span = find(text, name, where)
    fresh = new_body if new_body.endswith("\n") else new_body + "\n"
    return text[: span.marker] + begin_marker(name) + "\n" + fresh + text[span.end :]


def committed(path: Path, name: str) -> str:
    return body(path.read_text(encoding="utf-8"), name, str(path))
