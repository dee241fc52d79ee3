"""docs/invariants.md's examples of the checker's own words: what each invariant says
of a sound run and of a deliberately broken one, quoted from the run's report.json
with the command that gives it. Each sits inside the docs' prose (a list item's lines,
indented), so only the quote and its command are generated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from figures import controls, keys
from figures import formatting as fmt
from figures.experiments import Experiment, Results
from figures.figure import Cost, Figure
from figures.keys import Report


def first_example(report: Report, invariant: str) -> str:
    """A failing check's summary cut after its first example (`6 orders or returns lost
    or stuck: W-0000039 was shipped but the ERP has no sales order for it; …`); a passing
    check's whole summary."""
    text = keys.detail(report, invariant)
    if keys.violations(report, invariant) == 0:
        return text
    head, _, examples = text.partition(": ")
    first = examples.split("; ")[0].split(" (and ")[0]
    more = keys.violations(report, invariant) > 1
    return f"{head}: {first}" + ("; …" if more else "")


@dataclass(frozen=True, slots=True)
class Quote:
    name: str
    experiment: Experiment
    invariant: str
    #: the list item's indentation the quote sits at
    indent: str = "  "

    def render(self, results: Results) -> str:
        report = results.report(self.experiment)
        return fmt.wrap(
            f"`{first_example(report, self.invariant)}` (`{self.experiment.command}`).",
            self.indent,
        )


QUOTES = (
    Quote("message-no-lost-order", controls.STEADY, "no_lost_order", ""),
    Quote("message-drop-erp-orders", controls.defect("drop_erp_orders"), "no_lost_order"),
    Quote("message-forget-returns", controls.defect("forget_returns"), "no_lost_order"),
    Quote("message-exactly-once", controls.STEADY, "exactly_once", ""),
    Quote("message-idempotency-off", controls.UNGUARDED, "exactly_once"),
    Quote("message-skip-credit-memo", controls.defect("skip_credit_memo"), "exactly_once"),
    Quote("message-convergence", controls.STEADY, "convergence", ""),
    Quote("message-skip-stock-posting", controls.defect("skip_stock_posting"), "convergence"),
    Quote("message-stale-feed", controls.defect("stale_feed"), "convergence"),
    Quote("message-no-regression", controls.STEADY, "no_status_regression", ""),
    Quote("message-ordering-off", controls.UNORDERED, "no_status_regression", ""),
    Quote("message-money-balances", controls.STEADY, "money_balances", ""),
    Quote(
        "message-refund-before-receipt",
        controls.defect("refund_before_receipt"),
        "money_balances",
    ),
    Quote("message-unbalanced-journal", controls.defect("unbalanced_journal"), "money_balances"),
)


def shortages(results: Results) -> str:
    control, broken = results.report(controls.BLIND), results.report(controls.BLIND_DEFECT)
    verdict = (
        "passes"
        if not keys.failed_invariants(control)
        else ("fails " + fmt.names(keys.failed_invariants(control)))
    )
    return fmt.wrap(
        f"The same world without the defect {verdict} with "
        f"{fmt.count(keys.OVERSOLD_UNITS(control))} oversold units "
        f"(`{controls.BLIND.command}`); with it: "
        f"`{first_example(broken, 'oversell_measured')}`."
    )


def _quote(quote: Quote) -> Callable[[Results], str]:
    return quote.render


DOC = "docs/invariants.md"
FIGURES = (
    *(
        Figure(q.name, DOC, Cost.QUICK, (q.experiment,), _quote(q), command_block=False)
        for q in QUOTES
    ),
    Figure(
        "message-ignore-shortages",
        DOC,
        Cost.QUICK,
        (controls.BLIND, controls.BLIND_DEFECT),
        shortages,
        command_block=False,
    ),
)
