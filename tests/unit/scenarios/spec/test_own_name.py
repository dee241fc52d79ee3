"""A scenario is titled by the name it gives itself, not by the path it was run from."""

from __future__ import annotations

import pytest

from scenarios.spec.own_name import own_name


def test_the_files_own_name_wins_over_its_path() -> None:
    assert own_name({"name": "Black Friday 2026"}, "my/peak.toml") == "Black Friday 2026"


@pytest.mark.parametrize("exported", [{}, {"name": ""}, {"name": 7}, {"name": None}])
def test_without_a_usable_name_the_run_is_known_by_how_it_was_asked_for(
    exported: dict[str, object],
) -> None:
    assert own_name(exported, "steady-day") == "steady-day"
