"""Every shipped scenario keeps its invariants with the default hub: at a reduced scale
on every `make test`, at full scale under `make scenarios` (marker `slow`).

A reduced run must still be the scenario it is named for, so each one also shows the
evidence that its stress happened (the ERP said 429, the stores uploaded a backlog, the
hub absorbed duplicates...): a scenario tuned until its fault does nothing would pass
the invariants and prove nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.spec.shipped import describe, shipped_names
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

#: scale per scenario for `make test` (default 0.2). Chosen so all of them together take
#: well under a minute and a half on a 2-core machine (about 20 s), yet each stress still
#: shows: erp-throttled needs most of its demand to reach the ERP's unscaled allocation,
#: returns-wave runs three days.
REDUCED = {
    "black-friday": "0.05",
    "erp-throttled": "0.7",
    "out-of-order-storm": "0.5",
    "duplicate-storm": "0.5",
    "marketplace-flood": "0.5",
    "pos-offline": "0.5",
    "payment-degraded": "0.5",
    "returns-wave": "0.4",
    "erp-cutover": "0.5",
    "credentials-expiry": "0.05",
    "b2b-net-terms": "0.5",
    "estate-peak-weekday": "0.2",
    "peak-weekend": "0.02",
}


def _counter(verdict: Verdict, name: str) -> int:
    counters: dict[str, int] = verdict.metrics["volumes"]["hub_counters"]
    return counters.get(name, 0)


def _web_orders_by_day(result: RunResult) -> list[int]:
    """The storefront's orders placed on each day of the run (day 0 first)."""
    days = [0] * round(result.scenario.duration_s / 86400)
    for order in result.estate.storefront.orders.values():
        days[min(int(order.placed_at // 86400), len(days) - 1)] += 1
    return days


def _busiest_days(result: RunResult) -> tuple[int, int]:
    by_day = _web_orders_by_day(result)
    first, second = sorted(range(len(by_day)), key=lambda day: -by_day[day])[:2]
    return (min(first, second), max(first, second))


def _in_store_web_returns(result: RunResult) -> int:
    return sum(1 for r in result.estate.pos.returns if r.channel == "web")


#: what each stressed scenario must show happened, even at its reduced scale
EVIDENCE: dict[str, tuple[str, Callable[[RunResult, Verdict], bool]]] = {
    "erp-outage": ("the ERP refused calls with 503", lambda r, v: r.estate.erp.refused_down > 0),
    "erp-throttled": ("the ERP refused calls with 429", lambda r, v: r.estate.erp.throttled > 100),
    "out-of-order-storm": (
        "hundreds of messages were held back and overtaken",
        lambda r, v: v.metrics["volumes"]["reordered_messages"] > 500,
    ),
    "duplicate-storm": (
        "the hub dropped hundreds of duplicate deliveries",
        lambda r, v: v.metrics["volumes"]["duplicates_absorbed_by_hub"] > 500,
    ),
    "marketplace-flood": (
        "the marketplace metered its API and buyers cancelled",
        lambda r, v: r.estate.marketplace.throttled > 0 and r.estate.customers.cancellations > 20,
    ),
    "pos-offline": (
        "offline stores uploaded a backlog late",
        lambda r, v: r.estate.pos.backlog_uploaded > 100,
    ),
    "payment-degraded": (
        "authorisations lapsed and were renewed, calls timed out, declines rose",
        lambda r, v: (
            _counter(v, "reauthorisations") > 0
            and r.estate.transport.timeouts > 0
            and r.estate.payment.declines > 0.03 * v.metrics["volumes"]["channel_orders"]
        ),
    ),
    "returns-wave": (
        "a quarter of orders came back, web orders at store counters",
        lambda r, v: (
            v.metrics["volumes"]["returns"] > 0.25 * v.metrics["volumes"]["channel_orders"]
            and _in_store_web_returns(r) > 50
        ),
    ),
    "hub-crash": (
        "the hub came back twice from its journal, and the broker redelivered to it",
        lambda r, v: (
            len(r.estate.hub_process.restarts) == 2
            and v.metrics["volumes"]["hub_entries_replayed"] > 1000
            and v.metrics["volumes"]["messages_redelivered_after_crash"] > 0
        ),
    ),
    "promotion-launch": (
        "prices moved, the marketplace and the offline stores charged stale ones, and "
        "online baskets took the basket promotion",
        lambda r, v: (
            r.estate.pricing.messages_sent > 0
            and v.metrics["pricing"]["by_channel"]["marketplace"]["stale_price_orders"] > 0
            and v.metrics["pricing"]["by_channel"]["stores"]["stale_price_orders"] > 0
            and any(
                "SPEND100" in promotion
                for order in r.estate.storefront.orders.values()
                for _, promotion in order.terms.values()
            )
        ),
    ),
    "tax-degraded": (
        "the tax engine throttled and went down, orders were charged the estimate and "
        "their liability trued up at commit",
        lambda r, v: (
            r.estate.tax is not None
            and r.estate.tax.throttled > 100
            and v.metrics["tax"]["orders_charged_an_estimate"] > 20
            and v.metrics["tax"]["absorbed_cents"] > 0
            and v.metrics["tax"]["reversed_returns"] > 0
        ),
    ),
    "fraud-review": (
        "the screen held orders, its analysts rejected some, and genuine ones were held",
        lambda r, v: (
            v.metrics["fraud"]["held"] > 20
            and v.metrics["fraud"]["rejected"] > 5
            and v.metrics["fraud"]["false_holds"] > 5
        ),
    ),
    "marketplace-settlement": (
        "the marketplace paid out several times, paid lines short, paid orders twice and "
        "charged orders back, and the ERP holds the difference as a claim",
        lambda r, v: (
            v.metrics["settlement"]["payouts_booked"] >= 3
            and v.metrics["settlement"]["lines_paid_short"] > 0
            and v.metrics["settlement"]["lines_overpaid"] > 0
            and v.metrics["settlement"]["chargebacks"] > 0
            and -r.estate.erp.journal.balance("1290-settlement-claims")
            == v.metrics["settlement"]["paid_short_cents"]
            - v.metrics["settlement"]["overpaid_cents"]
        ),
    ),
    "b2b-net-terms": (
        "companies were invoiced on account and paid late, short and twice, no card was "
        "charged, and the ERP's receivable is what they still owe",
        lambda r, v: (
            r.estate.b2b is not None
            and v.metrics["receivables"]["remittances_applied"]
            == v.metrics["receivables"]["remittances"]
            >= 5
            and v.metrics["receivables"]["remittances_sent_twice"] > 0
            and v.metrics["receivables"]["payments_short"] > 0
            and v.metrics["receivables"]["overdue_invoices"] > 0
            and -r.estate.erp.journal.balance("1220-trade-receivables")
            == v.metrics["receivables"]["open_cents"]
            and not {a.reference for a in r.estate.payment.authorizations.values()}
            & r.estate.b2b.orders.keys()
        ),
    ),
    "estate-peak-weekday": (
        "every channel sold, orders shipped in parts, companies were invoiced on account, "
        "both marketplaces' payouts were booked, ebay resent orders while it was down, both "
        "partners shipped and POs were sent again to the one that was down, and the ERP "
        "went down",
        lambda r, v: (
            all(
                v.metrics["volumes"]["orders_by_channel"].get(channel, 0) > 0
                for channel in ("web", "marketplace", "click_collect", "b2b")
            )
            and v.metrics["volumes"]["hub_counters"].get("orders_split", 0) > 0
            and v.metrics["receivables"]["invoices"] > 0
            and all(
                desk["payouts_booked"] > 0
                for desk in v.metrics["settlement"]["by_marketplace"].values()
            )
            and len(v.metrics["settlement"]["by_marketplace"]) == 2
            and v.metrics["marketplace_ack"]["by_marketplace"]["ebay"]["resends"] > 0
            and all(p["shipped_units"] > 0 for p in v.metrics["dropship"]["partners"].values())
            and v.metrics["dropship"]["partners"]["partner:furnishings"]["pos_sent_again"] > 0
            and r.estate.erp.refused_down > 0
        ),
    ),
    "peak-weekend": (
        "orders came on each of the four days, Friday and Monday the busiest",
        lambda r, v: _busiest_days(r) == (0, 3) and min(_web_orders_by_day(r)) > 0,
    ),
    "credentials-expiry": (
        "the ERP refused revoked tokens with 401, the marketplace's token endpoint refused "
        "renewals, and the hub was authorised again each time",
        lambda r, v: (
            v.metrics["credentials"]["erp"]["unauthorised_401"] > 0
            and v.metrics["credentials"]["marketplace"]["token_requests_refused"] > 0
            and v.metrics["credentials"]["marketplace"]["longest_unauthorised_s"] > 0
            and not any(c["unauthorised_at_end"] for c in v.metrics["credentials"].values())
        ),
    ),
    "erp-cutover": (
        "the ERP booked by import runs, then through its API",
        lambda r, v: (
            r.estate.erp.mode == "api"
            and _counter(v, "erp_writes_awaiting_import") > 0
            and any(d.booked_at > 13 * 3600 + 60 for d in r.estate.erp.documents.values())
        ),
    ),
}


def _erp_ledger_findings(verdict: Verdict) -> list[str]:
    """The hub's own reconciliation against the ERP's stock ledger must have judged
    positions and found nothing: with a sound hub every difference it reported would be
    a false alarm (and, with adjustments on, a wrong booking)."""
    volumes = verdict.metrics["volumes"]
    problems = []
    if volumes["erp_ledger_positions_judged"] == 0:
        problems.append("the ERP ledger check judged no position")
    if volumes["erp_ledger_drift"]:
        problems.append(f"ERP ledger drift {volumes['erp_ledger_drift']} with a sound hub")
    return problems


@pytest.mark.parametrize("name", shipped_names())
def test_reduced_scale_keeps_every_invariant(name: str) -> None:
    overrides = (f"scenario.scale={REDUCED.get(name, '0.2')}",)
    result = run(load_scenario(name, overrides))
    verdict = judge(result, name, overrides)
    failed = [c.detail for c in verdict.invariants if not c.passed]
    failed += _erp_ledger_findings(verdict)
    assert not failed, failed
    if name in EVIDENCE:
        what, shown = EVIDENCE[name]
        assert shown(result, verdict), f"{name} at reduced scale: expected that {what}"


def _with_a_hub_crash_at_its_peak(name: str, scale: str) -> tuple[str, ...]:
    """The scenario's own faults plus a two-minute crash of the hub in the middle of its
    busiest peak (midday without one), on a store whose commits take 20 ms."""
    scenario = load_scenario(name, (f"scenario.scale={scale}",))
    peaks = scenario.demand.peaks
    busiest = max(peaks, key=lambda peak: peak.multiplier) if peaks else None
    at = (busiest.start_s + busiest.end_s) / 2 if busiest else 12 * 3600.0
    faults = [
        f'{{target="{f.target}",kind="{f.kind}",start={f.start_s},duration={f.duration_s},'
        f"rate={f.rate}}}"
        for f in scenario.faults
    ]
    faults.append(f'{{target="hub",kind="crash",start={at},duration="2m"}}')
    return (
        f"scenario.scale={scale}",
        f"faults=[{','.join(faults)}]",
        "backends.store.commit_latency=20ms",
    )


@pytest.mark.parametrize("name", shipped_names())
def test_every_scenario_survives_a_hub_crash_at_its_peak(name: str) -> None:
    """Crash the hub where it hurts most: every invariant and SLA must still hold."""
    overrides = _with_a_hub_crash_at_its_peak(name, REDUCED.get(name, "0.2"))
    result = run(load_scenario(name, overrides))
    verdict = judge(result, name, overrides)
    assert result.estate.hub_process.crashes >= 1
    failed = [c.detail for c in verdict.invariants if not c.passed]
    failed += [f"{s.name}={s.value} vs {s.threshold}" for s in verdict.sla if not s.passed]
    assert not failed, failed


def test_every_scenario_with_faults_or_cutovers_shows_its_evidence() -> None:
    for name in shipped_names():
        scenario = load_scenario(name)
        if scenario.faults or scenario.cutovers:
            assert name in EVIDENCE, f"{name} has faults: add what they must show to EVIDENCE"


def test_every_summary_fits_on_one_line_of_the_listing() -> None:
    """`retailtwin scenarios` prints the name padded to 22 columns, a space, then the
    first sentence of the description: 80 columns leave 57 for the sentence."""
    for name in shipped_names():
        summary = describe(name)
        assert summary and len(summary) <= 57, f"{name}: {summary!r} ({len(summary)} chars)"


@pytest.mark.slow
@pytest.mark.parametrize("name", shipped_names())
def test_full_scale_passes(name: str) -> None:
    result = run(load_scenario(name))
    verdict = judge(result, name, ())
    failed = [c.detail for c in verdict.invariants if not c.passed]
    failed += [f"{s.name}={s.value} vs {s.threshold}" for s in verdict.sla if not s.passed]
    failed += _erp_ledger_findings(verdict)
    assert not failed, failed
    if name in EVIDENCE:
        what, shown = EVIDENCE[name]
        assert shown(result, verdict), f"{name}: expected that {what}"
