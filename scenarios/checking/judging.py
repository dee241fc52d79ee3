"""Where the checker's judgement comes from: the hub's own objects and the simulated
systems' records (the built-in hub, run in-process), or the simulated systems' records
alone (a hub of the user's own, run as another process behind the HTTP contract).

Why a switch at all: an external hub has no `Hub` object the twin could read, so every
check and metric that compared the hub's beliefs with the truth must be put another
way, from what the backends and the channels themselves recorded of what the hub did.
The built-in hub can be judged that way too, and must pass: that is how the
ground-truth judgement is shown to be sound, and a test judges in-process runs both
ways. The run decides the mode (`judged_from`); callers may override it.
"""

from __future__ import annotations

from enum import StrEnum

from scenarios.twin.run_result import RunResult


class JudgedFrom(StrEnum):
    """What a run is judged from; report.json names it in `judged_from`."""

    #: the hub's state compared with the systems' records (the built-in hub)
    IN_PROCESS = "in_process"
    #: the systems' records alone: nothing the hub says about itself is read
    GROUND_TRUTH = "ground_truth"


def judged_from(result: RunResult) -> JudgedFrom:
    """GROUND_TRUTH for a run whose hub is an external process (the estate names it in
    `external_hub`), IN_PROCESS for the built-in hub."""
    if getattr(result.estate, "external_hub", None) is not None:
        return JudgedFrom.GROUND_TRUTH
    return JudgedFrom.IN_PROCESS


def resolve(result: RunResult, override: JudgedFrom | None) -> JudgedFrom:
    """The caller's choice when it made one, else the run's own."""
    return override if override is not None else judged_from(result)
