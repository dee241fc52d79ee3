"""`retailtwin replay DIR`: a saved run reproduces its digest; a tampered report or an
incomplete folder is refused with a clear message; a changed spec (resealed) gives a
different digest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cli_runner import retailtwin

from scenarios.reports import manifest
from scenarios.reports.integrity import seal

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

SMALL = ("--set", "scenario.scale=0.2", "--set", "scenario.duration=6h")


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    result = retailtwin("run", "steady-day", "--seed", "4", "--quiet", *SMALL, "--out", str(out))
    # a small day may miss an SLA (exit 1): replay is about the digest, not the verdict
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert (out / "report.json").is_file()
    return out


def copy_of(saved_run: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    target = tmp_path / "copy"
    shutil.copytree(saved_run, target)
    return target, json.loads((target / "report.json").read_text())


def test_replay_reproduces_the_digest(saved_run: Path) -> None:
    report = json.loads((saved_run / "report.json").read_text())
    result = retailtwin("replay", str(saved_run), "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"replayed digest {report['digest']}" in result.stdout
    assert "SAME" in result.stdout
    # the report file itself is accepted too
    assert retailtwin("replay", str(saved_run / "report.json"), "--quiet").returncode == 0


def test_tampered_report_is_refused(saved_run: Path, tmp_path: Path) -> None:
    target, report = copy_of(saved_run, tmp_path)
    report["seed"] = 5
    (target / "report.json").write_text(json.dumps(report, indent=2))
    # the folder: its manifest no longer matches
    result = retailtwin("replay", str(target), "--quiet")
    assert result.returncode == 2
    assert "report.json is not the file that was written there" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    # the file on its own: its integrity hash no longer matches
    result = retailtwin("replay", str(target / "report.json"), "--quiet")
    assert result.returncode == 2
    assert "has been modified since it was written" in result.stderr
    assert "integrity" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_changed_spec_gives_a_different_digest(saved_run: Path, tmp_path: Path) -> None:
    target, report = copy_of(saved_run, tmp_path)
    del report["integrity"]
    report["scenario_spec"]["demand"]["web_orders_per_hour"] *= 2  # edited, resealed
    (target / "report.json").write_text(json.dumps(seal(report), indent=2))
    manifest.seal(target, "run")  # and the folder too: only the digest can tell
    result = retailtwin("replay", str(target), "--quiet")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "DIFFERENT" in result.stdout
    assert "no longer gives the recorded spec" in result.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"scenario": "steady-day"}', "no integrity field"),
        (json.dumps(seal({"scenario": "steady-day", "seed": "four"})), "field 'seed'"),
    ],
    ids=["not json", "unsealed", "wrong type"],
)
def test_bad_report_exits_2(tmp_path: Path, content: str, needle: str) -> None:
    (tmp_path / "report.json").write_text(content)
    result = retailtwin("replay", str(tmp_path / "report.json"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("files", "needle"),
    [
        ((), "is empty"),
        (("report.json",), "incomplete: no manifest.json"),
        (("report.json", "junit.xml"), "incomplete: no manifest.json"),
    ],
    ids=["empty", "report alone", "no manifest"],
)
def test_an_incomplete_folder_is_refused(
    saved_run: Path, tmp_path: Path, files: tuple[str, ...], needle: str
) -> None:
    """What a writer killed before the manifest (or an older retailtwin) leaves."""
    for name in files:
        shutil.copy(saved_run / name, tmp_path / name)
    result = retailtwin("replay", str(tmp_path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr
    assert "retailtwin replay PATH/report.json" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    result = retailtwin("replay", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no such directory or file" in result.stderr
