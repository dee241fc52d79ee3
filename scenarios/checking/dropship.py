"""Drop-ship partners, judged from what each partner recorded (simulators/dropship.py):
the POs it received, when it acknowledged each, what it shipped and how late it said
so, and what it could not fill.

Two numbers gate the hub (SLAs): `partner_lines_to_partner_pct`, the share of the
order lines of a drop-shipped SKU that reached that SKU's partner as a PO (the rest
went to a DC, which stocks none of it: the customer gets nothing); and
`partner_pos_unacknowledged_max`, POs a partner received and never acknowledged by
the end (a PO lost at its desk that the hub never sent again). Only orders released
somewhere count for the first (an order cancelled or declined before release asked
nobody to ship anything).
"""

from __future__ import annotations

from typing import Any

from scenarios.checking.truth import Truth
from scenarios.twin.run_result import RunResult


def dropship_metric(result: RunResult, truth: Truth) -> dict[str, Any]:
    estate = result.estate
    windows = {
        f"partner:{spec.name}": spec.ack_window_s for spec in result.scenario.backends.partners
    }
    partners: dict[str, dict[str, Any]] = {}
    unacknowledged = 0
    for system, partner in estate.partners.items():
        orders = list(partner.orders.values())
        open_pos = [po for po in orders if po.release.status != "cancelled" or po.acked_at >= 0]
        acked = [po for po in open_pos if po.acked_at >= 0]
        within = [po for po in acked if po.acked_at - po.received_at <= windows[system]]
        missing = len(open_pos) - len(acked)
        unacknowledged += missing
        partners[system] = {
            "pos_received": len(orders),
            "pos_sent_again": sum(1 for po in orders if po.resent),
            "acked_within_window_pct": _pct(len(within), len(open_pos)),
            "unacknowledged": missing,
            "shipped_units": sum(qty for po in orders for _, qty in po.release.picked),
            "short_units": sum(qty for po in orders for _, qty in po.release.short),
            "late_notices": sum(1 for po in orders if po.late),
        }
    lines, routed = _lines_to_partner(result, truth)
    return {
        "partners": partners,
        "partner_lines": lines,
        "lines_to_partner_pct": _pct(routed, lines),
        "pos_unacknowledged": unacknowledged,
    }


def _lines_to_partner(result: RunResult, truth: Truth) -> tuple[int, int]:
    """(order lines of a drop-shipped SKU in orders released somewhere, those that
    reached the SKU's partner)."""
    estate = result.estate
    partner_of = estate.world.partner_skus
    lines = routed = 0
    for ref, order_truth in truth.orders.items():
        parts = estate.wms.legs.get(ref)
        if not parts:
            continue
        received = {(part.dc, sku) for part in parts for sku, _ in part.lines}
        for sku, *_ in order_truth.order.lines:
            partner = partner_of.get(sku)
            if partner is not None:
                lines += 1
                routed += (partner, sku) in received
    return lines, routed


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 100.0
