"""The per-request context: the one place resolvers get their services from.

Built by the HTTP view for every request and websocket connection (graph/http.py):
the read model and fresh DataLoaders for reads, the twin's control for changes, the
event hub for subscriptions, and the caller's role. The read model is the request's own
view of the shared one (`ReadModel.for_request`): its reads share one connection while
the request executes (graph/read_connection.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from graph.control import TwinControl
from graph.events import EventHub
from graph.key_locks import KeyLocks
from graph.loaders import Loaders
from graph.metrics import ApiMetrics
from graph.preloaded import Preloaded
from graph.settings import ApiSettings, Role
from graph.shared_buckets import SharedBuckets
from graph.throttle import LeakyBuckets
from hub.adapters.read_model import ReadModel


@dataclass(slots=True)
class Services:
    """What lives as long as the server: shared by every request."""

    read_model: ReadModel
    control: TwinControl
    events: EventHub
    settings: ApiSettings
    metrics: ApiMetrics | None = None
    #: each client's query-cost bucket (graph/cost_limiter.py)
    buckets: LeakyBuckets = field(init=False)
    #: one lock per idempotency key in flight, so concurrent retries cannot both act
    key_locks: KeyLocks = field(default_factory=KeyLocks)

    def __post_init__(self) -> None:
        self.buckets = SharedBuckets(self.settings.cost_bucket, self.settings.cost_restore_rate)


@dataclass(slots=True)
class Context:
    services: Services
    role: Role | None
    #: the request's view of the read model: what the loaders and resolvers read through
    read_model: ReadModel
    loaders: Loaders
    #: set when execution starts: a request that never got there failed to parse or
    #: validate, which GraphQL-over-HTTP answers with 400 and no `data`
    executed: bool = False
    connection_params: Mapping[str, Any] | None = None
    #: whose query-cost bucket pays for the request: the API key, or the address of a
    #: client without one (None over a websocket: a subscription is not charged)
    client: str | None = None
    #: set when the bucket was too low: the request is answered 429 with Retry-After
    retry_after_s: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    #: records a page read ahead for its items' fields (graph/read_ahead.py)
    preloaded: Preloaded = field(default_factory=Preloaded)
    #: whether the context serves one HTTP request, and dies with it: only then does a
    #: page read ahead into it (a websocket's operations share one context for as long
    #: as the client listens, where records read ahead would go stale)
    one_request: bool = False

    @property
    def control(self) -> TwinControl:
        return self.services.control

    @property
    def events(self) -> EventHub:
        return self.services.events

    @classmethod
    def for_role(
        cls, services: Services, role: Role | None, shared: ReadModel | None = None
    ) -> Context:
        """A context reading through `shared` (the read model of the thread the
        request executes on, graph/query_threads.py), or the server's."""
        read_model = (shared or services.read_model).for_request()
        return cls(services, role, read_model, Loaders.over(read_model))

    def read_from(self, shared: ReadModel) -> None:
        """Read through `shared` from now on: a request moved to another thread's
        loop before it executed (a mutation handed back to the server's loop)."""
        self.read_model = shared.for_request()
        self.loaders = Loaders.over(self.read_model)


GraphInfo = Info[Context, None]


def api_key_of(headers: Mapping[str, Any]) -> str | None:
    """`Authorization: Bearer KEY` or `X-API-Key: KEY` (header names case-insensitive)."""
    lowered = {str(k).lower(): v for k, v in headers.items()}
    key = lowered.get("x-api-key") or lowered.get("apikey") or lowered.get("api_key")
    if key:
        return str(key)
    authorization = str(lowered.get("authorization") or "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None
