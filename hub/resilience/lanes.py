"""A lane: the hub's connection pool to one backend, and the calls waiting in it.

Why a module of its own: the lane and the call are plain state, read by the call
manager (hub/resilience/calls.py), the services that build calls, and the keeper of a
backend's credentials (hub/resilience/credentials.py).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from hub.resilience.breaker import CircuitBreaker
from hub.resilience.credentials import Credential

__all__ = ["Call", "Lane", "LaneConfig"]


@dataclass(slots=True, init=False)
class Call:
    call_id: int
    system: str
    operation: str
    body: dict[str, Any]
    #: the aggregate (order, return, store) the call is about
    key: str
    created_at: float
    attempts: int = 0
    sent_at: float = 0.0
    context: dict[str, Any] = field(default_factory=dict)
    #: worth one attempt only: a transient failure hands the caller `DeadLettered` at
    #: once and keeps nothing in the dead-letter queue (the caller has moved on; a
    #: replay later would load a struggling backend with work nobody waits for)
    disposable: bool = False
    #: the access token the call was last sent with (None: its backend wants none)
    token: str | None = None
    #: times the backend refused it for its token (401)
    token_refusals: int = 0

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and a call is built
    # for every backend call of a run
    def __init__(
        self,
        call_id: int,
        system: str,
        operation: str,
        body: dict[str, Any],
        key: str,
        created_at: float,
        attempts: int = 0,
        sent_at: float = 0.0,
        context: dict[str, Any] | None = None,
        disposable: bool = False,
        token: str | None = None,
        token_refusals: int = 0,
    ) -> None:
        self.call_id = call_id
        self.system = system
        self.operation = operation
        self.body = body
        self.key = key
        self.created_at = created_at
        self.attempts = attempts
        self.sent_at = sent_at
        self.context = {} if context is None else context
        self.disposable = disposable
        self.token = token
        self.token_refusals = token_refusals


@dataclass(slots=True)
class LaneConfig:
    concurrency: int
    buffered: bool


class Lane:
    __slots__ = (
        "breaker",
        "buffered",
        "concurrency",
        "credential",
        "in_flight",
        "probe_scheduled",
        "queue",
        "system",
        "waiting_retry",
    )

    def __init__(self, system: str, config: LaneConfig, breaker: CircuitBreaker) -> None:
        self.system = system
        self.concurrency = config.concurrency
        self.buffered = config.buffered
        self.breaker = breaker
        self.queue: deque[Call] = deque()
        self.in_flight: dict[int, Call] = {}
        self.waiting_retry = 0
        self.probe_scheduled = False
        #: the backend's access token, when its API wants one (hub/resilience/credentials.py)
        self.credential: Credential | None = None

    @property
    def depth(self) -> int:
        """Calls accepted but not yet answered: queued, in flight or waiting to retry."""
        return len(self.queue) + len(self.in_flight) + self.waiting_retry
