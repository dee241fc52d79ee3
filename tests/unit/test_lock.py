"""The Python side is locked: every dependency pinned with its hashes in
requirements.lock (`make setup` installs from it, `make lock` rewrites it), and the
environment the tests run in is exactly the lock's, so a digest repeats on the same
code: a new release of a dependency cannot slip in."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pins() -> dict[str, tuple[str, str | None]]:
    pins: dict[str, tuple[str, str | None]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        found = PIN.match(line)
        if found:
            name, version, marker = found.groups()
            pins[canonicalize_name(name)] = (version, marker)
    return pins


def test_every_pin_carries_hashes() -> None:
    text = (ROOT / "requirements.lock").read_text()
    entries = [chunk for chunk in re.split(r"\n(?=[A-Za-z0-9])", text) if "==" in chunk]
    assert entries and all("--hash=sha256:" in entry for entry in entries)


def test_every_declared_dependency_is_locked() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = _pins()
    missing = [spec for spec in declared if canonicalize_name(Requirement(spec).name) not in pins]
    assert missing == [], f"run `make lock`: {missing} are not in requirements.lock"
    for spec in declared:  # and the pinned release satisfies what pyproject.toml asks
        requirement = Requirement(spec)
        version, _ = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (spec, version)


def test_the_tests_run_on_exactly_the_locked_releases() -> None:
    wrong = {}
    for name, (version, marker) in _pins().items():
        if marker is not None and not Marker(marker).evaluate():
            continue  # another platform's or Python's
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            wrong[name] = (version, installed)
    assert wrong == {}, f"(locked, installed): run `make setup` after {wrong}"
