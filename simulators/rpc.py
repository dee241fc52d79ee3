"""How a simulated backend answers a request made to its API.

Every backend's `handle(operation, body, reply)` answers exactly once (or never, when the
answer is lost). A backend that needs time to work a request out but has no queue to
wait in (a payment gateway) says how long with `delay_s` instead of scheduling an event
of its own: the answer leaves that much later. Backends with a queue (the ERP's workers)
wait in their station and answer with no extra delay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

#: one operation of a backend that dispatches by name: the request's body -> (status, answer)
Operation = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


class Reply(Protocol):
    def __call__(self, status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None: ...


def dispatch(
    operations: Mapping[str, Operation], operation: str, body: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """Carry out `operation` on `body`: 404 for an operation the backend does not have,
    400 for a body it cannot read (a missing field, a value of the wrong kind), as the
    backends that dispatch by name (the gateway, the tax engine) answer them."""
    execute = operations.get(operation)
    if execute is None:
        return 404, {"error": f"unknown operation {operation}"}
    try:
        return execute(body)
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"error": f"bad request: {type(exc).__name__}: {exc}"}
