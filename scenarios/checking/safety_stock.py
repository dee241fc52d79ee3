"""The safety stock the scenario's rules hold back at each location: `hub.safety_stock`,
or the location's own in `hub.allocation.locations`.

One place for the checker's two uses: rebuilding available-to-sell from the locations'
records (`ground_stock`), and holding the built-in hub's book to the rule in-process
(`convergence`), where the feeds are compared with the hub's own ATS and a book that
held back the wrong amount would otherwise feed every channel the wrong figure unseen.
"""

from __future__ import annotations

from hub.model.allocation import safety_stock_by_location
from scenarios.checking.findings import Violations
from scenarios.twin.run_result import RunResult


class SafetyStock:
    """Units of each SKU the rules hold back at a location."""

    def __init__(self, result: RunResult) -> None:
        policy, world = result.scenario.hub, result.estate.world
        self._default = policy.safety_stock
        self._at = safety_stock_by_location(
            policy.allocation,
            (dc.location_id for dc in world.dcs),
            (store.location_id for store in world.stores),
        )

    def at(self, location: str) -> int:
        return self._at.get(location, self._default)


def book_holds_back_as_ruled(result: RunResult, bad: Violations) -> None:
    """Adds to `bad` each of the hub's positions holding back another amount."""
    ruled = SafetyStock(result)
    for position in result.estate.hub.ctx.inventory.positions():
        expected = ruled.at(position.location)
        if position.safety_stock != expected:
            bad.add(
                f"{position.sku}@{position.location}: hub holds back {position.safety_stock}, "
                f"the safety stock rules say {expected}"
            )
