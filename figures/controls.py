"""docs/invariants.md's negative controls: what each deliberately broken hub broke in
one run at the scenario's own seed, beside what its test asserts must break, and the
checker's own words for a few of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from figures import designs, keys
from figures import formatting as fmt
from figures.experiments import Experiment, Results, run
from figures.figure import Cost, Figure
from figures.keys import Report
from scenarios.experiments.defect_controls import SLOW_COMMITS, SMALL_DAY, STORES_SELL_BLIND

#: the worlds the tests run the controls in (tests/e2e/runs.py's SMALL is SMALL_DAY)
SMALL = SMALL_DAY
SELL_BLIND = STORES_SELL_BLIND
CRASH = SLOW_COMMITS


def _steady(*overrides: str) -> Experiment:
    return run("steady-day", 1, *overrides)


def defect(name: str, *overrides: str) -> Experiment:
    return _steady(*SMALL, f'hub.defects=["{name}"]', "hub.erp_reconcile=report", *overrides)


@dataclass(frozen=True, slots=True)
class Control:
    """A row: the test, its setting and what it asserts, in the docs' words; the run
    whose other failures the last column shows (`broken`), and its control run
    without the defect, if any."""

    test: str
    setting: str
    must_fail: str
    broken: Experiment
    #: the invariant the test asserts fails, left out of "also failed"
    target: str | None = None
    control: Experiment | None = None
    #: what else of the run the row shows (the ledger's drift)
    extra: Callable[[Report], str] | None = None


def _ledger(report: Report) -> str:
    drift = keys.volume("erp_ledger_drift")(report)
    adjusted = keys.volume("erp_ledger_adjusted_units")(report)
    judged = keys.volume("erp_ledger_positions_judged")(report)
    return (
        f"ERP ledger drift {fmt.count(drift)} of {fmt.count(judged)} positions judged, "
        f"{fmt.count(adjusted)} units adjusted"
    )


STEADY = _steady()
UNGUARDED = _steady("hub.idempotency=false")
UNORDERED = _steady("hub.ordering=false")
SMALL_STEADY = _steady(*SMALL)
BLIND = _steady(*SELL_BLIND)
BLIND_DEFECT = _steady(*SELL_BLIND, 'hub.defects=["ignore_shortages"]')
NO_JOURNAL = run("hub-crash", 5, "scenario.scale=0.3", "hub.journal=false")
ACK_EARLY = run("hub-crash", 5, *CRASH, 'hub.defects=["ack_before_commit"]')
ACK_CONTROL = run("hub-crash", 5, *CRASH)
PLAIN_ERP = (*CRASH, "backends.erp.idempotent_refs=false")
SEND_EARLY = run("hub-crash", 5, *PLAIN_ERP, 'hub.defects=["send_before_record"]')
SEND_CONTROL = run("hub-crash", 5, *PLAIN_ERP)
LEDGER_ADJUST = _steady(*SMALL, 'hub.defects=["skip_stock_posting"]', "hub.erp_reconcile=adjust")

DEFECTS = {
    "drop_erp_orders": "no_lost_order",
    "forget_returns": "no_lost_order",
    "skip_credit_memo": "exactly_once",
    "skip_stock_posting": "convergence",
    "stale_feed": "convergence",
    "refund_before_receipt": "money_balances",
    "unbalanced_journal": "money_balances",
}

CONTROLS = (
    Control(
        "`test_default_hub_passes_steady_day`", "steady-day", "nothing: the run must pass", STEADY
    ),
    Control(
        "`test_small_steady_day_passes_so_defect_failures_are_the_defects`",
        "steady-day, SMALL",
        "no invariant",
        SMALL_STEADY,
    ),
    Control(
        "`test_idempotency_off_breaks_exactly_once`",
        "steady-day, `hub.idempotency=false`",
        "`exactly_once` (and the run)",
        UNGUARDED,
        "exactly_once",
    ),
    Control(
        "`test_ordering_off_breaks_no_regression`",
        "steady-day, `hub.ordering=false`",
        "`no_status_regression`",
        UNORDERED,
        "no_status_regression",
    ),
    *(
        Control(
            f"`test_seeded_defect_is_caught[{name}]`",
            "steady-day, SMALL, `erp_reconcile=report`",
            f"`{invariant}`",
            defect(name),
            invariant,
            extra=_ledger if name == "skip_stock_posting" else None,
        )
        for name, invariant in DEFECTS.items()
    ),
    Control(
        "`test_unrecorded_shortages_are_caught_where_stock_runs_out`",
        "steady-day, stores selling blind (see [oversell_measured](#oversell_measured)), "
        "`ignore_shortages`; and the same world without it",
        "`oversell_measured` with the defect; nothing without it, with oversold units > 0",
        BLIND_DEFECT,
        "oversell_measured",
        BLIND,
    ),
    Control(
        "`test_the_checker_sees_a_hub_that_keeps_no_journal` (`tests/e2e/test_hub_crash.py`)",
        "hub-crash, `scenario.scale=0.3`, `hub.journal=false`",
        "`no_lost_order`",
        NO_JOURNAL,
        "no_lost_order",
    ),
    Control(
        "`test_acknowledging_before_committing_loses_orders`",
        "hub-crash, `scenario.scale=0.3`, `backends.store.commit_latency=2s`, "
        "`ack_before_commit`; and the same without it",
        "`no_lost_order` with the defect; nothing without it, with entries lost to the crashes > 0",
        ACK_EARLY,
        "no_lost_order",
        ACK_CONTROL,
    ),
    Control(
        "`test_sending_before_recording_books_twice_in_a_plain_erp`",
        "hub-crash, `scenario.scale=0.3`, `backends.store.commit_latency=2s`, "
        "`backends.erp.idempotent_refs=false`, `send_before_record`; and the same without it",
        "`exactly_once` with the defect; nothing without it",
        SEND_EARLY,
        "exactly_once",
        SEND_CONTROL,
    ),
    Control(
        "`test_erp_ledger_reconciliation_finds_and_mends_store_sales_never_posted`",
        "steady-day, SMALL, `skip_stock_posting`, with `erp_reconcile=adjust` (its "
        "seeded-defect row runs `report`)",
        "adjust: drift > 0, units adjusted, `convergence` passes",
        LEDGER_ADJUST,
        extra=_ledger,
    ),
    Control(
        "`test_a_sound_hub_finds_no_erp_ledger_drift`",
        "steady-day, SMALL",
        "positions judged > 0 and `erp_ledger_drift` = 0",
        SMALL_STEADY,
        extra=_ledger,
    ),
)


def _also(report: Report, target: str | None) -> str:
    others = [name for name in keys.failed_invariants(report) if name != target]
    if not others:
        return "nothing else" if target is not None else "nothing"
    return ", ".join(f"`{name}`" for name in others)


def _row(control: Control, results: Results) -> list[str]:
    report = results.report(control.broken)
    measured = _also(report, control.target)
    if control.target is not None and control.target not in keys.failed_invariants(report):
        measured = f"**`{control.target}` held**; {measured}"
    if control.control is not None:
        without = keys.failed_invariants(results.report(control.control))
        measured += "; without the defect: " + (fmt.names(without) if without else "nothing")
    if control.extra is not None:
        measured += "; " + control.extra(report)
    return [control.test, control.setting, control.must_fail, measured]


def table(results: Results) -> str:
    header = ["test", "scenario and overrides", "must fail", "also failed in this run"]
    rows = [_row(control, results) for control in CONTROLS]
    return fmt.table(header, rows)


def batch_row(results: Results) -> str:
    """The test's two runs are the first seed of README's comparison (black-friday at
    scale 0.2, seed 11: `hub.sync=event` is the default), so they are not run twice."""
    outcome = results[designs.SYNC]
    event = outcome.variant("hub.sync=event").reports[0]
    batch = outcome.variant("hub.sync=batch:15m").reports[0]
    oversold = fmt.count(keys.OVERSOLD_UNITS(batch))
    return fmt.wrap(
        "`test_batch_feeds_oversell_more_than_event_feeds_on_black_friday` runs black-friday "
        f"at `scenario.scale=0.2`, seed {keys.seed(event)}, with `hub.sync=event` and with "
        "`hub.sync=batch:15m`, and asserts that no invariant fails for event and that "
        "batch's oversold units are > 0 and at least twice max(1, event's). In these runs "
        f"(seed {keys.seed(event)} of the comparison above): {oversold} oversold units with "
        f"batch, {fmt.count(keys.OVERSOLD_UNITS(event))} with event; event broke "
        f"{fmt.names(keys.failed_invariants(event))}; batch missed "
        f"{fmt.names(keys.failed_sla(batch))} (sync-lag p95 "
        f"{fmt.latency(keys.SYNC_LAG_P95, batch)} against "
        f"{fmt.latency(keys.SYNC_LAG_P95, event)})."
    )


def _experiments() -> tuple[Experiment, ...]:
    found: list[Experiment] = []
    for control in CONTROLS:
        found.append(control.broken)
        if control.control is not None:
            found.append(control.control)
    return tuple(found)


DOC = "docs/invariants.md"
FIGURES = (
    Figure("negative-controls", DOC, Cost.EXPENSIVE, _experiments(), table),
    Figure("negative-controls-batch", DOC, Cost.EXPENSIVE, (designs.SYNC,), batch_row),
)
