"""Drop-ship partners as metric families, per partner (`partner:NAME`), from each
partner's own records (scenarios/checking/dropship.py; no series without partners):
the POs it received and those the hub sent again, what it shipped and could not fill,
its late shipment notices, and the POs it has not acknowledged."""

from __future__ import annotations

from typing import Any

from scenarios.checking.family import Family

DROPSHIP_FAMILIES = (
    Family(
        "retailtwin_partner_pos_total",
        "counter",
        "Purchase orders (a part of an order each) the drop-ship partner received.",
        ("partner",),
    ),
    Family(
        "retailtwin_partner_pos_sent_again_total",
        "counter",
        "Of those, POs the hub sent again because the partner had not acknowledged them "
        "within its window.",
        ("partner",),
    ),
    Family(
        "retailtwin_partner_units_shipped_total",
        "counter",
        "Units the partner shipped to the customers.",
        ("partner",),
    ),
    Family(
        "retailtwin_partner_units_short_total",
        "counter",
        "Units of its POs the partner could not fill.",
        ("partner",),
    ),
    Family(
        "retailtwin_partner_late_notices_total",
        "counter",
        "Shipments whose notice the partner sent late.",
        ("partner",),
    ),
    Family(
        "retailtwin_partner_pos_unacknowledged",
        "gauge",
        "POs the partner received and has not acknowledged (nor had withdrawn).",
        ("partner",),
    ),
)

#: each family's field of `dropship_metric`'s per-partner figures
FIELDS = (
    ("retailtwin_partner_pos_total", "pos_received"),
    ("retailtwin_partner_pos_sent_again_total", "pos_sent_again"),
    ("retailtwin_partner_units_shipped_total", "shipped_units"),
    ("retailtwin_partner_units_short_total", "short_units"),
    ("retailtwin_partner_late_notices_total", "late_notices"),
    ("retailtwin_partner_pos_unacknowledged", "unacknowledged"),
)


def samples(partners: dict[str, dict[str, Any]]) -> list[tuple[str, str, float]]:
    """(family, partner, value) for every partner's figures."""
    return [
        (name, system, float(figures[key]))
        for system, figures in partners.items()
        for name, key in FIELDS
    ]
