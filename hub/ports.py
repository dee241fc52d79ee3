"""The narrow interfaces through which the hub meets the outside world.

The hub is a pure core: it never sleeps, never reads a wall clock and never opens a
socket. Whoever runs it (the SimPy runtime in scenarios/, one day an asyncio runtime
against real systems) supplies these. Calls are asynchronous: `Transport.request` returns
at once and the result comes back later through `Hub.on_response`, which is how
request/reply integration over HTTP or a broker actually behaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from hub.durability.entries import Entry

Body = Mapping[str, Any]
#: an aggregate the hub archives (`AggregateArchive`)
A = TypeVar("A")


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the start of the run (simulated or real)."""
        ...


class Scheduler(Protocol):
    def call_later(self, delay_s: float, timer: tuple[str, Any]) -> None:
        """Deliver `timer` back to `Hub.on_timer` after `delay_s` seconds."""
        ...


class Transport(Protocol):
    def request(
        self,
        system: str,
        operation: str,
        body: Body,
        call_id: int,
        timeout_s: float,
        token: str | None = None,
    ) -> None:
        """Send a request; exactly one response (or a 504 at the timeout) reaches
        `Hub.on_response(call_id, status, body)`. `token`: the access token the
        backend's API wants, sent beside the body (over HTTP, `Authorization: Bearer`)."""
        ...

    def publish(self, system: str, topic: str, body: Body) -> None:
        """Fire-and-forget message to a system (feeds, status notifications)."""
        ...

    def acknowledge(self, source: str, message_id: int) -> None:
        """Tell the broker a message from `source` is handled: it need not deliver it
        again. A message never acknowledged is redelivered (at least once), including
        to a hub restarted after a crash."""
        ...


class Rng(Protocol):
    def random(self) -> float: ...


class DurableStore(Protocol):
    """Where the hub commits its journal (hub/durability/). What `append` made durable
    survives a crash of the hub; nothing else does."""

    def append(self, entry: Entry, then: Callable[[], None]) -> None:
        """Commit `entry` after every entry appended before it, then call `then`: at
        once, or later when a commit takes time. If the hub crashes first, the entry
        is lost and `then` never runs."""
        ...

    def entries(self) -> Iterable[Entry]:
        """Every committed entry, oldest first (once through: a replay reads it once)."""
        ...


@runtime_checkable
class CommitsAtOnce(Protocol):
    """A `DurableStore` that may commit each entry as it is handed it, with no wait.
    The journal then commits a message, an answer or a timer before the hub handles it
    (`commit_received`, `commit_answered`, `commit_timer`: write-ahead, so nothing the
    hub decides is held), and an operator action through `commit_at_once`, letting the
    unit's decisions out itself, rather than handing `append` a callback made for
    every input of the run (hub/durability/journal.py)."""

    def at_once(self) -> bool:
        """True when every `append` commits before it returns (asked once, when the
        journal is built: a store's commits do not change speed later)."""
        ...

    def commit_at_once(self, entry: Entry) -> None:
        """Commit `entry` now, after every entry appended before it (only when
        `at_once()`)."""
        ...

    def commit_received(self, source: str, message_id: int, payload: Body, at: float) -> None:
        """`commit_at_once(Received(source, message_id, payload, at))`, given the fields:
        a message, an answer or a timer is nearly every input of a run, and a store that
        writes the fields needs no entry object built and taken apart for each."""
        ...

    def commit_answered(
        self, system: str, call_id: int, status: int, body: Body, at: float
    ) -> None:
        """`commit_at_once(Answered(system, call_id, status, body, at))`, as above."""
        ...

    def commit_timer(self, timer: tuple[str, Any], at: float) -> None:
        """`commit_at_once(TimerFired(timer, at))`, as above."""
        ...


class AggregateArchive(Protocol[A]):
    """Where the hub's finished aggregates (orders, returns) wait, out of memory, until
    something asks for one again (`hub/aggregates.py`). Each is kept under its key with
    the number that orders it, and `scan` gives them back in that order. A batch run
    backs it with a file (scenarios/twin/hub_archive.py); without one the hub keeps
    every aggregate in memory."""

    def put(self, seq: int, key: str, aggregate: A) -> None:
        """Keep a finished aggregate; `key` is not already kept."""
        ...

    def get(self, key: str) -> A | None:
        """A copy of the aggregate kept under `key` (None if there is none): to read,
        never to change."""
        ...

    def take(self, key: str) -> tuple[int, A] | None:
        """Remove the aggregate kept under `key` and give it back with its number."""
        ...

    def __contains__(self, key: object) -> bool: ...

    def __len__(self) -> int: ...

    def scan(self) -> Iterator[tuple[int, str, A]]:
        """Every aggregate kept, as (number, key, copy), in order of number."""
        ...
