"""The marketplaces of an estate: one, from `[backends.marketplace]` (as every scenario
always had), or several named ones, each its own system with its own demand, windows,
limits, settlement and credentials (`[[backends.marketplaces]]`).

Kept out of `scenarios.spec.scenario`, which is at its size limit; it imports these.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the name (the system, the source, the fault target) of a scenario's one marketplace
#: when it declares none by name
DEFAULT_MARKETPLACE = "marketplace"


@dataclass(frozen=True, slots=True)
class MarketplaceSpec:
    ack_window_s: float = 900.0
    #: the marketplace resends an unacknowledged order after this long
    resend_after_s: float = 300.0
    #: requests per second its seller API allows before answering 429 (0: no limit)
    rate_limit_per_s: float = 0.0
    #: how long the marketplace takes to process a price feed before its offers show
    #: the new prices (marketplaces ingest seller price feeds in batches, not at once)
    price_feed_delay_s: float = 0.0
    #: how often a marketplace that collects its buyers' money pays us out, net of its
    #: commission, refunds and chargebacks (simulators/settlement.py); 0: it does not
    #: collect, and its buyers pay through our own gateway
    settlement_interval_s: float = 0.0
    #: its commission on each order it pays over, in percent
    commission_pct: float = 15.0
    #: how long after a payout its settlement report arrives (median of a lognormal)
    settlement_report_delay_s: float = 1800.0
    #: probability an order's line in a settlement report is wrong: paid short, or the
    #: order paid twice (a second line)
    settlement_error_rate: float = 0.0
    #: probability an order it charged is disputed and taken back in a payout
    chargeback_rate: float = 0.0
    #: how long an access token from the seller API's token endpoint lives (0: the API
    #: wants none)
    token_lifetime_s: float = 0.0


@dataclass(frozen=True, slots=True)
class NamedMarketplaceSpec(MarketplaceSpec):
    """One of several marketplaces (`[[backends.marketplaces]]`): every field of
    `[backends.marketplace]`, a name, and its demand: `orders_per_hour`, or
    `share_pct` of `demand.marketplace_orders_per_hour` (exactly one of the two)."""

    #: the marketplace's system name: the hub's lane and source, a fault's `target`
    name: str = ""
    #: its buyers' orders per hour (scaled with `scenario.scale`)
    orders_per_hour: float = 0.0
    #: or its share of `demand.marketplace_orders_per_hour`, in percent
    share_pct: float = 0.0


@dataclass(frozen=True, slots=True)
class PlacedMarketplace:
    """A marketplace as the estate builds it: its name, its spec and its demand."""

    name: str
    spec: MarketplaceSpec
    orders_per_hour: float


def placed_marketplaces(
    single: MarketplaceSpec,
    named: tuple[NamedMarketplaceSpec, ...],
    marketplace_orders_per_hour: float,
) -> tuple[PlacedMarketplace, ...]:
    """Every marketplace of the estate in declared order: the named ones, or the one
    `[backends.marketplace]` describes, named "marketplace", when none is named."""
    if not named:
        return (PlacedMarketplace(DEFAULT_MARKETPLACE, single, marketplace_orders_per_hour),)
    return tuple(
        PlacedMarketplace(
            entry.name,
            entry,
            entry.orders_per_hour or marketplace_orders_per_hour * entry.share_pct / 100,
        )
        for entry in named
    )
