"""The day's demand: customers arriving on every channel as the scenario's hourly
profile, peaks and flash sales say.

Arrivals are SimPy processes (`simulators.demand.arrivals`), one per channel, each
drawing from its own named stream, so adding a flash sale never shifts the draws of
the day's ordinary demand. A flash sale adds arrivals for its hot SKUs only, inside its
window, on the channels it names.
"""

from __future__ import annotations

import simpy

from scenarios.spec.scenario import Scenario
from scenarios.twin.estate import Estate
from simulators.demand import Demand, arrivals
from simulators.demand_profile import DemandProfile
from simulators.rng import Streams
from simulators.world import Popularity


def start_demand(
    env: simpy.Environment, scenario: Scenario, streams: Streams, estate: Estate
) -> None:
    """Start every arrival process of the day: one per channel with demand, and one per
    channel a flash sale boosts, each on its own named stream."""
    d = scenario.demand
    end = scenario.duration_s
    peaks = [(p.start_s, p.end_s, p.multiplier) for p in d.peaks]
    demand = Demand(
        env,
        streams.get("demand"),
        estate.world,
        estate.storefront,
        estate.marketplace,
        estate.pos,
        estate.customers,
        d.basket_lines_mean,
    )
    placed = scenario.marketplaces()
    # one marketplace keeps the stream it always had; several each draw their own
    marketplace_streams = (
        [("marketplace", d.marketplace_orders_per_hour, demand.marketplace_order)]
        if not scenario.backends.marketplaces
        else [
            (f"marketplace:{p.name}", p.orders_per_hour, demand.marketplace_order_at(m))
            for p, m in zip(placed, estate.marketplaces, strict=True)
        ]
    )
    streams_by_channel = (
        ("web", d.web_orders_per_hour, demand.web_order),
        *marketplace_streams,
        ("click_collect", d.click_collect_orders_per_hour, demand.click_collect_order),
        ("store", d.store_sales_per_hour, demand.store_sale),
    )
    for name, per_hour, arrive in streams_by_channel:
        if per_hour > 0:
            profile = DemandProfile(per_hour, d.hourly_profile, peaks, end, scenario.start_s)
            env.process(arrivals(env, profile, streams.get(f"arrivals:{name}"), 0.0, arrive))
    if estate.b2b is not None:
        profile = DemandProfile(
            scenario.backends.b2b.orders_per_hour, d.hourly_profile, peaks, end, scenario.start_s
        )
        env.process(arrivals(env, profile, streams.get("arrivals:b2b"), 0.0, estate.b2b.order))
    world = estate.world
    shares = [1.0 / (rank**d.zipf_s) for rank in range(1, len(world.skus) + 1)]
    total = sum(shares)
    rates = {
        "web": d.web_orders_per_hour,
        "marketplace": d.marketplace_orders_per_hour,
        "click_collect": d.click_collect_orders_per_hour,
    }
    markets = {f"marketplace:{m.system}": m for m in estate.marketplaces}
    for i, sale in enumerate(d.flash_sales):
        hot_share = sum(shares[: sale.hot_skus]) / total
        hot = Popularity(
            list(range(sale.hot_skus)), [sum(shares[: k + 1]) for k in range(sale.hot_skus)]
        )
        for channel, at, rate in _flash_channels(scenario, sale.channels, rates):
            extra = rate * (sale.multiplier - 1.0) * hot_share
            if extra <= 0:
                continue
            profile = DemandProfile(
                extra,
                d.hourly_profile,
                [*peaks, (0.0, sale.start_s, 0.0), (sale.end_s, end, 0.0)],
                min(end, sale.end_s),
                scenario.start_s,
            )
            env.process(
                arrivals(
                    env,
                    profile,
                    streams.get(f"flash:{i}:{at}"),
                    sale.start_s,
                    demand.flash_order(channel, hot, markets.get(at)),
                )
            )


def _flash_channels(
    scenario: Scenario, channels: tuple[str, ...], rates: dict[str, float]
) -> list[tuple[str, str, float]]:
    """(channel, where its extra orders arrive, the rate they are drawn from) for each
    channel a flash sale boosts: one marketplace as it always was, several each at its
    own rate (where is `marketplace:NAME`)."""
    found: list[tuple[str, str, float]] = []
    for channel in channels:
        if channel == "marketplace" and scenario.backends.marketplaces:
            found.extend(
                (channel, f"marketplace:{p.name}", p.orders_per_hour)
                for p in scenario.marketplaces()
            )
        else:
            found.append((channel, channel, rates.get(channel, 0.0)))
    return found
