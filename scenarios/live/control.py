"""What the API's mutations do to a live twin, and the business answers when they cannot.

Each request acts the way the estate would be acted on. An order is placed through the
storefront (or the marketplace) and travels the network to the hub like any channel
order; a cancellation or a return is requested through the channel the order came from
(scenarios/live/return_control.py); a fault is switched on with the same toggles the
scenario's fault schedule uses (scenarios/live/fault_control.py). The checks made first are
the ones the channel itself would make (does the SKU exist, does the channel show
enough stock, has the order been delivered) and come back as
`Problem`s, the API's userErrors. After acting, the control waits for the hub to record
the change and for the read model to show it, so the payload shows the result.
"""

from __future__ import annotations

from typing import Any

from graph.control import (
    CommandKey,
    FaultRequest,
    LineRequest,
    OrderRequest,
    Outcome,
    Problem,
)
from hub.model.order import OrderStatus
from scenarios.live.commands import (
    CancelOrder,
    Command,
    EndFault,
    LoggedCommand,
    OpenReturn,
    PlaceOrder,
    ReplayDeadLetters,
    StartFault,
)
from scenarios.live.fault_control import LiveFaults
from scenarios.live.ports import RunningTwin
from scenarios.live.return_control import LiveReturns
from simulators.marketplace import Marketplace
from simulators.storefront import Storefront
from simulators.world import Sku

MAX_QUANTITY = 100


class LiveControl:
    def __init__(self, twin: RunningTwin) -> None:
        self._twin = twin
        world = twin.result.estate.world
        self._skus: dict[str, Sku] = {sku.sku_id: sku for sku in world.skus}
        self._customers = {c.customer_id: c for c in world.customers}
        self._stores = {s.location_id for s in world.stores}
        self._faults = LiveFaults(twin)
        self._returns = LiveReturns(twin)

    @property
    def read_only(self) -> bool:
        return False

    def _ended(self) -> Outcome | None:
        if self._twin.finished:
            return Outcome.refused(
                (),
                "the live run has finished and the twin no longer moves; "
                "restart `retailtwin serve` for a new day",
                "READ_ONLY",
            )
        return None

    # -- orders ------------------------------------------------------------------------------

    def _check_lines(self, request: OrderRequest) -> list[Problem]:
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

    def _check_where(self, request: OrderRequest) -> list[Problem]:
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

    def _check_stock(self, request: OrderRequest) -> list[Problem]:
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

    async def create_order(self, request: OrderRequest, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        problems = self._check_lines(request) + self._check_where(request)
        if not problems:
            problems = self._check_stock(request)
        if problems:
            return Outcome(problems=tuple(problems))
        result = self._twin.result
        customer = (
            self._customers.get(request.customer_id or "") or result.estate.world.customers[0]
        )
        command = PlaceOrder(
            request.channel,
            customer.customer_id,
            customer.region,
            tuple((line.sku, line.quantity) for line in request.lines),
            request.pickup_store or "",
        )
        logged, ref = await self._twin.commands.submit(command, key)
        outcome = self.outcome_of(command, ref)
        if ref is not None:
            orders = result.estate.hub.ctx.orders
            if not await self._twin.settle(lambda: ref in orders):
                outcome = Outcome(
                    id=ref,
                    problems=(
                        Problem(
                            ("input",),
                            f"the {request.channel} channel accepted order {ref}, but the "
                            f"hub has not recorded it yet (is a link down?); query order(id: "
                            f'"{ref}") later',
                            "NOT_YET_VISIBLE",
                        ),
                    ),
                )
        return await self._answer(logged, outcome)

    # -- commands: what each does to the estate, live and when a log is replayed -----------

    def apply(self, command: Command) -> Any:
        """Carry out a command at the instant it takes effect; returns what it made."""
        estate = self._twin.result.estate
        match command:
            case PlaceOrder(channel, customer_id, region, lines, pickup_store):
                wanted = [(self._skus[sku], quantity) for sku, quantity in lines]
                placed = (
                    estate.marketplace.place(customer_id, region, wanted)
                    if channel == "marketplace"
                    else estate.storefront.place(customer_id, region, wanted, pickup_store)
                )
                return None if placed is None else placed.ref
            case CancelOrder(order_id):
                channel_of = self._channel_of(order_id)
                if channel_of is not None:
                    channel_of.request_cancel(order_id)
                return order_id
            case OpenReturn(order_id, lines):
                channel_of = self._channel_of(order_id)
                return (
                    None if channel_of is None else channel_of.request_return(order_id, list(lines))
                )
            case StartFault():
                return self._faults.start(command.request())
            case EndFault(fault_id):
                return self._faults.end(fault_id)
            case ReplayDeadLetters():
                return self._twin.call_hub(estate.hub.replay_dead_letters)
        raise TypeError(f"not a command: {command!r}")

    def outcome_of(self, command: Command, made: Any) -> Outcome:
        """The answer a command gets from what it made, before any waiting: what a
        replayed command that never had its answer stored is answered with."""
        match command:
            case PlaceOrder(channel=channel):
                if made is None:  # the view changed under us: not expected after the check
                    return Outcome.refused(
                        ("lines",),
                        f"the {channel} channel could not fill any line",
                        "INSUFFICIENT_STOCK",
                    )
                return Outcome(id=made)
            case CancelOrder(order_id):
                return Outcome(id=order_id)
            case OpenReturn():
                return Outcome(id=made)
            case StartFault() | EndFault():
                return made if isinstance(made, Outcome) else Outcome()
            case ReplayDeadLetters():
                depth = len(self._twin.result.estate.hub.ctx.dead_letters)
                return Outcome(data={"replayed": made, "depth": depth})
        raise TypeError(f"not a command: {command!r}")

    def _remembered(self, key: CommandKey) -> Outcome | None:
        """A command this key already gave (before a crash, say): its answer again."""
        known = self._twin.commands.known(key)
        if known is None:
            return None
        logged, outcome = known
        return outcome if outcome is not None else self.outcome_of(logged.command, None)

    async def _answer(self, logged: LoggedCommand, outcome: Outcome) -> Outcome:
        await self._twin.commands.answered(logged, outcome)
        return outcome

    def _channel_of(self, order_id: str) -> Storefront | Marketplace | None:
        result = self._twin.result
        if order_id in result.estate.storefront.orders:
            return result.estate.storefront
        if order_id in result.estate.marketplace.orders:
            return result.estate.marketplace
        return None

    async def cancel_order(self, order_id: str, reason: str, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        order = self._twin.result.estate.hub.ctx.orders.get(order_id)
        channel = self._channel_of(order_id)
        if order is None or channel is None:
            return Outcome.refused(("orderId",), f"no order {order_id!r}", "NOT_FOUND")
        if order.status == OrderStatus.CANCELLED or order.status >= OrderStatus.PICKED:
            return Outcome.refused(
                ("orderId",),
                f"order {order_id} is {order.status.label}; only "
                "an order not yet picked can be cancelled",
                "ORDER_NOT_CANCELLABLE",
            )
        logged, _ = await self._twin.commands.submit(CancelOrder(order_id), key)
        hub_order = order  # the hub moves it on while we wait

        def heard() -> bool:
            return hub_order.cancel_requested or hub_order.status is OrderStatus.CANCELLED

        await self._twin.settle(heard)
        return await self._answer(logged, Outcome(id=order_id))

    # -- returns -----------------------------------------------------------------------------

    async def request_return(
        self, order_id: str, lines: tuple[LineRequest, ...], key: CommandKey
    ) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        channel = self._channel_of(order_id)
        if order_id not in self._twin.result.estate.hub.ctx.orders or channel is None:
            return Outcome.refused(("orderId",), f"no order {order_id!r}", "NOT_FOUND")
        refused = self._returns.check(order_id, channel, lines)
        if refused is not None:
            return refused
        command = OpenReturn(order_id, tuple((line.sku, line.quantity) for line in lines))
        logged, made = await self._twin.commands.submit(command, key)
        return await self._answer(logged, await self._returns.wait_for(made))

    # -- operator actions ----------------------------------------------------------------------

    async def inject_fault(self, request: FaultRequest, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        if request.action != "end" and (not request.target or not request.kind):
            return Outcome.refused(
                ("target" if not request.target else "kind",),
                "a START needs a target and a kind",
                "INVALID",
            )
        command: Command = (
            EndFault(request.fault_id or "")
            if request.action == "end"
            else StartFault(
                request.target or "",
                str(request.kind or ""),
                request.rate,
                request.duration_s,
            )
        )
        logged, made = await self._twin.commands.submit(command, key)
        outcome = self.outcome_of(command, made)
        if not outcome.problems:
            await self._twin.project()
        return await self._answer(logged, outcome)

    async def replay_dead_letters(self, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        estate = self._twin.result.estate
        if estate.hub_process.down:
            return Outcome.refused(
                (),
                "the hub is down (a crash fault); its dead letters are in its journal and "
                "can be replayed once it has restarted",
                "HUB_UNAVAILABLE",
            )
        logged, replayed = await self._twin.commands.submit(ReplayDeadLetters(), key)
        await self._twin.project()
        return await self._answer(logged, self.outcome_of(ReplayDeadLetters(), replayed))
