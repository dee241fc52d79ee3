"""`retailtwin shrink` on a hub with a seeded defect: it finds a case at least 10x
smaller (in simulated events, the cost of a run) that still breaks the same invariant,
written as a scenario file that `retailtwin run FILE` loads and fails on."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cli_runner import retailtwin

from scenarios.experiments.shrink import trial
from scenarios.spec.loader import load_scenario

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

DEFECT = 'hub.defects=["drop_erp_orders"]'


def test_shrink_finds_a_case_ten_times_smaller(tmp_path: Path) -> None:
    out = tmp_path / "lost-order.toml"
    result = retailtwin(
        "shrink",
        "steady-day",
        "--seed",
        "1",
        "--set",
        DEFECT,
        "--max-runs",
        "60",
        "--out",
        str(out),
        "--quiet",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "breaks no_lost_order" in result.stdout
    original = trial(load_scenario("steady-day", (DEFECT,), 1))
    shrunk = trial(load_scenario(str(out)))
    assert "no_lost_order" in shrunk.failed
    assert shrunk.failed <= original.failed
    assert original.size.simulated_events >= 10 * shrunk.size.simulated_events, (
        original.size,
        shrunk.size,
    )
    assert original.size.channel_orders > shrunk.size.channel_orders
    text = out.read_text()
    assert text.startswith("# A smaller case that breaks no_lost_order")
    written = tomllib.loads(text)
    assert written["scenario"]["name"] == "steady-day-shrunk"
    assert written["hub"]["defects"] == ["drop_erp_orders"]
    rerun = retailtwin("run", str(out), "--quiet")
    assert rerun.returncode == 1
    assert "no_lost_order" in rerun.stdout


def test_a_passing_run_has_nothing_to_shrink(tmp_path: Path) -> None:
    result = retailtwin(
        "shrink",
        "steady-day",
        "--set",
        "scenario.scale=0.1",
        "--set",
        "scenario.duration=3h",
        "--out",
        str(tmp_path / "x.toml"),
        "--quiet",
    )
    assert result.returncode == 1
    assert "nothing to shrink" in result.stdout
    assert not (tmp_path / "x.toml").exists()


def test_unknown_invariant_exits_2() -> None:
    result = retailtwin("shrink", "steady-day", "--invariant", "no_lost_orders")
    assert result.returncode == 2
    assert "--invariant no_lost_orders: unknown invariant" in result.stderr
