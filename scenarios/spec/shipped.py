"""The shipped scenario library: ``scenarios/spec/library/NAME.toml``.

Users name a shipped scenario ("steady-day") rather than type a path, and the CLI lists
what ships with a one-line summary. Lookup lives here, apart from the loader, so tests
can point `library_dir` at a temporary directory with ``monkeypatch`` and so listing the
library never has to validate every file in it.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any

from scenarios.spec.errors import ScenarioError
from scenarios.spec.toml_limits import MAX_FILE_BYTES, check_size, parse

__all__ = ["describe", "library_dir", "read_toml", "scenario_path", "shipped_names"]

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`])")


def library_dir() -> Path:
    """The directory holding the shipped ``*.toml`` scenarios (packaged as data)."""
    return Path(__file__).resolve().with_name("library")


def shipped_names() -> list[str]:
    """Names of the shipped scenarios (file stems), sorted."""
    directory = library_dir()
    if not directory.is_dir():
        return []
    return sorted(path.stem for path in directory.glob("*.toml") if path.is_file())


def scenario_path(name: str) -> Path:
    """The file of shipped scenario `name`; ScenarioError listing the shipped names if
    there is none, closest matches first."""
    names = shipped_names()
    if name in names:
        return library_dir() / f"{name}.toml"
    if not names:
        raise ScenarioError(
            f'unknown scenario "{name}": no scenarios are shipped in {library_dir()}'
        )
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    ordered = close + [n for n in names if n not in close]
    hint = f'; did you mean "{close[0]}"?' if close else ""
    raise ScenarioError(
        f'unknown scenario "{name}"{hint} shipped scenarios: {", ".join(ordered)} '
        "(or give a path to a .toml file)"
    )


def resolve(name_or_path: str) -> Path:
    """A shipped scenario's file for a name (no "/", not ending in ".toml"), else the
    path as given."""
    is_name = "/" not in name_or_path and "\\" not in name_or_path
    if is_name and not name_or_path.endswith(".toml"):
        return scenario_path(name_or_path)
    return Path(name_or_path).expanduser()


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file; a missing file or bad syntax is a ScenarioError naming it."""
    try:
        check_size(path.stat().st_size, MAX_FILE_BYTES, str(path), "bytes")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except IsADirectoryError:
        raise ScenarioError(f"scenario path is a directory, not a .toml file: {path}") from None
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario file {path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return parse(text, str(path))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: invalid TOML: {exc}") from None


def describe(name: str) -> str:
    """First sentence of shipped scenario `name`'s ``[scenario].description``, with
    whitespace collapsed; "" if it has none."""
    raw = read_toml(scenario_path(name))
    header = raw.get("scenario")
    description = header.get("description") if isinstance(header, dict) else None
    if not isinstance(description, str):
        return ""
    text = " ".join(description.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0]
