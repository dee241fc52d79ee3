"""Each marketplace's figures in one line, for the run's summary (the CLI's and the HTML
report's): with several marketplaces, a reader sees at once which one was acknowledged
late, resent, paid out or oversold, without opening report.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["marketplaces_line"]


def marketplaces_line(metrics: Mapping[str, Any]) -> str | None:
    """ "ebay: 31 orders, 100.0% acknowledged in its window, 0 resends, 5 payouts booked
    of 5, 0 units oversold; amazon: ..." (None with one marketplace)."""
    acks = metrics.get("marketplace_ack", {}).get("by_marketplace")
    if not acks:
        return None
    payouts = metrics.get("settlement", {}).get("by_marketplace", {})
    oversold = metrics.get("oversell", {}).get("by_marketplace", {})
    parts = []
    for name, ack in acks.items():
        words = [
            f"{ack['orders']:,} orders",
            f"{ack['within_window_pct']}% acknowledged in its window",
            f"{ack['resends']:,} resends",
        ]
        if name in payouts:
            paid = payouts[name]
            words.append(f"{paid['payouts_booked']} payouts booked of {paid['payouts']}")
        if name in oversold:
            words.append(f"{oversold[name]['oversold_units']:,} units oversold")
        parts.append(f"{name}: {', '.join(words)}")
    return "; ".join(parts)
