"""README.md's allocation comparison: what per-channel safety stock buys at black-friday's
peak, a channel at a time and both together. Five seeds at a fifth of the scale; the
conclusions are sentences written here from the same reports."""

from __future__ import annotations

from figures import formatting as fmt
from figures import keys
from figures.designs import design_table, mean_over
from figures.experiments import Results, VariantRuns, compare
from figures.figure import Cost, Figure
from figures.keys import Reader

WEB = "hub.allocation.web_safety_stock"
MARKETPLACE = "hub.allocation.marketplace_safety_stock"
ALLOCATION = compare(
    "black-friday", 11, 5, {WEB: ["0", "1"], MARKETPLACE: ["0", "1"]}, "scenario.scale=0.2"
)


def _moved(before: float, after: float) -> str:
    """How a mean changed, in words: "fell from 7 to 2.4", "stayed at 20"."""
    if fmt.count(before) == fmt.count(after):
        return f"stayed at {fmt.count(before)}"
    verb = "fell" if after < before else "rose"
    return f"{verb} from {fmt.count(before)} to {fmt.count(after)}"


def _sentences(results: Results) -> str:
    outcome = results[ALLOCATION]
    none = outcome.variant(f"{WEB}=0", f"{MARKETPLACE}=0")
    both = outcome.variant(f"{WEB}=1", f"{MARKETPLACE}=1")
    web_rule = outcome.variant(f"{WEB}=1", f"{MARKETPLACE}=0")
    marketplace_rule = outcome.variant(f"{WEB}=0", f"{MARKETPLACE}=1")
    web, marketplace = keys.oversold_on("web"), keys.oversold_on("marketplace")
    lost = mean_over(both, keys.LINES_DROPPED) - mean_over(none, keys.LINES_DROPPED)

    def change(variant: VariantRuns, read: Reader) -> str:
        return _moved(mean_over(none, read), mean_over(variant, read))

    return (
        f"Holding one unit back from each ship-to-home channel took oversold units from "
        f"{fmt.count(mean_over(none, keys.OVERSOLD_UNITS))} to "
        f"{fmt.count(mean_over(both, keys.OVERSOLD_UNITS))} a run on average, at the cost "
        f"of {fmt.count(lost)} more order lines refused for no stock. Held back from one "
        f"channel alone, the unit protects that channel and not the other: from the "
        f"marketplace alone, the marketplace's oversells {change(marketplace_rule, marketplace)} "
        f"and the storefront's {change(marketplace_rule, web)}; from the storefront alone, "
        f"the storefront's {change(web_rule, web)} and the marketplace's "
        f"{change(web_rule, marketplace)}."
    )


def allocation_table(results: Results) -> str:
    return design_table(
        results[ALLOCATION],
        "black-friday, a fifth of the scale",
        [
            ("oversold units", keys.OVERSOLD_UNITS, "count"),
            ("on the storefront", keys.oversold_on("web"), "count"),
            ("on the marketplace", keys.oversold_on("marketplace"), "count"),
            ("click-and-collect", keys.oversold_on("click_collect"), "count"),
            ("order lines refused for no stock", keys.LINES_DROPPED, "count"),
        ],
        _sentences(results),
    )


FIGURES = (
    Figure("designs-allocation", "README.md", Cost.EXPENSIVE, (ALLOCATION,), allocation_table),
)
