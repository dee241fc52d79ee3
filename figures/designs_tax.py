"""README.md's tax comparison: what an order does while the tax engine does not answer,
through tax-degraded's evening of a slow, throttled and then down engine. Charging the
channel's estimate keeps parcels moving and costs the tax the estimates fell short of;
holding every order for its quote costs nothing in tax and delays parcels. Five seeds;
the conclusions are sentences written here from the same reports."""

from __future__ import annotations

from figures import formatting as fmt
from figures import keys
from figures.designs import design_table, mean_over, pairwise
from figures.experiments import Results, compare
from figures.figure import Cost, Figure

TAX = compare("tax-degraded", 31, 5, {"hub.tax_fallback": ["estimate", "hold"]})
ORDER_TO_SHIP_P95 = keys.percentile("order_to_ship", "p95")


def _tax_sentences(results: Results) -> str:
    outcome = results[TAX]
    estimate = outcome.variant("hub.tax_fallback=estimate")
    hold = outcome.variant("hub.tax_fallback=hold")
    seeds = len(hold.reports)
    nothing = sum(1 for r in hold.reports if not keys.TAX_ABSORBED_CENTS(r))
    sooner = pairwise(estimate, hold, ORDER_TO_SHIP_P95)
    slower = mean_over(hold, ORDER_TO_SHIP_P95) / max(1.0, mean_over(estimate, ORDER_TO_SHIP_P95))
    return (
        f"Holding orders for their quote absorbed no tax "
        f"{fmt.seeds_phrase(nothing, seeds)}, where charging the estimate absorbed "
        f"{fmt.count(mean_over(estimate, keys.TAX_ABSORBED_CENTS))} cents a run on average; "
        f"the estimate shipped sooner (order -> ship p95) "
        f"{fmt.seeds_phrase(sooner, seeds)}, holding's p95 {fmt.times(slower)} the "
        f"estimate's on average."
    )


def tax_table(results: Results) -> str:
    return design_table(
        results[TAX],
        "tax-degraded, full scale",
        [
            ("orders charged the estimate", keys.TAX_ESTIMATED_ORDERS, "count"),
            ("tax absorbed (cents)", keys.TAX_ABSORBED_CENTS, "count"),
            ("order -> ship p95", ORDER_TO_SHIP_P95, "s"),
            ("tax engine 429s", keys.TAX_THROTTLED, "count"),
            ("orders filed", keys.TAX_COMMITTED, "count"),
        ],
        _tax_sentences(results),
    )


FIGURES = (Figure("designs-tax", "README.md", Cost.EXPENSIVE, (TAX,), tax_table),)
