"""The hub's configurable design choices.

Architects compare integration designs by changing these (event-driven vs batch sync,
ERP write buffering on or off, retry and breaker settings). The negative-control switches
(`idempotency`, `ordering`, `defects`) exist so tests can prove the checker fails when the
hub is broken; they are never turned off in a shipped scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SyncMode = Literal["event", "batch"]
AckPolicy = Literal["on_accept", "on_erp"]
#: what reconciliation does with a difference in the ERP's stock ledger
ErpReconcile = Literal["adjust", "report", "off"]
#: what the hub does with an order while the tax engine does not answer its quote
TaxFallback = Literal["hold", "estimate"]
#: which DC an order ships from (hub/model/sourcing.py)
SourcingStrategy = Literal["fullest", "nearest"]

#: Deliberate defects a negative-control run can seed into the hub; see docs/invariants.md.
KNOWN_DEFECTS = frozenset(
    {
        "drop_erp_orders",  # never books some orders in the ERP, silently: "lost order"
        "skip_stock_posting",  # forgets to post store sales to the ERP: convergence
        "skip_credit_memo",  # refunds without a credit memo: money
        "refund_before_receipt",  # refunds at authorisation, before the goods come back
        "unbalanced_journal",  # drops tax from the debit side of postings
        "ignore_shortages",  # forgets lines the WMS could not fill: oversell unmeasured
        "stale_feed",  # pushes availability once at start of day, then never: convergence
        "forget_returns",  # ignores some returns brought to a store counter: no refund
        "ack_before_commit",  # acknowledges a message before committing it: a crash loses it
        "send_before_record",  # calls leave before their input is committed: a crash resends
        "drop_marketplace_promotions",  # no promotion (SKU or basket) reaches the marketplace
        "skip_tax_reversal",  # refunds returns without reversing their tax at the tax engine
        "release_before_review",  # releases an order the fraud screen holds for review
        "drop_review_decisions",  # loses every tenth analyst's decision: held for ever
        "book_payouts_blindly",  # books each payout line as reported, matched or not
        "capture_b2b_on_card",  # takes a company's order on account through the gateway
        "ignore_allocation",  # offers every channel all it has, whatever hub.allocation says
        "ignore_token_expiry",  # never renews an access token; a 401 is a final refusal
        "park_expired_authorisations",  # queues an expired authorisation as an exception
        "forget_second_leg",  # releases only the first part of a split order: never shipped
        "source_farthest",  # hub.sourcing "nearest" picks the farthest DC: slow deliveries
        "ack_first_marketplace_only",  # acknowledges every marketplace's orders to the first
        "ship_partner_lines_from_dc",  # drop-shipped lines go to a DC, which has none
        "ignore_partner_ack_window",  # never resends a PO its partner did not acknowledge
    }
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter (AWS architecture blog's "full jitter")."""

    max_attempts: int = 8
    base_delay_s: float = 2.0
    max_delay_s: float = 300.0


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    """A circuit breaker per backend: open after `failure_threshold` consecutive
    failures, probe with one call after `open_s`, close on the first success."""

    failure_threshold: int = 5
    open_s: float = 30.0


@dataclass(frozen=True, slots=True)
class LocationSafetyStock:
    """Units of each SKU held back from every channel at some locations, in place of
    `hub.safety_stock`: a store keeps a few for the customers on its floor, a DC whose
    counts drift keeps more. `location` is a location's id, or `dcs` or `stores` for
    every one of that kind; an id's own entry wins over its kind's."""

    location: str
    units: int


@dataclass(frozen=True, slots=True)
class MarketplaceShare:
    """What one of several marketplaces is offered, in place of `marketplace_share_pct`
    and `marketplace_safety_stock`: each marketplace its own share of the ship-to-home
    stock, so a slow or oversold one cannot sell what the others were promised."""

    #: the marketplace's name (`[[backends.marketplaces]] name`)
    name: str
    #: the share of each SKU's ship-to-home stock it is offered at most
    share_pct: float = 100.0
    #: units of each SKU's ship-to-home stock it is not offered (after its share)
    safety_stock: int = 0


#: `LocationSafetyStock.location` words for every location of a kind
EVERY_DC, EVERY_STORE = "dcs", "stores"


@dataclass(frozen=True, slots=True)
class AllocationPolicy:
    """How much of what is available each channel is offered (hub/model/allocation.py).

    A retailer does not show every channel every unit: a marketplace that acknowledges
    late and cancels on the seller's account is offered a share of the ship-to-home
    stock, and each channel keeps a few units back so the last ones are not sold twice
    in the seconds a feed takes. The defaults offer every channel everything."""

    #: units of each SKU's ship-to-home stock the storefront is not offered
    web_safety_stock: int = 0
    #: units of each SKU's ship-to-home stock the marketplace is not offered
    marketplace_safety_stock: int = 0
    #: units of each store position click-and-collect is not offered
    click_collect_safety_stock: int = 0
    #: the share of each SKU's ship-to-home stock the marketplace is offered at most
    marketplace_share_pct: float = 100.0
    #: safety stock per location (or kind of location), in place of `hub.safety_stock`
    locations: tuple[LocationSafetyStock, ...] = ()
    #: a share per marketplace, by name; one not named takes the two `marketplace_` rules
    marketplaces: tuple[MarketplaceShare, ...] = ()

    def marketplace_rule(self, name: str) -> tuple[float, int]:
        """(share in percent, safety stock) the marketplace `name` is offered."""
        for share in self.marketplaces:
            if share.name == name:
                return share.share_pct, share.safety_stock
        return self.marketplace_share_pct, self.marketplace_safety_stock


@dataclass(frozen=True, slots=True)
class SourcingPolicy:
    """Which DC ships a ship-to-home order, and whether an order may ship in parts
    (hub/model/sourcing.py).

    `fullest` sends the whole order to the DC that can fill the most of it, wherever the
    customer is; `nearest` to the DC nearest the customer's region that can fill all of
    it (ties by fullest), which shortens the carrier's transit. With `split`, an order no
    single DC can fill is divided line by line among the DCs that can (in the
    strategy's order of preference), each part released, picked and shipped on its own,
    so a line one DC lacks ships from another instead of being cut short. The defaults
    are how the hub always sourced: one DC, the fullest, no parts."""

    strategy: SourcingStrategy = "fullest"
    split: bool = False


@dataclass(frozen=True, slots=True)
class HubPolicy:
    idempotency: bool = True
    ordering: bool = True
    sync_mode: SyncMode = "event"
    #: event mode: changes are coalesced for this long before a feed push (debounce);
    #: batch mode: the interval between full feed pushes.
    sync_interval_s: float = 2.0
    #: how price and promotion changes reach the channels: pushed this long after they
    #: arrive (event), or whatever changed pushed on a fixed interval (batch)
    price_sync_mode: SyncMode = "event"
    price_sync_interval_s: float = 2.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    #: at most this many ERP writes in flight at once
    erp_concurrency: int = 8
    #: True: ERP writes wait in a durable buffer while the ERP is down (breaker open);
    #: False: each write is retried on its own and dead-lettered when retries run out.
    erp_buffer: bool = True
    #: units held back from every channel's available-to-sell, per SKU and location
    safety_stock: int = 0
    #: what each channel is offered of what is available (per channel safety stock, a
    #: share for the marketplace)
    allocation: AllocationPolicy = field(default_factory=AllocationPolicy)
    #: seconds between reconciliations against the ERP and WMS (0: never)
    reconcile_interval_s: float = 4 * 3600.0
    #: differences between the ERP's stock ledger and the locations' counts: booked
    #: as inventory differences ("adjust"), only counted ("report"), not looked for
    erp_reconcile: ErpReconcile = "adjust"
    #: seconds between store-sales summaries posted to the ERP
    store_summary_interval_s: float = 900.0
    marketplace_ack: AckPolicy = "on_accept"
    #: with a tax engine: an order whose tax quote has not come back within
    #: `tax_quote_wait_s` waits for it ("hold": nothing is charged or released until the
    #: engine answers) or goes on at the channel's estimated tax ("estimate"), its
    #: liability trued up when the engine commits the delivered goods
    tax_fallback: TaxFallback = "estimate"
    tax_quote_wait_s: float = 10.0
    #: how long a backend call may take before the hub treats it as timed out
    call_timeout_s: float = 30.0
    #: a backend's access token is renewed this long before it expires (at most half
    #: its lifetime), so calls never stop for a renewal
    token_refresh_margin_s: float = 300.0
    #: replay the dead-letter queue automatically when a backend's breaker closes
    auto_replay: bool = True
    #: with auto_replay, also sweep the dead-letter queue this often, replaying the
    #: calls of every backend whose breaker is closed (0: only when a breaker closes);
    #: a call dead-lettered while its backend was merely busy would otherwise wait for
    #: an operator for ever
    auto_replay_interval_s: float = 600.0
    #: commit every input to the durable journal before anything decided while handling
    #: it leaves (hub/durability/); False: decisions leave at once, and a crash of the
    #: hub loses everything it knew
    journal: bool = True
    defects: frozenset[str] = frozenset()
    #: which DC ships an order, and whether it may ship in parts
    sourcing: SourcingPolicy = field(default_factory=SourcingPolicy)

    def has_defect(self, name: str) -> bool:
        return name in self.defects
