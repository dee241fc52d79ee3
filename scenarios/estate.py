"""Building the estate: the world, the simulated systems, the network between them and
the hub, wired on one SimPy environment, and the demand that will arrive.

Why a module of its own: this is the twin's composition root on the simulation side (as
`hub/bootstrap.py` is on the hub's): every constructor argument a scenario field feeds
is here, and nothing runs time. `scenarios/runtime.py` runs the day it builds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import simpy

from hub.bootstrap import bootstrap
from hub.context import Topology
from scenarios.digest import DigestRecorder
from scenarios.run_result import RunResult, Samples
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
from simulators.world import Popularity, build_world


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


def start_demand(
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
