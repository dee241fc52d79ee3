"""The checks a channel makes before it takes an order placed through the API: the SKUs
exist, each once, in sensible quantities; the customer and the pickup store exist; and
the channel's own view of stock covers every line. What fails comes back as `Problem`s,
the API's userErrors, and the order is never placed.
"""

from __future__ import annotations

from graph.control import OrderRequest, Problem
from scenarios.live.ports import RunningTwin
from simulators.world import Customer, Sku

#: the most units of one SKU an order placed through the API may ask for
MAX_QUANTITY = 100


class OrderChecks:
    def __init__(
        self, twin: RunningTwin, skus: dict[str, Sku], customers: dict[str, Customer]
    ) -> None:
        self._twin = twin
        self._skus = skus
        self._customers = customers
        self._stores = {s.location_id for s in twin.result.estate.world.stores}

    def problems(self, request: OrderRequest) -> list[Problem]:
        """Everything wrong with the request; stock only once the rest is right."""
        problems = self._lines(request) + self._where(request)
        return problems or self._stock(request)

    def _lines(self, request: OrderRequest) -> list[Problem]:
        problems = []
        if not request.lines:
            problems.append(Problem(("input", "lines"), "expected at least one line", "INVALID"))
        seen: set[str] = set()
        for i, line in enumerate(request.lines):
            path = ("input", "lines", str(i))
            if line.sku not in self._skus:
                problems.append(
                    Problem((*path, "skuId"), f"unknown SKU {line.sku!r}", "UNKNOWN_SKU")
                )
            elif line.sku in seen:
                problems.append(
                    Problem(
                        (*path, "skuId"),
                        f"{line.sku} is listed twice; put the whole quantity on one line",
                        "INVALID",
                    )
                )
            seen.add(line.sku)
            if not 1 <= line.quantity <= MAX_QUANTITY:
                problems.append(
                    Problem(
                        (*path, "quantity"),
                        f"expected a quantity from 1 to {MAX_QUANTITY}, got {line.quantity}",
                        "BAD_QUANTITY",
                    )
                )
        return problems

    def _where(self, request: OrderRequest) -> list[Problem]:
        problems = []
        if request.customer_id is not None and request.customer_id not in self._customers:
            problems.append(
                Problem(
                    ("input", "customerId"),
                    f"unknown customer {request.customer_id!r}",
                    "UNKNOWN_CUSTOMER",
                )
            )
        if request.channel == "click_collect":
            if request.pickup_store is None:
                problems.append(
                    Problem(
                        ("input", "pickupStoreId"),
                        "a CLICK_COLLECT order needs a pickup store",
                        "INVALID",
                    )
                )
            elif request.pickup_store not in self._stores:
                problems.append(
                    Problem(
                        ("input", "pickupStoreId"),
                        f"unknown store {request.pickup_store!r}",
                        "UNKNOWN_LOCATION",
                    )
                )
        elif request.pickup_store is not None:
            problems.append(
                Problem(
                    ("input", "pickupStoreId"),
                    "only a CLICK_COLLECT order has a pickup store",
                    "INVALID",
                )
            )
        return problems

    def _stock(self, request: OrderRequest) -> list[Problem]:
        """The channel sells against its own view of stock, as the storefront does."""
        result = self._twin.result
        problems = []
        for i, line in enumerate(request.lines):
            if request.channel == "click_collect":
                store = request.pickup_store or ""
                have = result.estate.storefront.store_view.get((line.sku, store), 0)
                where = f"at store {request.pickup_store}"
            else:
                channel = (
                    result.estate.marketplace
                    if request.channel == "marketplace"
                    else result.estate.storefront
                )
                have = channel.ship_view.get(line.sku, 0)
                where = f"on {request.channel}"
            if have < line.quantity:
                problems.append(
                    Problem(
                        ("input", "lines", str(i), "quantity"),
                        f"line {i}: {line.sku} has {have} available to sell {where}, "
                        f"{line.quantity} requested",
                        "INSUFFICIENT_STOCK",
                    )
                )
        return problems
