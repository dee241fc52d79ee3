"""The files `run --out DIR` (and each run of `compare --out DIR`) leaves behind:
report.json for machines and `replay`, junit.xml for CI, report.html for people."""

from __future__ import annotations

from pathlib import Path

from scenarios.junit import write_junit
from scenarios.series import RunSeries
from scenarios.verdict import Verdict, write_report


def write_run_reports(
    verdict: Verdict, series: RunSeries, out_dir: Path, html: bool = True
) -> list[Path]:
    """Write report.json, junit.xml and (unless `html` is False) report.html into
    `out_dir`; returns their paths."""
    paths = [write_report(verdict, out_dir), write_junit(verdict, out_dir)]
    if html:
        from scenarios.report_html import run_page  # matplotlib only when drawing

        path = out_dir / "report.html"
        path.write_text(run_page(verdict, series), encoding="utf-8")
        paths.append(path)
    return paths
