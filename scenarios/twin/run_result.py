"""What a finished (or running) day leaves behind: the estate with every system's own
records, the time series sampled along the way, the fault windows, and, once the run
is sealed, its fingerprint and costs.

The checker, the metrics, the reports and the read model all read this one object;
it lives apart from the runner so that they need not import the machinery that built it.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from enum import StrEnum

from scenarios.spec.scenario import Scenario
from scenarios.twin.estate import Estate
from scenarios.twin.sampled_series import SampledSeries


def _doubles() -> array[float]:
    return array("d")


@dataclass(slots=True)
class Samples:
    """Time series sampled once a simulated minute, for metrics and charts.

    Kept as machine numbers, not lists of float objects (32 bytes a value): a run
    samples a few dozen gauges every minute of its day and drain, and nothing reads
    them before the day ends. The times as doubles; each gauge's values in the narrowest
    integers that hold them (`SampledSeries`: a gauge is a count, most of them small),
    read as a sequence of floats all the same."""

    t: array[float] = field(default_factory=_doubles)
    series: dict[str, SampledSeries] = field(default_factory=dict)

    def add(self, at: float, values: dict[str, float]) -> None:
        self.t.append(at)
        series = self.series
        for name, value in values.items():
            held = series.get(name)
            if held is None:
                series[name] = held = SampledSeries()
            held.append(value)


class RunClock(StrEnum):
    """What time the run was stepped by, and so whether its digest can repeat."""

    #: simulated time only (as fast as the CPU allows, or paced by a live server whose
    #: inputs are logged): the same scenario and seed give the same digest
    SIMULATED = "simulated"
    #: against the wall clock, with an external hub whose timing is its own: the
    #: digest records what happened and is not expected to repeat
    WALL = "wall"


@dataclass(slots=True)
class RunSeal:
    """A finished run's fingerprint and what it cost, set by `runtime.finish`."""

    #: hash over the scenario as run, every message delivery and the end state
    digest: str
    deliveries: int
    sim_events: int
    #: CPU time spent inside the hub's own code (the thread's, so time the process spent
    #: preempted by other work on the machine is not the hub's), and how many calls; an
    #: estimate: every timer and `run` call timed, one message or answer in
    #: `hub_driver.METER_EVERY`, scaled up to all of them (scenarios/twin/hub_driver.py)
    hub_cpu_seconds: float
    hub_calls: int
    #: wall time of the whole batch run (0 for a live run, which is paced)
    wall_seconds: float = 0.0
    #: peak traced memory, when the run was asked to measure it (0 otherwise)
    peak_memory_bytes: int = 0
    #: simulated time the run ended at: what items still unfinished are censored at
    ended_at: float = 0.0
    clock: RunClock = RunClock.SIMULATED
    #: wall seconds a run against the wall clock slipped because the twin could not
    #: keep its pace (`scenarios.twin.external.pace`); 0 for a simulated run
    slipped_wall_s: float = 0.0


class RunNotFinished(RuntimeError):
    """A sealed fact (the digest, the costs) asked of a run still going on."""


@dataclass(slots=True)
class RunResult:
    scenario: Scenario
    estate: Estate
    samples: Samples = field(default_factory=Samples)
    #: (start, end, label) of every fault window, appended as each one ends
    fault_log: list[tuple[float, float, str]] = field(default_factory=list)
    #: simulated time the estate settled after the drain (-1: it never did, or not yet)
    settled_at: float = -1.0
    #: the digest and costs once `runtime.finish` sealed the run; None while it runs
    sealed: RunSeal | None = None

    @property
    def seal(self) -> RunSeal:
        """The digest and costs of a finished run; `RunNotFinished` while it runs (a
        live day), so nobody reads an empty digest as a real one."""
        if self.sealed is None:
            raise RunNotFinished("the run has not finished: it has no digest or costs yet")
        return self.sealed
