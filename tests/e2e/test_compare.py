"""`retailtwin compare` end to end: the README's two comparisons reproduce at reduced
scale over five seeds (read from compare.json, as an architect's script would), the
files it writes, pool runs equal to plain runs, and bad input."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cli_runner import retailtwin

from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: simulated time only: run with the unit tier, beside the head-started wall-clock runs
#: (tests/head_start.py), not after them
COMPUTES_ONLY = True
SEEDS = "5"


@cache
def compare_json(out: Path, *args: str) -> dict[str, Any]:
    result = retailtwin(
        "compare",
        *args,
        "--seeds",
        SEEDS,
        "--jobs",
        "2",
        "--quiet",
        "--no-run-html",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads((out / "compare.json").read_text())
    return data


def per_seed(comparison: dict[str, Any], metric: str) -> dict[str, dict[int, Any]]:
    return {
        v["label"]: {r["seed"]: r["metrics"][metric] for r in v["runs"]}
        for v in comparison["variants"]
    }


@pytest.fixture(scope="module")
def black_friday(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # scale 0.05: ~5,800 channel orders a run; the full-size figures are in docs/reports.md
    return compare_json(
        tmp_path_factory.mktemp("bf"),
        "black-friday",
        "--set",
        "scenario.scale=0.05",
        "--vary",
        "hub.sync=event,batch:15m",
    )


@pytest.fixture(scope="module")
def erp_outage(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return compare_json(
        tmp_path_factory.mktemp("eo"),
        "erp-outage",
        "--set",
        "scenario.scale=0.1",
        "--vary",
        "hub.erp_buffer=true,false",
    )


def test_event_sync_oversells_less_and_lags_less_than_batch_on_every_seed(
    black_friday: dict[str, Any],
) -> None:
    oversold = per_seed(black_friday, "oversold_units")
    lag = per_seed(black_friday, "sync_lag_p95_s")
    event, batch = "hub.sync=event", "hub.sync=batch:15m"
    assert len(oversold[event]) == 5
    for seed in oversold[event]:
        assert oversold[event][seed] < oversold[batch][seed], (seed, oversold)
        assert lag[event][seed] < 60 < 15 * 60 - 1 < lag[batch][seed], (seed, lag)
    means = {v["label"]: v["summary"]["oversold_units"]["mean"] for v in black_friday["variants"]}
    assert means[batch] >= 2 * means[event], means


def test_erp_write_buffering_loses_nothing_and_drains_in_measured_time(
    erp_outage: dict[str, Any],
) -> None:
    buffered = next(v for v in erp_outage["variants"] if v["label"] == "hub.erp_buffer=true")
    assert len(buffered["runs"]) == 5
    for run_row in buffered["runs"]:
        assert run_row["metrics"]["lost_orders"] == 0
        assert run_row["metrics"]["dead_lettered_total"] == 0
        drain = run_row["metrics"]["dead_letter_drain_s"]
        assert drain is not None and 0 < drain <= 30 * 60, run_row
    summary = buffered["summary"]["dead_letter_drain_s"]
    assert summary["missing"] == 0 and summary["mean"] > 0
    unbuffered = next(v for v in erp_outage["variants"] if v["label"] != buffered["label"])
    # the finding: without the buffer, writes pile into the dead-letter queue instead
    assert unbuffered["summary"]["dead_lettered_total"]["min"] > 0


def test_compare_writes_its_tables_and_every_runs_reports(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = retailtwin(
        "compare",
        "steady-day",
        "--set",
        "scenario.scale=0.1",
        "--set",
        "scenario.duration=4h",
        "--vary",
        "hub.sync=event,batch:5m",
        "--seeds",
        "2",
        "--jobs",
        "2",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hub.sync=batch:5m" in result.stdout and "oversold units" in result.stdout
    for name in ("compare.json", "compare.csv", "runs.csv", "report.html"):
        assert (out / name).is_file(), name
    comparison = json.loads((out / "compare.json").read_text())
    assert comparison["seeds"] == [1, 2] and comparison["jobs"] == 2
    assert [a["key"] for a in comparison["axes"]] == ["hub.sync"]
    run_dirs = sorted(out.glob("runs/*/seed-*"))
    assert len(run_dirs) == 4
    for run_dir in run_dirs:
        for name in ("report.json", "junit.xml", "report.html"):
            assert (run_dir / name).is_file(), run_dir / name
    html = (out / "report.html").read_text()
    assert html.count("<svg") >= 2 and 'href="runs/' in html
    assert comparison["scenario_name"] == "steady-day"
    assert "<title>steady-day compared: retailtwin</title>" in html
    # a run in a pool worker is the same run as `retailtwin run` in this process
    row = comparison["variants"][1]["runs"][1]
    direct = run(
        load_scenario(
            "steady-day", ("scenario.scale=0.1", "scenario.duration=4h", "hub.sync=batch:5m"), 2
        )
    )
    assert row["digest"] == direct.seal.digest
    replayed = retailtwin("replay", str(out / row["dir"]), "--quiet")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "SAME" in replayed.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--vary", "hub.syncc=event,batch"), "--vary hub.syncc: no such key"),
        (("--vary", "hub.sync=event,,batch"), "--vary hub.sync: value 2 of 3 is empty"),
        (("--vary", "hub.sync=event,hourly"), "--vary hub.sync: expected"),
        (("--vary", "hub.erp_buffer"), "expected KEY=V1,V2"),
        (("--vary", "hub.sync=event", "--jobs", "0"), "--jobs: expected a positive integer"),
        (("--vary", "hub.sync=event", "--seeds", "many"), "--seeds: expected a positive"),
        ((), "--vary"),
    ],
    ids=["unknown key", "empty value", "bad value", "no values", "jobs 0", "seeds", "no vary"],
)
def test_bad_compare_input_exits_2_naming_the_field(args: tuple[str, ...], needle: str) -> None:
    result = retailtwin("compare", "steady-day", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
