"""The runner: runs the day that `scenarios/twin/estate.py` builds, on one SimPy environment,
and hands back everything the checker and the metrics need.

Only this layer calls `env.run` (the live server in `scenarios/live/twin.py` steps the same
model from `start`, against the wall clock). A batch run steps as fast as the CPU allows.

The day has two acts. Demand runs for `duration_s`. Then the drain: customers stop
acting, but parcels still ship, returns already on their way arrive and queues empty;
half an hour before the end the hub closes the trading day (last store summaries, a
full feed push). Once the estate has settled, the checker compares the hub's beliefs
with every system's own truth.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from scenarios.spec.loader import scenario_to_dict
from scenarios.spec.scenario import Scenario
from scenarios.twin.demand import start_demand
from scenarios.twin.digest import DigestRecorder
from scenarios.twin.estate import Estate, ExternalHubLink, build
from scenarios.twin.faults import schedule_cutovers, schedule_faults
from scenarios.twin.gc_tuning import collector_off_for_batch_run
from scenarios.twin.heap_tuning import fix_mmap_threshold
from scenarios.twin.hub_archive import HubArchive
from scenarios.twin.hub_driver import HubDriver
from scenarios.twin.hub_process import opening_stock
from scenarios.twin.record_spill import spill_finished_records
from scenarios.twin.run_result import RunResult, RunSeal
from scenarios.types import Progress
from simulators.rng import Streams

if TYPE_CHECKING:  # the timeline imports the read model's records, and so SQLAlchemy:
    # a run without one (no --out) should not pay for its import
    from scenarios.twin.timeline import TimelineRecorder

__all__ = [
    "Day",
    "finish",
    "run",
    "settle",
    "settled",
    "start",
    "step_length",
    "step_towards",
]

SAMPLE_INTERVAL_S = 60.0
#: how long past the drain a run may go on waiting for the estate to settle
SETTLE_LIMIT_S = 2 * 3600.0
#: SimPy events run between reads of the wall clock when stepping against it
EVENTS_BETWEEN_CLOCK_READS = 256
#: a batch run's steps (`step_length`): about 200 a run, of a minute at least
STEPS = 200
MIN_STEP_S = 60.0
#: and of 10 simulated minutes at most: the hub's finished aggregates are archived
#: between steps (`HubArchive.sweep`), so what a burst finishes waits in memory for up to
#: a step. peak-weekend's 200 steps were 31 minutes each, black-friday's 9.6: at
#: Friday's doorbuster, the same trade, peak-weekend needed 8 more of Python's 1 MiB
#: arenas (249 against 241), kept to the end (docs/architecture.md, Memory, mem21)
MAX_STEP_S = 600.0


def processed_events(env: simpy.Environment) -> int:
    """Events the environment has processed so far, for the benchmark.

    SimPy numbers every event it schedules (its `_eid` counter, which breaks ties in the
    queue); processed = scheduled - still queued. Counting in an overridden `step` would
    add a Python call to every event of the run it is measuring.
    """
    scheduled = next(env._eid)
    return scheduled - len(env._queue)


def pending_events(env: simpy.Environment) -> int:
    """Events scheduled and not yet processed: the depth of SimPy's queue, which sets
    what each event costs it (a heap push and pop)."""
    return len(env._queue)


def _sampler(
    env: simpy.Environment, result: RunResult, hot_skus: list[str]
) -> Generator[Any, Any, None]:
    """Once a simulated minute, every queue of the estate and a few volumes. It reads
    and never acts, so it changes nothing in the run (nor its digest).

    Every hub gauge is kept: the depth of the hub's lane to each backend
    (`SYSTEM_queue_depth`: calls waiting, in flight or waiting to retry), dead letters,
    parked events, stock changes not yet pushed to the channels, ERP writes awaiting a
    legacy import. Beside them, each backend's own backlog: the ERP's (queued, in service
    and awaiting import), the DCs' orders waiting for a picker, the tills' offline upload
    queue."""
    estate = result.estate
    external = estate.external_hub
    while True:
        if external is None:
            hub = estate.hub  # a crash replaces it
            values = {name: float(value) for name, value in hub.gauges().items()}
        else:  # an external hub's own queues are its business: only the link's
            values = external.gauges()
        values |= {
            "erp_backlog": float(estate.erp.queue_length),
            "wms_pick_backlog": float(estate.wms.pick_backlog()),
            "pos_backlog": float(estate.pos.backlog_size()),
            "web_orders": float(len(estate.storefront.orders)),
            "marketplace_orders": float(sum(len(m.orders) for m in estate.marketplaces)),
            # for the benchmark: how deep SimPy's queue is, and how many events so far
            "pending_events": float(pending_events(env)),
            "processed_events": float(processed_events(env)),
        }
        for sku in hot_skus:
            if external is None:
                values[f"ats:{sku}"] = float(hub.availability.ats_ship(sku))
            values[f"view:{sku}"] = float(estate.storefront.ship_view.get(sku, 0))
        result.samples.add(env.now, values)
        yield env.timeout(SAMPLE_INTERVAL_S)


def _closing(
    env: simpy.Environment, scenario: Scenario, estate: Estate
) -> Generator[Any, Any, None]:
    """Customers stop acting when demand stops (no new cancellations, returns or
    collections start in the drain), so the drain is long enough for the last
    returns to travel and be inspected; half an hour before the end the hub closes
    the trading day."""
    end = scenario.duration_s + scenario.drain_s
    yield env.timeout(scenario.duration_s)
    estate.customers.active = False
    yield env.timeout(max(0.0, end - 1800.0 - env.now))
    if estate.external_hub is not None:
        estate.external_hub.close_day(float(env.now))
    else:
        estate.hub_process.call(lambda hub: hub.end_of_day())


@dataclass(frozen=True, slots=True)
class Day:
    """A day started on an environment: what it will leave behind, and what seals it."""

    result: RunResult
    recorder: DigestRecorder
    #: the in-process hub's driver (None when the hub is external)
    driver: HubDriver | None


def start(
    scenario: Scenario,
    env: simpy.Environment,
    observer: TimelineRecorder | None = None,
    external_hub: ExternalHubLink | None = None,
) -> Day:
    """Build the estate and start every process of the day, without running time: the
    batch run below, the live server and a run against an external hub all step the
    environment from here. An external hub learns the opening stock from the
    `day.started` message its runner sends (scenarios/twin/external/)."""
    built = build(scenario, env, observer, external_hub)
    estate = built.estate
    result = RunResult(scenario, estate)
    streams = Streams(scenario.seed)
    world = estate.world
    if external_hub is None:
        estate.hub.load_stock(opening_stock(world))
    result.fault_log = schedule_faults(env, estate, scenario.faults, scenario.cutovers)
    schedule_cutovers(env, estate, scenario.cutovers)
    start_demand(env, scenario, streams, estate)
    _start_replenishment(env, scenario, estate)
    env.process(_sampler(env, result, [sku.sku_id for sku in world.skus[:5]]))
    env.process(_closing(env, scenario, estate))
    return Day(result, built.recorder, built.driver)


def _start_replenishment(env: simpy.Environment, scenario: Scenario, estate: Estate) -> None:
    """The DCs and the stores restock to their targets at the scenario's intervals."""
    spec = scenario.world
    for partner in estate.partners.values():  # each partner's stock feed to the hub
        env.process(partner.stock_feed(scenario.duration_s))
    if spec.dc_replenish_interval_h > 0:
        env.process(
            estate.wms.replenisher(
                env,
                spec.dc_replenish_interval_h * 3600.0,
                estate.world.dc_targets,
                scenario.duration_s,
            )
        )
    if spec.store_replenish_interval_h > 0:
        env.process(
            estate.pos.replenisher(
                env,
                spec.store_replenish_interval_h * 3600.0,
                estate.world.store_targets,
                scenario.duration_s,
            )
        )


def step_length(end_s: float) -> float:
    """Simulated seconds a batch run's step lasts, for a run `end_s` long: a 200th of
    it, but at least `MIN_STEP_S` and at most `MAX_STEP_S` (black-friday's 32 hours
    take 576 s steps, peak-weekend's 104 hours 600 s: 624 steps)."""
    return min(MAX_STEP_S, max(MIN_STEP_S, end_s / STEPS))


def run(
    scenario: Scenario,
    progress: Progress | None = None,
    measure_memory: bool = False,
    observer: TimelineRecorder | None = None,
    between_steps: Callable[[simpy.Environment], None] | None = None,
) -> RunResult:
    """Run a scenario to the end of its drain and return the estate for checking.
    `observer` records the message timeline for the read model (nothing when None).
    `between_steps` is called with the environment after each of the run's steps
    (`step_length`; `make bench` measures bare SimPy there, interleaved with the run); it must
    not touch the model, and its time counts in `wall_seconds`."""
    started = time.perf_counter()
    fix_mmap_threshold()  # before the day's first large block (`heap_tuning`)
    if measure_memory:
        tracemalloc.start()
    env = simpy.Environment()
    with collector_off_for_batch_run():
        day = start(scenario, env, observer)
        result = day.result
        spill = spill_finished_records(result.estate)  # finished records leave memory
        archive = HubArchive(result.estate, spill)  # and the hub's finished aggregates

        end = scenario.duration_s + scenario.drain_s
        step = step_length(end)
        t = 0.0
        while t < end:
            t = min(end, t + step)
            env.run(until=t)
            archive.sweep()
            if between_steps is not None:
                between_steps(env)
            if progress is not None:
                progress(t, end)
        settle(env, result)
        finish(env, day)
        archive.seal()
        spill.flush()  # on disk before anything forks a reader (`RecordSpill`)
    result.seal.wall_seconds = time.perf_counter() - started
    if measure_memory:
        result.seal.peak_memory_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def step_towards(env: simpy.Environment, target: float, budget_s: float) -> bool:
    """Run the model towards `target` for at most `budget_s` wall seconds, looking at
    the wall clock every few hundred events; True once it got there. The live twin
    steps this way so the server can answer requests in between. Stopping early changes
    nothing in the run: the events before `target` run in the same order, in one call
    or in several, and the last `env.run(until=target)` moves the clock exactly as one
    call would."""
    step, peek = env.step, env.peek
    deadline = time.perf_counter() + budget_s
    while peek() < target:
        for _ in range(EVENTS_BETWEEN_CLOCK_READS):
            if peek() >= target:
                break
            step()
        if time.perf_counter() >= deadline:
            return False
    if env.now < target:
        env.run(until=target)
    return True


def settled(result: RunResult) -> bool:
    """The hub has nothing in flight or unpushed and the network carries nothing: the
    moment "after queues drain" that convergence is judged at."""
    estate = result.estate
    hub_idle = estate.hub.idle() if estate.external_hub is None else estate.external_hub.idle()
    return hub_idle and estate.network.quiet()


def settle(env: simpy.Environment, result: RunResult) -> None:
    """Run on past the drain, a simulated minute at a time, until the estate has
    settled (a batch feed may still be due, a last message still on the wire), for at
    most `SETTLE_LIMIT_S`; the checker then judges whatever state it is in."""
    limit = env.now + SETTLE_LIMIT_S
    while not settled(result) and env.now < limit:
        env.run(until=env.now + SAMPLE_INTERVAL_S)
    result.settled_at = float(env.now) if settled(result) else -1.0


def finish(env: simpy.Environment, day: Day) -> None:
    """Seal the run: its digest (the scenario as run, every delivery, the end state)
    and its costs. The scenario is folded in so that a change no message happens to
    touch (a SKU nobody ordered) still gives another digest; its name and description
    are labels, not inputs, and are left out."""
    result, recorder, driver = day.result, day.recorder, day.driver
    spec = scenario_to_dict(result.scenario)
    del spec["name"], spec["description"]
    # keys a scenario leaves at their empty default are left out, so a scenario that
    # does not use them keeps the digest it had before they existed
    for table in (spec["backends"], spec["hub"]["allocation"]):
        if not table["marketplaces"]:
            del table["marketplaces"]
    recorder.add(json.dumps(spec, sort_keys=True))
    recorder.add(_end_state(result.estate))
    result.sealed = RunSeal(
        digest=recorder.hexdigest(),
        deliveries=recorder.deliveries,
        sim_events=processed_events(env),
        hub_cpu_seconds=driver.cpu_seconds if driver is not None else 0.0,
        hub_calls=driver.calls if driver is not None else 0,
        ended_at=float(env.now),
    )


def _end_state(estate: Estate) -> str:
    erp = estate.erp
    return (
        f"erp documents {len(erp.documents)} journal {erp.journal.entries} "
        f"captures {len(estate.payment.captures)} refunds {len(estate.payment.refunds)}\n"
    )
