"""The business metrics' families, declared once: name, type, meaning, labels, unit.

`scenarios.checking.business_metrics` fills them from a run; `retailtwin serve` shows
them at /metrics while the day runs, and `run --out` and `compare --out` write them to
metrics.prom when a run ends, so a dashboard on the live server reads a finished run's
file alike. docs/api.md lists them, dashboards/retailtwin.json queries them (tested).

Conventions (prometheus.io/docs/practices/naming): base units (seconds), `_total` on
counters, lower-case labels. Latencies are histograms, so Prometheus can aggregate them
and take any quantile by channel (`histogram_quantile`); their buckets run from 0.1 s to
a day, because an order reaches the ERP in a second when all is well and in hours when
the ERP is down. A histogram holds finished items only, so its buckets only ever grow (a
counter that went down would read as a reset); the items not finished yet are gauges
beside it (`..._unfinished` and the age of the oldest), which at the end of a run are
the censored ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hub.model.order import Channel
from scenarios.checking.dropship_families import DROPSHIP_FAMILIES
from scenarios.checking.family import Family
from scenarios.checking.observations import LATENCY_BUCKETS_S as LATENCY_BUCKETS_S  # declared there
from scenarios.checking.receivable_families import RECEIVABLE_FAMILIES
from simulators.marketplace import MARKETPLACE
from simulators.storefront import WEB


@dataclass(frozen=True, slots=True)
class Measure:
    """A latency measure of `observations.latency_observations`, as a histogram; when
    `unfinished` names its unfinished items, also gauges of them (their number, and
    the age of the oldest)."""

    key: str
    name: str
    help: str
    label: str
    #: the label's values, shown (at zero) before any item has them
    known: tuple[str, ...]
    #: what its unfinished items are, for the gauges' help ("": it has none counted)
    unfinished: str = ""


MEASURES = (
    Measure(
        "order_to_erp",
        "retailtwin_order_to_erp_seconds",
        "Order placed at a channel to the ERP booking its sales order, per order booked.",
        "channel",
        Channel.ORDER_CHANNELS,
        unfinished="orders fulfilled or being fulfilled that the ERP has not booked yet",
    ),
    Measure(
        "order_to_ship",
        "retailtwin_order_to_ship_seconds",
        "Order placed at a channel to the WMS shipping it, per order shipped.",
        "channel",
        Channel.ORDER_CHANNELS,
        unfinished="orders released to a DC and not shipped yet",
    ),
    Measure(
        "sync_lag",
        "retailtwin_sync_lag_seconds",
        "Stock movement at its source (WMS or till) to the channel's view including it, "
        "whatever carried it, per movement.",
        "channel",
        (WEB, MARKETPLACE),
        unfinished="stock movements no feed has brought to the channel yet",
    ),
    Measure(
        "fraud_review",
        "retailtwin_fraud_review_seconds",
        "A held order's wait: the fraud screen's case opening to its release reaching a DC "
        "or store, or its authorisation's void (rejected, or cancelled meanwhile).",
        "channel",
        Channel.ORDER_CHANNELS,
        unfinished="orders held for review and not released or voided yet",
    ),
    Measure(
        "return_to_refund",
        "retailtwin_return_to_refund_seconds",
        "Return received to refunded: by the gateway (to the card) or at a till (0 s).",
        "route",
        ("gateway", "till"),
        unfinished="returns received and not refunded yet",
    ),
)


def _measure_families(measure: Measure) -> Iterator[Family]:
    label = (measure.label,)
    yield Family(measure.name, "histogram", measure.help, label, "seconds")
    if measure.unfinished:
        stem = measure.name.removesuffix("_seconds")
        what = measure.unfinished[0].upper() + measure.unfinished[1:]
        yield Family(
            f"{stem}_unfinished",
            "gauge",
            f"{what}; at the run's end, the censored ones.",
            label,
        )
        yield Family(
            f"{stem}_unfinished_oldest_seconds",
            "gauge",
            f"Age of the oldest of the {measure.unfinished}: a lower bound on its latency.",
            label,
            "seconds",
        )


FAMILIES: tuple[Family, ...] = (
    *(family for measure in MEASURES for family in _measure_families(measure)),
    Family("retailtwin_orders_total", "counter", "Orders the channels accepted.", ("channel",)),
    Family(
        "retailtwin_ordered_units_total", "counter", "Units the channels accepted.", ("channel",)
    ),
    Family(
        "retailtwin_oversold_units_total",
        "counter",
        "Units accepted that no shelf could fill, from the WMS's and the stores' picks.",
        ("channel",),
    ),
    Family(
        "retailtwin_sales_at_moving_prices_total",
        "counter",
        "Channel orders and till sales of a SKU whose price moved that day.",
        ("channel",),
    ),
    Family(
        "retailtwin_stale_price_orders_total",
        "counter",
        "Of those, the ones charged a price other than the pricing source's at that moment.",
        ("channel",),
    ),
    Family(
        "retailtwin_price_difference_cents_total",
        "counter",
        "Money at stake on stale-price lines: charged above the source's price "
        "(overcharged) or below it (given_away).",
        ("direction",),
    ),
    Family(
        "retailtwin_fraud_held_orders_total",
        "counter",
        "Orders the fraud screen held for review (0 without a screen).",
        ("channel",),
    ),
    Family(
        "retailtwin_fraud_false_holds_total",
        "counter",
        "Of those, the genuine ones, by the screen's truth.",
        ("channel",),
    ),
    Family(
        "retailtwin_fraud_rejected_orders_total",
        "counter",
        "Held orders the screen's analysts rejected.",
        ("channel",),
    ),
    Family(
        "retailtwin_tax_liability_cents",
        "gauge",
        "The liability the tax engine holds: tax committed less tax reversed (0 without "
        "an engine).",
    ),
    Family(
        "retailtwin_tax_estimated_orders_total",
        "counter",
        "Orders filed at the tax engine whose customer paid the channel's estimate.",
    ),
    Family(
        "retailtwin_tax_absorbed_cents_total",
        "counter",
        "Liability the customers' tax fell short of, absorbed by the retailer when it was "
        "trued up.",
    ),
    Family(
        "retailtwin_settlement_payouts_booked_total",
        "counter",
        "Payouts of a settling marketplace the ERP booked (0 without one).",
    ),
    Family(
        "retailtwin_settlement_paid_short_cents_total",
        "counter",
        "What the marketplace's payouts paid short of the orders' charges.",
    ),
    Family(
        "retailtwin_settlement_unreconciled_lines",
        "gauge",
        "Lines of reported payouts the ERP has not booked, or booked at another amount than "
        "they should be.",
    ),
    Family(
        "retailtwin_settlement_unreconciled_cents",
        "gauge",
        "The money of those lines, as they should have been.",
    ),
    *RECEIVABLE_FAMILIES,
    *DROPSHIP_FAMILIES,
    Family(
        "retailtwin_parcels_total",
        "counter",
        "Parcels the carrier took from the DCs' docks (an order shipped in parts sends one "
        "per part).",
        ("channel",),
    ),
    Family(
        "retailtwin_parcels_out_of_region_total",
        "counter",
        "Of those, parcels to a customer in another region than their DC's (a longer transit).",
        ("channel",),
    ),
    Family(
        "retailtwin_lines_short_total",
        "counter",
        "Order lines the customer did not get whole for want of stock (lines of oversold orders).",
        ("channel",),
    ),
    Family(
        "retailtwin_tokens_issued_total",
        "counter",
        "Access tokens a backend's token endpoint issued the hub (backends with "
        "`token_lifetime` only).",
        ("system",),
    ),
    Family(
        "retailtwin_unauthorised_responses_total",
        "counter",
        "Calls a backend's API refused with 401 for want of a valid access token.",
        ("system",),
    ),
    Family(
        "retailtwin_unauthorised_seconds_total",
        "counter",
        "Time a backend's API refused the hub for want of a valid token: from a refusal "
        "to its next call taken (a spell still open counted to now).",
        ("system",),
        "seconds",
    ),
    Family("retailtwin_messages_sent_total", "counter", "Messages sent, per link.", ("link",)),
    Family(
        "retailtwin_duplicates_delivered_total",
        "counter",
        "Extra copies of messages the network delivered, per link.",
        ("link",),
    ),
    Family(
        "retailtwin_messages_reordered_total",
        "counter",
        "Messages held back and delivered out of order, per link.",
        ("link",),
    ),
    Family(
        "retailtwin_messages_redelivered_total",
        "counter",
        "Messages lost and delivered again later, per link.",
        ("link",),
    ),
    Family(
        "retailtwin_duplicates_absorbed_total",
        "counter",
        "Repeated messages the hub's idempotent consumer dropped.",
    ),
    Family(
        "retailtwin_duplicated_effects_total",
        "counter",
        "Effects a backend carried out more than once (what got past the hub): extra ERP "
        "sales orders, payment captures and refunds.",
        ("effect",),
    ),
    Family(
        "retailtwin_returns_received_total",
        "counter",
        "Returns whose goods were received, at a DC or a till.",
    ),
    Family("retailtwin_dead_letter_depth", "gauge", "Dead letters waiting."),
    Family("retailtwin_dead_letters_total", "counter", "Messages and calls dead-lettered."),
    Family("retailtwin_dead_letters_replayed_total", "counter", "Dead letters replayed."),
    Family(
        "retailtwin_parked_events", "gauge", "Facts held back until their order or return arrives."
    ),
    Family("retailtwin_erp_backlog", "gauge", "Requests waiting inside the ERP."),
    Family(
        "retailtwin_lane_queue_depth",
        "gauge",
        "Calls the hub has accepted for a backend and not settled (the ERP's: its ERP queue).",
        ("system",),
    ),
    Family(
        "retailtwin_breaker_open",
        "gauge",
        "1 when a backend's circuit breaker is open or half open.",
        ("system",),
    ),
    Family(
        "retailtwin_breaker_state",
        "gauge",
        "1 for the state a backend's circuit breaker is in (closed, open, half_open).",
        ("system", "state"),
    ),
    Family("retailtwin_breaker_opens_total", "counter", "Times a breaker opened.", ("system",)),
    Family(
        "retailtwin_feed_pending_changes",
        "gauge",
        "Availability changes waiting for the next channel feed.",
    ),
    Family(
        "retailtwin_reconciliation_backlog",
        "gauge",
        "Physical facts the ERP has not booked yet: orders shipped or collected without an "
        "invoice, returns received without a credit memo.",
    ),
    Family(
        "retailtwin_stock_positions_out_of_sync",
        "gauge",
        "Stock positions (SKU at a location) where a book differs from the location's own "
        "count: book=hub the hub's, book=erp the ERP's stock ledger.",
        ("book",),
    ),
    Family(
        "retailtwin_exception_queue_depth",
        "gauge",
        "Orders and returns in the hub's exception queue.",
    ),
    Family(
        "retailtwin_exception_queue_oldest_age_seconds",
        "gauge",
        "How long the oldest item in the hub's exception queue has been there.",
        unit="seconds",
    ),
    Family("retailtwin_reconciliation_runs_total", "counter", "Reconciliation runs started."),
    Family(
        "retailtwin_reconciliation_drift_positions_total",
        "counter",
        "Positions reconciliation found the hub had wrong, and corrected.",
    ),
    Family(
        "retailtwin_reconciliation_catch_ups_total",
        "counter",
        "Positions a snapshot moved ahead of reports still on the wire (not drift).",
    ),
    Family(
        "retailtwin_erp_ledger_written_off_positions_total",
        "counter",
        "Stock positions the ERP's ledger had wrong and wrote off as an inventory "
        "difference, from the ERP's own documents.",
    ),
    Family(
        "retailtwin_erp_ledger_written_off_units_total",
        "counter",
        "Units the ERP wrote off as inventory differences.",
    ),
)

_BY_NAME = {family.name: family for family in FAMILIES}


def series_names() -> frozenset[str]:
    """Every sample name the families produce (for checking a dashboard's queries)."""
    return frozenset(name for family in FAMILIES for name in family.series())


def family(name: str) -> Family:
    """The family of that name (as scraped: counters with `_total`)."""
    return _BY_NAME[name]
