"""The files `run --out DIR` (and each run of `compare --out DIR`) leaves behind:
report.json for machines and `replay`, junit.xml for CI, report.html for people."""

from __future__ import annotations

import json
from pathlib import Path

from scenarios.checking.verdict import Verdict
from scenarios.reports import integrity
from scenarios.reports.junit import write_junit
from scenarios.reports.series import RunSeries


def write_run_reports(
    verdict: Verdict, series: RunSeries, out_dir: Path, html: bool = True
) -> list[Path]:
    """Write report.json, junit.xml and (unless `html` is False) report.html into
    `out_dir`, a folder that exists (an output folder's staging folder, see
    `scenarios.reports.out_folder`); returns their paths."""
    paths = [write_report(verdict, out_dir), write_junit(verdict, out_dir)]
    if html:
        from scenarios.reports.run_page import run_page  # matplotlib only when drawing

        path = out_dir / "report.html"
        path.write_text(run_page(verdict, series), encoding="utf-8")
        paths.append(path)
    return paths


def write_report(verdict: Verdict, out_dir: Path) -> Path:
    """report.json, sealed with its integrity hash (`scenarios.reports.integrity`)."""
    path = out_dir / "report.json"
    report = integrity.seal(verdict.to_json())
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")
    return path
