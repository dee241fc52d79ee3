"""`retailtwin shrink`: turn a failing peak-load run into a small reproducible test.

A broken invariant found on a day of 100,000 orders is hard to debug; the same break on
an hour of 30 orders is a unit test. Like a property-based tester's shrinker, this
greedily tries smaller versions of the scenario (half the duration, half the world and
demand, one channel or one fault or one peak fewer, no returns, ...), keeps each one
that still breaks the same invariant, and repeats until a whole round of reductions
finds nothing smaller that fails. A candidate is kept only if it breaks the target
invariant and no invariant the original did not break, so the search cannot wander off
to a different bug (a shortened day that leaves queues undrained, say).

Size is measured in simulated events (what the SimPy environment processed, which is
what a run costs) and reported with channel orders too. The result is written as a
scenario file, loaded back and run once more to prove it round-trips to the same run.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenarios.checking.invariants import Invariant, check
from scenarios.checking.truth import gather
from scenarios.spec import round_trip
from scenarios.spec.loader import load_scenario, scaled
from scenarios.spec.scenario import Scenario
from scenarios.twin.runtime import run

#: the smallest sizes a reduction goes down to
MIN_DURATION_S = 900.0
MIN_SKUS, MIN_STORES, MIN_CUSTOMERS = 5, 1, 10
CHANNEL_RATES = (
    "web_orders_per_hour",
    "marketplace_orders_per_hour",
    "click_collect_orders_per_hour",
    "store_sales_per_hour",
)


@dataclass(frozen=True, slots=True)
class Size:
    simulated_events: int
    channel_orders: int

    def __str__(self) -> str:
        return f"{self.simulated_events:,} simulated events, {self.channel_orders:,} channel orders"


@dataclass(frozen=True, slots=True)
class Trial:
    """One run of a candidate: the invariants it broke and how big it was."""

    failed: frozenset[str]
    size: Size
    digest: str


@dataclass(slots=True)
class Shrunk:
    invariant: str
    original: Scenario
    original_trial: Trial
    scenario: Scenario
    trial: Trial
    runs: int
    steps: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.original_trial.size.simulated_events / max(1, self.trial.size.simulated_events)


def trial(scenario: Scenario) -> Trial:
    result = run(scenario)
    failed = frozenset(c.name for c in check(result, gather(result)) if not c.passed)
    return Trial(
        failed,
        Size(
            result.seal.sim_events,
            len(result.estate.storefront.orders)
            + sum(len(m.orders) for m in result.estate.marketplaces),
        ),
        result.seal.digest,
    )


# ----------------------------------------------------------------------------- reductions

Reduction = Callable[[Scenario], Scenario | None]


def _halve_duration(s: Scenario) -> Scenario | None:
    if s.duration_s <= MIN_DURATION_S:
        return None
    end = max(MIN_DURATION_S, round(s.duration_s / 2 / 60) * 60.0)
    d = s.demand
    peaks = tuple(
        dataclasses.replace(p, end_s=min(p.end_s, end)) for p in d.peaks if p.start_s < end
    )
    sales = tuple(
        dataclasses.replace(f, end_s=min(f.end_s, end)) for f in d.flash_sales if f.start_s < end
    )
    faults = tuple(f for f in s.faults if f.start_s < end)
    cutovers = tuple(c for c in s.cutovers if c.at_s < end + s.drain_s)
    return dataclasses.replace(
        s,
        duration_s=end,
        faults=faults,
        cutovers=cutovers,
        demand=dataclasses.replace(d, peaks=peaks, flash_sales=sales),
    )


def _scale_all(s: Scenario) -> Scenario | None:
    smaller = dataclasses.replace(scaled(dataclasses.replace(s, scale=0.5)), scale=1.0)
    return None if smaller == dataclasses.replace(s, scale=1.0) else smaller


def _world(name: str, floor: int, step: Callable[[int], int]) -> Reduction:
    def reduce(s: Scenario) -> Scenario | None:
        now = getattr(s.world, name)
        new = max(floor, step(now))
        if new >= now:
            return None
        sizes: dict[str, Any] = {name: new}
        world = dataclasses.replace(s.world, **sizes)
        sales = tuple(
            dataclasses.replace(f, hot_skus=min(f.hot_skus, world.skus))
            for f in s.demand.flash_sales
        )
        return dataclasses.replace(
            s, world=world, demand=dataclasses.replace(s.demand, flash_sales=sales)
        )

    return reduce


def _drop_channel(rate: str) -> Reduction:
    def reduce(s: Scenario) -> Scenario | None:
        if getattr(s.demand, rate) == 0:
            return None
        rates: dict[str, Any] = {rate: 0.0}
        return dataclasses.replace(s, demand=dataclasses.replace(s.demand, **rates))

    return reduce


def _halve_rate(rate: str) -> Reduction:
    def reduce(s: Scenario) -> Scenario | None:
        now = getattr(s.demand, rate)
        if now == 0:
            return None
        rates: dict[str, Any] = {rate: now / 2}
        return dataclasses.replace(s, demand=dataclasses.replace(s.demand, **rates))

    return reduce


def _halve_own_marketplace_demand(s: Scenario) -> Scenario | None:
    """Half the orders of each named marketplace with demand of its own (`orders_per_hour`):
    `demand.marketplace_orders_per_hour` reaches only those with a `share_pct`, and an
    entry must keep one of the two above 0, so this halves rather than drops."""
    named = s.backends.marketplaces
    if not any(entry.orders_per_hour > 0 for entry in named):
        return None
    halved = tuple(
        dataclasses.replace(entry, orders_per_hour=entry.orders_per_hour / 2)
        if entry.orders_per_hour > 0
        else entry
        for entry in named
    )
    return dataclasses.replace(s, backends=dataclasses.replace(s.backends, marketplaces=halved))


def _without(kind: str, index: int) -> Reduction:
    def reduce(s: Scenario) -> Scenario | None:
        if kind == "faults":
            items = s.faults
            return (
                None
                if index >= len(items)
                else dataclasses.replace(s, faults=items[:index] + items[index + 1 :])
            )
        items = getattr(s.demand, kind)
        if index >= len(items):
            return None
        fewer: dict[str, Any] = {kind: items[:index] + items[index + 1 :]}
        return dataclasses.replace(s, demand=dataclasses.replace(s.demand, **fewer))

    return reduce


def _quiet(s: Scenario) -> Scenario | None:
    """No returns and no cancellations: whole processes fewer."""
    d = s.demand
    zeros: dict[str, Any] = {
        f.name: 0.0
        for f in dataclasses.fields(d)
        if f.name.startswith("return_rate_") or f.name == "cancel_rate"
    }
    if all(getattr(d, name) == 0 for name in zeros):
        return None
    return dataclasses.replace(s, demand=dataclasses.replace(d, **zeros))


def _no_replenishment(s: Scenario) -> Scenario | None:
    w = s.world
    if w.dc_replenish_interval_h == 0 and w.store_replenish_interval_h == 0:
        return None
    return dataclasses.replace(
        s, world=dataclasses.replace(w, dc_replenish_interval_h=0.0, store_replenish_interval_h=0.0)
    )


def reductions(s: Scenario) -> Iterator[tuple[str, Reduction]]:
    """Named reductions, biggest savings first."""
    yield "half the duration", _halve_duration
    yield "half the world and demand", _scale_all
    for rate in CHANNEL_RATES:
        yield f"no {rate.removesuffix('_per_hour').replace('_', ' ')}", _drop_channel(rate)
    for i in reversed(range(len(s.faults))):
        yield f"without fault {i} ({s.faults[i].target} {s.faults[i].kind})", _without("faults", i)
    for i in reversed(range(len(s.demand.peaks))):
        yield f"without peak {i}", _without("peaks", i)
    for i in reversed(range(len(s.demand.flash_sales))):
        yield f"without flash sale {i}", _without("flash_sales", i)
    yield "half the SKUs", _world("skus", MIN_SKUS, lambda n: n // 2)
    yield "half the stores", _world("stores", MIN_STORES, lambda n: n // 2)
    yield "one DC fewer", _world("dcs", 1, lambda n: n - 1)
    yield "half the customers", _world("customers", MIN_CUSTOMERS, lambda n: n // 2)
    for rate in CHANNEL_RATES:
        yield f"half the {rate.removesuffix('_per_hour').replace('_', ' ')}", _halve_rate(rate)
    yield "half the named marketplaces' own orders", _halve_own_marketplace_demand
    yield "no returns or cancellations", _quiet
    yield "no replenishment", _no_replenishment


# ----------------------------------------------------------------------------- search

Report = Callable[[str, "Shrunk"], None]


def shrink(
    scenario: Scenario,
    invariant: str | None = None,
    max_runs: int = 80,
    report: Report | None = None,
    seeds_per_candidate: int = 1,
) -> Shrunk | None:
    """The smallest scenario found that still breaks `invariant` (default: the first
    invariant the original breaks) and nothing the original did not; None when the
    original breaks no invariant (or not `invariant`).

    Every reduction changes what the named random streams draw, so a failure that needs
    a rare coincidence (a race at the end of the drain) rarely survives one. With
    `seeds_per_candidate` K > 1 a candidate is also tried with the next K-1 seeds and
    kept with the first seed that still breaks the invariant."""
    original = trial(scenario)
    if not original.failed or (invariant is not None and invariant not in original.failed):
        return None
    order = [str(name) for name in Invariant]
    target = invariant or min(original.failed, key=order.index)
    state = Shrunk(target, scenario, original, scenario, original, runs=1)

    def keeps(outcome: Trial) -> bool:
        return (
            target in outcome.failed
            and outcome.failed <= original.failed
            and outcome.size.simulated_events < state.trial.size.simulated_events
        )

    progress = True
    while progress and state.runs < max_runs:
        progress = False
        for name, reduce in reductions(state.scenario):
            reduced = reduce(state.scenario)
            if reduced is None:
                continue
            for k in range(seeds_per_candidate):
                if state.runs >= max_runs:
                    return state
                candidate = dataclasses.replace(reduced, seed=reduced.seed + k)
                if report is not None:
                    report(f"trying {name}" + (f" (seed {candidate.seed})" if k else ""), state)
                outcome = trial(candidate)
                state.runs += 1
                if keeps(outcome):
                    state.scenario, state.trial = candidate, outcome
                    state.steps.append(f"{name}, seed {candidate.seed}: {outcome.size}")
                    progress = True
                    if report is not None:
                        report(f"kept {name}", state)
                    break
    return state


def describe(shrunk: Shrunk, source: str, seed: int, overrides: list[str]) -> str:
    words = ["retailtwin", "shrink", source, "--seed", str(seed)]
    for override in overrides:
        words += ["--set", override]
    command = shlex.join(words)
    return "\n".join(
        [
            f"A smaller case that breaks {shrunk.invariant}, found by:",
            f"  {command}",
            f"original: {shrunk.original_trial.size}",
            f"shrunk:   {shrunk.trial.size} ({shrunk.ratio:.1f}x fewer events)"
            if shrunk.steps
            else "shrunk:   no smaller case found that breaks the same invariants; the file "
            "holds the original scenario",
            f"after {shrunk.runs} runs; steps kept:",
            *(f"  - {step}" for step in shrunk.steps),
            f"breaks: {', '.join(sorted(shrunk.trial.failed))}",
        ]
    )


def write(shrunk: Shrunk, path: Path, source: str, seed: int, overrides: list[str]) -> Path:
    """Write the shrunk scenario and prove it round-trips: loaded from the file it must
    run to the same digest."""
    story = describe(shrunk, source, seed, overrides)
    named = dataclasses.replace(
        shrunk.scenario,
        name=f"{shrunk.original.name}-shrunk",
        description=f"Shrunk from {shrunk.original.name} seed {seed}: the smallest case "
        f"found that still breaks {shrunk.invariant}. {shrunk.trial.size}.",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(round_trip.dumps(named, story), encoding="utf-8")
    loaded = run(load_scenario(str(path)))
    if loaded.seal.digest != shrunk.trial.digest:
        raise RuntimeError(
            f"{path} does not round-trip: loaded it runs to digest "
            f"{loaded.seal.digest}, the shrunk scenario ran to {shrunk.trial.digest}"
        )
    return path
