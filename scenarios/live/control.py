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
from graph.errors import BadInput
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
from scenarios.live.order_checks import OrderChecks
from scenarios.live.ports import RunningTwin
from scenarios.live.return_control import LiveReturns
from scenarios.twin.estate import Estate
from simulators.faults import HUB
from simulators.marketplace import Marketplace
from simulators.storefront import Storefront
from simulators.world import Sku


class LiveControl:
    def __init__(self, twin: RunningTwin) -> None:
        self._twin = twin
        world = twin.result.estate.world
        self._skus: dict[str, Sku] = {sku.sku_id: sku for sku in world.skus}
        self._customers = {c.customer_id: c for c in world.customers}
        self._checks = OrderChecks(twin, self._skus, self._customers)
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

    async def create_order(self, request: OrderRequest, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        problems = self._checks.problems(request)
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
            facts = self._twin.facts
            if not await self._twin.settle(lambda: facts.took_order(ref)):
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
            case CancelOrder(order_id, reason):
                # checked again at the instant it acts: the warehouse may have picked it
                # since the request came in
                refused = self._cancel_refusal(order_id)
                if refused is not None:
                    return refused
                channel_of = self._channel_of(order_id)
                if channel_of is not None:
                    channel_of.request_cancel(order_id, reason)
                return order_id
            case OpenReturn(order_id, lines):
                channel_of = self._channel_of(order_id)
                if channel_of is None:
                    return None
                asked = tuple(LineRequest(sku, quantity) for sku, quantity in lines)
                refused = self._returns.check(order_id, channel_of, asked)
                if refused is not None:
                    return refused
                return channel_of.request_return(order_id, list(lines))
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
                return made if isinstance(made, Outcome) else Outcome(id=order_id)
            case OpenReturn():
                return made if isinstance(made, Outcome) else Outcome(id=made)
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
        for marketplace in result.estate.marketplaces:
            if order_id in marketplace.orders:
                return marketplace
        return None

    async def cancel_order(self, order_id: str, reason: str, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        refused = self._cancel_refusal(order_id)
        if refused is not None:
            return refused
        logged, made = await self._twin.commands.submit(CancelOrder(order_id, reason), key)
        if isinstance(made, Outcome):  # picked since it was asked
            return await self._answer(logged, made)
        facts = self._twin.facts
        await self._twin.settle(lambda: facts.cancel_heard(order_id))
        return await self._answer(logged, Outcome(id=order_id))

    def _cancel_refusal(self, order_id: str) -> Outcome | None:
        """Why the order cannot be cancelled now, or None when it can."""
        status = self._twin.facts.order_status(order_id)
        if status is None or self._channel_of(order_id) is None:
            return Outcome.refused(("orderId",), f"no order {order_id!r}", "NOT_FOUND")
        if status == OrderStatus.CANCELLED or status >= OrderStatus.PICKED:
            return Outcome.refused(
                ("orderId",),
                f"order {order_id} is {status.label}; only "
                "an order not yet picked can be cancelled",
                "ORDER_NOT_CANCELLABLE",
            )
        return None

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
        if self._twin.facts.order_status(order_id) is None or channel is None:
            return Outcome.refused(("orderId",), f"no order {order_id!r}", "NOT_FOUND")
        refused = self._returns.check(order_id, channel, lines)
        if refused is not None:
            return refused
        command = OpenReturn(order_id, tuple((line.sku, line.quantity) for line in lines))
        logged, made = await self._twin.commands.submit(command, key)
        if isinstance(made, Outcome):  # no longer returnable when it came to act
            return await self._answer(logged, made)
        return await self._answer(logged, await self._returns.wait_for(made))

    # -- operator actions ----------------------------------------------------------------------

    async def inject_fault(self, request: FaultRequest, key: CommandKey) -> Outcome:
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered
        ended = self._ended()
        if ended is not None:
            return ended
        if request.target == HUB:
            hub_only(self._twin.result.estate, f"faultInject on target {HUB}")
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
        hub_only(estate, "deadLettersReplay")
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


def hub_only(estate: Estate, what: str) -> None:
    """Refuse, as the client's error, a request only the built-in hub can carry out
    when the hub under test is another process: the twin cannot reach inside it."""
    external = estate.external_hub
    if external is not None:
        raise BadInput(
            f"{what} acts inside the built-in hub, and the hub under test here is "
            f"external (at {external.url}); do it through that hub's own tools"
        )
