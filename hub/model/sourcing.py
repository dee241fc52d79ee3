"""Sourcing: which DC ships a ship-to-home order, or which DCs ship which of its lines.

The rule (`hub.sourcing`, hub/policy.py SourcingPolicy) ranks the DCs:

- `fullest`: by the units of the order each can fill now, most first (ties in the
  topology's order). This ignores where the customer is; it is how the hub always
  sourced, and keeps short lines fewest when an order cannot ship in parts.
- `nearest`: the DCs that can fill the whole order first, nearest the customer's region
  first (ties by fullest); when none can, by fullest (ties by nearest). Nearer means a
  shorter carrier transit (simulators/carrier.py), the whole point of the rule.

The order ships whole from the first DC of the ranking, unless `split` is on and that DC
cannot fill it: then each line goes to the first DC in the ranking that can fill that
line, and a line no DC can fill to the one with the most of it (short there). Lines are
never divided: a part is a set of whole lines, so each line has one DC, and one parcel.

Lines of a drop-shipped SKU (`partner_parts`) go to its partner as a part of their
own, before any rule ranks the DCs for the rest: an order with DC lines and partner
lines ships in parts even with `split` off.

Pure: it reads availability through a function, so tests need no hub.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hub.policy import SourcingPolicy

#: (sku, location) -> units an accepted order could reserve there now
Available = Callable[[str, str], int]


@dataclass(frozen=True, slots=True)
class Part:
    """A DC and the indices (into the order's lines) it ships."""

    location: str
    lines: tuple[int, ...]


def plan(
    rule: SourcingPolicy,
    wanted: Sequence[tuple[str, int]],
    dcs: Sequence[str],
    available: Available,
    distance: Callable[[str], int],
) -> list[Part]:
    """Where each line of an order ships from: one part for an order shipped whole,
    the first DC's part first. `wanted` is the order's (sku, quantity) lines;
    `distance(dc)` how far the DC is from the customer."""
    fill = {dc: sum(min(qty, max(0, available(sku, dc))) for sku, qty in wanted) for dc in dcs}
    whole = {dc: all(available(sku, dc) >= qty for sku, qty in wanted) for dc in dcs}
    order = {dc: i for i, dc in enumerate(dcs)}
    if rule.strategy == "nearest":
        ranked = sorted(
            dcs,
            key=lambda dc: (
                (0, distance(dc), -fill[dc], order[dc])
                if whole[dc]
                else (1, -fill[dc], distance(dc), order[dc])
            ),
        )
    else:
        ranked = sorted(dcs, key=lambda dc: (-fill[dc], order[dc]))
    first = ranked[0]
    everything = tuple(range(len(wanted)))
    if not rule.split or whole[first] or len(dcs) < 2:
        return [Part(first, everything)]
    chosen: dict[str, list[int]] = {}
    for index, (sku, qty) in enumerate(wanted):
        able = [dc for dc in ranked if available(sku, dc) >= qty]
        if able:
            dc = able[0]
        else:
            dc = max(ranked, key=lambda d: (max(0, available(sku, d)), -ranked.index(d)))
        chosen.setdefault(dc, []).append(index)
    parts = [Part(dc, tuple(chosen[dc])) for dc in ranked if dc in chosen]
    return parts


def partner_parts(
    skus: Sequence[str], partner_of: Mapping[str, str]
) -> tuple[list[int], list[Part]]:
    """Lines of drop-shipped SKUs go to their partner, whatever the rule says: no DC
    stocks them. Returns the indices of the lines left for the DCs, and one part per
    partner (its lines), partners in the order of their first line."""
    left: list[int] = []
    chosen: dict[str, list[int]] = {}
    for index, sku in enumerate(skus):
        partner = partner_of.get(sku)
        if partner is None:
            left.append(index)
        else:
            chosen.setdefault(partner, []).append(index)
    return left, [Part(location, tuple(lines)) for location, lines in chosen.items()]
