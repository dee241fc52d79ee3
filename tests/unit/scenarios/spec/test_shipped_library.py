"""The library of shipped scenarios: names, descriptions, lookup by name, and every file loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.spec import shipped
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import (
    load_scenario,
)


@pytest.fixture
def fake_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "library"
    directory.mkdir()
    for name in ("steady-day", "black-friday", "erp-outage"):
        (directory / f"{name}.toml").write_text(
            f'[scenario]\nname = "{name}"\n'
            f'description = """The {name} scenario. It has a second sentence."""\n',
            encoding="utf-8",
        )
    monkeypatch.setattr(shipped, "library_dir", lambda: directory)
    return directory


def test_shipped_names_sorted(fake_library: Path) -> None:
    assert shipped.shipped_names() == ["black-friday", "erp-outage", "steady-day"]


def test_describe_first_sentence(fake_library: Path) -> None:
    assert shipped.describe("erp-outage") == "The erp-outage scenario."


def test_load_by_name(fake_library: Path) -> None:
    scenario = load_scenario("black-friday", ["world.skus=100"])
    assert scenario.name == "black-friday"
    assert scenario.world.skus == 100


def test_unknown_name_lists_closest_first(fake_library: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("stedy-day")
    message = str(info.value)
    assert 'unknown scenario "stedy-day"; did you mean "steady-day"?' in message
    assert "shipped scenarios: steady-day, black-friday, erp-outage" in message


def test_name_with_toml_suffix_is_a_path(fake_library: Path) -> None:
    with pytest.raises(ScenarioError, match=r"scenario file not found: steady-day\.toml"):
        load_scenario("steady-day.toml")


def test_empty_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shipped, "library_dir", lambda: tmp_path / "none")
    assert shipped.shipped_names() == []
    with pytest.raises(ScenarioError, match="no scenarios are shipped"):
        load_scenario("anything")


def test_shipped_library_files_all_load() -> None:
    """Every file that ships must load (vacuous until the library is written)."""
    for name in shipped.shipped_names():
        assert load_scenario(name).name
        assert shipped.describe(name)
