"""A finished run judged: invariants from the checker, SLAs from the metrics, and the
report that CI, `replay` and people read.

`report.json` is the contract: `scenario`, `seed`, `overrides`, `digest`, `passed`,
`judged_from` (`in_process`, or `ground_truth` for a hub judged from the systems'
records alone), `invariants` [{name, passed, detail}], `sla` [{name, value, threshold,
bound, passed}, with `outcome` and `why` on a threshold that was not measurable],
`metrics`, `replay` (the exact command that reproduces the run), `scenario_spec` (every
field of the scenario as run) and `integrity` (a hash over all the rest; see
`scenarios.reports.integrity`).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scenarios.checking import invariants, metrics
from scenarios.checking.invariants import CheckResult
from scenarios.checking.judging import JudgedFrom, resolve
from scenarios.checking.metrics import SlaOutcome, SlaResult
from scenarios.checking.observations import Walked
from scenarios.checking.truth import Truth, gather
from scenarios.spec.loader import scenario_to_dict
from scenarios.spec.own_name import own_name
from scenarios.twin.gc_tuning import collector_tuned_for_simulation
from scenarios.twin.run_result import RunResult


@dataclass(slots=True)
class Verdict:
    scenario: str
    seed: int
    overrides: list[str]
    digest: str
    invariants: list[CheckResult]
    sla: list[SlaResult]
    metrics: dict[str, Any]
    performance: dict[str, Any] = field(default_factory=dict)
    scenario_data: dict[str, Any] = field(default_factory=dict)
    judged_from: JudgedFrom = JudgedFrom.IN_PROCESS
    #: options the run needs besides scenario, seed and overrides (`--hub URL`)
    replay_args: list[str] = field(default_factory=list)

    @property
    def scenario_name(self) -> str:
        """The name the scenario gives itself (`[scenario] name`), which titles its
        reports; `scenario` is how it was asked for (a shipped name or a file's path), which
        the replay command needs."""
        return own_name(self.scenario_data, self.scenario)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.invariants) and all(s.passed for s in self.sla)

    def replay_command(self) -> str:
        words = ["retailtwin", "run", self.scenario, "--seed", str(self.seed)]
        for override in self.overrides:
            words += ["--set", override]
        return shlex.join(words + self.replay_args)

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "overrides": self.overrides,
            "digest": self.digest,
            "passed": self.passed,
            "judged_from": self.judged_from,
            "invariants": invariant_rows(self.invariants),
            "sla": sla_rows(self.sla),
            "metrics": self.metrics,
            "performance": self.performance,
            "replay": self.replay_command(),
            "scenario_spec": self.scenario_data,
        }


def invariant_rows(checks: Sequence[CheckResult]) -> list[dict[str, Any]]:
    """Checks as report.json and the operations view show them."""
    return [
        {"name": c.name, "passed": c.passed, "detail": c.detail, "violations": c.violations}
        for c in checks
    ]


def sla_rows(results: Sequence[SlaResult]) -> list[dict[str, Any]]:
    """SLA results as report.json and the operations view show them. A threshold that
    could not be measured says so (`outcome`, `why`), so its `passed` (it does not fail
    the run) is never read as met."""
    return [_sla_row(s) for s in results]


def _sla_row(s: SlaResult) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": s.name,
        "value": s.value,
        "threshold": s.threshold,
        "bound": s.bound,
        "passed": s.passed,
        "at_least": s.at_least,
        "unit": s.unit,
    }
    if s.outcome == SlaOutcome.NOT_MEASURABLE:
        row["outcome"] = s.outcome
        row["why"] = s.not_measurable
    return row


def judge(
    result: RunResult,
    scenario_ref: str,
    overrides: Sequence[str],
    truth: Truth | None = None,
    *,
    judged_from: JudgedFrom | None = None,
    walked: Walked | None = None,
) -> Verdict:
    """Check a finished run against ground truth and its scenario's thresholds. Pass
    `truth` when the caller gathered it already (the charts read it too), and `walked`
    when its latencies were tallied already (`observations.walk`). The run says
    whether its hub can be looked inside (`judging.judged_from`); `judged_from`
    overrides that, so a built-in hub can be judged as an external one would be."""
    mode = resolve(result, judged_from)
    with collector_tuned_for_simulation():  # the run's millions of objects, walked again
        truth = truth if truth is not None else gather(result)
        checks = invariants.check(result, truth, judged_from=mode)
        measured = metrics.compute(result, truth, judged_from=mode, walked=walked)
    sla = metrics.evaluate(result.scenario.sla, measured, judged_from=mode)
    performance = {
        "wall_seconds": round(result.seal.wall_seconds, 3),
        "simulated_events": result.seal.sim_events,
        "message_deliveries": result.seal.deliveries,
        "hub_calls": result.seal.hub_calls,
        "hub_cpu_seconds": round(result.seal.hub_cpu_seconds, 3),
        "clock": result.seal.clock.value,
        "wall_clock_slipped_s": round(result.seal.slipped_wall_s, 3),
    }
    return Verdict(
        scenario_ref,
        result.scenario.seed,
        list(overrides),
        result.seal.digest,
        checks,
        sla,
        measured,
        performance,
        scenario_to_dict(result.scenario),
        mode,
    )
