"""The compiled build (`make compile`, scripts/compile_mypyc.py) is never run stale: a
source edited since the build sends every compiled package back to its sources, and the
build's list of modules leaves out only modules that exist."""

from __future__ import annotations

import sys
import warnings
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest
from script_support import load_script

import compiled_build
import hub.core
from compiled_build import (
    CHOICE_VARIABLE,
    ROOT,
    Build,
    _FromSources,
    digest,
    running_build,
    stale_sources,
)


def test_a_source_edited_or_removed_since_the_build_is_stale(tmp_path: Path) -> None:
    kept, edited, removed = (tmp_path / name for name in ("kept.py", "edited.py", "gone.py"))
    for path in (kept, edited, removed):
        path.write_text(f"# {path.name}\n")
    record = {path.name: digest(path) for path in (kept, edited, removed)}
    edited.write_text("# edited after the build\n")
    removed.unlink()
    assert stale_sources(record, tmp_path) == ["edited.py", "gone.py"]


def test_falling_back_imports_every_compiled_package_from_its_sources() -> None:
    finder = _FromSources()
    core = finder.find_spec("hub.core", None)
    assert core is not None and core.origin == str(ROOT / "hub" / "core.py")
    package = finder.find_spec("hub.model", None)
    assert package is not None and package.origin == str(ROOT / "hub" / "model" / "__init__.py")
    assert package.submodule_search_locations == [str(ROOT / "hub" / "model")]
    world = finder.find_spec("simulators.world", None)
    assert world is not None and world.origin == str(ROOT / "simulators" / "world.py")
    ports = finder.find_spec("scenarios.twin.sim_ports", None)
    assert ports is not None and ports.origin == str(ROOT / "scenarios" / "twin" / "sim_ports.py")
    assert finder.find_spec("graph.schema", None) is None
    assert finder.find_spec("hub.no_such_module", None) is None


def test_a_process_told_to_run_the_sources_runs_them_though_the_build_is_fresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compiled_build, "_checked", [])
    monkeypatch.setattr(compiled_build, "_has_compiled_modules", lambda: True)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setenv(CHOICE_VARIABLE, Build.SOURCES.name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # chosen, not stale: nothing to warn of
        compiled_build.use_sources_if_stale()
    assert isinstance(sys.meta_path[0], _FromSources)


def test_the_build_compiles_its_packages_and_leaves_out_only_modules_that_exist() -> None:
    script = load_script("compile_mypyc")
    names = script.sources()
    for compiled in ("hub/core.py", "simulators/network.py", "scenarios/twin/record_spill.py"):
        assert compiled in names
    for left in script.LEFT_INTERPRETED:
        assert (ROOT / left).is_file(), left
        assert left not in names
    for name in names:
        assert (ROOT / name).is_file(), name
        assert name.split("/")[0] in script.PACKAGES, name
    left_in = [name for name in names if name.startswith(script.FOLDERS_LEFT)]
    # of the folders left, only `run --out`'s own row building is compiled
    assert left_in == [name for name in script.OUT_MODULES if name.startswith(script.FOLDERS_LEFT)]
    assert all(name.startswith("hub/adapters/read_model/") for name in left_in)
    guards = [
        path.relative_to(ROOT).as_posix()
        for package in script.PACKAGES
        for path in (ROOT / package).rglob("__init__.py")
        if "use_sources_if_stale()" in path.read_text()
    ]
    assert sorted(guards) == [
        "hub/__init__.py",
        "scenarios/twin/__init__.py",
        "simulators/__init__.py",
    ]
    assert not set(guards) & set(names)  # a guard runs before the build is trusted


def test_a_figure_says_which_build_it_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_speed` prints `running_build`: compiled only when the module is the extension
    module, never merely because one was built."""
    monkeypatch.setattr(hub.core, "__file__", str(ROOT / "hub" / "core.py"))
    assert running_build(hub.core) is Build.SOURCES
    monkeypatch.setattr(hub.core, "__file__", str(ROOT / "hub" / f"core{EXTENSION_SUFFIXES[0]}"))
    assert running_build(hub.core) is Build.COMPILED


def test_if_stale_builds_only_without_a_record_of_these_sources_and_modules(
    tmp_path: Path,
) -> None:
    """`--if-stale` (what `make bench` may run): the decision alone, nothing is built."""
    why_build = load_script("compile_mypyc").why_build
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(f"# {name}\n")
    names = ["a.py", "b.py"]
    record = {name: digest(tmp_path / name) for name in names}
    assert why_build(record, names, tmp_path) is None
    assert why_build(None, names, tmp_path) == "no record.json: not built"
    assert why_build(record, [*names, "c.py"], tmp_path) == (
        "the module list changed (added ['c.py'], left out none)"
    )
    assert why_build(record, ["a.py"], tmp_path) == (
        "the module list changed (added none, left out ['b.py'])"
    )
    (tmp_path / "b.py").write_text("# edited after the build\n")
    assert why_build(record, names, tmp_path) == "b.py changed since the build"
