"""The runner: runs the day that `scenarios/estate.py` builds, on one SimPy environment,
and hands back everything the checker and the metrics need.

Only this layer calls `env.run` (the live server in `scenarios/live.py` steps the same
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
from typing import Any

import simpy

from hub.messages import StockReport
from scenarios.collector import collector_tuned_for_simulation
from scenarios.digest import DigestRecorder
from scenarios.estate import build, start_demand
from scenarios.faults import Estate, schedule_cutovers, schedule_faults
from scenarios.loader import scenario_to_dict
from scenarios.run_result import RunResult, Samples
from scenarios.sim_ports import HubDriver
from scenarios.spec import Scenario
from scenarios.timeline import TimelineRecorder
from simulators.rng import Streams

__all__ = ["RunResult", "Samples", "build", "finish", "run", "settle", "settled", "start"]

SAMPLE_INTERVAL_S = 60.0
#: how long past the drain a run may go on waiting for the estate to settle
SETTLE_LIMIT_S = 2 * 3600.0
Progress = Callable[[float, float], None]


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
    hub = result.hub
    while True:
        gauges = hub.gauges()
        values = {
            "erp_queue_depth": float(gauges["erp_queue_depth"]),
            "erp_backlog": float(result.erp.queue_length),
            "dead_letter_depth": float(gauges["dead_letter_depth"]),
            "parked_events": float(gauges["parked_events"]),
            "pos_backlog": float(result.pos.backlog_size()),
            "web_orders": float(len(result.storefront.orders)),
            "marketplace_orders": float(len(result.marketplace.orders)),
            # for the benchmark: how deep SimPy's queue is, and how many events so far
            "pending_events": float(pending_events(env)),
            "processed_events": float(processed_events(env)),
        }
        for sku in hot_skus:
            values[f"ats:{sku}"] = float(hub.availability.ats_ship(sku))
            values[f"view:{sku}"] = float(result.storefront.ship_view.get(sku, 0))
        result.samples.add(env.now, values)
        yield env.timeout(SAMPLE_INTERVAL_S)


def _closing(
    env: simpy.Environment, scenario: Scenario, result: RunResult
) -> Generator[Any, Any, None]:
    """Customers stop acting when demand stops (no new cancellations, returns or
    collections start in the drain), so the drain is long enough for the last
    returns to travel and be inspected; half an hour before the end the hub closes
    the trading day."""
    end = scenario.duration_s + scenario.drain_s
    yield env.timeout(scenario.duration_s)
    result.customers.active = False
    yield env.timeout(max(0.0, end - 1800.0 - env.now))
    result.hub.end_of_day()


def start(
    scenario: Scenario,
    env: simpy.Environment,
    observer: TimelineRecorder | None = None,
) -> tuple[RunResult, DigestRecorder, HubDriver, Estate]:
    """Build the estate and start every process of the day, without running time: the
    batch run below and the live server both step the environment from here."""
    result, recorder, driver = build(scenario, env, observer)
    streams = Streams(scenario.seed)
    world = result.world
    result.hub.load_stock(
        [StockReport(sku, loc, qty, 0, 0.0) for (sku, loc), qty in world.dc_stock.items()]
        + [StockReport(sku, loc, qty, 0, 0.0) for (sku, loc), qty in world.store_stock.items()]
    )
    estate = Estate(
        result.erp,
        result.wms,
        result.pos,
        result.payment,
        result.marketplace,
        result.network,
        world,
    )
    result.fault_log = schedule_faults(env, estate, scenario.faults, scenario.cutovers)
    schedule_cutovers(env, estate, scenario.cutovers)
    start_demand(env, scenario, streams, result)
    spec_world = scenario.world
    if spec_world.dc_replenish_interval_h > 0:
        env.process(
            result.wms.replenisher(
                env,
                spec_world.dc_replenish_interval_h * 3600.0,
                world.dc_targets,
                scenario.duration_s,
            )
        )
    if spec_world.store_replenish_interval_h > 0:
        env.process(
            result.pos.replenisher(
                env,
                spec_world.store_replenish_interval_h * 3600.0,
                world.store_targets,
                scenario.duration_s,
            )
        )
    env.process(_sampler(env, result, [sku.sku_id for sku in world.skus[:5]]))
    env.process(_closing(env, scenario, result))
    return result, recorder, driver, estate


def run(
    scenario: Scenario,
    progress: Progress | None = None,
    measure_memory: bool = False,
    observer: TimelineRecorder | None = None,
) -> RunResult:
    """Run a scenario to the end of its drain and return the estate for checking.
    `observer` records the message timeline for the read model (nothing when None)."""
    started = time.perf_counter()
    if measure_memory:
        tracemalloc.start()
    env = simpy.Environment()
    result, recorder, driver, _ = start(scenario, env, observer)

    end = scenario.duration_s + scenario.drain_s
    step = max(60.0, end / 200.0)
    t = 0.0
    with collector_tuned_for_simulation():
        while t < end:
            t = min(end, t + step)
            env.run(until=t)
            if progress is not None:
                progress(t, end)
        settle(env, result)

    finish(env, result, recorder, driver)
    result.wall_seconds = time.perf_counter() - started
    if measure_memory:
        result.peak_memory_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def settled(result: RunResult) -> bool:
    """The hub has nothing in flight or unpushed and the network carries nothing: the
    moment "after queues drain" that convergence is judged at."""
    return result.hub.idle() and result.network.quiet()


def settle(env: simpy.Environment, result: RunResult) -> None:
    """Run on past the drain, a simulated minute at a time, until the estate has
    settled (a batch feed may still be due, a last message still on the wire), for at
    most `SETTLE_LIMIT_S`; the checker then judges whatever state it is in."""
    limit = env.now + SETTLE_LIMIT_S
    while not settled(result) and env.now < limit:
        env.run(until=env.now + SAMPLE_INTERVAL_S)
    result.settled_at = float(env.now) if settled(result) else -1.0


def finish(
    env: simpy.Environment, result: RunResult, recorder: DigestRecorder, driver: HubDriver
) -> None:
    """Seal the run: its digest (the scenario as run, every delivery, the end state)
    and its costs. The scenario is folded in so that a change no message happens to
    touch (a SKU nobody ordered) still gives another digest; its name and description
    are labels, not inputs, and are left out."""
    spec = scenario_to_dict(result.scenario)
    del spec["name"], spec["description"]
    recorder.add(json.dumps(spec, sort_keys=True))
    recorder.add(_end_state(result))
    result.digest = recorder.hexdigest()
    result.deliveries = recorder.deliveries
    result.sim_events = processed_events(env)
    result.hub_seconds = driver.seconds
    result.hub_calls = driver.calls


def _end_state(result: RunResult) -> str:
    erp = result.erp
    return (
        f"erp documents {len(erp.documents)} journal {erp.journal.entries} "
        f"captures {len(result.payment.captures)} refunds {len(result.payment.refunds)}\n"
    )
