"""The runner: builds the world, the simulated estate and the hub on one SimPy
environment, runs the scenario in virtual time, and hands back everything the checker
and the metrics need.

Only this layer calls `env.run`. A batch run steps as fast as the CPU allows; the live
server (a later issue) steps the same model against the wall clock.

The day has two acts. Demand runs for `duration_s`. Then the drain: customers stop
acting, but parcels still ship, returns already on their way arrive and queues empty;
half an hour before the end the hub closes the trading day (last store summaries, a
full feed push). The checker then compares the hub's beliefs with
every system's own truth.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import simpy

from hub.bootstrap import bootstrap
from hub.context import Topology
from hub.core import Hub
from hub.messages import StockReport
from scenarios.collector import collector_tuned_for_simulation
from scenarios.digest import DigestRecorder
from scenarios.faults import Estate, schedule_cutovers, schedule_faults
from scenarios.loader import scenario_to_dict
from scenarios.sim_ports import Backend, HubDriver, SimClock, SimScheduler, SimTransport
from scenarios.spec import Scenario
from scenarios.timeline import TimelineRecorder
from simulators.customers import Customers
from simulators.demand import Demand, DemandProfile, arrivals
from simulators.erp import Erp, ErpConfig
from simulators.marketplace import Marketplace
from simulators.network import LinkProfile, Network
from simulators.payment import PaymentConfig, PaymentGateway
from simulators.pos import Pos, PosConfig
from simulators.rng import Streams
from simulators.storefront import Storefront
from simulators.wms import Wms, WmsConfig
from simulators.world import Popularity, World, build_world

SAMPLE_INTERVAL_S = 60.0
#: how long past the drain a run may go on waiting for the estate to settle
SETTLE_LIMIT_S = 2 * 3600.0
Progress = Callable[[float, float], None]


@dataclass(slots=True)
class Samples:
    """Time series sampled once a simulated minute, for metrics and charts."""

    t: list[float] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)

    def add(self, at: float, values: dict[str, float]) -> None:
        self.t.append(at)
        for name, value in values.items():
            self.series.setdefault(name, []).append(value)


@dataclass(slots=True)
class RunResult:
    scenario: Scenario
    world: World
    hub: Hub
    erp: Erp
    wms: Wms
    pos: Pos
    payment: PaymentGateway
    storefront: Storefront
    marketplace: Marketplace
    customers: Customers
    network: Network
    transport: SimTransport
    samples: Samples
    fault_log: list[tuple[float, float, str]]
    digest: str
    deliveries: int
    sim_events: int
    hub_seconds: float
    hub_calls: int
    wall_seconds: float
    peak_memory_bytes: int = 0
    #: simulated time the estate settled after the drain (-1: it never did)
    settled_at: float = -1.0


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


def _expected_daily_units(scenario: Scenario) -> tuple[float, float]:
    """Units a day of this scenario's demand will ask for, peaks included, so opening
    stock is sized to the day the retailer planned for (cover days of it)."""
    d = scenario.demand
    day_weight = 0.0
    for hour, weight in enumerate(d.hourly_profile):
        middle = hour * 3600.0 + 1800.0
        for peak in d.peaks:
            if peak.start_s <= middle < peak.end_s:
                weight *= peak.multiplier
        day_weight += weight
    units_per_line = 1.18
    channel = (d.web_orders_per_hour + d.marketplace_orders_per_hour) * day_weight
    store = d.store_sales_per_hour * day_weight
    return (
        channel * d.basket_lines_mean * units_per_line,
        store * d.basket_lines_mean * units_per_line,
    )


def build(
    scenario: Scenario,
    env: simpy.Environment,
    observer: TimelineRecorder | None = None,
) -> tuple[RunResult, DigestRecorder, HubDriver]:
    streams = Streams(scenario.seed)
    spec_world, demand, backends = scenario.world, scenario.demand, scenario.backends
    channel_units, store_units = _expected_daily_units(scenario)
    world = build_world(
        streams.get("world"),
        scenario.seed,
        skus=spec_world.skus,
        stores=spec_world.stores,
        dcs=spec_world.dcs,
        customers=spec_world.customers,
        regions=spec_world.regions,
        store_range=spec_world.store_range,
        zipf_s=demand.zipf_s,
        daily_channel_units=channel_units,
        daily_store_units=store_units,
        dc_cover_days=spec_world.dc_cover_days,
        store_stock_mean=spec_world.store_stock_mean,
    )
    recorder = DigestRecorder()
    net = scenario.network
    network_type = Network if observer is None else observer.network_type()
    network = network_type(
        env,
        streams.get("network"),
        LinkProfile(
            net.latency_median_s,
            net.latency_p95_s,
            net.duplicate_rate,
            net.reorder_rate,
            net.reorder_delay_s,
            net.loss_rate,
            net.redelivery_delay_s,
        ),
        recorder.record,
    )
    driver = HubDriver()

    def to_hub(source: str) -> Callable[[str, dict[str, Any]], None]:
        link = network.link(source, "hub")
        deliver = partial(driver.receive, source)

        def send(kind: str, payload: dict[str, Any]) -> None:
            network.send_on(link, kind, payload, deliver)

        return send

    customers_ref: list[Customers] = []
    erp_spec = backends.erp
    erp = Erp(
        env,
        streams.get("erp"),
        ErpConfig(
            erp_spec.mode,
            erp_spec.idempotent_refs,
            erp_spec.concurrency,
            erp_spec.service_time_median_s,
            erp_spec.service_time_p95_s,
            erp_spec.rate_limit_per_s,
            erp_spec.queue_limit,
            erp_spec.import_interval_s,
            erp_spec.lost_response_rate,
        ),
        {**world.dc_stock, **world.store_stock},
        to_hub("erp"),
    )
    wms_spec = backends.wms
    wms = Wms(
        env,
        streams.get("wms"),
        WmsConfig(
            wms_spec.pickers_per_dc,
            wms_spec.pick_time_median_s,
            wms_spec.pack_ship_median_s,
            wms_spec.inspect_time_median_s,
            wms_spec.damaged_rate,
        ),
        [dc.location_id for dc in world.dcs],
        world.dc_stock,
        to_hub("wms"),
        lambda ref, lines: customers_ref[0].on_shipped(ref, lines),
    )
    pos_spec = backends.pos
    pos = Pos(
        env,
        streams.get("pos"),
        PosConfig(
            pos_spec.store_pick_time_median_s,
            pos_spec.damaged_rate,
            pos_spec.reconnect_upload_spread_s,
        ),
        [s.location_id for s in world.stores],
        world.store_stock,
        to_hub("pos"),
        lambda ref, store: customers_ref[0].on_ready(ref, store),
    )
    pay_spec = backends.payment
    payment = PaymentGateway(
        env,
        streams.get("payment"),
        PaymentConfig(
            pay_spec.decline_rate,
            pay_spec.lost_response_rate,
            pay_spec.service_time_median_s,
            pay_spec.auth_ttl_s,
        ),
    )
    storefront = Storefront(env, to_hub("web"))
    marketplace = Marketplace(
        env,
        to_hub("marketplace"),
        backends.marketplace.ack_window_s,
        backends.marketplace.resend_after_s,
        backends.marketplace.rate_limit_per_s,
    )
    customers = Customers(
        env,
        streams.get("customers"),
        world,
        storefront,
        marketplace,
        pos,
        cancel_rate=demand.cancel_rate,
        cancel_rates=(
            {}
            if demand.cancel_rate_marketplace is None
            else {"marketplace": demand.cancel_rate_marketplace}
        ),
        return_rates={
            "web": demand.return_rate_web,
            "marketplace": demand.return_rate_marketplace,
            "click_collect": demand.return_rate_click_collect,
            "store": demand.return_rate_store,
        },
        return_in_store_share=demand.return_in_store_share,
        return_delay_h=demand.return_delay_h,
        collect_delay_h=demand.collect_delay_h,
    )
    customers_ref.append(customers)

    systems: dict[str, Backend] = {
        "erp": erp,
        "wms": wms,
        "pos": pos,
        "payment": payment,
        "marketplace": marketplace,
    }
    if observer is not None:
        systems = observer.wrap_backends(systems)
    transport = SimTransport(
        env, network, driver, systems, {"web": storefront, "marketplace": marketplace}
    )
    topology = Topology(
        tuple(dc.location_id for dc in world.dcs),
        tuple(s.location_id for s in world.stores),
        world.region_of(),
    )
    hub = bootstrap(
        scenario.hub,
        SimClock(env),
        SimScheduler(env, driver),
        transport,
        streams.get("hub"),
        topology,
    )
    driver.hub = hub
    result = RunResult(
        scenario,
        world,
        hub,
        erp,
        wms,
        pos,
        payment,
        storefront,
        marketplace,
        customers,
        network,
        transport,
        Samples(),
        [],
        "",
        0,
        0,
        0.0,
        0,
        0.0,
    )
    return result, recorder, driver


def _start_demand(
    env: simpy.Environment, scenario: Scenario, streams: Streams, result: RunResult
) -> None:
    d = scenario.demand
    end = scenario.duration_s
    peaks = [(p.start_s, p.end_s, p.multiplier) for p in d.peaks]
    demand = Demand(
        env,
        streams.get("demand"),
        result.world,
        result.storefront,
        result.marketplace,
        result.pos,
        result.customers,
        d.basket_lines_mean,
    )
    streams_by_channel = (
        ("web", d.web_orders_per_hour, demand.web_order),
        ("marketplace", d.marketplace_orders_per_hour, demand.marketplace_order),
        ("click_collect", d.click_collect_orders_per_hour, demand.click_collect_order),
        ("store", d.store_sales_per_hour, demand.store_sale),
    )
    for name, per_hour, arrive in streams_by_channel:
        if per_hour > 0:
            profile = DemandProfile(per_hour, d.hourly_profile, peaks, end)
            env.process(arrivals(env, profile, streams.get(f"arrivals:{name}"), 0.0, arrive))
    world = result.world
    shares = [1.0 / (rank**d.zipf_s) for rank in range(1, len(world.skus) + 1)]
    total = sum(shares)
    rates = {
        "web": d.web_orders_per_hour,
        "marketplace": d.marketplace_orders_per_hour,
        "click_collect": d.click_collect_orders_per_hour,
    }
    for i, sale in enumerate(d.flash_sales):
        hot_share = sum(shares[: sale.hot_skus]) / total
        hot = Popularity(
            list(range(sale.hot_skus)), [sum(shares[: k + 1]) for k in range(sale.hot_skus)]
        )
        for channel in sale.channels:
            extra = rates.get(channel, 0.0) * (sale.multiplier - 1.0) * hot_share
            if extra <= 0:
                continue
            profile = DemandProfile(
                extra,
                d.hourly_profile,
                [*peaks, (0.0, sale.start_s, 0.0), (sale.end_s, end, 0.0)],
                min(end, sale.end_s),
            )
            env.process(
                arrivals(
                    env,
                    profile,
                    streams.get(f"flash:{i}:{channel}"),
                    sale.start_s,
                    demand.flash_order(channel, hot),
                )
            )


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
    _start_demand(env, scenario, streams, result)
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
