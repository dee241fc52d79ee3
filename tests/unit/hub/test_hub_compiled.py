"""The compiled hub (`make compile`, scripts/compile_hub.py) is never run stale: a
source edited since the build sends the whole hub back to its sources, and the build's
list of modules leaves out only modules that exist."""

from __future__ import annotations

import importlib.util
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType

import pytest

import hub.core
from hub.compiled import HUB, HubBuild, _HubFromSources, digest, running_build, stale_sources

ROOT = HUB.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compile_hub", ROOT / "scripts/compile_hub.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_source_edited_or_removed_since_the_build_is_stale(tmp_path: Path) -> None:
    kept, edited, removed = (tmp_path / name for name in ("kept.py", "edited.py", "gone.py"))
    for path in (kept, edited, removed):
        path.write_text(f"# {path.name}\n")
    record = {path.name: digest(path) for path in (kept, edited, removed)}
    edited.write_text("# edited after the build\n")
    removed.unlink()
    assert stale_sources(record, tmp_path) == ["edited.py", "gone.py"]


def test_falling_back_imports_every_hub_module_from_its_source() -> None:
    finder = _HubFromSources()
    core = finder.find_spec("hub.core", None)
    assert core is not None and core.origin == str(HUB / "core.py")
    package = finder.find_spec("hub.model", None)
    assert package is not None and package.origin == str(HUB / "model" / "__init__.py")
    assert package.submodule_search_locations == [str(HUB / "model")]
    assert finder.find_spec("simulators.world", None) is None
    assert finder.find_spec("hub.no_such_module", None) is None


def test_the_build_compiles_the_core_and_leaves_out_only_modules_that_exist() -> None:
    script = _script()
    names = script.sources()
    assert "hub/core.py" in names and "hub/services/order_to_cash.py" in names
    for left in script.LEFT_INTERPRETED:
        assert (ROOT / left).is_file(), left
        assert left not in names
    assert not [name for name in names if name.startswith(script.FOLDERS_LEFT)]


def test_a_figure_says_which_hub_it_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_speed` prints `running_build`: the compiled hub only when its core is the
    extension module, never merely because one was built."""
    monkeypatch.setattr(hub.core, "__file__", str(HUB / "core.py"))
    assert running_build() is HubBuild.SOURCES
    monkeypatch.setattr(hub.core, "__file__", str(HUB / f"core{EXTENSION_SUFFIXES[0]}"))
    assert running_build() is HubBuild.COMPILED
