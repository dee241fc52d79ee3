"""How a simulated backend answers a request made to its API.

Every backend's `handle(operation, body, reply)` answers exactly once (or never, when the
answer is lost). A backend that needs time to work a request out but has no queue to
wait in (a payment gateway) says how long with `delay_s` instead of scheduling an event
of its own: the answer leaves that much later. Backends with a queue (the ERP's workers)
wait in their station and answer with no extra delay.
"""

from __future__ import annotations

from typing import Any, Protocol


class Reply(Protocol):
    def __call__(self, status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None: ...
