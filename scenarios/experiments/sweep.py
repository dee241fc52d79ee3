"""Sweeps: the same scenario over several hub designs and seeds, as independent jobs.

An architect's question ("what does event-driven sync buy us over 15-minute batch
feeds?") is answered by running each design over several seeds, because one seed is
an anecdote. The runs are independent and CPU-bound, so they go to a process pool
(scenarios/experiments/pool.py) or a Dask cluster (scenarios/experiments/cluster.py).

A job carries only names and strings (scenario reference, overrides, seed, output
directory); the worker loads the scenario itself, so the same job runs identically in
a spawned process, a forked one, on another machine or inline, and its digest equals
that of `retailtwin run` with the same arguments.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from scenarios.reports.series import RunSeries
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.types import Progress

__all__ = [
    "Axis",
    "Job",
    "JobOutcome",
    "Variant",
    "make_run_folders",
    "parse_vary",
    "plan",
    "run_job",
]


@dataclass(frozen=True, slots=True)
class Axis:
    """One `--vary KEY=V1,V2`: a scenario field and the values to try."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Variant:
    label: str
    #: the `--set` overrides that make this variant (one per axis)
    overrides: tuple[str, ...]
    #: short, file-system-safe name for its output directory
    slug: str


@dataclass(frozen=True, slots=True)
class Job:
    index: int
    variant: int
    scenario: str
    overrides: tuple[str, ...]
    seed: int
    #: where the worker writes this run's report.json, junit.xml, report.html and
    #: metrics.prom
    out_dir: str | None = None
    html: bool = True


@dataclass(slots=True)
class JobOutcome:
    job: Job
    #: the run's report.json content (`Verdict.to_json`)
    report: dict[str, Any]
    series: RunSeries
    wall_seconds: float


class ProgressSink(Protocol):
    def advanced(self, job: int, now: float, end: float) -> None: ...

    def finished(self, outcome: JobOutcome) -> None: ...


def split_values(text: str) -> list[str]:
    """Split on commas that are not inside brackets or quotes, so a list value such as
    ``["stale_feed","drop_erp_orders"]`` stays one value."""
    values: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            values.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    values.append("".join(current).strip())
    return values


def parse_vary(text: str) -> Axis:
    key, equals, rest = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise ScenarioError(
            f"--vary {text}: expected KEY=V1,V2,... with KEY a dotted path into the "
            'scenario file, e.g. "hub.sync=event,batch:15m"',
            field="--vary",
        )
    values = split_values(rest)
    for position, value in enumerate(values, start=1):
        if not value:
            raise ScenarioError(
                f"--vary {key}: value {position} of {len(values)} is empty; expected "
                "comma-separated values, e.g. hub.erp_buffer=true,false",
                field=key,
            )
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ScenarioError(f"--vary {key}: value {value!r} is listed twice", field=key)
        seen.add(value)
    return Axis(key, tuple(values))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:60] or "variant"


def variants(axes: Sequence[Axis]) -> list[Variant]:
    """Every combination of the axes' values (the first axis varies slowest)."""
    found = []
    for number, combo in enumerate(itertools.product(*(axis.values for axis in axes)), start=1):
        overrides = tuple(f"{axis.key}={value}" for axis, value in zip(axes, combo, strict=True))
        label = ", ".join(overrides) or "as written"
        found.append(Variant(label, overrides, f"v{number}-{_slug('_'.join(overrides))}"))
    return found


def _set_keys(overrides: Sequence[str]) -> set[str]:
    return {o.partition("=")[0].strip() for o in overrides}


def check_axes(scenario: str, base: Sequence[str], axes: Sequence[Axis]) -> int:
    """Load the scenario once with the base overrides and once per axis value, so a bad
    key or value fails before any run starts, with a message naming the `--vary`.
    Returns the scenario's own seed."""
    loaded = load_scenario(scenario, base)
    keys = _set_keys(base)
    varied: set[str] = set()
    for axis in axes:
        if axis.key == "scenario.seed":
            raise ScenarioError(
                "--vary scenario.seed: every variant already runs over --seeds N "
                "consecutive seeds (from --seed S); vary a design field instead",
                field=axis.key,
            )
        if axis.key in varied:
            raise ScenarioError(
                f"--vary {axis.key}: given twice; list every value in one --vary", field=axis.key
            )
        if axis.key in keys:
            raise ScenarioError(
                f"--vary {axis.key}: also given with --set; vary a field or set it, not both",
                field=axis.key,
            )
        varied.add(axis.key)
        for value in axis.values:
            try:
                load_scenario(scenario, [*base, f"{axis.key}={value}"])
            except ScenarioError as exc:
                message = str(exc)
                if message.startswith("--set "):
                    message = "--vary " + message[len("--set ") :]
                raise ScenarioError(message, field=exc.field) from None
    return loaded.seed


def plan(
    scenario: str,
    base: Sequence[str],
    axes: Sequence[Axis],
    seeds: int,
    first_seed: int | None = None,
    out_dir: Path | None = None,
    html: bool = True,
) -> tuple[list[Variant], list[int], list[Job]]:
    """The variants, the seeds and one job per (variant, seed), validated."""
    own_seed = check_axes(scenario, base, axes)
    start = own_seed if first_seed is None else first_seed
    seed_list = [start + i for i in range(seeds)]
    found = variants(axes)
    jobs: list[Job] = []
    for v, variant in enumerate(found):
        for seed in seed_list:
            where = (
                None if out_dir is None else str(out_dir / "runs" / variant.slug / f"seed-{seed}")
            )
            jobs.append(Job(len(jobs), v, scenario, (*base, *variant.overrides), seed, where, html))
    return found, seed_list, jobs


def make_run_folders(jobs: Sequence[Job]) -> None:
    """Create each job's output folder, in the comparison's staging folder.

    The parent makes them, never a worker: a worker orphaned by a parent killed with
    -9 may still finish its job, and must then fail to write rather than create again
    a staging folder that the next writer has already removed."""
    for job in jobs:
        if job.out_dir is not None:
            Path(job.out_dir).mkdir(parents=True)


def run_job(job: Job, progress: Progress | None = None) -> JobOutcome:
    """Load, run and judge one job; write its reports, sealed with their own manifest
    (so `replay` takes the run's folder alone), if it has an output folder."""
    from scenarios.checking.truth import gather
    from scenarios.checking.verdict import judge
    from scenarios.reports import manifest
    from scenarios.reports.metrics_file import write_metrics_file
    from scenarios.reports.run_files import write_run_reports
    from scenarios.reports.series import extract
    from scenarios.twin.runtime import run

    started = time.perf_counter()
    scenario = load_scenario(job.scenario, job.overrides, job.seed)
    result = run(scenario, progress)
    truth = gather(result)
    verdict = judge(result, job.scenario, job.overrides, truth)
    series = extract(result, truth, job.scenario)
    if job.out_dir is not None:
        write_run_reports(verdict, series, Path(job.out_dir), html=job.html)
        write_metrics_file(result, truth, Path(job.out_dir))
        manifest.seal(Path(job.out_dir), "run")
    return JobOutcome(job, verdict.to_json(), series, time.perf_counter() - started)
