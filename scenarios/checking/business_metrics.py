"""The business metrics of a run, as it stands: the families of
`scenarios.checking.metric_families` filled from the simulated systems' own records.

The values come from what the checker reads (`truth.gather`, and the latencies through
`observations.latency_observations`), never from the hub's beliefs; the queue, breaker
and dead-letter gauges are the hub's own state, which is what an operator watches. A
hub judged from ground truth only (an external one) has no state the twin can read:
those families are left without samples (absent, never zero), and so are the hub's
stock book and exception queue.
`document` is what `retailtwin serve`'s /metrics passes on (the live twin stores it in
its read model as often as it judges the day's SLAs) and `exposition_text` the
OpenMetrics file a finished run leaves (metrics.prom).

Counters only grow while a day runs: oversold units count an order once its fate is
known (shipped, collected or cancelled), and, at the end of a run (`final`), the orders
never released too, as the checker counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from hub.model.order import Channel
from hub.resilience.breaker import BreakerState
from scenarios.checking import books, latency, prices, tax
from scenarios.checking.credentials import credentials_metrics
from scenarios.checking.delivery import delivery_metric
from scenarios.checking.dropship import dropship_metric
from scenarios.checking.dropship_families import samples as dropship_samples
from scenarios.checking.hub_orders import exception_queue_since
from scenarios.checking.judging import JudgedFrom, resolve
from scenarios.checking.latency_families import fill_latencies
from scenarios.checking.metric_families import FAMILIES
from scenarios.checking.observations import Walked, latency_observations
from scenarios.checking.openmetrics import (
    Collector,
    CollectorRegistry,
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    exposition,
)
from scenarios.checking.order_figures import OrderFigures, order_figures
from scenarios.checking.receivables import receivables_metric
from scenarios.checking.settlement import settlement_metric
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.fraud import REJECT

#: the content type of the file, as OpenMetrics 1.0 names it
CONTENT_TYPE = exposition.CONTENT_TYPE_LATEST
#: the read model document the API's /metrics passes on (graph/metrics.py), and its key
DOCUMENT = "metrics"
DOCUMENT_KEY = "openmetrics"


#: a finished run's verdict's metrics (`metrics.compute`'s dict, from the same run and
#: truth, judged the same way): `collect` takes the figures it holds
Judged = Mapping[str, Any]


def _figure(judged: Judged | None, key: str, compute: Callable[[], Any]) -> Any:
    """The verdict's figure `key`, else `compute()`'s (no verdict, or a figure it leaves
    out). Computing the delivery figures, the reconciliation backlog and the ERP ledger
    again was about half of a finished run's metrics.prom's CPU time (steady-day)."""
    return judged[key] if judged is not None and key in judged else compute()


def collect(
    result: RunResult,
    truth: Truth,
    final: bool,
    *,
    judged_from: JudgedFrom | None = None,
    judged: Judged | None = None,
    walked: Walked | None = None,
) -> list[Metric]:
    """Every family, filled from `result` as it stands; `final` once the run has ended
    (orders never released count as oversold, as the checker counts them). Judged from
    ground truth only (`judging.judged_from`, unless told), the hub's own state is left
    out. `judged`: the finished run's verdict's metrics, whose figures are taken;
    `walked`: its latencies tallied once for the verdict, the charts and these
    (`observations.walk`), taken instead of walking them again."""
    in_process = resolve(result, judged_from) == JudgedFrom.IN_PROCESS
    families = {family.name: family.empty() for family in FAMILIES}
    fill_latencies(families, latency_observations(result, truth, walked))
    # one walk over the orders for `_orders` and `_delivery`, none when walked already
    orders = order_figures(truth, walked.orders if walked is not None else None)
    _orders(families, orders, final)
    _network(families, result)
    _add(families, "retailtwin_erp_backlog", [], result.estate.erp.queue_length)
    _prices(families, result)
    _fraud(families, result, truth)
    _tax(families, _figure(judged, "tax", lambda: tax.tax_metrics(result, truth)))
    _settlement(families, _figure(judged, "settlement", partial(settlement_metric, result)))
    _receivables(families, _figure(judged, "receivables", partial(receivables_metric, result)))
    if result.estate.partners:  # per partner: no series without partners
        dropship = _figure(judged, "dropship", lambda: dropship_metric(result, truth))
        for name, partner, value in dropship_samples(dropship["partners"]):
            _add(families, name, [partner], value)
    _credentials(families, _figure(judged, "credentials", partial(credentials_metrics, result)))
    # the verdict leaves the delivery figures out exactly when they are None
    delivery = judged.get("delivery") if judged is not None else delivery_metric(result, truth)
    _delivery(families, delivery, orders, final)
    if in_process:
        _hub(families, result)
    _reconciliation(families, result, truth, in_process, judged)
    effects = _figure(judged, "duplicated_effects", partial(books.duplicated_effects, truth))
    _books(families, result, truth, in_process, effects)
    return list(families.values())


def exposition_text(
    result: RunResult,
    truth: Truth,
    final: bool,
    *,
    judged_from: JudgedFrom | None = None,
    judged: Judged | None = None,
    walked: Walked | None = None,
) -> bytes:
    """`collect`'s families as OpenMetrics text (ending `# EOF`)."""
    registry = CollectorRegistry(auto_describe=False)
    families = collect(result, truth, final, judged_from=judged_from, judged=judged, walked=walked)
    registry.register(Fixed(families))
    # prometheus_client's OpenMetrics writer has no annotations
    text: bytes = exposition.generate_latest(registry)  # type: ignore[no-untyped-call]
    return text


def document(
    result: RunResult, truth: Truth, final: bool, *, judged_from: JudgedFrom | None = None
) -> dict[str, str]:
    """The read model document that carries the metrics to the API's /metrics."""
    text = exposition_text(result, truth, final, judged_from=judged_from)
    return {DOCUMENT_KEY: text.decode("utf-8")}


class Fixed(Collector):
    """Families collected already, handed to a registry."""

    def __init__(self, families: Sequence[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return list(self._families)


def _add(families: dict[str, Metric], name: str, labels: Sequence[str], value: float) -> None:
    family = families[name]
    assert isinstance(family, CounterMetricFamily | GaugeMetricFamily), name
    family.add_metric(list(labels), float(value))


def _orders(families: dict[str, Metric], figures: OrderFigures, final: bool) -> None:
    """Orders, units and units short by channel; as the checker counts them once the run
    has ended (`final`), else those of the settled orders only."""
    oversold = figures.oversold if final else figures.oversold_settled
    for channel in sorted(figures.orders):
        _add(families, "retailtwin_orders_total", [channel], figures.orders[channel])
        _add(families, "retailtwin_ordered_units_total", [channel], figures.units[channel])
        _add(families, "retailtwin_oversold_units_total", [channel], oversold.get(channel, 0))


def _prices(families: dict[str, Metric], result: RunResult) -> None:
    """Stale prices so far, from the channels' and tills' own records (checking/prices)."""
    found = prices.audit(result)
    for group in prices.GROUPS:  # every group, 0 on a day whose prices never move
        _add(
            families, "retailtwin_sales_at_moving_prices_total", [group], found.sales.get(group, 0)
        )
        _add(families, "retailtwin_stale_price_orders_total", [group], found.stale.get(group, 0))
    difference = "retailtwin_price_difference_cents_total"
    _add(families, difference, ["overcharged"], found.overcharged_cents)
    _add(families, difference, ["given_away"], found.undercharged_cents)


def _fraud(families: dict[str, Metric], result: RunResult, truth: Truth) -> None:
    """The fraud screen's cases so far, by channel (checking/fraud); 0 without one, as
    prices are on a day whose prices never move."""
    screen = result.estate.fraud
    cases = screen.cases if screen is not None else {}
    held = dict.fromkeys(Channel.ORDER_CHANNELS, 0)
    false_holds, rejected = dict(held), dict(held)
    for ref, case in cases.items():
        channel = truth.orders.channel_of(ref)
        held[channel] = held.get(channel, 0) + 1
        false_holds[channel] = false_holds.get(channel, 0) + (not case.fraudulent)
        rejected[channel] = rejected.get(channel, 0) + (case.decision == REJECT)
    for channel in sorted(held):
        _add(families, "retailtwin_fraud_held_orders_total", [channel], held[channel])
        _add(families, "retailtwin_fraud_false_holds_total", [channel], false_holds[channel])
        _add(families, "retailtwin_fraud_rejected_orders_total", [channel], rejected[channel])


def _tax(families: dict[str, Metric], figures: dict[str, Any]) -> None:
    """The tax engine's liability and what the estimates cost (`tax.tax_metrics`); 0
    without an engine, as prices are on a day whose prices never move."""
    engine = bool(figures["engine"])
    for name, key in (
        ("retailtwin_tax_liability_cents", "liability_cents"),
        ("retailtwin_tax_estimated_orders_total", "orders_charged_an_estimate"),
        ("retailtwin_tax_absorbed_cents_total", "absorbed_cents"),
    ):
        _add(families, name, [], figures[key] if engine else 0)


def _settlement(families: dict[str, Metric], figures: dict[str, Any]) -> None:
    """A settling marketplace's payouts and what is not reconciled
    (`settlement.settlement_metric`); 0 without one."""
    enabled = bool(figures["enabled"])
    for name, key in (
        ("retailtwin_settlement_payouts_booked_total", "payouts_booked"),
        ("retailtwin_settlement_paid_short_cents_total", "paid_short_cents"),
        ("retailtwin_settlement_unreconciled_lines", "unreconciled_lines"),
        ("retailtwin_settlement_unreconciled_cents", "unreconciled_cents"),
    ):
        _add(families, name, [], figures[key] if enabled else 0)


def _delivery(
    families: dict[str, Metric], figures: dict[str, Any] | None, orders: OrderFigures, final: bool
) -> None:
    """The carrier's parcels (`delivery_metric`'s figures, None for an estate without a
    carrier) and the lines short, per ship-to-home channel. As with oversold units, an
    order still on its way counts its short lines only once it is settled, or the run
    has ended, so the counter never goes down."""
    by_channel = (figures or {}).get("by_channel", {})
    short = orders.lines_short if final else orders.lines_short_settled
    for channel, lines in short.items():
        counts = by_channel.get(channel, {})
        away = counts.get("parcels_out_of_region", 0)
        _add(families, "retailtwin_parcels_total", [channel], counts.get("parcels", 0))
        _add(families, "retailtwin_parcels_out_of_region_total", [channel], away)
        _add(families, "retailtwin_lines_short_total", [channel], lines)


def _receivables(families: dict[str, Metric], figures: dict[str, Any]) -> None:
    """A B2B portal's receivables (`receivables.receivables_metric`); 0 without one."""
    enabled = bool(figures["enabled"])
    for name, key in (
        ("retailtwin_receivables_invoiced_cents_total", "invoiced_cents"),
        ("retailtwin_receivables_paid_cents_total", "paid_cents"),
        ("retailtwin_receivables_open_cents", "open_cents"),
        ("retailtwin_receivables_overdue_cents", "overdue_cents"),
        ("retailtwin_remittances_unapplied", "remittances_unapplied"),
    ):
        _add(families, name, [], figures[key] if enabled else 0)


def _credentials(families: dict[str, Metric], by_system: dict[str, dict[str, Any]]) -> None:
    """Per backend whose API wants a token, from its token endpoint's own records
    (`credentials_metrics`)."""
    for system, figures in by_system.items():
        _add(families, "retailtwin_tokens_issued_total", [system], figures["tokens_issued"])
        _add(
            families,
            "retailtwin_unauthorised_responses_total",
            [system],
            figures["unauthorised_401"],
        )
        _add(families, "retailtwin_unauthorised_seconds_total", [system], figures["unauthorised_s"])


def _network(families: dict[str, Metric], result: RunResult) -> None:
    for link in sorted(result.estate.network.links(), key=lambda link: link.name):
        _add(families, "retailtwin_messages_sent_total", [link.name], link.sent)
        _add(families, "retailtwin_duplicates_delivered_total", [link.name], link.duplicated)
        _add(families, "retailtwin_messages_reordered_total", [link.name], link.reordered)
        _add(families, "retailtwin_messages_redelivered_total", [link.name], link.lost)


def _hub(families: dict[str, Metric], result: RunResult) -> None:
    hub = result.estate.hub  # a crash replaces it: read it now
    letters, calls = hub.ctx.dead_letters, hub.ctx.calls
    _add(families, "retailtwin_duplicates_absorbed_total", [], hub.consumer.duplicates)
    _add(families, "retailtwin_dead_letter_depth", [], len(letters))
    _add(families, "retailtwin_dead_letters_total", [], letters.total_dead_lettered)
    _add(families, "retailtwin_dead_letters_replayed_total", [], letters.total_replayed)
    _add(families, "retailtwin_parked_events", [], hub.parked_count())
    _add(families, "retailtwin_feed_pending_changes", [], hub.availability.pending_changes())
    for system in sorted(calls.systems()):
        state = calls.breaker_state(system)
        _add(families, "retailtwin_lane_queue_depth", [system], calls.lane_depth(system))
        _add(families, "retailtwin_breaker_open", [system], state != BreakerState.CLOSED)
        _add(families, "retailtwin_breaker_opens_total", [system], calls.breaker_opens(system))
        for each in BreakerState:
            _add(families, "retailtwin_breaker_state", [system, each.value], state == each)


def _reconciliation(
    families: dict[str, Metric],
    result: RunResult,
    truth: Truth,
    in_process: bool,
    judged: Judged | None,
) -> None:
    erp_stock = result.estate.erp.stock
    keys = set(truth.stock) | set(erp_stock)
    erp_behind = sum(erp_stock.get(key, 0) != truth.stock.get(key, (0, 0))[0] for key in keys)
    _add(families, "retailtwin_stock_positions_out_of_sync", ["erp"], erp_behind)
    if in_process:
        book = result.estate.hub.ctx.inventory
        hub_behind = 0
        for key in keys:
            position = book.find(*key)
            held = (0, 0) if position is None else (position.on_hand, position.quarantined)
            hub_behind += held != truth.stock.get(key, (0, 0))
        _add(families, "retailtwin_stock_positions_out_of_sync", ["hub"], hub_behind)
    # at the end, or now
    backlog = _figure(
        judged, "reconciliation_backlog", partial(books.reconciliation_backlog, result, truth)
    )["at_end"]
    _add(families, "retailtwin_reconciliation_backlog", [], backlog)
    if in_process:
        reconciliation = result.estate.hub.reconciliation
        _add(families, "retailtwin_reconciliation_runs_total", [], reconciliation.runs)
        _add(
            families,
            "retailtwin_reconciliation_drift_positions_total",
            [],
            reconciliation.drift_corrected,
        )
        _add(families, "retailtwin_reconciliation_catch_ups_total", [], reconciliation.caught_up)
    ledger = _figure(judged, "erp_ledger", partial(books.erp_ledger_drift, result))
    written_off = ledger["positions_written_off"]
    _add(families, "retailtwin_erp_ledger_written_off_positions_total", [], written_off)
    _add(families, "retailtwin_erp_ledger_written_off_units_total", [], ledger["units_written_off"])


def _books(
    families: dict[str, Metric],
    result: RunResult,
    truth: Truth,
    in_process: bool,
    effects: dict[str, Any],
) -> None:
    """What got past the hub twice (`books.duplicated_effects`), and what waits in its
    exception queue."""
    for effect, key in (
        ("capture", "extra_captures"),
        ("refund", "extra_refunds"),
        ("sales_order", "extra_sales_orders"),
    ):
        _add(families, "retailtwin_duplicated_effects_total", [effect], effects[key])
    _add(families, "retailtwin_returns_received_total", [], len(truth.returns_received_at))
    if not in_process:
        return
    since = exception_queue_since(result)
    oldest = latency.run_end(result) - min(since) if since else 0.0
    _add(families, "retailtwin_exception_queue_depth", [], len(since))
    _add(families, "retailtwin_exception_queue_oldest_age_seconds", [], oldest)
