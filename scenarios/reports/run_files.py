"""The files `run --out DIR` (and each run of `compare --out DIR`) leaves behind:
report.json for machines and `replay`, junit.xml for CI, report.html for people; and
`write_run_folder`, every file of `run --out DIR` with the read model and metrics.prom."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from scenarios.checking.observations import Walked
from scenarios.checking.truth import Truth
from scenarios.checking.verdict import Verdict
from scenarios.reports import integrity
from scenarios.reports.junit import write_junit
from scenarios.reports.metrics_file import metrics_text, write_metrics_file
from scenarios.reports.out_folder import hold
from scenarios.reports.series import RunSeries, extract
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.run_result import RunResult

if TYPE_CHECKING:
    # types only: the read model's modules bring its database layer, imported only where
    # the read model is written in this process (`write_run_folder` without a writer)
    from scenarios.reports.page_process import PageDrawer
    from scenarios.reports.read_model_process import ReadModelWriter
    from scenarios.twin.projection.projector import Projector
    from scenarios.twin.timeline import TimelineRecorder


def write_run_folder(
    result: RunResult,
    verdict: Verdict,
    truth: Truth,
    observer: TimelineRecorder | None,
    staging: Path,
    projector_type: type[Projector] | None = None,
    drawer: PageDrawer | None = None,
    writer: ReadModelWriter | None = None,
    walked: Walked | None = None,
) -> None:
    """Write the files of `run --out DIR` into STAGING (the claimed folder's staging
    folder, sealed and published by the caller): the reports, metrics.prom, then the
    read model. The metrics are made once: the read model carries metrics.prom's text
    for the API's /metrics. With a `drawer` (`page_process.drawing_process`),
    report.html is drawn (in this process unless a forked drawer was asked for, its
    charts then started already by `charts_first`) and written before the read model
    is waited for: the forked writer is still projecting then. With a
    `writer` (`read_model_process.writing_process`, started when the run ended), the
    read model is finished there; without one it is written here, whole, by
    `projector_type` (the hub's own aggregates when None). `walked`: the latencies
    the verdict tallied (`observations.walk`, kept by `charts_first`), which the
    series and metrics.prom read instead of walking them again.

    Written under the run's collector settings (`gc_tuning`): the finished run's
    objects are all still alive, and under the default thresholds the collector walked
    them some 500 times while these files were made, about a quarter of their CPU time
    (steady-day, measured)."""
    with collector_tuned_for_simulation():
        if drawer is None:
            write_run_reports(verdict, extract(result, truth, verdict.scenario, walked), staging)
        else:
            if not drawer.series_sent:
                drawer.send_series(extract(result, truth, verdict.scenario, walked))
            drawer.send_verdict(verdict)
            write_report(verdict, staging)
            write_junit(verdict, staging)
        metrics = metrics_text(result, truth, verdict, walked)
        write_metrics_file(result, truth, staging, metrics)
        if drawer is not None:  # while the forked writer projects
            write_page(drawer.page(), staging)
        hold("reports", staging)
        if writer is None:
            from scenarios.reports.read_model import write_read_model  # the projection

            write_read_model(result, verdict, observer, staging, truth, projector_type, metrics)
        else:
            writer.finish(verdict, metrics)


class FirstLook:
    """What `run --out` does with the run's truth and its latencies, walked once
    (`observations.walk`), as soon as they are gathered, before the run is judged
    (`run_output.judge_and_print`'s `gathered`): extract the series and send it to the
    drawer, which draws the charts meanwhile (`write_run_folder` sends the verdict),
    and keep the walk, which `write_run_folder` hands to metrics.prom."""

    def __init__(self, drawer: PageDrawer, result: RunResult, scenario_ref: str) -> None:
        self._drawer = drawer
        self._result = result
        self._scenario_ref = scenario_ref
        self.walked: Walked | None = None

    def __call__(self, truth: Truth, walked: Walked) -> None:
        self.walked = walked
        self._drawer.send_series(extract(self._result, truth, self._scenario_ref, walked))


def charts_first(drawer: PageDrawer, result: RunResult, scenario_ref: str) -> FirstLook:
    """The `FirstLook` of a finished run; `scenario_ref`: the scenario as the verdict
    will name it."""
    return FirstLook(drawer, result, scenario_ref)


def write_run_reports(
    verdict: Verdict, series: RunSeries, out_dir: Path, html: bool = True
) -> list[Path]:
    """Write report.json, junit.xml and (unless `html` is False) report.html into
    `out_dir`, a folder that exists (an output folder's staging folder, see
    `scenarios.reports.out_folder`); returns their paths."""
    paths = [write_report(verdict, out_dir), write_junit(verdict, out_dir)]
    if html:
        from scenarios.reports.run_page import run_page  # the charts only when drawing

        paths.append(write_page(run_page(verdict, series), out_dir))
    return paths


def write_page(page: str, out_dir: Path) -> Path:
    """report.html, its HTML drawn already (`run_page.run_page`)."""
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def write_report(verdict: Verdict, out_dir: Path) -> Path:
    """report.json, sealed with its integrity hash (`scenarios.reports.integrity`)."""
    path = out_dir / "report.json"
    report = integrity.seal(verdict.to_json())
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")
    return path
