"""README.md's sourcing comparison: what shipping from the DC nearest the customer, and
splitting an order no DC can fill alone, buy and cost at black-friday's peak. Five seeds
at a fifth of the scale; the conclusions are sentences written here from the same
reports, whatever they say."""

from __future__ import annotations

from figures import formatting as fmt
from figures import keys
from figures.designs import design_table, mean_over
from figures.experiments import Results, VariantRuns, compare
from figures.figure import Cost, Figure
from figures.keys import Reader

STRATEGY = "hub.sourcing.strategy"
SPLIT = "hub.sourcing.split"
SOURCING = compare(
    "black-friday",
    11,
    5,
    {STRATEGY: ["fullest", "nearest"], SPLIT: ["false", "true"]},
    "scenario.scale=0.2",
)


def _sentences(results: Results) -> str:
    outcome = results[SOURCING]
    fullest = outcome.variant(f"{STRATEGY}=fullest", f"{SPLIT}=false")
    nearest = outcome.variant(f"{STRATEGY}=nearest", f"{SPLIT}=false")
    fullest_split = outcome.variant(f"{STRATEGY}=fullest", f"{SPLIT}=true")
    nearest_split = outcome.variant(f"{STRATEGY}=nearest", f"{SPLIT}=true")

    def mean(variant: VariantRuns, read: Reader) -> str:
        return fmt.count(round(mean_over(variant, read), 1))

    def days(variant: VariantRuns, read: Reader) -> str:
        return f"{mean_over(variant, read) / 86400:.2f} days"

    short, split = keys.LINES_SHORT, keys.orders_split
    door_p95, door_p50, away = keys.DELIVERY_P95, keys.DELIVERY_P50, keys.OUT_OF_REGION_PCT
    return (
        f"Shipping from the nearest DC that can fill the order took order-to-door p95 from "
        f"{days(fullest, door_p95)} to {days(nearest, door_p95)} and p50 from "
        f"{days(fullest, door_p50)} to {days(nearest, door_p50)}: "
        f"{mean(nearest, away)} % of parcels left their customer's region instead of "
        f"{mean(fullest, away)} %. It left {mean(nearest, short)} lines short for want of "
        f"stock a run against {mean(fullest, short)}, and oversold "
        f"{mean(nearest, keys.OVERSOLD_UNITS)} units against "
        f"{mean(fullest, keys.OVERSOLD_UNITS)}. Splitting divided {mean(nearest_split, split)} "
        f"orders a run with nearest and {mean(fullest_split, split)} with fullest; lines "
        f"short went from {mean(nearest, short)} to {mean(nearest_split, short)} with "
        f"nearest and from {mean(fullest, short)} to {mean(fullest_split, short)} with "
        f"fullest, oversold units from {mean(nearest, keys.OVERSOLD_UNITS)} to "
        f"{mean(nearest_split, keys.OVERSOLD_UNITS)} and from "
        f"{mean(fullest, keys.OVERSOLD_UNITS)} to {mean(fullest_split, keys.OVERSOLD_UNITS)}, "
        f"for {mean(nearest_split, keys.extra_parcels)} and "
        f"{mean(fullest_split, keys.extra_parcels)} extra parcels a run. Nearest sourcing "
        f"also saw the channels refuse {mean(nearest, keys.LINES_DROPPED)} order lines for "
        f"no stock a run against {mean(fullest, keys.LINES_DROPPED)} (why, below the "
        f"table)."
    )


def sourcing_table(results: Results) -> str:
    return design_table(
        results[SOURCING],
        "black-friday, a fifth of the scale",
        [
            ("order to door p50", keys.DELIVERY_P50, "s"),
            ("order to door p95", keys.DELIVERY_P95, "s"),
            ("parcels leaving the customer's region", keys.OUT_OF_REGION_PCT, "%"),
            ("orders split", keys.orders_split, "count"),
            ("parcels beyond one per order", keys.extra_parcels, "count"),
            ("lines short for want of stock", keys.LINES_SHORT, "count"),
            ("oversold units", keys.OVERSOLD_UNITS, "count"),
            ("order lines refused for no stock", keys.LINES_DROPPED, "count"),
        ],
        _sentences(results),
    )


FIGURES = (Figure("designs-sourcing", "README.md", Cost.EXPENSIVE, (SOURCING,), sourcing_table),)
