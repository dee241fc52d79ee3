"""The backends an estate has only when its scenario asks for them: the tax engine
(`backends.tax.enabled`), the fraud screen (`backends.fraud.enabled`) and the
marketplace's settlement desk (`backends.marketplace.settlement_interval`); and the
token endpoints in front of the APIs that want an access token (`token_lifetime`).

Why here and not in the simulators: each takes its settings in its own terms (the tax
engine its rates in basis points per SKU and per region, the fraud screen its rates
and its analysts); turning the scenario's spec and the world into those, from the
run's own named random streams, is the twin's job. A scenario without them draws
nothing and runs exactly as before.
"""

from __future__ import annotations

import random
from collections.abc import MutableMapping

import simpy

from scenarios.spec.scenario import Scenario
from simulators.credentials import Guarded, TokenAuthority
from simulators.fraud import FraudConfig, FraudScreen
from simulators.marketplace import Marketplace
from simulators.rng import Streams
from simulators.settlement import SettlementConfig, SettlementDesk
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
    env: simpy.Environment, scenario: Scenario, streams: Streams, emit: Emit
) -> Marketplace:
    spec = scenario.backends.marketplace
    settlement = None
    if spec.settlement_interval_s > 0:  # only then is the `settlement` stream drawn
        config = SettlementConfig(
            spec.settlement_interval_s,
            spec.commission_pct,
            spec.settlement_report_delay_s,
            spec.settlement_error_rate,
            spec.chargeback_rate,
        )
        settlement = SettlementDesk(env, streams.get("settlement"), config, emit)
    return Marketplace(
        env,
        emit,
        spec.ack_window_s,
        spec.resend_after_s,
        spec.rate_limit_per_s,
        spec.price_feed_delay_s,
        settlement,
    )


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
