"""What API clients did to a live day, as a log the day can be rebuilt from.

A live run is a pure function of its scenario, its seed and this log: each accepted
command with the simulated time it took effect. The twin commits a command to its state
store before the command acts, and a twin restarted on the same store runs the day
again in virtual time, applying each command at its time, and goes on live from where
the first one stopped. A command is the effect only (an order handed to the storefront,
a fault switched on), not the checks before it: those passed when it was accepted, and
they would pass again on the same state.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graph.control import CommandKey, FaultRequest
from simulators.faults import FaultKind


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    channel: str
    customer_id: str
    region: str
    lines: tuple[tuple[str, int], ...]
    pickup_store: str = ""


@dataclass(frozen=True, slots=True)
class CancelOrder:
    order_id: str
    #: the customer's reason, as the channel records it ("" in logs written before it)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OpenReturn:
    order_id: str
    lines: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class StartFault:
    target: str
    kind: str
    rate: float
    duration_s: float | None

    def request(self) -> FaultRequest:
        return FaultRequest("start", self.target, FaultKind(self.kind), self.rate, self.duration_s)


@dataclass(frozen=True, slots=True)
class EndFault:
    fault_id: str


@dataclass(frozen=True, slots=True)
class ReplayDeadLetters:
    pass


Command = PlaceOrder | CancelOrder | OpenReturn | StartFault | EndFault | ReplayDeadLetters

_TYPES: dict[str, type[Command]] = {
    cls.__name__: cls
    for cls in (PlaceOrder, CancelOrder, OpenReturn, StartFault, EndFault, ReplayDeadLetters)
}


@dataclass(frozen=True, slots=True)
class LoggedCommand:
    """One entry of the log: when it took effect (simulated seconds), what it was, and
    the client's idempotency key it answered."""

    seq: int
    at_s: float
    command: Command
    key: CommandKey


def command_to_json(command: Command) -> dict[str, Any]:
    return {"type": type(command).__name__, **asdict(command)}


def command_from_json(body: dict[str, Any]) -> Command:
    fields = dict(body)
    cls = _TYPES[fields.pop("type")]
    for name in ("lines",):
        if name in fields:
            fields[name] = tuple((str(sku), int(qty)) for sku, qty in fields[name])
    return cls(**fields)
