"""Specs of backends that stand apart from the estate's core systems: the hub's
durable store and the B2B portal (kept out of `scenarios.spec.scenario`, which holds
everything else and is at its size limit; it imports and uses both)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoreSpec:
    """The hub's durable store (where it commits its journal; hub/durability/)."""

    #: how long one commit (one flush of the log) takes; entries arriving meanwhile are
    #: grouped into the next flush. 0: every commit is instant
    commit_latency_s: float = 0.0


@dataclass(frozen=True, slots=True)
class B2bSpec:
    """The B2B portal (simulators/b2b.py): company accounts ordering at contract prices
    on payment terms; absent unless `enabled`, so a scenario that does not ask for one
    runs as it always did."""

    enabled: bool = False
    #: company accounts, each with its contract price list
    accounts: int = 20
    orders_per_hour: float = 4.0
    #: the lines of an order and the units of a line, drawn uniformly between the two
    lines_per_order: tuple[int, int] = (10, 80)
    units_per_line: tuple[int, int] = (5, 50)
    #: each account's discount off list, drawn between the two, in percent
    contract_discount_pct: tuple[float, float] = (5.0, 20.0)
    #: SKUs with a negotiated price per account (a few points below its discount)
    contract_skus: int = 25
    #: payment terms: an invoice falls due this many days after the goods arrive
    net_days: int = 30
    #: the share of invoices paid late, and how late at most (days past due)
    late_payment_rate: float = 0.2
    late_days_max: float = 3.0
    #: the share of invoices paid short (5 to 50% less), the rest left open
    short_payment_rate: float = 0.05
    #: the share of remittances the company sends a second time
    duplicate_remittance_rate: float = 0.05
    #: the share of orders whose PO the buyer submits again
    po_resend_rate: float = 0.05


@dataclass(frozen=True, slots=True)
class PartnerSpec:
    """A drop-ship partner (simulators/dropship.py): a supplier that ships a share of
    the catalogue to the customers from its own shelves on the hub's purchase orders.
    Its SKUs are drawn from the catalogue from the seed and are stocked nowhere else."""

    #: lowercase letters and digits; its API is `partner:NAME` (a fault's target), its
    #: location `DS-NAME`
    name: str
    #: the share of the catalogue's SKUs it fulfils (at least one SKU)
    sku_share: float = 0.05
    #: the region it ships from ("": the world's regions in turn)
    region: str = ""
    #: days of the DCs' cover its shelves start with (it restocks nothing in the run)
    stock_cover_days: float = 3.0
    #: how long the hub waits for a PO's acknowledgement before sending it again
    ack_window_s: float = 1800.0
    #: median of the time it takes to acknowledge a PO (p95 four times as long)
    ack_time_median_s: float = 300.0
    #: median from acknowledging a PO to handing its parcel to the carrier (p95 2x)
    processing_time_median_s: float = 7200.0
    #: how often it publishes its whole stock
    stock_feed_interval_s: float = 3600.0
    #: the share of shipment notices sent late, and how late
    late_notice_rate: float = 0.05
    late_notice_delay_s: float = 7200.0
    #: the share of PO lines it cannot fill at all (short whole)
    unfillable_rate: float = 0.0
    #: the share of POs lost on receipt: nothing happens until the hub sends it again
    po_loss_rate: float = 0.0
    #: how long an access token from its token endpoint lives (0: its API wants none)
    token_lifetime_s: float = 0.0
