"""docs/scenarios.md's figures for the shipped library: every scenario once at full
scale and its own seed, as a summary table and one "Result" line per scenario, and
the range of card refund times across them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from figures import formatting as fmt
from figures import keys
from figures.experiments import Experiment, Results, run
from figures.figure import Cost, Figure
from figures.keys import Reader, Report

#: each shipped scenario at its own seed (the `seed` of its file), in the docs' order
SEEDS = {
    "steady-day": 1,
    "erp-outage": 5,
    "erp-throttled": 3,
    "out-of-order-storm": 7,
    "duplicate-storm": 13,
    "marketplace-flood": 17,
    "pos-offline": 19,
    "payment-degraded": 29,
    "returns-wave": 23,
    "promotion-launch": 23,
    "tax-degraded": 31,
    "fraud-review": 37,
    "marketplace-settlement": 43,
    "credentials-expiry": 41,
    "b2b-net-terms": 47,
    "erp-cutover": 31,
    "hub-crash": 5,
    "black-friday": 11,
    "estate-peak-weekday": 53,
    "peak-weekend": 61,
}
RUNS = {name: run(name, seed) for name, seed in SEEDS.items()}

#: a fragment of a Result line from a report; None leaves it out
Fact = Callable[[Report], str | None]


def _n(read: Reader, text: str) -> Fact:
    """`text` with the count in place of {}: `_n(volume("returns"), "{} returns")`."""

    def fact(report: Report) -> str | None:
        value = read(report)
        return None if value is None else text.format(fmt.count(value))

    return fact


def _s(read: Reader, text: str) -> Fact:
    def fact(report: Report) -> str | None:
        return None if read(report) is None else text.format(fmt.latency(read, report))

    return fact


def _hidden_lag(report: Report) -> str | None:
    """pos-offline's point about its sync lag, when its figures bear it out."""
    p95, most = keys.SYNC_LAG_P95(report), keys.SYNC_LAG_MAX(report)
    if p95 is None or most is None or most < 10 * p95:
        return None
    return (
        "the offline stores' late stock reports are a small share of all sync-lag records: "
        "the p95 hides them, the maximum shows them"
    )


def _verdict(report: Report) -> str:
    broken = keys.failed_invariants(report) + keys.failed_sla(report)
    return "passes" if keys.passed(report) else f"fails {fmt.names(broken)}"


ERP_P95 = _s(keys.ORDER_TO_ERP_P95, "order→ERP p95 {}")
SYNC_P95 = _s(keys.SYNC_LAG_P95, "sync lag p95 {}")
DRAIN = _s(keys.DRAIN_S, "dead-letter drain {}")
ERP_LANE = _n(keys.ERP_QUEUE_MAX, "hub ERP lane peak {} writes")


def _oversold(report: Report) -> str:
    return fmt.plural(keys.OVERSOLD_UNITS(report), "unit") + " oversold"


OVERSOLD: Fact = _oversold


@dataclass(frozen=True, slots=True)
class Line:
    """What a scenario's Result line says besides its volumes and verdict."""

    volumes: tuple[Fact, ...]
    facts: tuple[Fact, ...]


_ORDERS = _n(keys.CHANNEL_ORDERS, "{} channel orders")
_SALES = _n(keys.STORE_SALES, "{} store sales")
LINES: dict[str, Line] = {
    "steady-day": Line((_ORDERS, _SALES), (ERP_P95, SYNC_P95)),
    "erp-outage": Line(
        (_ORDERS, _SALES),
        (ERP_P95, DRAIN, ERP_LANE, _n(keys.volume("erp_refused_503"), "{} calls refused with 503")),
    ),
    "hub-crash": Line(
        (_ORDERS, _SALES),
        (
            _n(keys.volume("hub_entries_replayed"), "{} journal entries replayed in restarts"),
            _n(keys.volume("messages_redelivered_after_crash"), "{} messages delivered again"),
            ERP_P95,
            DRAIN,
        ),
    ),
    "erp-throttled": Line(
        (_ORDERS, _SALES),
        (
            lambda r: (
                f"{fmt.count(keys.volume('erp_throttled_429')(r))} of "
                f"{fmt.count(keys.volume('erp_requests')(r))} ERP requests refused with 429"
            ),
            ERP_P95,
            _s(keys.ORDER_TO_ERP_P99, "p99 {}"),
            ERP_LANE,
        ),
    ),
    "out-of-order-storm": Line(
        (_ORDERS,),
        (
            _n(keys.volume("reordered_messages"), "{} messages reordered"),
            _n(keys.volume("lost_then_redelivered"), "{} lost and redelivered"),
            SYNC_P95,
            _s(keys.SYNC_LAG_P99, "p99 {}"),
            ERP_P95,
        ),
    ),
    "duplicate-storm": Line(
        (_ORDERS,),
        (
            _n(keys.volume("duplicates_delivered"), "{} duplicate deliveries"),
            _n(keys.volume("duplicates_absorbed_by_hub"), "{} of them dropped by the hub"),
            ERP_P95,
            SYNC_P95,
        ),
    ),
    "marketplace-flood": Line(
        (_ORDERS, lambda r: f"{fmt.count(keys.orders_by_channel(r, 'marketplace'))} marketplace"),
        (
            lambda r: f"{fmt.percent(keys.ACK_IN_WINDOW_PCT(r), 1)} acknowledged within the window",
            _s(keys.ACK_P99, "ack p99 {}"),
            _n(keys.volume("marketplace_resends"), "{} resends"),
            _n(keys.hub_counter("orders_cancelled"), "{} cancellations"),
            _n(keys.hub_counter("cancellations_too_late"), "{} too late to stop the parcel"),
            OVERSOLD,
        ),
    ),
    "pos-offline": Line(
        (
            _ORDERS,
            lambda r: f"{fmt.count(keys.orders_by_channel(r, 'click_collect'))} click-and-collect",
            _SALES,
        ),
        (
            OVERSOLD,
            lambda r: f"oversell rate {fmt.percent(keys.OVERSELL_RATE_PCT(r))}",
            SYNC_P95,
            _s(keys.SYNC_LAG_MAX, "sync lag max {}"),
            _hidden_lag,
        ),
    ),
    "payment-degraded": Line(
        (_ORDERS,),
        (
            _n(keys.volume("payment_declines"), "{} declines"),
            _n(keys.hub_counter("reauthorisations"), "{} re-authorisations"),
            _n(keys.DEAD_LETTERED, "{} calls dead-lettered"),
        ),
    ),
    "returns-wave": Line(
        (_ORDERS, _n(keys.RETURNS, "{} returns")),
        (_s(keys.REFUND_P95, "card refund p95 {} after the goods came back"),),
    ),
    "promotion-launch": Line(
        (_ORDERS, _SALES),
        (
            _n(keys.STALE_PRICE_ORDERS, "{} orders and till sales at a stale price"),
            lambda r: f"{fmt.percent(keys.STALE_PRICE_PCT(r))} of those at moving prices",
            _n(keys.stale_price_orders("marketplace"), "{} of them on the marketplace"),
            _n(keys.stale_price_orders("stores"), "{} in the stores"),
        ),
    ),
    "tax-degraded": Line(
        (_ORDERS,),
        (
            _n(keys.TAX_THROTTLED, "the tax engine answered {} requests 429"),
            _n(keys.TAX_ESTIMATED_ORDERS, "{} orders were charged the estimate"),
            _n(
                keys.TAX_ABSORBED_CENTS,
                "{} cents of tax absorbed when their liability was trued up",
            ),
            _n(keys.TAX_COMMITTED, "{} orders filed"),
            _n(keys.TAX_REVERSED, "{} refunds reversed"),
        ),
    ),
    "fraud-review": Line(
        (_ORDERS,),
        (
            _n(keys.FRAUD_HELD, "{} orders held for review"),
            _n(keys.FRAUD_FALSE_HOLDS, "{} of them genuine"),
            _n(keys.FRAUD_REJECTED, "{} rejected"),
            _s(keys.FRAUD_REVIEW_P95, "a held order's wait p95 {}"),
        ),
    ),
    "marketplace-settlement": Line(
        (
            _ORDERS,
            lambda r: f"{fmt.count(keys.orders_by_channel(r, 'marketplace'))} on the marketplace",
        ),
        (
            _n(keys.SETTLEMENT_PAYOUTS_BOOKED, "{} payouts booked"),
            lambda r: (
                f"{fmt.percent(keys.ACK_IN_WINDOW_PCT(r))} of the worst marketplace's orders "
                "acknowledged in its window"
            ),
            _n(keys.SETTLEMENT_LINES, "{} payout lines"),
            _n(keys.SETTLEMENT_PAID_SHORT, "{} of them paid short"),
            _n(keys.SETTLEMENT_PAID_SHORT_CENTS, "{} cents short"),
            _n(keys.SETTLEMENT_OVERPAID, "{} orders paid twice"),
            _n(keys.SETTLEMENT_FEES_CENTS, "{} cents of commission"),
            _n(keys.SETTLEMENT_CHARGEBACKS, "{} chargebacks"),
            _n(keys.SETTLEMENT_UNRECONCILED, "{} lines unreconciled"),
        ),
    ),
    "b2b-net-terms": Line(
        (_ORDERS, lambda r: f"{fmt.count(keys.orders_by_channel(r, 'b2b'))} from companies"),
        (
            _n(keys.RECEIVABLES_INVOICES, "{} invoices on account"),
            _n(keys.RECEIVABLES_INVOICED_CENTS, "{} cents invoiced"),
            _n(keys.RECEIVABLES_REMITTANCES, "{} remittances applied"),
            _n(keys.RECEIVABLES_SENT_TWICE, "{} of them sent twice"),
            _n(keys.RECEIVABLES_SHORT, "{} invoices paid short"),
            _n(keys.RECEIVABLES_OPEN_CENTS, "{} cents still owed"),
            _n(keys.RECEIVABLES_OVERDUE, "{} invoices overdue"),
            _n(keys.RECEIVABLES_UNAPPLIED, "{} remittances unapplied"),
        ),
    ),
    "credentials-expiry": Line(
        (_ORDERS,),
        (
            _n(keys.credentials("erp", "unauthorised_401"), "the ERP answered {} calls 401"),
            _s(
                keys.credentials("erp", "longest_unauthorised_s"),
                "the hub was back within {} of the revocation",
            ),
            _n(
                keys.credentials("marketplace", "token_requests_refused"),
                "the marketplace's token endpoint refused {} token requests",
            ),
            _s(
                keys.credentials("marketplace", "longest_unauthorised_s"),
                "its token lapsed for {}",
            ),
            _n(keys.credentials("marketplace", "tokens_issued"), "{} marketplace tokens issued"),
        ),
    ),
    "erp-cutover": Line(
        (_ORDERS,),
        (
            _n(keys.hub_counter("erp_writes_awaiting_import"), "{} writes went through imports"),
            ERP_P95,
            _n(keys.ERP_BACKLOG_MAX, "ERP import backlog peak {} writes"),
        ),
    ),
    "black-friday": Line((_ORDERS, _SALES), (ERP_P95, SYNC_P95, OVERSOLD)),
    "peak-weekend": Line((_ORDERS, _SALES), (ERP_P95, SYNC_P95, OVERSOLD)),
    "estate-peak-weekday": Line(
        (
            _ORDERS,
            lambda r: f"{fmt.count(keys.orders_by_channel(r, 'b2b'))} from companies",
            _SALES,
        ),
        (
            ERP_P95,
            SYNC_P95,
            OVERSOLD,
            _n(keys.oversold_on("b2b"), "{} of them companies'"),
            _n(keys.orders_split, "{} orders shipped in parts"),
            lambda r: (
                f"{fmt.percent(keys.ACK_IN_WINDOW_PCT(r))} of the worst marketplace's orders "
                "acknowledged in its window"
            ),
            _n(keys.SETTLEMENT_LINES, "{} payout lines"),
            _n(keys.SETTLEMENT_UNRECONCILED, "{} unreconciled"),
            _n(keys.dropship_total("shipped_units"), "{} units drop-shipped"),
            _n(keys.dropship_total("pos_sent_again"), "{} POs sent to a partner again"),
            _n(keys.RECEIVABLES_INVOICES, "{} invoices on account"),
            _n(keys.RECEIVABLES_UNAPPLIED, "{} remittances unapplied"),
        ),
    ),
}
assert set(LINES) == set(SEEDS)


def result_line(name: str) -> Callable[[Results], str]:
    def render(results: Results) -> str:
        experiment = RUNS[name]
        report = results.report(experiment)
        line = LINES[name]
        volumes = [text for fact in line.volumes if (text := fact(report)) is not None]
        facts = [text for fact in line.facts if (text := fact(report)) is not None]
        parts = [", ".join(volumes), _verdict(report)]
        if facts:
            parts.append(", ".join(facts))
        return fmt.item(f"Result (`{experiment.command}`): " + "; ".join(parts) + ".")

    return render


def _drain_cell(report: Report) -> str:
    if not keys.has_faults(report):
        return "no fault window"
    return fmt.seconds(keys.DRAIN_S(report))


def summary(results: Results) -> str:
    rows = []
    for name, experiment in RUNS.items():
        report = results.report(experiment)
        rows.append(
            [
                f"{name} ({keys.seed(report)})",
                fmt.count(keys.CHANNEL_ORDERS(report)),
                fmt.count(keys.OVERSOLD_UNITS(report)),
                fmt.latency(keys.ORDER_TO_ERP_P95, report),
                fmt.latency(keys.SYNC_LAG_P95, report),
                _drain_cell(report),
                _verdict(report),
            ]
        )
    header = [
        "scenario (seed)",
        "channel orders",
        "oversold units",
        "order→ERP p95",
        "sync lag p95",
        "dead-letter drain",
        "verdict",
    ]
    lettered = [
        f"{name} ({fmt.count(keys.DEAD_LETTERED(results.report(e)))})"
        for name, e in RUNS.items()
        if keys.DEAD_LETTERED(results.report(e))
    ]
    note = (
        "No call was dead-lettered in any of these runs."
        if not lettered
        else fmt.wrap("Calls were dead-lettered in " + ", ".join(lettered) + ".")
    )
    return fmt.table(header, rows) + "\n\n" + note


def refunds(results: Results) -> str:
    measured = [
        (value, name, report)
        for name, experiment in RUNS.items()
        if (value := keys.REFUND_P95(report := results.report(experiment))) is not None
    ]
    low = min(measured, key=lambda m: m[0])
    high = max(measured, key=lambda m: m[0])
    return fmt.wrap(
        f"At full scale the library's card refund p95 runs from "
        f"{fmt.latency(keys.REFUND_P95, low[2])} ({low[1]}) to "
        f"{fmt.latency(keys.REFUND_P95, high[2])} ({high[1]})."
    )


def _all_runs() -> tuple[Experiment, ...]:
    return tuple(RUNS.values())


FIGURES = (
    Figure("library", "docs/scenarios.md", Cost.EXPENSIVE, _all_runs(), summary),
    Figure("library-refunds", "docs/scenarios.md", Cost.EXPENSIVE, _all_runs(), refunds, False),
    *(
        Figure(
            f"library-{name}",
            "docs/scenarios.md",
            Cost.EXPENSIVE,
            (experiment,),
            result_line(name),
            command_block=False,
        )
        for name, experiment in RUNS.items()
    ),
)
