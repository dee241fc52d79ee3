"""The backends an estate has only when its scenario asks for them: the tax engine
(`backends.tax.enabled`), the fraud screen (`backends.fraud.enabled`), the
marketplace's settlement desk (`backends.marketplace.settlement_interval`) and the B2B
portal (`backends.b2b.enabled`); and the
token endpoints in front of the APIs that want an access token (`token_lifetime`).

Why here and not in the simulators: each takes its settings in its own terms (the tax
engine its rates in basis points per SKU and per region, the fraud screen its rates
and its analysts); turning the scenario's spec and the world into those, from the
run's own named random streams, is the twin's job. A scenario without them draws
nothing and runs exactly as before.
"""

from __future__ import annotations

import random
from collections.abc import Callable, MutableMapping

import simpy

from scenarios.spec.marketplace_spec import DEFAULT_MARKETPLACE, PlacedMarketplace
from scenarios.spec.scenario import Scenario
from simulators.b2b import B2bConfig, B2bPortal, draw_companies
from simulators.credentials import Guarded, TokenAuthority
from simulators.customers import Customers
from simulators.fraud import FraudConfig, FraudScreen
from simulators.marketplace import Marketplace
from simulators.pos import Pos
from simulators.rng import Streams
from simulators.settlement import SettlementConfig, SettlementDesk
from simulators.storefront import Storefront
from simulators.tax import TaxConfig, TaxEngine, draw_region_rates
from simulators.types import Emit
from simulators.world import World


def build_tax(
    env: simpy.Environment, scenario: Scenario, world: World, rng: random.Random
) -> TaxEngine | None:
    spec = scenario.backends.tax
    if not spec.enabled:
        return None
    regions = sorted(
        {location.region for location in [*world.dcs, *world.stores]}
        | {customer.region for customer in world.customers}
    )
    config = TaxConfig(
        spec.service_time_median_s,
        spec.lost_response_rate,
        spec.rate_limit_per_s,
        draw_region_rates(rng, regions, spec.region_rate_max_pct),
        {sku.sku_id: sku.tax_rate_bp for sku in world.skus},
    )
    return TaxEngine(env, rng, config)


def build_fraud(
    env: simpy.Environment, scenario: Scenario, streams: Streams, emit: Emit
) -> FraudScreen | None:
    spec = scenario.backends.fraud
    if not spec.enabled:
        return None
    config = FraudConfig(
        spec.fraud_rate,
        spec.detection_rate,
        spec.false_review_rate,
        spec.analysts,
        spec.review_time_median_s,
        spec.review_time_p95_s,
        spec.analyst_error_rate,
        spec.service_time_median_s,
    )
    return FraudScreen(env, streams.get("fraud"), config, f"{streams.seed}:fraud", emit)


def build_marketplace(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    emit: Emit,
    placed: PlacedMarketplace | None = None,
) -> Marketplace:
    """The marketplace `placed` (by default the scenario's first): one not named
    "marketplace" draws its settlement from its own stream and numbers its payouts
    under its own name."""
    placed = placed or scenario.marketplaces()[0]
    spec, name = placed.spec, placed.name
    default = name == DEFAULT_MARKETPLACE
    settlement = None
    if spec.settlement_interval_s > 0:  # only then is the `settlement` stream drawn
        config = SettlementConfig(
            spec.settlement_interval_s,
            spec.commission_pct,
            spec.settlement_report_delay_s,
            spec.settlement_error_rate,
            spec.chargeback_rate,
        )
        settlement = SettlementDesk(
            env,
            streams.get("settlement" if default else f"settlement:{name}"),
            config,
            emit,
            "STL" if default else f"STL-{name.upper()}",
        )
    return Marketplace(
        env,
        emit,
        spec.ack_window_s,
        spec.resend_after_s,
        spec.rate_limit_per_s,
        spec.price_feed_delay_s,
        settlement,
        name,
    )


def build_marketplaces(
    env: simpy.Environment, scenario: Scenario, streams: Streams, to_hub: Callable[[str], Emit]
) -> tuple[Marketplace, ...]:
    """Every marketplace of the scenario, each sending to the hub on its own link."""
    return tuple(
        build_marketplace(env, scenario, streams, to_hub(placed.name), placed)
        for placed in scenario.marketplaces()
    )


def build_b2b(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    world: World,
    storefront: Storefront,
) -> B2bPortal | None:
    """The B2B portal and its company accounts, on the store's link; only then are the
    `b2b` streams drawn."""
    spec = scenario.backends.b2b
    if not spec.enabled:
        return None
    config = B2bConfig(
        spec.accounts,
        spec.lines_per_order,
        spec.units_per_line,
        spec.contract_discount_pct,
        spec.contract_skus,
        spec.net_days,
        spec.late_payment_rate,
        spec.late_days_max,
        spec.short_payment_rate,
        spec.duplicate_remittance_rate,
        spec.po_resend_rate,
    )
    companies = draw_companies(streams.get("b2b:accounts"), config, world.skus)
    return B2bPortal(
        env, streams.get("b2b"), config, storefront, world.skus, world.popularity, companies
    )


def parcel_arrivals(
    customers: Callable[[], Customers], portal: list[B2bPortal]
) -> Callable[[str, list[tuple[str, int]]], None]:
    """Where the WMS says a parcel arrived: a company's goods to its desk at the B2B
    portal (`portal`: the one the estate has, once it is built), anyone else's to the
    customers (the only ones without a portal)."""

    def on_shipped(ref: str, lines: list[tuple[str, int]]) -> None:
        if portal and ref in portal[0].orders:
            portal[0].on_shipped(ref, lines)
        else:
            customers().on_shipped(ref, lines)

    return on_shipped


def guard_backends(
    env: simpy.Environment, scenario: Scenario, backends: MutableMapping[str, Guarded]
) -> dict[str, TokenAuthority]:
    """Put each backend with a `token_lifetime` behind its token authority, in
    `backends` itself (so every call to it passes the bearer check); returns the
    authorities, by system. None for a scenario without tokens: it runs as before."""
    authorities: dict[str, TokenAuthority] = {}
    for system, lifetime_s in scenario.backends.token_lifetimes().items():
        authority = TokenAuthority(env, system, backends[system], lifetime_s)
        backends[system] = authorities[system] = authority
    return authorities


def build_customers(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    world: World,
    channels: tuple[Storefront, tuple[Marketplace, ...], Pos],
) -> Customers:
    """The customers of every channel (the marketplaces' through the one they bought at)."""
    d = scenario.demand
    storefront, marketplaces, pos = channels
    marketplace = marketplaces[0]
    return Customers(
        env,
        streams.get("customers"),
        world,
        storefront,
        marketplace,
        pos,
        cancel_rate=d.cancel_rate,
        cancel_rates=(
            {} if d.cancel_rate_marketplace is None else {"marketplace": d.cancel_rate_marketplace}
        ),
        return_rates={
            "web": d.return_rate_web,
            "marketplace": d.return_rate_marketplace,
            "click_collect": d.return_rate_click_collect,
            "store": d.return_rate_store,
        },
        return_in_store_share=d.return_in_store_share,
        return_delay_h=d.return_delay_h,
        collect_delay_h=d.collect_delay_h,
        more_marketplaces=marketplaces[1:],
    )
