"""What the API asks of the twin when a client changes something, and what it gets back.

Resolvers never touch a hub or a simulation: they send requests through `TwinControl`.
The live twin (scenarios/live/twin.py) implements it by acting the way the estate would (an
order enters through the storefront, a fault is switched on in the network); a finished
run is served by `ReadOnlyControl`, which refuses. Business rules (is there stock, is the
order returnable) are decided there, not here: the API only reports the outcome, as
`userErrors` when the answer is no.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from simulators.faults import FaultKind


@dataclass(frozen=True, slots=True)
class Problem:
    """A business answer of "no": which input field, what was wrong, a stable code."""

    field: tuple[str, ...]
    message: str
    code: str


@dataclass(frozen=True, slots=True)
class LineRequest:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class OrderRequest:
    channel: str
    lines: tuple[LineRequest, ...]
    customer_id: str | None = None
    pickup_store: str | None = None


@dataclass(frozen=True, slots=True)
class FaultRequest:
    action: str  # start | end
    target: str | None = None
    kind: FaultKind | None = None
    rate: float = 0.0
    duration_s: float | None = None
    fault_id: str | None = None


@dataclass(frozen=True, slots=True)
class CommandKey:
    """A change as idempotency knows it: the client's key, the mutation, and a digest of
    its request. A twin that keeps its commands durably commits this with the command,
    so a client retrying after a crash gets the first answer, not a second effect."""

    key: str
    mutation: str
    request_hash: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one request: the id of what it made or touched, any problems, and
    anything else the payload reports."""

    id: str | None = None
    problems: tuple[Problem, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "data": dict(self.data),
            "problems": [
                {"field": list(p.field), "message": p.message, "code": p.code}
                for p in self.problems
            ],
        }

    @classmethod
    def refused(cls, path: tuple[str, ...], message: str, code: str) -> Outcome:
        """No, because of the input field at `path` (under `input`)."""
        return cls(problems=(Problem(("input", *path), message, code),))

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Outcome:
        return cls(
            body.get("id"),
            tuple(
                Problem(tuple(p["field"]), p["message"], p["code"])
                for p in body.get("problems", ())
            ),
            dict(body.get("data", {})),
        )


class TwinControl(Protocol):
    @property
    def read_only(self) -> bool: ...

    async def create_order(self, request: OrderRequest, key: CommandKey) -> Outcome: ...

    async def cancel_order(self, order_id: str, reason: str, key: CommandKey) -> Outcome: ...

    async def request_return(
        self, order_id: str, lines: tuple[LineRequest, ...], key: CommandKey
    ) -> Outcome: ...

    async def inject_fault(self, request: FaultRequest, key: CommandKey) -> Outcome: ...

    async def replay_dead_letters(self, key: CommandKey) -> Outcome: ...


READ_ONLY = Problem(
    ("input",),
    "this server serves a finished run (--db) and is read-only; "
    "run `retailtwin serve SCENARIO` for a live twin that takes changes",
    "READ_ONLY",
)


class ReadOnlyControl:
    """A finished run cannot change: every request is answered with READ_ONLY."""

    @property
    def read_only(self) -> bool:
        return True

    async def create_order(self, request: OrderRequest, key: CommandKey) -> Outcome:
        return Outcome(problems=(READ_ONLY,))

    async def cancel_order(self, order_id: str, reason: str, key: CommandKey) -> Outcome:
        return Outcome(problems=(READ_ONLY,))

    async def request_return(
        self, order_id: str, lines: tuple[LineRequest, ...], key: CommandKey
    ) -> Outcome:
        return Outcome(problems=(READ_ONLY,))

    async def inject_fault(self, request: FaultRequest, key: CommandKey) -> Outcome:
        return Outcome(problems=(READ_ONLY,))

    async def replay_dead_letters(self, key: CommandKey) -> Outcome:
        return Outcome(problems=(READ_ONLY,))
