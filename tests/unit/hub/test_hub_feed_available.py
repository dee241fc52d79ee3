"""The availability feed pushes each position's available-to-sell, as the position says.

`AvailabilityService.publish_now` and `_ship_rows` compute available-to-sell in place
rather than through `InventoryPosition.available` (a row per dirty position of every
push, issue 18's cost per event). This holds the inlined arithmetic to the property's
rule, including the positions where it clamps: oversold (reserved beyond on hand),
quarantined and held back as safety stock.
"""

from __future__ import annotations

from typing import Any

from hub_fakes import DC, OTHER_DC, SKU, STORE, Harness

from hub.model.inventory import InventoryPosition

OTHER_SKU = "SKU-B"

#: (sku, location) -> (on hand, reserved, quarantined): the cases the clamp must get right
STATES = {
    (SKU, DC): (10, 3, 0),  # plain
    (SKU, OTHER_DC): (4, 9, 0),  # oversold: negative, offered as none
    (SKU, STORE): (6, 1, 2),  # quarantined units are not offered
    (OTHER_SKU, DC): (2, 0, 5),  # more quarantined than on hand
    (OTHER_SKU, STORE): (3, 3, 0),  # exactly none left
}


def _set(h: Harness, safety_stock: int) -> list[InventoryPosition]:
    book = h.hub.ctx.inventory
    positions = []
    for (sku, location), (on_hand, reserved, quarantined) in STATES.items():
        position = book.get(sku, location)
        position.on_hand, position.reserved, position.quarantined = on_hand, reserved, quarantined
        position.safety_stock = safety_stock
        h.hub.availability.touch(position)
        positions.append(position)
    return positions


def _last_feed(h: Harness) -> dict[str, Any]:
    h.hub.availability.publish_now()
    feeds = [p.body for p in h.transport.published if p.system == "web" and p.topic == "inventory"]
    return feeds[-1]


def test_every_feed_row_is_the_positions_available_to_sell() -> None:
    for safety_stock in (0, 1, 4):
        h = Harness(stock={(SKU, DC): 0, (SKU, STORE): 0})
        positions = _set(h, safety_stock)
        feed = _last_feed(h)

        at = {(p.sku, p.location): p.available for p in positions}
        ship = {sku: units for sku, units, _ in feed["items"]}
        assert ship == {
            SKU: at[(SKU, DC)] + at[(SKU, OTHER_DC)],
            OTHER_SKU: at[(OTHER_SKU, DC)],
        }, safety_stock
        stores = {(sku, store): units for sku, store, units, _ in feed["store_items"]}
        assert stores == {
            (SKU, STORE): at[(SKU, STORE)],
            (OTHER_SKU, STORE): at[(OTHER_SKU, STORE)],
        }


def test_the_oversold_position_is_offered_as_none_not_subtracted() -> None:
    h = Harness(stock={(SKU, DC): 0})
    _set(h, safety_stock=0)
    feed = _last_feed(h)
    ship = {sku: units for sku, units, _ in feed["items"]}
    # DC2 owes 5 it does not have: the web is offered DC1's 7, not 2
    assert ship[SKU] == 7
