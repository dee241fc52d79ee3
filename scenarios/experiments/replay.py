"""`retailtwin replay DIR`: rerun a saved run and confirm it is the same run.

A run is a pure function of (scenario, seed, code), so rerunning the recorded scenario
must deliver the same messages at the same simulated times and end in the same state:
the same digest. A different digest means the code changed behaviour (or the report was
edited and resealed), which is exactly what a reviewer wants to know.

The scenario is rebuilt from report.json's `scenario_spec`, every field as it ran, not
from the named file, which may have changed since; if it has, replay says so. A
directory is taken only when it is complete as written (its manifest.json, see
`scenarios.reports.finished_folder`); a report.json given as a file is checked by its
own integrity hash.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.reports import integrity
from scenarios.reports.finished_folder import complete_run_folder
from scenarios.spec import round_trip
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import Scenario
from scenarios.twin.run_result import RunClock
from scenarios.twin.runtime import run
from scenarios.types import Progress

_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "scenario": str,
    "seed": int,
    "overrides": list,
    "digest": str,
    "passed": bool,
    "scenario_spec": dict,
}


@dataclass(frozen=True, slots=True)
class Replayed:
    report_path: Path
    recorded_digest: str
    digest: str
    recorded_passed: bool
    #: a note when the named scenario file no longer gives the recorded spec
    drift: str = ""

    @property
    def same(self) -> bool:
        return self.digest == self.recorded_digest


def report_path(directory: Path) -> Path:
    """DIR/report.json once DIR is a complete run folder (its manifest there and every
    file as written), or the report file itself when given one."""
    if directory.is_dir():
        complete_run_folder(directory, f"replay: {directory}")
        return directory / "report.json"
    if not directory.is_file():
        raise ScenarioError(
            f"replay: no such directory or file: {directory}; expected a directory written "
            "by `retailtwin run --out DIR` (or one of `compare --out`'s runs/*/seed-N)",
            field="DIR",
        )
    return directory


def load_report(directory: Path) -> tuple[Path, dict[str, Any]]:
    """report.json, parsed, integrity-checked and with every field replay needs."""
    path = report_path(directory)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            field="report.json",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read: {exc}", field="report.json") from None
    if not isinstance(report, dict):
        raise ScenarioError(f"{path}: expected a JSON object", field="report.json")
    integrity.verify(report, str(path))
    for name, kind in _REQUIRED.items():
        value = report.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = kind.__name__ if isinstance(kind, type) else "a value"
            raise ScenarioError(
                f"{path}: field {name!r}: expected {expected}, got {json.dumps(value)[:60]}",
                field=name,
            )
    _refuse_wall_clock(path, report)
    return path, report


def _refuse_wall_clock(path: Path, report: dict[str, Any]) -> None:
    """A run against an external hub ran on the wall clock: its digest records what
    happened and was never meant to repeat, so comparing one would say nothing."""
    performance = report.get("performance")
    clock = performance.get("clock") if isinstance(performance, dict) else None
    if clock == RunClock.WALL:
        raise ScenarioError(
            f"{path}: a wall-clock run against an external hub: its digest is not "
            f"expected to repeat, so there is nothing to replay; run it again with: "
            f"{report['replay']}",
            field="report.json",
        )


def recorded_scenario(path: Path, report: dict[str, Any]) -> Scenario:
    scenario = round_trip.from_spec(report["scenario_spec"], f"{path}: scenario_spec")
    if scenario.seed != report["seed"]:
        raise ScenarioError(
            f"{path}: seed {report['seed']} disagrees with scenario_spec.seed {scenario.seed}",
            field="seed",
        )
    return scenario


def _drift(report: dict[str, Any], scenario: Scenario) -> str:
    try:
        named = load_scenario(report["scenario"], report["overrides"], report["seed"])
    except ScenarioError as exc:
        return f"note: {report['scenario']} no longer loads ({exc}); replaying the recorded spec"
    if named != scenario:
        return (
            f"note: {report['scenario']} with these overrides no longer gives the "
            "recorded spec (the file changed since the run); replaying the recorded spec"
        )
    return ""


def replay(directory: Path, progress: Progress | None = None) -> Replayed:
    path, report = load_report(directory)
    return replay_report(path, report, progress)


def replay_report(path: Path, report: dict[str, Any], progress: Progress | None = None) -> Replayed:
    scenario = recorded_scenario(path, report)
    drift = _drift(report, scenario)
    result = run(scenario, progress)
    return Replayed(path, report["digest"], result.seal.digest, report["passed"], drift)
