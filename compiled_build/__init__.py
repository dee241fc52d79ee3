"""Never run a compiled module older than its source: the guard of `make compile`.

`make compile` (scripts/compile_mypyc.py) compiles the hub's core, the simulators and
the twin's hottest run-time modules with mypyc: a `.so` beside each `.py`, which Python
imports in preference to the source. An edit to a source after that would silently run
the old compiled code, and a compiled module calls the others of its build directly
(one build, one shared library), so one stale module cannot be loaded from source on
its own either. The build therefore records each source's SHA-256 in `BUILD_RECORD`;
each compiled package's `__init__.py` (hub/, simulators/, scenarios/twin/) calls
`use_sources_if_stale` before any of its modules is imported, and if any recorded
source changed (or compiled modules are there with no record), every module of the
build is imported from its source, with a warning that says how to rebuild. Compiled
and interpreted code make the same decisions (the digests are the same), so falling
back changes the speed, never a result.

This package sits beside the ones it guards, not in any of them: the hub and the
simulators both call it, and neither may import the other (scripts/layers.py). It
imports nothing of the project, and it is never compiled: it must run before the
build is trusted.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from enum import StrEnum
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # what mypyc reads to let a class defined outside the build subclass a compiled one
    from mypy_extensions import mypyc_attr
else:

    def mypyc_attr(*_args: object, **_kwargs: object) -> object:
        """mypyc reads the decorator when it compiles; run, it changes nothing (and the
        sources need no mypy_extensions, a development tool's dependency)."""
        return lambda cls: cls


#: the top of the tree: the build's sources are recorded relative to it
ROOT = Path(__file__).resolve().parent.parent
#: what `make compile` built from: each compiled source's path and SHA-256
BUILD_RECORD = Path(__file__).resolve().parent / "record.json"
#: the top-level packages that hold compiled modules
PACKAGES = ("hub", "simulators", "scenarios")
#: set to `Build.SOURCES.name` (`SOURCES`) to run the sources though a fresh build is
#: there: the test suite does (tests/conftest.py) unless it is set already, so that
#: `make test` after `make compile` tests what CI tests, and a test may patch any class;
#: `RETAILTWIN_BUILD=COMPILED pytest ...` tests the build instead
CHOICE_VARIABLE = "RETAILTWIN_BUILD"

__all__ = [
    "BUILD_RECORD",
    "CHOICE_VARIABLE",
    "PACKAGES",
    "ROOT",
    "Build",
    "mypyc_attr",
    "running_build",
]


class Build(StrEnum):
    """Which form of a package a process runs, for figures that must say what they
    measured (`benchmarks/run_speed.py`)."""

    COMPILED = "compiled (make compile)"
    SOURCES = "its sources (interpreted)"


def running_build(module: ModuleType) -> Build:
    """The form of `module` this process imported: compiled only if it is an extension
    (a stale build falls back to the sources: `use_sources_if_stale`)."""
    origin = module.__file__ or ""
    return Build.COMPILED if origin.endswith(tuple(EXTENSION_SUFFIXES)) else Build.SOURCES


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


def _has_compiled_modules() -> bool:
    """Whether a build is there: its shared library sits at the top of the tree."""
    return any(ROOT.glob("*__mypyc*.so"))


class _FromSources(MetaPathFinder):
    """Imports every module of `PACKAGES` from its `.py`, ahead of any compiled one."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        parts = fullname.split(".")
        if parts[0] not in PACKAGES:
            return None
        base = ROOT.joinpath(*parts)
        package = base / "__init__.py"
        if package.is_file():
            return importlib.util.spec_from_file_location(
                fullname, package, submodule_search_locations=[str(base)]
            )
        module = base.with_suffix(".py")
        if module.is_file():
            return importlib.util.spec_from_file_location(fullname, module)
        return None


#: whether this process has checked the build (each guarded package asks; once is enough)
_checked: list[bool] = []


def use_sources_if_stale() -> None:
    """Import every compiled package from its sources if the build is not of these
    sources; called by each compiled package's `__init__.py`, checked once a process."""
    if _checked:
        return
    _checked.append(True)
    if os.environ.get(CHOICE_VARIABLE) == Build.SOURCES.name:
        if _has_compiled_modules():
            sys.meta_path.insert(0, _FromSources())
        return
    if BUILD_RECORD.is_file():
        recorded: dict[str, str] = json.loads(BUILD_RECORD.read_text(encoding="utf-8"))
        stale = stale_sources(recorded, ROOT)
        if not stale:
            return
        why = f"{', '.join(stale[:3])}{' ...' if len(stale) > 3 else ''} changed since it was built"
    elif _has_compiled_modules():
        why = f"no {BUILD_RECORD.relative_to(ROOT)} says what it was built from"
    else:
        return  # not compiled
    sys.meta_path.insert(0, _FromSources())
    warnings.warn(
        f"the compiled build is stale ({why}): running the sources instead (the same "
        "results, slower); `make compile` rebuilds it, `make uncompile` removes it",
        RuntimeWarning,
        stacklevel=2,
    )
