"""The channels' stock views against what the locations can physically sell: the half
of `convergence` that, judged in-process, compares each view with the hub's ATS.

Without the hub's book, available-to-sell is rebuilt from the locations' own records
as the built-in hub computes it (hub/services/availability.py): per location, on hand
less quarantined, less what open orders hold, less the scenario's safety stock
(`hub.safety_stock`, or the location's own in `hub.allocation.locations`: the retailer's
rule, which any hub must keep), never below zero;
ship-to-home is the sum over the DCs, click-and-collect the store's own. What open
orders hold is visible only in part: units a DC has picked or a store has set aside
(allocated in their stockrooms) and units of releases still queued for a picker. An
order accepted and not released yet holds a reservation in the hub's book alone. So:

- a view may never show more than that (an oversell waiting to happen), and
- a view of a SKU (or a store position) no open order touches must show exactly that:
  with nothing reserved there is nothing the hub can know that the locations do not.

The web and marketplace ship-to-home views come from the same feed and must agree.
"""

from __future__ import annotations

from hub.model.allocation import offered
from hub.model.order import Channel
from scenarios.checking import traces as seen
from scenarios.checking.findings import Violations
from scenarios.checking.order_truths import SETTLED_FULFILMENTS, Fulfilment
from scenarios.checking.safety_stock import SafetyStock
from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult
from simulators.stockroom import Stockroom

Position = tuple[str, str]


class SellableStock:
    """What the locations can sell, as the built-in hub computes available-to-sell
    (see the module's docstring), from the locations' own records at one instant: the
    checker holds the channels' views against it, and a projection of a hub whose book
    cannot be read shows it in place of the hub's ATS."""

    def __init__(self, result: RunResult) -> None:
        estate = result.estate
        self._wms, self._pos = estate.wms.stock, estate.pos.stock
        self._dcs = [dc.location_id for dc in estate.world.dcs]
        self._is_dc = frozenset(self._dcs)
        self._queued = queued_units(result)
        self._safety = SafetyStock(result)

    def reserved(self, key: Position) -> int:
        """Units the location holds for orders: set aside on the shelf, or waiting for
        a picker."""
        room = self._room(key)
        return room.allocated.get(key, 0) + self._queued.get(key, 0)

    def safety_at(self, location: str) -> int:
        """Units of each SKU the scenario's rules hold back at `location`."""
        return self._safety.at(location)

    def at(self, key: Position) -> int:
        """Units of `key` (sku, location) the location can sell."""
        safety = self.safety_at(key[1])
        return max(0, self._room(key).sellable(key) - self._queued.get(key, 0) - safety)

    def ship(self, sku: str) -> int:
        """Ship-to-home: the sum over the DCs."""
        return sum(self.at((sku, dc)) for dc in self._dcs)

    def _room(self, key: Position) -> Stockroom:
        return self._wms if key[1] in self._is_dc else self._pos


def stock_agrees(result: RunResult, truth: Truth, bad: Violations) -> int:
    """Adds each disagreement to `bad`; returns how many views were compared."""
    estate = result.estate
    rules = result.scenario.hub.allocation
    sellable_now = SellableStock(result)
    open_skus, open_positions = _held_by_open_orders(truth)
    channels = (estate.storefront, *estate.marketplaces)
    # rules that offer both ship-to-home channels the same must leave their views equal
    same_offer = (
        rules.marketplace_share_pct >= 100
        and rules.web_safety_stock == rules.marketplace_safety_stock
        and not rules.marketplaces
    )
    compared = 0
    for sku in (item.sku_id for item in estate.world.skus):
        can_sell = sellable_now.ship(sku)
        views = [channel.ship_view.get(sku, 0) for channel in channels]
        if same_offer and views[0] != views[1]:
            bad.add(f"web shows {views[0]} of {sku}, the marketplace {views[1]}")
        for channel in channels:
            compared += 1
            view = channel.ship_view.get(sku, 0)
            who = getattr(channel, "system", channel.name)  # a marketplace by its name
            sellable = offered(rules, channel.name, can_sell, who)
            if view > sellable:
                bad.add(
                    f"{who} shows {view} of {sku}, more than the DCs can sell "
                    f"({sellable}{_by_rule(can_sell, sellable)})"
                )
            elif view != sellable and sku not in open_skus:
                bad.add(
                    f"{who} shows {view} of {sku}, the DCs can sell {sellable}"
                    f"{_by_rule(can_sell, sellable)}"
                )
    for key, view in sorted(estate.storefront.store_view.items()):
        compared += 1
        sku, store = key
        sellable = offered(rules, Channel.CLICK_COLLECT, sellable_now.at(key))
        if view > sellable:
            bad.add(f"web shows {view} of {sku} at {store}, more than it can sell ({sellable})")
        elif view != sellable and key not in open_positions:
            bad.add(f"web shows {view} of {sku} at {store}, the store can sell {sellable}")
    return compared


def _by_rule(can_sell: int, offered_units: int) -> str:
    """How the allocation rules cut what the locations can sell ("" when they did not)."""
    return "" if can_sell == offered_units else f" of {can_sell} by the allocation rules"


def queued_units(result: RunResult) -> dict[Position, int]:
    """Units of releases and pickups still waiting for a picker: promised to an order,
    not yet set aside on the shelf."""
    queued: dict[Position, int] = {}
    for release in result.estate.wms.releases.values():
        if release.status == "queued":
            for sku, qty in release.lines:
                queued[(sku, release.dc)] = queued.get((sku, release.dc), 0) + qty
    for pickup in result.estate.pos.pickups.values():
        if pickup.status == "queued":
            for sku, qty in pickup.lines:
                queued[(sku, pickup.store)] = queued.get((sku, pickup.store), 0) + qty
    return queued


def _held_by_open_orders(truth: Truth) -> tuple[set[str], set[Position]]:
    """SKUs (ship-to-home) and store positions (click-and-collect) that an order not yet
    settled may hold a reservation on: one still being fulfilled, or one never released
    that the channel has not been told is cancelled."""
    skus: set[str] = set()
    positions: set[Position] = set()
    for order_truth in truth.orders.values():
        order = order_truth.order
        settled = order_truth.fulfilment in SETTLED_FULFILMENTS or (
            order_truth.fulfilment == Fulfilment.NOT_RELEASED
            and seen.last_told(order) == seen.CANCELLED
        )
        if settled:
            continue
        for sku, _, _, _ in order.lines:
            if order.pickup_store:
                positions.add((sku, order.pickup_store))
            else:
                skus.add(sku)
    return skus, positions
