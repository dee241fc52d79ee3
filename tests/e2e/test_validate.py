"""`retailtwin validate` lists every problem of each file, and passes the library."""

from __future__ import annotations

from pathlib import Path

from cli_runner import retailtwin

from scenarios.spec.shipped import shipped_names
from scenarios.spec.validation import validate_file

BAD = """\
[scenario]
name = "bad"
description = "Many problems."
duration = "3h"
scale = 1e9

[world]
skus = -4
stroes = 3

[[faults]]
target = "erp"
kind = "explode"
start = "1h"
duration = "1h"

[[faults]]
target = "erp"
kind = "outage"
start = "1h"
duration = "1h"

[[faults]]
target = "wms"
kind = "outage"
start = "50h"
duration = "1h"
"""


def test_every_problem_of_a_file_is_listed_with_its_place_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    done = retailtwin("validate", str(path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line.removeprefix("✗ ") for line in done.stdout.splitlines()]
    assert lines == [
        f"{path}: scenario.scale: expected a number of at most 20, got 1000000000.0",
        f'{path}: world.stroes: unknown key; did you mean "stores"? expected one of: '
        "customers, dc_cover_days, dc_replenish_interval_h, dcs, regions, skus, store_range, "
        "store_replenish_interval_h, store_stock_mean, stores",
        f"{path}: world.skus: expected a number greater than 0, got -4",
        f'{path}: faults[0].kind: unknown fault kind "explode"; did you mean "expire"? '
        "expected one of: outage, throttle, duplicate, reorder, loss, slow, offline, decline, "
        "expire, crash, revoke, auth_outage",
        # faults[0] was set aside, yet the file's own index is named
        f"{path}: faults[2].start: 2d2h is after the run ends at 9h (scenario.duration 3h plus "
        "drain 6h), so the fault would do nothing; expected a start before the run's end",
        "1 of 1 files invalid",
    ]


def test_the_library_is_valid_and_each_file_says_what_it_would_run(tmp_path: Path) -> None:
    done = retailtwin("validate", *shipped_names())
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert len(lines) == len(shipped_names())
    assert any(
        line.startswith("✓ peak-weekend: peak-weekend, 4d of demand and 8h of drain, about")
        for line in lines
    )


def test_one_bad_file_among_good_ones_fails_the_lot(tmp_path: Path) -> None:
    path = tmp_path / "syntax.toml"
    path.write_text("[scenario\n")
    done = retailtwin("validate", "steady-day", str(path), "nowhere.toml")
    assert done.returncode == 2
    assert f"{path}: invalid TOML" in done.stdout
    assert "scenario file not found: nowhere.toml" in done.stdout
    assert done.stdout.splitlines()[-1] == "2 of 3 files invalid"


def test_a_missing_required_key_does_not_hide_the_problems_after_it(tmp_path: Path) -> None:
    """The description is missing (required, so nothing to remove); the file's later
    problems are still listed, the missing key once."""
    path = tmp_path / "terse.toml"
    path.write_text('[scenario]\nname = "terse"\nseed = -1\n\n[world]\nskus = "many"\n')
    found = validate_file(str(path))
    assert tuple(p.removeprefix(f"{path}: ") for p in found.problems) == (
        "scenario.seed: expected a non-negative number, got -1",
        "scenario.description: missing required key",
        'world.skus: expected an integer, got "many"',
    ), found.problems
    assert found.scenario is None
