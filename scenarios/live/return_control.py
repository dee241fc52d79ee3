"""Returns requested through the API, on a live twin.

A customer may send an order back in several goes (one line now, another next week),
so every request opens a new return, with its own id, at the order's channel, and each
goes through the hub on its own: authorised, received, refunded, credited.

What is still returnable is counted from the estate's own record rather than the
hub's: the units the hub saw delivered, less every return already opened for the order,
at its channel or over a store counter, whether or not news of it has reached the hub
yet. Counting only what the hub has heard would let a second request claim units that
a first one, still on the wire while a link is down, already claimed. A return the hub
refused claims nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from graph.control import LineRequest, Outcome, Problem
from hub.model.order import FULFILLED
from scenarios.live.ports import RunningTwin
from simulators.marketplace import Marketplace
from simulators.storefront import Storefront


class LiveReturns:
    def __init__(self, twin: RunningTwin) -> None:
        self._twin = twin

    def claimed(self, order_id: str, channel: Storefront | Marketplace) -> Counter[str]:
        """Units of each SKU of the order already asked back, by any return not refused."""
        facts = self._twin.facts
        asked: list[tuple[str, Iterable[tuple[str, int]]]] = [
            (opened.id, opened.lines) for opened in channel.returns_opened.get(order_id, ())
        ]
        asked.extend(
            (counter.txn, [(sku, qty) for sku, qty, _, _ in counter.lines])
            for counter in self._twin.result.estate.pos.returns
            if counter.order_ref == order_id
        )
        claimed: Counter[str] = Counter()
        for return_id, lines in asked:
            if facts.return_rejected(return_id):
                continue
            for sku, qty in lines:
                claimed[sku] += qty
        return claimed

    def _check_lines(
        self, order_id: str, channel: Storefront | Marketplace, lines: tuple[LineRequest, ...]
    ) -> list[Problem]:
        if not lines:
            return [Problem(("input", "lines"), "expected at least one line", "INVALID")]
        delivered = self._twin.facts.delivered(order_id)
        claimed = self.claimed(order_id, channel)
        problems = []
        seen: set[str] = set()
        for i, line in enumerate(lines):
            path = ("input", "lines", str(i))
            if line.sku not in delivered:
                problems.append(
                    Problem(
                        (*path, "skuId"),
                        f"line {i}: {line.sku} is not on order {order_id}",
                        "QUANTITY_NOT_RETURNABLE",
                    )
                )
            elif line.sku in seen:
                problems.append(
                    Problem(
                        (*path, "skuId"),
                        f"line {i}: {line.sku} is listed twice; put the whole quantity on one line",
                        "INVALID",
                    )
                )
            elif line.quantity < 1:
                problems.append(
                    Problem(
                        (*path, "quantity"),
                        f"line {i}: expected a quantity of at least 1, got {line.quantity}",
                        "BAD_QUANTITY",
                    )
                )
            else:
                left = delivered[line.sku] - claimed[line.sku]
                if line.quantity > left:
                    problems.append(
                        Problem(
                            (*path, "quantity"),
                            f"line {i}: {line.sku}: {line.quantity} requested, {max(left, 0)} "
                            f"still returnable ({delivered[line.sku]} delivered, "
                            f"{claimed[line.sku]} on earlier returns of order {order_id})",
                            "QUANTITY_NOT_RETURNABLE",
                        )
                    )
            seen.add(line.sku)
        return problems

    def check(
        self, order_id: str, channel: Storefront | Marketplace, lines: tuple[LineRequest, ...]
    ) -> Outcome | None:
        """Why the return cannot be opened, or None when it can."""
        status = self._twin.facts.order_status(order_id)
        if status not in FULFILLED:
            label = "unknown" if status is None else status.label
            return Outcome.refused(
                ("orderId",),
                f"order {order_id} is {label}; only a delivered order can be returned",
                "ORDER_NOT_RETURNABLE",
            )
        problems = self._check_lines(order_id, channel, lines)
        return Outcome(problems=tuple(problems)) if problems else None

    async def wait_for(self, made: str | None) -> Outcome:
        """Wait for the hub to record the return the channel opened."""
        if made is None:
            return Outcome.refused(("orderId",), "the order's channel is gone", "NOT_FOUND")
        facts = self._twin.facts
        if await self._twin.settle(lambda: facts.took_return(made)):
            return Outcome(id=made)
        return Outcome(
            id=made,
            problems=(
                Problem(
                    ("input",),
                    f"return {made} was requested, but the hub has not recorded it yet",
                    "NOT_YET_VISIBLE",
                ),
            ),
        )
