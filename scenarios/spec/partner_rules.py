"""Rules for drop-ship partners (`[[backends.partners]]`) that join them to the rest of
the scenario: names that tell them apart, regions the world has, shares of the
catalogue that leave the DCs something to sell, and faults that name a partner the
estate has. Each refusal names the field and what was expected, before anything runs."""

from __future__ import annotations

from scenarios.spec.load_errors import fail, show, suggest
from scenarios.spec.scenario import Scenario

#: the partners together may take at most this share of the catalogue: the DCs keep
#: the rest (a catalogue all drop-shipped has no DC to split an order with)
MAX_PARTNER_SHARE = 0.8


def check_partners(scenario: Scenario) -> None:
    partners = scenario.backends.partners
    seen: set[str] = set()
    total = 0.0
    for i, partner in enumerate(partners):
        path = f"backends.partners[{i}]"
        if partner.name in seen:
            raise fail(f"{path}.name", f"partner {show(partner.name)} is listed twice")
        seen.add(partner.name)
        if partner.sku_share <= 0:
            raise fail(f"{path}.sku_share", f"expected a share greater than 0, got {show(0)}")
        total += partner.sku_share
        if partner.region and partner.region not in scenario.world.regions:
            raise fail(
                f"{path}.region",
                f"unknown region {show(partner.region)}; "
                f"{suggest(partner.region, scenario.world.regions)}"
                f"world.regions are: {', '.join(scenario.world.regions)}",
            )
        if partner.processing_time_median_s <= 0 or partner.ack_time_median_s <= 0:
            field = "processing_time" if partner.processing_time_median_s <= 0 else "ack_time"
            raise fail(f"{path}.{field}_median", "expected a duration greater than 0")
        if partner.ack_window_s <= 0 or partner.stock_feed_interval_s <= 0:
            field = "ack_window" if partner.ack_window_s <= 0 else "stock_feed_interval"
            raise fail(f"{path}.{field}", "expected a duration greater than 0")
        if partner.stock_cover_days <= 0:
            raise fail(f"{path}.stock_cover_days", "expected a number of days greater than 0")
    if total > MAX_PARTNER_SHARE:
        raise fail(
            f"backends.partners[{len(partners) - 1}].sku_share",
            f"the partners' sku_share add up to {total:g}; expected at most "
            f"{MAX_PARTNER_SHARE:g}, so the DCs keep part of the catalogue",
        )


def check_partner_target(scenario: Scenario, target: str, path: str) -> None:
    """A fault on `partner:NAME` names a partner the scenario has."""
    name = target.removeprefix("partner:")
    names = [partner.name for partner in scenario.backends.partners]
    if name not in names:
        listed = ", ".join(names) if names else "none ([[backends.partners]] is empty)"
        raise fail(
            path,
            f"unknown partner {show(name)} in {show(target)}; {suggest(name, names)}"
            f"the partners are: {listed}",
        )
