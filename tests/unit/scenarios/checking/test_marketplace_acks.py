"""The marketplaces' acknowledgement figures: counted and summarized as the orders are
read (no `Latency` listed an order), the same figures as a summary of the listed items."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from scenarios.checking import metrics
from scenarios.checking.latency import Latency, summarize

END = 10_000.0


def _order(rng: random.Random) -> SimpleNamespace:
    placed = rng.uniform(0.0, END - 1.0)
    acked = placed + rng.expovariate(1 / 90.0) if rng.random() < 0.8 else -1.0
    cancels = [("x", "cancelled", placed + rng.uniform(0.0, 400.0))] if rng.random() < 0.1 else []
    other = [("x", "shipped", placed + 5.0)] if rng.random() < 0.3 else []
    return SimpleNamespace(placed_at=placed, acked_at=acked, notices=other + cancels)


def _listed(marketplaces: list[Any]) -> dict[str, Any]:
    """The figures as they were worked out: every item listed, then summarized."""
    delays, answered, late = [], 0, 0
    for market in marketplaces:
        for order in market.orders.values():
            answers = [order.acked_at] if order.acked_at >= 0 else []
            answers += [at for _, status, at in order.notices if status == "cancelled"]
            if answers:
                first = min(answers)
                delays.append(Latency("marketplace", first - order.placed_at, first))
                if first - order.placed_at <= market.ack_window_s:
                    answered += 1
                    continue
            else:
                delays.append(Latency("marketplace", END - order.placed_at, END, censored=True))
            late += 1
    return {"within_window": answered, "late_or_never": late, "ack_delay_s": summarize(delays)}


def test_acknowledgements_stream_into_the_summary_a_list_would_give() -> None:
    rng = random.Random(7)
    marketplaces = [
        SimpleNamespace(ack_window_s=window, orders={n: _order(rng) for n in range(2_000)})
        for window in (120.0, 300.0)
    ]
    result = SimpleNamespace(sealed=SimpleNamespace(ended_at=END))
    found = metrics._acks_at(result, *marketplaces)  # type: ignore[arg-type]
    expected = _listed(marketplaces)
    assert found["ack_delay_s"]["censored"] > 0, "some orders never answered"
    for key, value in expected.items():
        assert found[key] == value, key
    assert found["orders"] == 4_000
