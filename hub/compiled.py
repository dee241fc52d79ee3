"""Never run a compiled hub module older than its source.

`make compile` (scripts/compile_hub.py) compiles the hub's core with mypyc: a `.so`
beside each `.py`, which Python imports in preference to the source. An edit to the
source after that would silently run the old compiled code, and a compiled module calls
the others of its build directly, so one stale module cannot be loaded from source on
its own either. The build therefore records each source's SHA-256 in `BUILD_RECORD`;
`hub/__init__.py` calls `use_sources_if_stale` before any other hub module is imported,
and if any recorded source changed (or compiled modules are there with no record), the
whole hub is imported from its sources, with a warning that says how to rebuild.
Compiled and interpreted hubs make the same decisions (the digests are the same), so
falling back changes the speed, never a result.

This module and `hub/__init__.py` are never compiled: they must run before the build is
trusted.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import warnings
from collections.abc import Mapping, Sequence
from enum import StrEnum
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from pathlib import Path
from types import ModuleType

#: the hub's folder: the build's sources are recorded relative to its parent
HUB = Path(__file__).resolve().parent
#: what `make compile` built from: each compiled source's path and SHA-256
BUILD_RECORD = HUB / "compiled.json"


class HubBuild(StrEnum):
    """Which form of the hub a process runs, for figures that must say what they
    measured (`benchmarks/run_speed.py`)."""

    COMPILED = "compiled (make compile)"
    SOURCES = "its sources (interpreted)"


def running_build() -> HubBuild:
    """The form of the hub this process imported: compiled only if its core module is
    an extension (a stale build falls back to the sources: `use_sources_if_stale`)."""
    # imported when asked, not with this module, which runs before any other hub
    # module is imported so that a stale build is never loaded
    import hub.core

    origin = hub.core.__file__ or ""
    return HubBuild.COMPILED if origin.endswith(tuple(EXTENSION_SUFFIXES)) else HubBuild.SOURCES


def digest(source: Path) -> str:
    """The SHA-256 the build records for `source`."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


def stale_sources(record: Mapping[str, str], root: Path) -> list[str]:
    """The recorded sources (paths relative to `root`) whose text is no longer what was
    compiled, or which are gone."""
    stale = []
    for name, sha in record.items():
        source = root / name
        if not source.is_file() or digest(source) != sha:
            stale.append(name)
    return stale


def _has_compiled_core() -> bool:
    """Whether a compiled hub module is there (the build compiles hub/core.py)."""
    return any((HUB / f"core{suffix}").is_file() for suffix in EXTENSION_SUFFIXES)


class _HubFromSources(MetaPathFinder):
    """Imports every `hub.*` module from its `.py`, ahead of any compiled module."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not fullname.startswith("hub."):
            return None
        base = HUB.joinpath(*fullname.split(".")[1:])
        package = base / "__init__.py"
        if package.is_file():
            return importlib.util.spec_from_file_location(
                fullname, package, submodule_search_locations=[str(base)]
            )
        module = base.with_suffix(".py")
        if module.is_file():
            return importlib.util.spec_from_file_location(fullname, module)
        return None


def use_sources_if_stale() -> None:
    """Import the hub from its sources if its compiled modules are not of these sources."""
    if BUILD_RECORD.is_file():
        recorded: dict[str, str] = json.loads(BUILD_RECORD.read_text(encoding="utf-8"))
        stale = stale_sources(recorded, HUB.parent)
        if not stale:
            return
        why = f"{', '.join(stale[:3])}{' ...' if len(stale) > 3 else ''} changed since it was built"
    elif _has_compiled_core():
        why = f"no hub/{BUILD_RECORD.name} says what it was built from"
    else:
        return  # not compiled
    sys.meta_path.insert(0, _HubFromSources())
    warnings.warn(
        f"the compiled hub is stale ({why}): running the hub's sources "
        "instead (the same results, slower); `make compile` rebuilds it, "
        "`make uncompile` removes it",
        RuntimeWarning,
        stacklevel=2,
    )
