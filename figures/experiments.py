"""The command lines behind the published figures, and running them.

An `Experiment` is one `retailtwin run`, `compare` or `shrink` command line, with its
seed (or first seed and number of seeds) and scale spelled out, printed next to the
figures it gives. It runs through the same code as the command: `sweep.plan` makes
the jobs (one per variant and seed) exactly as `compare` does, and `sweep.run_job`
runs and judges each one as `compare`'s workers do, so each run's report is the
report.json `retailtwin run` with the same arguments writes, digest included
(tests/e2e/test_compare.py checks that). Every experiment of a selection goes to one
process pool, so a set of figures costs its runs and no more. A `shrink` runs its
search in this process, through `scenarios.experiments.shrink` as the command does,
and gives the text the command prints.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from figures.keys import Report
from scenarios.experiments.pool import execute
from scenarios.experiments.sweep import Axis, Job, plan


@dataclass(frozen=True, slots=True)
class Experiment:
    """`retailtwin run SCENARIO --seed S --set ...` when nothing varies, or
    `retailtwin compare SCENARIO --set ... --vary ... --seeds N --seed S`."""

    scenario: str
    seed: int
    overrides: tuple[str, ...] = ()
    vary: tuple[Axis, ...] = ()
    seeds: int = 1
    #: `retailtwin shrink` rather than `run`
    shrink: bool = False

    def __post_init__(self) -> None:
        if not self.vary and self.seeds != 1:
            raise ValueError(f"{self.scenario}: a run without --vary has one seed")
        if self.shrink and self.vary:
            raise ValueError(f"{self.scenario}: shrink takes no --vary")

    @property
    def command(self) -> str:
        sets = [part for o in self.overrides for part in ("--set", o)]
        if self.shrink:
            words = ["retailtwin", "shrink", self.scenario, "--seed", str(self.seed), *sets]
            return shlex.join(words)
        if not self.vary:
            return shlex.join(["retailtwin", "run", self.scenario, "--seed", str(self.seed), *sets])
        varies = [part for a in self.vary for part in ("--vary", f"{a.key}={','.join(a.values)}")]
        return shlex.join(
            [
                "retailtwin",
                "compare",
                self.scenario,
                *sets,
                *varies,
                "--seeds",
                str(self.seeds),
                "--seed",
                str(self.seed),
            ]
        )


def run(scenario: str, seed: int, *overrides: str) -> Experiment:
    return Experiment(scenario, seed, tuple(overrides))


def compare(
    scenario: str, seed: int, seeds: int, vary: dict[str, Sequence[str]], *overrides: str
) -> Experiment:
    axes = tuple(Axis(key, tuple(values)) for key, values in vary.items())
    return Experiment(scenario, seed, tuple(overrides), axes, seeds)


@dataclass(slots=True)
class VariantRuns:
    """One variant of an experiment (the whole run, for `retailtwin run`): its
    overrides and each seed's report, in seed order."""

    label: str
    overrides: tuple[str, ...]
    reports: list[Report] = field(default_factory=list)


@dataclass(slots=True)
class Outcome:
    experiment: Experiment
    variants: list[VariantRuns]
    #: what a `shrink` printed
    transcript: str = ""

    def variant(self, *overrides: str) -> VariantRuns:
        """The variant made with every one of `overrides` (`hub.sync=event`; one per
        axis of a grid)."""
        for variant in self.variants:
            if all(override in variant.overrides for override in overrides):
                return variant
        raise KeyError(f"{self.experiment.command}: no variant with {', '.join(overrides)}")

    @property
    def report(self) -> Report:
        """The one run's report, for `retailtwin run`."""
        (variant,) = self.variants
        (report,) = variant.reports
        return report


@dataclass(slots=True)
class Results:
    outcomes: dict[Experiment, Outcome]

    def __getitem__(self, experiment: Experiment) -> Outcome:
        return self.outcomes[experiment]

    def report(self, experiment: Experiment) -> Report:
        return self.outcomes[experiment].report


def save(results: Results, path: Path) -> None:
    """The reports behind a set of figures, by command line, to render again later
    without rerunning (`--save-results`, `--from-results`)."""
    document = {
        experiment.command: {
            "variants": [
                {"label": v.label, "overrides": list(v.overrides), "reports": v.reports}
                for v in outcome.variants
            ],
            "transcript": outcome.transcript,
        }
        for experiment, outcome in results.outcomes.items()
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def load(path: Path, experiments: Iterable[Experiment]) -> Results:
    """Results saved by `save`; KeyError naming a command line it does not hold."""
    document = json.loads(path.read_text(encoding="utf-8"))
    outcomes = {}
    for experiment in dict.fromkeys(experiments):
        if experiment.command not in document:
            raise KeyError(f"{path} holds no results of {experiment.command}")
        saved = document[experiment.command]
        variants = [
            VariantRuns(v["label"], tuple(v["overrides"]), v["reports"]) for v in saved["variants"]
        ]
        outcomes[experiment] = Outcome(experiment, variants, saved["transcript"])
    return Results(outcomes)


def run_experiments(experiments: Iterable[Experiment], workers: int | None = None) -> Results:
    """Run every experiment once (each distinct one once, however many figures show
    it), all their runs on one pool of `workers` processes (default: one per core)."""
    unique = list(dict.fromkeys(experiments))
    planned: list[tuple[Experiment, list[VariantRuns], list[Job]]] = []
    jobs: list[Job] = []
    for experiment in unique:
        if experiment.shrink:
            continue
        found, _, own = plan(
            experiment.scenario,
            experiment.overrides,
            experiment.vary,
            experiment.seeds,
            experiment.seed,
            html=False,
        )
        renumbered = [dataclasses.replace(job, index=len(jobs) + i) for i, job in enumerate(own)]
        jobs += renumbered
        planned.append((experiment, [VariantRuns(v.label, v.overrides) for v in found], renumbered))
    results: dict[Experiment, Outcome] = {}
    # a shrink is a search in this process: it runs while the pool's workers run the
    # rest (this process only waits on them)
    with ThreadPoolExecutor(max_workers=1) as waiting:
        pooled = waiting.submit(execute, jobs, workers or os.cpu_count() or 1)
        for experiment in unique:
            if experiment.shrink:
                results[experiment] = Outcome(experiment, [], shrink_transcript(experiment))
        outcomes = pooled.result()
    by_index = {outcome.job.index: outcome for outcome in outcomes}
    for experiment, variants, own in planned:
        for job in own:
            variants[job.variant].reports.append(by_index[job.index].report)
        results[experiment] = Outcome(experiment, variants)
    return Results(results)


def shrink_transcript(experiment: Experiment) -> str:
    """What `retailtwin shrink` prints for the experiment, its progress lines included,
    writing the case to `lost.toml` in a folder thrown away afterwards."""
    from scenarios.experiments import shrink
    from scenarios.spec.loader import load_scenario

    scenario = load_scenario(experiment.scenario, experiment.overrides, experiment.seed)
    kept: list[str] = []

    def report(status: str, state: shrink.Shrunk) -> None:
        if status.startswith("kept"):  # the lines the command prints as it goes
            kept.append(f"  {status}: {state.trial.size}")

    found = shrink.shrink(scenario, report=report)
    if found is None:
        return f"nothing to shrink: {experiment.scenario} seed {experiment.seed}"
    overrides = list(experiment.overrides)
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder) / "lost.toml"
        shrink.write(found, where, experiment.scenario, scenario.seed, overrides)
    return "\n".join(
        [
            f"$ {experiment.command} --out lost.toml",
            *kept,
            shrink.describe(found, experiment.scenario, scenario.seed, overrides),
            "written to lost.toml; reproduce with:  retailtwin run lost.toml",
        ]
    )
