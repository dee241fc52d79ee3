"""A scenario as data: what world, what demand, which faults, which hub design, which
thresholds. Parsed from TOML by `scenarios.spec.loader` with precise errors; every field here
is documented in docs/scenarios.md. Durations are seconds; rates are per hour of
simulated time; money is integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.policy import HubPolicy
from scenarios.spec.backend_specs import B2bSpec, PartnerSpec, StoreSpec
from scenarios.spec.marketplace_spec import (
    MarketplaceSpec,
    NamedMarketplaceSpec,
    PlacedMarketplace,
    placed_marketplaces,
)
from scenarios.spec.pricing_spec import PricingSpec
from simulators.faults import FaultKind


@dataclass(frozen=True, slots=True)
class WorldSpec:
    skus: int = 400
    stores: int = 12
    dcs: int = 3
    customers: int = 5000
    regions: tuple[str, ...] = ("north", "south", "east", "west")
    #: fraction of the catalogue each store ranges
    store_range: float = 0.3
    #: days of expected demand each DC starts with, per SKU
    dc_cover_days: float = 3.0
    #: units of each ranged SKU a store starts with (mean)
    store_stock_mean: float = 6.0
    #: hours between replenishment receipts at each DC (0: none)
    dc_replenish_interval_h: float = 4.0
    #: hours between store deliveries (0: none)
    store_replenish_interval_h: float = 12.0


@dataclass(frozen=True, slots=True)
class PeakSpec:
    start_s: float
    end_s: float
    multiplier: float


@dataclass(frozen=True, slots=True)
class FlashSaleSpec:
    start_s: float
    end_s: float
    #: how many of the most popular SKUs are on sale
    hot_skus: int
    #: demand multiplier for the sale's SKUs during the sale (channel orders only)
    multiplier: float
    #: which channels run the sale
    channels: tuple[str, ...] = ("web", "marketplace")


@dataclass(frozen=True, slots=True)
class DemandSpec:
    #: baseline arrival rates per hour before the hourly profile and peaks apply
    web_orders_per_hour: float = 60.0
    marketplace_orders_per_hour: float = 25.0
    click_collect_orders_per_hour: float = 10.0
    store_sales_per_hour: float = 300.0
    #: 24 relative multipliers, one per hour of day (mean need not be 1)
    hourly_profile: tuple[float, ...] = (
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.4,
        0.7,
        1.0,
        1.2,
        1.3,
        1.4,
        1.5,
        1.4,
        1.3,
        1.3,
        1.4,
        1.6,
        1.8,
        1.9,
        1.7,
        1.3,
        0.8,
        0.4,
    )
    peaks: tuple[PeakSpec, ...] = ()
    flash_sales: tuple[FlashSaleSpec, ...] = ()
    #: Zipf exponent of SKU popularity: 1.0 is classic retail long tail
    zipf_s: float = 1.05
    #: mean lines per channel order (geometric, at least 1)
    basket_lines_mean: float = 1.5
    #: probability a channel customer cancels shortly after ordering
    cancel_rate: float = 0.02
    #: the same for marketplace buyers, when it differs (none: `cancel_rate`)
    cancel_rate_marketplace: float | None = None
    #: fraction of delivered units returned, by channel
    return_rate_web: float = 0.15
    return_rate_marketplace: float = 0.12
    return_rate_click_collect: float = 0.08
    return_rate_store: float = 0.04
    #: of returns of web orders, the share brought back to a store rather than posted
    return_in_store_share: float = 0.3
    #: hours from delivery to the return arriving (median of a lognormal)
    return_delay_h: float = 3.0
    #: hours from "ready" to the customer collecting a click-and-collect order (median)
    collect_delay_h: float = 2.0


@dataclass(frozen=True, slots=True)
class ErpSpec:
    #: "api": a cloud ERP API; "legacy_batch": only batched file imports on an interval
    mode: str = "api"
    idempotent_refs: bool = False
    concurrency: int = 12
    service_time_median_s: float = 0.25
    service_time_p95_s: float = 1.2
    #: requests per second before the ERP answers 429 (0: no limit)
    rate_limit_per_s: float = 40.0
    #: waiting requests beyond this are refused with 429
    queue_limit: int = 400
    import_interval_s: float = 900.0
    #: probability the ERP books a request but its answer is lost (the caller times out)
    lost_response_rate: float = 0.002
    #: how long an access token from the ERP's token endpoint lives (0: its API wants
    #: none); an API client only: not with `mode = "legacy_batch"` nor a cutover
    token_lifetime_s: float = 0.0


@dataclass(frozen=True, slots=True)
class WmsSpec:
    pickers_per_dc: int = 40
    pick_time_median_s: float = 240.0
    pack_ship_median_s: float = 600.0
    inspect_time_median_s: float = 3600.0
    damaged_rate: float = 0.15


@dataclass(frozen=True, slots=True)
class PosSpec:
    store_pick_time_median_s: float = 900.0
    damaged_rate: float = 0.1
    #: seconds between offline-backlog uploads once a store reconnects
    reconnect_upload_spread_s: float = 600.0


@dataclass(frozen=True, slots=True)
class PaymentSpec:
    decline_rate: float = 0.02
    #: probability a request is processed but its answer lost (the hub times out)
    lost_response_rate: float = 0.002
    service_time_median_s: float = 0.3
    auth_ttl_s: float = 7 * 86400.0


@dataclass(frozen=True, slots=True)
class TaxSpec:
    """The tax engine (simulators/tax.py): absent unless `enabled`, so a scenario that
    does not ask for one runs as it always did, with the channels' flat-rate tax."""

    enabled: bool = False
    service_time_median_s: float = 0.15
    #: probability the engine records a request but its answer is lost (the hub times out)
    lost_response_rate: float = 0.0
    #: requests per second the engine's API allows before answering 429 (0: no limit)
    rate_limit_per_s: float = 0.0
    #: each region's own rate on top of the catalogue's is drawn up to this, in percent
    region_rate_max_pct: float = 2.5


@dataclass(frozen=True, slots=True)
class FraudSpec:
    """The fraud screen (simulators/fraud.py): absent unless `enabled`, so a scenario
    that does not ask for one runs as it always did, every authorised order released."""

    enabled: bool = False
    #: the share of orders that are fraudulent (the truth the checker holds the hub to)
    fraud_rate: float = 0.01
    #: of fraudulent orders, the share the screen sends to review
    detection_rate: float = 0.85
    #: of genuine orders, the share the screen sends to review anyway (false holds)
    false_review_rate: float = 0.03
    #: analysts working the review queue at once
    analysts: int = 4
    review_time_median_s: float = 900.0
    review_time_p95_s: float = 3600.0
    #: the probability an analyst decides a case wrong
    analyst_error_rate: float = 0.05
    service_time_median_s: float = 0.2


@dataclass(frozen=True, slots=True)
class BackendsSpec:
    erp: ErpSpec = field(default_factory=ErpSpec)
    wms: WmsSpec = field(default_factory=WmsSpec)
    pos: PosSpec = field(default_factory=PosSpec)
    marketplace: MarketplaceSpec = field(default_factory=MarketplaceSpec)
    payment: PaymentSpec = field(default_factory=PaymentSpec)
    tax: TaxSpec = field(default_factory=TaxSpec)
    fraud: FraudSpec = field(default_factory=FraudSpec)
    store: StoreSpec = field(default_factory=StoreSpec)
    b2b: B2bSpec = field(default_factory=B2bSpec)
    #: several named marketplaces in place of `marketplace` (scenarios/spec/marketplace_spec.py)
    marketplaces: tuple[NamedMarketplaceSpec, ...] = ()
    #: drop-ship partners (`[[backends.partners]]`), none by default
    partners: tuple[PartnerSpec, ...] = ()

    def token_lifetimes(self) -> dict[str, float]:
        """The backends whose API wants an access token, and how long one lives
        (simulators/credentials.py); another backend joins by growing a
        `token_lifetime_s` and an entry here."""
        lifetimes = {"erp": self.erp.token_lifetime_s}
        for placed in self.placed_marketplaces(0.0):
            lifetimes[placed.name] = placed.spec.token_lifetime_s
        lifetimes |= {f"partner:{p.name}": p.token_lifetime_s for p in self.partners}
        return {system: s for system, s in lifetimes.items() if s > 0}

    def placed_marketplaces(self, orders_per_hour: float) -> tuple[PlacedMarketplace, ...]:
        """Every marketplace, named, with its demand (`orders_per_hour`: the
        scenario's `demand.marketplace_orders_per_hour`)."""
        return placed_marketplaces(self.marketplace, self.marketplaces, orders_per_hour)


@dataclass(frozen=True, slots=True)
class NetworkSpec:
    """Every link delivers at least once: duplicates and reordering are never zero."""

    latency_median_s: float = 0.05
    latency_p95_s: float = 0.25
    duplicate_rate: float = 0.002
    reorder_rate: float = 0.002
    #: a reordered message is held back by up to this long
    reorder_delay_s: float = 30.0
    loss_rate: float = 0.0005
    #: a lost message is redelivered by the broker after this long (median)
    redelivery_delay_s: float = 120.0


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """One fault window. `target` is a backend (`erp`, `wms`, `payment`, `marketplace`,
    `pos`), a link (`link:SRC->DST`), or a store region (`pos:REGION`) for `offline`;
    which kinds each target can have is in `simulators.faults`, the one table of fault
    kinds."""

    target: str
    kind: FaultKind
    start_s: float
    duration_s: float
    #: kind-specific intensity: a probability for duplicate/reorder/loss/decline,
    #: requests per second for throttle, a latency multiplier for slow, the
    #: authorisation lifetime in seconds for expire
    rate: float = 0.0


#: systems a cutover can switch, and the interfaces each can switch between
CUTOVER_MODES: dict[str, tuple[str, ...]] = {"erp": ("api", "legacy_batch")}


@dataclass(frozen=True, slots=True)
class CutoverSpec:
    """A planned switch of a backend's interface at a moment of the run, for good: the
    ERP from its legacy batch file import to its cloud API (or back). Unlike a fault it
    does not end; the systems keep trading through it."""

    at_s: float
    #: the interface from `at_s` on: for the ERP, "api" or "legacy_batch"
    mode: str
    system: str = "erp"


@dataclass(frozen=True, slots=True)
class PercentileLimits:
    """Upper limits on one latency's percentiles for one channel (None: no limit).
    A percentile that rests on items never finished is a lower bound and fails."""

    p50_s: float | None = None
    p95_s: float | None = None
    p99_s: float | None = None
    max_s: float | None = None


@dataclass(frozen=True, slots=True)
class OrderLatencyLimits:
    """Limits for an order latency, over every channel (`all`) and per channel.
    `all.p95` is `sla.order_to_erp_p95` / `sla.order_to_ship_p95`, set there."""

    all: PercentileLimits = field(default_factory=PercentileLimits)
    web: PercentileLimits = field(default_factory=PercentileLimits)
    click_collect: PercentileLimits = field(default_factory=PercentileLimits)
    marketplace: PercentileLimits = field(default_factory=PercentileLimits)


@dataclass(frozen=True, slots=True)
class SyncLagLimits:
    """Limits for sync lag over both channels' views (`all`) and per channel.
    `all.p95` is `sla.sync_lag_p95`, set there."""

    all: PercentileLimits = field(default_factory=PercentileLimits)
    web: PercentileLimits = field(default_factory=PercentileLimits)
    marketplace: PercentileLimits = field(default_factory=PercentileLimits)


@dataclass(frozen=True, slots=True)
class RefundLatencyLimits:
    """Limits for return-to-refund on the card (till refunds are instant by design).
    `gateway.p95` is `sla.return_to_refund_p95`, set there."""

    gateway: PercentileLimits = field(default_factory=PercentileLimits)


@dataclass(frozen=True, slots=True)
class SlaSpec:
    """Thresholds; a metric with no threshold is reported but cannot fail the run."""

    order_to_erp_p95_s: float | None = 900.0
    order_to_ship_p95_s: float | None = None
    sync_lag_p95_s: float | None = 120.0
    marketplace_ack_within_window_pct: float | None = 99.0
    return_to_refund_p95_s: float | None = None
    dead_letter_drain_s: float | None = None
    oversold_units_max: float | None = None
    oversell_rate_pct_max: float | None = None
    erp_queue_depth_max: float | None = None
    reconciliation_drift_max: float | None = None
    #: stock positions the ERP's ledger had wrong (written off, or off at the end):
    #: a hub that posts every movement has none
    erp_ledger_drift_max: float | None = 0.0
    #: effects the backends carried out twice, per 100 orders and returns
    duplicate_rate_pct_max: float | None = None
    #: physical facts (shipments, returns received) the ERP had not booked, at most
    reconciliation_backlog_max: float | None = None
    #: the oldest open item in the hub's exception queue at the end of the run
    exception_queue_age_max_s: float | None = None
    #: orders (and till sales) charged a price other than the pricing source's, per
    #: 100 of those that sold a SKU whose price moved that day
    stale_price_orders_pct_max: float | None = None
    #: a held order's wait, from the fraud screen's case opening to the hub releasing
    #: it (or, rejected, voiding its authorisation), p95
    fraud_review_p95_s: float | None = None
    #: lines of a settling marketplace's payouts the ERP has not booked, or booked at
    #: another amount than they should be, at the end of the run
    unreconciled_payout_lines_max: float | None = None
    #: the longest spell a backend's API refused the hub for want of a valid access
    #: token, from its first 401 to its next call taken (backends with `token_lifetime`)
    unauthorised_max_s: float | None = None
    #: remittances the B2B portal sent that the ERP has not booked at the end of the run
    unapplied_remittances_max: float | None = None
    order_to_erp: OrderLatencyLimits = field(default_factory=OrderLatencyLimits)
    order_to_ship: OrderLatencyLimits = field(default_factory=OrderLatencyLimits)
    sync_lag: SyncLagLimits = field(default_factory=SyncLagLimits)
    return_to_refund: RefundLatencyLimits = field(default_factory=RefundLatencyLimits)
    delivery_p95_s: float | None = None  # order to door (last parcel's delivery scan), p95
    partner_lines_to_partner_pct: float | None = None  # scenarios/checking/dropship.py
    partner_pos_unacknowledged_max: float | None = None  # drop-ship partners


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    seed: int = 1
    #: the time of day the run begins (0: midnight): the hourly demand profile is read
    #: by the time of day; peaks, faults and cutovers count from the run's start
    start_s: float = 0.0
    duration_s: float = 86400.0
    #: after demand stops, how long queues may take to drain before the checker runs
    drain_s: float = 6 * 3600.0
    #: scales demand rates and world size together (tests run the library at 0.05)
    scale: float = 1.0
    world: WorldSpec = field(default_factory=WorldSpec)
    demand: DemandSpec = field(default_factory=DemandSpec)
    backends: BackendsSpec = field(default_factory=BackendsSpec)
    network: NetworkSpec = field(default_factory=NetworkSpec)
    pricing: PricingSpec = field(default_factory=PricingSpec)
    faults: tuple[FaultSpec, ...] = ()
    cutovers: tuple[CutoverSpec, ...] = ()
    hub: HubPolicy = field(default_factory=HubPolicy)
    sla: SlaSpec = field(default_factory=SlaSpec)

    def marketplaces(self) -> tuple[PlacedMarketplace, ...]:
        """Every marketplace of the estate, named, with its orders per hour."""
        return self.backends.placed_marketplaces(self.demand.marketplace_orders_per_hour)
